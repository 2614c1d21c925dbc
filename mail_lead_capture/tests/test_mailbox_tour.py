import json

from odoo.tests import tagged

from .mailbox_common import MailboxHttpCase


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxTour(MailboxHttpCase):
    """A salesperson connects their mailbox in the web client (headless Chromium, real Dovecot)."""

    def test_user_connects_a_mailbox_picks_folders_and_sees_progress(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="In the inbox")
        self.append("Projects", sender="omar@other.example", to=self.bob.email, subject="Plans")
        self.append("Later", sender="omar@other.example", to=self.bob.email, subject="Not chosen")
        settings = {
            "mlc_imap_port": str(self.dovecot.plain_port),
            "mlc_imap_login": self.login,
            "mlc_imap_password": self.password,
        }
        code = "".join(
            f"sessionStorage.setItem({json.dumps(key)}, {json.dumps(value)});"
            for key, value in settings.items()
        )
        options = {"stepDelay": 0, "startUrl": "/odoo"}
        tour = "mail_lead_capture_connect_mailbox"
        self.start_tour(
            "/odoo",
            tour,
            login="bob",
            code=f"{code} odoo.startTour({json.dumps(tour)}, {json.dumps(options)})",
        )
        mailbox = self.Mailbox.search([("user_id", "=", self.bob.id)])
        self.assertEqual((mailbox.state, mailbox.scope), ("connected", "chosen"))
        self.assertEqual(
            sorted(mailbox.folder_ids.filtered("chosen").mapped("name")),
            ["INBOX", "Projects", "Sent"],
        )
        self.assertEqual(self.subjects(self.lead), ["In the inbox"])
        self.assertEqual(self.subjects(self.lead_omar), ["Plans"])

    def test_owner_shares_a_private_synced_mail_from_the_chatter(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="In the inbox")
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        message = self.lead_messages(self.lead)
        self.assertEqual(message.lead_capture_private_user_id, self.bob)
        self.start_tour(
            f"/odoo/crm.lead/{self.lead.id}", "mail_lead_capture_share_synced_mail", login="bob"
        )
        self.assertFalse(message.lead_capture_private_user_id)
