"""An interrupted import leaves all or nothing (SECURITY.md): `kill -9` of an import at random moments, ten times.

The national file is imported by `manage.py import_annuaire` in a subprocess, into a SQLite
file of tmp_path (migrated once, then copied fresh for each run), and killed with SIGKILL.
After each kill: `PRAGMA integrity_check` is "ok" and the import left everything or nothing.
Half the kills fall anywhere in the run, half inside the write transaction (detected by the
write lock the import holds), so that the all-or-nothing promise is tested where it matters.
"""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
NATIONAL = BASE_DIR / "data" / "etablissements-second-degre-france.csv"
KILLS = 10
# What one import of the national file leaves: schools, départements, académies, audit events.
FULL = (11248, 107, 34, 1)
EMPTY = (0, 0, 0, 0)


def environment(database: Path) -> dict[str, str]:
    # os.environ already holds what tests/environment.py sets (it is loaded as a pytest plugin).
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}


def start_import(database: Path, log: Path) -> subprocess.Popen:
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "manage.py", "import_annuaire", str(NATIONAL)],
            cwd=BASE_DIR,
            env=environment(database),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def writing(database: Path) -> bool:
    """True while another connection holds the write lock: the import's transaction is open."""
    connection = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:  # database is locked
        return True
    else:
        connection.execute("ROLLBACK")
        return False
    finally:
        connection.close()


def state(database: Path) -> tuple[str, tuple[int, int, int, int]]:
    connection = sqlite3.connect(database)
    try:
        integrity = ";".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
        counts = tuple(
            connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in ("territories_school", "territories_department", "territories_academy", "core_auditevent")
        )
    finally:
        connection.close()
    return integrity, counts


def wait_until(deadline: float, process: subprocess.Popen, condition=lambda: False) -> None:
    while time.monotonic() < deadline and process.poll() is None and not condition():
        time.sleep(0.005)


@pytest.mark.slow
@pytest.mark.own_database
def test_kill_9_during_the_national_import_leaves_all_or_nothing(tmp_path):
    template = tmp_path / "template.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=environment(template),
        check=True,
        timeout=300,
    )
    assert state(template) == ("ok", EMPTY)

    # A complete run first, to measure it and when its write transaction opens.
    database = tmp_path / "measure.sqlite3"
    shutil.copyfile(template, database)
    started = time.monotonic()
    process = start_import(database, tmp_path / "measure.log")
    write_opened = None
    while process.poll() is None:
        if write_opened is None and writing(database):
            write_opened = time.monotonic() - started
        time.sleep(0.005)
    duration = time.monotonic() - started
    assert process.returncode == 0, (tmp_path / "measure.log").read_text()
    assert state(database) == ("ok", FULL)
    assert write_opened is not None

    seed = random.randrange(2**32)
    rng = random.Random(seed)
    outcomes = []
    for kill in range(KILLS):
        database = tmp_path / f"kill-{kill}.sqlite3"
        shutil.copyfile(template, database)
        log = tmp_path / f"kill-{kill}.log"
        process = start_import(database, log)
        started = time.monotonic()
        if kill % 2 == 0:
            # Anywhere from the start-up to the end of the run.
            wait_until(started + rng.uniform(0.2, duration), process)
        else:
            # Inside the write transaction: once it is open, a random part of its length.
            wait_until(started + 3 * duration, process, lambda database=database: writing(database))
            wait_until(time.monotonic() + rng.uniform(0, max(duration - write_opened, 0.05)), process)
        was_writing = process.poll() is None and writing(database)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        elapsed = time.monotonic() - started
        integrity, counts = state(database)
        outcomes.append((round(elapsed, 2), was_writing, counts))

        context = f"seed {seed}, kill {kill} after {elapsed:.2f}s (writing: {was_writing}): {outcomes}"
        assert integrity == "ok", context
        assert counts in (EMPTY, FULL), context

    writing_kills = [outcome for outcome in outcomes if outcome[1]]
    assert len(writing_kills) >= KILLS // 4, f"seed {seed}: too few kills inside the write transaction: {outcomes}"
    assert any(counts == EMPTY for _, _, counts in writing_kills), f"seed {seed}: {outcomes}"

    print(f"seed {seed}, full run {duration:.2f}s, write transaction from {write_opened:.2f}s: {outcomes}")

    # The last killed database, imported to completion: everything is there, once.
    process = start_import(database, tmp_path / "final.log")
    assert process.wait(timeout=120) == 0, (tmp_path / "final.log").read_text()
    integrity, counts = state(database)
    assert integrity == "ok"
    assert counts[:3] == FULL[:3]  # a run after a completed one adds its own audit event only
