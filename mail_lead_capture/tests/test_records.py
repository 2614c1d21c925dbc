import email
import email.policy

from odoo.tests import tagged
from odoo.tools import mute_logger

from .mailbox_common import MailboxCase
from .test_capture import GATEWAY_LOGGERS


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestEveryMatchingLead(MailboxCase):
    """Company setting "When several leads match": every matching open lead gets the mail."""

    def setUp(self):
        super().setUp()
        self.company.lead_capture_multi_match = "every"

    def bcc(self, subject, to="Hana Sato <hana@client.example>, omar@other.example", **values):
        raw = self.build_mail(sender=self.bob.email, to=to, subject=subject, **values)
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw, envelope_to=self.capture_address)
        return raw

    def test_a_mail_to_the_contacts_of_two_leads_is_on_both(self):
        raw = self.bcc("Joint visit")
        self.assertEqual(self.subjects(self.lead), ["Joint visit"])
        self.assertEqual(self.subjects(self.lead_omar), ["Joint visit"])
        traces = (self.lead_messages(self.lead) | self.lead_messages(self.lead_omar)).mapped(
            "lead_capture_trace"
        )
        self.assertTrue(any("Also filed on every other matching open lead" in t for t in traces))
        self.assertTrue(any("too: it is one of the leads" in t for t in traces), traces)
        # The same mail again (forwarded later, say) is stored on neither twice.
        with mute_logger(*GATEWAY_LOGGERS):
            self.env["mail.capture.engine"].sudo()._lead_capture_replay_raw(
                email.message_from_bytes(raw, policy=email.policy.SMTP), self.company, self.bob
            )
        self.assertEqual(len(self.lead_messages(self.lead)), 1)
        self.assertEqual(len(self.lead_messages(self.lead_omar)), 1)

    def test_a_won_lead_is_not_given_the_mail_again(self):
        self.lead_omar.action_set_won()
        self.bcc("Joint visit")
        self.assertEqual(self.subjects(self.lead), ["Joint visit"])
        self.assertEqual(self.subjects(self.lead_omar), [])

    def test_the_default_files_on_one_lead(self):
        self.company.lead_capture_multi_match = "most_recent"
        self.bcc("Joint visit")
        self.assertEqual(
            len(self.lead_messages(self.lead) | self.lead_messages(self.lead_omar)), 1
        )

    def test_synced_mail_goes_on_every_matching_lead(self):
        self.append(
            sender="Hana Sato <hana@client.example>",
            to=self.bob.email,
            cc="omar@other.example",
            subject="Synced to both",
        )
        self.sync(self.make_mailbox())
        self.assertEqual(self.subjects(self.lead), ["Synced to both"])
        self.assertEqual(self.subjects(self.lead_omar), ["Synced to both"])
        both = self.lead_messages(self.lead) | self.lead_messages(self.lead_omar)
        self.assertEqual(set(both.mapped("lead_capture_private_user_id")), {self.bob})
