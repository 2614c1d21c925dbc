"""Connection presets of the common mail providers, and which one an address belongs to.

A preset fills the host, port and security of a mailbox and says whether the provider usually wants
an *app password* (a password made for one application in the account's security settings) once
two-factor authentication is on, so that a refused login can say so. ``notes`` carry codes the
model turns into sentences:

- ``enable_imap``: IMAP access must first be switched on in the provider's web settings;
- ``work_accounts_need_oauth``: organisations' accounts usually have password (basic) login
  switched off, so only personal accounts can connect with a password or app password;
- ``regional_hosts``: the provider has other hosts for other regions (e.g. ``imap.zoho.eu``).

The values are the providers' published IMAP settings; they are data, not guarantees.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..addresses import domain_of
from ..addresses import normalize_address

__all__ = ["GENERIC", "PRESETS", "ImapPreset", "preset_for_address", "preset_selection"]


@dataclass(frozen=True, slots=True)
class ImapPreset:
    """How to reach one provider's IMAP service. ``host`` is empty for the generic preset."""

    code: str
    name: str  # a brand name, the same in every language
    host: str
    port: int
    security: str  # "ssl", "starttls" or "none" (see session.SECURITIES)
    app_password_with_2fa: bool
    domains: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    host_by_domain: tuple[tuple[str, str], ...] = ()

    def host_for(self, address: str | None) -> str:
        """The host to use for ``address`` (some providers have one per brand domain)."""
        domain = domain_of(normalize_address(address)) if address else None
        return dict(self.host_by_domain).get(domain or "", self.host)


GENERIC = ImapPreset("generic", "IMAP", "", 993, "ssl", False)

PRESETS: dict[str, ImapPreset] = {
    preset.code: preset
    for preset in (
        ImapPreset(
            "gmail",
            "Gmail",
            "imap.gmail.com",
            993,
            "ssl",
            True,
            domains=("gmail.com", "googlemail.com"),
            notes=("enable_imap",),
        ),
        ImapPreset(
            "microsoft",
            "Microsoft 365 / Outlook.com",
            "outlook.office365.com",
            993,
            "ssl",
            True,
            domains=(
                "outlook.com",
                "hotmail.com",
                "live.com",
                "msn.com",
                "outlook.fr",
                "outlook.de",
                "hotmail.fr",
                "hotmail.de",
                "hotmail.co.uk",
                "live.fr",
                "live.de",
                "live.co.uk",
            ),
            notes=("work_accounts_need_oauth",),
        ),
        ImapPreset(
            "yahoo",
            "Yahoo",
            "imap.mail.yahoo.com",
            993,
            "ssl",
            True,
            domains=(
                "yahoo.com",
                "ymail.com",
                "rocketmail.com",
                "yahoo.fr",
                "yahoo.de",
                "yahoo.co.uk",
                "yahoo.es",
                "yahoo.it",
            ),
        ),
        ImapPreset(
            "icloud",
            "iCloud Mail",
            "imap.mail.me.com",
            993,
            "ssl",
            True,
            domains=("icloud.com", "me.com", "mac.com"),
        ),
        ImapPreset(
            "fastmail",
            "Fastmail",
            "imap.fastmail.com",
            993,
            "ssl",
            True,
            domains=("fastmail.com", "fastmail.fm"),
        ),
        ImapPreset(
            "zoho",
            "Zoho Mail",
            "imap.zoho.com",
            993,
            "ssl",
            True,
            domains=("zoho.com", "zohomail.com", "zoho.eu", "zohomail.eu"),
            notes=("enable_imap", "regional_hosts"),
            host_by_domain=(("zoho.eu", "imap.zoho.eu"), ("zohomail.eu", "imap.zoho.eu")),
        ),
        ImapPreset(
            "gmx",
            "GMX",
            "imap.gmx.net",
            993,
            "ssl",
            True,
            domains=("gmx.net", "gmx.de", "gmx.at", "gmx.ch", "gmx.com", "gmx.us"),
            notes=("enable_imap",),
            host_by_domain=(("gmx.com", "imap.gmx.com"), ("gmx.us", "imap.gmx.com")),
        ),
        ImapPreset(
            "yandex",
            "Yandex Mail",
            "imap.yandex.com",
            993,
            "ssl",
            True,
            domains=("yandex.com", "yandex.ru", "ya.ru", "yandex.ua", "yandex.kz", "yandex.by"),
            notes=("enable_imap",),
        ),
        ImapPreset(
            "aol",
            "AOL Mail",
            "imap.aol.com",
            993,
            "ssl",
            True,
            domains=("aol.com", "aim.com"),
        ),
        GENERIC,
    )
}

_BY_DOMAIN = {domain: preset for preset in PRESETS.values() for domain in preset.domains}


def preset_for_address(address: str | None) -> ImapPreset:
    """The preset of the provider hosting ``address``, or :data:`GENERIC` when unknown.

    Only the public domains of the providers are known: an address at a company's own domain
    (hosted by Google Workspace or Microsoft 365, say) gets the generic preset, and the user picks.
    """
    domain = domain_of(normalize_address(address)) if address else None
    return _BY_DOMAIN.get(domain or "", GENERIC)


def preset_selection() -> list[tuple[str, str]]:
    """``(code, name)`` pairs for a selection field, generic last."""
    return [(preset.code, preset.name) for preset in PRESETS.values()]


# The providers' SMTP submission servers, for a mailbox that also sends the owner's mail (host,
# port, Odoo's ir.mail_server encryption). Providers not listed: the owner sets up sending in
# Odoo's own outgoing server settings.
SMTP_SUBMISSION: dict[str, tuple[str, int, str]] = {
    "gmail": ("smtp.gmail.com", 587, "starttls"),
    "microsoft": ("smtp.office365.com", 587, "starttls"),
    "yahoo": ("smtp.mail.yahoo.com", 465, "ssl"),
    "icloud": ("smtp.mail.me.com", 587, "starttls"),
    "fastmail": ("smtp.fastmail.com", 465, "ssl"),
}
