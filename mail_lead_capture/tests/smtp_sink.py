"""A real SMTP server on 127.0.0.1 that keeps every mail it receives (aiosmtpd).

Plain Python with no Odoo import: the Odoo tests use it to check what the addon really sends, and
``make demo`` uses it to print what Odoo sends. Nothing leaves the machine.
"""

from __future__ import annotations

import base64
import email
import email.policy
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class ReceivedMail:
    """One mail as the sink received it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    @property
    def text(self) -> str:
        """The mail's text (HTML tags removed), to check what a person would read."""
        body = self.message.get_body(preferencelist=("plain", "html"))
        content = body.get_content() if body is not None else ""
        from lxml import html  # noqa: PLC0415 (lxml only when a test reads a body)

        return " ".join(html.fromstring(content).text_content().split()) if content.strip() else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """Start with :meth:`start`, read :attr:`mails`, stop with :meth:`stop` (or use ``with``)."""

    def __init__(self, on_mail: Callable[[ReceivedMail], None] | None = None):
        self.port = _free_port()
        self.mails: list[ReceivedMail] = []
        self._on_mail = on_mail
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content
        raw = content if isinstance(content, bytes) else content.encode()
        mail = ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), raw)
        with self._lock:
            self.mails.append(mail)
        if self._on_mail:
            self._on_mail(mail)
        return "250 Message accepted for delivery"

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller  # noqa: PLC0415 (only when a sink is started)

        self._controller = Controller(
            self, hostname="127.0.0.1", port=self.port, **self._controller_options()
        )
        self._controller.start()
        return self

    def _controller_options(self) -> dict:
        return {}

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        with self._lock:
            self.mails.clear()

    def sent_to(self, address: str) -> list[ReceivedMail]:
        """The mails whose envelope recipients include ``address`` (case-insensitive)."""
        address = address.lower()
        with self._lock:
            return [m for m in self.mails if address in (r.lower() for r in m.rcpt_tos)]

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class XOAuth2SmtpSink(SmtpSink):
    """A sink that, like Gmail's and Microsoft 365's SMTP servers, wants STARTTLS, then AUTH
    XOAUTH2 with an access token that ``check(user, token)`` accepts, before any mail.

    ``tls_context`` is the server side of TLS (its certificate). ``logins`` lists the users that
    authenticated, in order.
    """

    def __init__(self, check: Callable[[str, str], bool], tls_context, on_mail=None):
        super().__init__(on_mail)
        self._check = check
        self._tls_context = tls_context
        self.logins: list[str] = []

    def _controller_options(self) -> dict:
        return {
            "tls_context": self._tls_context,
            "require_starttls": True,
            "auth_required": True,
            "auth_exclude_mechanism": ["LOGIN", "PLAIN"],
        }

    async def auth_XOAUTH2(self, server, args):  # aiosmtpd finds auth_<MECHANISM> methods
        from aiosmtpd.smtp import AuthResult  # noqa: PLC0415

        if len(args) != 2:
            return AuthResult(success=False)
        try:
            fields = base64.b64decode(args[1]).decode().split("\x01")
        except ValueError:
            return AuthResult(success=False)
        values = dict(field.split("=", 1) for field in fields if "=" in field)
        user, token = values.get("user", ""), values.get("auth", "").removeprefix("Bearer ")
        if not self._check(user, token):
            return AuthResult(success=False)
        self.logins.append(user)
        return AuthResult(success=True, auth_data=user)
