from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LeadCaptureCase
from .test_capture import GATEWAY_LOGGERS


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestUnmatchedMail(LeadCaptureCase):
    """What cannot be placed with confidence waits in its owner's queue, never lost, never guessed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Unmatched = cls.env["mail.capture.unmatched"]
        cls.Lead = cls.env["crm.lead"]

    def queue_for_review(
        self, sender=None, to="nadia@client.example", subject="Quote request", **kw
    ):
        """Deliver a BCC'd mail that matches no lead while the company keeps such mail for review."""
        self.company.lead_capture_no_match = "review"
        sender = sender or self.bob
        raw = self.build_mail(
            sender=f"{sender.name} <{sender.email}>", to=to, subject=subject, **kw
        )
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        return self.Unmatched.search([("user_id", "=", sender.id), ("subject", "=", subject)])

    # ------------------------------------------------------------
    # WHEN MAIL GOES THERE
    # ------------------------------------------------------------

    def test_keep_for_review_queues_unmatched_mail_and_tells_the_owner_in_odoo(self):
        leads_before = self.Lead.search_count([])
        item = self.queue_for_review()
        self.assertEqual(item.state, "pending")
        self.assertIn("nadia@client.example", item.reason)
        self.assertEqual(self.Lead.search_count([]), leads_before, "no lead is guessed")
        notified = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.bob.partner_id.id),
                ("mail_message_id.model", "=", item._name),
                ("mail_message_id.res_id", "=", item.id),
            ]
        )
        self.assertEqual(notified.notification_type, "inbox")
        # Issue 15: an email for every mail kept for review, whatever the owner's preference,
        # with the reason and a link to the item (it used to be the inbox notice only).
        told = self.sink.sent_to(self.bob.email)
        self.assertEqual(len(told), 1, "one email, not one per notice")
        self.assertIn("nadia@client.example", told[0].text, "the reason")
        html = told[0].message.get_body(preferencelist=("html",)).get_content()
        self.assertIn(f"model=mail.capture.unmatched&amp;res_id={item.id}", html, "its link")

    def test_create_a_lead_is_the_default(self):
        self.assertEqual(self.company.lead_capture_no_match, "create")
        raw = self.build_mail(
            sender=f"{self.bob.name} <{self.bob.email}>",
            to="nadia@client.example",
            subject="Default setting",
        )
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertTrue(self.deliver(raw, envelope_to=self.capture_address))
        nadia = "nadia@client.example"
        lead = self.Lead.search(
            ["|", ("partner_id.email", "=", nadia), ("contact_ids.email", "=", nadia)]
        )
        self.assertEqual(len(lead), 1, "the default creates a lead, nothing waits for review")
        self.assertFalse(self.Unmatched.search([("subject", "=", "Default setting")]))

    def test_several_matching_leads_wait_when_the_company_asks(self):
        self.company.lead_capture_multi_match = "ask"
        first = self.Lead.create({"name": "Deal A", "email_from": "omar@client.example"})
        second = self.Lead.create({"name": "Deal B", "email_from": "omar@client.example"})
        raw = self.build_mail(
            sender=self.bob.email, to="omar@client.example", subject="Which deal?"
        )
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        item = self.Unmatched.search([("subject", "=", "Which deal?")])
        self.assertIn("Deal A", item.reason)
        self.assertIn("Deal B", item.reason)
        item.with_user(self.bob)._link_to_lead(second)
        self.assertEqual(item.state, "linked")
        self.assertEqual(len(self.lead_messages(second)), 1)
        self.assertFalse(self.lead_messages(first))

    def test_outlook_forward_with_a_name_only_waits_unless_one_contact_has_that_name(self):
        raw = self.name_only_forward()
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertFalse(self.deliver(raw))
        item = self.Unmatched.search([("user_id", "=", self.bob.id)])
        self.assertIn("Walter Bishop", item.reason)
        # Once one contact bears that name, the same kind of forward is filed on their lead.
        walter = self.env["res.partner"].create(
            {"name": "Walter Bishop", "email": "walter@lab.example"}
        )
        lead = self.Lead.create({"name": "Lab", "partner_id": walter.id})
        raw = raw.replace(b"n1", b"n2")
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertEqual(self.deliver(raw), lead.id)

    def test_a_mail_that_breaks_processing_is_kept_with_the_error(self):
        engine = type(self.env["mail.capture.engine"])
        with (
            patch.object(engine, "_post_on_lead", side_effect=RuntimeError("disk on fire")),
            mute_logger(
                *GATEWAY_LOGGERS, "odoo.addons.mail_lead_capture.models.mail_capture_engine"
            ),
        ):
            raw = self.build_mail(
                sender=self.bob.email, to="fire@client.example", subject="Burning"
            )
            self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        item = self.Unmatched.search([("subject", "=", "Burning")])
        self.assertIn("disk on fire", item.reason)
        self.assertTrue(item.sudo().raw_message)
        self.assertFalse(
            self.Lead.search([("email_from", "ilike", "fire@client.example")]),
            "the failed attempt left nothing half-done",
        )
        # Once the cause is gone, the kept mail files normally.
        lead = item.with_user(self.bob).action_create_lead()
        self.assertEqual(
            self.Lead.browse(lead["res_id"]).partner_id.email_normalized, "fire@client.example"
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def test_create_a_lead_files_the_mail_as_a_capture_would(self):
        item = self.queue_for_review(
            to="Nadia Haddad <nadia@client.example>, Leo <leo@client.example>",
            attachments=[("brief.txt", b"the brief", "text/plain")],
        )
        action = item.with_user(self.bob).action_create_lead()
        lead = self.Lead.browse(action["res_id"])
        self.assertEqual(item.state, "created")
        self.assertEqual(item.lead_id, lead)
        self.assertEqual(lead.name, "Nadia Haddad")
        self.assertEqual(
            sorted((lead.partner_id | lead.contact_ids).mapped("email_normalized")),
            ["leo@client.example", "nadia@client.example"],
        )
        message = self.lead_messages(lead)
        self.assertEqual(message.author_id, self.bob.partner_id)
        self.assertEqual(message.date, fields.Datetime.to_datetime("2026-11-20 09:30:00"))
        self.assertEqual(message.attachment_ids.mapped("name"), ["brief.txt"])
        self.assertEqual(message.lead_capture_direction, "outgoing")

    def test_link_through_the_wizard(self):
        item = self.queue_for_review()
        lead = self.Lead.create({"name": "Client deal", "user_id": self.bob.id})
        wizard = Form(
            self.env["mail.capture.unmatched.link"]
            .with_user(self.bob)
            .with_context(default_unmatched_ids=item.ids)
        )
        wizard.lead_id = lead
        wizard.save().action_link()
        self.assertEqual((item.state, item.lead_id), ("linked", lead))
        message = self.lead_messages(lead)
        self.assertEqual(message.subject, "Quote request")
        self.assertIn("by Bob Builder", message.lead_capture_trace)
        self.assertIn(
            "nadia@client.example", (lead.partner_id | lead.contact_ids).mapped("email_normalized")
        )

    def test_lead_search_in_the_wizard_finds_leads_by_contact_email(self):
        lead = self.Lead.create({"name": "Initech renewal", "email_from": "bill@initech.example"})
        found = self.Lead.name_search("bill@initech")
        self.assertIn(lead.id, [lead_id for lead_id, _name in found])

    def test_discard_then_purge_after_thirty_days(self):
        item = self.queue_for_review(attachments=[("x.txt", b"x", "text/plain")])
        self.assertTrue(item.attachment_ids)
        attachments = item.attachment_ids
        item.with_user(self.bob).action_discard()
        self.assertEqual(item.state, "discarded")
        self.Unmatched._gc_discarded()
        self.assertTrue(item.exists(), "kept 30 days")
        item.discard_date = fields.Datetime.now() - timedelta(days=31)
        self.Unmatched._gc_discarded()
        self.assertFalse(item.exists())
        self.assertFalse(attachments.exists(), "purged with its attachments")

    # ------------------------------------------------------------
    # BAD INPUT
    # ------------------------------------------------------------

    def test_a_discarded_item_cannot_be_linked(self):
        item = self.queue_for_review()
        item.with_user(self.bob).action_discard()
        lead = self.Lead.create({"name": "Late"})
        with self.assertRaisesRegex(UserError, "already handled"):
            item.with_user(self.bob)._link_to_lead(lead)

    def test_acting_twice_files_the_mail_once(self):
        item = self.queue_for_review()
        item.with_user(self.bob).action_create_lead()
        with self.assertRaisesRegex(UserError, "already handled"):
            item.with_user(self.bob).action_create_lead()
        lead = self.Lead.create({"name": "Other"})
        with self.assertRaisesRegex(UserError, "already handled"):
            item.with_user(self.bob)._link_to_lead(lead)
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("model", "=", "crm.lead"), ("subject", "=", "Quote request")]
            ),
            1,
        )

    def test_linking_applies_the_filters(self):
        item = self.queue_for_review(to="rep@newly-blocked.example")
        self.env["mail.capture.block"].create({"entry": "newly-blocked.example"})
        lead = self.Lead.create({"name": "Somewhere"})
        with self.assertRaisesRegex(UserError, "blocked"):
            item.with_user(self.bob)._link_to_lead(lead)
        self.assertEqual(item.state, "pending")
        self.assertFalse(self.lead_messages(lead))

    def test_linking_to_a_lead_of_another_company_is_refused(self):
        item = self.queue_for_review()
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.Lead.create({"name": "Foreign", "company_id": other.id})
        with self.assertRaisesRegex(UserError, "Other Co"):
            item._link_to_lead(foreign)
        self.assertEqual(item.state, "pending")

    # ------------------------------------------------------------
    # VISIBILITY
    # ------------------------------------------------------------

    def test_users_see_and_act_only_on_their_own_items(self):
        item = self.queue_for_review()
        as_karen = self.Unmatched.with_user(self.karen)
        self.assertFalse(as_karen.search([("id", "=", item.id)]))
        with self.assertRaises(AccessError):
            as_karen.browse(item.id).read(["subject"])
        with self.assertRaises(AccessError):
            as_karen.browse(item.id).action_discard()
        with self.assertRaises(AccessError):
            as_karen.browse(item.id).action_create_lead()
        lead = self.Lead.create({"name": "Karen's"})
        with self.assertRaises(AccessError):
            as_karen.browse(item.id)._link_to_lead(lead)
        self.assertEqual(item.state, "pending")
        self.assertEqual(self.Unmatched.with_user(self.bob).search([]), item)

    def test_the_raw_source_is_readable_by_its_owner_and_admins_only(self):
        item = self.queue_for_review()
        self.assertTrue(item.with_user(self.bob).raw_download)
        self.assertTrue(item.with_user(self.admin).raw_download)
        manager = new_test_user(
            self.env,
            login="mgr",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
        )
        self.env["crm.team"].create(
            {"name": "Team M", "user_id": manager.id, "member_ids": [(4, self.bob.id)]}
        )
        self.assertEqual(
            self.Unmatched.with_user(manager).search([]), item, "managers see their team's"
        )
        self.assertFalse(item.with_user(manager).raw_download, "but not the raw source")
        with self.assertRaises(AccessError):
            item.with_user(manager).read(["raw_message"])

    def test_menu_shows_the_pending_count(self):
        self.queue_for_review()
        self.queue_for_review(subject="Second")
        menus = self.env["ir.ui.menu"].with_user(self.bob).load_web_menus(False)
        menu = self.env.ref("mail_lead_capture.mail_capture_unmatched_menu")
        self.assertEqual(menus[menu.id]["name"], "Unmatched Mail (2)")
        menus = self.env["ir.ui.menu"].with_user(self.karen).load_web_menus(False)
        self.assertEqual(menus[menu.id]["name"], "Unmatched Mail")
