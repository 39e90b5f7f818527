"""The school of a URL, read in one statement written once (`core.sql`): every school page and
every autosave starts with it, and through the ORM its compilation cost more than the query."""

from functools import cache

from django.db import connections

from pilotis.core import sql
from pilotis.territories.models import Academy, Department, School


@cache
def _statement(using: str) -> tuple[str, tuple[sql.Columns, ...]]:
    parts = (
        sql.columns(School, "s", None, using),
        sql.columns(Department, "d", None, using),
        sql.columns(Academy, "a", None, using),
    )

    def col(model, attname, alias):
        return sql.column(model, attname, alias, using)

    statement = (
        f"SELECT {', '.join(part.sql for part in parts)} FROM {sql.table(School, using)} s "  # noqa: S608
        f"JOIN {sql.table(Department, using)} d ON {col(Department, 'id', 'd')} = {col(School, 'department_id', 's')} "
        f"JOIN {sql.table(Academy, using)} a ON {col(Academy, 'id', 'a')} = {col(Department, 'academy_id', 'd')} "
        f"WHERE {col(School, 'uai', 's')} = %s"
    )
    return statement, parts


def school_by_uai(uai: str, using: str = "default") -> School | None:
    """The school with that UAI, its département and académie set: what
    `School.objects.select_related("department__academy").filter(uai=uai).first()` gives.
    Unscoped: the caller checks the user's scope (`Scope.covers`)."""
    statement, (school_cols, department_cols, academy_cols) = _statement(using)
    with connections[using].cursor() as cursor:
        cursor.execute(statement, [uai])
        row = cursor.fetchone()
    if row is None:
        return None
    s_end = len(school_cols)
    d_end = s_end + len(department_cols)
    school = school_cols.instance(row[:s_end], using)
    school.department = department_cols.instance(row[s_end:d_end], using)
    school.department.academy = academy_cols.instance(row[d_end:], using)
    return school
