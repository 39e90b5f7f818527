"""One size on one database: the dashboards over HTTP, DuckDB on the same data, the autosave load.

    python -m benchmarks.measure --schools 10000 --db sqlite --out var/bench/result.json

Run by `benchmarks.run` (`make bench`) in a process of its own, whose environment names the
bench database. In order, on the same data:

1. gunicorn serves the project (`benchmarks.settings`, DEBUG off) on a free local port;
2. each dashboard is fetched with the DANE's session cookie: warm-up, then the median of
   several whole HTTP responses, for the latest past campaign (fully answered) and the open one;
3. DuckDB attaches the same database, checks that its figures equal Pilotis's, and times the
   same figures computed from the raw answers;
4. 16 RUPN clients hammer the autosave of the open campaign, then the bare view, for the same
   duration each, against the same server.
"""

import argparse
import json
import os
import signal
import socket
import subprocess  # noqa: S404 — starts gunicorn with a fixed argument list
import sys
import time
from pathlib import Path

from benchmarks import common, duck, loadtest

DASHBOARDS = ("progress", "maturity", "indicators", "trends")
# Pages timed beside the dashboards' first screens: (label, page, query string, DuckDB workload
# it is compared with). The heat map sorted by a domain's level orders the whole territory by a
# value inside the assessments' JSON; filtered and searched, it counts what the filters keep
# (a COUNT the plain map takes from the counters); DuckDB's counterpart is the heat map's own
# figures. The reminders page reads the number to remind from the counters, and the history: the progress
# figures, for DuckDB.
VARIANTS = (
    ("maturity_by_level", "maturity", "?sort=-PIL", "maturity"),
    ("maturity_filtered", "maturity", "?kind=college&q=jean", "maturity"),
    ("reminders", "reminders", "?target=not_validated", "progress"),
    # Pilotage's « Plans d'actions »: the adopted plans per département and the indicators aimed
    # at most; the first page of schools with their actions and meetings. DuckDB computes the
    # same from the plans', actions' and meetings' rows.
    ("plans", "plans", "", "plans"),
    ("plans_schools", "plans_schools", "", "plans_schools"),
)
# Exports of the open campaign timed with the workers' peak memory: (dashboard, format). They
# stream their rows from the database and compress an ODS row by row; a worker's peak memory
# must stay bounded whatever the territory's size.
EXPORTS = (("maturity", "csv"), ("maturity", "ods"))
EXPORT_WARMUP, EXPORT_RUNS = 4, 3
# A page that exists already, timed the same way: the harness is checked on it, and it shows
# what an ordinary list of the territory costs at this size.
REFERENCE_PAGES = (("schools:list", "school_list"),)
# gunicorn as the README's deployment line runs it: 4 synchronous workers, one thread each.
WORKERS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on the bench database, stopped on exit."""

    def __init__(self, schools: int, db: str, workers: int = WORKERS):
        self.port = free_port()
        self.log = common.VAR_DIR / f"gunicorn-{schools}-{db}.log"
        command = [
            common.PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            str(workers),
            "--threads",
            "1",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--error-logfile",
            str(self.log),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, env=os.environ.copy(), cwd=common.BASE_DIR)  # noqa: S603

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited (code {self.process.returncode}): see {self.log}")
            try:
                if loadtest.get(self.port, "/sante/", {}, timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s: see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def session_for(user) -> str:
    """A signed-in session made directly (the sign-in form would meet django-axes' lockout)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from pilotis.accounts.middleware import SESSION_STARTED_KEY

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SESSION_STARTED_KEY] = int(time.time())
    store.create()
    return store.session_key


def bench_objects():
    from benchmarks.models import Dataset
    from pilotis.accounts.models import SchoolMembership, User
    from pilotis.assessments.models import Campaign
    from pilotis.territories.models import Academy

    dataset = Dataset.objects.order_by("-pk").first()
    if dataset is None:
        raise SystemExit("no complete bench data here: run `make bench-data` first")
    academy = Academy.objects.get(code=common.ACADEMY_CODE)
    campaigns = list(Campaign.objects.filter(academy=academy).select_related("referential").order_by("school_year"))
    past = [c for c in campaigns if c.school_year in common.PAST_YEARS]
    current = next(c for c in campaigns if c.school_year == common.OPEN_YEAR)
    dane = User.objects.get(username=common.DANE_USERNAME)
    rupn = list(
        SchoolMembership.objects.filter(user__username__startswith="bench-rupn-")
        .select_related("user", "school")
        .order_by("user__username")
    )
    return dataset, academy, campaigns, past, current, dane, rupn


def time_dashboards(port: int, cookies, campaigns, *, warmup: int, runs: int, meter) -> list[dict]:
    from django.urls import NoReverseMatch, reverse

    rows = []
    pages = [(name, name, "", name) for name in DASHBOARDS] + list(VARIANTS)
    for label, name, query, workload in pages:
        for campaign in campaigns:
            try:
                path = reverse(f"steering:{name}", kwargs={"campaign": campaign.pk}) + query
            except NoReverseMatch:
                print(f"    steering:{name} does not exist (yet): skipped", flush=True)
                rows.append({"dashboard": label, "year": campaign.school_year, "missing": True})
                break
            timing = loadtest.time_page(port, path, cookies, warmup=warmup, runs=runs, meter=meter)
            ok = timing["statuses"] == [200]
            print(
                f"    {label:<17} {campaign.school_year}: {timing['median_ms']:8.1f} ms "
                f"(server CPU {timing['server_cpu_ms']:.0f} ms, {timing['bytes']:,} bytes){'' if ok else f'  HTTP {timing["statuses"]}'}",
                flush=True,
            )
            rows.append({"dashboard": label, "duckdb": workload, "year": campaign.school_year, "path": path, **timing})
    for url_name, label in REFERENCE_PAGES:
        path = reverse(url_name)
        timing = loadtest.time_page(port, path, cookies, warmup=warmup, runs=runs, meter=meter)
        print(f"    {label:<11} (reference): {timing['median_ms']:8.1f} ms", flush=True)
        rows.append({"dashboard": label, "year": "", "path": path, "reference": True, **timing})
    return rows


def time_exports(port: int, cookies, campaign, *, server_pid: int, meter) -> list[dict]:
    from django.urls import reverse

    rows = []
    for board, fmt in EXPORTS:
        before = loadtest.worker_peaks_mb(server_pid)
        path = reverse("steering:export", args=[campaign.pk, board, fmt])
        timing = loadtest.time_page(port, path, cookies, warmup=EXPORT_WARMUP, runs=EXPORT_RUNS, meter=meter)
        after = loadtest.worker_peaks_mb(server_pid)
        peak = max(after.values(), default=0.0)
        print(
            f"    export {board}.{fmt}: {timing['median_ms']:8.1f} ms, {timing['bytes']:,} bytes, "
            f"workers' peak memory {max(before.values(), default=0.0):.0f} → {peak:.0f} MB",
            flush=True,
        )
        rows.append(
            {
                "export": f"{board}.{fmt}",
                "year": campaign.school_year,
                "path": path,
                "peak_mb_before": max(before.values(), default=0.0),
                "peak_mb": peak,
                **timing,
            }
        )
    return rows


def time_duckdb(schools: int, db: str, academy, past, current, *, runs: int) -> tuple[list[dict], list[str]]:
    con = duck.connect(schools, db)
    all_ids = [c.pk for c in [*past, current]]
    started = time.perf_counter()
    problems = duck.verify(con, academy.pk, all_ids) + duck.verify_plans(con, academy.pk, [past[-1].pk, current.pk])
    print(
        f"    DuckDB = Pilotis: {'yes' if not problems else 'NO: ' + '; '.join(problems)} "
        f"({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    rows = []
    for campaign, trend in ((past[-1], past), (current, [*past, current])):
        jobs = duck.workloads(con, academy.pk, campaign.pk, [c.pk for c in trend])
        for name, job in jobs.items():
            timing = duck.timed(job, runs=runs)
            print(f"    DuckDB {name:<11} {campaign.school_year}: {timing['median_ms']:8.1f} ms", flush=True)
            rows.append({"dashboard": name, "year": campaign.school_year, **timing})
    con.close()
    return rows, problems


def load_clients(port: int, memberships, current, sessions, kind: str) -> list:
    """One client per RUPN; autosave clients start from the answers the database holds now."""
    from django.urls import reverse

    from pilotis.assessments.models import Answer
    from pilotis.referential.models import Domain, Indicator

    codes = list(
        Indicator.objects.filter(version=current.referential_id)
        .order_by("domain__position", "level", "position")
        .values_list("code", flat=True)
    )
    first_domain = Domain.objects.filter(version=current.referential_id).order_by("position").first().code
    clients = []
    for i, membership in enumerate(memberships):
        uai = membership.school.uai
        session = sessions[membership.user_id]
        # The page the person autosaves from: it gives the CSRF cookie and token, as to a browser.
        page = reverse("assessments:domain", args=[uai, current.school_year, first_domain])
        csrf_cookie, token = loadtest.csrf_for(port, page, {"sessionid": session})
        if kind == "bare":
            paths, state = [reverse("bench_bare_upsert")], {}
        else:
            known = {
                code: [status, revision]
                for code, status, revision in Answer.objects.filter(
                    assessment__campaign=current, assessment__school=membership.school
                ).values_list("indicator__code", "status", "revision")
            }
            paths = [reverse("assessments:answer_save", args=[uai, current.school_year, code]) for code in codes]
            state = {path: known.get(code, ["", 0]) for path, code in zip(paths, codes, strict=True)}
        clients.append(loadtest.Client(session, csrf_cookie, token, kind, paths, state, offset=i * 5))
    return clients


def measure(schools: int, db: str, args) -> dict:
    from django.db import connection

    dataset, academy, campaigns, past, current, dane, rupn = bench_objects()
    print(f"{db}, {schools:,} schools: {dataset.answers:,} answers, {len(campaigns)} campaigns", flush=True)
    sessions = {m.user_id: session_for(m.user) for m in rupn}
    dane_cookies = {"sessionid": session_for(dane)}
    result = {
        "schools": schools,
        "db": db,
        "answers": dataset.answers,
        "workers": args.workers,
        "duration": args.duration,
        "db_version": _db_version(connection),
    }
    server = Server(schools, db, args.workers)
    meter = loadtest.CpuMeter(server.process.pid, common.pg_name(schools) if db == "postgres" else None)
    result["load_average"] = [os.getloadavg()[0]]
    try:
        server.wait_ready()
        result["dashboards"], result["duckdb"], result["problems"] = [], [], []
        if not args.skip_pages:
            print("  dashboards (whole HTTP response, DANE session):", flush=True)
            result["dashboards"] = time_dashboards(
                server.port,
                dane_cookies,
                [past[-1], current],
                warmup=args.page_warmup,
                runs=args.page_runs,
                meter=meter,
            )
            print("  exports (DANE session, open campaign):", flush=True)
            result["exports"] = time_exports(
                server.port, dane_cookies, current, server_pid=server.process.pid, meter=meter
            )
            print("  DuckDB from the raw answers:", flush=True)
            result["duckdb"], result["problems"] = time_duckdb(schools, db, academy, past, current, runs=args.duck_runs)
        print(f"  autosave load test: {len(rupn)} clients, {args.duration:g} s per view", flush=True)
        result["load"] = {}
        for label in ("autosave", "bare"):
            clients = load_clients(server.port, rupn, current, sessions, label)
            loadtest.run_clients(server.port, clients, args.warmup_seconds)  # warm-up, not recorded
            clients = load_clients(server.port, rupn, current, sessions, label)
            outcome = loadtest.run_clients(server.port, clients, args.duration, meter)
            result["load"][label] = outcome
            print(
                f"    {label:<8}: {outcome['rps']:7.1f} req/s, p50 {outcome['p50_ms']:6.1f} ms, "
                f"p99 {outcome['p99_ms']:6.1f} ms, {outcome['errors']} errors; CPU per request: "
                f"server {outcome['server_cpu_ms']:.1f} ms, database {outcome['db_cpu_ms']:.1f} ms, "
                f"clients {outcome['client_cpu_ms']:.1f} ms "
                f"{'; '.join(outcome['error_samples'])}",
                flush=True,
            )
    finally:
        server.stop()
    result["load_average"].append(os.getloadavg()[0])
    return result


def _db_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, required=True)
    parser.add_argument("--db", choices=common.DATABASES, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load per view")
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn sync workers")
    parser.add_argument("--skip-pages", action="store_true", help="the load test only (no dashboards, no DuckDB)")
    parser.add_argument("--warmup-seconds", type=float, default=3.0)
    parser.add_argument("--page-warmup", type=int, default=2 * WORKERS)
    parser.add_argument("--page-runs", type=int, default=9)
    parser.add_argument("--duck-runs", type=int, default=5)
    args = parser.parse_args(argv)
    common.setup_django()
    result = measure(args.schools, args.db, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
