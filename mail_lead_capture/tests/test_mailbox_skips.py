from odoo.tests import tagged

from .mailbox_common import MailboxCase


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxSkips(MailboxCase):
    """A mailbox counts the mail its sync leaves alone, by reason, against a real Dovecot."""

    def test_skipped_mail_is_counted_by_reason_once(self):
        self.env["mail.capture.block"].create({"entry": "spam.example"})
        self.append(sender="hana@client.example", to=self.bob.email, subject="Filed")
        self.append(sender="stranger@nowhere.example", to=self.bob.email, subject="Unknown")
        self.append(sender="other@nowhere.example", to=self.bob.email, subject="Unknown 2")
        self.append(
            sender="hana@client.example",
            to=self.bob.email,
            subject="Out of office",
            headers={"Auto-Submitted": "auto-replied"},
        )
        self.append(sender=self.karen.email, to=self.bob.email, subject="Lunch?")
        self.append(sender="deals@spam.example", to=self.bob.email, subject="Offers")
        self.append("Sent", sender=self.bob.email, to="nobody@else.example", subject="Sent away")
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(self.subjects(self.lead), ["Filed"])
        counts = {
            "skipped_no_contact": 3,
            "skipped_robot": 1,
            "skipped_colleagues": 1,
            "skipped_blocked": 1,
        }
        self.assertEqual({name: mailbox[name] for name in counts}, counts)
        inbox = mailbox.folder_ids.filtered(lambda folder: folder.name == "INBOX")
        sent = mailbox.folder_ids.filtered(lambda folder: folder.name == "Sent")
        self.assertEqual((inbox.skipped_no_contact, sent.skipped_no_contact), (2, 1))
        # A pass with nothing new counts nothing again; new skipped mail adds to the counts.
        self.sync(mailbox)
        self.assertEqual({name: mailbox[name] for name in counts}, counts)
        self.append(
            sender="noreply@shop.example", to=self.bob.email, subject="Your order has shipped"
        )
        self.sync(mailbox)
        self.assertEqual(mailbox.skipped_robot, 2)
        self.assertEqual(mailbox.skipped_no_contact, 3)

    def test_the_counts_are_on_the_mailbox_form(self):
        mailbox = self.make_mailbox()
        arch = mailbox.get_views([(False, "form")])["views"]["form"]["arch"]
        for name in (
            "skipped_no_contact",
            "skipped_robot",
            "skipped_colleagues",
            "skipped_blocked",
        ):
            self.assertIn(f'name="{name}"', arch)
