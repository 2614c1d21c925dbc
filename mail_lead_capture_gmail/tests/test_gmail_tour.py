from urllib.parse import parse_qs
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
    # The tour's first page builds the web client's asset bundles in a fresh database: on a busy
    # machine, that holds the test cursor longer than Odoo's default 20 seconds.
    test_cursor_lock_timeout = 120

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("google_gmail_client_id", "odoo-test-client")
        cls.env["ir.config_parameter"].set_param("google_gmail_client_secret", "test-secret")

    def setUp(self):
        super().setUp()
        self.browsed = []

    def fetch_proxy(self, url):
        """The browser leaves Odoo (Odoo's tests answer for every outside address): Google's
        consent page is where the tour stops."""
        if url.startswith(GOOGLE_CONSENT):
            self.browsed.append(url)
            return self.make_fetch_proxy_response("<html><body>Google: allow access?</body></html>")
        return super().fetch_proxy(url)

    def test_user_picks_google_is_sent_to_consent_and_comes_back_connected(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="In the inbox")
        with mute_logger("odoo.tests.common"):
            self.start_tour("/odoo", "mail_lead_capture_gmail_sign_in", login="bob")
        mailbox = self.Mailbox.search([("user_id", "=", self.bob.id)])
        self.assertEqual(
            (mailbox.auth_method, mailbox.host, mailbox.security, mailbox.state),
            ("google", "imap.gmail.com", "ssl", "draft"),
        )
        self.assertEqual(len(self.browsed), 1, "the browser went to Google's consent page")
        query = parse_qs(urlsplit(self.browsed[0]).query)
        self.assertEqual(query["client_id"], ["odoo-test-client"])
        self.assertEqual(query["redirect_uri"], [f"{self.base_url()}/google_gmail/confirm"])
        self.assertIn("https://mail.google.com/", query["scope"][0])
        self.assertEqual(query["access_type"], ["offline"])

        # Google's IMAP server is the test Dovecot; Bob consents, Google sends him back with a code
        mailbox.write(
            {
                "host": "127.0.0.1",
                "port": self.dovecot.tls_port,
                "tls_fingerprint": self.dovecot.fingerprint,
                "login": self.login,
            }
        )
        with mute_logger(*OAUTH_LOGGERS, *SYNC_LOGGERS):
            response = self.finish_consent(
                "/google_gmail/confirm", query["state"][0], self.provider.issue_code(self.login)
            )
        back = f"/odoo/mail.capture.mailbox/{mailbox.id}"
        self.assertTrue(response.headers["Location"].endswith(back))
        self.start_tour(back, "mail_lead_capture_gmail_connected", login="bob")
        self.env.invalidate_all()
        self.assertIn(mailbox.state, ("syncing", "connected"), mailbox.last_error)
        self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), ["In the inbox"])
