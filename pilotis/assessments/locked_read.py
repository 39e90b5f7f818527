"""The autosave's read under the lock, written in SQL.

An autosave must lock the school's assessment of the campaign, read the campaign's state and
referential with it, and read the answers of the indicator's domain (the answer to change, and
the statuses that give the domain's level). Through the ORM that was two queries and 1.25 ms of
Python per save on SQLite (1.9 ms on PostgreSQL); here it is one statement on SQLite and two on
PostgreSQL (see `_statements`), 0.1 ms of Python, which is most of what separated the autosave
from half the bare view's throughput under load (benchmarks/README.md).

Nothing else is hand-written: table and column names come from the models' `_meta`, and every
value goes through the converters Django itself would apply (dates made aware, JSON decoded), so
the instances built are those the ORM would build, with the fields not read deferred.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connections

from pilotis.assessments.models import Answer, Assessment, Campaign
from pilotis.referential.models import Indicator, ReferentialVersion


def _in_model_order(model, wanted):
    # Model.from_db takes a partial row in the order of the model's fields.
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


ASSESSMENT_FIELDS = _in_model_order(
    Assessment, {"id", "campaign_id", "school_id", "state", "domain_levels", "answered_count", "last_activity_at"}
)
CAMPAIGN_FIELDS = _in_model_order(Campaign, {"id", "academy_id", "state", "school_year", "referential_id"})
REFERENTIAL_FIELDS = _in_model_order(ReferentialVersion, {"id", "checksum"})
ANSWER_FIELDS = [f.attname for f in Answer._meta.concrete_fields]

SELECTED = [
    ("a", Assessment, ASSESSMENT_FIELDS),
    ("c", Campaign, CAMPAIGN_FIELDS),
    ("r", ReferentialVersion, REFERENTIAL_FIELDS),
    ("ans", Answer, ANSWER_FIELDS),
]


@dataclass
class LockedRead:
    assessment: Assessment  # its campaign (with its referential) and school set
    answers: list[tuple]  # the domain's answers, each a tuple of ANSWER_FIELDS


def _field(model, attname):
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


@dataclass(frozen=True)
class _Statements:
    """For one database: either one statement (SQLite) or the lock, then the answers (PostgreSQL)."""

    one: str | None
    lock: str | None
    answers: str | None
    converters: list  # (column, converters) of every selected column, in order


@cache
def _statements(alias: str) -> _Statements:
    connection = connections[alias]
    q = connection.ops.quote_name

    def col(model, attname, table_alias):
        return f"{table_alias}.{q(_field(model, attname).column)}"

    def table(model):
        return q(model._meta.db_table)

    select, converters = {}, []
    for table_alias, model, attnames in SELECTED:
        select[table_alias] = [col(model, attname, table_alias) for attname in attnames]
        for attname in attnames:
            field = _field(model, attname)
            expression = field.get_col(table_alias)
            converters.append(
                (expression, connection.ops.get_db_converters(expression) + field.get_db_converters(connection))
            )
    ind, ans = Indicator, Answer
    # Names from the models' _meta, quoted; every value is a parameter.
    head = ", ".join(select["a"] + select["c"] + select["r"])
    tables = (
        f"FROM {table(Assessment)} a "
        f"JOIN {table(Campaign)} c ON {col(Campaign, 'id', 'c')} = {col(Assessment, 'campaign_id', 'a')} "
        f"JOIN {table(ReferentialVersion)} r ON {col(ReferentialVersion, 'id', 'r')} = {col(Campaign, 'referential_id', 'c')} "
    )
    where = (
        f"WHERE {col(Assessment, 'school_id', 'a')} = %s AND {col(Campaign, 'academy_id', 'c')} = %s "
        f"AND {col(Campaign, 'school_year', 'c')} = %s"
    )
    domain_of_code = (
        f"(SELECT {col(ind, 'domain_id', 'x')} FROM {table(ind)} x "  # noqa: S608
        f"WHERE {col(ind, 'version_id', 'x')} = {{version}} AND {col(ind, 'code', 'x')} = %s)"
    )
    if not connection.features.has_select_for_update:
        # SQLite: the IMMEDIATE transaction holds the write lock already, so every read sees the
        # last committed state: one statement.
        one = (
            f"SELECT {head}, {', '.join(select['ans'])} {tables}"  # noqa: S608
            f"LEFT JOIN {table(ind)} i ON {col(ind, 'version_id', 'i')} = {col(Campaign, 'referential_id', 'c')} "
            f"AND {col(ind, 'domain_id', 'i')} = {domain_of_code.format(version=col(Campaign, 'referential_id', 'c'))} "
            f"LEFT JOIN {table(ans)} ans ON {col(ans, 'assessment_id', 'ans')} = {col(Assessment, 'id', 'a')} "
            f"AND {col(ans, 'indicator_id', 'ans')} = {col(ind, 'id', 'i')} {where}"
        )
        return _Statements(one, None, None, converters)
    # PostgreSQL: a row locked after waiting is read again, but rows joined to it come from the
    # statement's snapshot, taken before the wait: the answers a concurrent save has just
    # committed would be missed. They are read by a second statement, after the lock.
    lock = f"SELECT {head} {tables}{where} FOR UPDATE"  # noqa: S608
    if connection.features.has_select_for_update_of:
        lock += " OF a"  # the assessment's row only, not the campaign's
    answers = (
        f"SELECT {', '.join(select['ans'])} FROM {table(ans)} ans "  # noqa: S608
        f"JOIN {table(ind)} i ON {col(ind, 'id', 'i')} = {col(ans, 'indicator_id', 'ans')} "
        f"WHERE {col(ans, 'assessment_id', 'ans')} = %s AND {col(ind, 'version_id', 'i')} = %s "
        f"AND {col(ind, 'domain_id', 'i')} = {domain_of_code.format(version='%s')}"
    )
    return _Statements(None, lock, answers, converters)


def lock_for_answer(school, school_year: str, code: str, using: str = "default") -> LockedRead | None:
    """Locks the school's assessment of the campaign of that year and reads it with its campaign,
    its referential and the answers of the domain of the indicator `code` (none if the code is
    unknown). None when the school has no assessment of that campaign yet. Call it in a
    transaction."""
    statements = _statements(using)
    connection = connections[using]
    sizes = [len(attnames) for _alias, _model, attnames in SELECTED]
    a_end, c_end, r_end = sizes[0], sizes[0] + sizes[1], sum(sizes[:3])
    where = [school.pk, school.department.academy_id, school_year]
    with connection.cursor() as cursor:
        if statements.one:
            cursor.execute(statements.one, [code, *where])
            rows = [_converted(row, statements.converters, connection) for row in cursor.fetchall()]
            if not rows:
                return None
            head, answers = rows[0][:r_end], [tuple(row[r_end:]) for row in rows if row[r_end] is not None]
        else:
            cursor.execute(statements.lock, where)
            row = cursor.fetchone()
            if row is None:
                return None
            head = _converted(row, statements.converters[:r_end], connection)
            assessment_id = head[ASSESSMENT_FIELDS.index("id")]
            referential_id = head[c_end + REFERENTIAL_FIELDS.index("id")]
            cursor.execute(statements.answers, [assessment_id, referential_id, referential_id, code])
            answers = [tuple(_converted(r, statements.converters[r_end:], connection)) for r in cursor.fetchall()]
    referential = ReferentialVersion.from_db(using, REFERENTIAL_FIELDS, head[c_end:r_end])
    campaign = Campaign.from_db(using, CAMPAIGN_FIELDS, head[a_end:c_end])
    campaign.referential = referential
    assessment = Assessment.from_db(using, ASSESSMENT_FIELDS, head[:a_end])
    assessment.campaign = campaign
    assessment.school = school
    return LockedRead(assessment, answers)


def _converted(row, converters, connection) -> list:
    out = []
    for value, (expression, functions) in zip(row, converters, strict=True):
        for function in functions:
            value = function(value, expression, connection)
        out.append(value)
    return out
