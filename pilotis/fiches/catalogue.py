"""The académie's catalogue of usage fiches (« Catalogue des fiches », `/fiches/`): its filters,
its two orders, its search, for the page, the Atom feed and the exports alike.

Scope: the fiches of the catalogue (`Fiche.objects.in_catalogue()`) of the académies the reader
belongs to (`Academy.objects.belonged_to`). The search and the filters read the index of
`fiches.search` (`FicheListing`, `FicheWord`) and the descriptors' index of `FicheTerm`; the rows
shown are then read from the fiches themselves, in scope again.

Cost: a page is a fixed number of statements whatever the catalogue's size — the académies, the
départements, the page's ids (walked from the top of an index in the page's order), the capped
count, the page's fiches and their descriptors. The count stops at `COUNT_CAP`: past it the page
says « plus de 1 000 fiches » and offers the first `COUNT_CAP` only, so that neither the count nor
a deep page ever walks the whole catalogue.
"""

import functools
from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import INVALID_FILTERS, CleanCharField, InstanceChoiceField, PilotisForm
from pilotis.core.scope import scope_of
from pilotis.fiches.enums import TermKind
from pilotis.fiches.models import Fiche, FicheTerm
from pilotis.fiches.search import FicheListing, FicheWord, normalise_words, prefix_bounds
from pilotis.fiches.services import normalise_tool
from pilotis.fiches.vocabulary import vocabulary as fiche_vocabulary
from pilotis.territories.enums import SchoolKind
from pilotis.territories.models import Academy, Department

PAGE_SIZE = 20
COUNT_CAP = 1000
# A condition matching fewer fiches than this is where a search starts (`listings`).
DRIVE_LIMIT = 30_000
MAX_WORDS = 6
SORTS = [("date", _("Les plus récentes")), ("title", _("Titre (A → Z)"))]
# The descriptors a reader filters on, in the form's order.
FILTERED_TERMS = (TermKind.DISCIPLINE, TermKind.LEVEL, TermKind.COMPETENCE, TermKind.TOOL)
SHOWN_TERMS = (TermKind.LEVEL, TermKind.DISCIPLINE, TermKind.COMPETENCE, TermKind.TOOL)


def reads_catalogue(user) -> bool:
    """Every signed-in user who belongs to an académie (a school's member, a correspondent, a
    DANE; the administrator) reads its catalogue (`Scope.belongs_to_academy`, no query)."""
    return scope_of(user).belongs_to_academy


# --- Descriptors' labels -------------------------------------------------------------------------


# The levels, disciplines and CRCN competences are the data file's (`fiches.vocabulary`); the
# catalogue reads codes and labels through these two functions only.
def vocabulary(kind: str) -> list[tuple[str, str]]:
    """(code, label) of a data-file descriptor (level, discipline, competence), in the file's
    order (tools are free tags: none)."""
    if kind not in (TermKind.LEVEL, TermKind.DISCIPLINE, TermKind.COMPETENCE):
        return []
    return [(code, label) for group in fiche_vocabulary().groups(kind) for code, label in group.items]


def term_label(kind: str, code: str) -> str:
    if kind not in (TermKind.LEVEL, TermKind.DISCIPLINE, TermKind.COMPETENCE):
        return code
    return fiche_vocabulary().label(kind, code)


# --- The filters ---------------------------------------------------------------------------------


def _descriptor_choices(kind):
    everything = _("Tous") if kind == TermKind.LEVEL else _("Toutes")
    return [("", everything), *vocabulary(kind)]


class CatalogueFilterForm(PilotisForm):
    """The catalogue's filters, read from the query string (the page, the feed and the exports
    share them). A value that does not validate is ignored, and the page says so."""

    q = CleanCharField(label=_("Rechercher"), max_length=200, required=False)
    # Choices read when the form is built (callables): the data file is loaded once per process.
    discipline = forms.ChoiceField(
        label=_("Discipline"), required=False, choices=functools.partial(_descriptor_choices, TermKind.DISCIPLINE)
    )
    level = forms.ChoiceField(
        label=_("Niveau"), required=False, choices=functools.partial(_descriptor_choices, TermKind.LEVEL)
    )
    competence = forms.ChoiceField(
        label=_("Compétence numérique (CRCN)"),
        required=False,
        choices=functools.partial(_descriptor_choices, TermKind.COMPETENCE),
    )
    tool = CleanCharField(
        label=_("Outil ou service"), max_length=80, required=False, help_text=_("Par exemple : tablettes, ENT, Pix")
    )
    department = InstanceChoiceField(label=_("Département"), required=False, empty_label=_("Tous"))
    school_kind = forms.ChoiceField(
        label=_("Type d'établissement"), required=False, choices=[("", _("Tous")), *SchoolKind.choices]
    )
    sort = forms.ChoiceField(label=_("Trier par"), required=False, choices=SORTS)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].instances = departments

    def value(self, name, default=None):
        """A filter's value if it validated (another one's error leaves it standing), else `default`."""
        if self.is_bound:
            self.is_valid()
            return self.cleaned_data.get(name) or default
        return default


@dataclass(frozen=True)
class Criteria:
    words: tuple[str, ...] = ()
    terms: tuple[tuple[str, str], ...] = ()
    department_id: int | None = None
    school_kind: str = ""
    sort: str = "date"

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.terms or self.department_id or self.school_kind)


def criteria_of(form: CatalogueFilterForm) -> Criteria:
    terms = []
    for kind in FILTERED_TERMS:
        code = form.value(kind, "")
        if kind == TermKind.TOOL:
            code = normalise_tool(code)
        if code:
            terms.append((kind, code))
    department = form.value("department")
    # Duplicates dropped, order kept: each word narrows the search once.
    words = tuple(dict.fromkeys(normalise_words(form.value("q", ""))))[:MAX_WORDS]
    return Criteria(
        words=words,
        terms=tuple(terms),
        department_id=department.pk if department is not None else None,
        school_kind=form.value("school_kind", ""),
        sort=form.value("sort", "date"),
    )


# --- The query -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """A descriptor or a word of the criteria: the rows of its index (`matching`), and the same
    condition checked on one listing (`check`, SQL with `params`)."""

    matching: object
    check: str
    params: tuple


def _check(table, column_sql) -> str:
    # `LIMIT 1 OFFSET 0`: PostgreSQL keeps the subquery as a check made on each listing walked
    # (it turns a plain EXISTS into a join over every matching fiche, then sorts them all, which
    # made a deep page four times slower at 100,000 fiches); SQLite needs the LIMIT to accept the
    # OFFSET. The tables and columns are ours; the values are parameters.
    listing = connection.ops.quote_name(FicheListing._meta.db_table)
    return (
        f"EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)} c "  # noqa: S608
        f"WHERE c.fiche_id = {listing}.fiche_id AND {column_sql} LIMIT 1 OFFSET 0)"
    )


def conditions(criteria: Criteria) -> list[Condition]:
    found = [
        Condition(
            FicheTerm.objects.filter(kind=kind, code=code),
            _check(FicheTerm._meta.db_table, "c.kind = %s AND c.code = %s"),
            (kind, code),
        )
        for kind, code in criteria.terms
    ]
    for word in criteria.words:
        low, high = prefix_bounds(word)
        found.append(
            Condition(
                FicheWord.objects.filter(word__gte=low, word__lt=high),
                _check(FicheWord._meta.db_table, "c.word >= %s AND c.word < %s"),
                (low, high),
            )
        )
    return found


def sizes(found) -> list[int]:
    """How many fiches each condition matches, counted up to `DRIVE_LIMIT` only: one statement,
    each count reading at most that many entries of its index."""
    parts, params = [], []
    for index, condition in enumerate(found):
        sql, values = condition.matching.values("fiche_id")[:DRIVE_LIMIT].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) c{index})")  # noqa: S608 — the ORM's SQL, parameters apart
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())


def listings(academy_ids, criteria: Criteria):
    """The listings matching the criteria, in the catalogue's order (« mises en avant » first).
    `academy_ids` None: every académie (the administrator).

    Two ways to find a page, chosen from the conditions' sizes (`sizes`, one statement, made
    whenever there is a condition, so that a page's statements do not depend on the data):
    - some conditions match few fiches (under `DRIVE_LIMIT`): the database starts from the ids
      they have in common (their indexes read in order and intersected) and sorts those, checking
      the other conditions on each;
    - every condition matches many: the database walks the order's index from the top, checks
      each condition on each listing (one seek in the index of (fiche, kind, code) or (fiche,
      word)), and stops once the page, or the capped count, is full.
    Left to itself, SQLite starts from the ids of a common word and sorts tens of thousands of
    them (benchmarks/README.md, « Catalogue of usage fiches »)."""
    rows = FicheListing.objects.all()
    if academy_ids is not None:
        # One académie, as almost always: an equality, so that the order's index serves it.
        rows = (
            rows.filter(academy_id=academy_ids[0]) if len(academy_ids) == 1 else rows.filter(academy_id__in=academy_ids)
        )
    if criteria.department_id:
        rows = rows.filter(department_id=criteria.department_id)
    if criteria.school_kind:
        rows = rows.filter(school_kind=criteria.school_kind)
    found = conditions(criteria)
    if found:
        counts = sizes(found)
        # The conditions under the limit, read whole and intersected (each in the order of its
        # index); the others checked on each listing.
        few = [c.matching.values("fiche_id") for c, n in zip(found, counts, strict=True) if n < DRIVE_LIMIT]
        if few:
            rows = rows.filter(fiche_id__in=few[0].intersection(*few[1:]) if len(few) > 1 else few[0])
        for condition, n in zip(found, counts, strict=True):
            if n >= DRIVE_LIMIT:
                check = RawSQL(condition.check, condition.params, output_field=BooleanField())  # noqa: S611 — values as parameters
                rows = rows.filter(check)
    if criteria.sort == "title":
        return rows.order_by("-featured", "title_key", "fiche_id")
    return rows.order_by("-featured", "-published_at", "-fiche_id")


def fiches_in_order(ids, academy_ids):
    """The fiches of these ids, in that order, read in scope again (in the catalogue, of the
    reader's académies), with their school and their descriptors' codes (`codes`, by kind): two
    statements. The codes are read as tuples: model instances of 10 descriptors per fiche made an
    export of 100,000 fiches spend most of its time building them."""
    ids = list(ids)
    fiches = Fiche.objects.in_catalogue().filter(pk__in=ids)
    if academy_ids is not None:
        fiches = fiches.filter(academy_id__in=academy_ids)
    by_id = {fiche.pk: fiche for fiche in fiches.select_related("school__department", "academy")}
    for fiche in by_id.values():
        fiche.codes = {kind: [] for kind in SHOWN_TERMS}
    terms = FicheTerm.objects.filter(fiche_id__in=list(by_id), kind__in=SHOWN_TERMS).order_by("kind", "code")
    for fiche_id, kind, code in terms.values_list("fiche_id", "kind", "code"):
        by_id[fiche_id].codes[kind].append(code)
    return [by_id[pk] for pk in ids if pk in by_id]


def codes_of(fiche) -> dict[str, list[str]]:
    """The fiche's descriptors' codes by kind: read by `fiches_in_order`, or from its `terms`."""
    codes = getattr(fiche, "codes", None)
    if codes is None:
        codes = {kind: [] for kind in SHOWN_TERMS}
        for term in sorted(fiche.terms.all(), key=lambda t: (t.kind, t.code)):
            if term.kind in codes:
                codes[term.kind].append(term.code)
    return codes


def describe(fiche) -> dict[str, list[str]]:
    """The fiche's descriptors by kind, as labels."""
    return {kind: [term_label(kind, code) for code in codes] for kind, codes in codes_of(fiche).items()}


class CappedIds:
    """The matching ids as the paginator reads them: a count that stops at `COUNT_CAP`, and one
    slice per page."""

    def __init__(self, rows):
        self.rows = rows.values_list("fiche_id", flat=True)
        self._count = None

    def count(self) -> int:
        if self._count is None:
            # Without the order: the database stops at the cap's match, sorting nothing.
            self._count = self.rows.order_by()[: COUNT_CAP + 1].count()
        return min(self._count, COUNT_CAP)

    @property
    def capped(self) -> bool:
        self.count()
        return self._count > COUNT_CAP

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return list(self.rows[index])


class Catalogue:
    """The catalogue as one reader sees it, with the filters of one query string."""

    def __init__(self, user, params):
        scope = scope_of(user)
        self.user = user
        self.academy_ids = (
            None if scope.everything else list(Academy.objects.belonged_to(user).values_list("pk", flat=True))
        )
        departments = Department.objects.order_by("code")
        if self.academy_ids is not None:
            departments = departments.filter(academy_id__in=self.academy_ids)
        self.departments = list(departments)
        self.form = CatalogueFilterForm(params or None, departments=self.departments)
        self.criteria = criteria_of(self.form)
        self._rows = None

    @property
    def notices(self) -> list:
        return [INVALID_FILTERS] if self.form.is_bound and not self.form.is_valid() else []

    def rows(self):
        if self._rows is None:
            self._rows = listings(self.academy_ids, self.criteria)
        return self._rows.all()

    def page(self, number):
        ids = CappedIds(self.rows())
        paginator = Paginator(ids, PAGE_SIZE)
        page = paginator.get_page(number)
        page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
        page.capped = ids.capped
        page.fiches = [(fiche, describe(fiche)) for fiche in fiches_in_order(page.object_list, self.academy_ids)]
        return page

    def latest(self, limit):
        """The newest fiches matching the filters (the feed), by date of publication whatever the
        sort asked, « mises en avant » mixed in: the newest of each kind, each read from the top
        of the date index, then merged."""
        rows = self.rows().order_by("-published_at", "-fiche_id").values_list("published_at", "fiche_id")
        newest = sorted([*rows.filter(featured=True)[:limit], *rows.filter(featured=False)[:limit]], reverse=True)
        return fiches_in_order([pk for _published, pk in newest[:limit]], self.academy_ids)

    def chunks(self, size=1000):
        """Every matching fiche, in the page's order, a chunk at a time (the exports)."""
        ids = list(self.rows().values_list("fiche_id", flat=True))
        for start in range(0, len(ids), size):
            yield fiches_in_order(ids[start : start + size], self.academy_ids)
