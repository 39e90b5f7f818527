"""The background export of the national heat map (`steering:export`, « Maturité », the whole
académie for its DANE) at 10,000 and 60,000 schools: the time to first byte of the click (the
offer page, then the POST that starts the job and answers its redirect), and the worker's run —
rows per second, megabytes per second and its peak of Python memory (tracemalloc) — in CSV and ODS.

    python -m benchmarks.exports --sizes 10000 60000 --db sqlite postgres [--force]

Targets: the click answers within a second at every size (it counts, it never reads the rows);
the worker's peak memory stays under EXPORT_PEAK_MB whatever the size (it writes the file as the
rows come). Bench databases: `var/bench/exports-<size>.sqlite3` and PostgreSQL's
`pilotis_exports_bench_<size>`: schools, the SCHÉMATIC referential and the open campaign, whose
assessments carry their state and levels (the heat map reads no answer), generated once and
reused. Each (database, size) runs in a process of its own; the pages go through Django's test
client in that process, the worker's run is `core.background_exports.run`, called in process.
"""

import argparse
import json
import os
import random
import statistics
import subprocess  # noqa: S404 — runs this module with fixed argument lists
import sys
import time
import tracemalloc
from pathlib import Path

from benchmarks import common

GENERATOR_VERSION = 1
SCHOOLS_PER_DEPARTMENT = 600
CLICKS = 5
EXPORT_PEAK_MB = 64
CLICK_TARGET_MS = 1000
DANE = "bench-exports-dane"

BENCH_DATABASES = common.Family(
    "exports", GENERATOR_VERSION, EXPORTS_ROOT=str(common.VAR_DIR / "exports-{size}"), EXPORT_BACKGROUND_ROWS="5000"
)
sqlite_path = BENCH_DATABASES.sqlite_path
stamp_path = BENCH_DATABASES.stamp_path
expected_stamp = BENCH_DATABASES.expected_stamp
reset_database = BENCH_DATABASES.reset_database
env_for = BENCH_DATABASES.env_for


def _uai(n):
    from pilotis.territories.models import uai_check_letter

    digits = f"{common.SYNTHETIC_UAI_BASE + n:07d}"
    return digits + uai_check_letter(digits)


def generate(size, log):
    """The académie « Banc d'essai »: one département per 600 schools, `size` schools, the open
    campaign 2026-2027 on SCHÉMATIC 2021 with 45 % of schools started (a third of those
    validated), each domain's level drawn, and the DANE."""
    import datetime

    from django.core.management import call_command
    from django.db import connection

    from pilotis.accounts.enums import TerritoryRoleKind
    from pilotis.accounts.models import TerritoryRole, User
    from pilotis.assessments import services, tallies
    from pilotis.assessments.enums import AssessmentState
    from pilotis.assessments.models import Assessment
    from pilotis.referential.models import Domain, ReferentialVersion
    from pilotis.territories.enums import SchoolKind, Sector
    from pilotis.territories.models import Academy, Department, School, search_key

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_referential", verbosity=0)
    log(f"migrated, referential loaded ({time.monotonic() - started:.0f} s)")
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
                sort_name=search_key(name), is_open=True,
            )
        )  # fmt: skip
    School.objects.bulk_create(schools, batch_size=2000)
    dane = User.objects.create_user(DANE, f"{DANE}@example.org", "bench-password")
    TerritoryRole.objects.create(user=dane, kind=TerritoryRoleKind.DANE, academy=academy)
    referential = ReferentialVersion.objects.order_by("-pk").first()
    campaign = services.open_campaign(
        academy=academy, school_year=common.OPEN_YEAR, referential=referential,
        opens_on=datetime.date(2026, 9, 1), closes_on=datetime.date(2027, 6, 30), by=dane,
    )  # fmt: skip
    codes = list(Domain.objects.filter(version=referential).values_list("code", flat=True))
    assessments = []
    for school_id in School.objects.order_by("pk").values_list("pk", flat=True):
        if rng.random() >= 0.45:
            continue
        validated = rng.random() < 1 / 3
        assessments.append(
            Assessment(
                campaign=campaign, school_id=school_id,
                state=AssessmentState.VALIDATED if validated else AssessmentState.DRAFT,
                answered_count=81 if validated else rng.randint(1, 80),
                domain_levels={code: rng.randint(0, 3) for code in codes},
            )
        )  # fmt: skip
    Assessment.objects.bulk_create(assessments, batch_size=5000)
    tallies.rebuild(campaign)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    log(f"{size:,} schools, {len(assessments):,} assessments ({time.monotonic() - started:.0f} s)")


def measure(size, db, log):
    from django.contrib.auth import get_user_model
    from django.core.files.storage import storages
    from django.test import Client
    from django.urls import reverse

    from pilotis.assessments.models import Campaign
    from pilotis.core import background_exports
    from pilotis.core.models import BackgroundExport

    user = get_user_model().objects.get(username=DANE)
    campaign = Campaign.objects.get(school_year=common.OPEN_YEAR)
    client = Client()
    client.force_login(user)
    results = []
    for fmt in ("csv", "ods"):
        url = reverse("steering:export", args=[campaign.pk, "maturity", fmt])
        offer_times, click_times, job_ids = [], [], []
        for _ in range(CLICKS):
            begin = time.perf_counter()
            offer = client.get(url)
            offer_times.append((time.perf_counter() - begin) * 1000)
            assert offer.status_code == 200 and b"/telechargements/preparer/" in offer.content, "not offered"
            form = {
                "kind": "steering",
                "params": json.dumps({"campaign": campaign.pk, "board": "maturity", "query": {}}),
                "fmt": fmt,
            }
            begin = time.perf_counter()
            started = client.post(reverse("exports:start"), form)
            click_times.append((time.perf_counter() - begin) * 1000)
            assert started.status_code == 302, started.status_code
            job_ids.append(started.url.rstrip("/").rsplit("/", 1)[-1])
        # The worker, timed alone, then again under tracemalloc for its peak (which slows it).
        begin = time.perf_counter()
        assert background_exports.run(job_ids[0]) == "done"
        seconds = time.perf_counter() - begin
        tracemalloc.start()
        assert background_exports.run(job_ids[1]) == "done"
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        job = BackgroundExport.objects.get(pk=job_ids[0])
        results.append(
            {
                "format": fmt,
                "offer_ms": statistics.median(offer_times),
                "click_ms": statistics.median(click_times),
                "rows": job.rows_done,
                "bytes": job.size,
                "run_s": seconds,
                "rows_per_s": job.rows_done / seconds,
                "mb_per_s": job.size / 1e6 / seconds,
                "peak_mb": peak / 1e6,
            }
        )
        log(
            f"{fmt}: offer {results[-1]['offer_ms']:.0f} ms, click {results[-1]['click_ms']:.0f} ms; "
            f"{job.rows_done:,} rows, {job.size / 1e6:.1f} MB in {seconds:.1f} s, peak {peak / 1e6:.1f} MB"
        )
        for leftover in BackgroundExport.objects.filter(user=user):
            if leftover.file_name:
                storages["exports"].delete(leftover.file_name)
        BackgroundExport.objects.filter(user=user).delete()
    return {"exports": results}


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
            out = common.VAR_DIR / f"exports-result-{size}-{db}.json"
            out.unlink(missing_ok=True)
            stamp = stamp_path(size, db)
            if force or not stamp.exists() or json.loads(stamp.read_text()) != expected_stamp(size):
                reset_database(size, db)
            command = [common.PYTHON, "-m", "benchmarks.exports", "--child", str(size), db, str(out)]
            done = subprocess.run(command, env=env_for(size, db), cwd=common.BASE_DIR)  # noqa: S603
            if done.returncode != 0 or not out.exists():
                failed.append(f"exports: {size:,} schools on {db}: the measurement failed (exit {done.returncode})")
                continue
            results.append(json.loads(out.read_text()))
    return results, failed


def report(results):
    lines = [
        "",
        "## Exports en arrière-plan (the heat map, Maturité)",
        "",
        f"The DANE's whole-académie heat map. Offer and click: median of {CLICKS} (Django's test client in process); "
        "the click is the POST that writes the job and answers its redirect. The worker's run is timed alone, its "
        f"peak (tracemalloc) on a second run. Targets: click under {CLICK_TARGET_MS} ms, peak under {EXPORT_PEAK_MB} MB.",
        "",
        "| schools | database | format | offer (ms) | click (ms) | rows | MB | run (s) | rows/s | MB/s | peak (MB) |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    missed = []
    for r in results:
        for e in r["exports"]:
            lines.append(
                f"| {r['size']:,} | {r['db']} | {e['format']} | {e['offer_ms']:.0f} | {e['click_ms']:.0f} "
                f"| {e['rows']:,} | {e['bytes'] / 1e6:.1f} | {e['run_s']:.1f} | {e['rows_per_s']:,.0f} "
                f"| {e['mb_per_s']:.2f} | {e['peak_mb']:.1f} |"
            )
            if e["click_ms"] > CLICK_TARGET_MS or e["peak_mb"] > EXPORT_PEAK_MB:
                missed.append(
                    f"exports {r['db']} {r['size']} {e['format']}: click {e['click_ms']:.0f} ms, peak {e['peak_mb']:.1f} MB"
                )
    return "\n".join(lines), missed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10000, 60000])
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
