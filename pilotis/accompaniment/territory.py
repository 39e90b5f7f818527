"""The territory's follow-up (« Suivi de l'accompagnement », `/pilotage/accompagnement/`): the two
lists of schools that need the team's attention, for the page and its exports alike.

- **Prochaine étape à échéance**: the schools whose latest entry (by date of contact, then by
  entry) sets a next step on or before today + `DUE_WITHIN_DAYS`, overdue ones first. A later
  entry without a next step closes the matter: only the latest entry of a school counts.
- **Sans contact cette année**: the open schools with no entry dated in the current school year,
  among those of an académie whose current campaign has begun, and whose self-assessment of that
  campaign has not started (no assessment, or no indicator answered) or, once validated, stands at
  level 0 in at least `ZERO_LEVEL_DOMAINS` domains (a domain absent from its levels counts as 0).
  Levels are read from validated self-assessments only, as on the dashboards: a school half-way
  through its answers sits at level 0 until it finishes, and would read as the lowest. An absolute
  rule rather than the territory's bottom tenth, so that a school's place in the list does not
  depend on how the others fare.

Scope: the open schools of the départements the user follows (`Department.objects.for_user`),
never their own schools as a member. Each list is a fixed number of queries whatever the number of
schools: EXISTS subqueries and the page's rows read with their département.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pilotis.accompaniment.models import AccompanimentEntry
from pilotis.assessments.enums import AssessmentState
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.exporters import Column, Exporter, choice_labels, safe_filename
from pilotis.core.school_years import current_school_year
from pilotis.referential.models import Domain
from pilotis.territories.models import Department, School

DUE_WITHIN_DAYS = 7
ZERO_LEVEL_DOMAINS = 3


def school_year_bounds(school_year: str) -> tuple[datetime.date, datetime.date]:
    start = int(school_year[:4])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


def territory_departments(user):
    return Department.objects.for_user(user).select_related("academy").order_by("code")


def territory_schools(user, department=None):
    """The open schools of the départements the user follows, or of the one chosen among them."""
    schools = School.objects.filter(is_open=True, department__in=Department.objects.for_user(user))
    return schools.filter(department=department) if department is not None else schools


# --- Next steps due ------------------------------------------------------------------------------


def due_entries(schools, today=None):
    """The latest entry of each school whose next step falls on or before today + 7 days."""
    today = today or timezone.localdate()
    newer = AccompanimentEntry.objects.filter(school=OuterRef("school")).filter(
        Q(happened_on__gt=OuterRef("happened_on")) | Q(happened_on=OuterRef("happened_on"), pk__gt=OuterRef("pk"))
    )
    return (
        AccompanimentEntry.objects.filter(
            school__in=schools, next_step_on__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS)
        )
        .exclude(Exists(newer))
        .select_related("school__department")
        .order_by("next_step_on", "school__sort_name", "pk")
    )


def due_label(next_step_on, today=None) -> str:
    """« En retard de 3 jours », « Aujourd'hui », « Dans 5 jours »: never colour alone."""
    today = today or timezone.localdate()
    days = (next_step_on - today).days
    if days < 0:
        return ngettext("En retard de %(n)d jour", "En retard de %(n)d jours", -days) % {"n": -days}
    if days == 0:
        return _("Aujourd'hui")
    return ngettext("Dans %(n)d jour", "Dans %(n)d jours", days) % {"n": days}


# --- No contact this year ------------------------------------------------------------------------


@dataclass(frozen=True)
class QuietRule:
    """What the quiet list reads: the current campaigns of the user's académies and their domains."""

    campaign_ids: tuple[int, ...]
    academy_ids: tuple[int, ...]
    domain_codes: tuple[str, ...]
    school_year: str


def quiet_rule(user, today=None) -> QuietRule:
    today = today or timezone.localdate()
    academies = Department.objects.for_user(user).values("academy_id")
    campaigns = list(Campaign.objects.current(today).filter(academy_id__in=academies).values_list("pk", "academy_id"))
    codes = (
        Domain.objects.filter(version__campaigns__in=[pk for pk, _academy in campaigns])
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()
    )
    return QuietRule(
        campaign_ids=tuple(pk for pk, _academy in campaigns),
        academy_ids=tuple(academy for _pk, academy in campaigns),
        domain_codes=tuple(codes) if campaigns else (),
        school_year=current_school_year(),
    )


def _zero_domains(codes):
    """The number of domains at level 0 in an assessment (a domain not reached yet counts as 0)."""
    terms = [
        Case(
            When(Exact(Coalesce(Cast(KeyTextTransform(code, "domain_levels"), IntegerField()), Value(0)), 0), then=1),
            default=0,
            output_field=IntegerField(),
        )
        for code in codes
    ]
    return sum(terms[1:], terms[0]) if terms else Value(0)


def quiet_schools(schools, rule: QuietRule):
    """The schools with no contact this school year that have not started the current campaign's
    self-assessment or, validated, stand at level 0 in at least three domains, each annotated with
    `answered` (indicators answered, None without an assessment) and `zero_domains`."""
    if not rule.campaign_ids:
        return schools.none()
    first, last = school_year_bounds(rule.school_year)
    contacted = AccompanimentEntry.objects.filter(school=OuterRef("pk"), happened_on__range=(first, last))
    assessments = Assessment.objects.filter(school=OuterRef("pk"), campaign_id__in=rule.campaign_ids)
    started = assessments.filter(answered_count__gt=0)
    zeros = started.filter(state=AssessmentState.VALIDATED).annotate(zeros=_zero_domains(rule.domain_codes))
    lowest = zeros.filter(zeros__gte=ZERO_LEVEL_DOMAINS)
    last_contact = AccompanimentEntry.objects.filter(school=OuterRef("pk")).order_by("-happened_on", "-pk")
    return (
        schools.filter(department__academy_id__in=rule.academy_ids)
        .exclude(Exists(contacted))
        .filter(~Exists(started) | Exists(lowest))
        .annotate(
            answered=Subquery(assessments.values("answered_count")[:1]),
            zero_domains=Subquery(zeros.values("zeros")[:1]),
            last_contact=Subquery(last_contact.values("happened_on")[:1]),
        )
        .select_related("department")
        .order_by("sort_name", "uai")
    )


def quiet_reason(school) -> str:
    if not school.answered:
        return _("Autodiagnostic non commencé")
    return _("Autodiagnostic validé au niveau 0 dans %(n)d domaines") % {"n": school.zero_domains}


# --- Exports -------------------------------------------------------------------------------------


class DueExport(Exporter):
    columns = [
        Column("department", gettext_lazy("Département")),
        Column("uai", gettext_lazy("UAI")),
        Column("name", gettext_lazy("Établissement"), "8cm"),
        Column("commune", gettext_lazy("Commune")),
        Column("next_step_on", gettext_lazy("Prochaine étape le")),
        Column("due", gettext_lazy("Échéance")),
        Column("next_steps", gettext_lazy("Prochaines étapes"), "10cm"),
        Column("happened_on", gettext_lazy("Dernier échange")),
        Column("kind", gettext_lazy("Nature")),
        Column("author", gettext_lazy("Noté par")),
    ]

    def __init__(self, entries):
        self.entries = entries
        self.title = _("Prochaines étapes à échéance")

    def row_count(self):
        return self.entries.count()

    def rows(self):
        today = timezone.localdate()
        kinds = choice_labels(self.entries.model, "kind")
        for entry in self.entries.iterator(chunk_size=2000):
            school = entry.school
            yield {
                "department": str(school.department),
                "uai": school.uai,
                "name": school.name,
                "commune": school.commune,
                "next_step_on": entry.next_step_on,
                "due": due_label(entry.next_step_on, today),
                "next_steps": entry.next_steps,
                "happened_on": entry.happened_on,
                "kind": kinds.get(entry.kind, entry.kind),
                "author": entry.author_label,
            }


class QuietExport(Exporter):
    columns = [
        Column("department", gettext_lazy("Département")),
        Column("uai", gettext_lazy("UAI")),
        Column("name", gettext_lazy("Établissement"), "8cm"),
        Column("commune", gettext_lazy("Commune")),
        Column("reason", gettext_lazy("Motif"), "6cm"),
        Column("last_contact", gettext_lazy("Dernier échange")),
    ]

    def __init__(self, schools):
        self.schools = schools
        self.title = _("Sans contact cette année")

    def row_count(self):
        return self.schools.count()

    def rows(self):
        for school in self.schools.iterator(chunk_size=2000):
            yield {
                "department": str(school.department),
                "uai": school.uai,
                "name": school.name,
                "commune": school.commune,
                "reason": quiet_reason(school),
                "last_contact": school.last_contact,
            }


def export_filename(which: str, fmt: str) -> str:
    return safe_filename("suivi-accompagnement", which, timezone.localdate().isoformat(), extension=fmt)
