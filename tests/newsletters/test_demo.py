import io

from pilotis.demo.newsletters import load_newsletters
from pilotis.newsletters.enums import NewsletterState, Rhythm
from pilotis.newsletters.models import ListAddress, Newsletter, NewsletterSettings
from tests.workshops.conftest import record


def test_the_demo_holds_two_issues_a_draft_the_rhythm_and_the_list(world):
    record(world, title="Prise en main de l'ENT")  # yesterday: after n° 2, so the draft tells it
    users = {"rupn": world.rupn_a, "direction": world.chef_a, "enseignant": world.member_a}
    load_newsletters(users, world.school_a, io.StringIO())
    published = list(Newsletter.objects.published().filter(school=world.school_a).order_by("number"))
    assert [n.number for n in published] == [1, 2]
    assert all(n.body.startswith("## Le mot du RUPN") and n.published_at for n in published)
    assert published[0].published_at < published[1].published_at
    assert published[1].period_start == published[0].published_at
    (draft,) = Newsletter.objects.filter(school=world.school_a, state=NewsletterState.DRAFT)
    assert draft.number is None and draft.period_start == published[1].published_at
    assert "Prise en main de l'ENT" in draft.body
    assert NewsletterSettings.objects.get(school=world.school_a).rhythm == Rhythm.TERM
    assert ListAddress.objects.filter(school=world.school_a).count() == 2
    load_newsletters(users, world.school_a, io.StringIO())  # run twice: nothing more
    assert Newsletter.objects.filter(school=world.school_a).count() == 3
