from odoo.tests import tagged

from .mailbox_common import MailboxCase


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxLostReplies(MailboxCase):
    """A reply whose original is filed after it (a folder synced later, or a later pass) is not lost.

    Against a real Dovecot: INBOX is synced before the user folder "Projects", so a reply in INBOX
    from an address no lead knows is examined before the mail it answers is filed from Projects.
    """

    def reply_and_original(self, tag):
        original = self.message_id(tag.replace(" ", "-"))
        reply = {
            "sender": "Ken Ito <ken@client.example>",
            "to": self.bob.email,
            "subject": f"Re: {tag}",
            "headers": {"In-Reply-To": original, "References": original},
        }
        first = {
            "sender": self.bob.email,
            "to": "hana@client.example",
            "subject": tag,
            "message_id": original,
        }
        return reply, first

    def folder(self, mailbox, name):
        return mailbox.folder_ids.filtered(lambda f: f.name == name)

    def test_reply_whose_original_is_in_a_folder_synced_later_is_filed_in_the_same_pass(self):
        mailbox = self.make_mailbox()
        names = mailbox.folder_ids.filtered("synced").mapped("name")
        self.assertLess(names.index("INBOX"), names.index("Projects"), "the order this test needs")
        for i in range(3):
            reply, original = self.reply_and_original(f"Plan {i}")
            self.append("INBOX", **reply)
            self.append("Projects", **original)
        self.sync(mailbox)
        self.assertEqual(
            self.subjects(self.lead),
            ["Plan 0", "Plan 1", "Plan 2", "Re: Plan 0", "Re: Plan 1", "Re: Plan 2"],
        )
        trace = self.lead_messages(self.lead).filtered(lambda m: m.subject == "Re: Plan 1")
        self.assertIn("replies to a mail already filed", trace.lead_capture_trace)
        self.assertFalse(self.folder(mailbox, "INBOX").waiting_replies, "nothing left waiting")
        self.sync(mailbox)
        self.assertEqual(len(self.lead_messages(self.lead)), 6, "filed once")

    def test_reply_whose_original_comes_with_a_later_pass_is_filed_then(self):
        mailbox = self.make_mailbox()
        reply, original = self.reply_and_original("Later")
        self.append("INBOX", **reply)
        self.append("INBOX", sender="Nobody <nobody@else.example>", to=self.bob.email)
        self.sync(mailbox)
        self.assertFalse(self.lead_messages(self.lead))
        waiting = self.folder(mailbox, "INBOX").waiting_replies
        self.assertEqual(list(waiting["items"]), ["1"], "only the reply waits, by its UID")
        self.append("Projects", **original)
        self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), ["Later", "Re: Later"])
        self.assertFalse(self.folder(mailbox, "INBOX").waiting_replies)

    def test_a_reply_to_mail_no_lead_ever_holds_is_not_filed(self):
        mailbox = self.make_mailbox()
        reply, _original = self.reply_and_original("Private")
        self.append("INBOX", **reply)
        self.append("Projects", sender=self.bob.email, to="friend@else.example", subject="Private")
        self.sync(mailbox)
        self.sync(mailbox)
        self.assertFalse(self.env["mail.message"].search([("subject", "=", "Re: Private")]))
