"""The outbox at scale: one mailing to 60,000 addresses, recorded by `outbox.post` and sent by
`outbox.send` (the worker's task, run in this process) to a local SMTP server (aiosmtpd on
loopback, counting what it accepts). Prints the time of each step, the sending rate and the peak
memory of the process (its resident set: the server's thread included).

    python -m benchmarks.outbox [--deliveries 60000] [--chunk 200]

Database: a fresh SQLite file, `var/bench/outbox.sqlite3` (migrated at each run), or
DATABASE_URL when set (a PostgreSQL database of its own: it is flushed of its mailings first).
"""

import argparse
import asyncio
import os
import resource
import socket
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


class Counting:
    """An SMTP handler that accepts everything and counts it (no parsing: the outbox is measured)."""

    def __init__(self):
        self.accepted = 0
        self.recipients = set()

    async def handle_DATA(self, server, session, envelope):
        self.accepted += 1
        self.recipients.update(envelope.rcpt_tos)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=60_000)
    parser.add_argument("--chunk", type=int, default=200)
    args = parser.parse_args()

    port = free_port()
    database = BASE_DIR / "var" / "bench" / "outbox.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in os.environ:
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": os.environ.get("DEBUG", "1"),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
        }
    )
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import connection

    from pilotis.core import outbox
    from pilotis.core.models import Delivery, Mailing

    call_command("migrate", verbosity=0)
    Mailing.objects.all().delete()
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        addresses = [f"rupn{n}@college{n % 5000}.example" for n in range(args.deliveries)]
        letter = outbox.Letter(
            subject="LINE — la lettre du numérique éducatif",
            body="Bonjour,\n\n" + "Les nouvelles du numérique éducatif de l'académie. " * 40,
            html="<p>Bonjour,</p>" + "<p>Les nouvelles du numérique éducatif de l'académie.</p>" * 40,
        )
        started = time.perf_counter()
        mailing = outbox.post(kind="news", label="Banc d'essai", letter=letter, to=addresses)
        posted = time.perf_counter() - started
        print(
            f"post: {args.deliveries} deliveries recorded in {posted:.2f} s; peak RSS {peak_mib():.0f} MiB", flush=True
        )

        started = time.perf_counter()
        sent = outbox.send(mailing.pk, chunk=args.chunk)
        sending = time.perf_counter() - started
        print(
            f"send: {sent} sent in {sending:.1f} s ({sent / sending:.0f} messages/s); "
            f"peak RSS {peak_mib():.0f} MiB; server accepted {handler.accepted}, "
            f"{len(handler.recipients)} distinct addresses",
            flush=True,
        )
        assert sent == handler.accepted == len(handler.recipients) == args.deliveries
        assert not Delivery.objects.filter(mailing=mailing, sent_at=None).exists()
        print(f"database: {connection.vendor}; python {sys.version.split()[0]}", flush=True)
    finally:
        controller.stop()
        asyncio.set_event_loop(None)


if __name__ == "__main__":
    main()
