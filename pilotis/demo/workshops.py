"""The demo's workshops and trainings: four sessions this school year at the Landes collège, held,
with their attendance marked (members ticked, pupils and parents counted), one of them presenting
the catalogue of usage fiches; and a few sessions in other schools of the académie, run by their
RUPN, so that Pilotage's « Ateliers et formations » has figures. Everything goes through the
workshops' services, as the RUPN would."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership
from pilotis.core.school_years import current_school_year
from pilotis.workshops import services
from pilotis.workshops.models import Workshop
from pilotis.workshops.services import WorkshopInput

# Spread over the other schools: (theme, title, minutes, audiences, counted)
ELSEWHERE = [
    ("ent", "Prise en main de l'ENT", 90, ["teachers"], 0),
    ("pix", "Découvrir Pix en classe", 60, ["teachers", "pupils"], 24),
    ("tni", "Le TNI au quotidien", 120, ["teachers"], 0),
    ("ia", "L'IA générative en classe : repères", 120, ["teachers", "staff"], 0),
    ("rgpd", "Données personnelles : les bons réflexes", 60, ["teachers", "staff"], 0),
    ("cartoun", "Le catalogue CARTOUN des fiches d'usage", 45, ["teachers"], 0),
    ("emi", "Vérifier une information en ligne", 55, ["pupils"], 27),
    ("parentalite", "Soirée parents : l'ENT et les écrans", 90, ["parents"], 18),
]


def _past(day: datetime.date, today: datetime.date) -> datetime.date:
    """A day of this school year not after today (the demo is loaded any day of the year)."""
    return min(day, today)


def load_workshops(users, college, others, stdout) -> None:
    if Workshop.objects.filter(school=college).exists():
        return
    rupn, direction, teacher = users["rupn"], users["direction"], users["enseignant"]
    today = timezone.localdate()
    start = int(current_school_year()[:4])
    staff = [direction.pk, rupn.pk, teacher.pk]
    sessions = [
        (
            WorkshopInput(
                held_on=_past(datetime.date(start, 9, 17), today),
                starts_at=datetime.time(16, 30),
                place="Salle informatique",
                title="Prise en main du tableau numérique interactif",
                theme="tni",
                tools="TNI, logiciel OpenBoard",
                duration_minutes=90,
                audiences=["teachers"],
                materials="Tutoriel OpenBoard (PDF), diaporama de prise en main",
                participant_ids=staff[:1] + staff[2:],
            ),
            [teacher.pk],
            0,
        ),
        (
            WorkshopInput(
                held_on=_past(datetime.date(start, 10, 8), today),
                starts_at=datetime.time(17, 0),
                place="CDI",
                title="Présentation du catalogue CARTOUN des fiches d'usage",
                theme="cartoun",
                tools="CARTOUN, Pilotis",
                duration_minutes=60,
                audiences=["teachers", "staff"],
                participant_ids=staff[:1] + staff[2:],
            ),
            [direction.pk, teacher.pk],
            3,
        ),
        (
            WorkshopInput(
                held_on=_past(datetime.date(start, 11, 5), today),
                starts_at=datetime.time(10, 0),
                place="Salle 12",
                title="Pix : découvrir ses compétences numériques",
                theme="pix",
                tools="Pix",
                duration_minutes=55,
                audiences=["pupils"],
                participant_ids=[],
            ),
            [],
            28,
        ),
        (
            WorkshopInput(
                held_on=_past(datetime.date(start, 11, 26), today),
                starts_at=datetime.time(18, 0),
                place="Réfectoire",
                title="Soirée parents : l'ENT et le suivi de la scolarité",
                theme="parentalite",
                kind="presentation",
                tools="ENT, application mobile",
                duration_minutes=90,
                audiences=["parents"],
                participant_count=20,
                participant_ids=[direction.pk],
            ),
            [direction.pk],
            16,
        ),
    ]
    for data, present, counted in sessions:
        workshop = services.record_workshop(college, data, by=rupn)
        services.mark_attendance(workshop, by=rupn, present_ids=present, participant_count=counted)

    count = 0
    rupns = {
        m.school_id: m.user
        for m in SchoolMembership.objects.filter(school__in=others, role=SchoolRole.RUPN).select_related("user")
    }
    for index, school in enumerate(s for s in others if s.pk in rupns):
        if index >= 24:
            break
        for offset in range(1 + index % 3):
            theme, title, minutes, audiences, counted = ELSEWHERE[(index + offset * 3) % len(ELSEWHERE)]
            day = _past(datetime.date(start, 9, 20) + datetime.timedelta(days=9 * index + 17 * offset), today)
            author = rupns[school.pk]
            workshop = services.record_workshop(
                school,
                WorkshopInput(
                    held_on=day,
                    title=title,
                    theme=theme,
                    duration_minutes=minutes,
                    audiences=audiences,
                    participant_ids=[author.pk],
                ),
                by=author,
            )
            services.mark_attendance(workshop, by=author, present_ids=[author.pk], participant_count=counted)
            count += 1
    stdout.write(
        _("  Ateliers et formations : 4 séances au collège des Landes, %(n)d dans d'autres établissements")
        % {"n": count}
    )
