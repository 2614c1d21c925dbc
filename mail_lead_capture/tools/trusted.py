"""Trusted senders: people without an Odoo account who may send to the capture address.

A company lists addresses and domains, each credited to one of its users; a mail to the capture
address from a trusted sender is filed as that user's (Close: "People in your organization who
don't have an account can forward emails to the secret address"). Entries are typed as block
entries are, and read by the same ``filters.read_entry`` (``sue@example.com``, ``example.com``,
``@example.com``, ``*.example.com``).

- An address entry wins over a domain entry; a domain covers its subdomains, the most specific
  entry first (``filters.matching_domain``).
- A public mail provider's domain (gmail.com, outlook.com...) is never trusted as a whole: anyone
  can have an address there (``filters.read_entry(text, public_domains=False)`` refuses it).
  Its single addresses can be.
- Trust says whose mail it is, not that the From: is true: the sender authenticity checks
  (``tools.authenticity``) apply to trusted senders as to users.

Nothing here is translated: the models say the error codes in sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from . import addresses
from . import filters

__all__ = ["credited"]

T = TypeVar("T")


def credited(
    sender: str | None, by_address: Mapping[str, T], by_domain: Mapping[str, T]
) -> T | None:
    """Whom the mail of ``sender`` (normalised) is credited to, or None when it is not trusted.

    ``by_address`` and ``by_domain`` map the normalised entries to their user (any value).
    """
    if not sender:
        return None
    if sender in by_address:
        return by_address[sender]
    domain = filters.matching_domain(addresses.domain_of(sender) or "", frozenset(by_domain))
    return by_domain[domain] if domain else None
