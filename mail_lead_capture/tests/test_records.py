import email
import email.policy

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools.filing import RAISE
from ..tools.filing import Filing
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
            self.env["mail.capture.engine"].sudo()._file_message(
                email.message_from_bytes(raw, policy=email.policy.SMTP),
                Filing(self.company.id, self.bob.id, "unmatched", on_refusal=RAISE),
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
        self.assertEqual(len(self.lead_messages(self.lead) | self.lead_messages(self.lead_omar)), 1)

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


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestWonAndLost(MailboxCase):
    """Open leads first; won leads while no open lead follows them; lost leads named or restored."""

    def bcc(self, subject, to="Hana Sato <hana@client.example>"):
        raw = self.build_mail(sender=self.bob.email, to=to, subject=subject)
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw, envelope_to=self.capture_address)
        return self.env["mail.message"].search(
            [("subject", "=", subject), ("lead_capture_trace", "!=", False)]
        )

    def synced(self, subject):
        """Hana's mail in Bob's INBOX, through a real sync pass; its filed message."""
        self.append(sender="Hana Sato <hana@client.example>", to=self.bob.email, subject=subject)
        self.sync(self.make_mailbox())
        return self.env["mail.message"].search(
            [("subject", "=", subject), ("lead_capture_trace", "!=", False)]
        )

    def test_synced_mail_goes_to_the_open_successor_not_the_won_lead(self):
        self.lead.action_set_won()
        successor = self.env["crm.lead"].create(
            {"name": "Osaka, second floor", "partner_id": self.hana.id, "user_id": self.bob.id}
        )
        self.lead.email_last_date = "2030-01-01 00:00:00"
        message = self.synced("Second floor, synced")
        self.assertEqual(message.res_id, successor.id)

    def test_synced_mail_of_a_won_lead_without_successor_is_filed_on_it(self):
        self.lead.action_set_won()
        message = self.synced("Invoice question, synced")
        self.assertEqual(message.res_id, self.lead.id)

    def test_synced_mail_of_a_lost_leads_contact_starts_a_new_lead_naming_it(self):
        self.lead.action_set_lost()
        message = self.synced("Trying again, synced")
        self.assertEqual(len(message), 1, "the sync downloads a lost lead's contact's mail")
        new = self.env["crm.lead"].browse(message.res_id)
        self.assertNotEqual(new, self.lead)
        self.assertEqual(new.partner_id, self.hana, "the same customer")
        self.assertIn("were on lost lead Osaka office", message.lead_capture_trace)
        self.assertFalse(self.lead.active, "the lost lead stays lost")

    def test_synced_mail_restores_the_lost_lead_by_setting(self):
        self.company.lead_capture_lost = "restore"
        self.lead.action_set_lost()
        message = self.synced("Trying again, synced")
        self.assertEqual(message.res_id, self.lead.id)
        self.assertTrue(self.lead.active)
        self.assertEqual(self.lead.won_status, "pending")

    def test_an_open_successor_gets_the_mail_before_the_won_lead(self):
        self.lead.action_set_won()
        successor = self.env["crm.lead"].create(
            {"name": "Osaka, second floor", "partner_id": self.hana.id, "user_id": self.bob.id}
        )
        # The won lead is the more recently active one: it still loses to the open lead.
        self.lead.email_last_date = "2030-01-01 00:00:00"
        message = self.bcc("Second floor plans")
        self.assertEqual(message.res_id, successor.id)

    def test_a_won_lead_without_successor_receives_its_mail(self):
        self.lead.action_set_won()
        message = self.bcc("Invoice question")
        self.assertEqual(message.res_id, self.lead.id)

    def test_a_lost_leads_contact_starts_a_new_lead_naming_the_lost_one(self):
        self.lead.action_set_lost()
        self.assertEqual(self.lead.won_status, "lost")
        message = self.bcc("Trying again")
        new = self.env["crm.lead"].browse(message.res_id)
        self.assertNotEqual(new, self.lead)
        self.assertEqual(new.partner_id, self.hana, "the same customer")
        self.assertIn("were on lost lead Osaka office", message.lead_capture_trace)
        self.assertFalse(self.lead.active, "the lost lead stays lost")

    def test_by_setting_the_lost_lead_is_restored(self):
        self.company.lead_capture_lost = "restore"
        self.lead.action_set_lost()
        message = self.bcc("Trying again")
        self.assertEqual(message.res_id, self.lead.id)
        self.assertTrue(self.lead.active)
        self.assertEqual(self.lead.won_status, "pending")
        self.assertIn("The lead was lost", message.lead_capture_trace)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestContactEmailHistory(MailboxCase):
    """Editing a lead contact's email imports that address's past mail, as a lead edit does."""

    def test_a_contacts_new_email_imports_its_past_mail(self):
        self.append(sender="Hana Sato <hana.sato@newjob.example>", to=self.bob.email, subject="Old")
        self.append(sender="zed@else.example", to=self.bob.email, subject="Not Hana")
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        self.assertFalse(self.lead_messages(self.lead))
        self.hana.with_user(self.bob).email = "hana.sato@newjob.example"
        self.assertEqual(mailbox.history_ids.mapped("address"), ["hana.sato@newjob.example"])
        self.run_cron()
        self.assertEqual(self.subjects(self.lead), ["Old"])
        self.assertFalse(mailbox.history_ids, "done")

    def test_a_partner_on_no_lead_queues_nothing(self):
        mailbox = self.make_mailbox()
        stranger = self.env["res.partner"].create({"name": "Zed", "email": "zed@else.example"})
        stranger.email = "zed@elsewhere.example"
        self.assertFalse(mailbox.history_ids)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailOnThePerson(MailboxCase):
    """A contact's form counts and lists the captured and synced mail with them, privacy kept."""

    def test_the_contact_shows_its_mail_across_leads_and_privacy_holds(self):
        self.karen.group_ids = [(4, self.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        raw = self.build_mail(sender=self.bob.email, to="hana@client.example", subject="Quote")
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw, envelope_to=self.capture_address)
        self.append(sender="Hana Sato <hana@client.example>", to=self.bob.email, subject="Mine")
        self.sync(self.make_mailbox())
        self.assertEqual(self.subjects(self.lead), ["Mine", "Quote"])
        hana_bob = self.hana.with_user(self.bob)
        self.assertEqual(hana_bob.lead_capture_message_count, 2)
        action = hana_bob.action_lead_capture_messages()
        found = self.env["mail.message"].with_user(self.bob).search(action["domain"])
        self.assertEqual(sorted(found.mapped("subject")), ["Mine", "Quote"])
        hana_karen = self.hana.with_user(self.karen)
        self.assertEqual(hana_karen.lead_capture_message_count, 1, "Bob's private mail is his")
        omar = self.omar.with_user(self.bob)
        self.assertEqual(omar.lead_capture_message_count, 0)
