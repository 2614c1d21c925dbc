"""Who a mail was delivered to: its envelope recipients, as mail servers record them.

A BCC copy names the capture address nowhere in its visible headers (From/To/Cc). The server that
delivered it records the envelope recipient instead, under one of several names depending on the
software: ``Delivered-To`` (Postfix, Exim, Gmail), ``X-Original-To`` (Postfix), ``Envelope-To``
(Exim), ``X-Envelope-To`` (qmail, many hosts), ``X-Forwarded-To``/``X-Forwarded-For`` (forwarding
services), ``X-Rcpt-To``, and ``for <address>`` in ``Received`` lines. Odoo's routing reads only
``Delivered-To``; :func:`envelope_recipients` reads them all.
"""

from __future__ import annotations

import re
from email.message import Message

from .addresses import split_addresses

__all__ = ["ENVELOPE_HEADERS", "envelope_recipients"]

ENVELOPE_HEADERS = (
    "Delivered-To",
    "X-Original-To",
    "Envelope-To",
    "X-Envelope-To",
    "X-Forwarded-To",
    "X-Forwarded-For",
    "X-Rcpt-To",
    "X-Original-Recipient",
)

# "for <x@example.com>;" or "for x@example.com;" in a Received line. Bounded so that a hostile header
# cannot make the scan expensive.
_RECEIVED_FOR = re.compile(r"\bfor\s+<?([^\s<>;@]{1,64}@[^\s<>;]{1,255})>?\s*;", re.IGNORECASE)
_MAX_RECEIVED = 30  # a mail crossing more hops than this is already suspect
_MAX_HEADER_CHARS = 4000


def envelope_recipients(message: Message) -> list[str]:
    """Return the normalised envelope recipients recorded in ``message``'s headers, in order."""
    values: list[str] = []
    for header in ENVELOPE_HEADERS:
        for value in message.get_all(header) or ():
            # X-Original-Recipient is "rfc822;address"
            values.append(str(value)[:_MAX_HEADER_CHARS].rpartition(";")[2])
    for value in (message.get_all("Received") or ())[:_MAX_RECEIVED]:
        values.extend(_RECEIVED_FOR.findall(str(value)[:_MAX_HEADER_CHARS]))
    return [address for _name, address in split_addresses(*values)]
