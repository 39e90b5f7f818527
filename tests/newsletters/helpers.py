"""Shared helpers of the flash'infos' tests: school A's issues written through the services."""

from django.utils import timezone

from pilotis.news.models import NewsItem
from pilotis.newsletters import services
from pilotis.newsletters.models import ListAddress


def news(world, **fields):
    """An item of the académie de Bordeaux's news, published now (the news pages write them)."""
    values = {
        "academy": world.bordeaux,
        "title": "Semaine du numérique",
        "body": "Les inscriptions sont **ouvertes**.",
        "link": "https://example.org/semaine",
        "author_label": "DANE de Bordeaux",
        "published_at": timezone.now(),
    }
    values.update(fields)
    return NewsItem.objects.create(**values)


def with_list(world, *emails):
    for email in emails or ("parents@example.org",):
        ListAddress.objects.get_or_create(school=world.school_a, email=email)


def draft(world, *, title="Flash'infos de décembre", body="## Le mot du RUPN\n\nBonjour à tous.", by=None):
    issue = services.current_draft(world.school_a) or services.prepare_draft(world.school_a, by=by or world.rupn_a)
    return services.save_draft(issue, by=by or world.rupn_a, title=title, body=body, seen_revision=issue.revision)


def published(world, **fields):
    with_list(world)
    return services.publish(draft(world, **fields), by=world.rupn_a)
