"""The mail to file: who wrote it, to whom, when, and how to recognise it again.

A mail reaching the capture address is either the mail itself (sent with the capture address in BCC,
To or Cc) or a forward of it. :func:`captured_mail` turns both into one :class:`CapturedMail` made of
the *original* mail's people, date, subject and text, so that the rest of the addon never cares how
the mail arrived.

:func:`fingerprint` recognises the same mail when its Message-Id is lost, as in an inline forward:
the sender, the subject without its Re:/Fwd: prefixes and the opening words of the text, reduced to
lower-case letters and digits so that re-wrapping, quoting (``>``) and HTML-to-text differences
between mail clients do not matter.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from email.message import EmailMessage
from email.message import Message

from .addresses import split_addresses
from .forwards import Forward
from .forwards import strip_forward_prefixes
from .headers import MESSAGE_ID
from .headers import Mailbox
from .headers import decode_words
from .headers import parse_date
from .raw_mail import clean_text

__all__ = [
    "CapturedMail",
    "captured_mail",
    "fingerprint",
    "lead_name",
    "plausible_date",
    "unreadable_kind",
]

_FINGERPRINT_CHARS = 200
_WORD_CHARS = re.compile(r"[^\W_]+")
_FOLDING = re.compile(r"\r?\n(?=[ \t])")
_MAX_REFERENCES = 32
# A Message-Id is at most 250 characters between its brackets: the tail of the References header
# that can hold the last _MAX_REFERENCES of them (with folding whitespace) is all that is read.
_REFERENCES_TAIL = _MAX_REFERENCES * 260
# A mail dated more than this after it was received is dated when it was received (a wrong clock
# or a hostile sender must not make a lead look active in the year 2200).
MAX_FUTURE = timedelta(days=1)


@dataclass(frozen=True)
class CapturedMail:
    """The original mail, whichever way it reached us."""

    author: Mailbox | None
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    date: datetime | None  # aware, UTC
    subject: str
    text: str
    message_id: str | None
    references: tuple[str, ...]  # In-Reply-To and References, newest last
    forwarded: bool

    @property
    def recipients(self) -> list[str]:
        """Normalised To then Cc addresses, without repeats."""
        return list(dict.fromkeys(m.address for m in (*self.to, *self.cc) if m.address))

    @property
    def participants(self) -> list[str]:
        """The author then the recipients, normalised, without repeats."""
        author = [self.author.address] if self.author and self.author.address else []
        return list(dict.fromkeys([*author, *self.recipients]))

    @property
    def names(self) -> dict[str, str]:
        """The display name written for each participant address (first one wins)."""
        names: dict[str, str] = {}
        for mailbox in (self.author, *self.to, *self.cc):
            if mailbox and mailbox.address and mailbox.name:
                names.setdefault(mailbox.address, mailbox.name)
        return names

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.author.address if self.author else None, self.subject, self.text)


def _address_header(message: Message, name: str) -> tuple[Mailbox, ...]:
    """The mailboxes of an address header, read from its raw value.

    The ``email`` package's structured parser (``policy.SMTP``) costs more than linear time on
    long address lists and re-parses at every access; the raw value is split once and only the
    display names are decoded.
    """
    key = name.lower()
    try:
        values = [str(value) for field, value in message.raw_items() if field.lower() == key]
    except Exception:  # a hostile header: no addresses rather than a failure
        return ()
    values = [
        _FOLDING.sub(" ", value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        for value in values
    ]
    return tuple(
        Mailbox(clean_text(decode_words(display)), address)
        for display, address in split_addresses(*(clean_text(value) for value in values))
    )


def _header(message: Message, name: str) -> str:
    try:
        return " ".join(str(value) for value in message.get_all(name) or ())
    except Exception:  # undecodable or hostile header (any parser error): ignore, never fail
        return ""


def _references(message: Message) -> tuple[str, ...]:
    """The last Message-Ids of References then In-Reply-To (newest last), at most _MAX_REFERENCES.

    Only the tail of a long References header is read, so its cost does not grow with its length.
    """
    references = _header(message, "References")[-_REFERENCES_TAIL:]
    in_reply_to = _header(message, "In-Reply-To")[-_REFERENCES_TAIL:]
    ids = MESSAGE_ID.findall(f"{references} {in_reply_to}")
    return tuple(dict.fromkeys(ids))[-_MAX_REFERENCES:]


def plausible_date(date: datetime | None, received: datetime | None = None) -> datetime | None:
    """``date``, or ``received`` (default now) when ``date`` is more than MAX_FUTURE after it."""
    if date is None:
        return None
    received = received or datetime.now(UTC)
    return received if date > received + MAX_FUTURE else date


def _plain_text(message: Message) -> str:
    if not isinstance(message, EmailMessage):
        return ""
    try:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""
    except (KeyError, LookupError, ValueError, AttributeError):
        return ""


def captured_mail(
    message: Message,
    forward: Forward | None,
    text: str | None = None,
    received: datetime | None = None,
) -> CapturedMail:
    """Describe the mail to file: ``forward``'s original when there is one, else ``message``.

    ``text`` is the plain text of ``message`` when the caller already has it (Odoo's parser does);
    it is only used when ``message`` is not a forward. Control characters (NUL...) are removed from
    the subject and text, and a date more than a day in the future becomes ``received`` (default:
    now).
    """
    if forward is not None:
        original = forward.original
        return CapturedMail(
            author=original.sender,
            to=tuple(original.to),
            cc=tuple(original.cc),
            date=plausible_date(original.date, received),
            subject=clean_text(original.subject),
            text=clean_text(original.text),
            message_id=original.message_id,
            references=tuple(getattr(original, "references", ()) or ()),
            forwarded=True,
        )
    author = _address_header(message, "From")
    message_id = MESSAGE_ID.search(clean_text(_header(message, "Message-Id")))
    return CapturedMail(
        author=author[0] if author else None,
        to=_address_header(message, "To"),
        cc=_address_header(message, "Cc"),
        date=plausible_date(parse_date(_header(message, "Date")), received),
        subject=" ".join(clean_text(_header(message, "Subject")).split()),
        text=clean_text(text if text is not None else _plain_text(message)),
        message_id=message_id.group(0) if message_id else None,
        references=_references(message),
        forwarded=False,
    )


def fingerprint(author: str | None, subject: str, text: str) -> str:
    """Return a short stable digest of who wrote the mail, its subject and its opening words."""
    subject_key = "".join(
        _WORD_CHARS.findall(strip_forward_prefixes(subject or "", replies=True).lower())
    )
    opening = []
    size = 0
    for line in (text or "").splitlines():
        line = line.lstrip("> \t")
        for word in _WORD_CHARS.findall(line.lower()):
            opening.append(word)
            size += len(word)
        if size >= _FINGERPRINT_CHARS:
            break
    body_key = "".join(opening)[:_FINGERPRINT_CHARS]
    digest = hashlib.sha256(f"{author or ''}\n{subject_key}\n{body_key}".encode())
    return digest.hexdigest()[:32]


def lead_name(mailbox: Mailbox | None) -> str:
    """Name a new lead after a person: their display name, else their address."""
    if mailbox is None:
        return ""
    return mailbox.name or mailbox.address or ""


_ENCRYPTED_TYPES = {
    "multipart/encrypted": "encrypted",  # PGP/MIME (RFC 3156)
    "application/pgp-encrypted": "encrypted",
    "application/pkcs7-mime": "encrypted",  # S/MIME enveloped data
    "application/x-pkcs7-mime": "encrypted",
}
_MAX_PARTS = 500


def unreadable_kind(message: Message) -> str | None:
    """Say why a mail's content cannot be read ("encrypted"), or None when it can."""
    try:
        for index, part in enumerate(message.walk()):
            if index >= _MAX_PARTS:
                break
            kind = _ENCRYPTED_TYPES.get(part.get_content_type())
            if kind:
                return kind
    except (TypeError, ValueError, LookupError, AttributeError):
        return "broken"
    return None
