"""A backup taken while others write restores into a new database — integrity checked,
every table's count equal to the backup's — and Pilotis runs on it. On the suite's database:
SQLite in one run of CI, PostgreSQL in the other."""

import io
import os
import subprocess  # noqa: S404 — manage.py with fixed arguments
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections

from pilotis.core import backup
from pilotis.core.models import AuditEvent
from pilotis.territories.models import School

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def target(tmp_path):
    """A new, empty database of the suite's engine: (its DATABASES entry, its DATABASE_URL)."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield {**source, "NAME": str(path)}, f"sqlite:///{path}"
        return
    import psycopg

    name = f"{source['NAME']}_restored"
    params = backup._pg_params({**source, "NAME": "postgres"})
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = source.get("USER") or ""
    password = f":{source['PASSWORD']}" if source.get("PASSWORD") else ""
    host = source.get("HOST") or "127.0.0.1"
    port = f":{source['PORT']}" if source.get("PORT") else ""
    try:
        yield {**source, "NAME": name}, f"postgres://{user}{password}@{host}{port}/{name}"
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Writer(threading.Thread):
    """Writes audit rows as fast as it can, as a running Pilotis would, until told to stop."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.written = 0

    def run(self):
        try:
            while not self.stop.is_set():
                try:
                    AuditEvent.objects.create(action="login", object_label=f"écriture {self.written}")
                    self.written += 1
                except OperationalError:  # SQLite's in-memory test database locks tables while copied
                    time.sleep(0.005)
        finally:
            connections.close_all()

    def wait_for(self, n):
        deadline = time.monotonic() + 30
        while self.written < n and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.written >= n


def _manage(url, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


@pytest.mark.slow  # pg_dump / restore and manage.py in their own processes
def test_a_backup_taken_during_writes_restores_whole_and_pilotis_runs_on_it(world, tmp_path, target):
    target_settings, target_url = target
    writer = Writer()
    writer.start()
    try:
        writer.wait_for(20)
        dump = tmp_path / "pilotis.dump"
        manifest = backup.backup(connection.settings_dict, dump)
        during = writer.written
        writer.wait_for(during + 20)  # the writes went on, and go on after
    finally:
        writer.stop.set()
        writer.join()

    # The round trip runs on the suite's own engine (pg_dump / pg_restore in CI's PostgreSQL run).
    assert manifest["engine"] == connection.vendor
    assert backup._engine(target_settings) == connection.vendor
    # The manifest counts the backup's own snapshot: some of the writes, not those after it.
    assert 20 <= manifest["counts"]["core_auditevent"] < AuditEvent.objects.count()
    assert manifest["counts"]["territories_school"] == School.objects.count() == 3
    assert ["core", "0001_initial"] in manifest["migrations"]

    assert backup.restore(dump, target_settings) == []  # integrity, and every table's count
    assert backup.counts(target_settings) == manifest["counts"]

    # Pilotis runs on the restored database: nothing to migrate, its rows readable.
    assert _manage(target_url, "migrate", "--check").returncode == 0
    shell = _manage(
        target_url,
        "shell",
        "-c",
        "from pilotis.core.models import AuditEvent; from pilotis.territories.models import School;"
        "print(School.objects.count(), AuditEvent.objects.count())",
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split()[-2:] == ["3", str(manifest["counts"]["core_auditevent"])]


@pytest.mark.slow  # manage.py in its own process
def test_a_restore_refuses_a_damaged_dump_or_a_database_in_use(world, tmp_path, target):
    target_settings, _url = target
    dump = tmp_path / "pilotis.dump"
    call_command("backup_db", str(dump), stdout=io.StringIO())
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("backup_db", str(dump), stdout=io.StringIO())

    # The database in use is not new: nothing is restored into it.
    with pytest.raises(backup.BackupError, match="pas vide"):
        backup.restore(dump, connection.settings_dict)
    assert School.objects.count() == 3

    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    backup.manifest_path(damaged).write_bytes(backup.manifest_path(dump).read_bytes())
    with pytest.raises(backup.BackupError, match="ne correspond pas"):
        backup.restore(damaged, target_settings)
    assert backup.counts(target_settings) == {}  # nothing written into the new database

    with pytest.raises(backup.BackupError, match="introuvable"):
        backup.restore(Path(tmp_path / "absent.dump"), target_settings)


@pytest.mark.django_db(transaction=False)
def test_an_sqlite_file_in_wal_mode_is_copied_as_one_snapshot_while_written(tmp_path):
    """Production's SQLite (a file in WAL mode): writers are not held up by the copy, and the
    copy is the snapshot the manifest counted, whatever was written meanwhile."""
    import sqlite3

    source = tmp_path / "live.sqlite3"
    with sqlite3.connect(source) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    stop, written = threading.Event(), []

    def write():
        with sqlite3.connect(source, timeout=20) as db:
            while not stop.is_set():
                db.execute("INSERT INTO note (body) VALUES (?)", ("x" * 4000,))
                db.commit()
                written.append(1)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        counted = []
        deadline = time.monotonic() + 60
        for i in range(3):
            while len(written) < 200 * (i + 1):
                assert thread.is_alive() and time.monotonic() < deadline, "the writer stopped writing"
                time.sleep(0.005)
            dump = tmp_path / f"copy-{i}.sqlite3"
            manifest = backup.backup({"ENGINE": "django.db.backends.sqlite3", "NAME": str(source)}, dump)
            with sqlite3.connect(dump) as copy:
                assert copy.execute("SELECT COUNT(*) FROM note").fetchone()[0] == manifest["counts"]["note"]
            counted.append(manifest["counts"]["note"])
    finally:
        stop.set()
        thread.join()
    assert counted == sorted(set(counted)) and len(written) > counted[-1]  # the writes went on
