"""The permission matrix's rows of `newsletters`: the members of school A read its published
flash'infos (the territory does not: 404); its direction and RUPN prepare, edit, publish, delete,
keep the list and take the académie's news (403 for its other members); its direction alone
proof-reads (403 for the RUPN and the team); everyone else: 404."""

from django.utils import timezone

from pilotis.core.models import Mailing
from pilotis.news.models import NewsItem
from pilotis.newsletters import services
from pilotis.newsletters.models import ListAddress, Newsletter, NewsletterSettings


def _draft(w):
    return services.current_draft(w.school_a) or services.prepare_draft(w.school_a, by=w.rupn_a)


def draft(w):
    return [w.school_a.uai, _draft(w).pk]


def published(w):
    ListAddress.objects.get_or_create(school=w.school_a, email="parents@example.org")
    issue = Newsletter.objects.published().filter(school=w.school_a).first()
    if issue is None:
        issue = services.publish(_draft(w), by=w.rupn_a)
    return [w.school_a.uai, issue.pk]


def address(w):
    row, _created = ListAddress.objects.get_or_create(school=w.school_a, email="cdi@example.org")
    return [w.school_a.uai, row.pk]


def news_item(w):
    item = NewsItem.objects.create(
        academy=w.bordeaux,
        title="Semaine du numérique",
        body="Inscriptions ouvertes.",
        author_label="DANE",
        published_at=timezone.now(),
    )
    return [w.school_a.uai, item.pk]


def edit_data(w):
    issue = Newsletter.objects.unpublished().get(school=w.school_a)
    return {
        "seen_revision": issue.revision,
        "title": "Flash'infos de décembre",
        "body": "## Le mot du RUPN\n\nBonjour.",
    }


def proofread_data(w):
    issue = Newsletter.objects.unpublished().get(school=w.school_a)
    return {"seen_revision": issue.revision, "comment": "Parfait."}


def draft_with_list(w):
    ListAddress.objects.get_or_create(school=w.school_a, email="parents@example.org")
    return draft(w)


def publish_data(w):
    return {"seen_revision": Newsletter.objects.unpublished().get(school=w.school_a).revision}


def rhythm_data(w):
    return {"form": "rhythm", "rhythm-rhythm": "six_weeks"}


def snapshot():
    return (
        sorted(Newsletter.objects.values_list("pk", "state", "number", "title", "revision", "proofread_at")),
        sorted(ListAddress.objects.values_list("pk", "email")),
        sorted(NewsletterSettings.objects.values_list("pk", "rhythm")),
        sorted(Mailing.objects.values_list("pk", flat=True)),
    )


def extend(matrix):
    statuses = matrix.statuses
    members = {"chef_a", "adjoint_a", "rupn_a", "member_a"}
    writers, direction = matrix.FILLERS_A, matrix.DIRECTION_A
    read = statuses(404, s200=members)
    write_page = statuses(404, s200=writers, s403=members - writers)
    write = statuses(404, s302=writers, s403=members - writers)
    # A draft does not exist for a member who does not write it.
    draft_read = statuses(404, s200=writers)
    matrix.MATRIX.update(
        {
            "newsletters:home": ("get", matrix.school_a, None, read),
            "newsletters:prepare": ("post", matrix.school_a, None, write),
            "newsletters:settings": ("post", matrix.school_a, rhythm_data, write),
            "newsletters:remove_address": ("post", address, None, write),
            "newsletters:take_news": ("post", news_item, None, write),
            "newsletters:detail": ("get", published, None, read),
            "newsletters:pdf": ("get", draft, None, draft_read),
            "newsletters:edit": ("post", draft, edit_data, write),
            "newsletters:ask_review": ("post", draft, None, write),
            "newsletters:proofread": (
                "post",
                draft,
                proofread_data,
                statuses(404, s302=direction, s403=members - direction),
            ),
            "newsletters:publish": ("post", draft_with_list, publish_data, write),
            "newsletters:delete": ("get", draft, None, write_page),
            "newsletters:resume": ("get", published, None, write_page),
        }
    )
    matrix.GUARDS.update(
        {
            **dict.fromkeys(["newsletters:home", "newsletters:detail", "newsletters:pdf"], ("newsletter:read",)),
            "newsletters:proofread": ("newsletter:proofread",),
            **dict.fromkeys(
                [
                    "newsletters:prepare",
                    "newsletters:settings",
                    "newsletters:remove_address",
                    "newsletters:take_news",
                    "newsletters:edit",
                    "newsletters:ask_review",
                    "newsletters:publish",
                    "newsletters:delete",
                    "newsletters:resume",
                ],
                ("newsletter:write",),
            ),
        }
    )
    matrix.SNAPSHOTS.append(snapshot)
