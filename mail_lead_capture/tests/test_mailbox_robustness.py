from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from . import dovecot_server
from .mailbox_common import SYNC_LOGGERS
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


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxHealth(MailboxCase):
    """A mailbox in trouble for an hour is told to its owner once and to administrators daily."""

    def notices(self, mailbox, partner):
        return self.env["mail.message"].search(
            [
                ("model", "=", "mail.capture.mailbox"),
                ("res_id", "=", mailbox.id),
                ("partner_ids", "in", partner.ids),
            ]
        )

    def admin_summaries(self):
        return self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.admin.partner_id.ids),
                ("subject", "ilike", "need attention"),
            ]
        )

    def fail_once(self, mailbox):
        mailbox.retry_date = False
        with self.enter_registry_test_mode(), mute_logger(*SYNC_LOGGERS):
            mailbox.sudo()._sync_locked()

    def test_an_unreachable_server_for_an_hour_tells_the_owner_once_and_the_admins(self):
        mailbox = self.make_mailbox()
        good_port = mailbox.port
        mailbox.port = dovecot_server.free_port()  # nobody listens there
        self.fail_once(mailbox)
        self.assertTrue(mailbox.trouble_since)
        self.assertFalse(self.notices(mailbox, self.bob.partner_id), "not before an hour")
        mailbox.trouble_since -= timedelta(hours=1, minutes=1)
        self.fail_once(mailbox)
        notice = self.notices(mailbox, self.bob.partner_id)
        self.assertEqual(len(notice), 1)
        self.assertIn("is not syncing", notice.subject)
        self.assertIn("cannot be reached", notice.body)
        self.assertIn("Test Connection", notice.body)
        self.fail_once(mailbox)
        self.assertEqual(len(self.notices(mailbox, self.bob.partner_id)), 1, "told once")

        self.env["mail.capture.mailbox"]._gc_lead_capture_health_summary()
        summary = self.admin_summaries()
        self.assertEqual(len(summary), 1, "one summary for the company")
        self.assertIn(mailbox.email, summary.body)
        self.assertIn("cannot be reached", summary.body)

        mailbox.port = good_port
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected")
        self.assertFalse(mailbox.trouble_since)
        self.assertFalse(mailbox.trouble_notified)

    def test_a_refused_password_is_told_at_once_and_not_again_after_an_hour(self):
        mailbox = self.make_mailbox()
        mailbox.password = "wrong"
        self.fail_once(mailbox)
        self.assertEqual(len(self.notices(mailbox, self.bob.partner_id)), 1)
        mailbox.trouble_since -= timedelta(hours=2)
        self.fail_once(mailbox)
        self.assertEqual(len(self.notices(mailbox, self.bob.partner_id)), 1)
        self.env["mail.capture.mailbox"]._gc_lead_capture_health_summary()
        self.assertIn("refused the login", self.admin_summaries().body)

    def test_a_mailbox_that_brings_nothing_while_its_server_has_new_mail_is_flagged(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="First")
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        self.assertTrue(mailbox.last_mail_date)
        self.assertFalse(mailbox.stalled)
        mailbox.write(
            {"last_mail_date": mailbox.last_mail_date - timedelta(days=3), "mail_rhythm": 2.0}
        )
        # new on the server, but nothing the sync can bring (a deleted-flagged mail)
        self.dovecot.append(
            self.login,
            "INBOX",
            self.build_mail(sender="hana@client.example", to=self.bob.email),
            flags="\\Deleted",
        )
        self.sync(mailbox)
        self.assertTrue(mailbox.stalled)
        self.assertTrue(mailbox.trouble_since)
        self.assertIn("reports new mail", mailbox._health_problem())
        self.env["mail.capture.mailbox"]._gc_lead_capture_health_summary()
        self.assertIn(mailbox.email, self.admin_summaries().body)

        self.append(sender="hana@client.example", to=self.bob.email, subject="Again")
        self.sync(mailbox)
        self.assertFalse(mailbox.stalled)
        self.assertFalse(mailbox.trouble_since)
        self.assertGreater(mailbox.mail_rhythm, 2.0, "the long gap counts in the rhythm")

    def test_a_quiet_mailbox_whose_server_has_nothing_new_is_not_flagged(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="First")
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        mailbox.write(
            {"last_mail_date": mailbox.last_mail_date - timedelta(days=30), "mail_rhythm": 1.0}
        )
        self.sync(mailbox)
        self.assertFalse(mailbox.stalled)
        self.assertFalse(mailbox.trouble_since)
