from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LeadCaptureCase


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxSending(LeadCaptureCase):
    """A mailbox may also send its owner's mail: Odoo's personal outgoing server, made from it."""

    def make_mailbox(self, **values):
        return self.env["mail.capture.mailbox"].create(
            {
                "user_id": self.bob.id,
                "email": self.bob.email,
                "preset": "gmail",
                "host": "imap.gmail.com",
                "password": "app-password",
                **values,
            }
        )

    def test_sending_makes_the_owners_personal_server_and_stopping_removes_it(self):
        mailbox = self.make_mailbox()
        mailbox.with_user(self.bob).send_mail = True
        server = self.bob.outgoing_mail_server_id
        self.assertEqual(
            (server.owner_user_id, server.from_filter, server.smtp_user, server.smtp_host),
            (self.bob, self.bob.email, self.bob.email, "smtp.gmail.com"),
        )
        self.assertEqual(
            (server.smtp_port, server.smtp_encryption, server.smtp_authentication),
            (587, "starttls", "login"),
        )
        self.assertEqual(server.sudo().smtp_pass, "app-password")
        mailbox.with_user(self.bob).password = "new-app-password"
        self.assertEqual(server.sudo().smtp_pass, "new-app-password", "follows the mailbox")
        mailbox.with_user(self.bob).send_mail = False
        self.assertFalse(server.exists())
        self.assertFalse(self.bob.outgoing_mail_server_id)

    def test_only_known_providers_and_the_owners_own_address_can_send(self):
        for values in (
            {"preset": "generic", "host": "mail.example.com"},
            {"email": "bob.sales@acme.example"},
            {"login": "someone-else@gmail.com"},
        ):
            with self.subTest(**values), self.assertRaises(UserError), self.env.cr.savepoint():
                self.make_mailbox(**values).with_user(self.bob).send_mail = True
        self.assertFalse(self.bob.outgoing_mail_server_id)
