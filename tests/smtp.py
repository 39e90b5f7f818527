"""A real SMTP server on loopback (aiosmtpd), for the tests that check what arrives.

`smtp_server` (tests/conftest.py) starts one per test and points the default mailer at it; its
`messages` are what the server received, parsed (`email.message.EmailMessage`), headers included.
`refuse` makes it answer a given code to the next DATA commands, `refuse_recipient` refuses an
address at RCPT time, as real servers do."""

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes = []
        self.refuse_data: str | None = None  # e.g. "451 4.3.0 Try again later"
        self.refused_recipients: set[str] = set()
        self.on_data = None  # called with the parsed message before it is accepted
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused_recipients:
            return "550 5.1.1 Unknown recipient"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        if self.on_data is not None:
            answer = self.on_data(parsed)
            if answer:
                return answer
        with self._lock:
            self.messages.append(parsed)
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def messages(self):
        return self.inbox.messages

    def mailer_settings(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }
