"""How one mail is to be filed, and what it carries: the values every entry point hands the engine.

Each way mail comes in (the capture and incoming-mail addresses, the unmatched-mail queue, mailbox
sync) builds one :class:`Filing` saying whose mail it is and what to do when nothing matches or when
the filters screen it, and one :class:`Content` with the body and attachments read from the mail.
``mail.capture.engine._file_mail(mail, content, filing)`` then files it the same way for
all of them.

A :class:`Filing` holds ids and codes, not records: it is built before the engine runs, compared
and printed in tests, and the engine browses the two records it names (company, owner) once.
:class:`Content` holds the parsed ``email.message`` when there is one (the engine checks that its
content can be read) and the raw bytes (kept with mail that waits for review).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.message import Message
from typing import Literal

from .filters import FilterRules

__all__ = [
    "CREATE",
    "DEFAULT",
    "QUEUE",
    "RAISE",
    "SKIP",
    "Content",
    "Filing",
    "Location",
    "attachment_files",
]

# What to do with mail that cannot be filed (Filing.on_refusal).
QUEUE = "queue"  # keep it in its owner's unmatched mail (or only log it, without an owner)
RAISE = "raise"  # raise the reason (a person is filing it and reads why)

# What to do with mail that matches no lead (Filing.no_match).
DEFAULT = "default"  # as the company's setting says: a new lead, or its owner's review
SKIP = "skip"  # leave it alone: logged, neither queued nor put on a lead
CREATE = "create"  # make a lead for it whatever the setting

Source = Literal["capture", "inbound", "unmatched", "sync", "archive"]


@dataclass(frozen=True)
class Location:
    """Where a synced mail sits in its mailbox: recorded with the posted message (two-way sync)."""

    mailbox_id: int
    folder: str
    uidvalidity: int
    uid: int
    message_ref: str | None = None


@dataclass(frozen=True)
class Filing:
    """How one mail is to be filed.

    ``owner_id`` is the user whose mail it is (the forwarder, the mailbox's owner), 0 for the
    incoming-mail address. ``lead_id``: where a person chose to file it (matching is skipped; the
    filters and de-duplication still apply); ``force_create``: a new lead whatever matches.
    ``forwarder`` is ``(name, address)`` of whom to tell when the mail is refused, if anyone.
    ``keep_screened=False`` logs mail the filters screen without keeping it for review.
    ``rules``: the company's filter rules when the caller built them already (once per batch).
    ``private``: the posted message is its owner's only (a private mailbox's mail);
    ``location``: where it sits in a synced mailbox.
    ``trusted_sender``: the address of the company's trusted sender (no Odoo account) who sent
    the mail for the owner, named in the decision.
    """

    company_id: int
    owner_id: int
    source: Source
    forwarder: tuple[str, str] | None = None
    lead_id: int | None = None
    force_create: bool = False
    on_refusal: Literal["queue", "raise"] = QUEUE
    no_match: Literal["default", "skip", "create"] = DEFAULT
    keep_screened: bool = True
    rules: FilterRules | None = None
    private: bool = False
    location: Location | None = None
    trusted_sender: str | None = None


@dataclass(frozen=True)
class Content:
    """What is filed of a mail besides its headers.

    ``body`` is HTML (or plain text, turned into HTML when posted); ``attachments`` are
    ``(name, content[, info])`` as Odoo's gateway gives them; ``automated`` is the robot kind
    (``tools.automated``) when the mail is robot mail; ``message`` the parsed mail, when there is
    one, to check its content can be read; ``raw`` its bytes, kept with mail that waits for review.
    """

    body: str = ""
    attachments: tuple = ()
    automated: str | None = None
    message: Message | None = None
    raw: bytes | None = None


def attachment_files(attachments) -> list[tuple[str, bytes]]:
    """Turn gateway attachments ``(name, content[, info])`` into ``(name, bytes)`` pairs."""
    files = []
    for attachment in attachments:
        name, content = attachment[0], attachment[1]
        if isinstance(content, EmailMessage):
            content = content.as_bytes()
        elif isinstance(content, str):
            content = content.encode()
        files.append((name or "attachment", content or b""))
    return files
