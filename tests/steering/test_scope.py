"""What the dashboards read and show: the counters, never the raw answers; and for a
correspondent, nothing of another département's schools, on any page or in any export."""

import io
import re
import zipfile

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.models import Answer
from pilotis.steering import services as steering_services
from pilotis.steering.figures import Territory
from tests.factories import MembershipFactory, UserFactory
from tests.steering.conftest import answer_all, level_one_done, open_campaign

pytestmark = pytest.mark.django_db

BOARDS = ["progress", "maturity", "distribution", "indicators", "trends"]
PAGES = [
    ("progress", ""),
    ("progress", "?state=filling"),
    ("progress", "?state=validated"),
    ("maturity", ""),
    ("maturity", "?sort=-PIL"),
    ("maturity", "?kind=college&sector=public&priority=none&q=coll"),
    ("indicators", ""),
    ("indicators", "?sort=-not_done"),
    ("trends", ""),
    ("trends", "?share=unanswered"),
    ("reminders", ""),
    ("reminders", "?target=not_validated"),
]
EXPORTS = [(board, fmt) for board in BOARDS for fmt in ("csv", "ods")]
RAW_ANSWERS = re.compile(r"\bassessments_answer\b", re.IGNORECASE)  # not assessments_answerchange


@pytest.fixture
def two_campaigns(world, referential, landes_schools):
    """A closed campaign and an open one, answered in both départements; the DANE has reminded
    the whole académie, so the reminders' history holds schools of both."""
    past = open_campaign(world, referential, "2025-2026")
    for school in (world.school_a, world.school_b, *landes_schools[:3]):
        answer_all(past, school, world.chef_a, level_one_done)
    services.close_campaign(past, by=world.dane)
    current = open_campaign(world, referential, "2026-2027")
    answer_all(current, world.school_a, world.rupn_a, level_one_done, validate_by=world.chef_a)
    answer_all(current, world.school_b, world.rupn_b, level_one_done)
    MembershipFactory(user=UserFactory(username="rupn_landes"), school=landes_schools[0], role="rupn")
    territory = Territory.of(current, [world.landes, world.pyrenees, world.gironde])
    batch = steering_services.request_reminders(territory, target="not_validated", department=None, by=world.dane)
    steering_services.send_batch(batch.pk)
    assert len(mail.outbox) == 2  # school B's RUPN, the Landes collège's
    return current


def _url(campaign, page, query=""):
    return reverse(f"steering:{page}", args=[campaign.pk]) + query


def _export_url(campaign, board, fmt, query=""):
    return reverse("steering:export", args=[campaign.pk, board, fmt]) + query


def _raw_answer_reads(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) > 0
    return [query["sql"] for query in captured.captured_queries if RAW_ANSWERS.search(query["sql"])]


def test_the_probe_sees_a_read_of_the_answers():
    """The check below would see a query on the answers (not only on their history)."""
    with CaptureQueriesContext(connection) as captured:
        list(Answer.objects.filter(status="realise")[:1])
    assert RAW_ANSWERS.search(captured.captured_queries[0]["sql"])
    assert not RAW_ANSWERS.search('SELECT * FROM "assessments_answerchange"')


def test_no_page_or_export_reads_the_raw_answers(client_for, two_campaigns):
    """The dashboards read the counters (`assessments.tallies`), whatever the page or filter."""
    client = client_for("dane")
    urls = [_url(two_campaigns, page, query) for page, query in PAGES]
    urls += [_export_url(two_campaigns, board, fmt) for board, fmt in EXPORTS]
    assert {url: reads for url in urls if (reads := _raw_answer_reads(client, url))} == {}


def _foreign(world):
    """What a correspondent of the Landes must never read: school B (Pyrénées-Atlantiques) and
    school C (another académie), their people."""
    return [
        world.school_b.name,
        world.school_b.uai,
        world.rupn_b.email,
        world.rupn_b.get_full_name(),
        world.school_c.name,
        world.school_c.uai,
    ]


def test_the_fixture_names_school_b_to_the_dane(client_for, world, two_campaigns):
    """The checks below are not vacuous: the same pages and exports name school B to the DANE."""
    client = client_for("dane")
    assert world.school_b.name in client.get(_url(two_campaigns, "maturity")).content.decode()
    reminders = client.get(_url(two_campaigns, "reminders"))
    assert world.rupn_b.email in reminders.content.decode()
    assert world.school_b.uai in client.get(_export_url(two_campaigns, "progress", "csv")).content.decode()


@pytest.mark.parametrize("forced", ["", "department"])
def test_a_correspondent_sees_no_other_departements_school(client_for, world, two_campaigns, forced):
    client = client_for("correspondant_40")
    # Asking for the other département by hand changes nothing (the filter is ignored).
    query = f"?department={world.pyrenees.pk}" if forced else ""
    separator = "&" if query else "?"
    leaks = []
    for page, extra in PAGES:
        url = _url(two_campaigns, page, query + (separator + extra[1:] if extra else ""))
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        leaks += [(url, word) for word in _foreign(world) if word in body]
    for board, fmt in EXPORTS:
        url = _export_url(two_campaigns, board, fmt, query)
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content
        if fmt == "ods":
            content = zipfile.ZipFile(io.BytesIO(content)).read("content.xml")
        text = content.decode("utf-8")
        leaks += [(url, word) for word in _foreign(world) if word in text]
    assert leaks == []


def test_the_reminders_history_names_only_the_correspondents_schools(client_for, world, two_campaigns):
    (dane_batch,) = client_for("dane").get(_url(two_campaigns, "reminders")).context["history"]
    assert dane_batch.recipients == 2
    assert [name for name, _uai, _to in dane_batch.written_to] == sorted([world.school_b.name, "Collège Landais 0"])
    response = client_for("correspondant_40").get(_url(two_campaigns, "reminders"))
    (batch,) = response.context["history"]
    assert (batch.in_scope, batch.sent, batch.recipients) == (6, 1, 1)
    assert batch.written_to == [("Collège Landais 0", batch.written_to[0][1], "rupn_landes@example.org")]
    text = " ".join(response.content.decode().split())
    assert "1 destinataire (direction et RUPN)" in text
    assert "<details" in text and "rupn_landes@example.org" in text
