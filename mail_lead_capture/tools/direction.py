"""Incoming or outgoing: which side of a mail the company is on.

A mail is *outgoing* when its author is one of our own addresses (a user's email, login, verified
alternate address or synced mailbox), *incoming* otherwise. For a forward, the author is the
original one: a salesperson forwarding a customer's mail files an incoming mail; forwarding their own
sent mail files an outgoing one.

The *counterparts* are the outside people the mail is with: the recipients of an outgoing mail, the
sender of an incoming one. A lead created for the mail is named after the first counterpart.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Sequence
from typing import Literal

__all__ = ["INCOMING", "OUTGOING", "counterparts", "mail_direction"]

INCOMING = "incoming"
OUTGOING = "outgoing"
Direction = Literal["incoming", "outgoing"]


def mail_direction(author: str | None, own_addresses: Collection[str]) -> Direction:
    """Return ``OUTGOING`` when ``author`` (normalised) is one of ``own_addresses``."""
    return OUTGOING if author and author in own_addresses else INCOMING


def counterparts(
    direction: Direction,
    author: str | None,
    recipients: Sequence[str],
    external: Collection[str],
) -> list[str]:
    """Return the external addresses the mail is *with*, the most relevant first.

    ``recipients`` are To then Cc, normalised; ``external`` the addresses that survived the filters.
    For an incoming mail the sender comes first, then the other external recipients; for an outgoing
    one, the recipients in order.
    """
    ordered = [author, *recipients] if direction == INCOMING else list(recipients)
    seen: dict[str, None] = {}  # ordered, and ``in`` in constant time
    for address in ordered:
        if address and address in external and address not in seen:
            seen[address] = None
    return list(seen)
