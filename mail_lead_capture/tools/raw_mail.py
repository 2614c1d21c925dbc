"""A raw mail before anything parses it: header size caps, and a tolerant reading of a few headers.

Odoo's parser (``email`` with the SMTP policy, then ``message_parse``) can raise on hostile input
(unknown charsets, NUL bytes, empty Message-Ids, deep nesting) and costs far more than linear time
and memory on huge headers (a 500 KB subject of encoded words takes gigabytes). Mail for a capture
address must never be raised back to the mail server nor dropped, so:

- :func:`oversized_header` tells, from the bytes alone and in linear time, whether the header block
  or one header field is larger than the caps; such mail is kept raw for review, never parsed.
- :func:`light_message` reads the handful of headers that keeping a mail needs (who sent it, to
  whom, its subject, date and Message-Id), each truncated and cleaned of control characters, into a
  plain ``email.message.Message`` that :func:`capture.captured_mail` and
  :func:`envelope.envelope_recipients` accept. It never raises and costs at most the header cap.
- :func:`without_header_nul` removes the NUL bytes no header may contain, so that such mail is
  parsed and filed rather than failing in Odoo's parser or in PostgreSQL.
"""

from __future__ import annotations

import re
from email.message import Message

from .headers import MESSAGE_ID
from .headers import decode_words

__all__ = [
    "ADDRESS_FIELDS",
    "MAX_FIELD_BYTES",
    "MAX_HEADER_BYTES",
    "clean_text",
    "light_message",
    "oversized_header",
    "without_header_nul",
]

# The whole header block (every field, folded lines included) may take at most this many bytes.
MAX_HEADER_BYTES = 1024 * 1024
# One header field may take at most this many bytes, except the address lists below, which may
# take the whole block (a mail to thousands of people is legitimate and filed in linear time).
MAX_FIELD_BYTES = 64 * 1024
ADDRESS_FIELDS = frozenset({"to", "cc", "bcc", "resent-to", "resent-cc", "reply-to"})

# The headers the keep-for-review path reads, and how much of each.
_LIGHT_FIELDS = frozenset(
    {
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "delivered-to",
        "x-original-to",
        "envelope-to",
        "x-envelope-to",
        "x-forwarded-to",
        "x-forwarded-for",
        "x-rcpt-to",
        "x-original-recipient",
        "received",
    }
)
_LIGHT_VALUE_CHARS = 4000
_LIGHT_ADDRESS_CHARS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FIELD_NAME = re.compile(rb"^([!-9;-~]+)[ \t]*:")


def clean_text(text: str | None) -> str:
    """``text`` without NUL and other control characters (PostgreSQL refuses NUL in text)."""
    return _CONTROL.sub("", text or "")


def _header_block(raw: bytes, limit: int) -> tuple[bytes, bool]:
    """The header block of ``raw`` (at most ``limit`` bytes), and whether it is longer than that."""
    window = raw[: limit + 4]
    ends = [i for i in (window.find(b"\r\n\r\n"), window.find(b"\n\n")) if i >= 0]
    if ends:
        end = min(ends)
        return window[:end], end > limit
    if len(raw) <= limit:
        return raw, False  # a mail without body
    return window[:limit], True


def _fields(block: bytes):
    """Yield ``(lower-case name, raw value bytes)`` for each field of a header block, unfolded."""
    name, parts = None, []
    for line in block.splitlines():
        if line[:1] in (b" ", b"\t") and name is not None:
            parts.append(line)
            continue
        if name is not None:
            yield name, b" ".join(parts)
        match = _FIELD_NAME.match(line)
        if match:
            name = match.group(1).decode("ascii").lower()
            parts = [line[match.end() :].strip()]
        else:
            name, parts = None, []  # garbage line: skipped
    if name is not None:
        yield name, b" ".join(parts)


def oversized_header(
    raw: bytes, total: int = MAX_HEADER_BYTES, per_field: int = MAX_FIELD_BYTES
) -> tuple[str, int] | None:
    """``("", size)`` when the header block is over ``total`` bytes, ``(field, size)`` when one
    field other than an address list is over ``per_field`` bytes, else None. Linear time."""
    block, too_long = _header_block(raw, total)
    if too_long:
        end = re.search(rb"\r?\n\r?\n", raw)
        return "", end.start() if end else len(raw)
    for name, value in _fields(block):
        if len(value) > per_field and name not in ADDRESS_FIELDS:
            return name, len(value)
    return None


def without_header_nul(raw: bytes) -> bytes:
    """``raw`` without NUL bytes in its header block (RFC 5322 forbids them; Odoo's parser and
    PostgreSQL fail on them). The body is left as it is. Linear time; ``raw`` itself when clean."""
    block, too_long = _header_block(raw, MAX_HEADER_BYTES)
    if too_long or b"\x00" not in block:
        return raw
    return block.replace(b"\x00", b"") + raw[len(block) :]


def _decode(value: bytes, name: str) -> str:
    limit = _LIGHT_ADDRESS_CHARS if name in ADDRESS_FIELDS else _LIGHT_VALUE_CHARS
    text = value[:limit].decode("utf-8", errors="replace")
    if "=?" in text and name in ("subject", "from", "to", "cc"):
        text = decode_words(text)
    return " ".join(clean_text(text).split())


def light_message(raw: bytes) -> Message:
    """The few headers needed to keep ``raw`` for review, read without Odoo's parser; never raises."""
    message = Message()
    block, _too_long = _header_block(raw or b"", MAX_HEADER_BYTES)
    for name, value in _fields(block):
        if name in _LIGHT_FIELDS:
            text = _decode(value, name)
            if name == "message-id" and not MESSAGE_ID.fullmatch(text):
                continue
            if text:
                message[name] = text
    return message
