"""The demo's accompaniment log: the Landes correspondent's contacts with the demo collège (one shared
with the school, one kept within the territory team), and a few other schools' entries whose next
steps are due, so that the territory's follow-up has something to show. Through the service, as the
correspondents would write them."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accompaniment import services
from pilotis.accompaniment.models import AccompanimentEntry
from pilotis.plans.models import Action
from pilotis.territories.models import School

# (département code, author, days ago, kind, notes, next steps, next step in days from today)
OTHERS = [
    (
        "040",
        "correspondant40",
        30,
        "visit",
        "Présentation de SCHÉMATIC à l'équipe de direction.",
        "Relancer le principal pour le démarrage de l'autodiagnostic.",
        -5,
    ),
    (
        "040",
        "correspondant40",
        12,
        "call",
        "Le RUPN a des questions sur la lettre de mission.",
        "Envoyer un modèle de lettre de mission.",
        2,
    ),
    (
        "040",
        "dane",
        45,
        "training",
        "Formation des RUPN du bassin de Dax : l'ENT et le réseau.",
        "Proposer la seconde session de formation.",
        6,
    ),
    (
        "064",
        "correspondant64",
        20,
        "visio",
        "Point sur l'équipement des salles de sciences.",
        "Transmettre la demande à la collectivité.",
        -1,
    ),
    (
        "064",
        "correspondant64",
        8,
        "message",
        "Le lycée signale des difficultés de réseau Wi-Fi.",
        "Visite technique avec le référent de la Région.",
        4,
    ),
]


def load_accompaniment(users, college, lycee, stdout) -> None:
    if AccompanimentEntry.objects.filter(school=college).exists():
        return
    today = timezone.localdate()
    ago = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    actions = list(Action.objects.filter(school=college).order_by("position", "pk")[:2])
    services.record_entry(
        college,
        by=users["correspondant40"],
        happened_on=ago(21),
        kind="visit",
        participants="Claire Dubosc (principale), Julien Larrieu (RUPN)",
        notes=(
            "Visite de l'établissement : présentation du tableau synthétique de l'an dernier.\n"
            "Le domaine « Infrastructure réseau » reste le point faible ; l'équipe souhaite avancer sur "
            "la formation des enseignants à l'ENT."
        ),
        next_steps="Réunion de la commission numérique avec le correspondant pour arrêter les priorités.",
        next_step_on=today + datetime.timedelta(days=12),
        shared_with_school=True,
        actions=actions,
    )
    services.record_entry(
        college,
        by=users["correspondant40"],
        happened_on=ago(3),
        kind="call",
        participants="Julien Larrieu (RUPN)",
        notes="Le RUPN manque de temps dégagé cette année ; à évoquer avec la DANE avant la prochaine visite.",
        next_steps="Faire le point avec la DANE sur les moyens du RUPN.",
        next_step_on=today + datetime.timedelta(days=3),
        shared_with_school=False,
    )
    count = 2
    used = {college.pk, lycee.pk}
    for code, author, days_ago, kind, notes, next_steps, next_in in OTHERS:
        school = School.objects.filter(department__code=code, is_open=True).exclude(pk__in=used).order_by("uai").first()
        if school is None:
            continue
        used.add(school.pk)
        services.record_entry(
            school,
            by=users[author],
            happened_on=ago(days_ago),
            kind=kind,
            notes=notes,
            next_steps=next_steps,
            next_step_on=max(today + datetime.timedelta(days=next_in), ago(days_ago)),
        )
        count += 1
    stdout.write(_("  Suivi de l'accompagnement : %(count)d échanges notés") % {"count": count})
