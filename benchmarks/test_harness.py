"""The harness on a tiny territory (30 schools, SQLite): `.venv/bin/pytest benchmarks`.

Not part of `make test` (its test paths are `tests/`): it starts gunicorn and load clients for a
few seconds, which is the harness's business, not the application's.
"""

import json
import subprocess  # noqa: S404 — our own scripts, fixed argument lists

import pytest

from benchmarks import common

SCHOOLS = 30


@pytest.mark.slow
def test_generate_then_measure(tmp_path):
    command = [common.PYTHON, "-m", "benchmarks.generate", "--schools", str(SCHOOLS), "--db", "sqlite", "--force"]
    subprocess.run(command, cwd=common.BASE_DIR, check=True)  # noqa: S603
    out = tmp_path / "result.json"
    command = [common.PYTHON, "-m", "benchmarks.measure", "--schools", str(SCHOOLS), "--db", "sqlite"]
    command += ["--out", str(out), "--duration", "2", "--warmup-seconds", "0.5"]
    command += ["--page-warmup", "1", "--page-runs", "1", "--duck-runs", "1"]
    subprocess.run(command, env=common.bench_env(SCHOOLS, "sqlite"), cwd=common.BASE_DIR, check=True)  # noqa: S603
    result = json.loads(out.read_text(encoding="utf-8"))

    assert result["problems"] == []  # DuckDB's figures are Pilotis's
    assert {d["dashboard"] for d in result["duckdb"]} == {
        "progress",
        "maturity",
        "indicators",
        "trends",
        "plans",
        "plans_schools",
    }
    assert {"plans", "plans_schools"} <= {d["dashboard"] for d in result["dashboards"]}
    assert {"maturity", "maturity_by_level"} <= {d["dashboard"] for d in result["dashboards"]}
    for page in result["dashboards"]:
        assert not page.get("missing") and page["statuses"] == [200], page
    assert [e["export"] for e in result["exports"]] == ["maturity.csv", "maturity.ods"]
    assert all(e["statuses"] == [200] and e["bytes"] > 0 and e["peak_mb"] > 0 for e in result["exports"])
    for view in ("autosave", "bare"):
        assert result["load"][view]["requests"] > 0
        assert result["load"][view]["errors"] == 0, result["load"][view]["error_samples"]


def test_percentile_is_a_latency_some_request_had():
    from benchmarks.loadtest import _percentile

    values = [float(v) for v in range(1, 101)]
    assert _percentile(values, 50) == 50.0
    assert _percentile(values, 99) == 99.0
    assert _percentile([7.0], 99) == 7.0
    assert _percentile([], 99) == 0.0


def _result(schools, *, maturity_ms, statuses=(200,), duck_ms=100.0):
    timing = {"median_ms": maturity_ms, "statuses": list(statuses), "server_cpu_ms": 1.0, "db_cpu_ms": 1.0}
    load = {
        "rps": 100.0,
        "p50_ms": 10.0,
        "p99_ms": 50.0,
        "max_ms": 60.0,
        "errors": 0,
        "server_cpu_ms": 1.0,
        "db_cpu_ms": 1.0,
        "load_average": [0.1, 0.1],
        "clients": 16,
    }
    return {
        "schools": schools,
        "db": "sqlite",
        "answers": 0,
        "workers": 4,
        "duration": 1.0,
        "problems": [],
        "load_average": [0.1, 0.1],
        "duckdb": [{"dashboard": "maturity", "year": "2026-2027", "median_ms": duck_ms}],
        "dashboards": [{"dashboard": "maturity", "duckdb": "maturity", "year": "2026-2027", **timing}],
        "exports": [],
        "load": {"autosave": load, "bare": load},
    }


def _info():
    return {
        "host": "test",
        "cpu": "cpu",
        "cores": 2,
        "memory_gib": 1,
        "kernel": "k",
        "load_before": 0.0,
        "python": "3",
        "sqlite": "3",
        "postgres": "—",
        "revision": "r",
    }


def test_every_target_met_reports_no_problem():
    from benchmarks.run import missed_targets, report

    results = [_result(1000, maturity_ms=10.0), _result(60000, maturity_ms=50.0)]
    assert missed_targets(_info(), results) == []
    assert "## Problems" not in report(_info(), [], results, 0.0)


def test_a_page_that_does_not_answer_200_misses_its_targets():
    """An error page is fast: it must read as a miss, in both tables and under « Problems »."""
    from benchmarks.run import missed_targets, report

    results = [_result(1000, maturity_ms=10.0), _result(60000, maturity_ms=5.0, statuses=(500,))]
    missed = missed_targets(_info(), results)
    assert any("HTTP [500], not 200" in line for line in missed)
    assert any("no time at 60,000 schools" in line for line in missed)
    text = report(_info(), [], results, 0.0)
    dashboards = [line for line in text.splitlines() if line.startswith("| 60,000 | sqlite | maturity")]
    assert dashboards and dashboards[0].count("**no**") == 1
    scaling = [line for line in text.splitlines() if line.startswith("| sqlite | maturity |")]
    assert scaling and "error" in scaling[0] and "**no**" in scaling[0]
    assert "## Problems" in text


def test_a_ratio_or_a_scaling_over_target_is_a_miss():
    from benchmarks.run import missed_targets

    slow = [_result(1000, maturity_ms=10.0), _result(60000, maturity_ms=150.0)]
    missed = missed_targets(_info(), slow)
    assert any("ratio 1.500" in line for line in missed)
    assert any("15.0 times" in line for line in missed)


def test_the_run_exits_non_zero_when_a_target_is_missed(monkeypatch, tmp_path):
    from benchmarks import run

    results = [_result(1000, maturity_ms=10.0), _result(60000, maturity_ms=5.0, statuses=(404,))]
    monkeypatch.chdir(tmp_path)  # main() moves to the project's directory: back after the test
    monkeypatch.setattr(run, "run", lambda sizes, dbs, extra: (_info(), [], results))
    monkeypatch.setattr(run.common, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(run.common, "BASE_DIR", tmp_path.parent)
    # No catalogue, equipment nor background export sizes: their benches have their own tests.
    argv = ["--sizes", "1000", "60000", "--db", "sqlite", "--catalogue-sizes", "--equipment-sizes", "--exports-sizes"]
    assert run.main(argv) == 1
    results[1]["dashboards"][0]["statuses"] = [200]
    results[1]["dashboards"][0]["median_ms"] = 20.0
    assert run.main(argv) == 0


def test_the_catalogues_report_says_each_miss():
    from benchmarks import catalogue

    def result(size, ms, queries=10):
        pages = [
            {
                "page": label,
                "query": q,
                "status": 200,
                "median_ms": ms,
                "queries": queries,
                "shown": 20,
                "count": 5,
                "capped": False,
            }
            for label, q in catalogue.PAGES
        ]
        return {"size": size, "db": "sqlite", "load": [1.0, 1.0, 1.0], "pages": pages}

    text, missed = catalogue.report([result(1000, 10.0), result(100000, 25.0)])
    assert not missed and "| sqlite | search | 10.0 (10, 5) | 25.0 (10, 5) | 2.5 | yes | yes |" in text
    _text, missed = catalogue.report([result(1000, 10.0), result(100000, 31.0)])
    assert len(missed) == len(catalogue.PAGES)  # over 3 times
    _text, missed = catalogue.report([result(1000, 10.0), result(100000, 20.0, queries=11)])
    assert len(missed) == len(catalogue.PAGES)  # a query more at 100,000


def test_the_background_exports_report_says_each_miss():
    from benchmarks import exports

    def result(click_ms, peak_mb):
        row = {"format": "csv", "offer_ms": 20.0, "click_ms": click_ms, "rows": 60000, "bytes": 5_500_000}
        row |= {"run_s": 2.0, "rows_per_s": 30000.0, "mb_per_s": 2.75, "peak_mb": peak_mb}
        return {"size": 60000, "db": "sqlite", "load": [1.0, 1.0, 1.0], "exports": [row]}

    text, missed = exports.report([result(60.0, 4.0)])
    assert not missed and "| 60,000 | sqlite | csv | 20 | 60 | 60,000 | 5.5 | 2.0 | 30,000 | 2.75 | 4.0 |" in text
    assert len(exports.report([result(exports.CLICK_TARGET_MS + 1, 4.0)])[1]) == 1
    assert len(exports.report([result(60.0, exports.EXPORT_PEAK_MB + 1)])[1]) == 1
