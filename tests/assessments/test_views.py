import datetime
import html
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Answer, AnswerChange, Assessment
from tests.assessments.conftest import validated_schools

YEAR = "2026-2027"


def url(name, world, *extra):
    return reverse(f"assessments:{name}", args=[world.school_a.uai, YEAR, *extra])


def test_htmx_save_returns_only_the_save_bar(client_for, world, campaign):
    """The inputs the person is using are never replaced: only the save state comes back."""
    client = client_for("rupn_a")
    response = client.post(
        url("answer_save", world, "PIL.1.01"),
        {"status": "realise", "comment": "Voté en CA", "seen_revision": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(
        '<div class="fr-fieldset__element pilotis-save-bar" id="bar-PIL.1.01" hx-swap-oob="true">'
    )
    assert re.search(r"Enregistré à \d\d:\d\d\.", html)  # the page stays: which save it is
    assert '<input type="hidden" name="PIL.1.01-seen_revision" value="1">' in html
    assert 'type="radio"' not in html and "<textarea" not in html
    # The page's « Non commencé » badge follows the first answer.
    assert '<span id="assessment-state" hx-swap-oob="true"><span class="fr-badge fr-badge--info fr-ml-1w">' in html
    assert "En cours de saisie" in html and "Non commencé" not in html
    answer = Answer.objects.get()
    assert (answer.status, answer.comment, answer.updated_by) == ("realise", "Voté en CA", world.rupn_a)


def test_without_javascript_the_save_redirects_back_to_the_indicator(client_for, world, campaign):
    client = client_for("chef_a")
    response = client.post(url("answer_save", world, "INF.1.01"), {"status": "en_cours", "comment": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("/domaines/INF/#i-INF.1.01")
    page = client.get(response["Location"]).content.decode()
    assert "Enregistré." in page
    assert Answer.objects.get().status == AnswerStatus.IN_PROGRESS


def test_answers_are_found_again_after_reload(client_for, world, campaign):
    client = client_for("rupn_a")
    client.post(url("answer_save", world, "PIL.1.02"), {"status": "realise"}, headers={"HX-Request": "true"})
    page = client.get(url("domain", world, "PIL")).content.decode()
    assert 'id="r-PIL.1.02-realise" name="PIL.1.02-status" value="realise" checked' in page


def test_a_page_left_open_on_a_validated_assessment_cannot_overwrite_it(client_for, world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    services.validate_assessment(Assessment.objects.get(), by=world.chef_a)
    client = client_for("rupn_a")
    response = client.post(
        url("answer_save", world, "PIL.1.01"), {"status": "non_realise"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 409
    assert "a été validé" in response.content.decode()
    assert Answer.objects.get().status == "realise"
    assert AnswerChange.objects.count() == 1


def test_invalid_status_is_refused_and_nothing_written(client_for, world, campaign):
    response = client_for("rupn_a").post(
        url("answer_save", world, "PIL.1.01"), {"status": "peut-être"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "Réponse invalide" in response.content.decode()
    assert not Answer.objects.exists()


def test_extra_fields_are_ignored(client_for, world, campaign):
    client_for("rupn_a").post(
        url("answer_save", world, "PIL.1.01"),
        {"status": "realise", "state": "validated", "validated_by": world.chef_a.pk, "school": world.school_b.pk},
    )
    assessment = Assessment.objects.get()
    assert (assessment.school, assessment.state, assessment.validated_by) == (world.school_a, "draft", None)


def test_validation_is_shown_on_the_home_tab(client_for, world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    client = client_for("chef_a")
    response = client.post(url("validate", world), {"seen_revision": 1})
    assert response.status_code == 302
    page = client.get(url("home", world)).content.decode()
    assert "Validé par" in page and "Rouvrir" in page


def test_members_read_but_do_not_get_the_save_buttons(client_for, world, campaign):
    page = client_for("member_a").get(url("domain", world, "PIL")).content.decode()
    assert "Consultation seule" in page
    assert ">Enregistrer<" not in page
    assert " disabled" in page


def test_synthesis_shows_levels(client_for, world, campaign, referential):
    for indicator in referential.indicators.filter(domain__code="FOR", level=1):
        services.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    page = client_for("correspondant_40").get(url("synthesis", world)).content.decode()
    assert "<strong>1</strong> / 3" in page


@pytest.mark.parametrize("persona", ["correspondant_64", "dane_rennes", "rupn_b"])
def test_outsiders_never_see_the_school(client_for, world, campaign, persona):
    response = client_for(persona).get(url("home", world))
    assert response.status_code == 404
    assert world.school_a.name not in response.content.decode()


def test_history_shows_who_changed_what_in_words(client_for, world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status="en_cours", comment="", by=world.rupn_a)
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="Voté", by=world.chef_a)
    page = client_for("member_a").get(url("history", world, "PIL.1.01")).content.decode()
    assert "En cours de réalisation → Réalisé" in page
    assert "— → En cours de réalisation" in page
    assert str(world.chef_a) in page and str(world.rupn_a) in page


def test_a_second_validation_from_a_stale_page_is_explained_not_refused(client_for, world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    services.validate_assessment(Assessment.objects.get(), by=world.chef_a)
    client = client_for("adjoint_a")
    response = client.post(url("validate", world), {"seen_revision": 1}, follow=True)
    assert response.status_code == 200
    assert "déjà validé" in response.content.decode()
    assert Assessment.objects.get().validated_by == world.chef_a


def test_validating_an_empty_assessment_is_explained(client_for, world, campaign):
    response = client_for("chef_a").post(url("validate", world), {"seen_revision": 0}, follow=True)
    assert response.status_code == 200
    assert "rien à valider" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_page_left_open_when_the_campaign_closes_is_told_so(client_for, world, campaign):
    services.close_campaign(campaign, by=world.dane)
    response = client_for("rupn_a").post(
        url("answer_save", world, "PIL.1.01"), {"status": "realise"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 409
    assert "campagne est close" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_autosave_counts_its_statements(client_for, world, campaign):
    """The autosave's budget: session, user, school, the locked assessment with its campaign and
    the domain's answers, the history row, the answer, the counters (and the savepoint pytest
    wraps around the transaction). A query more per save is a regression of the load test."""
    client = client_for("rupn_a")
    save = url("answer_save", world, "PIL.1.01")
    client.post(save, {"status": "realise"}, headers={"HX-Request": "true"})  # creates the rows
    with CaptureQueriesContext(connection) as queries:
        response = client.post(save, {"status": "en_cours", "seen_revision": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # PostgreSQL reads the domain's answers after the lock, in a statement of their own (locked_read).
    budget = 8 if connection.features.has_select_for_update else 7
    assert len(statements) <= budget, "\n".join(statements)
    assert not any("accounts_schoolmembership" in sql for sql in statements)  # the scope is cached
    assert sum("assessments_campaign" in sql for sql in statements) == 1  # read with the lock only


@pytest.mark.parametrize(("year", "code"), [("2026-2027", "PIL.9.99"), ("2030-2031", "PIL.1.01")])
def test_an_unknown_indicator_or_year_is_a_404_and_writes_nothing(client_for, world, campaign, year, code):
    for who in ("rupn_a", "member_a"):  # a filler, and a reader who may not fill
        response = client_for(who).post(
            reverse("assessments:answer_save", args=[world.school_a.uai, year, code]),
            {"status": "realise"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 404
    assert not Answer.objects.exists() and not Assessment.objects.exists()


def test_last_activity_moves_with_the_figures_or_once_a_minute(client_for, world, campaign):
    client = client_for("rupn_a")

    def post(code, status):
        client.post(url("answer_save", world, code), {"status": status}, headers={"HX-Request": "true"})
        return Assessment.objects.get().last_activity_at

    first = post("PIL.1.01", "en_cours")
    assert first is not None
    # Another status for the same indicator: neither a level nor the count moves, and a minute
    # has not passed: the row is left alone.
    assert post("PIL.1.01", "non_realise") == first
    # A new indicator answered moves the count: the activity follows.
    second = post("PIL.1.02", "en_cours")
    assert second > first
    # A minute later, any change is activity again.
    Assessment.objects.update(last_activity_at=second - datetime.timedelta(seconds=61))
    assert post("PIL.1.02", "non_realise") > second - datetime.timedelta(seconds=61)


# --- Tableau synthétique ---------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every <table> of a page as (caption, rows of cell texts), header rows included."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(["", []])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th", "caption"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1][0] = " ".join("".join(self._cell).split())
            self._cell = None
        elif tag in ("td", "th"):
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self.tables[-1][1].append(self._row)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return dict(parser.tables)


def test_synthesis_compares_with_the_previous_campaign_and_both_means(client_for, world, compared, referential):
    pil = referential.indicators.filter(domain__code="PIL")
    for indicator in pil.filter(level=1):
        services.save_answer(compared, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    for code, status in [("PIL.2.01", "realise"), ("PIL.2.02", "realise"), ("PIL.2.03", "en_cours")]:
        services.save_answer(compared, world.school_a, pil.get(code=code), status=status, comment="", by=world.rupn_a)
    page = html.unescape(client_for("correspondant_40").get(url("synthesis", world)).content.decode())

    # The radar: an SVG image named for assistive technologies, one outline per series.
    svg = re.search(r'<svg [^>]*role="img"[^>]*>.*?</svg>', page, re.S)
    assert svg, page
    chart = svg.group(0)
    assert 'aria-labelledby="radar-title radar-desc"' in chart
    assert '<title id="radar-title">Niveau atteint par domaine</title>' in chart
    series = [
        "Collège Alpha des Landes, 2026-2027",
        "Campagne 2025-2026",
        "Moyenne du département (Landes)",
        "Moyenne de l'académie (Bordeaux)",
    ]
    assert re.findall(r'<text x="64"[^>]*>([^<]+)</text>', chart) == series  # the legend
    assert chart.count("<polygon") == 3 + len(series)  # three rings, then the series

    # The same figures in the table beside it.
    levels = tables(page)["Niveau atteint par domaine, et points de comparaison"]
    assert levels[0] == [
        "Domaine",
        "Établissement",
        "Campagne 2025-2026",
        "Moyenne du département (Landes) (5 établissements)",
        "Moyenne de l'académie (Bordeaux) (5 établissements)",
    ]
    # The previous campaign's levels are whole numbers; the means keep their decimal.
    assert levels[1:] == [
        ["Pilotage, impulsion et organisation", "1 / 3", "1", "1,0", "1,0"],
        ["Pratiques éducatives et pédagogiques", "0 / 3", "0", "1,0", "1,0"],
        ["Formation", "0 / 3", "1", "1,0", "1,0"],
        ["Ressources", "0 / 3", "0", "1,0", "1,0"],
        ["Infrastructure réseau – équipement", "0 / 3", "0", "1,0", "1,0"],
    ]
    # Each level's share of « Réalisé » / « En cours de réalisation ».
    shares = tables(page)["Avancement de chaque niveau, par domaine"]
    assert shares[1] == [
        "Pilotage, impulsion et organisation",
        "100 % / 0 % (6 + 0 sur 6)",
        "67 % / 33 % (2 + 1 sur 3)",
        "0 % / 0 % (0 + 0 sur 4)",
    ]
    # Both means are there: no note about the small-cell rule.
    assert "dès que 5 établissements" not in page


def test_the_means_note_is_about_the_means_missing(client_for, world, campaign, previous_year):
    client = client_for("chef_a")
    # A previous campaign, no mean yet: the note is still due.
    page = html.unescape(client.get(url("synthesis", world)).content.decode())
    assert "Campagne 2025-2026" in tables(page)["Niveau atteint par domaine, et points de comparaison"][0]
    assert (
        "Les moyennes du département et de l’académie apparaissent dès que 5 établissements au moins ont validé" in page
    )
    # Five validated in the académie but two only in the Landes: the académie's mean, and a note
    # about the département's alone.
    validated_schools(campaign, world, world.landes, 2)
    validated_schools(campaign, world, world.pyrenees, 3)
    page = html.unescape(client.get(url("synthesis", world)).content.decode())
    header = tables(page)["Niveau atteint par domaine, et points de comparaison"][0]
    assert header[2:] == ["Campagne 2025-2026", "Moyenne de l'académie (Bordeaux) (5 établissements)"]
    assert "La moyenne du département apparaît dès que 5 établissements au moins du département" in page
    assert "Les moyennes du département et de l’académie" not in page


# --- The domain tab's form -------------------------------------------------------------------------


def test_an_answer_can_be_set_back_to_none_without_javascript(client_for, world, campaign, indicator):
    client = client_for("rupn_a")
    page = client.get(url("domain", world, "PIL")).content.decode()
    # Not answered yet: the explicit choice "none yet" is the one checked.
    assert (
        '<input type="radio" id="r-PIL.1.01-vide" name="PIL.1.01-status" value="" checked>'
        '\n                        <label class="fr-label" for="r-PIL.1.01-vide">Pas encore de réponse</label>'
    ) in page
    client.post(url("answer_save", world, "PIL.1.01"), {"status": "realise", "comment": "", "seen_revision": "0"})
    page = client.get(url("domain", world, "PIL")).content.decode()
    assert 'id="r-PIL.1.01-realise" name="PIL.1.01-status" value="realise" checked' in page
    assert 'id="r-PIL.1.01-vide" name="PIL.1.01-status" value="" checked' not in page

    # The indicator's own post, without the autosave's header: saved, then back to the indicator.
    response = client.post(url("answer_save", world, "PIL.1.01"), {"status": "", "comment": "", "seen_revision": "1"})
    assert response.status_code == 302 and response["Location"].endswith("/domaines/PIL/#i-PIL.1.01")
    answer = Answer.objects.get()
    assert (answer.status, answer.revision) == ("", 2)
    assert Assessment.objects.get().answered_count == 0
    assert list(AnswerChange.objects.order_by("id").values_list("status_before", "status_after")) == [
        ("", "realise"),
        ("realise", ""),
    ]
    page = client.get(response["Location"]).content.decode()
    assert 'id="r-PIL.1.01-vide" name="PIL.1.01-status" value="" checked' in page
    assert "Enregistré." in page


@pytest.mark.parametrize("persona", ["rupn_a", "chef_a", "adjoint_a"])
def test_fillers_get_a_save_button_per_indicator(client_for, world, campaign, referential, persona):
    page = client_for(persona).get(url("domain", world, "PIL")).content.decode()
    indicators = referential.indicators.filter(domain__code="PIL").count()
    # Each saves the whole page without JavaScript, and brings the person back to its indicator.
    buttons = re.findall(
        r'<button type="submit" name="from" value="([^"]+)" class="fr-btn fr-btn--sm fr-btn--secondary pilotis-nojs-only">'
        r"Enregistrer</button>",
        page,
    )
    assert len(buttons) == indicators and len(set(buttons)) == indicators
    assert "Consultation seule" not in page and " disabled" not in page


@pytest.mark.parametrize("persona", ["member_a", "correspondant_40", "dane"])
def test_readers_get_no_save_button(client_for, world, campaign, persona):
    page = client_for(persona).get(url("domain", world, "PIL")).content.decode()
    assert "Enregistrer</button>" not in page
    assert "Consultation seule" in page
