"""The referents' network: the schools of a correspondent's or a DANE's territory, each with the RUPN
designated for a school year and the state of their lettre de mission.

Scope: the schools of the user's *territorial* roles only (départements of a correspondent, académies
of a DANE, everything for the administrator), within `School.objects.for_user(user)`. A chef who is
also a correspondent sees their territory here, not their own school besides.

The IMP amount is personal (perms.can_see_imp) and never part of the network: designations are read
with `values()` into `Referent` rows that do not carry it, so no page or export can show it.

The rule for the state filter and the counts, per school and school year, reading only the
designations *in force* on the year's day of reference — today for the running year, the last day
of a past year, the first of a year to come — that is, not ended early and whose period holds that
day (one ended, early or as planned, is still listed, as « terminée »):
- « sans RUPN »: no designation in force;
- « lettre signée »: at least one designation in force, and every one of them has a signed letter;
- « sans lettre signée »: at least one designation in force lacks a signed letter.
So a school with two RUPN counts as signed only when both letters are signed. A designation whose
signed letter is being replaced by a new draft still has a signed letter (the old one is in force
until the new one is signed).

Costs: the filters, counts and page are a fixed number of queries (EXISTS subqueries, one
aggregate grouped by département); the designations of a page's schools are one more query,
whatever the number of schools.
"""

import datetime
from dataclasses import dataclass
from itertools import islice

import vobject
from django import forms
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.core.exporters import Column, Exporter, choice_labels, safe_filename
from pilotis.core.school_years import current_school_year
from pilotis.missions.enums import LetterState
from pilotis.missions.models import Designation, MissionLetter
from pilotis.missions.services import school_year_bounds
from pilotis.territories.forms import SchoolFilterForm
from pilotis.territories.models import Department, School

CHUNK = 2000

STATES = [
    ("", gettext_lazy("Tous les établissements")),
    ("no_rupn", gettext_lazy("Sans RUPN désigné")),
    ("unsigned", gettext_lazy("RUPN sans lettre de mission signée")),
    ("signed", gettext_lazy("Lettre de mission signée")),
]


# --- Scope -------------------------------------------------------------------------------------


def territory_schools(user):
    """The open schools of the départements the user follows (never their own schools as a member)."""
    return School.objects.filter(is_open=True, department__in=Department.objects.for_user(user))


def territory_departments(user):
    """The départements the user follows: their own for a correspondent, their académie's for a DANE."""
    return Department.objects.for_user(user).order_by("code")


def years_for(user) -> list[str]:
    """The current school year and those with designations in the user's territory, latest first."""
    years = set(
        Designation.objects.filter(school__in=territory_schools(user))
        .order_by()
        .values_list("school_year", flat=True)
        .distinct()
    )
    years.add(current_school_year())
    return sorted(years, reverse=True)


# --- Designations in force and their letters ---------------------------------------------------


def reference_day(year) -> datetime.date:
    """The day on which a year's designations are in force or not: today, within the year's bounds."""
    first, last = school_year_bounds(year)
    return min(max(timezone.localdate(), first), last)


def _in_force(year):
    day = reference_day(year)
    return Designation.objects.filter(
        school=OuterRef("pk"), school_year=year, ended_early=False, starts_on__lte=day, ends_on__gte=day
    )


def _signed_letter():
    return MissionLetter.objects.filter(designation=OuterRef("pk"), state=LetterState.SIGNED)


def has_rupn(year):
    return Exists(_in_force(year))


def lacks_signature(year):
    return Exists(_in_force(year).filter(~Exists(_signed_letter())))


def in_state(schools, state: str, year: str):
    if state == "no_rupn":
        return schools.filter(~has_rupn(year))
    if state == "unsigned":
        return schools.filter(lacks_signature(year))
    if state == "signed":
        return schools.filter(has_rupn(year)).filter(~lacks_signature(year))
    return schools


@dataclass
class Referent:
    """One designation as the network shows it: no IMP amount."""

    school_id: int
    name: str
    first_name: str
    last_name: str
    email: str
    starts_on: object
    ends_on: object
    ended_early: bool
    letter_state: str | None  # the latest letter's, None when there is none
    has_signed: bool
    day: datetime.date  # the year's day of reference (`reference_day`)

    @property
    def is_over(self) -> bool:
        return self.ended_early or self.ends_on < self.day

    @property
    def is_upcoming(self) -> bool:
        return not self.is_over and self.starts_on > self.day

    @property
    def in_force(self) -> bool:
        """The rule of `_in_force`, for one row."""
        return not self.is_over and not self.is_upcoming

    @property
    def period(self) -> str:
        text = _("du %(start)s au %(end)s") % {
            "start": date_format(self.starts_on, "SHORT_DATE_FORMAT"),
            "end": date_format(self.ends_on, "SHORT_DATE_FORMAT"),
        }
        if self.is_over:
            return f"{text} ({_('terminée')})"
        if self.is_upcoming:
            return f"{text} ({_('à venir')})"
        return text

    @property
    def letter_label(self) -> str:
        if self.letter_state is None:
            return _("Aucune lettre")
        label = str(LetterState(self.letter_state).label)
        if self.has_signed and self.letter_state != LetterState.SIGNED:
            label = _("%(state)s (une lettre signée reste en vigueur)") % {"state": label}
        return label


def referents_of(school_ids, year) -> dict[int, list[Referent]]:
    """The designations of the year of the given schools, by school id: one query."""
    day = reference_day(year)
    latest = MissionLetter.objects.filter(designation=OuterRef("pk")).order_by("-created_at", "-pk")
    rows = (
        Designation.objects.filter(school_id__in=list(school_ids), school_year=year)
        .order_by("ended_early", "starts_on", "user_label", "pk")
        .annotate(letter_state=Subquery(latest.values("state")[:1]), has_signed=Exists(_signed_letter()))
        .values(
            "school_id",
            "user_label",
            "user__first_name",
            "user__last_name",
            "user__email",
            "starts_on",
            "ends_on",
            "ended_early",
            "letter_state",
            "has_signed",
        )
    )
    out: dict[int, list[Referent]] = {}
    for row in rows:
        out.setdefault(row["school_id"], []).append(
            Referent(
                school_id=row["school_id"],
                name=row["user_label"],
                first_name=row["user__first_name"],
                last_name=row["user__last_name"],
                email=row["user__email"],
                starts_on=row["starts_on"],
                ends_on=row["ends_on"],
                ended_early=row["ended_early"],
                letter_state=row["letter_state"],
                has_signed=row["has_signed"],
                day=day,
            )
        )
    return out


# --- Counts per département --------------------------------------------------------------------


def _percent(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


@dataclass
class DepartmentCount:
    code: str
    label: str
    schools: int = 0
    with_rupn: int = 0
    signed: int = 0

    @property
    def rupn_percent(self) -> float | None:
        return _percent(self.with_rupn, self.schools)

    @property
    def signed_percent(self) -> float | None:
        return _percent(self.signed, self.schools)


def counts_by_department(schools, year) -> list[DepartmentCount]:
    """One aggregate query grouped by département (the state filter left aside)."""
    rupn = has_rupn(year)
    rows = (
        schools.order_by()
        .values("department__code", "department__name")
        .annotate(
            n=Count("pk"),
            with_rupn=Count("pk", filter=Q(rupn)),
            signed=Count("pk", filter=Q(rupn) & ~Q(lacks_signature(year))),
        )
        .order_by("department__code")
    )
    return [
        DepartmentCount(
            r["department__code"],
            str(Department(code=r["department__code"], name=r["department__name"])),  # « 40 Landes »
            r["n"],
            r["with_rupn"],
            r["signed"],
        )
        for r in rows
    ]


def total_of(counts) -> DepartmentCount:
    """The territory's line, added up from the départements' (a few rows)."""
    return DepartmentCount(
        "",
        _("Ensemble du territoire"),
        sum(c.schools for c in counts),
        sum(c.with_rupn for c in counts),
        sum(c.signed for c in counts),
    )


# --- The filters -------------------------------------------------------------------------------


class NetworkForm(SchoolFilterForm):
    """The school list's filters (départements: the user's only), the school year and the state.
    An invalid value (a département out of scope, a year without designations) is ignored alone."""

    year = forms.ChoiceField(label=gettext_lazy("Année scolaire"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("État"), choices=STATES, required=False)

    def __init__(self, data=None, *, departments, years, **kwargs):
        super().__init__(data, departments=departments, **kwargs)
        self.fields["department"].empty_label = _("Tout le territoire")
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["year"].initial = current_school_year()

    def value(self, name, default=""):
        """The field's cleaned value, or `default` when it is missing or invalid."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default

    def filter(self, schools):
        schools = schools.search(self.value("q"))
        for name in ("department", "kind", "sector"):
            if value := self.value(name):
                schools = schools.filter(**{name: value})
        return schools


@dataclass
class Network:
    """What the page and the exports show, for one user and their filters."""

    form: NetworkForm
    territory: object  # the user's schools, filtered but for the state
    year: str
    state: str

    @classmethod
    def of(cls, user, params) -> "Network":
        form = NetworkForm(params or None, departments=territory_departments(user), years=years_for(user))
        territory = form.filter(territory_schools(user))
        return cls(form, territory, form.value("year", current_school_year()), form.value("state"))

    @property
    def has_invalid_filters(self) -> bool:
        return self.form.is_bound and not self.form.is_valid()

    @property
    def department(self):
        return self.form.value("department", None)

    def schools(self):
        """The filtered schools, state included, in name order."""
        schools = in_state(self.territory, self.state, self.year)
        return schools.select_related("department").order_by("sort_name", "uai")

    def counts(self) -> list[DepartmentCount]:
        return counts_by_department(self.territory, self.year)

    def rows(self, schools):
        """(school, referents) for the given schools: one query for their designations."""
        schools = list(schools)
        referents = referents_of([s.pk for s in schools], self.year)
        return [(school, referents.get(school.pk, [])) for school in schools]

    def all_rows(self):
        """Every filtered school with its referents, by chunks: memory stays flat at any scale."""
        schools = self.schools().iterator(chunk_size=CHUNK)
        for chunk in iter(lambda: list(islice(schools, CHUNK)), []):
            yield from self.rows(chunk)

    def filename(self, extension: str) -> str:
        return safe_filename("reseau-rupn", self.year, extension=extension)


# --- Exports -----------------------------------------------------------------------------------


class NetworkExport(Exporter):
    """One row per designation of the year, one for a school without any; never the IMP."""

    columns = [
        Column("department", gettext_lazy("Département")),
        Column("uai", gettext_lazy("UAI")),
        Column("name", gettext_lazy("Établissement"), "8cm"),
        Column("commune", gettext_lazy("Commune")),
        Column("kind", gettext_lazy("Type")),
        Column("sector", gettext_lazy("Secteur")),
        Column("rupn", gettext_lazy("RUPN"), "5cm"),
        Column("email", gettext_lazy("Courriel du RUPN"), "6cm"),
        Column("period", gettext_lazy("Période")),
        Column("letter", gettext_lazy("Lettre de mission")),
    ]

    def __init__(self, network: Network):
        self.network = network
        self.title = _("Réseau des RUPN %(year)s") % {"year": network.year}
        self.filename = network.filename("csv").removesuffix(".csv")

    def row_count(self):
        # One row per school at least (more for a school with several RUPN in the year): enough to
        # decide on the background, and the worker counts the rows it writes.
        return self.network.schools().count()

    def rows(self):
        kinds, sectors = choice_labels(School, "kind"), choice_labels(School, "sector")
        for school, referents in self.network.all_rows():
            base = {
                "department": str(school.department),
                "uai": school.uai,
                "name": school.name,
                "commune": school.commune,
                "kind": kinds.get(school.kind, school.kind),
                "sector": sectors.get(school.sector, school.sector),
            }
            if not referents:
                yield {**base, "rupn": _("Aucun RUPN désigné")}
            for referent in referents:
                yield {
                    **base,
                    "rupn": referent.name,
                    "email": referent.email,
                    "period": referent.period,
                    "letter": referent.letter_label,
                }


def as_vcards(network: Network) -> bytes:
    """The RUPN in force of the filtered schools as vCards (vobject writes the escapes, the
    CRLF line ends and the folding). One card per designation: ORG is the school."""
    cards = []
    for school, referents in network.all_rows():
        for referent in referents:
            if not referent.in_force:
                continue
            card = vobject.vCard()
            card.add("n").value = vobject.vcard.Name(
                family=referent.last_name or referent.name, given=referent.first_name if referent.last_name else ""
            )
            card.add("fn").value = referent.name
            if referent.email:
                email = card.add("email")
                email.value = referent.email
                email.type_param = "INTERNET"
            card.add("org").value = [school.name]
            card.add("title").value = "RUPN"
            card.add("note").value = school.uai
            card.add("adr").value = vobject.vcard.Address(city=school.commune)
            cards.append(card.serialize())
    return "".join(cards).encode("utf-8")
