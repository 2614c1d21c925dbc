"""Is a mail really from the domain its From: names? What the company's own receiving servers say.

A mail server that checks SPF, DKIM and DMARC records its findings in an ``Authentication-Results``
header (RFC 8601), named by its *authserv-id* (``mx.example.com; spf=pass ...``). Anybody can write
such a header into the mail they send, so only headers whose authserv-id the company trusts (its
own receiving servers, its mail provider) are read, and of those only the topmost: the one the last
trusted server added, above anything the sender wrote. RFC 8601 section 5 asks receiving servers to
remove headers that claim their authserv-id; the topmost rule also holds when they do not.

The decision, from that one header:

- DMARC ``fail`` for the From: domain: forged.
- SPF ``fail`` with no DKIM ``pass`` aligned with the From: domain: forged.
- In strict mode, anything short of a pass (DMARC ``pass``, or an aligned DKIM or SPF ``pass``)
  is refused too, a mail without a trusted header included.
- Otherwise (no trusted header, ``none``, ``neutral``, ``softfail``, temporary errors) the mail is
  neither proven nor disproven: ``UNKNOWN``.

Alignment is relaxed (RFC 7489): the domains are equal or one is a subdomain of the other. The
header is parsed by the ``authres`` library. No ``odoo`` import; codes, not sentences.
"""

import dataclasses
import re
from collections.abc import Iterable

import authres

from . import addresses

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"

# Reason codes (stable; the models turn them into sentences).
NOT_CONFIGURED = "not_configured"
NO_TRUSTED_RESULTS = "no_trusted_results"
DMARC_FAIL = "dmarc_fail"
SPF_FAIL = "spf_fail"
NO_PASS = "no_pass"
DMARC_PASS = "dmarc_pass"
DKIM_PASS = "dkim_pass"
SPF_PASS = "spf_pass"
INCONCLUSIVE = "inconclusive"


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What the trusted header says about a mail's From: domain.

    ``outcome`` is PASS, FAIL or UNKNOWN; ``reason`` one of the reason codes; ``authserv_id`` the
    server whose header was read, if any.
    """

    outcome: str
    reason: str
    authserv_id: str | None = None

    @property
    def forged(self) -> bool:
        return self.outcome == FAIL


def parse_trusted_ids(text: str | None) -> frozenset[str]:
    """The authserv-ids of a setting written as a comma or space separated list, lower-cased."""
    return frozenset(part.lower() for part in re.split(r"[\s,;]+", text or "") if part)


def _aligned(domain: str | None, from_domain: str) -> bool:
    if not domain:
        return False
    domain = domain.strip().lstrip("@").lower().rstrip(".")
    if "@" in domain:
        domain = domain.rsplit("@", 1)[1]
    return (
        domain == from_domain
        or from_domain.endswith("." + domain)
        or domain.endswith("." + from_domain)
    )


def _property(result, ptype: str, name: str) -> str | None:
    for prop in result.properties or ():
        if prop.type == ptype and prop.name == name:
            return prop.value
    return None


def _trusted_header(headers: Iterable[str], trusted_ids: frozenset[str]):
    """The topmost parsable Authentication-Results header of a trusted server, or None."""
    for value in headers:
        text = " ".join(str(value).split())
        try:
            header = authres.AuthenticationResultsHeader.parse_value(text)
        except (authres.AuthResError, ValueError, IndexError, TypeError):
            continue
        if (header.authserv_id or "").lower() in trusted_ids:
            return header
    return None


def verdict(
    headers: Iterable[str],
    from_address: str | None,
    trusted_ids: frozenset[str],
    *,
    strict: bool = False,
) -> Verdict:
    """Decide on a mail from its ``Authentication-Results`` header values, topmost first.

    ``from_address`` is the address of the mail's From: header; ``trusted_ids`` the authserv-ids
    of the company's receiving servers (none: the check is off, whatever ``strict`` says).
    """
    if not trusted_ids:
        return Verdict(UNKNOWN, NOT_CONFIGURED)
    header = _trusted_header(headers, trusted_ids)
    if header is None:
        return Verdict(FAIL if strict else UNKNOWN, NO_TRUSTED_RESULTS)
    server = header.authserv_id
    from_domain = addresses.domain_of(from_address) if from_address else None
    if not from_domain:
        return Verdict(FAIL if strict else UNKNOWN, INCONCLUSIVE, server)
    by_method: dict[str, list] = {}
    for result in header.results:
        by_method.setdefault((result.method or "").lower(), []).append(result)

    def results(method, outcome):
        return [r for r in by_method.get(method, ()) if (r.result or "").lower() == outcome]

    dmarc_about_from = [
        r
        for r in by_method.get("dmarc", ())
        if _property(r, "header", "from") is None
        or _aligned(_property(r, "header", "from"), from_domain)
    ]
    if any((r.result or "").lower() == "fail" for r in dmarc_about_from):
        return Verdict(FAIL, DMARC_FAIL, server)
    dkim_aligned = any(
        _aligned(_property(r, "header", "d") or _property(r, "header", "i"), from_domain)
        for r in results("dkim", "pass")
    )
    if results("spf", "fail") and not dkim_aligned:
        return Verdict(FAIL, SPF_FAIL, server)
    if any((r.result or "").lower() == "pass" for r in dmarc_about_from):
        return Verdict(PASS, DMARC_PASS, server)
    if dkim_aligned:
        return Verdict(PASS, DKIM_PASS, server)
    if any(
        _aligned(_property(r, "smtp", "mailfrom") or _property(r, "smtp", "helo"), from_domain)
        for r in results("spf", "pass")
    ):
        return Verdict(PASS, SPF_PASS, server)
    return Verdict(FAIL if strict else UNKNOWN, NO_PASS if strict else INCONCLUSIVE, server)
