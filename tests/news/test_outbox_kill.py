"""THE KILL TEST: the worker (`manage.py db_worker`) killed with SIGKILL mid-mailing loses no
message and sends none twice.

A SQLite file of tmp_path, migrated by `manage.py migrate` in a subprocess; a mailing of 600
deliveries recorded there by `outbox.post` (`manage.py shell`); a real SMTP server (aiosmtpd) in
this process; workers started as subprocesses with the EMAIL_* settings pointing at it. Kills:
(i) from the server's DATA hook when the k-th message arrives, before it is accepted (the hook
kills, then answers an error the dead client never reads); (ii) by a timer, at a random moment once the worker sends.
After each kill `manage.py requeue_mailings` (what the worker service runs before `db_worker`)
asks for the mailing again and a new worker starts; the last one runs `--batch` to the end.

Every address then received its message, each under its delivery's Message-ID. Exactly once for
the hook's kills. A timer's kill may fall in the one window no SMTP client can close — the server
has accepted the message, the worker dies before its commit marks the delivery sent — and that
message comes again with the same Message-ID (core.outbox's docstring); the test counts such
repeats, allows at most one per timer kill, and checks that they carry the same Message-ID.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from tests.smtp import SmtpServer

BASE_DIR = Path(settings.BASE_DIR)
DELIVERIES = 600
HOOK_KILLS = (40, 130)  # the arrivals at which the server's hook kills the worker
TIMER_KILLS = 3

CREATE = f"""
from pilotis.core import outbox
letter = outbox.Letter(subject="Actualité de l'académie", body="Bonjour")
mailing = outbox.post(kind="news", label="Essai", letter=letter, to=[f"rupn{{n}}@college{{n}}.example" for n in range({DELIVERIES})])
print(mailing.pk)
"""


def environment(database: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "5",
    }


def manage(env, *args, timeout=300) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def start_worker(env, log: Path, *extra) -> subprocess.Popen:
    with log.open("ab") as stderr:
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0.2",
                *extra,
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def deliveries(database: Path) -> dict[str, tuple[str, bool]]:
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute("SELECT message_id, `to`, sent_at IS NOT NULL FROM core_delivery").fetchall()
    finally:
        connection.close()
    return {message_id: (to, bool(sent)) for message_id, to, sent in rows}


@pytest.mark.slow
@pytest.mark.own_database
def test_a_worker_killed_mid_mailing_loses_nothing_and_sends_nothing_twice(tmp_path):
    server = SmtpServer().start()
    database = tmp_path / "outbox.sqlite3"
    env = environment(database, server.port)
    log = tmp_path / "workers.log"
    lock = threading.Lock()
    arrivals, killed_in_hook = [], []
    current = {"worker": None}

    def hook(message):
        with lock:
            arrivals.append(message["Message-ID"])
            if len(arrivals) in HOOK_KILLS:
                os.kill(current["worker"].pid, signal.SIGKILL)  # before the server accepts it
                killed_in_hook.append(message["Message-ID"])
                return "421 4.3.0 Killed before acceptance"
        return None

    server.inbox.on_data = hook
    try:
        manage(env, "migrate", "--noinput", "-v0")
        mailing_id = int(manage(env, "shell", "-v0", "-c", CREATE).split()[-1])

        # (i) Killed by the server's hook, before it accepts the k-th message.
        for _kill in HOOK_KILLS:
            current["worker"] = start_worker(env, log)
            current["worker"].wait(timeout=120)
            assert current["worker"].returncode == -signal.SIGKILL, log.read_text()
            manage(env, "requeue_mailings")
        assert len(killed_in_hook) == len(HOOK_KILLS)

        # (ii) Killed at random moments.
        seed = random.randrange(2**32)
        rng = random.Random(seed)
        moments = []
        for _kill in range(TIMER_KILLS):
            before = len(server.messages)
            current["worker"] = start_worker(env, log)
            # Once it sends (its start-up takes a second or two), a random part of a second.
            deadline = time.monotonic() + 60
            while len(server.messages) == before and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.5))
            current["worker"].send_signal(signal.SIGKILL)
            current["worker"].wait(timeout=30)
            moments.append(len(server.messages) - before)
            manage(env, "requeue_mailings")

        # A last worker sends the rest and stops.
        current["worker"] = start_worker(env, log, "--batch")
        assert current["worker"].wait(timeout=300) == 0, log.read_text()
    finally:
        if current["worker"] is not None and current["worker"].poll() is None:
            current["worker"].kill()
        server.stop()

    rows = deliveries(database)
    assert len(rows) == DELIVERIES and all(sent for _to, sent in rows.values()), f"seed {seed}"
    received = Counter(m["Message-ID"] for m in server.messages)
    assert set(received) == set(rows), f"seed {seed}: a message was lost"
    assert all(m["To"] == rows[m["Message-ID"]][0] for m in server.messages)
    for message_id in killed_in_hook:
        assert received[message_id] == 1  # refused as the worker died, sent once by the next one
    repeats = {message_id: n for message_id, n in received.items() if n > 1}
    assert sum(n - 1 for n in repeats.values()) <= TIMER_KILLS, f"seed {seed}: {repeats}"
    connection = sqlite3.connect(database)
    try:
        finished = connection.execute("SELECT finished_at FROM core_mailing WHERE id = ?", [mailing_id]).fetchone()[0]
    finally:
        connection.close()
    assert finished is not None
    print(f"seed {seed}; messages per timer-killed worker: {moments}; repeated in the window: {len(repeats)}")
