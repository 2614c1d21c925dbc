import logging

from odoo.exceptions import UserError
from odoo.tests import JsonRpcException
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail_lead_capture.tests.mailbox_common import SYNC_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAUTH_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAuthMailboxCase

CALLBACK = "/google_gmail/confirm"


@tagged("post_install", "-at_install", "mail_lead_capture", "mail_lead_capture_gmail")
class TestGmailMailbox(OAuthMailboxCase):
    """A mailbox signs in with Google: Odoo's Gmail flow, then IMAP XOAUTH2 against a real
    Dovecot that checks each access token with the local provider standing in for Google."""

    auth_method = "google"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("google_gmail_client_id", "odoo-test-client")
        cls.env["ir.config_parameter"].set_param("google_gmail_client_secret", "test-secret")

    def sign_in(self, mailbox, user="bob"):
        """Bob clicks Sign in with Google, consents, and Google sends him back with a code."""
        owner = self.env["res.users"].search([("login", "=", user)])
        action = mailbox.with_user(owner).action_lead_capture_sign_in_google()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].startswith("https://accounts.google.com/o/oauth2/v2/auth?"))
        self.assertIn("scope=https%3A%2F%2Fmail.google.com%2F", action["url"])
        with mute_logger(*OAUTH_LOGGERS, *SYNC_LOGGERS):
            response = self.finish_consent(
                CALLBACK, self.state_of(action), self.provider.issue_code(self.login), user
            )
        self.env.invalidate_all()
        return response

    # ------------------------------------------------------------
    # SIGN IN, FIRST SYNC, REFRESH
    # ------------------------------------------------------------

    def test_sign_in_connects_and_the_first_sync_reads_with_the_token(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="Quote for Osaka")
        mailbox = self.make_oauth_mailbox()
        self.assertEqual(mailbox.state, "draft")
        response = self.sign_in(mailbox)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(f"/mail.capture.mailbox/{mailbox.id}")
        )
        self.assertEqual(mailbox.state, "syncing", mailbox.last_error)
        self.assertIn("INBOX", mailbox.folder_ids.mapped("name"))
        self.assertEqual(self.provider.count("/token", "authorization_code"), 1)
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(self.subjects(self.lead), ["Quote for Osaka"])
        self.assertEqual(self.provider.count("/token", "refresh_token"), 0, "token still fresh")
        # every login was checked with the provider, none by password
        self.assertGreaterEqual(self.provider.count("/introspect"), 2)

    def test_an_expired_access_token_is_renewed_before_logging_in(self):
        mailbox = self.make_oauth_mailbox()
        self.sign_in(mailbox)
        self.provider.expire_access_tokens()
        old_token = mailbox.sudo().google_gmail_access_token
        mailbox.sudo().google_gmail_access_token_expiration = 1  # Odoo sees it expired too
        self.append(sender="hana@client.example", to=self.bob.email, subject="After expiry")
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(self.provider.count("/token", "refresh_token"), 1)
        self.assertNotEqual(mailbox.sudo().google_gmail_access_token, old_token)
        self.assertEqual(self.subjects(self.lead), ["After expiry"])

    def test_a_token_refused_before_its_expiry_is_renewed_once(self):
        mailbox = self.make_oauth_mailbox()
        self.sign_in(mailbox)
        self.provider.expire_access_tokens()  # Odoo still takes it for valid
        self.append(sender="hana@client.example", to=self.bob.email, subject="Early expiry")
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(self.provider.count("/token", "refresh_token"), 1)
        self.assertEqual(self.subjects(self.lead), ["Early expiry"])

    def test_without_a_client_id_the_token_is_renewed_through_iap(self):
        """Odoo's IAP proxy (Enterprise's default): the callback receives the tokens, and the
        renewal goes to the configured IAP endpoint, here the local provider."""
        Config = self.env["ir.config_parameter"]
        Config.set_param("google_gmail_client_id", False)
        Config.set_param("mail.server.gmail.iap.endpoint", self.provider.url)
        mailbox = self.make_oauth_mailbox()
        refresh, access, expiry = self.provider.grant(self.login)
        self.authenticate("bob", "bob")
        with mute_logger(*OAUTH_LOGGERS, *SYNC_LOGGERS):
            response = self.url_open(
                "/google_gmail/iap_confirm",
                params={
                    "model": mailbox._name,
                    "rec_id": mailbox.id,
                    "csrf_token": mailbox.sudo()._get_gmail_csrf_token(),
                    "access_token": access,
                    "refresh_token": refresh,
                    "expiration": expiry,
                },
                allow_redirects=False,
            )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(mailbox.state, "syncing", mailbox.last_error)
        mailbox.sudo().google_gmail_access_token_expiration = 1
        self.append(sender="hana@client.example", to=self.bob.email, subject="Through IAP")
        self.sync(mailbox)
        self.assertEqual(self.provider.count("/api/mail_oauth/1/gmail_access_token"), 1)
        self.assertEqual(self.subjects(self.lead), ["Through IAP"])

    def test_my_preferences_sign_in_makes_the_users_own_mailbox(self):
        self.authenticate("bob", "bob")
        call = {
            "model": "res.users",
            "method": "action_lead_capture_sign_in_google",
            "args": [[self.bob.id]],
            "kwargs": {},
        }
        action = self.make_jsonrpc_request("/web/dataset/call_kw", call)
        self.assertTrue(action["url"].startswith("https://accounts.google.com/"))
        mailbox = self.Mailbox.search([("user_id", "=", self.bob.id)])
        self.assertEqual(
            (mailbox.email, mailbox.auth_method, mailbox.host, mailbox.port, mailbox.security),
            ("bob@acme.example", "google", "imap.gmail.com", 993, "ssl"),
        )
        self.make_jsonrpc_request("/web/dataset/call_kw", call)
        self.assertEqual(len(self.Mailbox.search([("user_id", "=", self.bob.id)])), 1)
        # Karen cannot start it for Bob
        self.authenticate("karen", "karen")
        with self.assertRaises(JsonRpcException) as refused, mute_logger("odoo.http"):
            self.make_jsonrpc_request("/web/dataset/call_kw", call)
        self.assertEqual(refused.exception.args[0], "odoo.exceptions.AccessError")

    # ------------------------------------------------------------
    # REVOKED GRANT, SIGNING IN AGAIN
    # ------------------------------------------------------------

    def test_a_revoked_grant_stops_sync_tells_the_owner_and_signing_in_again_resumes(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="Before")
        mailbox = self.make_oauth_mailbox()
        self.sign_in(mailbox)
        self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), ["Before"])

        # Bob removes Odoo's access in his Google account; Odoo's access token is not yet
        # expired by its clock, but the IMAP server asks the provider, which says no.
        self.provider.revoke(self.login)
        self.append(sender="hana@client.example", to=self.bob.email, subject="During")
        mailbox.next_sync = False
        self.run_cron()
        self.assertEqual(mailbox.state, "reauth")
        self.assertIn("Sign in with Google", mailbox.last_error)
        self.assertEqual(
            self.provider.count("/token", "refresh_token"), 1, "renewal tried once, refused"
        )
        notice_domain = [
            ("model", "=", "mail.capture.mailbox"),
            ("res_id", "=", mailbox.id),
            ("partner_ids", "in", self.bob.partner_id.ids),
        ]
        notice = self.env["mail.message"].search(notice_domain)
        self.assertEqual(len(notice), 1)
        self.assertIn("sign in with Google again", notice.subject)
        self.assertTrue(
            self.env["mail.notification"].search(
                [
                    ("mail_message_id", "=", notice.id),
                    ("res_partner_id", "=", self.bob.partner_id.id),
                ]
            ),
            "in Bob's inbox at once",
        )

        # Testing the connection once Odoo's token expired: the renewal is refused too, still
        # "sign in again", and Bob is not told twice.
        mailbox.sudo().google_gmail_access_token_expiration = 1
        with mute_logger(*OAUTH_LOGGERS):
            result = mailbox.with_user(self.bob).action_test_connection()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("Sign in with Google", result["params"]["message"])
        self.assertEqual(self.provider.count("/token", "refresh_token"), 2)
        self.assertEqual(mailbox.state, "reauth")
        self.assertEqual(self.env["mail.message"].search_count(notice_domain), 1)

        # Bob signs in again: sync resumes from its checkpoints, nothing lost, nothing twice.
        self.sign_in(mailbox)
        self.assertIn(mailbox.state, ("connected", "syncing"), mailbox.last_error)
        self.append(sender="hana@client.example", to=self.bob.email, subject="After")
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(self.subjects(self.lead), ["After", "Before", "During"])

    def test_a_provider_out_of_reach_is_retried_and_never_shows_the_token(self):
        Config = self.env["ir.config_parameter"]
        Config.set_param("google_gmail_client_id", False)
        closed = self.provider.url.rsplit(":", 1)[0] + ":9"  # discard port: nobody listens
        Config.set_param("mail.server.gmail.iap.endpoint", closed)
        mailbox = self.make_oauth_mailbox()
        refresh, access, _expiry = self.provider.grant(self.login)
        mailbox.sudo().write(
            {
                "google_gmail_refresh_token": refresh,
                "google_gmail_access_token": access,
                "google_gmail_access_token_expiration": 1,
                "state": "connected",
            }
        )
        with mute_logger(*OAUTH_LOGGERS):
            self.sync(mailbox)
        self.assertEqual(mailbox.state, "error")
        self.assertTrue(mailbox.retry_date)
        self.assertNotIn(refresh, mailbox.last_error)

    # ------------------------------------------------------------
    # PRIVACY OF THE TOKENS
    # ------------------------------------------------------------

    def test_tokens_are_not_readable_by_the_owner_or_others_nor_exported_nor_logged(self):
        mailbox = self.make_oauth_mailbox()
        records = []

        class Keep(logging.Handler):
            def emit(self, record):
                records.append(self.format(record))

        handler = Keep(logging.DEBUG)
        root = logging.getLogger()
        root.addHandler(handler)
        previous = root.level
        root.setLevel(logging.DEBUG)
        try:
            self.sign_in(mailbox)
            mailbox.sudo().google_gmail_access_token_expiration = 1
            self.sync(mailbox)
        finally:
            root.removeHandler(handler)
            root.setLevel(previous)
        mailbox_sudo = mailbox.sudo()
        secrets = [mailbox_sudo.google_gmail_refresh_token, mailbox_sudo.google_gmail_access_token]
        self.assertTrue(all(secrets))
        self.assertTrue(records)
        for secret in secrets:
            self.assertFalse([r for r in records if secret in r], "a token was logged")

        # through JSON-RPC, as a browser would ask: the owner cannot read them, Karen not even
        # the mailbox
        for login in ("bob", "karen"):
            self.authenticate(login, login)
            with self.assertRaises(JsonRpcException) as refused, mute_logger("odoo.http"):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "mail.capture.mailbox",
                        "method": "read",
                        "args": [[mailbox.id], ["email", "google_gmail_refresh_token"]],
                        "kwargs": {},
                    },
                )
            self.assertEqual(refused.exception.args[0], "odoo.exceptions.AccessError")
        with self.assertRaises(UserError):
            mailbox.export_data(["email", "google_gmail_refresh_token"])
        self.assertFalse(mailbox._fields["google_gmail_refresh_token"].exportable)
        self.assertNotIn("google_gmail_refresh_token", mailbox.copy_data()[0])
