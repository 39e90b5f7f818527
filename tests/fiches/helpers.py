"""Fiches for the tests, written through the services as a school's people would."""

from pilotis.fiches import services
from pilotis.fiches.enums import Visibility

COMPLETE = {
    "title": "Le TNI en géométrie",
    "summary": "Les élèves construisent des figures au tableau.",
    "course": "1. Découverte\n2. **Construction**",
    "levels": ["5E"],
    "disciplines": ["MATHS"],
    "competences": ["3.2"],
    "tools": ["TNI", "GeoGebra"],
}


def fiche_input(**fields) -> services.FicheInput:
    return services.FicheInput(**{**COMPLETE, **fields})


def draft(world, *, by=None, school=None, **fields):
    """A complete draft of school A, written by its member (the author) unless told."""
    by = by or world.member_a
    return services.create_fiche(school or world.school_a, by=by, data=fiche_input(**fields))


def published(world, visibility=Visibility.ACADEMY, *, by=None, publisher=None, school=None, **fields):
    fiche = draft(world, by=by, school=school, **fields)
    return services.publish(fiche, by=publisher or world.rupn_a, visibility=visibility)


def form_data(world, **extra):
    from pilotis.accounts.models import SchoolMembership

    data = {
        "title": "Le TNI en géométrie",
        "summary": "Les élèves construisent des figures au tableau.",
        "school_year": "2026-2027",
        "levels": ["5E"],
        "disciplines": ["MATHS"],
        "competences": ["3.2"],
        "tools": "TNI, GeoGebra",
        "organisation": "whole_class",
        "duration_minutes": "55",
        "sessions": "4",
        "pupils": "27",
        "course": "1. Découverte",
        "effects": "",
        "difficulties": "",
        "licence": "cc-by-sa",
        "visibility": "academy",
        "authors": [str(SchoolMembership.objects.get(user=world.member_a, school=world.school_a).pk)],
    }
    data.update(extra)
    return data
