import ssl

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail_lead_capture.tests.mailbox_common import SYNC_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAUTH_LOGGERS
from odoo.addons.mail_lead_capture.tests.oauth_common import OAuthMailboxCase
from odoo.addons.mail_lead_capture.tests.smtp_sink import XOAuth2SmtpSink

MAIL_LOGGERS = ("odoo.addons.mail.models.mail_mail", "mail.log", "odoo.models.unlink")


@tagged("post_install", "-at_install", "mail_lead_capture", "mail_lead_capture_gmail")
class TestGmailSending(OAuthMailboxCase):
    """One Google account reads and sends: Bob's mail from a lead's chatter leaves through his
    mailbox (Odoo's Gmail outgoing server, SMTP AUTH XOAUTH2 to a sink playing smtp.gmail.com),
    is filed in its Sent folder once, marked read, and the sync knows it is on the lead."""

    auth_method = "google"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("google_gmail_client_id", "odoo-test-client")
        cls.env["ir.config_parameter"].set_param("google_gmail_client_secret", "test-secret")
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate = cls.dovecot.certificate_path
        tls.load_cert_chain(certificate, certificate.with_name("key.pem"))
        cls.smtp = XOAuth2SmtpSink(cls.provider.check, tls).start()
        cls.addClassCleanup(cls.smtp.stop)

    def setUp(self):
        super().setUp()
        self.login = self.bob.email  # Bob's Google account is his own address
        self.smtp.clear()
        self.smtp.logins.clear()

    def connected_mailbox(self):
        mailbox = self.make_oauth_mailbox()
        action = mailbox.with_user(self.bob).action_lead_capture_sign_in_google()
        with mute_logger(*OAUTH_LOGGERS, *SYNC_LOGGERS):
            self.finish_consent(
                "/google_gmail/confirm", self.state_of(action), self.provider.issue_code(self.login)
            )
        self.env.invalidate_all()
        self.assertIn(mailbox.state, ("connected", "syncing"), mailbox.last_error)
        return mailbox

    def test_mail_from_the_chatter_leaves_through_the_mailbox_and_is_filed_once(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="Quote please")
        mailbox = self.connected_mailbox()
        self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), ["Quote please"])

        mailbox.with_user(self.bob).send_mail = True
        server = self.bob.outgoing_mail_server_id
        self.assertEqual(
            (server.owner_user_id, server.from_filter, server.smtp_authentication),
            (self.bob, self.bob.email, "gmail"),
        )
        self.assertEqual(
            server.sudo().google_gmail_refresh_token, mailbox.sudo().google_gmail_refresh_token
        )
        # Google's SMTP server is the test sink (STARTTLS, then AUTH XOAUTH2 only)
        server.write({"smtp_host": "127.0.0.1", "smtp_port": self.smtp.port})

        message = self.lead.with_user(self.bob).message_post(
            body="Here is the quote.",
            subject="Re: Quote please",
            partner_ids=self.hana.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        with mute_logger(*MAIL_LOGGERS):
            mails.filtered(lambda mail: mail.state == "outgoing").send()
        self.assertEqual(self.smtp.logins, [self.bob.email], "signed in with Bob's token")
        received = self.smtp.sent_to("hana@client.example")
        self.assertEqual(len(received), 1)
        self.assertEqual(received[0].message["Message-Id"], message.message_id)
        self.assertFalse(self.sink.sent_to("hana@client.example"), "not the company's server")

        # filed in Bob's Sent folder, once, read
        flags = self.dovecot.flags(self.login, "Sent")
        self.assertEqual(len(flags), 1)
        self.assertIn("\\Seen", next(iter(flags.values())))

        # the sync finds it there and knows it is on the lead already
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        on_lead = self.env["mail.message"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "=", self.lead.id),
                ("message_id", "=", message.message_id),
            ]
        )
        self.assertEqual(on_lead, message)
        self.assertEqual(self.subjects(self.lead), ["Quote please"])

    def test_sending_needs_the_owners_own_address(self):
        mailbox = self.connected_mailbox()
        mailbox.email = "bob.other@acme.example"
        with self.assertRaises(UserError):
            mailbox.with_user(self.bob).send_mail = True
