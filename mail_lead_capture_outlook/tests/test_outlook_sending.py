import ssl

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail_lead_capture.tests.mailbox_common import SYNC_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAUTH_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAuthMailboxCase
from odoo.addons.mail_lead_capture.tests.smtp_sink import XOAuth2SmtpSink

MAIL_LOGGERS = ("odoo.addons.mail.models.mail_mail", "mail.log", "odoo.models.unlink")


@tagged("post_install", "-at_install", "mail_lead_capture", "mail_lead_capture_outlook")
class TestOutlookSending(OAuthMailboxCase):
    """One Microsoft 365 account reads and sends: the same consent covers SMTP (SMTP.Send)."""

    auth_method = "microsoft"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Config = cls.env["ir.config_parameter"]
        Config.set_param("microsoft_outlook_client_id", "odoo-test-client")
        Config.set_param("microsoft_outlook_client_secret", "test-secret")
        Config.set_param("microsoft_outlook.endpoint", f"{cls.provider.url}/common/oauth2/v2.0/")
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate = cls.dovecot.certificate_path
        tls.load_cert_chain(certificate, certificate.with_name("key.pem"))
        cls.smtp = XOAuth2SmtpSink(cls.provider.check, tls).start()
        cls.addClassCleanup(cls.smtp.stop)

    def setUp(self):
        super().setUp()
        self.login = self.bob.email

    def test_mail_from_the_chatter_leaves_through_the_mailbox_and_is_filed_once(self):
        mailbox = self.make_oauth_mailbox(send_mail=True)
        action = mailbox.with_user(self.bob).action_lead_capture_sign_in_microsoft()
        self.assertIn("SMTP.Send", action["url"])
        with mute_logger(*OAUTH_LOGGERS, *SYNC_LOGGERS):
            self.finish_consent(
                "/microsoft_outlook/confirm",
                self.state_of(action),
                self.provider.issue_code(self.login),
            )
        self.env.invalidate_all()
        self.assertEqual(mailbox.state, "syncing", mailbox.last_error)
        server = self.bob.outgoing_mail_server_id
        self.assertEqual(
            (server.smtp_authentication, server.from_filter), ("outlook", self.bob.email)
        )
        self.assertTrue(
            server.sudo().microsoft_outlook_refresh_token, "signing in gave it the grant"
        )
        server.write({"smtp_host": "127.0.0.1", "smtp_port": self.smtp.port})

        message = self.lead.with_user(self.bob).message_post(
            body="Here is the quote.",
            partner_ids=self.hana.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        with mute_logger(*MAIL_LOGGERS):
            mails.filtered(lambda mail: mail.state == "outgoing").send()
        self.assertEqual(self.smtp.logins, [self.bob.email])
        self.assertEqual(len(self.smtp.sent_to("hana@client.example")), 1)
        flags = self.dovecot.flags(self.login, "Sent")
        self.assertEqual(len(flags), 1)
        self.assertIn("\\Seen", next(iter(flags.values())))
        self.sync(mailbox)
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("model", "=", "crm.lead"), ("message_id", "=", message.message_id)]
            ),
            1,
        )
