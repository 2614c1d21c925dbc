"""What a mail's header says, read before its body is downloaded.

:func:`summarize_header`: participants (From, To, Cc, Bcc, Reply-To; not Sender, which names a list
or a secretary rather than a party), Message-Id, In-Reply-To, References, Date and Subject, from the
header alone, to decide which bodies to download; and a de-duplication key (the Message-Id, or a
digest of the header when there is none). :data:`SYNC_HEADER_FIELDS`: the fields a pass fetches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from email.parser import HeaderParser

from ..addresses import split_addresses
from ..headers import decode_words
from ..headers import message_ids
from ..headers import parse_date

__all__ = ["SYNC_HEADER_FIELDS", "HeaderSummary", "header_addresses", "summarize_header"]

# The header fields fetched in the header pass: participants and threading to decide, plus what the
# robot-mail, envelope and direction rules read, so that a mail can be judged before its body is
# downloaded.
SYNC_HEADER_FIELDS = (
    "From",
    "Sender",
    "To",
    "Cc",
    "Bcc",
    "Reply-To",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Date",
    "Subject",
    "Delivered-To",
    "X-Original-To",
    "Envelope-To",
    "Return-Path",
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "X-Auto-Response-Suppress",
    "X-Autoreply",
    "X-Autorespond",
    "Content-Type",
)


@dataclass(frozen=True, slots=True)
class HeaderSummary:
    """What the header says, with addresses normalised (:func:`.addresses.normalize_address`)."""

    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    date: datetime | None
    subject: str
    sender: str | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    bcc: tuple[str, ...]
    reply_to: tuple[str, ...]
    dedupe_key: str

    @property
    def participants(self) -> tuple[str, ...]:
        """From, To, Cc, Bcc, then Reply-To: each address once, in that order."""
        head = (self.sender,) if self.sender else ()
        return tuple(dict.fromkeys((*head, *self.to, *self.cc, *self.bcc, *self.reply_to)))

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The Message-Ids this mail answers: In-Reply-To first, then References, newest first."""
        parents = (self.in_reply_to,) if self.in_reply_to else ()
        return tuple(dict.fromkeys((*parents, *reversed(self.references))))


def _single_id(value: str | None) -> str | None:
    ids = message_ids(value)
    if ids:
        return ids[0]
    text = " ".join((value or "").split())
    return text or None


def summarize_header(header: bytes | str) -> HeaderSummary:
    """Read participants, threading, date and subject from a raw header block."""
    text = header.decode("utf-8", "replace") if isinstance(header, bytes) else header
    message = HeaderParser().parsestr(text, headersonly=True)

    def addresses(name: str) -> tuple[str, ...]:
        return tuple(addr for _name, addr in split_addresses(*(message.get_all(name) or [])))

    senders = addresses("From")
    message_id = _single_id(message.get("Message-ID"))
    summary = HeaderSummary(
        message_id=message_id,
        in_reply_to=_single_id(message.get("In-Reply-To")),
        references=tuple(dict.fromkeys(message_ids(" ".join(message.get_all("References") or [])))),
        date=parse_date(message.get("Date")),
        subject=" ".join(decode_words(message.get("Subject") or "").split()),
        sender=senders[0] if senders else None,
        to=addresses("To"),
        cc=addresses("Cc"),
        bcc=addresses("Bcc"),
        reply_to=addresses("Reply-To"),
        dedupe_key="",
    )
    return replace(summary, dedupe_key=message_id or _fallback_key(summary, message.get("Date")))


def header_addresses(header: bytes | str, fields: Sequence[str]) -> set[str]:
    """The normalised addresses of the named fields of a raw header block."""
    text = header.decode("utf-8", "replace") if isinstance(header, bytes) else header
    message = HeaderParser().parsestr(text, headersonly=True)
    values = [value for name in fields for value in message.get_all(name) or []]
    return {addr for _name, addr in split_addresses(*values)}


def _fallback_key(summary: HeaderSummary, date_text: str | None) -> str:
    """A stable key for mail without Message-Id: the same mail gives the same key in any folder."""
    parts = [" ".join((date_text or "").split()), summary.sender or "", summary.subject]
    parts += [",".join(summary.to), ",".join(summary.cc)]
    return "sha256:" + hashlib.sha256("\n".join(parts).encode("utf-8", "replace")).hexdigest()
