"""Pass 2: the lines pass 1 planned, written from the spool in batches (the caller holds the
transaction); académies and départements created or renamed as the file says."""

import sys

from django.utils.translation import gettext as _
from tqdm import tqdm

from pilotis.territories.importers.errors import AnnuaireImportError
from pilotis.territories.importers.plan import Plan
from pilotis.territories.importers.report import ImportReport
from pilotis.territories.importers.rows import Line
from pilotis.territories.importers.spool import Spool
from pilotis.territories.models import Academy, Department, School
from pilotis.territories.signals import schools_regrouped

BATCH_SIZE = 1000

# School fields written by the import, compared before saving (department apart).
SCHOOL_FIELDS = (
    "name",
    "kind",
    "sector",
    "priority_education",
    "commune",
    "commune_code",
    "postal_code",
    "address",
    "email",
    "phone",
    "nature_code",
    "parent_uai",
    "is_open",
    "source_updated_on",
    "search_text",
    "sort_name",
)
UPDATE_FIELDS = [*SCHOOL_FIELDS, "department"]


class Territories:
    """Academies and departments by code, created or renamed as the file says."""

    def __init__(self, report: ImportReport, dry_run: bool):
        self.report = report
        self.dry_run = dry_run
        self.academies = {a.code: a for a in Academy.objects.all()}
        self.departments = {d.code: d for d in Department.objects.select_related("academy")}

    def department(self, line: Line) -> Department:
        academy = self.academies.get(line.academy_code)
        if academy is None:
            academy = Academy(code=line.academy_code, name=line.academy_name)
            if not self.dry_run:
                academy.save()
            self.academies[academy.code] = academy
            self.report.academies_created += 1
        elif academy.name != line.academy_name:
            academy.name = line.academy_name
            if not self.dry_run:
                academy.save(update_fields=["name"])
        department = self.departments.get(line.department_code)
        if department is None:
            department = Department(code=line.department_code, name=line.department_name, academy=academy)
            if not self.dry_run:
                department.save()
            self.departments[department.code] = department
            self.report.departments_created += 1
        elif department.academy.code != academy.code:
            # Pass 1 refused every line that said so: the database changed between the passes.
            raise AnnuaireImportError(
                _("Le département %(code)s a changé d'académie pendant l'import : relancez l'import.")
                % {"code": department.code}
            )
        elif department.name != line.department_name:
            department.name = line.department_name
            if not self.dry_run:
                department.save(update_fields=["name"])
        return department


def write_batch(batch: list[Line], territories: Territories, report: ImportReport, dry_run: bool) -> list[int]:
    """Writes one batch; returns the ids of the schools that changed département, closed or
    reopened (see signals)."""
    existing = {s.uai: s for s in School.objects.filter(uai__in=[line.uai for line in batch])}
    to_create, to_update, regrouped = [], [], []
    for line in batch:
        department = territories.department(line)
        school = existing.get(line.uai)
        if school is None:
            to_create.append(School(uai=line.uai, department=department, **line.values))
            continue
        changed = school.department_id != department.pk
        if changed or school.is_open != line.values["is_open"]:
            regrouped.append(school.pk)
        for name, value in line.values.items():
            if getattr(school, name) != value:
                setattr(school, name, value)
                changed = True
        if changed:
            school.department = department
            to_update.append(school)
        else:
            report.unchanged += 1
    report.created += len(to_create)
    report.updated += len(to_update)
    if not dry_run:
        if to_create:
            School.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            School.objects.bulk_update(to_update, UPDATE_FIELDS, batch_size=BATCH_SIZE)
    return regrouped


def write(spool: Spool, plan: Plan, report: ImportReport, dry_run: bool, progress: bool) -> None:
    """Writes the spool's lines that `plan` keeps, then tells the schools regrouped (once)."""
    territories = Territories(report, dry_run)
    batch: list[Line] = []
    regrouped = []
    with tqdm(
        total=plan.expected,
        unit=" lignes",
        desc=_("Écriture"),
        file=sys.stderr,
        disable=None if progress else True,
        leave=False,
    ) as bar:
        for line, parsed in spool:
            if not plan.keeps(line, parsed.uai):
                continue
            batch.append(parsed)
            if len(batch) >= BATCH_SIZE:
                regrouped += write_batch(batch, territories, report, dry_run)
                bar.update(len(batch))
                batch = []
        if batch:
            regrouped += write_batch(batch, territories, report, dry_run)
            bar.update(len(batch))
    if regrouped and not dry_run:
        # Once for the whole file: each campaign concerned is recounted once.
        schools_regrouped.send(sender=School, school_ids=regrouped)
