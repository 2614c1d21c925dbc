import json
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail_lead_capture.tests.mailbox_common import SYNC_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAUTH_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAuthMailboxCase

GOOGLE_CONSENT = "https://accounts.google.com/o/oauth2/v2/auth?"


@tagged("post_install", "-at_install", "mail_lead_capture", "mail_lead_capture_gmail")
class TestGmailTour(OAuthMailboxCase):
    """In the browser (headless Chromium): a salesperson signs in with Google."""

    auth_method = "google"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("google_gmail_client_id", "odoo-test-client")
        cls.env["ir.config_parameter"].set_param("google_gmail_client_secret", "test-secret")

    def setUp(self):
        super().setUp()
        self.consents = []

    def fetch_proxy(self, url):
        """The browser leaves Odoo (Odoo's tests answer for every outside address). At Google's
        consent page the test plays Google: Bob consents, and Google sends the browser back to
        Odoo's callback with an authorization code (from the local provider)."""
        if not url.startswith(GOOGLE_CONSENT):
            return super().fetch_proxy(url)
        self.consents.append(url)
        state = parse_qs(urlsplit(url).query)["state"][0]
        code = self.provider.issue_code(self.login)
        back = f"{self.base_url()}/google_gmail/confirm?{urlencode({'code': code, 'state': state})}"
        return {
            "body": "",
            "responseCode": 302,
            "responseHeaders": [{"name": "Location", "value": back}],
        }

    def test_user_picks_google_is_sent_to_consent_and_comes_back_connected(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="In the inbox")
        settings = {
            "mlc_imap_port": str(self.dovecot.tls_port),
            "mlc_imap_login": self.login,
            "mlc_imap_fingerprint": self.dovecot.fingerprint,
        }
        code = "".join(
            f"sessionStorage.setItem({json.dumps(key)}, {json.dumps(value)});"
            for key, value in settings.items()
        )
        tour = "mail_lead_capture_gmail_sign_in"
        options = {"stepDelay": 0, "startUrl": "/odoo"}
        with mute_logger(*OAUTH_LOGGERS, *SYNC_LOGGERS):
            self.start_tour(
                "/odoo",
                tour,
                login="bob",
                code=f"{code} odoo.startTour({json.dumps(tour)}, {json.dumps(options)})",
            )
        self.assertEqual(len(self.consents), 1, "the browser went to Google's consent page")
        query = parse_qs(urlsplit(self.consents[0]).query)
        self.assertEqual(query["client_id"], ["odoo-test-client"])
        self.assertEqual(query["redirect_uri"], [f"{self.base_url()}/google_gmail/confirm"])
        self.assertIn("https://mail.google.com/", query["scope"][0])
        self.assertEqual(query["access_type"], ["offline"])
        self.assertEqual(self.provider.count("/token", "authorization_code"), 1)

        mailbox = self.Mailbox.search([("user_id", "=", self.bob.id)])
        self.assertEqual((mailbox.auth_method, mailbox.security), ("google", "ssl"))
        self.assertIn(mailbox.state, ("syncing", "connected"), mailbox.last_error)
        self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), ["In the inbox"])
