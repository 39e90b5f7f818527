"""`make bench`: every size on every database, then one Markdown report.

    python -m benchmarks.run --sizes 1000 10000 60000 --db sqlite postgres

For each size and database: the bench data is generated unless it exists (`benchmarks.generate`),
then `benchmarks.measure` runs in a process of its own. The figures go to
`benchmarks/results/<date>-<time>-<host>.md` (with the raw ones beside it, in JSON) and are printed.
"""

import argparse
import datetime
import json
import os
import platform
import socket
import sqlite3
import subprocess  # noqa: S404 — runs our own scripts with fixed argument lists
import sys
import time

from benchmarks import catalogue, common, equipment, exports, generate
from benchmarks.measure import EXPORT_RUNS, EXPORT_WARMUP

TARGET_RATIO = 1.0  # dashboard time / DuckDB time
TARGET_SCALING = 10.0  # time at the largest size / time at the smallest
TARGET_THROUGHPUT_SHARE = 0.5  # autosave requests/s over the bare view's
TARGET_P99_MS = 300.0
# A gunicorn worker's peak resident memory after the exports (Django and Pilotis alone: ~90 MB).
TARGET_WORKER_MB = 256.0


def git_revision() -> str:
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=common.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def machine() -> dict:
    """CPU, cores, memory and software versions, from /proc and the programs themselves."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as handle:
            memory_kb = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration, ValueError):
        memory_kb = 0
    versions = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    try:
        import django
        import duckdb
        import gunicorn

        versions.update(django=django.__version__, duckdb=duckdb.__version__, gunicorn=gunicorn.__version__)
    except ImportError:
        pass
    try:
        import psycopg

        with psycopg.connect(common.pg_dsn("postgres")) as conn:
            versions["postgres"] = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    except Exception as exc:  # noqa: BLE001 — the report says so instead of failing
        versions["postgres"] = f"unreachable ({type(exc).__name__})"
    return {
        "revision": git_revision(),
        "host": socket.gethostname(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "load_before": os.getloadavg()[0],
        **versions,
    }


def run(sizes: list[int], dbs: list[str], extra: list[str]) -> tuple[dict, list[dict], list[dict]]:
    info = machine()
    generated, results = [], []
    for schools in sizes:
        for db in dbs:
            generated.append(generate.ensure(schools, db))
            out = common.VAR_DIR / f"result-{schools}-{db}.json"
            out.unlink(missing_ok=True)
            revision = git_revision()
            command = [common.PYTHON, "-m", "benchmarks.measure", "--schools", str(schools), "--db", db]
            command += ["--out", str(out), *extra]
            done = subprocess.run(command, env=common.bench_env(schools, db), cwd=common.BASE_DIR)  # noqa: S603
            if done.returncode != 0 or not out.exists():
                # The other sizes and databases still run; the report says what failed.
                print(f"{db}, {schools:,} schools: measurement FAILED (exit {done.returncode})", flush=True)
                info.setdefault("failed", []).append(f"{schools:,} schools on {db}")
                continue
            result = json.loads(out.read_text(encoding="utf-8"))
            # The code may change while a long run goes on (gunicorn starts afresh for each size).
            result["revision"] = revision
            results.append(result)
    return info, generated, results


# --- The report -------------------------------------------------------------------------------


def _ms(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _mark(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def report(info: dict, generated: list[dict], results: list[dict], started: float) -> str:
    lines = [
        f"# Pilotis bench — {datetime.date.today().isoformat()} on {info['host']}",
        "",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB RAM (Linux {info['kernel']}); "
        f"load average {info['load_before']:.2f} when the run began",
        f"- Python {info['python']}, Django {info.get('django', '?')}, gunicorn {info.get('gunicorn', '?')}, "
        f"SQLite {info['sqlite']}, PostgreSQL {info['postgres']}, DuckDB {info.get('duckdb', '?')}",
        "- Code (`git describe --always --dirty`): "
        + ", ".join(sorted({f"`{r.get('revision', info['revision'])}`" for r in results} or {f"`{info['revision']}`"}))
        + (" — the code changed during the run" if len({r.get("revision") for r in results}) > 1 else ""),
        f"- Whole run: {common.fmt_seconds(time.monotonic() - started)}",
        "",
        "## Bench data",
        "",
        "| schools | database | answers | generation | load average during the measurement (start → end) |",
        "|---:|---|---:|---|---|",
    ]
    measured = {(r["schools"], r["db"]): r for r in results}
    for g in generated:
        when = common.fmt_seconds(g["seconds"]) if g["generated"] else "reused"
        r = measured.get((g["schools"], g["db"]), {})
        load = " → ".join(f"{v:.1f}" for v in r.get("load_average", []))
        lines.append(f"| {g['schools']:,} | {g['db']} | {r.get('answers', 0):,} | {when} | {load} |")
    lines += [
        "",
        "## Dashboards against DuckDB",
        "",
        "Median whole HTTP response (ms) of each dashboard for the DANE, against the median time DuckDB",
        f"takes to compute the same figures from the raw answers; target: ratio below {TARGET_RATIO:g}.",
        "",
        "| schools | database | dashboard | campaign | HTTP (ms) | CPU: server + DB (ms) | DuckDB (ms) | ratio | below 1 "
        "| same figures |",
        "|---:|---|---|---|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        same = _mark(not r["problems"])
        for d in r["dashboards"]:
            if d.get("reference"):
                continue
            if d.get("missing"):
                lines.append(f"| {r['schools']:,} | {r['db']} | {d['dashboard']} | — | missing | | | | **no** | |")
                continue
            http, theirs, ratio = _dashboard_figures(r, d)
            status = "" if d["statuses"] == [200] else f" (HTTP {d['statuses']})"
            lines.append(
                f"| {r['schools']:,} | {r['db']} | {d['dashboard']} | {d['year']} | {_ms(http)}{status} | "
                f"{_ms(d.get('server_cpu_ms', 0) + d.get('db_cpu_ms', 0))} | {_ms(theirs)} | {'—' if ratio is None else f'{ratio:.3f}'} | "
                f"{_mark(ratio is not None and ratio < TARGET_RATIO)} | {same} |"
            )
    lines += _scaling(results)
    lines += _exports(results)
    lines += [
        "",
        "## Autosave under load",
        "",
        f"{results[0]['load']['autosave']['clients']} clients for {results[0]['duration']:g} s per view against gunicorn "
        f"({results[0]['workers']} sync workers); targets: at least {TARGET_THROUGHPUT_SHARE:.0%} of the bare "
        f"view's requests/s, p99 under {TARGET_P99_MS:.0f} ms."
        if results
        else "",
        "",
        "| schools | database | view | requests/s | p50 (ms) | p99 (ms) | max (ms) | errors | share of bare "
        "| targets met | CPU/request: server + database (ms) | share of bare by CPU | load average |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for r in results:
        bare = r["load"]["bare"]
        bare_cpu = bare["server_cpu_ms"] + bare["db_cpu_ms"]
        for label in ("autosave", "bare"):
            load = r["load"][label]
            share = load["rps"] / bare["rps"] if bare["rps"] else 0.0
            # The throughput share the CPU costs predict when the server is CPU-bound: robust to
            # the neighbours' load, which moves requests/s from one run to the next.
            cpu = load["server_cpu_ms"] + load["db_cpu_ms"]
            cpu_share = bare_cpu / cpu if cpu else 0.0
            met = _autosave_met(r) if label == "autosave" else None
            lines.append(
                f"| {r['schools']:,} | {r['db']} | {label} | {load['rps']:.1f} | {_ms(load['p50_ms'])} | "
                f"{_ms(load['p99_ms'])} | {_ms(load['max_ms'])} | {load['errors']} | {share:.0%} | {_mark(met)} | "
                f"{load['server_cpu_ms']:.1f} + {load['db_cpu_ms']:.1f} | {cpu_share:.0%} | "
                f"{load['load_average'][0]:.1f} → {load['load_average'][1]:.1f} |"
            )
    problems = [f"- {problem}" for problem in missed_targets(info, results)]
    if problems:
        lines += ["", "## Problems", "", *problems]
    lines.append("")
    return "\n".join(lines)


# --- The targets, one verdict for the tables and the exit status ----------------------------


def _dashboard_figures(r: dict, d: dict) -> tuple[float | None, float | None, float | None]:
    """(HTTP ms, DuckDB ms, ratio) of a timed page; HTTP and ratio are None unless every
    response was a 200 (an error page is fast, and proves nothing)."""
    duck = {(x["dashboard"], x["year"]): x["median_ms"] for x in r["duckdb"]}
    http = d["median_ms"] if d["statuses"] == [200] else None
    theirs = duck.get((d.get("duckdb", d["dashboard"]), d["year"]))
    ratio = http / theirs if http is not None and theirs else None
    return http, theirs, ratio


def _autosave_met(r: dict) -> bool:
    load, bare = r["load"]["autosave"], r["load"]["bare"]
    share = load["rps"] / bare["rps"] if bare["rps"] else 0.0
    return share >= TARGET_THROUGHPUT_SHARE and load["p99_ms"] < TARGET_P99_MS and not load["errors"]


def _export_met(e: dict) -> bool:
    return e["statuses"] == [200] and e["peak_mb"] < TARGET_WORKER_MB


def missed_targets(info: dict, results: list[dict]) -> list[str]:
    """Every target missed, in words: a page that did not answer 200 misses its targets too."""
    missed = [f"{what}: the measurement failed (see its output)" for what in info.get("failed", [])]
    for r in results:
        where = f"{r['schools']:,} {r['db']}"
        missed += [f"{where}: {problem}" for problem in r["problems"]]
        for d in r["dashboards"]:
            if d.get("reference"):
                continue
            if d.get("missing"):
                missed.append(f"{where}: {d['dashboard']}: the page does not exist")
                continue
            http, theirs, ratio = _dashboard_figures(r, d)
            page = f"{where}: {d['dashboard']} {d['year']}"
            if http is None:
                missed.append(f"{page}: HTTP {d['statuses']}, not 200")
            elif theirs is None:
                missed.append(f"{page}: no DuckDB time to compare with")
            elif ratio >= TARGET_RATIO:
                missed.append(f"{page}: ratio {ratio:.3f}, not below {TARGET_RATIO:g}")
        for e in r.get("exports", []):
            if not _export_met(e):
                status = "" if e["statuses"] == [200] else f"HTTP {e['statuses']}, "
                missed.append(f"{where}: export {e['export']}: {status}workers' peak {e['peak_mb']:.0f} MB")
        if "autosave" in r.get("load", {}) and not _autosave_met(r):
            load = r["load"]["autosave"]
            missed.append(
                f"{where}: autosave: {load['rps']:.1f} req/s against {r['load']['bare']['rps']:.1f} for the bare "
                f"view, p99 {load['p99_ms']:.0f} ms, {load['errors']} errors"
            )
    for db, page, year, times, factor in _scaling_rows(results):
        if page == "school_list":
            continue
        if factor is None:
            failed = ", ".join(f"{size:,}" for size, t in times if t is None)
            missed.append(f"{db}: {page} {year}: no time at {failed} schools (HTTP error or missing)")
        elif factor > TARGET_SCALING:
            missed.append(f"{db}: {page} {year}: {factor:.1f} times the time at {times[0][0]:,} schools")
    return missed


def _exports(results: list[dict]) -> list[str]:
    rows = [(r, e) for r in results for e in r.get("exports", [])]
    if not rows:
        return []
    lines = [
        "",
        "## Exports",
        "",
        f"The heat map's exports for the DANE, open campaign: median whole HTTP response of {EXPORT_RUNS} after "
        f"{EXPORT_WARMUP} warm-up requests, and the gunicorn workers' peak resident memory (VmHWM, the largest "
        f"worker) before and after them; target: under {TARGET_WORKER_MB:g} MB at every size.",
        "",
        "| schools | database | export | HTTP (ms) | bytes | workers' peak memory (MB) | under target |",
        "|---:|---|---|---:|---:|---|---|",
    ]
    for r, e in rows:
        ok = e["statuses"] == [200]
        lines.append(
            f"| {r['schools']:,} | {r['db']} | {e['export']} | {_ms(e['median_ms']) if ok else f'HTTP {e["statuses"]}'} | "
            f"{e['bytes']:,} | {e['peak_mb_before']:.0f} → {e['peak_mb']:.0f} | {_mark(_export_met(e))} |"
        )
    return lines


def _scaling_rows(results: list[dict]) -> list[tuple]:
    """(database, page, campaign, [(size, ms or None)], factor or None) for each page timed; a
    size where the page did not answer 200 has no time, and the page no factor."""
    sizes = sorted({r["schools"] for r in results})
    if len(sizes) < 2:
        return []
    table = {}
    for r in results:
        for d in r["dashboards"]:
            if d.get("missing"):
                continue
            ok = d["statuses"] == [200]
            table[(r["db"], d["dashboard"], d["year"], r["schools"])] = d["median_ms"] if ok else None
    keys = sorted({(db, page, year) for db, page, year, _s in table}, key=lambda k: (k[0], k[1] == "school_list", k))
    rows = []
    for db, page, year in keys:
        times = [(s, table.get((db, page, year, s))) for s in sizes]
        first, last = times[0][1], times[-1][1]
        factor = last / first if first and all(t is not None for _s, t in times) else None
        rows.append((db, page, year, times, factor))
    return rows


def _scaling(results: list[dict]) -> list[str]:
    sizes = sorted({r["schools"] for r in results})
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    lines = [
        "",
        f"## From {small:,} to {large:,} schools",
        "",
        f"Median HTTP time at each size; target: at most {TARGET_SCALING:g} times the time at {small:,}.",
        "",
        "| database | page | campaign | " + " | ".join(f"{s:,}" for s in sizes) + " | × | met |",
        "|---|---|---|" + "---:|" * len(sizes) + "---:|---|",
    ]
    for db, page, year, times, factor in _scaling_rows(results):
        reference = page == "school_list"
        label = f"{page} (reference)" if reference else page
        lines.append(
            f"| {db} | {label} | {year or '—'} | "
            + " | ".join("error" if t is None else _ms(t) for _s, t in times)
            + f" | {'—' if factor is None else f'{factor:.1f}'} | "
            + f"{'—' if reference else _mark(factor is not None and factor <= TARGET_SCALING)} |"
        )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 60000])
    parser.add_argument("--db", nargs="+", choices=common.DATABASES, default=list(common.DATABASES))
    # The catalogue of usage fiches is measured by its own sizes (fiches, not schools).
    parser.add_argument("--catalogue-sizes", nargs="*", type=int, default=[1000, 100000])
    # The territory's equipment needs, by their own generator (schools and needs only).
    parser.add_argument("--equipment-sizes", nargs="*", type=int, default=[1000, 10000, 60000])
    # The background export of the heat map, by its own generator (schools and the open campaign).
    parser.add_argument("--exports-sizes", nargs="*", type=int, default=[10000, 60000])
    args, extra = parser.parse_known_args(argv)  # the rest goes to benchmarks.measure
    started = time.monotonic()
    os.chdir(common.BASE_DIR)
    info, generated, results = run(args.sizes, args.db, extra)
    text = report(info, generated, results, started)
    fiches, fiches_missed = catalogue.run(args.catalogue_sizes, args.db) if args.catalogue_sizes else ([], [])
    if fiches:
        section, more_missed = catalogue.report(fiches)
        text, fiches_missed = text + section, fiches_missed + more_missed
    needs, needs_failed = equipment.run(args.equipment_sizes, args.db) if args.equipment_sizes else ([], [])
    if needs:
        section, more_missed = equipment.report(needs)
        text, fiches_missed = text + section, fiches_missed + needs_failed + more_missed
    else:
        fiches_missed += needs_failed
    jobs, jobs_failed = exports.run(args.exports_sizes, args.db) if args.exports_sizes else ([], [])
    if jobs:
        section, more_missed = exports.report(jobs)
        text, fiches_missed = text + section, fiches_missed + jobs_failed + more_missed
    else:
        fiches_missed += jobs_failed
    common.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    # Date and time: a second run the same day must not overwrite the run a README quotes.
    name = f"{datetime.datetime.now():%Y-%m-%d-%H%M}-{info['host']}"
    (common.RESULTS_DIR / f"{name}.md").write_text(text, encoding="utf-8")
    raw = {
        "machine": info,
        "generated": generated,
        "results": results,
        "catalogue": fiches,
        "equipment": needs,
        "exports": jobs,
    }
    (common.RESULTS_DIR / f"{name}.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    print()
    print(text)
    print(f"Written to {common.RESULTS_DIR.relative_to(common.BASE_DIR) / (name + '.md')}")
    # `make bench` fails when a target is missed: such a run must not read as a pass.
    missed = missed_targets(info, results) + fiches_missed
    for line in fiches_missed:
        print(line, file=sys.stderr)
    if not results:
        print("No measurement succeeded.", file=sys.stderr)
        return 1
    if missed:
        print(f"{len(missed)} target(s) missed: see « Problems » above.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
