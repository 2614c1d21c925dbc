"""Email addresses and domains: parsing, normalisation and the company's own domains.

Every comparison the addon makes between addresses (is this a user? a blocked sender? a lead's
contact?) goes through :func:`normalize_address` or :func:`normalize_domain`, so that case,
surrounding whitespace, display names and internationalised domain names (IDN) never make the same
mailbox look like two.

The canonical form follows Odoo's own ``email_normalize`` so that values compare equal to what Odoo
stores in ``email_normalized`` columns: an ASCII local part is lower-cased (a non-ASCII one is kept as
written, as SMTPUTF8 intends), and the domain is lower-cased in its Unicode form. On top of Odoo, a
domain written in punycode (``xn--bcher-kva.example``) is decoded to its Unicode form
(``bücher.example``); :func:`address_variants` gives both spellings for database look-ups.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from email.utils import getaddresses

__all__ = [
    "PUBLIC_MAIL_DOMAINS",
    "address_variants",
    "company_domains",
    "domain_of",
    "is_public_mail_domain",
    "normalize_address",
    "normalize_domain",
    "parse_domain_list",
    "split_addresses",
]

# Mailbox providers whose domain is shared by millions of unrelated people: a company whose email is
# at one of these does not "own" the domain, so it is never taken for a company domain.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "aim.com",
        "bluewin.ch",
        "btinternet.com",
        "comcast.net",
        "email.cz",
        "fastmail.com",
        "fastmail.fm",
        "free.fr",
        "freenet.de",
        "gmail.com",
        "gmx.at",
        "gmx.ch",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "googlemail.com",
        "hey.com",
        "hotmail.be",
        "hotmail.co.uk",
        "hotmail.com",
        "hotmail.de",
        "hotmail.es",
        "hotmail.fr",
        "hotmail.it",
        "hotmail.nl",
        "icloud.com",
        "inbox.lv",
        "interia.pl",
        "laposte.net",
        "libero.it",
        "live.be",
        "live.co.uk",
        "live.com",
        "live.de",
        "live.fr",
        "live.nl",
        "mac.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "msn.com",
        "naver.com",
        "o2.pl",
        "onet.pl",
        "orange.fr",
        "outlook.be",
        "outlook.com",
        "outlook.de",
        "outlook.es",
        "outlook.fr",
        "outlook.it",
        "outlook.nl",
        "pm.me",
        "proton.me",
        "protonmail.ch",
        "protonmail.com",
        "qq.com",
        "rambler.ru",
        "seznam.cz",
        "sfr.fr",
        "skynet.be",
        "t-online.de",
        "telenet.be",
        "tiscali.it",
        "tutanota.com",
        "ukr.net",
        "verizon.net",
        "virgilio.it",
        "wanadoo.fr",
        "web.de",
        "wp.pl",
        "yahoo.ca",
        "yahoo.co.jp",
        "yahoo.co.uk",
        "yahoo.com",
        "yahoo.com.br",
        "yahoo.de",
        "yahoo.es",
        "yahoo.fr",
        "yahoo.it",
        "yandex.com",
        "yandex.ru",
        "ymail.com",
        "zoho.com",
        "zohomail.com",
    }
)

_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_MAX_ADDRESS_LENGTH = 320  # 64 (local part) + 1 + 255 (domain): RFC 5321's limits


def normalize_domain(text: str | None) -> str | None:
    """Return the canonical form of a domain name, or ``None`` if ``text`` is not one.

    Accepts surrounding whitespace, a leading ``@`` and a trailing dot; lower-cases; decodes punycode
    labels to Unicode (``XN--BCHER-KVA.example`` gives ``bücher.example``). A domain needs at least two
    labels, each made of letters, digits and inner hyphens once converted to ASCII.
    """
    if not text or not isinstance(text, str):
        return None
    domain = unicodedata.normalize("NFC", text.strip()).lower().removeprefix("@").rstrip(".")
    if not domain or len(domain) > 253 or "." not in domain or "@" in domain:
        return None
    labels = domain.split(".")
    unicode_labels = []
    for label in labels:
        try:
            ascii_label = label.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        if not _LABEL_RE.match(ascii_label):
            return None
        if ascii_label.startswith("xn--"):
            try:
                label = ascii_label.encode("ascii").decode("idna")
            except UnicodeError:
                return None
        unicode_labels.append(label)
    if labels[-1].isdigit():  # an IP address is not a domain
        return None
    return ".".join(unicode_labels)


def normalize_address(text: str | None) -> str | None:
    """Return the canonical form of one email address, or ``None`` if ``text`` holds none.

    ``text`` may carry a display name (``"Sue" <SUE@Example.COM>`` gives ``sue@example.com``). When it
    holds several addresses, the first one is used.
    """
    if not text or not isinstance(text, str):
        return None
    return _first_address(text)


# Both below are pure and called for the same addresses again and again (every lead address on
# each sync pass, every participant of every mail): remembered, a few thousand of each at most.
@functools.lru_cache(maxsize=8192)
def _first_address(text: str) -> str | None:
    pairs = split_addresses(text)
    return pairs[0][1] if pairs else None


@functools.lru_cache(maxsize=8192)
def _normalize_addr_spec(addr: str) -> str | None:
    addr = addr.strip().strip("<>").strip()
    if not addr or len(addr) > _MAX_ADDRESS_LENGTH or addr.count("@") != 1:
        return None
    local, _at, domain = addr.partition("@")
    if not local or any(char.isspace() for char in local):
        return None
    domain = normalize_domain(domain)
    if not domain:
        return None
    if local.isascii():
        local = local.lower()
    return f"{local}@{domain}"


def split_addresses(*headers: str | None) -> list[tuple[str, str]]:
    """Parse address header values into ``(display name, normalised address)`` pairs.

    Invalid entries are skipped; an address seen twice keeps its first display name. The order of
    first appearance is kept, so the first pair of a From header is its sender.
    """
    values = [header for header in headers if header and isinstance(header, str)]
    if not values:
        return []
    seen: dict[str, str] = {}
    for name, addr in getaddresses(values):
        normalized = _normalize_addr_spec(addr)
        if normalized and normalized not in seen:
            seen[normalized] = " ".join(name.split())
    return [(name, addr) for addr, name in seen.items()]


def domain_of(address: str | None) -> str | None:
    """Return the domain part of an already normalised address."""
    if not address or "@" not in address:
        return None
    return address.rpartition("@")[2] or None


def address_variants(address: str) -> set[str]:
    """Return the spellings under which a normalised address may be stored by other software.

    Odoo keeps the domain as it was typed, so an IDN domain may be stored in Unicode or in punycode;
    database look-ups search both.
    """
    local, _at, domain = address.rpartition("@")
    variants = {address}
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return variants
    variants.add(f"{local}@{ascii_domain}")
    return variants


def is_public_mail_domain(domain: str | None) -> bool:
    """Tell whether ``domain`` belongs to a public mailbox provider (gmail.com, outlook.com, ...)."""
    return normalize_domain(domain) in PUBLIC_MAIL_DOMAINS if domain else False


def parse_domain_list(text: str | None) -> tuple[list[str], list[str]]:
    """Split a list of domains typed by a person (commas, semicolons, spaces or new lines).

    Returns ``(domains, rejected)``: the normalised domains, without repeats and in the order typed,
    and the entries that are not domains, as typed, so that the caller can say which ones are wrong.
    """
    domains: list[str] = []
    rejected: list[str] = []
    for entry in re.split(r"[\s,;]+", text or ""):
        if not entry:
            continue
        domain = normalize_domain(entry)
        if domain is None:
            rejected.append(entry)
        elif domain not in domains:
            domains.append(domain)
    return domains, rejected


def company_domains(
    alias_domains: Iterable[str | None] = (),
    company_emails: Iterable[str | None] = (),
    extra_domains: Iterable[str | None] = (),
) -> frozenset[str]:
    """Return the domains the company owns, to be excluded from capture.

    They are the company's alias domains, the domains of its email addresses and the extra domains
    listed by an administrator, normalised. Public mailbox providers are never company domains, even
    when the company's own address is at one of them or an administrator lists one.
    """
    candidates = [normalize_domain(domain) for domain in alias_domains]
    candidates += [domain_of(normalize_address(email)) for email in company_emails]
    candidates += [normalize_domain(domain) for domain in extra_domains]
    return frozenset(
        domain for domain in candidates if domain and domain not in PUBLIC_MAIL_DOMAINS
    )
