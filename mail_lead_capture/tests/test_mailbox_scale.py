"""What keeps a mailbox's first import linear in its size gives the results Odoo's own way gives
(bench/mailbox_scale.py measures the time)."""

from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..models import mailbox_sync_pass as sync_pass_module
from .mailbox_common import MailboxCase


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxScale(MailboxCase):
    def test_synced_mail_hangs_under_the_message_odoo_itself_would_choose(self):
        lead = self.lead
        lead.message_post(body="An internal note", message_type="comment")
        note_then_log = lead.message_post(body="A log line", message_type="notification")
        self.assertTrue(note_then_log)
        expected = lead._message_compute_parent_id(False)  # Odoo's flat-thread choice
        self.append(sender="Hana Sato <hana@client.example>", to=self.bob.email, subject="Quote")
        self.sync(self.make_mailbox())
        filed = self.lead_messages(lead)
        self.assertEqual(filed.mapped("subject"), ["Quote"])
        self.assertEqual(filed.parent_id.id, expected)
        self.assertTrue(filed.parent_id.message_type in ("comment", "email"))
        self.env.cr.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = 'mail_message' AND indexname = %s",
            ["mail_message_lead_capture_parent_index"],
        )
        self.assertTrue(self.env.cr.fetchall(), "the choice is one step down this index")

    def test_synced_mail_on_a_contact_has_the_parent_odoo_itself_would_give(self):
        kim = self.env["res.partner"].create(
            {"name": "Kim Lee", "email": "kim@other.example", "lead_capture_crm_contact": True}
        )
        kim.message_post(body="Met at the fair", message_type="comment")
        expected = kim._message_compute_parent_id(False)  # none: a contact's thread is not flat
        self.append(sender="Kim Lee <kim@other.example>", to=self.bob.email, subject="Hello")
        self.sync(self.make_mailbox())
        filed = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", kim.id), ("subject", "=", "Hello")]
        )
        self.assertEqual(len(filed), 1)
        self.assertEqual(filed.parent_id.id, expected)

    def test_a_new_contact_is_queued_once_per_mailbox_whatever_is_queued_already(self):
        mailbox = self.make_mailbox()
        other = self.make_mailbox(email="bob.other@mycompany.example")
        History = self.env["mail.capture.mailbox.history"]
        History.create({"mailbox_id": mailbox.id, "address": "ken@client.example"})
        ken = self.env["res.partner"].create({"name": "Ken Ito", "email": "ken@client.example"})
        lin = self.env["res.partner"].create({"name": "Lin Wu", "email": "lin@client.example"})
        self.lead.contact_ids = [fields.Command.link(ken.id), fields.Command.link(lin.id)]
        self.assertEqual(
            sorted(mailbox.history_ids.mapped("address")),
            ["ken@client.example", "lin@client.example"],
        )
        self.assertEqual(
            sorted(other.history_ids.mapped("address")),
            ["ken@client.example", "lin@client.example"],
        )

    def test_a_contact_archived_on_its_lead_does_not_match_as_before(self):
        ken = self.env["res.partner"].create({"name": "Ken Ito", "email": "ken@client.example"})
        self.lead_omar.contact_ids = [fields.Command.link(ken.id)]
        Engine = self.env["mail.capture.engine"]
        leads = self.lead | self.lead_omar
        found = Engine._matched_addresses(leads, ["ken@client.example", "hana@client.example"])
        self.assertEqual(found[self.lead], {"hana@client.example"})
        self.assertEqual(found[self.lead_omar], {"ken@client.example"})
        ken.active = False
        found = Engine._matched_addresses(leads, ["ken@client.example"])
        self.assertEqual(found[self.lead_omar], set(), "as the lead's contacts read it")
        self.assertEqual(
            found[self.lead_omar],
            self.lead_omar._lead_capture_contact_addresses()[self.lead_omar]
            & {"ken@client.example"},
        )

    def test_a_pass_stores_a_bounded_number_of_mails_and_the_next_goes_on(self):
        for n in range(5):
            self.append(sender="hana@client.example", to=self.bob.email, subject=f"Old {n}")
        mailbox = self.make_mailbox()
        with patch.object(sync_pass_module, "PASS_STORED_MAX", 2):
            first = self.pass_report(mailbox)
            self.assertEqual((first.stored, first.complete), (2, False))
            self.assertEqual(len(self.lead_messages(self.lead)), 2)
            self.assertTrue(mailbox._is_importing())
            reports = [self.pass_report(mailbox) for _n in range(2)]
        self.assertEqual([(r.stored, r.complete) for r in reports], [(2, False), (1, True)])
        self.assertFalse(mailbox._is_importing())
        self.assertEqual(self.subjects(self.lead), [f"Old {n}" for n in range(5)])

    def test_past_mail_of_a_new_contact_waits_for_the_first_import_of_its_folder(self):
        self.append(sender="Ken Ito <ken@client.example>", to=self.bob.email, subject="Ken old")
        for n in range(3):
            self.append(sender="hana@client.example", to=self.bob.email, subject=f"Old {n}")
        mailbox = self.make_mailbox()
        inbox = mailbox.folder_ids.filtered(lambda f: f.name == "INBOX")
        with patch.object(sync_pass_module, "PASS_STORED_MAX", 1):
            self.pass_report(mailbox)  # Ken's mail examined (no lead yet), "Old 0" filed
            self.assertEqual(inbox.import_state, "running")
            ken = self.env["res.partner"].create({"name": "Ken Ito", "email": "ken@client.example"})
            self.lead.contact_ids = [fields.Command.link(ken.id)]
            self.assertEqual(mailbox.history_ids.mapped("address"), ["ken@client.example"])
            self.pass_report(mailbox)
            self.assertEqual(self.subjects(self.lead), ["Old 0", "Old 1"])
            self.assertEqual(
                mailbox.history_ids.mapped("address"),
                ["ken@client.example"],
                "INBOX is still importing: its past mail waits",
            )
            self.assertNotIn(inbox, mailbox.history_ids.done_folder_ids)
        last = self.pass_report(mailbox)  # ends the import, then imports Ken's past mail
        self.assertTrue(last.complete)
        self.assertEqual(inbox.import_state, "done")
        self.assertEqual(self.subjects(self.lead), ["Ken old", "Old 0", "Old 1", "Old 2"])
        self.assertFalse(mailbox.history_ids, "done")

    def test_a_new_contact_is_linked_beside_archived_ones_and_queued_for_active_mailboxes(self):
        mailbox = self.make_mailbox()
        archived = self.make_mailbox(email="bob.other@mycompany.example")
        archived.active = False
        ken = self.env["res.partner"].create({"name": "Ken Ito", "email": "ken@client.example"})
        self.lead.contact_ids = [fields.Command.link(ken.id)]
        ken.active = False
        lin = self.env["res.partner"].create({"name": "Lin Wu", "email": "lin@client.example"})
        self.env["mail.capture.engine"]._link_contacts(self.lead, lin)
        self.assertEqual(self.lead.contact_ids, lin)
        self.assertEqual(self.lead.with_context(active_test=False).contact_ids, ken | lin)
        self.env.invalidate_all()
        self.assertEqual(self.lead.with_context(active_test=False).contact_ids, ken | lin)
        History = self.env["mail.capture.mailbox.history"]
        self.assertIn("lin@client.example", mailbox.history_ids.mapped("address"))
        self.assertFalse(History.search([("mailbox_id", "=", archived.id)]))
