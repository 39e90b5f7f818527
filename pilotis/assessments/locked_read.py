"""The read under the lock of every save of an answer, written in SQL.

A save must lock the school's assessment of the campaign, read the campaign's state and
referential with it, and read the answers of the indicator's domain (the answer to change, and
the statuses that give the domain's level). Here that is one statement on SQLite and two on
PostgreSQL (see `_statements`), built once per database: the ORM compiles its queries again on
every request, and on the autosave, the path a RUPN runs at every click, that compilation cost
more than the database's work (benchmarks/README.md, « What the autosave spends »).

Nothing else is hand-written: the statements are built with `core.sql`, from the models' `_meta`,
and what they read goes through Django's own converters into instances the ORM would build.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connections

from pilotis.assessments.models import Answer, Assessment, Campaign
from pilotis.core import sql
from pilotis.referential.models import Indicator, ReferentialVersion

ASSESSMENT = frozenset(
    {"id", "campaign_id", "school_id", "state", "domain_levels", "answered_count", "last_activity_at", "ready_at"}
)
CAMPAIGN = frozenset({"id", "academy_id", "state", "school_year", "referential_id", "opens_on"})
REFERENTIAL = frozenset({"id", "checksum"})


@dataclass
class LockedRead:
    assessment: Assessment  # its campaign (with its referential) and school set
    answers: list[tuple]  # the domain's answers, each a tuple of ANSWER_FIELDS


@dataclass(frozen=True)
class _Statements:
    """For one database: either one statement (SQLite) or the lock, then the answers (PostgreSQL)."""

    one: str | None
    lock: str | None
    answers: str | None
    head: tuple[sql.Columns, ...]  # the assessment's, the campaign's, the referential's
    answer: sql.Columns


def _selected(using):
    return (
        sql.columns(Assessment, "a", ASSESSMENT, using),
        sql.columns(Campaign, "c", CAMPAIGN, using),
        sql.columns(ReferentialVersion, "r", REFERENTIAL, using),
    ), sql.columns(Answer, "ans", None, using)


# Every column the answers' statements read, in the order of ANSWER_FIELDS.
ANSWER_FIELDS = [f.attname for f in Answer._meta.concrete_fields]


@cache
def _statements(using: str) -> _Statements:
    connection = connections[using]

    def col(model, attname, table_alias):
        return sql.column(model, attname, table_alias, using)

    head, answer = _selected(using)
    ind, ans = Indicator, Answer
    # Names from the models' _meta, quoted; every value is a parameter.
    select_head = ", ".join(part.sql for part in head)
    tables = (
        f"FROM {sql.table(Assessment, using)} a "
        f"JOIN {sql.table(Campaign, using)} c ON {col(Campaign, 'id', 'c')} = {col(Assessment, 'campaign_id', 'a')} "
        f"JOIN {sql.table(ReferentialVersion, using)} r "
        f"ON {col(ReferentialVersion, 'id', 'r')} = {col(Campaign, 'referential_id', 'c')} "
    )
    where = (
        f"WHERE {col(Assessment, 'school_id', 'a')} = %s AND {col(Campaign, 'academy_id', 'c')} = %s "
        f"AND {col(Campaign, 'school_year', 'c')} = %s"
    )
    domain_of_code = (
        f"(SELECT {col(ind, 'domain_id', 'x')} FROM {sql.table(ind, using)} x "  # noqa: S608
        f"WHERE {col(ind, 'version_id', 'x')} = {{version}} AND {col(ind, 'code', 'x')} = %s)"
    )
    if not connection.features.has_select_for_update:
        # SQLite: the IMMEDIATE transaction holds the write lock already, so every read sees the
        # last committed state: one statement.
        one = (
            f"SELECT {select_head}, {answer.sql} {tables}"  # noqa: S608
            f"LEFT JOIN {sql.table(ind, using)} i ON {col(ind, 'version_id', 'i')} = {col(Campaign, 'referential_id', 'c')} "
            f"AND {col(ind, 'domain_id', 'i')} = {domain_of_code.format(version=col(Campaign, 'referential_id', 'c'))} "
            f"LEFT JOIN {sql.table(ans, using)} ans ON {col(ans, 'assessment_id', 'ans')} = {col(Assessment, 'id', 'a')} "
            f"AND {col(ans, 'indicator_id', 'ans')} = {col(ind, 'id', 'i')} {where}"
        )
        return _Statements(one, None, None, head, answer)
    # PostgreSQL: a row locked after waiting is read again, but rows joined to it come from the
    # statement's snapshot, taken before the wait: the answers a concurrent save has just
    # committed would be missed. They are read by a second statement, after the lock.
    lock = f"SELECT {select_head} {tables}{where} FOR UPDATE"  # noqa: S608
    if connection.features.has_select_for_update_of:
        lock += " OF a"  # the assessment's row only, not the campaign's
    answers = (
        f"SELECT {answer.sql} FROM {sql.table(ans, using)} ans "  # noqa: S608
        f"JOIN {sql.table(ind, using)} i ON {col(ind, 'id', 'i')} = {col(ans, 'indicator_id', 'ans')} "
        f"WHERE {col(ans, 'assessment_id', 'ans')} = %s AND {col(ind, 'version_id', 'i')} = %s "
        f"AND {col(ind, 'domain_id', 'i')} = {domain_of_code.format(version='%s')}"
    )
    return _Statements(None, lock, answers, head, answer)


def lock_for_answer(school, academy_id: int, school_year: str, code: str, using: str = "default") -> LockedRead | None:
    """Locks the school's assessment of the académie's campaign of that year and reads it with
    its campaign, its referential and the answers of the domain of the indicator `code` (none if
    the code is unknown). None when the school has no assessment of that campaign yet. Call it in
    a transaction."""
    statements = _statements(using)
    assessment_cols, campaign_cols, referential_cols = statements.head
    a_end = len(assessment_cols)
    c_end = a_end + len(campaign_cols)
    r_end = c_end + len(referential_cols)
    where = [school.pk, academy_id, school_year]
    with connections[using].cursor() as cursor:
        if statements.one:
            cursor.execute(statements.one, [code, *where])
            rows = cursor.fetchall()
            if not rows:
                return None
            head = rows[0][:r_end]
            answers = [tuple(statements.answer.converted(row[r_end:], using)) for row in rows if row[r_end] is not None]
        else:
            cursor.execute(statements.lock, where)
            head = cursor.fetchone()
            if head is None:
                return None
            assessment_id = head[assessment_cols.attnames.index("id")]
            referential_id = head[c_end + referential_cols.attnames.index("id")]
            cursor.execute(statements.answers, [assessment_id, referential_id, referential_id, code])
            answers = [tuple(statements.answer.converted(row, using)) for row in cursor.fetchall()]
    assessment = assessment_cols.instance(head[:a_end], using)
    assessment.campaign = campaign_cols.instance(head[a_end:c_end], using)
    assessment.campaign.referential = referential_cols.instance(head[c_end:r_end], using)
    assessment.school = school
    return LockedRead(assessment, answers)
