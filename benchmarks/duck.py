# ruff: noqa: S608 — the queries are built from integers of our own database (int()), never user input
"""DuckDB computes the dashboards' figures from the raw answers of the bench database.

This is the dashboards' yardstick: a dashboard that reads Pilotis's counters must answer faster
than an analytical engine computing the same figures from `assessments_answer` (DuckDB attaches
the SQLite file through `sqlite_scanner`, the PostgreSQL database through `postgres_scanner`, and
scans the tables with all cores). Each workload mirrors one dashboard:

- progress: the territory's schools, and how many started (one answer at least), validated;
- maturity: every started school's level per domain by the level rule (level n when every
  indicator of levels 1..n is « realise », a missing answer counting as not done), the
  distribution of levels per domain, and the first page (50 schools by name) of the table;
- indicators: per indicator, the counts « realise » / « en_cours » / « non_realise » and the
  shares of the territory's schools, unanswered included;
- trends: the three above for every campaign of the académie up to the one shown.

`verify` compares DuckDB's figures with what Pilotis stores (`tallies.stored`,
`Assessment.domain_levels`), so that the two sides of the ratio compute the same thing.
"""

import datetime
import statistics
import time
import zoneinfo
from collections import Counter, defaultdict

import duckdb
import duckdb_extensions

from benchmarks import common

PAGE_SIZE = 50
TIME_ZONE = "Europe/Paris"  # the project's (settings.TIME_ZONE): a school year starts at local midnight


def connect(schools: int, db: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    if db == "sqlite":
        duckdb_extensions.import_extension("sqlite_scanner", con=con)
        con.execute("LOAD sqlite_scanner")
        con.execute(f"ATTACH '{common.sqlite_path(schools)}' AS p (TYPE sqlite, READ_ONLY)")
    else:
        duckdb_extensions.import_extension("postgres_scanner", con=con)
        con.execute("LOAD postgres_scanner")
        con.execute(f"ATTACH '{common.pg_dsn(common.pg_name(schools))}' AS p (TYPE postgres, READ_ONLY)")
    return con


def _ids(values) -> str:
    """An SQL list of integers (ours, from the database: no user input reaches these queries)."""
    return ", ".join(str(int(v)) for v in values)


def _territory(academy_id: int) -> str:
    return f"""
    territory AS (
        SELECT s.id, s.uai, s.name, s.sort_name, s.department_id, s.is_open
        FROM p.territories_school s JOIN p.territories_department d ON d.id = s.department_id
        WHERE d.academy_id = {int(academy_id)}
    )"""


def _answers(campaign_ids) -> str:
    """The territory's assessments of the campaigns, their answered answers, the indicators."""
    return f"""
    asm AS (
        SELECT a.id, a.campaign_id, a.school_id, a.state
        FROM p.assessments_assessment a JOIN territory t ON t.id = a.school_id AND t.is_open
        WHERE a.campaign_id IN ({_ids(campaign_ids)})
    ),
    ind AS (
        SELECT c.id AS campaign_id, i.id, i.code, i.level, d.code AS domain, d.position, i.position AS ipos
        FROM p.assessments_campaign c
        JOIN p.referential_indicator i ON i.version_id = c.referential_id
        JOIN p.referential_domain d ON d.id = i.domain_id
        WHERE c.id IN ({_ids(campaign_ids)})
    ),
    answers AS (
        SELECT asm.campaign_id, x.assessment_id, x.indicator_id, x.status
        FROM p.assessments_answer x JOIN asm ON asm.id = x.assessment_id
        WHERE x.status <> ''
    )"""


def progress(con, academy_id: int, campaign_ids) -> dict[int, tuple[int, int, int]]:
    """campaign → (schools, started, validated)."""
    rows = con.execute(
        f"""
        WITH {_territory(academy_id)}, {_answers(campaign_ids)},
        started AS (SELECT DISTINCT assessment_id FROM answers)
        SELECT asm.campaign_id,
               (SELECT count(*) FROM territory WHERE is_open) AS schools,
               count(*) FILTER (WHERE asm.id IN (SELECT assessment_id FROM started)) AS started,
               count(*) FILTER (WHERE asm.state = 'validated') AS validated
        FROM asm GROUP BY asm.campaign_id
        """
    ).fetchall()
    out = dict.fromkeys(campaign_ids, (0, 0, 0))
    out.update({c: (schools, started, validated) for c, schools, started, validated in rows})
    if not rows:
        schools = con.execute(f"WITH {_territory(academy_id)} SELECT count(*) FROM territory WHERE is_open").fetchone()
        out = dict.fromkeys(campaign_ids, (schools[0], 0, 0))
    return out


def compute_levels(con, academy_id: int, campaign_ids) -> None:
    """Temp table `lv` (campaign_id, assessment_id, school_id, domain, level) of started schools."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE lv AS
        WITH {_territory(academy_id)}, {_answers(campaign_ids)},
        need AS (SELECT campaign_id, domain, level, count(*) AS n FROM ind GROUP BY ALL),
        started AS (SELECT DISTINCT campaign_id, assessment_id FROM answers),
        done AS (
            SELECT a.assessment_id, ind.domain, ind.level, count(*) AS k
            FROM answers a JOIN ind ON ind.id = a.indicator_id AND ind.campaign_id = a.campaign_id
            WHERE a.status = 'realise'
            GROUP BY ALL
        ),
        grid AS (
            SELECT s.campaign_id, s.assessment_id, n.domain, n.level, coalesce(d.k, 0) = n.n AS complete
            FROM started s
            JOIN need n ON n.campaign_id = s.campaign_id
            LEFT JOIN done d ON d.assessment_id = s.assessment_id AND d.domain = n.domain AND d.level = n.level
        ),
        gap AS (
            SELECT assessment_id, domain, min(level) FILTER (WHERE NOT complete) AS first_gap
            FROM grid GROUP BY ALL
        )
        SELECT grid.campaign_id, grid.assessment_id, asm.school_id, grid.domain,
               coalesce(max(grid.level) FILTER (WHERE grid.level < coalesce(gap.first_gap, 1000)), 0) AS level
        FROM grid
        JOIN gap ON gap.assessment_id = grid.assessment_id AND gap.domain = grid.domain
        JOIN asm ON asm.id = grid.assessment_id
        GROUP BY ALL
        """
    )


def distribution(con) -> dict[tuple[int, str, int], int]:
    """(campaign, domain, level) → schools, from `lv`."""
    return {
        (c, domain, level): n
        for c, domain, level, n in con.execute(
            "SELECT campaign_id, domain, level, count(*) FROM lv GROUP BY ALL"
        ).fetchall()
    }


def first_page(con, academy_id: int, campaign_id: int) -> list[tuple[str, str, dict[str, int]]]:
    """The first 50 open schools by name, with their level per domain (absent: not started)."""
    rows = con.execute(
        f"""
        WITH {_territory(academy_id)},
        page AS (SELECT id, uai, name FROM territory WHERE is_open ORDER BY name, uai LIMIT {PAGE_SIZE})
        SELECT page.uai, page.name, lv.domain, lv.level
        FROM page LEFT JOIN lv ON lv.school_id = page.id AND lv.campaign_id = {int(campaign_id)}
        ORDER BY page.name, page.uai
        """
    ).fetchall()
    out: dict[str, tuple[str, dict[str, int]]] = {}
    for uai, name, domain, level in rows:
        entry = out.setdefault(uai, (name, {}))
        if domain is not None:
            entry[1][domain] = level
    return [(uai, name, levels) for uai, (name, levels) in out.items()]


def indicators(con, academy_id: int, campaign_ids) -> dict[tuple[int, str], tuple[int, int, int, int, dict]]:
    """(campaign, indicator code) → (done, in progress, not done, unanswered, shares)."""
    rows = con.execute(
        f"""
        WITH {_territory(academy_id)}, {_answers(campaign_ids)},
        schools AS (SELECT count(*) AS n FROM territory WHERE is_open),
        counts AS (
            SELECT campaign_id, indicator_id,
                   count(*) FILTER (WHERE status = 'realise') AS done,
                   count(*) FILTER (WHERE status = 'en_cours') AS in_progress,
                   count(*) FILTER (WHERE status = 'non_realise') AS not_done
            FROM answers GROUP BY ALL
        )
        SELECT ind.campaign_id, ind.code, coalesce(done, 0), coalesce(in_progress, 0), coalesce(not_done, 0),
               (SELECT n FROM schools) AS schools
        FROM ind LEFT JOIN counts ON counts.indicator_id = ind.id AND counts.campaign_id = ind.campaign_id
        ORDER BY ind.campaign_id, ind.position, ind.level, ind.ipos
        """
    ).fetchall()
    out = {}
    for campaign_id, code, done, in_progress, not_done, schools in rows:
        unanswered = max(schools - done - in_progress - not_done, 0)
        shares = {
            key: (value / schools if schools else None)
            for key, value in (
                ("realise", done),
                ("en_cours", in_progress),
                ("non_realise", not_done),
                ("", unanswered),
            )
        }
        out[(campaign_id, code)] = (done, in_progress, not_done, unanswered, shares)
    return out


# --- Pilotage's « Plans d'actions » (`steering.plans`) ---------------------------------------


def _covering(alias: str, school_year: str) -> str:
    year = school_year if common_year(school_year) else ""
    return f"{alias}.first_year <= '{year}' AND {alias}.last_year >= '{year}'"


def common_year(value: str) -> bool:
    """A school year written as « 2026-2027 » (the only text put into these queries)."""
    return len(value) == 9 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit()


def plan_adoption(con, academy_id: int, school_year: str) -> dict[int, tuple[int, int, int]]:
    """département → (open schools, with a plan covering the year, with an adopted one)."""
    rows = con.execute(
        f"""
        WITH {_territory(academy_id)}
        SELECT t.department_id, count(DISTINCT t.id),
               count(DISTINCT pl.school_id),
               count(DISTINCT pl.school_id) FILTER (WHERE pl.adopted_revision IS NOT NULL)
        FROM territory t
        LEFT JOIN p.plans_plan pl ON pl.school_id = t.id AND {_covering("pl", school_year)}
        WHERE t.is_open
        GROUP BY t.department_id
        """
    ).fetchall()
    return {department: (schools, planned, adopted) for department, schools, planned, adopted in rows}


def aimed_indicators(con, academy_id: int, school_year: str, limit: int = 15) -> list[tuple[str, int]]:
    """(code, schools) of the indicators the most schools' plans aim at, by an action or an objective."""
    return con.execute(
        f"""
        WITH {_territory(academy_id)},
        pairs AS (
            SELECT a.school_id, ai.indicator_id
            FROM p.plans_action_indicators ai
            JOIN p.plans_action a ON a.id = ai.action_id
            JOIN p.plans_plan pl ON pl.id = a.plan_id AND {_covering("pl", school_year)}
            UNION ALL
            SELECT pl.school_id, ot.indicator_id
            FROM p.plans_objectivetarget ot
            JOIN p.plans_objective o ON o.id = ot.objective_id
            JOIN p.plans_plan pl ON pl.id = o.plan_id AND {_covering("pl", school_year)}
        )
        SELECT i.code, count(DISTINCT pairs.school_id) AS n
        FROM pairs
        JOIN territory t ON t.id = pairs.school_id AND t.is_open
        JOIN p.referential_indicator i ON i.id = pairs.indicator_id
        GROUP BY i.code ORDER BY n DESC, i.code LIMIT {int(limit)}
        """
    ).fetchall()


def plan_schools_page(con, academy_id: int, school_year: str, today) -> list[tuple]:
    """The first 50 open schools by name: (uai, has a plan, adopted, done, in progress, overdue,
    meetings held this year)."""
    start = int(school_year[:4])
    bounds = [
        datetime.datetime(year, 9, 1, tzinfo=zoneinfo.ZoneInfo(TIME_ZONE)).timestamp() for year in (start, start + 1)
    ]
    rows = con.execute(
        f"""
        WITH {_territory(academy_id)},
        page AS (SELECT id, uai, sort_name FROM territory WHERE is_open ORDER BY sort_name, uai LIMIT {PAGE_SIZE}),
        plan AS (
            SELECT pl.school_id, bool_or(pl.adopted_revision IS NOT NULL) AS adopted
            FROM p.plans_plan pl JOIN page ON page.id = pl.school_id
            WHERE {_covering("pl", school_year)} GROUP BY pl.school_id
        ),
        act AS (
            SELECT a.school_id,
                   count(*) FILTER (WHERE a.status = 'done') AS done,
                   count(*) FILTER (WHERE a.status = 'in_progress') AS in_progress,
                   count(*) FILTER (WHERE a.status IN ('todo', 'in_progress') AND a.due_on < DATE '{today.isoformat()}') AS overdue
            FROM p.plans_action a
            JOIN page ON page.id = a.school_id
            JOIN p.plans_plan pl ON pl.id = a.plan_id AND {_covering("pl", school_year)}
            GROUP BY a.school_id
        ),
        meet AS (
            SELECT m.school_id, count(*) AS n
            FROM p.commission_meeting m JOIN page ON page.id = m.school_id
            WHERE m.state IN ('held', 'validated')
              AND epoch(m.starts_at) >= {bounds[0]} AND epoch(m.starts_at) < {bounds[1]}
            GROUP BY m.school_id
        )
        SELECT page.uai, plan.school_id IS NOT NULL, coalesce(plan.adopted, false),
               coalesce(act.done, 0), coalesce(act.in_progress, 0), coalesce(act.overdue, 0), coalesce(meet.n, 0)
        FROM page
        LEFT JOIN plan ON plan.school_id = page.id
        LEFT JOIN act ON act.school_id = page.id
        LEFT JOIN meet ON meet.school_id = page.id
        ORDER BY page.sort_name, page.uai
        """
    ).fetchall()
    return [tuple(row) for row in rows]


def verify_plans(con, academy_id: int, campaign_ids) -> list[str]:
    """Differences between DuckDB's plan figures and `steering.plans`' (empty when they agree)."""
    from django.utils import timezone

    from pilotis.assessments.models import Campaign
    from pilotis.steering import plans
    from pilotis.steering.figures import Territory
    from pilotis.territories.models import Department

    problems = []
    today = timezone.localdate()
    departments = list(Department.objects.filter(academy_id=academy_id).order_by("code"))
    for campaign in Campaign.objects.filter(pk__in=campaign_ids).select_related("referential"):
        year = campaign.school_year
        territory = Territory.of(campaign, departments)
        adoption = plans.adoption(territory, departments)
        ours = {
            d.pk: (line.schools, line.with_plan, line.adopted)
            for d, line in zip(departments, adoption.lines, strict=True)
        }
        duck = plan_adoption(con, academy_id, year)
        if {k: v for k, v in ours.items() if v != (0, 0, 0)} != {k: v for k, v in duck.items() if v != (0, 0, 0)}:
            problems.append(f"{year} plan adoption: DuckDB and Pilotis differ")
        if [(a.code, a.schools) for a in plans.aimed_indicators(territory)] != aimed_indicators(con, academy_id, year):
            problems.append(f"{year} aimed indicators: DuckDB and Pilotis differ")
        page = list(plans.schools(territory)[:PAGE_SIZE])
        lines = [
            (x.school.uai, x.has_plan, x.adopted, x.done, x.in_progress, x.overdue, x.meetings)
            for x in plans.school_lines(territory, page, today)
        ]
        if lines != plan_schools_page(con, academy_id, year, today):
            problems.append(f"{year} plans per school: DuckDB and Pilotis differ")
    return problems


# --- The four workloads, timed ----------------------------------------------------------------


def workloads(con, academy_id: int, campaign_id: int, trend_ids):
    """name → a function computing that dashboard's figures from the raw answers."""

    def maturity():
        compute_levels(con, academy_id, [campaign_id])
        return distribution(con), first_page(con, academy_id, campaign_id)

    def trends():
        figures = progress(con, academy_id, trend_ids), indicators(con, academy_id, trend_ids)
        compute_levels(con, academy_id, trend_ids)
        return (*figures, distribution(con))

    year = dict(
        con.execute(f"SELECT id, school_year FROM p.assessments_campaign WHERE id = {int(campaign_id)}").fetchall()
    )[campaign_id]
    today = datetime.datetime.now(zoneinfo.ZoneInfo(TIME_ZONE)).date()  # Pilotis's « today »

    def plans():
        return plan_adoption(con, academy_id, year), aimed_indicators(con, academy_id, year)

    return {
        "plans": plans,
        "plans_schools": lambda: plan_schools_page(con, academy_id, year, today),
        "progress": lambda: progress(con, academy_id, [campaign_id]),
        "maturity": maturity,
        "indicators": lambda: indicators(con, academy_id, [campaign_id]),
        "trends": trends,
    }


def timed(function, *, runs: int = 5, warmup: int = 1) -> dict:
    for _ in range(warmup):
        function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return {"median_ms": statistics.median(times) * 1000, "runs_ms": [round(t * 1000, 1) for t in times]}


# --- Same figures as Pilotis? -----------------------------------------------------------------


def verify(con, academy_id: int, campaign_ids) -> list[str]:
    """Differences between DuckDB's figures and Pilotis's stored ones (empty when they agree)."""
    from pilotis.assessments import tallies
    from pilotis.assessments.models import Assessment, Campaign
    from pilotis.referential.models import Domain, Indicator
    from pilotis.territories.models import School

    problems = []
    schools = School.objects.filter(department__academy_id=academy_id, is_open=True).count()
    duck_progress = progress(con, academy_id, campaign_ids)
    duck_indicators = indicators(con, academy_id, campaign_ids)
    compute_levels(con, academy_id, campaign_ids)
    duck_distribution = distribution(con)
    duck_levels = _levels_by_assessment(
        con.execute("SELECT campaign_id, assessment_id, domain, level FROM lv").fetchall()
    )
    for campaign in Campaign.objects.filter(pk__in=campaign_ids):
        year = campaign.school_year
        stored = tallies.stored(campaign)
        started = sum(s for s, _v in stored.campaigns.values())
        validated = sum(v for _s, v in stored.campaigns.values())
        if duck_progress[campaign.pk] != (schools, started, validated):
            problems.append(
                f"{year} progress: DuckDB {duck_progress[campaign.pk]}, Pilotis {(schools, started, validated)}"
            )
        codes = dict(Indicator.objects.filter(version=campaign.referential_id).values_list("pk", "code"))
        pilotis_indicators = defaultdict(lambda: (0, 0, 0))
        for (_department, indicator), counts in stored.indicators.items():
            pilotis_indicators[codes[indicator]] = tuple(
                a + b for a, b in zip(pilotis_indicators[codes[indicator]], counts, strict=True)
            )
        wrong = [
            code
            for code in codes.values()
            if duck_indicators[(campaign.pk, code)][:3] != pilotis_indicators.get(code, (0, 0, 0))
        ]
        if wrong:
            problems.append(f"{year} indicators: {len(wrong)} differ (first {wrong[0]})")
        domains = dict(Domain.objects.filter(version=campaign.referential_id).values_list("pk", "code"))
        pilotis_distribution = Counter()
        for (_department, domain, level), counts in stored.levels.items():
            # Started schools at that level (the counters may also hold the validated ones).
            pilotis_distribution[(domains[domain], level)] += counts[0] if isinstance(counts, tuple) else counts
        duck = {(d, lvl): n for (c, d, lvl), n in duck_distribution.items() if c == campaign.pk}
        if duck != dict(pilotis_distribution):
            problems.append(f"{year} level distribution: DuckDB {sorted(duck.items())[:4]}…, Pilotis differs")
        # Every started assessment's level per domain, against the one Pilotis keeps at each save.
        pilotis_levels = {
            pk: {code: domain_levels.get(code, 0) for code in domains.values()}
            for pk, domain_levels in Assessment.objects.filter(campaign=campaign, answered_count__gt=0).values_list(
                "pk", "domain_levels"
            )
        }
        duck_campaign = duck_levels.get(campaign.pk, {})
        mismatched = sum(
            1 for pk in pilotis_levels.keys() | duck_campaign.keys() if pilotis_levels.get(pk) != duck_campaign.get(pk)
        )
        if mismatched:
            problems.append(f"{year}: {mismatched} assessments' levels differ from Assessment.domain_levels")
    return problems


def _levels_by_assessment(rows) -> dict[int, dict[int, dict[str, int]]]:
    """campaign → assessment → domain code → level."""
    out = defaultdict(lambda: defaultdict(dict))
    for campaign, assessment, domain, level in rows:
        out[campaign][assessment][domain] = level
    return out
