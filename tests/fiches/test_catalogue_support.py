"""Fiches for the catalogue's tests, written with the ORM (the school's services arrive with the
school's side) and indexed as those services do, by `index_fiche`. No test here."""

import datetime

from django.utils import timezone

from pilotis.fiches.enums import FicheState, TermKind, Visibility
from pilotis.fiches.models import Fiche, FicheAuthor, FicheTerm
from pilotis.fiches.search import index_fiche

NOW = timezone.now()


def make_fiche(
    school,
    title="Fiche",
    *,
    summary="",
    course="",
    state=FicheState.PUBLISHED,
    visibility=Visibility.ACADEMY,
    days_ago=1,
    levels=(),
    disciplines=(),
    competences=(),
    tools=(),
    featured=False,
    authors=(),
    by=None,
):
    published = NOW - datetime.timedelta(days=days_ago) if state == FicheState.PUBLISHED else None
    fiche = Fiche.objects.create(
        school=school,
        academy_id=school.department.academy_id,
        title=title,
        summary=summary,
        course=course,
        school_year="2026-2027",
        state=state,
        visibility=visibility,
        published_at=published,
        featured_at=NOW if featured else None,
        created_by=by,
    )
    terms = [
        *((TermKind.LEVEL, code) for code in levels),
        *((TermKind.DISCIPLINE, code) for code in disciplines),
        *((TermKind.COMPETENCE, code) for code in competences),
        *((TermKind.TOOL, code) for code in tools),
    ]
    FicheTerm.objects.bulk_create([FicheTerm(fiche=fiche, kind=kind, code=code) for kind, code in terms])
    for position, (user, named) in enumerate(authors):
        FicheAuthor.objects.create(fiche=fiche, user=user, named=named, position=position)
    index_fiche(fiche)
    return fiche
