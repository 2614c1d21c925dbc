"""Privacy and noise filters: which participants of a mail count, and whether the mail is captured.

A mail's participants (the normalised addresses of its From, To and Cc) are sorted against the
company's :class:`FilterRules`:

``user``            the address belongs to one of the company's users (whatever its domain: a user
                    writing from gmail.com is still a colleague);
``company_domain``  its domain is one of the company's own domains;
``blocked_address`` it is on the block list;
``blocked_domain``  its domain is on the block list.

An address none of these rules excludes is *kept*: it is an outside participant that counts (it may
become a contact, or put the mail on a lead). A mail is *screened* (not captured at all) only when no
address is kept, or when it is robot mail; otherwise it is captured and only the kept addresses count
(Pipedrive's rule: one real outside participant is enough). The screening codes are:

``automated``       robot mail (auto-reply, bounce, list...): see ``tools.automated``;
``no_participants`` the mail names no valid address at all;
``internal``        every participant is a user or on a company domain: mail between colleagues;
``blocked``         every outside participant is blocked (by address or by domain).

**Domains cover their subdomains.** A company domain or a blocked domain ``acme.com`` also covers
``mail.acme.com`` and ``eu.sales.acme.com``, because a company's subdomains are the company's (and a
sender blocked at ``acme.com`` is not let in by writing from ``news.acme.com``). It never covers a
parent (``mail.acme.com`` does not cover ``acme.com``) nor a look-alike (``acme.com`` does not cover
``notacme.com``). The look-up walks the labels of the participant's domain, at most one set look-up
per label, so its cost does not depend on the number of entries.

Entries typed by people (blocks, trusted senders) are read with :func:`read_entry`:
``sue@example.com`` or ``Sue <sue@example.com>`` is an address; ``example.com``, ``@example.com``,
``*@example.com`` and ``*.example.com`` are the domain ``example.com`` (with its subdomains, as
above).

Every value here is normalised with ``tools.addresses``; nothing is translated: the models turn the
codes into sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import addresses

__all__ = [
    "BLOCKED",
    "BLOCKED_ADDRESS",
    "BLOCKED_DOMAIN",
    "COMPANY_DOMAIN",
    "INTERNAL",
    "NOT_AN_ENTRY",
    "NO_PARTICIPANTS",
    "PUBLIC_DOMAIN",
    "SCREENED_AUTOMATED",
    "USER",
    "Exclusion",
    "FilterRules",
    "Screening",
    "matching_domain",
    "read_entry",
    "screen",
]

# Why one address does not count (Exclusion.rule).
USER = "user"
COMPANY_DOMAIN = "company_domain"
BLOCKED_ADDRESS = "blocked_address"
BLOCKED_DOMAIN = "blocked_domain"

# Why a whole mail is not captured (Screening.screened).
SCREENED_AUTOMATED = "automated"
NO_PARTICIPANTS = "no_participants"
INTERNAL = "internal"
BLOCKED = "blocked"

# Why a typed entry is refused (ValueError's first argument).
NOT_AN_ENTRY = "not_an_entry"
PUBLIC_DOMAIN = "public_domain"

_BLOCK_RULES = frozenset({BLOCKED_ADDRESS, BLOCKED_DOMAIN})
_ANGLE_ADDRESS_RE = re.compile(r"^[^<>@,;]*<\s*([^<>\s,;]+)\s*>$")
_BARE_ADDRESS_RE = re.compile(r"^[^<>\s,;]+$")


def _frozen(values: Iterable[str] | None) -> frozenset[str]:
    return values if isinstance(values, frozenset) else frozenset(values or ())


@dataclass(frozen=True, slots=True)
class FilterRules:
    """What a company excludes from capture, as sets of normalised values.

    Build it once per batch of mails (``res.company._lead_capture_filter_rules(user)`` does); every
    look-up is then a set membership test. Iterables given to the constructor are frozen.
    """

    company_domains: frozenset[str] = frozenset()
    user_addresses: frozenset[str] = frozenset()
    blocked_addresses: frozenset[str] = frozenset()
    blocked_domains: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in ("company_domains", "user_addresses", "blocked_addresses", "blocked_domains"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def exclusion(self, address: str) -> Exclusion | None:
        """Return why the normalised ``address`` does not count, or None when it does.

        The rules are tried in this order: user, company domain, blocked address, blocked domain, so
        that a colleague is reported as a colleague even when someone also blocked their domain.
        """
        if address in self.user_addresses:
            return Exclusion(address, USER, None)
        domain = addresses.domain_of(address) or ""
        if owned := matching_domain(domain, self.company_domains):
            return Exclusion(address, COMPANY_DOMAIN, owned)
        if address in self.blocked_addresses:
            return Exclusion(address, BLOCKED_ADDRESS, address)
        if blocked := matching_domain(domain, self.blocked_domains):
            return Exclusion(address, BLOCKED_DOMAIN, blocked)
        return None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """One participant that does not count: its address, the rule code and the matching entry.

    ``detail`` is the domain that matched for ``company_domain`` and ``blocked_domain`` (it may be a
    parent of the address's domain), the address for ``blocked_address``, None for ``user``.
    """

    address: str
    rule: str
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Screening:
    """The filters' decision for one mail.

    ``kept``: the outside addresses that count, in the order given, without repeats.
    ``excluded``: the participants that do not count, with the rule that excluded each.
    ``screened``: None when the mail is captured, else the code of the rule that screened it.
    ``automated``: the robot-mail kind given to :func:`screen` (``tools.automated``), if any.
    """

    kept: tuple[str, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    screened: str | None = None
    automated: str | None = None

    @property
    def captured(self) -> bool:
        """Whether the mail is captured (no rule screened it)."""
        return self.screened is None


def matching_domain(domain: str, domains: frozenset[str]) -> str | None:
    """Return the entry of ``domains`` that covers the normalised ``domain``, or None.

    ``domain`` itself is tried first, then each parent that still has two labels or more
    (``a.b.acme.com``, ``b.acme.com``, ``acme.com``): one set look-up per label.
    """
    if not domains or not domain:
        return None
    suffix = domain
    while True:
        if suffix in domains:
            return suffix
        _label, dot, parent = suffix.partition(".")
        if not dot or "." not in parent:
            return None
        suffix = parent


def screen(
    participants: Iterable[str | None],
    rules: FilterRules,
    automated: str | None = None,
) -> Screening:
    """Decide which ``participants`` count and whether the mail is captured.

    ``participants`` are normalised addresses (as ``addresses.split_addresses`` or
    ``normalize_address`` give them) of the mail's From, To and Cc; empty values and repeats are
    skipped. ``automated`` is the robot-mail kind of the mail (``automated.automated_kind``): robot
    mail is always screened, whoever takes part in it.
    """
    kept: list[str] = []
    excluded: list[Exclusion] = []
    seen: set[str] = set()
    exclusion = rules.exclusion
    for address in participants:
        if not address or address in seen:
            continue
        seen.add(address)
        reason = exclusion(address)
        if reason is None:
            kept.append(address)
        else:
            excluded.append(reason)
    if automated:
        screened: str | None = SCREENED_AUTOMATED
    elif kept:
        screened = None
    elif not excluded:
        screened = NO_PARTICIPANTS
    elif any(item.rule in _BLOCK_RULES for item in excluded):
        screened = BLOCKED
    else:
        screened = INTERNAL
    return Screening(tuple(kept), tuple(excluded), screened, automated or None)


def read_entry(text: str | None, *, public_domains: bool = True) -> tuple[str, str]:
    """Read one entry typed by a person (a block, a trusted sender).

    Returns ``("address", normalised address)`` or ``("domain", normalised domain)``. Raises
    ``ValueError(NOT_AN_ENTRY)`` when ``text`` is neither one address nor one domain (empty,
    several entries, an address with spaces, a bare word...), and, unless ``public_domains``,
    ``ValueError(PUBLIC_DOMAIN)`` for the domain of a public mail provider (gmail.com: anyone can
    have an address there).
    """
    entry = (text or "").strip() if isinstance(text, str) else ""
    kind, value = "address", None
    if "@" not in entry:
        kind, value = "domain", entry and addresses.normalize_domain(entry.removeprefix("*."))
    elif entry.startswith(("@", "*@")):
        kind, value = "domain", addresses.normalize_domain(entry.lstrip("*").removeprefix("@"))
    else:
        if match := _ANGLE_ADDRESS_RE.match(entry):
            entry = match.group(1)
        if _BARE_ADDRESS_RE.match(entry):
            value = addresses.normalize_address(entry)
    if not value:
        raise ValueError(NOT_AN_ENTRY)
    if kind == "domain" and not public_domains and addresses.is_public_mail_domain(value):
        raise ValueError(PUBLIC_DOMAIN)
    return kind, value
