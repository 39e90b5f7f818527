"""Validating asks first and says what is missing; « Prêt à valider » tells the direction; every
sentence of the Accueil tab and of the school's panel is written for who reads it."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Assessment
from pilotis.core import personal_data
from pilotis.core.models import AuditEvent
from pilotis.referential.models import Indicator

pytestmark = pytest.mark.django_db

YEAR = "2026-2027"


def url(name, world, *extra):
    return reverse(f"assessments:{name}", args=[world.school_a.uai, YEAR, *extra])


def answer(campaign, world, codes, by=None, status=AnswerStatus.DONE):
    for code in codes:
        indicator = Indicator.objects.get(version=campaign.referential, code=code)
        services.save_answer(campaign, world.school_a, indicator, status=status, comment="", by=by or world.rupn_a)
    return Assessment.objects.get(campaign=campaign, school=world.school_a)


def answer_all_but(campaign, world, missing=()):
    for indicator in Indicator.objects.filter(version=campaign.referential).exclude(code__in=missing):
        services.save_answer(campaign, world.school_a, indicator, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    return Assessment.objects.get(campaign=campaign, school=world.school_a)


def shown_revision(page: str) -> str:
    return re.search(r'name="seen_revision" value="(\d+)"', page).group(1)


def text(response) -> str:
    """The page's text, apostrophes made typographic (Python's strings use the straight one)."""
    return html.unescape(response.content.decode()).replace("'", "’")


# --- The confirmation page ------------------------------------------------------------------------


def test_validating_first_shows_what_it_does_and_what_is_unanswered(client_for, world, campaign):
    answer_all_but(campaign, world, missing=["PIL.1.02", "FOR.2.01"])
    response = client_for("chef_a").get(url("validate", world))
    assert response.status_code == 200
    page = text(response)
    assert "Les réponses seront figées" in page
    assert "compteront l’établissement parmi les autodiagnostics validés" in page
    assert "Vous pourrez le rouvrir" in page
    assert "2 indicateurs sont sans réponse" in page
    # Each unanswered indicator links to its place on its domain's page.
    assert f'href="{url("domain", world, "PIL")}#i-PIL.1.02"' in page
    assert f'href="{url("domain", world, "FOR")}#i-FOR.2.01"' in page
    assert "PIL.1.01" not in page
    assert "Tous les indicateurs sont renseignés" not in page
    # Asking validates nothing.
    assert Assessment.objects.get().state == "draft"


def test_with_everything_answered_the_page_says_so(client_for, world, campaign):
    answer_all_but(campaign, world)
    page = text(client_for("adjoint_a").get(url("validate", world)))
    assert "Tous les indicateurs sont renseignés." in page
    assert "sans réponse" not in page


def test_confirming_validates_the_state_shown(client_for, world, campaign):
    answer(campaign, world, ["PIL.1.01"])
    client = client_for("chef_a")
    revision = shown_revision(text(client.get(url("validate", world))))
    response = client.post(url("validate", world), {"seen_revision": revision})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.state, assessment.validated_by) == ("validated", world.chef_a)


def test_a_confirmation_shown_before_an_answer_changed_is_shown_again(client_for, world, campaign):
    answer(campaign, world, ["PIL.1.01"])
    client = client_for("chef_a")
    revision = shown_revision(text(client.get(url("validate", world))))
    # Meanwhile the RUPN answers another indicator.
    answer(campaign, world, ["PIL.1.02"])
    response = client.post(url("validate", world), {"seen_revision": revision})
    assert response.status_code == 409
    page = text(response)
    assert "Des réponses ont changé depuis l’affichage de cette page" in page
    # The page shown again lists what is missing now, with the new revision to confirm.
    assert "#i-PIL.1.02" not in page
    assert shown_revision(page) != revision
    assert Assessment.objects.get().state == "draft"
    assert not AuditEvent.objects.filter(action="assessment_validated").exists()
    # Confirmed on what it now shows, it validates.
    assert client.post(url("validate", world), {"seen_revision": shown_revision(page)}).status_code == 302
    assert Assessment.objects.get().state == "validated"


def test_a_changed_comment_alone_makes_the_confirmation_stale(client_for, world, campaign):
    assessment = answer(campaign, world, ["PIL.1.01"])
    seen = services.answers_revision(assessment)
    indicator = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="Voté", by=world.rupn_a)
    with pytest.raises(services.StaleConfirmation):
        services.validate_assessment(assessment, by=world.chef_a, seen_revision=seen)
    assert Assessment.objects.get().state == "draft"


@pytest.mark.parametrize("data", [{}, {"seen_revision": "abc"}])
def test_a_post_without_the_shown_revision_validates_nothing(client_for, world, campaign, data):
    answer(campaign, world, ["PIL.1.01"])
    response = client_for("chef_a").post(url("validate", world), data)
    assert response.status_code == 400
    assert "rien n’a été validé" in text(response)
    assert Assessment.objects.get().state == "draft"


def test_a_validated_assessment_offers_no_confirmation(client_for, world, campaign):
    services.validate_assessment(answer(campaign, world, ["PIL.1.01"]), by=world.chef_a)
    page = text(client_for("adjoint_a").get(url("validate", world)))
    assert "déjà validé" in page
    assert 'name="seen_revision"' not in page


@pytest.mark.parametrize(
    ("persona", "status"), [("rupn_a", 403), ("member_a", 403), ("correspondant_40", 403), ("rupn_b", 404)]
)
def test_only_the_direction_reaches_the_confirmation(client_for, world, campaign, persona, status):
    answer(campaign, world, ["PIL.1.01"])
    assert client_for(persona).get(url("validate", world)).status_code == status


# --- The Accueil tab: what is unanswered ----------------------------------------------------------


def test_home_lists_the_unanswered_indicators_domain_by_domain(client_for, world, campaign):
    answer_all_but(campaign, world, missing=["PIL.1.02", "PIL.2.01", "FOR.2.01"])
    page = text(client_for("rupn_a").get(url("home", world)))
    assert "Indicateurs sans réponse" in page
    assert "2 indicateurs sans réponse" in page and "1 indicateur sans réponse" in page
    for domain, code in [("PIL", "PIL.1.02"), ("PIL", "PIL.2.01"), ("FOR", "FOR.2.01")]:
        assert f'href="{url("domain", world, domain)}#i-{code}"' in page
    assert "#i-PIL.1.01" not in page
    # In the referential's order: Pilotage before Formation.
    assert page.index("#i-PIL.2.01") < page.index("#i-FOR.2.01")


def test_home_says_when_everything_is_answered(client_for, world, campaign):
    answer_all_but(campaign, world)
    page = text(client_for("member_a").get(url("home", world)))
    assert "Tous les indicateurs sont renseignés." in page


def test_the_direction_gets_a_link_to_the_confirmation_not_a_form(client_for, world, campaign):
    answer(campaign, world, ["PIL.1.01"])
    page = text(client_for("chef_a").get(url("home", world)))
    assert f'<a class="fr-btn" href="{url("validate", world)}">' in page
    assert f'action="{url("validate", world)}"' not in page


# --- « Prêt à valider » ---------------------------------------------------------------------------


def test_the_rupn_is_asked_before_telling_the_direction(client_for, world, campaign):
    answer(campaign, world, ["PIL.1.01"])
    client = client_for("rupn_a")
    assert url("ready", world) in text(client.get(url("home", world)))
    page = text(client.get(url("ready", world)))
    assert "La direction recevra un courriel (2 destinataires)" in page
    assert "indicateurs sont encore sans réponse" in page
    assert Assessment.objects.get().ready_at is None
    assert len(mail.outbox) == 0


def test_telling_the_direction_records_mails_and_journals(
    client_for, world, campaign, django_capture_on_commit_callbacks
):
    answer(campaign, world, ["PIL.1.01"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("rupn_a").post(url("ready", world))
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.ready_by, assessment.ready_by_label) == (world.rupn_a, world.rupn_a.get_full_name())
    assert assessment.ready_at is not None
    [message] = mail.outbox
    assert sorted(message.to) == sorted([world.chef_a.email, world.adjoint_a.email])
    assert "prêt à valider" in message.subject
    assert world.rupn_a.get_full_name() in message.body and world.school_a.name in message.body
    assert url("home", world) in message.body
    event = AuditEvent.objects.get(action="assessment_ready")
    assert (event.actor, event.object_id) == (world.rupn_a, str(assessment.pk))


def test_no_mail_leaves_before_the_transaction_commits(client_for, world, campaign, django_capture_on_commit_callbacks):
    answer(campaign, world, ["PIL.1.01"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for("rupn_a").post(url("ready", world))
    assert len(mail.outbox) == 0 and len(callbacks) == 1


def test_a_direction_without_an_address_gets_no_mail_but_sees_the_signal(
    client_for, world, campaign, django_capture_on_commit_callbacks
):
    type(world.chef_a).objects.filter(pk__in=[world.chef_a.pk, world.adjoint_a.pk]).update(email="")
    answer(campaign, world, ["PIL.1.01"])
    assert "Aucun membre de la direction n’a d’adresse" in text(client_for("rupn_a").get(url("ready", world)))
    with django_capture_on_commit_callbacks(execute=True):
        client_for("rupn_a").post(url("ready", world))
    assert len(mail.outbox) == 0
    assert "Prêt à valider, signalé par" in text(client_for("chef_a").get(url("home", world)))


@pytest.mark.parametrize(("persona", "status"), [("chef_a", 403), ("member_a", 403), ("dane", 403), ("rupn_b", 404)])
def test_only_who_fills_without_validating_tells_the_direction(client_for, world, campaign, persona, status):
    answer(campaign, world, ["PIL.1.01"])
    assert client_for(persona).post(url("ready", world)).status_code == status
    assert Assessment.objects.get().ready_at is None


def test_a_validated_assessment_cannot_be_signalled(client_for, world, campaign):
    services.validate_assessment(answer(campaign, world, ["PIL.1.01"]), by=world.chef_a)
    client = client_for("rupn_a")
    assert "Signaler à la direction</button>" not in text(client.get(url("ready", world)))
    response = client.post(url("ready", world), follow=True)
    assert "validé entre-temps" in text(response)
    assert Assessment.objects.get().ready_at is None


def test_the_direction_sees_the_signal_then_a_change_then_validating_clears_it(client_for, world, campaign):
    assessment = answer(campaign, world, ["PIL.1.01"])
    services.signal_ready(assessment, by=world.rupn_a)
    who = world.rupn_a.get_full_name()
    school_page = reverse("territories:school_detail", args=[world.school_a.uai])
    for page in (text(client_for("chef_a").get(school_page)), text(client_for("chef_a").get(url("home", world)))):
        assert f"Prêt à valider, signalé par {who} le" in page
        assert "Modifié depuis" not in page
    # A later answer keeps the signal, and says it changed since.
    answer(campaign, world, ["PIL.1.02"])
    assert "Modifié depuis" in text(client_for("chef_a").get(school_page))
    home = text(client_for("chef_a").get(url("home", world)))
    assert f"Prêt à valider, signalé par {who}" in home
    assert "relisez-les avant de valider" in home
    assert Assessment.objects.get().ready_by == world.rupn_a
    # Validating answers it.
    services.validate_assessment(Assessment.objects.get(), by=world.chef_a)
    assessment = Assessment.objects.get()
    assert (assessment.ready_by, assessment.ready_by_label, assessment.ready_at) == (None, "", None)
    assert "Prêt à valider, signalé" not in text(client_for("chef_a").get(school_page))
    validated = AuditEvent.objects.get(action="assessment_validated")
    assert validated.before["ready_by"] == who


def test_the_person_data_holds_the_signal_and_the_anonymiser_forgets_the_name(world, campaign):
    assessment = answer(campaign, world, ["PIL.1.01"])
    services.signal_ready(assessment, by=world.rupn_a)
    sections = personal_data.gather(world.rupn_a)["sections"]
    [rows] = [s["lignes"] for s in sections if "signalés prêts à valider" in s["titre"]]
    assert rows == [
        {
            "établissement": world.school_a.name,
            "année scolaire": YEAR,
            "signalé prêt à valider le": personal_data.when(Assessment.objects.get().ready_at),
        }
    ]
    personal_data.anonymise(world.rupn_a)
    assert Assessment.objects.get().ready_by_label == str(personal_data.ANONYMOUS_LABEL)


# --- Words for who reads them ---------------------------------------------------------------------

HOME_SENTENCES = {
    "chef_a": "validez l’autodiagnostic : ses réponses seront figées",
    "rupn_a": "signalez à la direction que l’autodiagnostic est prêt à valider",
    "member_a": "Vous pouvez consulter l’autodiagnostic : l’équipe de direction et le RUPN le renseignent",
    "correspondant_40": "Vous consultez l’autodiagnostic de l’établissement : son équipe le renseigne",
}
PANEL_SENTENCES = {
    "chef_a": "1 indicateur reste sans réponse : faites-le renseigner, puis validez l’autodiagnostic.",
    "rupn_a": "Renseignez les indicateurs restants, puis signalez à la direction",
    "member_a": "L’équipe renseigne les indicateurs ; la direction validera ensuite.",
    "correspondant_40": "L’établissement renseigne son autodiagnostic ; sa direction le validera.",
}


@pytest.mark.parametrize("persona", list(HOME_SENTENCES))
def test_each_reader_gets_the_sentences_written_for_them(client_for, world, campaign, persona):
    answer_all_but(campaign, world, missing=["FOR.2.01"])
    home = text(client_for(persona).get(url("home", world)))
    panel = text(client_for(persona).get(reverse("territories:school_detail", args=[world.school_a.uai])))
    assert HOME_SENTENCES[persona] in home
    assert PANEL_SENTENCES[persona] in panel
    for other, sentence in HOME_SENTENCES.items():
        if other != persona:
            assert sentence not in home, other
    for other, sentence in PANEL_SENTENCES.items():
        if other != persona:
            assert sentence not in panel, other
    # Only the direction is told it validates; nobody is told the direction will « validate
    # later » when they are the direction.
    assert ("validez" in panel) == (persona == "chef_a")
    if persona == "chef_a":
        assert "la direction validera" not in home + panel


@pytest.mark.parametrize(
    ("persona", "sentence"),
    [
        ("chef_a", "Pour corriger une réponse, rouvrez l’autodiagnostic"),
        ("rupn_a", "demandez à la direction de rouvrir l’autodiagnostic"),
        ("member_a", "c’est l’autodiagnostic de l’établissement pour l’année"),
        ("correspondant_40", "comptent parmi les autodiagnostics validés du territoire"),
    ],
)
def test_a_validated_assessment_is_explained_to_each_reader(client_for, world, campaign, persona, sentence):
    services.validate_assessment(answer(campaign, world, ["PIL.1.01"]), by=world.chef_a)
    page = text(client_for(persona).get(url("home", world)))
    assert sentence in page
    assert ("Rouvrir l’autodiagnostic" in page) == (persona == "chef_a")
