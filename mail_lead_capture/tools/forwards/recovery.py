"""Forward recovery: is this mail a forward, and if so, who wrote the original, to whom, when, what.

When a salesperson forwards a customer's mail to the capture address, the lead is the customer's:
:func:`recover_forward` takes the raw mail (bytes, or an ``email.message.Message``) and returns a
:class:`Forward` whose ``original`` is the innermost forwarded message, or ``None`` when the mail is
not a forward. It understands:

- inline forwards, from the text/plain body or, when there is none or it says less, the HTML body:
  the separator and header block each client writes in each language (labels.py), found
  by text.py, with the HTML turned into lines by html.py;
- forwards as attachment: a ``message/rfc822`` part or an ``.eml`` file, unwrapped (the first one
  when there are several);
- forwards of forwards, inline or attached, to any mix: ``Forward.chain`` lists every forwarded
  message, innermost first (``chain[0] is original``). Each one's ``text``/``html`` is what its own
  author wrote, without the message it forwarded (which is the previous entry);
- Outlook's and Windows Mail's From lines with a display name only: the address comes from the
  ``mailto:`` link on that line of the HTML body, else the sender has no address. An address is
  never made up;
- Outlook for Mac's forwards, an "On <date>, <name> <address> wrote:" line over the indented
  original, under a forward subject (the same line under any other subject is a reply's).

Dates are read into aware UTC datetimes (dates.py); a date written without a zone is read in
the forwarder's zone, the offset of the outer Date header, since clients write it in their user's
time. ``date_text`` always keeps what was written. Subjects lose their forward prefixes ("Fwd:",
"TR:", "WG:", "RV:"...), not their reply prefixes: "Fwd: Re: x" was a reply named "Re: x".

Not forwards (``None``): replies (a reply subject prefix, even over an attached mail, or a reply
attribution line before any forwarded block), mail that only contains "From:" lines without a
forward separator or a forward subject, calendar invitations (a text/calendar part, a forwarded
"When:/Where:" block), delivery reports, and bulk mail (newsletters) unless it has both a forward
subject and an explicit separator.

Bad input never raises: broken MIME, unknown charsets, huge bodies and deep nesting give ``None`` or
a partial result. Work is bounded per message (parts walked, lines searched per level, levels
followed) and linear in its size, and small next to the MIME parse it starts with: each part is
decoded once; the search looks only at lines with a colon or a separator character; the HTML is
read only as far as the blocks the text part shows, or, without them, not line by line at all when
its text holds no From label (most mail is not a forward).
"""

from __future__ import annotations

import codecs
import email
import logging
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import datetime
from datetime import timedelta
from email.message import Message
from email.policy import compat32

from ..addresses import split_addresses
from ..headers import Mailbox
from ..headers import date_offset
from ..headers import decode_words
from ..headers import header_line
from ..headers import parse_date
from .dates import parse_forwarded_date
from .html import HtmlDocument
from .html import client_markers
from .html import html_fragment
from .html import parse_html
from .html import visible_text
from .labels import FIELD_CC
from .labels import FIELD_DATE
from .labels import FIELD_FROM
from .labels import FIELD_SUBJECT
from .labels import FIELD_TO
from .labels import SUBJECT_FORWARD_PREFIXES
from .labels import SUBJECT_REPLY_PREFIXES
from .text import Level
from .text import Lines
from .text import clear_caches
from .text import find_levels
from .text import html_lines
from .text import may_hold_block
from .text import parse_recipients
from .text import parse_sender
from .text import plain_lines
from .text import strip_forward_prefixes
from .text import subject_prefixes

__all__ = [
    "KIND_ATTACHMENT",
    "KIND_INLINE",
    "Attachment",
    "Forward",
    "Mailbox",
    "OriginalMessage",
    "recover_forward",
]

_logger = logging.getLogger(__name__)

KIND_INLINE = "inline"
KIND_ATTACHMENT = "attachment"

MAX_PARTS = 256  # MIME parts walked per message
MAX_ATTACHED_DEPTH = 16  # messages attached in messages attached in ...


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file of the original message."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class OriginalMessage:
    """A forwarded message, as far as the forward shows it."""

    sender: Mailbox | None
    to: tuple[Mailbox, ...] = ()
    cc: tuple[Mailbox, ...] = ()
    date: datetime | None = None  # aware, UTC; None when the written date cannot be read
    date_text: str = ""  # the date as written
    subject: str = ""
    text: str = ""
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    message_id: str | None = None  # known for forwards as attachment
    references: tuple[str, ...] = ()
    in_reply_to: str | None = None


@dataclass(frozen=True, slots=True)
class Forward:
    """A recovered forward: the original, the chain of nested forwards, the forwarder's note."""

    original: OriginalMessage  # the innermost forwarded message
    chain: tuple[OriginalMessage, ...]  # every forwarded message, innermost first
    note_text: str  # what the forwarder wrote above the forwarded message
    note_html: str | None
    kind: str  # KIND_INLINE or KIND_ATTACHMENT
    client: str | None  # "gmail", "outlook", "apple", "thunderbird", "yahoo"... when recognisable


def recover_forward(message: bytes | str | Message) -> Forward | None:
    """Return the forward ``message`` carries, or ``None`` when it is not a forward (see above)."""
    try:
        parsed = _as_message(message)
        return None if parsed is None else _recover(parsed, 0)
    except Exception:  # a safety net: malformed mail must never stop the mail gateway
        _logger.warning(
            "A message could not be read for forward recovery and is handled as not forwarded.",
            exc_info=True,
        )
        return None
    finally:
        clear_caches()


# -- reading the MIME structure ---------------------------------------------------------------------


@dataclass(slots=True)
class _Parts:
    text: str | None = None
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    messages: list[tuple[str, Message]] = field(
        default_factory=list
    )  # attached mail, its file name
    calendar: bool = False
    report: bool = False


@dataclass(slots=True)
class _Envelope:
    subject: str
    date: str  # the Date header; its zone is read only for a forward (date_offset)
    parts: _Parts
    bulk: bool


def _as_message(message: bytes | str | Message) -> Message | None:
    if isinstance(message, Message):
        return message
    if isinstance(message, bytes | bytearray | memoryview):
        return email.message_from_bytes(bytes(message), policy=compat32)
    if isinstance(message, str):
        return email.message_from_string(message, policy=compat32)
    return None


def _read(message: Message) -> _Envelope:
    present = {name.lower() for name in message.keys()}  # each look-up below reads every header
    precedence = header_line(message, "Precedence").lower() if "precedence" in present else ""
    auto = header_line(message, "Auto-Submitted").lower() if "auto-submitted" in present else ""
    bulk = (
        precedence in {"bulk", "list", "junk"}
        or ("list-unsubscribe" in present and bool(message.get("List-Unsubscribe")))
        or auto not in {"", "no", "auto-forwarded"}
    )
    return _Envelope(
        header_line(message, "Subject"), header_line(message, "Date"), _parts(message), bulk
    )


def _parts(message: Message) -> _Parts:
    parts = _Parts()
    stack = [message]
    seen = 0
    while stack and seen < MAX_PARTS:
        part = stack.pop()
        seen += 1
        content_type = part.get_content_type()
        if content_type == "multipart/report" or content_type == "message/delivery-status":
            parts.report = True
        if content_type in ("message/rfc822", "message/global"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                parts.messages.append((_filename(part), payload[0]))
            continue
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend(reversed([sub for sub in payload if isinstance(sub, Message)]))
            continue
        _add_leaf(part, content_type, parts)
    return parts


def _add_leaf(part: Message, content_type: str, parts: _Parts) -> None:
    disposition = part.get("Content-Disposition")
    if disposition is None and "name" not in str(part.get("Content-Type", "")).lower():
        filename = ""  # no header where get_filename() would look for one
    else:
        filename = _filename(part)
    disposition = str(disposition or "").strip().lower()
    attached = disposition.startswith("attachment") or bool(filename)
    if content_type == "text/calendar":
        parts.calendar = True
    if filename.lower().endswith(".eml") or (attached and content_type == "message/rfc822"):
        data = _payload(part)
        if data:
            parts.messages.append((filename, email.message_from_bytes(data, policy=compat32)))
        return
    if not attached and content_type == "text/plain" and parts.text is None:
        parts.text = _decode(part)
    elif not attached and content_type == "text/html" and parts.html is None:
        parts.html = _decode(part)
    elif attached:
        parts.attachments.append(Attachment(filename, content_type, _payload(part)))


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except (ValueError, TypeError, LookupError, UnicodeError):
        return ""
    return " ".join(decode_words(str(name)).split())


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError, UnicodeError, AssertionError):
        return b""
    return data if isinstance(data, bytes) else b""


# Charsets mail clients name for what is written in a larger one (Outlook's "gb2312" holds GBK
# characters, "ks_c_5601-1987" is Windows' code page 949), or by a name Python does not know.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}


def _decode(part: Message) -> str:
    data = _payload(part)
    try:
        charset = (part.get_content_charset() or "utf-8").strip().lower()
        charset = _SUPERSETS.get(charset, charset)
        codec = codecs.lookup(charset).name
        codec = _SUPERSETS.get(codec, codec)
        return data.decode(codec, errors="replace")
    except (LookupError, TypeError, ValueError, UnicodeError):
        return data.decode("utf-8", errors="replace")


# -- recovery -------------------------------------------------------------------------------------


def _recover(message: Message, depth: int, envelope: _Envelope | None = None) -> Forward | None:
    envelope = envelope or _read(message)
    parts = envelope.parts
    if parts.report or parts.calendar:
        return None
    tokens = subject_prefixes(envelope.subject)
    if tokens and tokens[0] in SUBJECT_REPLY_PREFIXES and tokens[0] not in SUBJECT_FORWARD_PREFIXES:
        return None  # a reply, whatever it quotes
    forward = _inline(envelope, tokens)
    if forward is not None:
        return forward or None  # False: the body says it is a reply
    if parts.messages and not envelope.bulk and depth < MAX_ATTACHED_DEPTH:
        return _attached(envelope, depth)
    return None


@dataclass(slots=True)
class _Source:
    """One body (text or HTML) searched for forwards."""

    lines: Lines
    levels: list[Level]
    plain: bool
    document: HtmlDocument | None = None


def _inline(envelope: _Envelope, tokens: list[str]) -> Forward | bool | None:
    """The inline forward, ``None`` if there is none, ``False`` if the body says it is a reply."""
    parts = envelope.parts
    text_source = html_source = None
    if parts.text and not parts.text.isspace():
        lines = plain_lines(parts.text)
        levels = find_levels(lines, envelope.subject)
        if levels is None:
            return False
        text_source = _Source(lines, levels, plain=True)
    if parts.html and not parts.html.isspace():
        max_lines = None
        if text_source and text_source.levels:  # the HTML needs reading only past the last block
            max_lines = text_source.levels[-1].block.end * 3 // 2 + 30
        elif _no_block_in_html(parts, tokens):
            return None  # most mail: not a forward, known without reading the HTML line by line
        document = parse_html(parts.html, max_lines)
        lines = html_lines(
            [line.text for line in document.lines], [line.depth for line in document.lines]
        )
        levels = find_levels(lines, envelope.subject)
        if levels is None and not (text_source and text_source.levels):
            return False
        html_source = _Source(lines, levels or [], plain=False, document=document)
    primary = text_source if text_source and text_source.levels else html_source
    if primary is None or not primary.levels:
        return None
    first = primary.levels[0].block
    if envelope.bulk and (
        first.separator is None
        or first.ambiguous
        or not tokens
        or tokens[0] not in SUBJECT_FORWARD_PREFIXES
    ):
        return None  # a newsletter quoting headers
    secondary = html_source if primary is text_source else None
    offset = date_offset(envelope.date)
    chain = [
        _inline_original(primary, secondary, index, envelope, offset)
        for index in range(len(primary.levels))
    ]
    files = _files(parts)
    if files:
        chain[-1] = replace(chain[-1], attachments=files)
    chain.reverse()
    note_text = _text(primary, 0, first.start, 0)
    return Forward(
        original=chain[0],
        chain=tuple(chain),
        note_text=note_text,
        note_html=_note_html(html_source),
        kind=KIND_INLINE,
        client=_client(primary, html_source),
    )


def _no_block_in_html(parts: _Parts, tokens: list[str]) -> bool:
    """Tell, cheaply, that the HTML body holds no forward and that reading it could change nothing.

    No From label before a colon anywhere in its text means no header block; an attribution-line
    forward needs a forward subject. A reply found in the HTML matters only to attached messages
    (it would keep them from being unwrapped), so with attached messages the HTML is read.
    """
    if parts.messages or (tokens and tokens[0] in SUBJECT_FORWARD_PREFIXES):
        return False
    return not may_hold_block(visible_text(parts.html or ""))


def _files(parts: _Parts) -> tuple[Attachment, ...]:
    """The files of a message, attached messages included (as .eml files)."""
    files = list(parts.attachments)
    for filename, attached in parts.messages:
        name = filename or f"{header_line(attached, 'Subject') or 'message'}.eml"
        files.append(Attachment(name, "message/rfc822", _message_bytes(attached)))
    return tuple(files)


def _inline_original(
    primary: _Source,
    secondary: _Source | None,
    index: int,
    envelope: _Envelope,
    offset: timedelta | None,
) -> OriginalMessage:
    level = primary.levels[index]
    fields = level.block.fields
    html_source = primary if not primary.plain else secondary
    html_level = (
        html_source.levels[index]
        if html_source is not None and index < len(html_source.levels)
        else None
    )
    sender = _sender(fields.get(FIELD_FROM, ""), html_source, html_level)
    date_text = fields.get(FIELD_DATE, "")
    subject = strip_forward_prefixes(fields.get(FIELD_SUBJECT, ""))
    if not subject and index == 0 and FIELD_SUBJECT not in fields:
        subject = strip_forward_prefixes(envelope.subject)
    html = None
    if html_level is not None and html_source.document is not None:
        start = html_level.body_start
        while start < html_level.body_end and not html_source.lines.raws[start].strip():
            start += 1  # blank lines between the header block and the body
        html = _fragment(html_source, start, html_level.body_end)
    return OriginalMessage(
        sender=sender,
        to=_recipients(fields.get(FIELD_TO, ""), html_level, FIELD_TO),
        cc=_recipients(fields.get(FIELD_CC, ""), html_level, FIELD_CC),
        date=parse_forwarded_date(date_text, level.block.languages, offset),
        date_text=date_text,
        subject=subject,
        text=_text(
            primary, level.body_start, level.body_end, level.block.depth, level.block.indent
        ),
        html=html,
    )


def _sender(value: str, html_source: _Source | None, html_level: Level | None) -> Mailbox | None:
    parsed = parse_sender(value)
    if parsed is None:
        return None
    name, address = parsed
    if address is None and html_level is not None:
        html_parsed = parse_sender(html_level.block.fields.get(FIELD_FROM, ""))
        if html_parsed is not None and html_parsed[1]:
            address = html_parsed[1]
        elif html_source is not None and html_source.document is not None:
            line = html_source.document.lines[html_level.block.from_line]
            linked = {
                mailbox[1] for mailbox in split_addresses(*(link for link, _text in line.mailtos))
            }
            if len(linked) == 1:  # one mailto: link on the From line: the sender's address
                address = linked.pop()
    return Mailbox(name, address)


def _recipients(value: str, html_level: Level | None, name: str) -> tuple[Mailbox, ...]:
    recipients = parse_recipients(value)
    if html_level is not None and not any(address for _name, address in recipients):
        html_recipients = parse_recipients(html_level.block.fields.get(name, ""))
        if any(address for _name, address in html_recipients):
            recipients = html_recipients
    return tuple(Mailbox(person, address) for person, address in recipients)


def _text(source: _Source, start: int, end: int, block_depth: int, indent: int = 0) -> str:
    return source.lines.text(start, end, block_depth, indent)


def _fragment(source: _Source, start: int, end: int) -> str | None:
    document = source.document
    lines = document.lines
    begin = lines[start].start if start < len(lines) else document.body_end
    finish = lines[end].start if end < len(lines) else document.body_end
    return html_fragment(document, begin, finish)


def _note_html(source: _Source | None) -> str | None:
    if source is None or not source.levels or source.document is None:
        return None
    return (
        _fragment(source, 0, source.levels[0].block.start) if source.levels[0].block.start else None
    )


def _client(primary: _Source, html_source: _Source | None) -> str | None:
    if html_source is not None and html_source.levels and html_source.document is not None:
        block = html_source.levels[0].block
        lines = html_source.document.lines
        start = lines[block.start].start
        end = lines[min(block.end, len(lines) - 1)].end
        marked = client_markers(html_source.document, start, end)
        if marked:
            return marked
    return primary.levels[0].block.client


def _attached(envelope: _Envelope, depth: int) -> Forward | None:
    inner = envelope.parts.messages[0][1]
    inner_envelope = _read(inner)  # its parts are decoded once, for both uses below
    original = _original_from_message(inner, inner_envelope.parts)
    if original is None:
        return None
    nested = _recover(inner, depth + 1, inner_envelope)
    if nested is not None:
        original = replace(original, text=nested.note_text, html=nested.note_html)
        chain = (*nested.chain, original)
    else:
        chain = (original,)
    note_text = (envelope.parts.text or "").strip()
    if not note_text and envelope.parts.html:
        note_text = "\n".join(line.text for line in parse_html(envelope.parts.html).lines).strip()
    return Forward(
        original=chain[0],
        chain=chain,
        note_text=note_text,
        note_html=envelope.parts.html.strip() if envelope.parts.html else None,
        kind=KIND_ATTACHMENT,
        client=None,
    )


def _original_from_message(message: Message, parts: _Parts) -> OriginalMessage | None:
    raw_from = header_line(message, "From")
    subject = header_line(message, "Subject")
    if not raw_from and not subject:
        return None  # not a mail
    pairs = split_addresses(raw_from)
    if pairs:
        sender = Mailbox(*pairs[0])
    else:
        parsed = parse_sender(raw_from) if raw_from else None
        sender = Mailbox(*parsed) if parsed else None
    date_text = header_line(message, "Date")
    return OriginalMessage(
        sender=sender,
        to=tuple(Mailbox(*pair) for pair in split_addresses(header_line(message, "To"))),
        cc=tuple(Mailbox(*pair) for pair in split_addresses(header_line(message, "Cc"))),
        date=parse_date(date_text, zoneless_as_utc=False),
        date_text=date_text,
        subject=strip_forward_prefixes(subject),
        text=(parts.text or "").strip(),
        html=parts.html,
        attachments=_files(parts),
        message_id=header_line(message, "Message-ID") or None,
        references=tuple(header_line(message, "References").split()),
        in_reply_to=header_line(message, "In-Reply-To") or None,
    )


def _message_bytes(message: Message) -> bytes:
    try:
        return message.as_bytes()
    except (ValueError, TypeError, LookupError, UnicodeError, AttributeError):
        return b""
