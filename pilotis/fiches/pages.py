"""What the fiche's page shows, built once for its two homes: the school's page of the fiche
(`fiches:detail`) and the catalogue's (`fiche_catalogue`), which both render
`fiches/_fiche_body.html` with `fiche_context(request, fiche)`. The context assumes nothing of the
reader: the authors' names, the plan's actions and the attached panels each follow their rule."""

from django.db.models import Prefetch

from pilotis.core import markdown
from pilotis.core.panels import attached_panels_for
from pilotis.fiches.enums import Licence, TermKind
from pilotis.fiches.models import Fiche, FicheAuthor
from pilotis.fiches.perms import authors_shown, fiche_abilities
from pilotis.fiches.vocabulary import vocabulary
from pilotis.referential.models import Indicator
from pilotis.territories.perms import can_read_school

LICENCE_URLS = {
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.fr",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
}


def with_page_relations(queryset):
    """What the page reads of a fiche, in a fixed number of queries."""
    return queryset.select_related("school__department__academy").prefetch_related(
        Prefetch("authors", queryset=FicheAuthor.objects.select_related("user").order_by("position", "pk")),
        "terms",
        "actions",
    )


def descriptors(fiche) -> dict:
    """kind → labels, in the vocabulary's order (tools and indicators as written)."""
    vocab = vocabulary()
    codes: dict = {}
    for term in fiche.terms.all():
        codes.setdefault(term.kind, []).append(term.code)
    result = {}
    for kind in (TermKind.LEVEL, TermKind.DISCIPLINE, TermKind.COMPETENCE):
        order = list(vocab.labels[kind])
        chosen = sorted(codes.get(kind, []), key=lambda code: order.index(code) if code in order else len(order))
        if kind == TermKind.COMPETENCE:
            result[kind] = [f"{code} {vocab.label(kind, code)}" for code in chosen]
        else:
            result[kind] = [vocab.label(kind, code) for code in chosen]
    result[TermKind.TOOL] = sorted(codes.get(TermKind.TOOL, []), key=str.casefold)
    result[TermKind.INDICATOR] = sorted(codes.get(TermKind.INDICATOR, []))
    return result


def indicator_statements(codes) -> dict:
    """code → statement, from the latest referential that has it (one query)."""
    if not codes:
        return {}
    rows = Indicator.objects.filter(code__in=codes).order_by("version_id").values_list("code", "statement")
    return dict(rows)


def fiche_context(request, fiche: Fiche) -> dict:
    """The keys `fiches/_fiche_body.html` reads. `fiche` comes from `with_page_relations`."""
    terms = descriptors(fiche)
    statements = indicator_statements(terms[TermKind.INDICATOR])
    return {
        "fiche": fiche,
        "fiche_abilities": fiche_abilities(request.user, fiche),
        "authors_shown": authors_shown(request.user, fiche),
        "levels": terms[TermKind.LEVEL],
        "disciplines": terms[TermKind.DISCIPLINE],
        "competences": terms[TermKind.COMPETENCE],
        "tools": terms[TermKind.TOOL],
        "indicators": [(code, statements.get(code, "")) for code in terms[TermKind.INDICATOR]],
        # The plan's actions are the school's work: shown to those who read the school.
        "served_actions": list(fiche.actions.all()) if can_read_school(request.user, fiche.school) else [],
        "course_html": markdown.render(fiche.course),
        "effects_html": markdown.render(fiche.effects),
        "difficulties_html": markdown.render(fiche.difficulties),
        "licence_url": LICENCE_URLS.get(fiche.licence, ""),
        "attached_panels": attached_panels_for(request, "fiche", fiche),
    }
