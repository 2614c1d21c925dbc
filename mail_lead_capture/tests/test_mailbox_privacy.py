from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged

from .mailbox_common import MailboxCase


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxPrivacy(MailboxCase):
    """Synced mail is its owner's unless shared; two-way mailboxes follow what Odoo does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Karen sees every lead, Bob's included.
        cls.karen.group_ids = [(4, cls.env.ref("sales_team.group_sale_salesman_all_leads").id)]

    def synced_message(self, **values):
        self.append(
            sender="Hana Sato <hana@client.example>",
            to=self.bob.email,
            subject="Confidential",
            attachments=[("terms.txt", b"our terms", "text/plain")],
        )
        mailbox = self.make_mailbox(**values)
        self.sync(mailbox)
        message = self.lead_messages(self.lead)
        self.assertEqual(message.subject, "Confidential")
        return mailbox, message

    def visible_to(self, user, message):
        Message = self.env["mail.message"].with_user(user)
        lead = self.lead.with_user(user)
        fetched = Message._message_fetch(domain=None, thread=lead)["messages"]
        found = Message.search([("model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        self.assertEqual(message in fetched, message in found, "the chatter and RPC agree")
        return message in found

    # ------------------------------------------------------------
    # PRIVACY
    # ------------------------------------------------------------

    def test_private_synced_mail_is_invisible_to_others_even_through_rpc(self):
        _mailbox, message = self.synced_message()
        self.assertEqual(message.lead_capture_private_user_id, self.bob)
        self.assertTrue(self.visible_to(self.bob, message))
        self.assertFalse(self.visible_to(self.karen, message))
        with self.assertRaises(AccessError):
            message.with_user(self.karen).read(["body"])
        self.assertEqual(
            message.with_user(self.bob).read(["subject"])[0]["subject"], "Confidential"
        )
        attachment = message.attachment_ids
        self.assertEqual(attachment.name, "terms.txt")
        with self.assertRaises(AccessError):
            attachment.with_user(self.karen).read(["raw"])
        self.assertEqual(attachment.with_user(self.bob).raw, b"our terms")
        self.assertFalse(
            self.env["ir.attachment"]
            .with_user(self.karen)
            .search([("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]),
            "the lead's files do not list it either",
        )

    def test_shared_mailbox_mail_is_seen_by_whoever_sees_the_lead(self):
        _mailbox, message = self.synced_message(privacy="shared")
        self.assertFalse(message.lead_capture_private_user_id)
        self.assertTrue(self.visible_to(self.karen, message))
        self.assertEqual(message.attachment_ids.with_user(self.karen).raw, b"our terms")

    def test_the_owner_decides_for_each_mail(self):
        _mailbox, message = self.synced_message()
        with self.assertRaisesRegex(UserError, "only they decide"):
            message.with_user(self.admin).sudo(False).with_user(
                self.karen
            ).action_lead_capture_share()
        message.with_user(self.bob).action_lead_capture_share()
        self.assertTrue(self.visible_to(self.karen, message))
        self.assertEqual(message.attachment_ids.with_user(self.karen).raw, b"our terms")
        message.with_user(self.bob).action_lead_capture_make_private()
        self.assertFalse(self.visible_to(self.karen, message))
        self.assertTrue(message.with_user(self.bob).lead_capture_mine)
        self.assertFalse(
            message.with_user(self.karen).sudo().with_user(self.karen).lead_capture_mine
        )

    # ------------------------------------------------------------
    # TWO-WAY
    # ------------------------------------------------------------

    def test_two_way_archive_moves_the_server_copy_to_archive(self):
        mailbox, message = self.synced_message(direction="two_way")
        inbox_uids = self.dovecot.uids(self.login, "INBOX")
        message.with_user(self.bob).action_lead_capture_archive()
        self.sync(mailbox)
        self.assertEqual(self.dovecot.uids(self.login, "INBOX"), [])
        self.assertEqual(len(self.dovecot.uids(self.login, "Archive")), len(inbox_uids))
        self.sync(mailbox)  # Archive is a synced folder: the moved mail is not filed again
        self.assertEqual(self.subjects(self.lead), ["Confidential"])

    def test_two_way_delete_moves_the_server_copy_to_trash(self):
        mailbox, message = self.synced_message(direction="two_way")
        message.with_user(self.bob).action_lead_capture_trash()
        self.assertFalse(message.exists())
        self.sync(mailbox)
        self.assertEqual(self.dovecot.uids(self.login, "INBOX"), [])
        self.assertEqual(len(self.dovecot.uids(self.login, "Trash")), 1)
        self.assertFalse(mailbox.location_ids, "done")

    def test_a_move_queued_before_switching_to_one_way_does_not_keep_the_mailbox_due(self):
        mailbox, message = self.synced_message(direction="two_way")
        message.with_user(self.bob).action_lead_capture_archive()
        Mailbox = self.env["mail.capture.mailbox"]
        self.assertIn(mailbox, Mailbox.search(Mailbox._due_domain()), "a move waits")
        mailbox.write(
            {"direction": "one_way", "next_sync": fields.Datetime.now() + timedelta(hours=1)}
        )
        self.assertNotIn(mailbox, Mailbox.search(Mailbox._due_domain()))

    def test_one_way_never_touches_the_server(self):
        mailbox, message = self.synced_message()
        before = self.dovecot.flags(self.login, "INBOX")
        with self.assertRaisesRegex(UserError, "one-way"):
            message.with_user(self.bob).action_lead_capture_archive()
        with self.assertRaisesRegex(UserError, "one-way"):
            message.with_user(self.bob).action_lead_capture_trash()
        self.sync(mailbox)
        self.assertEqual(self.dovecot.flags(self.login, "INBOX"), before)
        self.assertEqual(self.dovecot.uids(self.login, "Archive"), [])

    def test_two_way_archive_of_a_mail_the_user_already_moved_leaves_it_there(self):
        mailbox, message = self.synced_message(direction="two_way")
        # meanwhile, in their own mail program, Bob files the mail in Projects
        with self.dovecot.imap(self.login) as client:
            client.select("INBOX")
            client.uid("MOVE", "1:*", "Projects")
        message.with_user(self.bob).action_lead_capture_archive()
        self.sync(mailbox)
        self.assertEqual(self.dovecot.uids(self.login, "Archive"), [], "nothing was archived")
        self.assertEqual(len(self.dovecot.uids(self.login, "Projects")), 1, "left where Bob put it")
        location = mailbox.location_ids
        self.assertFalse(location.server_action)
        self.assertEqual(location.folder, "INBOX", "not recorded as archived")
        self.assertIn("no longer in INBOX", location.server_error)
        self.assertEqual(self.subjects(self.lead), ["Confidential"], "not filed twice")
