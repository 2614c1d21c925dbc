from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail_lead_capture.tests.mailbox_common import SYNC_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAUTH_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAuthMailboxCase

CALLBACK = "/microsoft_outlook/confirm"


@tagged("post_install", "-at_install", "mail_lead_capture", "mail_lead_capture_outlook")
class TestOutlookMailbox(OAuthMailboxCase):
    """A mailbox signs in with Microsoft: Odoo's Outlook flow against the local provider (set as
    ``microsoft_outlook.endpoint``), then IMAP XOAUTH2 against a real Dovecot that checks each
    access token with that provider."""

    auth_method = "microsoft"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Config = cls.env["ir.config_parameter"]
        Config.set_param("microsoft_outlook_client_id", "odoo-test-client")
        Config.set_param("microsoft_outlook_client_secret", "test-secret")
        Config.set_param("microsoft_outlook.endpoint", f"{cls.provider.url}/common/oauth2/v2.0/")

    def sign_in(self, mailbox):
        action = mailbox.with_user(self.bob).action_lead_capture_sign_in_microsoft()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(
            action["url"].startswith(f"{self.provider.url}/common/oauth2/v2.0/authorize?")
        )
        self.assertIn("IMAP.AccessAsUser.All", action["url"])
        self.assertIn("offline_access", action["url"])
        with mute_logger(*OAUTH_LOGGERS, *SYNC_LOGGERS):
            response = self.finish_consent(
                CALLBACK, self.state_of(action), self.provider.issue_code(self.login)
            )
        self.env.invalidate_all()
        return response

    def test_sign_in_sync_refresh_revoke_and_sign_in_again(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="Before")
        mailbox = self.make_oauth_mailbox()
        response = self.sign_in(mailbox)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(f"/mail.capture.mailbox/{mailbox.id}")
        )
        self.assertEqual(mailbox.state, "syncing", mailbox.last_error)
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(self.subjects(self.lead), ["Before"])

        # the access token expires: renewed (Microsoft also hands a new refresh token)
        self.provider.expire_access_tokens()
        mailbox.sudo().microsoft_outlook_access_token_expiration = 1
        self.append(sender="hana@client.example", to=self.bob.email, subject="Renewed")
        self.sync(mailbox)
        self.assertEqual(self.provider.count("/common/oauth2/v2.0/token", "refresh_token"), 1)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)

        # Bob's administrator withdraws Odoo's access: the renewal is refused
        self.provider.revoke(self.login)
        mailbox.sudo().microsoft_outlook_access_token_expiration = 1
        self.append(sender="hana@client.example", to=self.bob.email, subject="During")
        mailbox.next_sync = False
        with mute_logger(*OAUTH_LOGGERS):
            self.run_cron()
        self.assertEqual(mailbox.state, "reauth")
        self.assertIn("Sign in with Microsoft", mailbox.last_error)
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "mail.capture.mailbox"),
                ("res_id", "=", mailbox.id),
                ("partner_ids", "in", self.bob.partner_id.ids),
            ]
        )
        self.assertEqual(len(notice), 1)
        self.assertIn("sign in with Microsoft again", notice.subject)

        # signing in again resumes where sync stopped: nothing lost, nothing twice
        self.sign_in(mailbox)
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(self.subjects(self.lead), ["Before", "During", "Renewed"])

    def test_without_the_company_application_users_are_told_to_ask_their_administrator(self):
        mailbox = self.make_oauth_mailbox()
        self.env["ir.config_parameter"].set_param("microsoft_outlook_client_id", False)
        with self.assertRaisesRegex(UserError, "ask your administrator"):
            mailbox.with_user(self.bob).action_lead_capture_sign_in_microsoft()

    def test_only_the_owner_signs_in_and_tokens_stay_private(self):
        mailbox = self.make_oauth_mailbox()
        with self.assertRaises(UserError), mute_logger("odoo.models"):
            # Karen cannot even see Bob's mailbox
            mailbox.with_user(self.karen).action_lead_capture_sign_in_microsoft()
        self.sign_in(mailbox)
        self.assertTrue(mailbox.sudo().microsoft_outlook_refresh_token)
        self.assertNotIn(
            "microsoft_outlook_refresh_token", mailbox.with_user(self.bob).fields_get()
        )
        with self.assertRaises(UserError):
            mailbox.export_data(["microsoft_outlook_refresh_token"])
