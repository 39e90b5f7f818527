"""A write that meets a database held by another writer answers 503 « réessayez » with
Retry-After, never a 500, and leaves the data as it was (the autosave retries on 503)."""

import sqlite3
import sys

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from pilotis.assessments.models import Answer
from pilotis.core.middleware import is_database_busy
from pilotis.core.views import server_error

BUSY = "La base de données est occupée, réessayez dans un instant."


@pytest.fixture
def post_while_locked(transactional_db, world, campaign, tmp_path):
    """`post(client, url, data, **extra)`: the request while a second connection holds the
    database. SQLite: its write lock, on a file copy of the test database (the suite's is in
    memory, where SQLite's locks are not the file's) with a busy timeout of 100 ms. PostgreSQL:
    the answers' table, with a lock_timeout of 200 ms."""
    if connection.vendor == "sqlite":
        path = tmp_path / "busy.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        saved_connection, saved_settings = connection.connection, connection.settings_dict
        connection.connection = None
        connection.settings_dict = {
            **saved_settings,
            "NAME": str(path),
            "OPTIONS": {
                **saved_settings["OPTIONS"],
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=100;",
                "timeout": 0.1,
            },
        }

        def post(client, url, data, **extra):
            holder = sqlite3.connect(path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                return client.post(url, data, **extra)
            finally:
                holder.execute("ROLLBACK")
                holder.close()

        try:
            yield post
        finally:
            connection.close()
            connection.settings_dict = saved_settings
            connection.connection = saved_connection
    else:
        import psycopg

        from pilotis.core import backup

        def post(client, url, data, **extra):
            with psycopg.connect(**backup._pg_params(connection.settings_dict)) as holder:
                holder.execute("LOCK TABLE assessments_answer IN EXCLUSIVE MODE")
                with connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '200ms'")
                try:
                    return client.post(url, data, **extra)
                finally:
                    with connection.cursor() as cursor:
                        cursor.execute("RESET lock_timeout")
                    holder.rollback()

        yield post


def save_url(world):
    return reverse("assessments:answer_save", args=[world.school_a.uai, "2026-2027", "PIL.1.01"])


@pytest.mark.parametrize("htmx", [True, False])
def test_a_write_meeting_a_held_database_is_a_503_to_retry(post_while_locked, client_for, world, htmx):
    client = client_for("rupn_a")
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"status": "realise", "comment": "Voté en CA", "seen_revision": "0"}

    response = post_while_locked(client, save_url(world), data, headers=headers)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert BUSY in page
    assert ("<html" in page) is not htmx  # htmx gets a fragment, a browser the whole page
    assert not Answer.objects.exists()

    # Once the lock is released, the same request goes through.
    assert client.post(save_url(world), data, headers=headers).status_code in (200, 302)
    assert Answer.objects.get().comment == "Voté en CA"


def _as_handled(request):
    """The request as the error handlers get it: HtmxMiddleware, the first, has seen it."""
    request.htmx = HtmxDetails(request)
    return request


def test_a_lock_met_outside_a_view_is_a_503_too(rf: RequestFactory):
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(_as_handled(rf.post("/")))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert BUSY in response.content.decode()

    try:
        raise OperationalError("no such table: x")
    except OperationalError:
        assert sys.exc_info()[1] is not None
        assert server_error(_as_handled(rf.get("/"))).status_code == 500


class _PgError(Exception):
    def __init__(self, sqlstate):
        super().__init__("canceling statement due to lock timeout")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (OperationalError("database is locked"), True),
        (OperationalError("database table is locked"), True),
        (OperationalError("no such table: territories_school"), False),
        (ValueError("locked"), False),
    ],
)
def test_which_errors_say_the_database_is_busy(error, busy):
    assert is_database_busy(error) is busy


@pytest.mark.parametrize(("sqlstate", "busy"), [("55P03", True), ("40P01", True), ("57P01", False)])
def test_postgresql_lock_errors_say_busy(sqlstate, busy):
    """lock_not_available (lock_timeout, NOWAIT) and deadlock_detected, as psycopg raises them."""
    try:
        try:
            raise _PgError(sqlstate)
        except _PgError as cause:
            raise OperationalError("terminating connection") from cause
    except OperationalError as error:
        assert is_database_busy(error) is busy
