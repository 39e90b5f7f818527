"""Every write of the usage fiches, each in a transaction. Each service checks its author itself
(`PermissionDenied`), whatever the view did, and refuses bad input with a `ValidationError` in
French before writing anything. After every write that changes what the catalogue searches or
shows, `search.index_fiche` keeps its index in step."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.assessments.models import Campaign
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.school_years import current_school_year, is_school_year
from pilotis.core.validators import first_forbidden_character
from pilotis.fiches import search
from pilotis.fiches.enums import FicheState, Licence, Organisation, TermKind, Visibility
from pilotis.fiches.models import Fiche, FicheAuthor, FicheTerm
from pilotis.fiches.perms import can_edit_fiche, can_publish_fiche, can_write_fiches
from pilotis.fiches.vocabulary import vocabulary
from pilotis.plans.models import Action
from pilotis.referential.models import Indicator, ReferentialVersion

MAX_TOOLS = 10
TOOL_MAX_LENGTH = 40
MAX_AUTHORS = 12
# The fields of the fiche's content, as the form gives them (the descriptors and people apart).
CONTENT_FIELDS = (
    "title",
    "summary",
    "school_year",
    "visibility",
    "organisation",
    "duration_minutes",
    "sessions",
    "pupils",
    "course",
    "effects",
    "difficulties",
    "licence",
)


class StaleFiche(ValidationError):
    """The fiche changed since the author's page was loaded: nothing was written."""


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


@dataclass
class FicheInput:
    """What a fiche's form gives: its content, its descriptors (codes), its authors and actions."""

    title: str
    summary: str = ""
    school_year: str = ""
    visibility: str = Visibility.SCHOOL
    organisation: str = ""
    duration_minutes: int | None = None
    sessions: int | None = None
    pupils: int | None = None
    course: str = ""
    effects: str = ""
    difficulties: str = ""
    licence: str = Licence.CC_BY_SA
    levels: list = field(default_factory=list)
    disciplines: list = field(default_factory=list)
    competences: list = field(default_factory=list)
    tools: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    authors: list | None = None  # users, in order; None: leave the authors as they are
    actions: list | None = None  # plan actions of the school; None: leave them


# --- Vocabularies, tags and what a fiche may point to -------------------------------------------------


def normalise_tool(tag: str) -> str:
    """A tool tag as stored and as the catalogue's filter looks it up: lower case, spaces collapsed
    (« ENT  Pronote » → « ent pronote »), so that « Pix » and « pix » are one tool."""
    return " ".join((tag or "").lower().split())


def parse_tools(text: str) -> list[str]:
    """Comma-separated tags, normalised, without duplicates (ignoring case), in the order typed;
    refused if too many, too long or carrying control characters."""
    tools, seen = [], set()
    for raw in (text or "").split(","):
        tag = normalise_tool(raw)
        if not tag or tag.casefold() in seen:
            continue
        seen.add(tag.casefold())
        tools.append(tag)
    check_tools(tools)
    return tools


def check_tools(tools) -> None:
    if len(tools) > MAX_TOOLS:
        raise ValidationError(_("Indiquez au plus %(n)d outils ou services.") % {"n": MAX_TOOLS})
    for tag in tools:
        if len(tag) > TOOL_MAX_LENGTH:
            raise ValidationError(
                _("« %(tag)s… » : un outil ou service s'écrit en %(n)d caractères au plus.")
                % {"tag": tag[:20], "n": TOOL_MAX_LENGTH}
            )
        if first_forbidden_character(tag) >= 0:
            raise ValidationError(_("« %(tag)s » contient un caractère non autorisé.") % {"tag": tag[:20]})


def indicator_version(school) -> ReferentialVersion | None:
    """The referential whose indicators a fiche of this school serves: its académie's current
    campaign's, else its latest started one's, else the latest loaded version."""
    academy_id = school.department.academy_id
    campaign = (
        Campaign.objects.current_for(academy_id) or Campaign.objects.started().filter(academy_id=academy_id).first()
    )
    if campaign is not None:
        return campaign.referential
    return ReferentialVersion.objects.order_by("-pk").first()


def allowed_indicators(school):
    version = indicator_version(school)
    if version is None:
        return Indicator.objects.none()
    return (
        Indicator.objects.filter(version=version)
        .select_related("domain")
        .order_by("domain__position", "level", "position")
    )


def school_actions(school):
    return Action.objects.filter(school=school).order_by("plan__first_year", "position", "pk")


def _check(data: FicheInput, school, *, indicator_codes=None) -> None:
    """Everything typed must be known: the vocabularies' codes, the referential's indicators, the
    school's members and actions, the choices of the model."""
    problems = []
    if not (data.title or "").strip():
        problems.append(_("Le titre est obligatoire."))
    if data.school_year and not is_school_year(data.school_year):
        problems.append(_("L'année scolaire s'écrit « 2025-2026 »."))
    if data.visibility not in Visibility.values:
        problems.append(_("Diffusion inconnue."))
    if data.organisation and data.organisation not in Organisation.values:
        problems.append(_("Organisation inconnue."))
    if data.licence not in Licence.values:
        problems.append(_("Licence inconnue."))
    vocab = vocabulary()
    for kind, codes, what in (
        (TermKind.LEVEL, data.levels, _("niveaux")),
        (TermKind.DISCIPLINE, data.disciplines, _("disciplines")),
        (TermKind.COMPETENCE, data.competences, _("compétences du CRCN")),
    ):
        unknown = vocab.unknown(kind, codes)
        if unknown:
            problems.append(
                _("Codes inconnus pour les %(what)s : %(codes)s.") % {"what": what, "codes": ", ".join(unknown[:5])}
            )
    try:
        # Tags given as a list (the demo, a later API) are kept in the one form the form's are.
        data.tools = parse_tools(",".join(data.tools))
    except ValidationError as exc:
        problems.extend(exc.messages)
    if data.indicators:
        known = (
            indicator_codes
            if indicator_codes is not None
            else set(allowed_indicators(school).values_list("code", flat=True))
        )
        unknown = [code for code in data.indicators if code not in known]
        if unknown:
            problems.append(
                _("Ces indicateurs ne sont pas dans le référentiel : %(codes)s.") % {"codes": ", ".join(unknown[:5])}
            )
    if data.authors is not None:
        if len(data.authors) > MAX_AUTHORS:
            problems.append(_("Une fiche a au plus %(n)d auteurs.") % {"n": MAX_AUTHORS})
        members = set(
            SchoolMembership.objects.filter(school=school, user__in=data.authors).values_list("user_id", flat=True)
        )
        outsiders = [str(user) for user in data.authors if user.pk not in members]
        if outsiders:
            problems.append(
                _("Les auteurs sont des membres de l'établissement : %(names)s n'en est pas.")
                % {"names": ", ".join(outsiders)}
            )
    if data.actions:
        wrong = [action.title for action in data.actions if action.school_id != school.pk]
        if wrong:
            problems.append(_("Ces actions ne sont pas du plan de l'établissement."))
    if problems:
        raise ValidationError(problems)


def _write_terms(fiche, data: FicheInput) -> None:
    wanted = {
        TermKind.LEVEL: data.levels,
        TermKind.DISCIPLINE: data.disciplines,
        TermKind.COMPETENCE: data.competences,
        TermKind.TOOL: data.tools,
        TermKind.INDICATOR: data.indicators,
    }
    rows = {(kind, code) for kind, codes in wanted.items() for code in dict.fromkeys(codes)}
    existing = {(term.kind, term.code): term.pk for term in FicheTerm.objects.filter(fiche=fiche)}
    gone = [pk for key, pk in existing.items() if key not in rows]
    if gone:
        FicheTerm.objects.filter(pk__in=gone).delete()
    FicheTerm.objects.bulk_create(
        [FicheTerm(fiche=fiche, kind=kind, code=code) for kind, code in sorted(rows) if (kind, code) not in existing]
    )


def _write_authors(fiche, users) -> None:
    """The authors in the order given; one who stays keeps their consent to be named (it is theirs
    to give or withdraw, never the editor's)."""
    current = {author.user_id: author for author in FicheAuthor.objects.filter(fiche=fiche)}
    wanted = [user.pk for user in dict.fromkeys(users)]
    FicheAuthor.objects.filter(fiche=fiche).exclude(user_id__in=wanted).delete()
    for position, user_id in enumerate(wanted):
        author = current.get(user_id)
        if author is None:
            FicheAuthor.objects.create(fiche=fiche, user_id=user_id, position=position)
        elif author.position != position:
            FicheAuthor.objects.filter(pk=author.pk).update(position=position)


def _apply(fiche, data: FicheInput) -> None:
    for name in CONTENT_FIELDS:
        value = getattr(data, name)
        if isinstance(value, str):
            value = value.strip()
        setattr(fiche, name, value)


# --- Writing a fiche ----------------------------------------------------------------------------------


def create_fiche(school, *, by, data: FicheInput) -> Fiche:
    """A new draft of the school; its author is the one who writes it unless others are named. The
    académie is the school's, the school year the current one unless given."""
    require(can_write_fiches(by, school))
    if not data.school_year:
        data.school_year = current_school_year()
    if data.authors is None or not data.authors:
        data.authors = [by]
    _check(data, school)
    with transaction.atomic():
        fiche = Fiche(school=school, academy_id=school.department.academy_id, created_by=by)
        _apply(fiche, data)
        fiche.full_clean(exclude=["school", "academy", "created_by", "taken_down_by"])
        fiche.save()
        _write_terms(fiche, data)
        _write_authors(fiche, data.authors)
        if data.actions:
            fiche.actions.set(data.actions)
        audit.record(
            AuditAction.FICHE_CREATED,
            actor=by,
            obj=fiche,
            after={"title": fiche.title, "school": school.pk, "authors": [user.pk for user in data.authors]},
        )
    search.index_fiche(fiche)
    return fiche


def update_fiche(fiche, *, by, data: FicheInput, seen_revision=None) -> Fiche:
    """Changes the fiche's content, descriptors, authors and actions at once. `seen_revision`: the
    revision the author's page showed; if the fiche changed since, nothing is written
    (`StaleFiche`), and the page shows what was typed again."""
    require(can_edit_fiche(by, fiche))
    if not data.school_year:
        data.school_year = fiche.school_year
    if data.authors is not None and not data.authors:
        raise ValidationError(_("Une fiche a au moins un auteur."))
    _check(data, fiche.school)
    with transaction.atomic():
        locked = Fiche.objects.select_for_update().select_related("school__department").get(pk=fiche.pk)
        if seen_revision is not None and seen_revision != locked.revision:
            raise StaleFiche(
                _(
                    "La fiche a été modifiée par quelqu'un d'autre depuis l'affichage de cette page : rien n'a été "
                    "enregistré. Ce que vous avez saisi est conservé ci-dessous ; relisez la fiche (ouvrez-la dans "
                    "un autre onglet) avant d'enregistrer à nouveau."
                )
            )
        before_title = locked.title
        if locked.state == FicheState.PUBLISHED:
            # Who reads a published fiche changes only by publishing it again (its RUPN or direction).
            data.visibility = locked.visibility
        _apply(locked, data)
        locked.revision += 1
        locked.updated_at = timezone.now()
        locked.full_clean(exclude=["school", "academy", "created_by", "taken_down_by"])
        locked.save()
        _write_terms(locked, data)
        if data.authors is not None:
            _write_authors(locked, data.authors)
        if data.actions is not None:
            locked.actions.set(data.actions)
        audit.record(
            AuditAction.FICHE_CHANGED,
            actor=by,
            obj=locked,
            before={"title": before_title, "revision": locked.revision - 1},
            after={"title": locked.title, "revision": locked.revision},
        )
    search.index_fiche(locked)
    return locked


def set_named(fiche, *, by, named: bool) -> FicheAuthor:
    """An author agrees to be named to readers outside the school, or withdraws it: their own act,
    nobody else's."""
    author = FicheAuthor.objects.filter(fiche=fiche, user=by).first()
    if author is None:
        raise PermissionDenied
    with transaction.atomic():
        FicheAuthor.objects.filter(pk=author.pk).update(named=named)
        Fiche.objects.filter(pk=fiche.pk).update(updated_at=timezone.now())
        audit.record(
            AuditAction.FICHE_AUTHOR_NAMED, actor=by, obj=fiche, before={"named": author.named}, after={"named": named}
        )
    author.named = named
    search.index_fiche(fiche)
    return author


# --- Publishing, taking back, deleting ---------------------------------------------------------------


def missing_for_publication(fiche) -> list[str]:
    """What a fiche lacks to be published, one French phrase each."""
    kinds = {term.kind for term in fiche.terms.all()}
    missing = []
    if not fiche.title.strip():
        missing.append(_("un titre"))
    if not fiche.summary.strip():
        missing.append(_("un résumé"))
    if not fiche.course.strip():
        missing.append(_("le déroulement de l'activité"))
    if TermKind.LEVEL not in kinds:
        missing.append(_("au moins un niveau"))
    if TermKind.DISCIPLINE not in kinds:
        missing.append(_("au moins une discipline"))
    return missing


def publish(fiche, *, by, visibility, seen_revision=None) -> Fiche:
    """Publishes the fiche to its school or to the académie (or changes who reads it, once
    published). Refused while something it needs is missing."""
    require(can_publish_fiche(by, fiche))
    if visibility not in Visibility.values:
        raise ValidationError(_("Diffusion inconnue."))
    with transaction.atomic():
        locked = Fiche.objects.select_for_update().get(pk=fiche.pk)
        if seen_revision is not None and seen_revision != locked.revision:
            raise StaleFiche(
                _("La fiche a été modifiée depuis l'affichage de cette page : relisez-la avant de la publier.")
            )
        missing = missing_for_publication(locked)
        if missing:
            raise ValidationError(
                _("La fiche ne peut pas être publiée : il lui manque %(what)s.") % {"what": ", ".join(missing)}
            )
        before = {"state": locked.state, "visibility": locked.visibility}
        now = timezone.now()
        if locked.state != FicheState.PUBLISHED:
            locked.published_at = now
        locked.state = FicheState.PUBLISHED
        locked.visibility = visibility
        locked.revision += 1
        locked.updated_at = now
        locked.save(update_fields=["state", "visibility", "published_at", "revision", "updated_at"])
        audit.record(
            AuditAction.FICHE_PUBLISHED,
            actor=by,
            obj=locked,
            before=before,
            after={"state": locked.state, "visibility": visibility},
        )
    search.index_fiche(locked)
    return locked


def unpublish(fiche, *, by) -> Fiche:
    """Takes a published fiche back to draft: it leaves the catalogue and the school's readers
    outside its writers and authors; a DANE's « mise en avant » ends."""
    require(can_publish_fiche(by, fiche))
    with transaction.atomic():
        locked = Fiche.objects.select_for_update().get(pk=fiche.pk)
        if locked.state != FicheState.PUBLISHED:
            raise ValidationError(_("La fiche n'est pas publiée."))
        locked.state = FicheState.DRAFT
        locked.published_at = None
        locked.featured_at = None
        locked.revision += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=["state", "published_at", "featured_at", "revision", "updated_at"])
        audit.record(
            AuditAction.FICHE_UNPUBLISHED,
            actor=by,
            obj=locked,
            before={"state": FicheState.PUBLISHED, "visibility": locked.visibility},
            after={"state": FicheState.DRAFT},
        )
    search.index_fiche(locked)
    return locked


def deletion_refusal(fiche) -> str:
    if fiche.state != FicheState.DRAFT:
        return _("Une fiche publiée ne peut pas être supprimée : repassez-la d'abord en brouillon.")
    return ""


def delete_fiche(fiche, *, by) -> None:
    """Deletes a draft, with its descriptors and authors; the journal keeps its title."""
    require(can_edit_fiche(by, fiche))
    with transaction.atomic():
        locked = Fiche.objects.select_for_update().get(pk=fiche.pk)
        refusal = deletion_refusal(locked)
        if refusal:
            raise ValidationError(refusal)
        audit.record(
            AuditAction.FICHE_DELETED,
            actor=by,
            obj=locked,
            before={
                "title": locked.title,
                "school": locked.school_id,
                "authors": list(locked.authors.values_list("user_id", flat=True)),
            },
        )
        # A draft is not in the catalogue; what the index holds of it goes with it (cascade).
        locked.delete()
