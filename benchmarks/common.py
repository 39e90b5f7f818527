"""What every part of the harness shares: where the bench databases live, the environment of a
bench process, and the shape of the bench territory. Imports nothing of Django: the scripts set
`DATABASE_URL` before Django reads its settings, once per database."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var" / "bench"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
ANNUAIRE = BASE_DIR / "data" / "etablissements-second-degre-france.csv"
PYTHON = sys.executable

DATABASES = ("sqlite", "postgres")
# The server the PostgreSQL bench databases are created on (trust authentication here).
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")

# Bump when the generated data changes shape: existing bench databases are then regenerated.
GENERATOR_VERSION = 2  # 2: action plans and commission meetings

ACADEMY_CODE = "BE"
ACADEMY_NAME = "Banc d'essai"
PAST_YEARS = ("2023-2024", "2024-2025", "2025-2026")
OPEN_YEAR = "2026-2027"
DANE_USERNAME = "bench-dane"
RUPN_COUNT = 16
RUPN_USERNAME = "bench-rupn-{:02d}"
# Synthetic schools get UAIs from 8000000 up: real ones start with 0, 6, 7 or 9.
SYNTHETIC_UAI_BASE = 8_000_000


def schema_fingerprint() -> str:
    """A digest of every migration file: bench data written under other migrations (a migration
    added, or one edited while in development) is regenerated rather than measured stale."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted([*BASE_DIR.glob("pilotis/*/migrations/*.py"), *BASE_DIR.glob("benchmarks/migrations/*.py")]):
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sqlite_path(schools: int) -> Path:
    return VAR_DIR / f"pilotis-bench-{schools}.sqlite3"


def pg_name(schools: int) -> str:
    # BENCH_PG_PREFIX lets several checkouts share one PostgreSQL server without sharing data.
    return f"{os.environ.get('BENCH_PG_PREFIX', 'pilotis_bench')}_{schools}"


def pg_dsn(dbname: str) -> str:
    """libpq connection string of a database on the bench server (for psycopg and DuckDB)."""
    from urllib.parse import urlsplit

    url = urlsplit(PG_SERVER)
    parts = [f"dbname={dbname}", f"host={url.hostname or '127.0.0.1'}", f"port={url.port or 5432}"]
    parts.append(f"user={url.username or 'postgres'}")
    if url.password:
        parts.append(f"password={url.password}")
    return " ".join(parts)


def database_url(schools: int, db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{sqlite_path(schools)}"
    if db == "postgres":
        return f"{PG_SERVER.rstrip('/')}/{pg_name(schools)}"
    raise ValueError(f"unknown database {db!r} (sqlite or postgres)")


def bench_env(schools: int, db: str, **extra: str) -> dict[str, str]:
    """The environment of every bench process: production settings (DEBUG off) served over plain
    http on localhost, hence no TLS redirection and no secure-only cookies."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DATABASE_URL": database_url(schools, db),
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            # No collectstatic tree for the bench: plain static URLs (the pages are timed, not
            # their assets, which the bench never fetches).
            "MANIFEST_STATIC": "0",
            "STATIC_FROM_APPS": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            # The dashboards' bench times the immediate export at every size (its workers' memory);
            # the background path, which the heat map takes past 5,000 rows, is benchmarks/exports.py.
            "EXPORT_BACKGROUND_ROWS": "1000000000",
            "BENCH_SCHOOLS": str(schools),
            "BENCH_DB": db,
            "PYTHONPATH": str(BASE_DIR),
        }
    )
    env.update(extra)
    return env


def setup_django() -> None:
    """Django for a process started with `bench_env` (one database per process)."""
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "benchmarks.settings" or "BENCH_DB" not in os.environ:
        raise SystemExit("run through `make bench-data` / `make bench` (the environment names the bench database)")
    import django

    django.setup()


def fmt_seconds(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:04.1f} s" if minutes else f"{rest:.1f} s"


class Family:
    """The bench databases of one generator of its own (the catalogue's, the equipment needs'):
    `var/bench/<prefix>-<size>.sqlite3` and PostgreSQL's `pilotis_<prefix>_bench_<size>`, each with
    a stamp (the generator's version, the migrations' fingerprint) that says whether it can be
    reused, and the environment of the process that measures it."""

    def __init__(self, prefix: str, version: int, **env: str):
        self.prefix, self.version, self.env = prefix, version, env

    def sqlite_path(self, size: int) -> Path:
        return VAR_DIR / f"{self.prefix}-{size}.sqlite3"

    def pg_name(self, size: int) -> str:
        return f"pilotis_{self.prefix}_bench_{size}"

    def database_url(self, size: int, db: str) -> str:
        if db == "sqlite":
            return f"sqlite:///{self.sqlite_path(size)}"
        return f"{PG_SERVER.rstrip('/')}/{self.pg_name(size)}"

    def stamp_path(self, size: int, db: str) -> Path:
        return VAR_DIR / f"{self.prefix}-{size}-{db}.stamp.json"

    def expected_stamp(self, size: int) -> dict:
        return {"size": size, "version": self.version, "schema": schema_fingerprint()}

    def reset_database(self, size: int, db: str) -> None:
        """An empty database for a new generation."""
        self.stamp_path(size, db).unlink(missing_ok=True)
        if db == "sqlite":
            path = self.sqlite_path(size)
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            return
        import psycopg

        with psycopg.connect(pg_dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name(size)}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.pg_name(size)}"')

    def env_for(self, size: int, db: str) -> dict[str, str]:
        env = bench_env(0, "sqlite")
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
                "DATABASE_URL": self.database_url(size, db),
                "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
                "BENCH_DB": db,
                **{key: value.format(size=size) for key, value in self.env.items()},
            }
        )
        return env
