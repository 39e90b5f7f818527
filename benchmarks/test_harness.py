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
    assert {d["dashboard"] for d in result["duckdb"]} == {"progress", "maturity", "indicators", "trends"}
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
