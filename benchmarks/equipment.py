# ruff: noqa: S608 — the DuckDB query is built from integers of our own database, never user input
"""The territory's equipment needs (`/pilotage/besoins/`) at 1,000, 10,000 and 60,000 schools: the page's
whole response for the DANE of the académie, and its CSV export, against DuckDB computing the same
figures (counts, quantities and costs by category × funder × state) from the raw needs.

    python -m benchmarks.equipment --sizes 1000 10000 60000 --db sqlite postgres [--force]

Targets: the page answers faster than DuckDB computes its figures (ratio below 1), with the same
number of queries at every size, and the two sides give the same figures. Bench databases:
`var/bench/equipment-<size>.sqlite3` and PostgreSQL's `pilotis_equipment_bench_<size>`, generated
once (a stamp holds the generator's version and the migrations' fingerprint) and reused. Each
(database, size) runs in a process of its own (Django reads its database once); the pages go
through Django's test client in that process, `RUNS` times after `WARMUP`; the median is kept.
"""

import argparse
import json
import os
import random
import statistics
import subprocess  # noqa: S404 — runs this module with fixed argument lists
import sys
import time
from decimal import Decimal
from pathlib import Path

from benchmarks import common

GENERATOR_VERSION = 2  # 2: one département per 600 schools, and the territory's counters
SCHOOLS_PER_DEPARTMENT = 600
WARMUP = 3
RUNS = 15
NEEDS_PER_SCHOOL = (0, 8)  # drawn uniformly: four on average
DANE = "bench-equipment-dane"


BENCH_DATABASES = common.Family("equipment", GENERATOR_VERSION)
sqlite_path = BENCH_DATABASES.sqlite_path
pg_name = BENCH_DATABASES.pg_name
database_url = BENCH_DATABASES.database_url
stamp_path = BENCH_DATABASES.stamp_path
expected_stamp = BENCH_DATABASES.expected_stamp
reset_database = BENCH_DATABASES.reset_database
env_for = BENCH_DATABASES.env_for


def _uai(n):
    from pilotis.territories.models import uai_check_letter

    digits = f"{common.SYNTHETIC_UAI_BASE + n:07d}"
    return digits + uai_check_letter(digits)


def generate(size, log):
    """The académie « Banc d'essai »: one département per 600 schools (5 at least), `size` schools (three collèges in five), each
    with 0 to 8 needs of every category and state, and the DANE."""
    from django.core.management import call_command
    from django.db import connection

    from pilotis.accounts.enums import TerritoryRoleKind
    from pilotis.accounts.models import TerritoryRole, User
    from pilotis.equipment import tallies
    from pilotis.equipment.enums import Funder, NeedCategory, NeedState
    from pilotis.equipment.models import Need, default_funder
    from pilotis.territories.enums import SchoolKind, Sector
    from pilotis.territories.models import Academy, Department, School, search_key

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    log(f"migrated ({time.monotonic() - started:.0f} s)")
    rng = random.Random(size)
    academy = Academy.objects.create(code=common.ACADEMY_CODE, name=common.ACADEMY_NAME)
    departments = [
        Department.objects.create(code=f"{n:03d}", name=f"Département {n}", academy=academy)
        for n in range(1, max(5, size // SCHOOLS_PER_DEPARTMENT) + 1)
    ]
    schools = []
    for n in range(size):
        kind = SchoolKind.COLLEGE if n % 5 < 3 else SchoolKind.LYCEE_GT
        name = f"{'Collège' if kind == SchoolKind.COLLEGE else 'Lycée'} du banc {n}"
        schools.append(
            School(
                uai=_uai(n), name=name, kind=kind, sector=Sector.PUBLIC, department=departments[n % len(departments)],
                commune=f"Commune {n}", search_text=School.build_search_text(name, f"Commune {n}", _uai(n)),
                sort_name=search_key(name), is_open=n % 50 != 0,
            )
        )  # fmt: skip
    School.objects.bulk_create(schools, batch_size=2000)
    dane = User.objects.create_user(DANE, f"{DANE}@example.org", "bench-password")
    TerritoryRole.objects.create(user=dane, kind=TerritoryRoleKind.DANE, academy=academy)
    needs = []
    for school in School.objects.order_by("pk"):
        for _ in range(rng.randint(*NEEDS_PER_SCHOOL)):
            state = rng.choice(NeedState.values)
            needs.append(
                Need(
                    school=school, category=rng.choice(NeedCategory.values), object="Besoin du banc",
                    quantity=rng.randint(1, 30),
                    estimated_cost=None if rng.random() < 0.2 else Decimal(rng.randint(100, 500_000)) / 100,
                    funder=default_funder(school) if rng.random() < 0.9 else rng.choice(Funder.values),
                    state=state, rank=rng.randint(1, 8) if state == NeedState.PRIORITISED else None,
                )
            )  # fmt: skip
    Need.objects.bulk_create(needs, batch_size=5000)
    tallies.rebuild()  # the counters the services would have moved, need by need
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    log(f"{size:,} schools, {len(needs):,} needs ({time.monotonic() - started:.0f} s)")


# --- DuckDB, the yardstick ---------------------------------------------------------------------


def duck_connect(size, db):
    import duckdb
    import duckdb_extensions

    con = duckdb.connect()
    if db == "sqlite":
        duckdb_extensions.import_extension("sqlite_scanner", con=con)
        con.execute("LOAD sqlite_scanner")
        con.execute(f"ATTACH '{sqlite_path(size)}' AS p (TYPE sqlite, READ_ONLY)")
    else:
        duckdb_extensions.import_extension("postgres_scanner", con=con)
        con.execute("LOAD postgres_scanner")
        con.execute(f"ATTACH '{common.pg_dsn(pg_name(size))}' AS p (TYPE postgres, READ_ONLY)")
    return con


def duck_figures(con, academy_id: int) -> dict:
    """(category, funder, state) → (needs, quantity, cost in cents) of the académie's open schools."""
    rows = con.execute(
        f"""
        SELECT n.category, n.funder, n.state, count(*), sum(n.quantity),
               sum(CAST(round(CAST(n.estimated_cost AS DOUBLE) * 100) AS BIGINT))
        FROM p.equipment_need n
        JOIN p.territories_school s ON s.id = n.school_id
        JOIN p.territories_department d ON d.id = s.department_id
        WHERE s.is_open AND d.academy_id = {int(academy_id)}
        GROUP BY 1, 2, 3
        """
    ).fetchall()
    return {(c, f, st): (int(n), int(q or 0), int(cost or 0)) for c, f, st, n, q, cost in rows}


def pilotis_figures(user) -> dict:
    """The same keys from what the page computes (`territory.figures` by category, per funder:
    the page's one grouped query, regrouped here on its three keys to compare)."""
    from django.db.models import Count, Sum

    from pilotis.equipment.models import Need
    from pilotis.territories.models import Department

    rows = (
        Need.objects.for_territory(Department.objects.for_user(user))
        .order_by()
        .values_list("category", "funder", "state")
        .annotate(n=Count("pk"), q=Sum("quantity"), c=Sum("estimated_cost"))
    )
    return {(c, f, st): (n, q or 0, int(round(Decimal(str(cost or 0)) * 100))) for c, f, st, n, q, cost in rows}


def measure(size, db, log):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from pilotis.equipment import territory
    from pilotis.territories.models import Academy

    user = get_user_model().objects.get(username=DANE)
    client = Client()
    client.force_login(user)
    results = []
    for label, url in [
        ("page", reverse("territory_needs:overview")),
        ("page_filtered", reverse("territory_needs:overview") + "?department=B02&state=prioritised"),
        ("export_csv", reverse("territory_needs:export", args=["csv"])),
    ]:
        for _ in range(WARMUP):
            response = client.get(url)
        times = []
        for _ in range(RUNS):
            begin = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - begin) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results.append(
            {
                "page": label,
                "status": response.status_code,
                "median_ms": statistics.median(times),
                "queries": len(queries),
            }
        )
        log(f"{label}: {results[-1]['median_ms']:.1f} ms, {len(queries)} queries")
    academy = Academy.objects.get(code=common.ACADEMY_CODE)
    con = duck_connect(size, db)
    duck = duck_figures(con, academy.pk)
    times = []
    for _ in range(RUNS):
        begin = time.perf_counter()
        duck_figures(con, academy.pk)
        times.append((time.perf_counter() - begin) * 1000)
    ours = pilotis_figures(user)
    shown = territory.figures(user)
    same = ours == duck and shown.total.total.needs == sum(v[0] for v in duck.values())
    log(f"duckdb: {statistics.median(times):.1f} ms; same figures: {same}")
    return {"pages": results, "duck_ms": statistics.median(times), "same": same,
            "needs": sum(v[0] for v in duck.values())}  # fmt: skip


def child(size, db, force, out):
    def log(text):
        print(f"[{db} {size:,}] {text}", flush=True)

    import django

    django.setup()
    stamp = stamp_path(size, db)
    current = json.loads(stamp.read_text()) if stamp.exists() else None
    if force or current != expected_stamp(size):
        generate(size, log)
        stamp.write_text(json.dumps(expected_stamp(size)))
    result = {"size": size, "db": db, "load": os.getloadavg(), **measure(size, db, log)}
    out.write_text(json.dumps(result))


def run(sizes, dbs, force=False):
    common.VAR_DIR.mkdir(parents=True, exist_ok=True)
    results, failed = [], []
    for db in dbs:
        for size in sizes:
            out = common.VAR_DIR / f"equipment-result-{size}-{db}.json"
            out.unlink(missing_ok=True)
            stamp = stamp_path(size, db)
            if force or not stamp.exists() or json.loads(stamp.read_text()) != expected_stamp(size):
                reset_database(size, db)
            command = [common.PYTHON, "-m", "benchmarks.equipment", "--child", str(size), db, str(out)]
            done = subprocess.run(command, env=env_for(size, db), cwd=common.BASE_DIR)  # noqa: S603
            if done.returncode != 0 or not out.exists():
                failed.append(f"equipment: {size:,} schools on {db}: the measurement failed (exit {done.returncode})")
                continue
            results.append(json.loads(out.read_text()))
    return results, failed


def report(results):
    lines = [
        "",
        "## Besoins d'équipement (Pilotage)",
        "",
        f"Median whole response ({RUNS} requests after {WARMUP}, Django's test client in process) for the DANE, "
        "against DuckDB computing the same figures from the raw needs; target: ratio (page / DuckDB) below 1, "
        "the same queries at every size, the same figures.",
        "",
        "| schools | needs | database | page | ms | queries | DuckDB (ms) | ratio | same figures |",
        "|---:|---:|---|---|---:|---:|---:|---:|---|",
    ]
    missed = []
    for r in results:
        for p in r["pages"]:
            ratio = p["median_ms"] / r["duck_ms"] if r["duck_ms"] else float("inf")
            lines.append(
                f"| {r['size']:,} | {r['needs']:,} | {r['db']} | {p['page']} | {p['median_ms']:.1f} | {p['queries']} "
                f"| {r['duck_ms']:.1f} | {ratio:.2f} | {'yes' if r['same'] else '**no**'} |"
            )
            if ratio >= 1 or p["status"] != 200:
                missed.append(f"equipment {r['db']} {r['size']} {p['page']}: ratio {ratio:.2f}, status {p['status']}")
        if not r["same"]:
            missed.append(f"equipment {r['db']} {r['size']}: figures differ from DuckDB's")
    for db in {r["db"] for r in results}:
        for label in ("page", "page_filtered", "export_csv"):
            counts = {p["queries"] for r in results if r["db"] == db for p in r["pages"] if p["page"] == label}
            if len(counts) > 1:
                missed.append(f"equipment {db} {label}: queries grow with the size {sorted(counts)}")
    return "\n".join(lines), missed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 60000])
    parser.add_argument("--db", nargs="+", choices=common.DATABASES, default=list(common.DATABASES))
    parser.add_argument("--force", action="store_true", help="regenerate the bench databases")
    parser.add_argument("--child", nargs=3, metavar=("SIZE", "DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.chdir(common.BASE_DIR)
    if args.child:
        size, db, out = args.child
        child(int(size), db, args.force, Path(out))
        return 0
    results, failed = run(args.sizes, args.db, args.force)
    text, missed = report(results) if results else ("", [])
    print(text)
    for line in failed + missed:
        print(line, file=sys.stderr)
    return 1 if failed or missed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
