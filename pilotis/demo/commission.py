"""The demo's commission numérique: the Landes collège's members (the demo accounts, and people
without one), two meetings last school year with validated minutes (one with parents and pupils),
and one planned this year whose agenda opens with « Suivi du plan ». Everything goes through the
commission's services, as the RUPN and the direction would."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.commission import services
from pilotis.commission.models import CommissionMember, Decision, Meeting
from pilotis.core.school_years import current_school_year
from pilotis.plans.models import Action, Plan

# name, group, e-mail: the members without an account
OTHERS = [
    ("Hélène Darrigade", "parents", "h.darrigade@parents.example.org"),
    ("Lucas Bergès (3e B)", "pupils", ""),
    ("Inès Lalanne (4e A)", "pupils", ""),
    ("Pierre Duprat", "collectivity", "p.duprat@landes.example.org"),
    ("Anne Castaing", "dane", "anne.castaing@dane.example.org"),
]


def _at(day: datetime.date, hour=17, minute=30):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def load_commission(users, college, stdout) -> None:
    if CommissionMember.objects.filter(school=college).exists():
        return
    direction, rupn = users["direction"], users["rupn"]
    start = int(current_school_year()[:4]) - 1  # last school year
    since = datetime.date(start, 9, 1)
    members = {
        "direction": services.add_member(college, by=direction, user=direction, group="direction", from_date=since),
        "rupn": services.add_member(college, by=direction, user=rupn, group="rupn", from_date=since),
        "enseignant": services.add_member(
            college, by=rupn, user=users["enseignant"], group="teachers", from_date=since
        ),
    }
    for name, group, email in OTHERS:
        members[name] = services.add_member(college, by=rupn, name=name, email=email, group=group, from_date=since)
    # A pupil of 3e last year has left the collège: her membership ended with the school year.
    services.add_member(
        college,
        by=rupn,
        name="Chloé Lamarque (3e A)",
        group="pupils",
        from_date=since,
        to_date=datetime.date(start + 1, 7, 4),
    )

    staff = {members[key].pk: "present" for key in ("direction", "rupn", "enseignant")}
    autumn = services.create_meeting(
        college, by=rupn, starts_at=_at(datetime.date(start, 11, 18)), place="Salle du conseil"
    )
    services.record_minutes(
        autumn,
        by=rupn,
        seen_revision=None,
        attendance={
            **staff,
            members["Pierre Duprat"].pk: "present",
            members["Anne Castaing"].pk: "excused",
            members["Hélène Darrigade"].pk: "absent",
        },
        minutes=_(
            "Point sur l'autodiagnostic SCHÉMATIC validé au printemps : le pilotage est au niveau 2, les "
            "ressources restent au niveau 0.\nLa collectivité confirme le renouvellement des vidéoprojecteurs "
            "des salles du bâtiment B au premier trimestre.\nLe RUPN présente le parcours de formation à l'ENT "
            "proposé par la DANE."
        ),
        decisions=[
            services.DecisionInput(_("Former l'équipe pédagogique à l'ENT lors de deux demi-journées banalisées.")),
            services.DecisionInput(_("Élargir la commission aux représentants des parents et des élèves.")),
        ],
    )
    spring = services.create_meeting(
        college,
        by=rupn,
        starts_at=_at(datetime.date(start + 1, 5, 12)),
        ends_at=_at(datetime.date(start + 1, 5, 12), 19, 0),
        place="CDI",
    )
    services.record_minutes(
        spring,
        by=rupn,
        seen_revision=None,
        attendance={
            **staff,
            members["Hélène Darrigade"].pk: "present",
            members["Lucas Bergès (3e B)"].pk: "present",
            members["Inès Lalanne (4e A)"].pk: "present",
            members["Pierre Duprat"].pk: "excused",
            members["Anne Castaing"].pk: "present",
        },
        minutes=_(
            "Première commission élargie aux parents et aux élèves.\nLes élèves demandent une charte d'usage "
            "des outils numériques écrite avec eux ; les parents souhaitent une réunion d'information sur l'ENT "
            "en début d'année."
        ),
        decisions=[
            services.DecisionInput(_("Rédiger avec les délégués une charte d'usage du numérique.")),
            services.DecisionInput(_("Organiser une réunion d'information des parents sur l'ENT en septembre.")),
        ],
    )
    # One decision is already an action of the school's plan, when the demo has one.
    plan = Plan.objects.filter(school=college).order_by("first_year").first()
    action = Action.objects.filter(plan=plan).order_by("position", "pk").first() if plan else None
    if action is not None:
        Decision.objects.filter(meeting=autumn, position=0).update(action=action)
    for meeting in (autumn, spring):
        services.validate_minutes(meeting, by=direction)
        # Validated the week after, as a direction would, not on the day the demo was loaded.
        Meeting.objects.filter(pk=meeting.pk).update(validated_at=meeting.starts_at + datetime.timedelta(days=7))

    today = timezone.localdate()
    services.create_meeting(
        college,
        by=rupn,
        starts_at=_at(today + datetime.timedelta(days=24)),
        ends_at=_at(today + datetime.timedelta(days=24), 19, 0),
        place="Salle du conseil",
        visio_url="https://visio.example.org/commission-numerique",
    )
    stdout.write(_("  Commission numérique du collège des Landes : 2 réunions l'an dernier, 1 prévue"))
