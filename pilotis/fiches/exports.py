"""The catalogue's exports, filtered and scoped as the page (`catalogue.Catalogue`), streamed a
chunk of fiches at a time so that 100,000 fiches cost the memory of one chunk.

- CSV through `core.exporters` (`;`, BOM, cells neutralised), for a spreadsheet.
- JSON for another catalogue (CARTOUN…): `{"format": "pilotis-fiches", "version": 1,
  "generated_at": …, "fiches": [ … ]}`, each fiche with the stable field names of `FIELDS`, below.
  A field is never renamed nor its meaning changed within a version; new fields may be added.
  Authors are not exported: their names are personal data, and whether each agreed to be named
  is for the fiche's page to honour.
"""

import datetime
import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.core.exporters import Column, Exporter, safe_filename
from pilotis.fiches.catalogue import codes_of, describe
from pilotis.fiches.enums import TermKind

JSON_VERSION = 1
# JSON field → its meaning (ARCHITECTURE notes): the contract of the JSON export.
FIELDS = {
    "id": "the fiche's number in Pilotis (stable)",
    "url": "its page in the catalogue",
    "title": "title",
    "summary": "summary (plain text)",
    "school_uai": "the school's UAI",
    "school_name": "the school's name",
    "school_kind": "the school's type (college, lycee_gt, lycee_pro, lycee_poly, lycee, erea, ecole)",
    "department": "the département's code (3 characters: 040, 02A)",
    "academy": "the académie's code",
    "school_year": "school year, 2026-2027",
    "levels": "level codes (the data file of levels)",
    "disciplines": "discipline codes",
    "competences": "CRCN competence codes (1.1 … 5.2)",
    "tools": "tools and services, as tagged",
    "organisation": "whole_class, groups, hybrid or empty",
    "duration_minutes": "length of a session in minutes, or null",
    "sessions": "number of sessions, or null",
    "pupils": "number of pupils, or null",
    "course": "the course of the activity, Markdown as written",
    "effects": "effects observed (plain text)",
    "difficulties": "difficulties met (plain text)",
    "licence": "cc-by-sa, cc-by, cc-by-nc-sa or cc0",
    "published_at": "ISO 8601 date and time of publication (UTC)",
    "featured": "put forward by the DANE (true/false)",
}


def _codes(fiche, kind):
    return sorted(codes_of(fiche)[kind])


def fiche_record(fiche, base_url: str) -> dict:
    """One fiche as the JSON export writes it (`FIELDS`)."""
    school = fiche.school
    return {
        "id": fiche.pk,
        "url": base_url + reverse("fiche_catalogue:fiche", args=[fiche.pk]),
        "title": fiche.title,
        "summary": fiche.summary,
        "school_uai": school.uai,
        "school_name": school.name,
        "school_kind": school.kind,
        "department": school.department.code,
        "academy": fiche.academy.code,
        "school_year": fiche.school_year,
        "levels": _codes(fiche, TermKind.LEVEL),
        "disciplines": _codes(fiche, TermKind.DISCIPLINE),
        "competences": _codes(fiche, TermKind.COMPETENCE),
        "tools": _codes(fiche, TermKind.TOOL),
        "organisation": fiche.organisation,
        "duration_minutes": fiche.duration_minutes,
        "sessions": fiche.sessions,
        "pupils": fiche.pupils,
        "course": fiche.course,
        "effects": fiche.effects,
        "difficulties": fiche.difficulties,
        "licence": fiche.licence,
        "published_at": fiche.published_at.astimezone(datetime.UTC).isoformat() if fiche.published_at else None,
        "featured": fiche.featured_at is not None,
    }


def catalogue_json(catalogue, request=None):
    """The JSON document, in pieces of text: the envelope, then each chunk of fiches."""
    base_url = settings.SITE_URL.rstrip("/")
    head = {"format": "pilotis-fiches", "version": JSON_VERSION, "generated_at": timezone.now().isoformat()}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "fiches": ['
    first = True
    for chunk in catalogue.chunks():
        pieces = [json.dumps(fiche_record(fiche, base_url), ensure_ascii=False) for fiche in chunk]
        if pieces:
            yield ("" if first else ",") + "\n" + ",\n".join(pieces)
            first = False
    yield "\n]}\n"


class CatalogueCsv(Exporter):
    columns = [
        Column("id", _("Numéro")),
        Column("title", _("Titre"), "8cm"),
        Column("summary", _("Résumé"), "10cm"),
        Column("school", _("Établissement"), "6cm"),
        Column("uai", _("UAI")),
        Column("department", _("Département")),
        Column("school_year", _("Année scolaire")),
        Column("levels", _("Niveaux")),
        Column("disciplines", _("Disciplines")),
        Column("competences", _("Compétences du CRCN")),
        Column("tools", _("Outils et services")),
        Column("published_at", _("Publiée le")),
        Column("featured", _("Mise en avant")),
        Column("url", _("Adresse")),
    ]

    def __init__(self, catalogue):
        self.catalogue = catalogue
        self.title = _("Catalogue des fiches d'usage")

    def rows(self):
        base_url = settings.SITE_URL.rstrip("/")
        for chunk in self.catalogue.chunks():
            for fiche in chunk:
                shown = describe(fiche)
                yield {
                    "id": fiche.pk,
                    "title": fiche.title,
                    "summary": fiche.summary,
                    "school": fiche.school.name,
                    "uai": fiche.school.uai,
                    "department": str(fiche.school.department),
                    "school_year": fiche.school_year,
                    "levels": ", ".join(shown[TermKind.LEVEL]),
                    "disciplines": ", ".join(shown[TermKind.DISCIPLINE]),
                    "competences": ", ".join(shown[TermKind.COMPETENCE]),
                    "tools": ", ".join(shown[TermKind.TOOL]),
                    "published_at": timezone.localtime(fiche.published_at).replace(tzinfo=None),
                    "featured": fiche.featured_at is not None,
                    "url": base_url + reverse("fiche_catalogue:fiche", args=[fiche.pk]),
                }


def export_filename(fmt: str) -> str:
    return safe_filename("catalogue-fiches", timezone.localdate().isoformat(), extension=fmt)
