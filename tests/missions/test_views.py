"""The mission's pages: who sees the IMP, who sees a draft, forms that refuse bad input and lose nothing."""

import re

import pytest
from django.urls import reverse

from pilotis.missions import services
from pilotis.missions.enums import LetterState
from pilotis.missions.models import CatalogueEntry, Designation, MissionLetter
from tests.missions.conftest import YEAR

AMOUNT_FORMS = ("1 250,00", "1\u202f250,00", "1\xa0250,00", "1250,00", "1250.00", "1,250.00")


def shows_amount(html: str) -> bool:
    return any(form in html for form in AMOUNT_FORMS)


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("chef_a", True),
        ("adjoint_a", True),
        ("rupn_a", True),
        ("dane", True),
        ("member_a", False),
        ("correspondant_40", False),
    ],
)
def test_the_imp_is_shown_only_to_the_direction_the_rupn_and_the_dane(client_for, world, signed, persona, visible):
    client = client_for(persona)
    for url in (
        reverse("missions:school", args=[world.school_a.uai]),
        reverse("missions:letter", args=[world.school_a.uai, signed.pk]),
    ):
        html = client.get(url).content.decode()
        assert world.rupn_a.get_full_name() in html or str(world.rupn_a) in html
        assert shows_amount(html) is visible, (persona, url)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("chef_a", 200), ("rupn_a", 200), ("member_a", 404), ("correspondant_40", 404), ("dane", 404)],
)
def test_a_draft_is_only_the_direction_and_the_rupns(client_for, world, draft, persona, status):
    response = client_for(persona).get(reverse("missions:letter", args=[world.school_a.uai, draft.pk]))
    assert response.status_code == status


def test_designate_through_the_form(client_for, world):
    from pilotis.accounts.models import SchoolMembership

    membership = SchoolMembership.objects.get(user=world.member_a)
    response = client_for("chef_a").post(
        reverse("missions:designate", args=[world.school_a.uai]),
        {"member": membership.pk, "school_year": YEAR, "imp_amount": "625.00"},
    )
    assert response.status_code == 302
    designation = Designation.objects.get(user=world.member_a)
    assert designation.school_year == YEAR and str(designation.imp_amount) == "625.00"
    assert designation.starts_on.month == 9 and designation.ends_on.month == 8


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"school_year": YEAR, "imp_amount": "625.00"}, "Choisissez un membre"),
        ({"email": "x@example.org", "school_year": YEAR, "imp_amount": "700.00"}, "Sélectionnez un choix valide"),
        ({"email": "x@example.org", "school_year": "1999-2000", "imp_amount": "625.00"}, "Sélectionnez un choix"),
        (
            {"email": "x@example.org", "school_year": YEAR, "imp_amount": "625.00", "starts_on": "2001-01-01"},
            "La période doit tenir dans l&#x27;année scolaire",
        ),
    ],
)
def test_bad_designations_say_why_in_french_and_write_nothing(client_for, world, data, message):
    response = client_for("chef_a").post(reverse("missions:designate", args=[world.school_a.uai]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Designation.objects.exists()


def test_extra_fields_cannot_set_the_state_or_the_signatory(client_for, world, draft):
    entry = CatalogueEntry.objects.filter(academy__isnull=True).first()
    client_for("chef_a").post(
        reverse("missions:letter_edit", args=[world.school_a.uai, draft.pk]),
        {
            "seen_revision": draft.revision,
            f"mission_{entry.pk}": "principale",
            "state": "signee",
            "signed_by": world.chef_a.pk,
            "imp_amount": "3750.00",
            "school": world.school_b.pk,
        },
    )
    letter = MissionLetter.objects.get(pk=draft.pk)
    assert letter.state == LetterState.DRAFT and letter.signed_by is None
    assert str(letter.imp_amount) == "1250.00" and letter.school == world.school_a


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client_for, world, draft):
    url = reverse("missions:letter_edit", args=[world.school_a.uai, draft.pk])
    services.update_letter(
        draft,
        fields={"free_text": "Écrit ailleurs"},
        missions=[],
        indicators=[],
        seen_revision=draft.revision,
        by=world.adjoint_a,
    )
    response = client_for("chef_a").post(url, {"seen_revision": draft.revision, "free_text": "Mon texte à garder"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "modifiée depuis" in html and "Mon texte à garder" in html
    assert MissionLetter.objects.get(pk=draft.pk).free_text == "Écrit ailleurs"


def test_an_indicator_out_of_range_is_said_and_keeps_what_was_typed(client_for, world, draft):
    """The indicators are drawn by hand on the page: their error must be said all the same."""
    url = reverse("missions:letter_edit", args=[world.school_a.uai, draft.pk])
    response = client_for("chef_a").post(
        url,
        {"seen_revision": draft.revision, "free_text": "Mon texte à garder", "indicators": "99999999999999999999999"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "La lettre n’a pas été enregistrée" in html
    assert "Indicateurs SCHÉMATIC suivis : " in html
    assert "Mon texte à garder" in html
    assert MissionLetter.objects.get(pk=draft.pk).free_text != "Mon texte à garder"


def test_the_rupn_accepts_from_the_page(client_for, world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    client = client_for("rupn_a")
    page = client.get(reverse("missions:letter", args=[world.school_a.uai, letter.pk])).content.decode()
    assert "Accepter la lettre de mission" in page and "Signer la lettre" not in page
    response = client.post(
        reverse("missions:letter_accept", args=[world.school_a.uai, letter.pk]), {"seen_revision": letter.revision}
    )
    assert response.status_code == 302
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.ACCEPTED


def test_a_rupn_posting_sign_is_refused(client_for, world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    letter = services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    response = client_for("rupn_a").post(
        reverse("missions:letter_sign", args=[world.school_a.uai, letter.pk]), {"seen_revision": letter.revision}
    )
    assert response.status_code == 403
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.ACCEPTED


def test_a_signed_letter_has_no_edit_page(client_for, world, signed):
    client = client_for("chef_a")
    response = client.get(reverse("missions:letter_edit", args=[world.school_a.uai, signed.pk]), follow=True)
    assert "plus modifiable" in response.content.decode()
    response = client.post(
        reverse("missions:letter_edit", args=[world.school_a.uai, signed.pk]),
        {"seen_revision": signed.revision, "free_text": "changé"},
    )
    assert MissionLetter.objects.get(pk=signed.pk).free_text == ""


def test_the_dane_extends_the_catalogue_and_a_chef_cannot(client_for, world):
    data = {"heading": "animation", "function": "accompagnement", "text": "Animer un atelier Pix"}
    assert client_for("chef_a").post(reverse("catalogue:list"), data).status_code == 403
    assert client_for("dane").post(reverse("catalogue:list"), data).status_code == 302
    entry = CatalogueEntry.objects.get(text="Animer un atelier Pix")
    assert entry.academy == world.bordeaux
    # A school of the académie is offered it; one of another académie is not.
    assert CatalogueEntry.objects.for_academy(world.bordeaux.pk).filter(pk=entry.pk).exists()
    assert not CatalogueEntry.objects.for_academy(world.rennes.pk).filter(pk=entry.pk).exists()
    page = client_for("chef_c").get(reverse("catalogue:list")).content.decode()
    assert "Animer un atelier Pix" not in page


def test_the_letter_form_lists_the_catalogue_and_saves_priorities(client_for, world, draft, campaign):
    url = reverse("missions:letter_edit", args=[world.school_a.uai, draft.pk])
    client = client_for("chef_a")
    page = client.get(url).content.decode()
    entries = list(CatalogueEntry.objects.filter(academy__isnull=True))
    assert all(entry.text.replace("'", "&#x27;") in page for entry in entries)
    indicator = campaign.referential.indicators.get(code="PIL.1.01")
    response = client.post(
        url,
        {
            "seen_revision": draft.revision,
            f"mission_{entries[0].pk}": "secondaire",
            f"mission_{entries[1].pk}": "principale",
            "indicators": [indicator.pk],
            "means_time": "2 h",
            "digital_commission": "on",
        },
    )
    assert response.status_code == 302
    letter = MissionLetter.objects.get(pk=draft.pk)
    assert sorted(letter.missions.values_list("text", "priority")) == sorted(
        [(entries[0].text, "secondaire"), (entries[1].text, "principale")]
    )
    assert list(letter.indicators.all()) == [indicator]
    assert letter.digital_commission and not letter.pedagogical_council


def test_the_administrator_chooses_the_academy_of_a_new_mission(client_for, world):
    data = {"heading": "communication", "function": "conseil", "text": "Mission rennaise"}
    client = client_for("admin")
    assert client.post(reverse("catalogue:list"), data).status_code == 400  # which académie?
    assert client.post(reverse("catalogue:list"), {**data, "academy": world.rennes.pk}).status_code == 302
    assert CatalogueEntry.objects.get(text="Mission rennaise").academy == world.rennes


def test_sending_back_without_a_comment_says_so_in_the_form(client_for, world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    response = client_for("rupn_a").post(
        reverse("missions:letter_send_back", args=[world.school_a.uai, letter.pk]),
        {"seen_revision": letter.revision, "comment": "   "},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "fr-input-group--error" in html and "La demande est incomplète" not in html
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.PROPOSED


def test_only_a_running_designation_offers_to_end_it(client_for, world, designation):
    from pilotis.missions.services import school_year_bounds
    from tests.missions.conftest import NEXT_YEAR

    client = client_for("chef_a")
    url = reverse("missions:designation_change", args=[world.school_a.uai, designation.pk])
    assert "Mettre fin à la désignation" in client.get(url).content.decode()
    first, last = school_year_bounds(NEXT_YEAR)
    later = services.designate(
        world.school_a,
        user=world.rupn_a,
        school_year=NEXT_YEAR,
        starts_on=first,
        ends_on=last,
        imp_amount=designation.imp_amount,
        by=world.chef_a,
    )
    url = reverse("missions:designation_change", args=[world.school_a.uai, later.pk])
    assert "Mettre fin à la désignation" not in client.get(url).content.decode()


def test_inviting_a_rupn_by_email_through_the_form(client_for, world, mailoutbox, django_capture_on_commit_callbacks):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from pilotis.accounts.enums import SchoolRole
    from pilotis.accounts.models import SchoolMembership, User

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("chef_a").post(
            reverse("missions:designate", args=[world.school_a.uai]),
            {
                "email": "Nora.Nouvelle@example.org",
                "first_name": "Nora",
                "last_name": "Nouvelle",
                "school_year": YEAR,
                "imp_amount": "1250.00",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nora.nouvelle@example.org")
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Nora", "Nouvelle", False)
    assert SchoolMembership.objects.get(user=user, school=world.school_a).role == SchoolRole.RUPN
    designation = Designation.objects.get(user=user)
    assert (designation.school, designation.school_year, designation.user_label) == (
        world.school_a,
        YEAR,
        "Nora Nouvelle",
    )
    (mail,) = mailoutbox
    assert mail.to == ["nora.nouvelle@example.org"] and world.school_a.name in mail.subject
    # A new account: the e-mail gives the link to choose a password, not "sign in as usual".
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    assert "choisir votre mot de passe" in mail.body and "compte habituel" not in mail.body
    assert reverse("accounts:password_reset_confirm", args=[uid, "token"]).removesuffix("token/") in mail.body


def test_the_school_page_keeps_its_rupn_across_school_years(client_for, world, signed):
    from tests.missions.conftest import NEXT_YEAR

    previous = f"{int(YEAR[:4]) - 1}-{int(YEAR[:4])}"
    designations = {}
    for year, user in ((previous, world.member_a), (NEXT_YEAR, world.rupn_a)):
        first, last = services.school_year_bounds(year)
        designations[year] = services.designate(
            world.school_a,
            user=user,
            school_year=year,
            starts_on=first,
            ends_on=last,
            imp_amount=services.imp_rates()[0],
            by=world.chef_a,
        )
    former = designations[previous]
    for persona in ("chef_a", "member_a", "correspondant_40"):
        response = client_for(persona).get(reverse("missions:school", args=[world.school_a.uai]))
        html = response.content.decode()
        years = [year for year, _designations in response.context["years"]]
        assert years == [NEXT_YEAR, YEAR, previous], persona
        positions = [html.index(f'id="annee-{year}"') for year in years]
        assert positions == sorted(positions)
        section = html[positions[2] :]
        assert former.user_label in section and f"du 1er septembre {former.starts_on.year}" in section
        this_year = html[positions[1] : positions[2]]
        assert str(world.rupn_a) in this_year and "Signée" in this_year


def test_the_rupn_is_told_why_an_accepted_letter_is_a_draft_again(client_for, world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    letter = services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    designation = letter.designation
    services.change_designation(
        designation,
        starts_on=designation.starts_on,
        ends_on=designation.ends_on,
        imp_amount=services.imp_rates()[-1],
        by=world.chef_a,
    )
    url = reverse("missions:letter", args=[world.school_a.uai, letter.pk])
    for persona in ("rupn_a", "chef_a"):
        html = client_for(persona).get(url).content.decode()
        assert "renvoyée en brouillon : l’IMP ou la période a changé" in html, persona
        assert "Signer la lettre" not in html and "Accepter la lettre de mission" not in html
    letter = MissionLetter.objects.get(pk=letter.pk)
    services.propose_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    assert "renvoyée en brouillon" not in client_for("rupn_a").get(url).content.decode()


def test_the_letter_page_shows_its_own_period_and_an_early_end(client_for, world, signed):
    import datetime

    from django.utils.formats import date_format

    services.end_designation(signed.designation, on=datetime.date.today(), by=world.chef_a)
    html = client_for("member_a").get(reverse("missions:letter", args=[world.school_a.uai, signed.pk])).content
    html = html.decode()
    first, last = services.school_year_bounds(YEAR)
    # The web page writes the period as the PDF does (missions.formats): « du 1er septembre ».
    assert f"du 1er {date_format(first, 'F Y')} au {date_format(last, 'j F Y')}" in html
    assert f"désignation terminée le {datetime.date.today():%d/%m/%Y}" in html


def test_a_letter_of_an_ended_designation_offers_no_move(client_for, world, draft):
    import datetime

    services.end_designation(draft.designation, on=datetime.date.today(), by=world.chef_a)
    html = client_for("chef_a").get(reverse("missions:letter", args=[world.school_a.uai, draft.pk])).content.decode()
    assert "Proposer au RUPN" not in html
    assert "ne peut plus être proposée, acceptée ni signée" in html
    response = client_for("chef_a").post(
        reverse("missions:letter_propose", args=[world.school_a.uai, draft.pk]),
        {"seen_revision": draft.revision},
        follow=True,
    )
    assert "a pris fin le" in response.content.decode()
    assert MissionLetter.objects.get(pk=draft.pk).state == LetterState.DRAFT


def heading_order(html: str) -> list[str]:
    """The headings' labels in the order they first appear in the page."""
    from django.utils.html import escape

    from pilotis.missions.enums import MissionHeading

    found = [(html.find(escape(str(heading.label))), str(heading.label)) for heading in MissionHeading]
    assert all(position >= 0 for position, _label in found)
    return [label for _position, label in sorted(found)]


def test_the_letter_page_and_the_catalogue_follow_the_seeds_order_of_headings(client_for, world, draft):
    from pilotis.missions.enums import MissionHeading

    seed = [str(heading.label) for heading in MissionHeading]
    assert sorted(MissionHeading.values) != list(MissionHeading.values)  # the codes' order would differ
    # Chosen last heading first: the page must not merely follow the order of choice.
    entries = [
        CatalogueEntry.objects.filter(academy__isnull=True, heading=h).last() for h in list(MissionHeading)[::-1]
    ]
    letter = services.update_letter(
        draft,
        fields={},
        missions=[(entry, "principale") for entry in entries],
        indicators=[],
        seen_revision=draft.revision,
        by=world.chef_a,
    )
    client = client_for("chef_a")
    page = client.get(reverse("missions:letter", args=[world.school_a.uai, letter.pk])).content.decode()
    assert heading_order(page.split('<h2 id="missions">Missions</h2>', 1)[1]) == seed
    catalogue = client.get(reverse("catalogue:list")).content.decode()
    assert heading_order(catalogue.split("<tbody>", 1)[1]) == seed
    rows = [entry.heading for entry in CatalogueEntry.objects.all()]
    assert rows == sorted(rows, key=list(MissionHeading.values).index)


def test_the_designation_form_names_people_and_lets_the_imp_be_chosen_not_preset(client_for, world):
    html = client_for("chef_a").get(reverse("missions:designate", args=[world.school_a.uai])).content.decode()
    select = html.split('name="member"', 1)[1].split("</select>", 1)[0]
    first_option = select.split("<option", 2)[1]
    assert 'value=""' in first_option and "Choisir un membre de l&#x27;équipe" in first_option
    assert f"{world.rupn_a.get_full_name()} — RUPN<" in select and "(RUPN" not in select
    assert "Inviter" not in select  # the invitation is its own choice, beside the list
    assert 'value="inviter"' in html
    imp_inputs = re.findall(r'<input[^>]*name="imp_amount"[^>]*>', html)
    assert len(imp_inputs) == len(services.imp_rates()) and not any("checked" in tag for tag in imp_inputs)
    assert "1 250,00 € — taux de référence" in html.replace("\xa0", " ").replace("\u202f", " ")


def test_a_designation_without_a_chosen_imp_is_refused(client_for, world):
    from pilotis.accounts.models import SchoolMembership

    membership = SchoolMembership.objects.get(user=world.member_a)
    response = client_for("chef_a").post(
        reverse("missions:designate", args=[world.school_a.uai]),
        {"who": "membre", "member": membership.pk, "school_year": YEAR},
    )
    assert response.status_code == 400
    assert "Choisissez le taux annuel de l&#x27;IMP" in response.content.decode()
    assert not Designation.objects.exists()


def test_inviting_someone_ignores_a_member_left_selected(client_for, world, mailoutbox):
    from pilotis.accounts.models import SchoolMembership

    membership = SchoolMembership.objects.get(user=world.member_a)
    data = {"who": "inviter", "member": membership.pk, "email": "nouvelle@example.org", "school_year": YEAR}
    response = client_for("chef_a").post(
        reverse("missions:designate", args=[world.school_a.uai]), {**data, "imp_amount": "625.00"}
    )
    assert response.status_code == 302
    assert Designation.objects.get().user.email == "nouvelle@example.org"


@pytest.mark.parametrize(
    ("who", "message"),
    [("membre", "Choisissez un membre de l&#x27;équipe dans la liste"), ("inviter", "Donnez l&#x27;adresse")],
)
def test_the_chosen_way_needs_its_field(client_for, world, who, message):
    response = client_for("chef_a").post(
        reverse("missions:designate", args=[world.school_a.uai]),
        {"who": who, "school_year": YEAR, "imp_amount": "625.00"},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Designation.objects.exists()
