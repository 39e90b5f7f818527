"""The plan's documents: the PDF and the ODT say the plan (its adoption, objectives, actions, timeline,
costs, indicators aimed at), an adopted version prints as adopted, the actions' ODS and CSV hold one
row per action; the queries do not grow with the actions."""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree
from odfdo import Document
from pypdf import PdfReader

from pilotis.plans import services
from pilotis.plans.documents.content import plan_content, snapshot_content
from pilotis.plans.documents.odt import render_plan_odt
from pilotis.plans.documents.timeline import timeline_svg
from pilotis.plans.enums import ActionStatus, AdoptingBody, Payer
from pilotis.plans.models import Objective, ObjectiveTarget, Plan, PlanVersion
from pilotis.plans.snapshot import serialise_plan
from pilotis.referential.models import Indicator

SVG = "{http://www.w3.org/2000/svg}"
TODAY = datetime.date(2027, 3, 15)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return flat(" ".join(page.extract_text() for page in reader.pages))


def odt_text(content: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(content))
    xml = " ".join(archive.read(name).decode() for name in ("content.xml", "styles.xml"))
    return flat(re.sub(r"<[^>]+>", " ", xml))


def make_plan(world, referential, *, actions=8):
    """A plan of 2026-2027 and 2027-2028 with two objectives and `actions` actions in every state."""
    plan = Plan.objects.create(
        school=world.school_a,
        referential=referential,
        first_year="2026-2027",
        last_year="2027-2028",
        title="Plan d'actions numérique",
        created_by=world.chef_a,
    )
    pil = Indicator.objects.get(version=referential, code="PIL.1.01")
    inf = Indicator.objects.get(version=referential, code="INF.1.01")
    first = Objective.objects.create(plan=plan, title="Piloter le numérique", position=1)
    second = Objective.objects.create(plan=plan, title="Équiper les salles", position=2)
    ObjectiveTarget.objects.create(objective=first, indicator=pil, status="realise", by_year="2026-2027")
    ObjectiveTarget.objects.create(objective=second, indicator=inf, status="en_cours", by_year="2027-2028")
    statuses = list(ActionStatus)
    for index in range(actions):
        status = statuses[index % len(statuses)]
        dated = index % 4 != 3
        services.create_action(
            plan,
            by=world.chef_a,
            title=f"Action numéro {index + 1}",
            indicators=[pil] if index % 2 == 0 else [inf],
            status=status,
            objective=first if index % 3 == 0 else (second if index % 3 == 1 else None),
            responsible_label="gestionnaire" if index % 2 else "",
            responsible=world.rupn_a if index % 2 == 0 else None,
            starts_on=datetime.date(2026, 9 + index % 3, 1) if dated else None,
            due_on=datetime.date(2027, 1 + index % 6, 28) if dated else None,
            cost=Decimal("1200.50") if index % 2 == 0 else None,
            payer=Payer.COLLECTIVITY if index % 2 == 0 else "",
            means="Deux heures de formation",
            success_criteria="80 % des enseignants formés",
            position=index,
        )
    plan.refresh_from_db()
    return plan


def adopt(plan, world):
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        plan_revision=plan.revision,
        body=AdoptingBody.BOARD,
        adopted_on=datetime.date(2026, 11, 20),
        adopted_by=world.chef_a,
        adopted_by_label=str(world.chef_a),
        snapshot=serialise_plan(plan),
    )
    Plan.objects.filter(pk=plan.pk).update(adopted_revision=plan.revision)
    plan.refresh_from_db()
    return version


@pytest.fixture
def plan(world, mini_referential):
    return make_plan(world, mini_referential)


def test_the_pdf_holds_the_title_block_the_actions_and_says_a_project_is_not_adopted(client_for, world, plan):
    response = client_for("member_a").get(reverse("plans:plan_pdf", args=[world.school_a.uai, plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "plan-d-actions-" + world.school_a.uai + "-2026-2027-2027-2028.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in (world.school_a.name, world.school_a.uai, "2026-2027 à 2027-2028", "Projet — non adopté"):
        assert expected in text
    for number in range(1, 9):
        assert f"Action numéro {number}" in text
    assert "gestionnaire" in text and "1 200,50 €" in text and "Collectivité" in text
    assert "PIL.1.01" in text and "Piloter le numérique" in text
    assert "Calendrier des actions" in text and "Coûts estimés par financeur" in text
    # Four actions with a cost, one of them abandoned: the total leaves it out.
    assert "3 601,50 €" in text


def test_the_pdf_of_an_adopted_plan_names_the_instance_and_its_date(client_for, world, plan):
    adopt(plan, world)
    response = client_for("correspondant_40").get(reverse("plans:plan_pdf", args=[world.school_a.uai, plan.pk]))
    text = pdf_text(response.content)
    assert "Adopté par le conseil d'administration le 20 novembre 2026 (version 1)" in text
    assert "Projet — non adopté" not in text


def test_a_plan_changed_since_its_adoption_is_a_project_naming_the_adopted_version(world, plan):
    adopt(plan, world)
    services.create_action(plan, by=world.chef_a, title="Une action ajoutée")
    plan.refresh_from_db()
    content = plan_content(plan, today=TODAY)
    assert content["adoption"]["adopted"] is False
    assert "version 1" in content["adoption"]["note"]


def test_a_version_prints_as_adopted_whatever_the_plan_became(client_for, world, plan):
    version = adopt(plan, world)
    services.create_action(plan, by=world.chef_a, title="Ajoutée après le conseil")
    first = plan.actions.order_by("position", "pk").first()
    services.change_status(first, by=world.chef_a, status=ActionStatus.ABANDONED, note="Faute de moyens")
    url = reverse("plans:version_pdf", args=[world.school_a.uai, plan.pk, version.number])
    response = client_for("rupn_a").get(url)
    assert response.status_code == 200
    assert "-version-1.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Ajoutée après le conseil" not in text
    assert "Action numéro 1" in text
    assert "Adopté par le conseil d'administration" in text
    live = pdf_text(client_for("rupn_a").get(reverse("plans:plan_pdf", args=[world.school_a.uai, plan.pk])).content)
    assert "Ajoutée après le conseil" in live
    odt = client_for("rupn_a").get(reverse("plans:version_odt", args=[world.school_a.uai, plan.pk, version.number]))
    assert "Ajoutée après le conseil" not in odt_text(odt.content)
    assert "Action numéro 1" in odt_text(odt.content)


def test_a_version_of_another_plan_or_number_is_not_found(client_for, world, plan):
    adopt(plan, world)
    client = client_for("chef_a")
    assert client.get(reverse("plans:version_pdf", args=[world.school_a.uai, plan.pk, 2])).status_code == 404
    assert client.get(reverse("plans:plan_odt", args=[world.school_a.uai, plan.pk + 1])).status_code == 404
    # The plan of school A under school B's address does not exist.
    other = client_for("rupn_b")
    assert other.get(reverse("plans:plan_pdf", args=[world.school_b.uai, plan.pk])).status_code == 404


def test_the_timeline_is_valid_svg_with_one_bar_per_dated_action(world, plan):
    content = plan_content(plan, today=TODAY)
    tree = etree.fromstring(content["timeline"]["svg"].encode())
    assert tree.tag == f"{SVG}svg"
    assert tree.find(f"{SVG}title").text == "Calendrier des actions du plan"
    bars = [node for node in tree.iter(f"{SVG}rect") if node.get("class") == "bar"]
    dated = [a for a in content["actions"] if a["starts_on"] and a["due_on"]]
    assert len(bars) == len(dated) == 6
    assert [bar.get("data-status") for bar in bars] == [a["status"] for a in dated]
    # Status by pattern and in words: the patterns differ, each row writes its state.
    fills = {bar.get("data-status"): bar.get("fill") for bar in bars}
    assert len(set(fills.values())) == len(fills)
    texts = " ".join(node.text or "" for node in tree.iter(f"{SVG}text"))
    assert "En retard" in texts
    for action in content["actions"]:
        assert action["status_label"] in texts


def test_a_bar_runs_from_the_start_to_the_due_date_and_a_single_date_is_a_milestone():
    actions = [
        {
            "number": "A1",
            "title": "Toute l'année",
            "status": "todo",
            "status_label": "À faire",
            "overdue": False,
            "when": "",
            "starts_on": datetime.date(2026, 9, 1),
            "due_on": datetime.date(2027, 8, 31),
        },
        {
            "number": "A2",
            "title": "Une échéance",
            "status": "done",
            "status_label": "Réalisée",
            "overdue": False,
            "when": "",
            "starts_on": None,
            "due_on": datetime.date(2027, 3, 1),
        },
    ]
    tree = etree.fromstring(timeline_svg(actions, ["2026-2027"], as_of=TODAY, show_today=True).encode())
    bar = next(node for node in tree.iter(f"{SVG}rect") if node.get("class") == "bar")
    # One school year spans the whole chart (680 less the labels, 200, and the states, 112).
    assert float(bar.get("x")) == pytest.approx(200)
    assert float(bar.get("width")) == pytest.approx(368, abs=0.2)
    assert [node.get("class") for node in tree.iter(f"{SVG}path") if node.get("class")] == ["milestone"]
    assert len([node for node in tree.iter(f"{SVG}line") if node.get("class") == "today"]) == 1


def test_the_odt_opens_and_holds_the_actions_the_calendar_and_the_costs(client_for, world, plan):
    response = client_for("dane").get(reverse("plans:plan_odt", args=[world.school_a.uai, plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    document = Document(io.BytesIO(response.content))
    assert document.get_type() == "text"
    text = odt_text(response.content)
    for number in range(1, 9):
        assert f"Action numéro {number}" in text
    assert "Projet — non adopté" in text and "3 601,50 €" in text
    # Overdue actions say so in words (counted at a day when some are).
    assert "En retard" in odt_text(render_plan_odt(plan_content(plan, today=TODAY)))
    calendar = document.body.get_table(name="Frise")
    rows = calendar.get_rows()
    # The head, then one row per action; six terms over two school years.
    assert len(rows) == 1 + 8
    assert [cell.text_content for cell in rows[0].get_cells()][2:4] == ["2026-27\nT1", "2026-27\nT2"]
    covered = [sum(1 for cell in row.get_cells()[2:-1] if cell.text_content == "■") for row in rows[1:]]
    assert covered.count(0) == 2  # the two undated actions
    headings = [h.text_recursive for h in document.body.get_headers()]
    assert headings[:2] == ["1. Objectifs et indicateurs visés", "O1. Piloter le numérique"]


def test_pdf_and_odt_list_the_actions_in_the_same_order(world, plan):
    content = plan_content(plan, today=TODAY)
    numbers = [a["number"] for a in content["actions"]]
    assert numbers == [f"A{n}" for n in range(1, 9)]
    # Objective by objective, then the actions tied to none.
    titles = [a["title"] for a in content["actions"]]
    assert titles[:3] == ["Action numéro 1", "Action numéro 4", "Action numéro 7"]
    text = odt_text(render_plan_odt(content))
    positions = [text.index(f"A{n} Action") for n in range(1, 9)]
    assert positions == sorted(positions)


def export_rows(client, world, plan, fmt):
    response = client.get(reverse("plans:actions_export", args=[world.school_a.uai, plan.pk, fmt]))
    assert response.status_code == 200
    return response


def test_the_csv_has_one_row_per_action_with_the_journal_s_last_change(client_for, world, plan):
    first = plan.actions.order_by("position", "pk").first()
    services.change_status(first, by=world.rupn_a, status=ActionStatus.IN_PROGRESS, note="Lancée en conseil")
    response = export_rows(client_for("chef_a"), world, plan, "csv")
    assert f"actions-du-plan-{world.school_a.uai}-2026-2027-2027-2028.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    head, body = rows[0], rows[1:]
    assert len(body) == plan.actions.count() == 8
    assert head[:2] == ["N°", "Action"] and "Note du changement" in head
    by_title = {row[1]: dict(zip(head, row, strict=True)) for row in body}
    assert set(by_title) == set(plan.actions.values_list("title", flat=True))
    row = by_title["Action numéro 1"]
    assert row["État"] == "En cours"
    assert row["Changement"] == "À faire → En cours"
    assert row["Note du changement"] == "Lancée en conseil"
    assert row["Indicateurs servis"] == "PIL.1.01"
    assert row["Coût estimé (€)"] == "1200,50"


def test_the_ods_has_one_row_per_action(client_for, world, plan):
    response = export_rows(client_for("correspondant_40"), world, plan, "ods")
    document = Document(io.BytesIO(response.content))
    table = document.body.get_tables()[0]
    values = table.get_values()
    assert len(values) == 1 + 8
    assert sorted(row[1] for row in values[1:]) == sorted(plan.actions.values_list("title", flat=True))


def test_an_unknown_export_format_is_not_found(client_for, world, plan):
    response = client_for("chef_a").get(reverse("plans:actions_export", args=[world.school_a.uai, plan.pk, "xls"]))
    assert response.status_code == 404


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("view", ["plans:plan_pdf", "plans:plan_odt", "plans:actions_export", "plans:version_pdf"])
def test_the_queries_do_not_grow_with_the_actions(client_for, world, mini_referential, view):
    client = client_for("chef_a")
    counts = []
    for actions in (3, 30):
        plan = make_plan(world, mini_referential, actions=actions)
        version = adopt(plan, world)
        args = [world.school_a.uai, plan.pk]
        if view == "plans:actions_export":
            args.append("ods")
        if view == "plans:version_pdf":
            args.append(version.number)
        url = reverse(view, args=args)
        client.get(url)  # caches warmed (the session, the school by its UAI)
        counts.append(count_queries(client, url))
        # Out of the way of the next one: a school has one plan starting a given year.
        year = f"{1990 + actions}-{1991 + actions}"
        Plan.objects.filter(pk=plan.pk).update(first_year=year, last_year=year)
    assert counts[0] == counts[1]


def test_an_empty_plan_prints_its_empty_sections(world, mini_referential):
    from pilotis.plans.documents.pdf import render_plan_pdf

    plan = make_plan(world, mini_referential, actions=0)
    plan.objectives.all().delete()
    content = plan_content(plan, today=TODAY)
    text = pdf_text(render_plan_pdf(content))
    assert "Le plan n’a pas encore d’objectif." in text
    assert "Le plan n’a pas encore d’action." in text
    assert "Aucune action n’est datée" in text
    assert "Aucun coût n’est estimé." in odt_text(render_plan_odt(content))


def test_a_snapshot_missing_later_keys_still_renders(world, plan):
    version = adopt(plan, world)
    # A snapshot written before some fields existed: only a title per action.
    version.snapshot = {
        "title": "Plan ancien",
        "first_year": "2026-2027",
        "last_year": "2026-2027",
        "actions": [{"title": "Seule action", "status": "done"}],
    }
    version.save()
    content = snapshot_content(version)
    assert [(a["title"], a["status_label"]) for a in content["actions"]] == [("Seule action", "Réalisée")]
    assert content["adoption"]["adopted"] is True
    assert "Seule action" in odt_text(render_plan_odt(content))


def test_free_text_is_escaped_in_the_svg_and_neutralised_in_the_exports(client_for, world, plan):
    services.create_action(
        plan,
        by=world.chef_a,
        title='=HYPERLINK("x") & <script>',
        starts_on=datetime.date(2026, 9, 1),
        due_on=datetime.date(2026, 10, 1),
    )
    plan.refresh_from_db()
    tree = etree.fromstring(plan_content(plan, today=TODAY)["timeline"]["svg"].encode())
    assert not list(tree.iter(f"{SVG}script"))
    # The title is the text itself once parsed: escaped, not markup.
    assert any('=HYPERLINK("x") & <script>' in (node.text or "") for node in tree.iter(f"{SVG}title"))
    response = export_rows(client_for("chef_a"), world, plan, "csv")
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig").replace('""', '"')


def test_the_plan_and_its_versions_link_to_their_documents(client_for, world, plan):
    """The plan's page and an adopted version's page offer their documents to every reader."""
    version = services.adopt_plan(
        plan, by=world.chef_a, body="board", adopted_on=datetime.date.today(), seen_revision=plan.revision
    )
    uai = world.school_a.uai
    home = client_for("member_a").get(reverse("plans:home", args=[uai])).content.decode()
    for name, args in (("plans:plan_pdf", []), ("plans:plan_odt", []), ("plans:actions_export", ["ods"])):
        assert reverse(name, args=[uai, plan.pk, *args]) in home
    page = client_for("correspondant_40").get(reverse("plans:version", args=[uai, plan.pk, version.number]))
    assert reverse("plans:version_pdf", args=[uai, plan.pk, version.number]) in page.content.decode()
