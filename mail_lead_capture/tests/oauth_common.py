"""Shared set-up of the sign-in bridges' tests (mail_lead_capture_gmail, mail_lead_capture_outlook).

A local OAuth provider (``oauth_server.OAuthServer``: token endpoint, Odoo's IAP proxy, token
introspection) stands in for Google and Microsoft, the only stand-in: the machines running the
tests cannot reach them. The class's real Dovecot accepts XOAUTH2/OAUTHBEARER and checks every
access token with that provider at each login. Mailboxes use Dovecot's implicit-TLS port (Odoo's
Gmail and Outlook servers insist on SSL), trusting its certificate by fingerprint.

Odoo's Gmail module has Google's token and user-information URLs written in its code: tests go
through Odoo's own hook for outgoing HTTP in tests (``BaseCase._request_handler``), which sends
requests for ``REDIRECTED_HOSTS`` to the local provider instead (same path and query).
"""

from urllib.parse import parse_qs
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from .mailbox_common import MailboxHttpCase
from .oauth_server import OAuthServer

REDIRECTED_HOSTS = frozenset({"oauth2.googleapis.com", "www.googleapis.com"})
OAUTH_LOGGERS = (
    "odoo.addons.google_gmail.models.google_gmail_mixin",
    "odoo.addons.microsoft_outlook.models.microsoft_outlook_mixin",
    "odoo.addons.google_gmail.controllers.main",
    "odoo.addons.microsoft_outlook.controllers.main",
)


class OAuthMailboxCase(MailboxHttpCase):
    """Bob's mailbox on a Dovecot that checks OAuth access tokens with ``cls.provider``."""

    auth_method = None  # "google" or "microsoft", set by the bridge's test class

    @classmethod
    def setUpClass(cls):
        cls.provider = OAuthServer().start()
        cls.addClassCleanup(cls.provider.stop)
        cls.dovecot_options = {"oauth2_introspection_url": cls.provider.introspection_url}
        super().setUpClass()

    def setUp(self):
        super().setUp()
        self.provider.requests.clear()  # counted per test

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        url = urlsplit(r.url)
        if url.hostname in REDIRECTED_HOSTS:
            local = urlsplit(cls.provider.url)
            r.url = urlunsplit((local.scheme, local.netloc, url.path, url.query, ""))
        return super()._request_handler(s, r, **kw)

    def make_oauth_mailbox(self, user=None, **values):
        """Bob's mailbox signing in with the bridge's provider, on Dovecot's TLS port (draft)."""
        user = user or self.bob
        return self.Mailbox.create(
            {
                "user_id": user.id,
                "email": user.email,
                "auth_method": self.auth_method,
                "host": "127.0.0.1",
                "port": self.dovecot.tls_port,
                "security": "ssl",
                "tls_fingerprint": self.dovecot.fingerprint,
                "login": self.login,
                **values,
            }
        )

    @staticmethod
    def state_of(action):
        """The ``state`` parameter of the authorization URL an ``act_url`` action opens."""
        return parse_qs(urlsplit(action["url"]).query)["state"][0]

    def finish_consent(self, path, state, code, user="bob"):
        """The provider sends the browser back to Odoo's callback ``path`` with ``code``: as
        ``user``, without following the redirection; returns the response."""
        self.authenticate(user, user)
        return self.url_open(
            path, params={"code": code, "state": state}, allow_redirects=False, timeout=60
        )
