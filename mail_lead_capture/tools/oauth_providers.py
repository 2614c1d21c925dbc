"""What a sign-in bridge (Google, Microsoft) tells the addon about its OAuth provider.

Each bridge module declares one :class:`OAuthProvider` for the ``auth_method`` it adds; the mailbox
model runs the shared mechanism from it (the SSL/TLS rule, the preset, clearing and hiding the
tokens, the consent page, the access token, the outgoing server, the retry of a refused token).
Names of fields, configuration parameters and methods are plain strings: the model reads them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OAuthProvider:
    """How a mailbox signs in with one OAuth provider through Odoo's mixin for it.

    ``name`` is the provider's name in sentences ("Google"); ``settings`` the (translated) place
    in Odoo's settings where the administrator registers Odoo with the provider. The token fields
    are the mixin's; ``consent_method`` (the mixin's) returns the action opening the consent page;
    ``access_token_method`` (the bridge's) returns a fresh access token, renewing it if needed.
    """

    code: str
    name: str
    preset: str
    imap_host: str
    refresh_token_field: str
    access_token_field: str
    expiration_field: str
    client_id_param: str
    client_secret_param: str
    settings: str
    consent_method: str
    access_token_method: str
    smtp_host: str
    smtp_authentication: str
    smtp_port: int = 587
    smtp_encryption: str = "starttls"

    @property
    def token_fields(self) -> tuple[str, str, str]:
        return (self.refresh_token_field, self.access_token_field, self.expiration_field)
