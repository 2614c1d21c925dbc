"""Mail headers, read the same way everywhere: decoded text, aware UTC dates, Message-Ids, mailboxes.

Every module that reads a header goes through here, so that the gateway, the mailbox sync, robot
mail detection, forward recovery and the review copy of refused mail agree on what a header says:

- :func:`decode_words`: RFC 2047 encoded words (``=?utf-8?q?...?=``) decoded; malformed ones are kept
  as written. :func:`header_line` and :func:`header_text` read one header of a parsed message with
  it (see each for how raw 8-bit text and whitespace come out).
- :func:`parse_date`: a Date header as an aware UTC datetime, or None; :func:`date_offset`: its zone.
- :data:`MESSAGE_ID` and :func:`message_ids`: a Message-Id is ``<...>`` with no space and at most 250
  characters between its brackets (longer ones are not kept: no store could match them).
- :class:`Mailbox`: a person named in a header, display name and normalised address.

Nothing here raises on hostile input: an unreadable value reads as empty (or as written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from email.header import Header
from email.header import decode_header
from email.header import make_header
from email.message import Message
from email.utils import parsedate_to_datetime

__all__ = [
    "MESSAGE_ID",
    "Mailbox",
    "date_offset",
    "decode_words",
    "header_line",
    "header_text",
    "message_ids",
    "parse_date",
]

MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")


@dataclass(frozen=True, slots=True)
class Mailbox:
    """A person in a header: ``address`` normalised, ``None`` when only a name is known."""

    name: str
    address: str | None


# -- decoded text -------------------------------------------------------------------------------------


def decode_words(text: str) -> str:
    """RFC 2047 encoded words decoded; malformed ones (unknown charset, bad base64...) kept as written."""
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except Exception:  # any parser error on hostile input: the text as written, never a failure
        return text


def header_line(message: Message, name: str) -> str:
    """The first ``name`` header on one line: encoded words decoded, bytes that are not UTF-8
    replaced, runs of whitespace (folding included) made one space; "" when absent."""
    value = message.get(name)
    if value is None:
        return ""
    text = decode_words(str(value))
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(text.split())


def header_text(message: Message, name: str) -> str:
    """Return the decoded text of the first ``name`` header, or "" (never raises).

    Encoded words are decoded; raw 8-bit text (which ``compat32`` keeps as an unknown-8bit
    ``Header``) is read as UTF-8, and an unknown charset falls back to UTF-8 with replacement
    characters, so that every policy gives the same text.
    """
    value = message.get(name)
    if value is None:
        return ""
    try:
        if isinstance(value, Header):
            value = _join_chunks(decode_header(value))
        return _join_chunks(decode_header(value))
    except (LookupError, UnicodeError, ValueError, TypeError):
        return str(value)


def _join_chunks(chunks: list[tuple[bytes | str, str | None]]) -> str:
    parts = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            parts.append(chunk)
            continue
        codec = charset if charset and charset != "unknown-8bit" else "utf-8"
        try:
            parts.append(chunk.decode(codec, "replace"))
        except LookupError:
            parts.append(chunk.decode("utf-8", "replace"))
    return "".join(parts)


# -- dates ----------------------------------------------------------------------------------------------


def parse_date(text: str | None, *, zoneless_as_utc: bool = True) -> datetime | None:
    """An RFC 5322 date as an aware UTC datetime, or None when it cannot be read.

    A date that says it has no zone information ("-0000") is read as UTC, or is None with
    ``zoneless_as_utc=False`` (where a wrong hour would mislead more than no date).
    """
    date = _parsed(text)
    if date is None:
        return None
    if date.tzinfo is None:
        if not zoneless_as_utc:
            return None
        date = date.replace(tzinfo=UTC)
    return date.astimezone(UTC)


def date_offset(text: str | None) -> timedelta | None:
    """The zone of a Date header (its offset from UTC), or None when it has none or is unreadable."""
    date = _parsed(text)
    return date.utcoffset() if date is not None and date.tzinfo is not None else None


def _parsed(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# -- Message-Ids ----------------------------------------------------------------------------------------


def message_ids(text: str | None) -> list[str]:
    """The Message-Ids written in ``text`` (a References or In-Reply-To value), in order."""
    return MESSAGE_ID.findall(text or "")
