"""Backups of the database while Pilotis runs, and their restoration into a new database
(SECURITY.md, « Backups restore whole »).

A backup is two files: the dump, and beside it `<dump>.json`, its manifest — the engine, the
time, the migrations applied, the number of rows of every table *in the dump's own snapshot*, and
the dump's SHA-256. Restoring checks the digest first, restores into a database that must be new
(no table yet), then checks the result against the manifest: integrity, and the same number of
rows in every table.

- SQLite: the online backup API (`sqlite3.Connection.backup`), from a connection of its own in a
  read transaction that the counts share: others keep writing meanwhile (WAL). Restored with the
  same API, then `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.
- PostgreSQL: `pg_dump --format=custom --snapshot=…`, in the snapshot exported by a REPEATABLE
  READ transaction that the counts share; `pg_restore --single-transaction --exit-on-error`, which
  rebuilds every constraint and fails on a broken one.

The functions take a Django `DATABASES` entry, so that the commands (`backup_db`, `restore_db`)
and the tests can aim them at any database.
"""

import datetime
import hashlib
import json
import os
import sqlite3
import subprocess  # noqa: S404 — pg_dump / pg_restore, fixed argument lists
import time
from pathlib import Path

from django.utils.translation import gettext as _


class BackupError(Exception):
    """Something an operator must read: said in one sentence, in French."""


def _engine(settings_dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(_("Moteur de base de données non pris en charge : %(engine)s.") % {"engine": engine})


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_connect(name: str) -> sqlite3.Connection:
    # `name` may be a path or, for Django's in-memory test databases, a "file:…" URI.
    connection = sqlite3.connect(str(name), uri=str(name).startswith("file:"), timeout=20, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 20000")
    return connection


def _sqlite_tables(connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def _sqlite_counts(connection) -> dict[str, int]:
    quote = '"{}"'.format
    return {
        table: connection.execute(f"SELECT COUNT(*) FROM {quote(table.replace(chr(34), chr(34) * 2))}").fetchone()[0]  # noqa: S608
        for table in _sqlite_tables(connection)
    }


def _sqlite_migrations(connection) -> list[list[str]]:
    if "django_migrations" not in _sqlite_tables(connection):
        return []
    return [list(row) for row in connection.execute("SELECT app, name FROM django_migrations ORDER BY app, name")]


def _sqlite_backup(settings_dict, dump: Path) -> dict:
    source = _sqlite_connect(settings_dict["NAME"])
    try:
        for attempt in range(LOCKED_ATTEMPTS):
            try:
                return _sqlite_snapshot(source, dump)
            except sqlite3.OperationalError as error:
                # A shared-cache database (Django's in-memory test database) locks a table while
                # it is written, and busy_timeout does not wait for that: try again shortly.
                if "locked" not in str(error) or attempt == LOCKED_ATTEMPTS - 1:
                    raise
                if source.in_transaction:
                    source.execute("ROLLBACK")
                time.sleep(0.02)
    finally:
        source.close()


LOCKED_ATTEMPTS = 500  # one every 0.02 s: ten seconds at most


def _sqlite_snapshot(source, dump: Path) -> dict:
    # One read transaction: the counts and the copied pages are the same snapshot.
    source.execute("BEGIN")
    counts = _sqlite_counts(source)
    migrations = _sqlite_migrations(source)
    target = sqlite3.connect(dump)
    try:
        source.backup(target)
    finally:
        target.close()
    source.execute("COMMIT")
    return {"counts": counts, "migrations": migrations}


def _sqlite_restore(dump: Path, settings_dict) -> list[str]:
    name = str(settings_dict["NAME"])
    target = _sqlite_connect(name)
    try:
        if _sqlite_tables(target):
            raise BackupError(_("La base de destination n'est pas vide : restaurez dans une base neuve."))
        source = sqlite3.connect(dump)
        try:
            source.backup(target)
        finally:
            source.close()
        problems = [row[0] for row in target.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"clé étrangère rompue : {row}" for row in target.execute("PRAGMA foreign_key_check")]
    finally:
        target.close()
    return problems


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_params(settings_dict) -> dict:
    params = {
        "dbname": settings_dict.get("NAME") or "postgres",
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict.get("PORT") or "") or None,
    }
    return {key: value for key, value in params.items() if value is not None}


def _pg_env(params) -> dict:
    # Connection settings go to the tools by their environment: no password on a command line.
    env = dict(os.environ)
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE"}
    env.update({names[key]: value for key, value in params.items()})
    return env


def _pg_counts(connection) -> dict[str, int]:
    from psycopg import sql

    tables = [
        name
        for (name,) in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]
    return {
        table: connection.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
        for table in tables
    }


def _pg_migrations(connection, counts) -> list[list[str]]:
    if "django_migrations" not in counts:
        return []
    return [list(row) for row in connection.execute("SELECT app, name FROM django_migrations ORDER BY app, name")]


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s a échoué : %(error)s") % {"tool": command[0], "error": result.stderr.strip()[-2000:]}
        )


def _pg_backup(settings_dict, dump: Path) -> dict:
    import psycopg

    params = _pg_params(settings_dict)
    with psycopg.connect(**params, autocommit=True) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = _pg_counts(connection)
        migrations = _pg_migrations(connection, counts)
        # pg_dump reads the same snapshot, exported by this transaction while it stays open.
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", f"--file={dump}"],
            _pg_env(params),
        )
        connection.execute("ROLLBACK")
    return {"counts": counts, "migrations": migrations}


def _pg_restore(dump: Path, settings_dict) -> list[str]:
    import psycopg

    params = _pg_params(settings_dict)
    with psycopg.connect(**params, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() LIMIT 1").fetchone():
            raise BackupError(_("La base de destination n'est pas vide : restaurez dans une base neuve."))
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={params['dbname']}",
            str(dump),
        ],
        _pg_env(params),
    )
    return []


# --- Entry points ------------------------------------------------------------------------------


def counts(settings_dict) -> dict[str, int]:
    """Rows per table of the database now."""
    if _engine(settings_dict) == "sqlite":
        connection = _sqlite_connect(settings_dict["NAME"])
        try:
            return _sqlite_counts(connection)
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(**_pg_params(settings_dict), autocommit=True) as connection:
        return _pg_counts(connection)


def backup(settings_dict, dump) -> dict:
    """Writes the dump and its manifest; returns the manifest. The database stays in use."""
    dump = Path(dump)
    if dump.exists() or manifest_path(dump).exists():
        raise BackupError(_("Le fichier %(path)s existe déjà : choisissez un autre nom.") % {"path": dump})
    dump.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(settings_dict)
    started = datetime.datetime.now(datetime.UTC)
    try:
        read = _sqlite_backup(settings_dict, dump) if engine == "sqlite" else _pg_backup(settings_dict, dump)
    except BaseException:
        dump.unlink(missing_ok=True)  # never leave half a dump behind
        raise
    manifest = {
        "format": 1,
        "engine": engine,
        "started_at": started.isoformat(),
        "migrations": read["migrations"],
        "counts": read["counts"],
        "sha256": _sha256(dump),
        "size": dump.stat().st_size,
    }
    manifest_path(dump).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def read_manifest(dump) -> dict:
    dump = Path(dump)
    try:
        manifest = json.loads(manifest_path(dump).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(_("Le manifeste %(path)s est introuvable.") % {"path": manifest_path(dump)}) from None
    except ValueError:
        raise BackupError(_("Le manifeste %(path)s est illisible.") % {"path": manifest_path(dump)}) from None
    if not dump.exists():
        raise BackupError(_("La sauvegarde %(path)s est introuvable.") % {"path": dump})
    if _sha256(dump) != manifest.get("sha256"):
        raise BackupError(
            _("La sauvegarde %(path)s ne correspond pas à son manifeste (fichier abîmé ?).") % {"path": dump}
        )
    return manifest


def restore(dump, settings_dict) -> list[str]:
    """Restores the dump into the (new, empty) database, then checks it against the manifest.
    Returns the problems found: none means integrity checked and every table's count equal."""
    dump = Path(dump)
    manifest = read_manifest(dump)
    engine = _engine(settings_dict)
    if manifest["engine"] != engine:
        raise BackupError(
            _("Sauvegarde %(dumped)s, base de destination %(target)s : restaurez dans le même moteur.")
            % {"dumped": manifest["engine"], "target": engine}
        )
    problems = _sqlite_restore(dump, settings_dict) if engine == "sqlite" else _pg_restore(dump, settings_dict)
    restored = counts(settings_dict)
    for table in sorted(set(manifest["counts"]) | set(restored)):
        expected, found = manifest["counts"].get(table), restored.get(table)
        if expected != found:
            problems.append(
                _("table %(table)s : %(expected)s lignes attendues, %(found)s trouvées")
                % {"table": table, "expected": expected, "found": found}
            )
    return problems
