"""Named predicates of the académie's news; the rule itself is `news.audience`, written once."""

from pilotis.news import audience


def can_read_news(user) -> bool:
    """The RUPN and the direction of a school read the news meant for it (`audience.reads_news`)."""
    return audience.reads_news(user)


def can_write_news(user) -> bool:
    """The DANE and the correspondents write their territory's news (`audience.writes_news`)."""
    return audience.writes_news(user)


def can_manage_item(user, item) -> bool:
    """Whoever may address the item's audience edits, publishes, withdraws and resumes it."""
    return audience.may_write(user, item)


def news_abilities(user, item) -> dict[str, bool]:
    """What an item's page offers this user, in one dict for views and templates."""
    manage = can_manage_item(user, item)
    return {
        "manage": manage,
        "edit": manage and item.published_at is None,
        "publish": manage and item.published_at is None,
        "withdraw": manage and item.published_at is not None and item.withdrawn_at is None,
        "read": item.published_at is not None and item.withdrawn_at is None and audience.is_reader(user, item),
    }
