from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LeadCaptureCase
from .mailbox_common import MailboxHttpCase
from .test_capture import GATEWAY_LOGGERS


class RefileMixin:
    """Sue writes about the Lyon project; capture files it on the Paris lead, where she is known."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.sue = Partner.create({"name": "Sue Miller", "email": "sue@client.example"})
        cls.paris = cls.env["crm.lead"].create(
            {"name": "Paris office", "user_id": cls.bob.id, "contact_ids": [(6, 0, cls.sue.ids)]}
        )
        cls.lyon = cls.env["crm.lead"].create({"name": "Lyon project", "user_id": cls.bob.id})

    def sue_writes(self, subject="Lyon quote"):
        """Bob forwards Sue's mail to the capture address (Gmail)."""
        raw = self.sample(
            "capture/gmail_forward.eml",
            forwarder=self.bob.email,
            forwarder_name=self.bob.name,
            capture=self.capture_address,
            customer=self.sue.email,
            customer_name=self.sue.name,
            subject=subject,
            text=f"About {subject}.",
            tag=subject.replace(" ", ""),
        )
        return self.delivered(raw, subject)

    def bob_writes(self, subject="Lyon quote", **values):
        """Bob writes to Sue with the capture address in BCC."""
        raw = self.build_mail(
            sender=self.bob.email, to="Sue Miller <sue@client.example>", subject=subject, **values
        )
        return self.delivered(raw, subject, envelope_to=self.capture_address)

    def delivered(self, raw, subject, envelope_to=None):
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw, envelope_to=envelope_to)
        return self.env["mail.message"].search(
            [("subject", "=", subject), ("lead_capture_trace", "!=", False)], limit=1
        )

    def refile(self, user, message, mode="lead", **values):
        wizard = (
            self.env["mail.capture.refile"]
            .with_user(user)
            .create({"message_id": message.id, "mode": mode, **values})
        )
        return wizard.action_apply()


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestRefile(RefileMixin, LeadCaptureCase):
    """Correcting where capture filed a mail, through the real gateway."""

    def test_move_to_another_lead_and_the_next_mail_follows(self):
        message = self.sue_writes()
        self.assertEqual((message.model, message.res_id), ("crm.lead", self.paris.id))
        self.refile(self.bob, message, lead_id=self.lyon.id, reason="this is about Lyon")
        self.assertEqual((message.model, message.res_id), ("crm.lead", self.lyon.id))
        self.assertTrue(
            message.lead_capture_trace.startswith(
                "Moved from Paris office to Lyon project by Bob Builder: this is about Lyon."
            ),
            message.lead_capture_trace,
        )
        self.assertIn("Before: Filed on lead Paris office", message.lead_capture_trace)
        log = self.last_log()
        self.assertEqual(
            (log.outcome, log.source, log.corrected_by_id, log.lead_id, log.mail_message_id),
            ("moved", "correction", self.bob, self.lyon, message),
        )
        self.assertIn(self.sue, self.lyon.contact_ids, "the target learnt Sue's address")
        self.assertNotIn(self.sue, self.paris.contact_ids, "her only mail there has gone")
        follow = self.sue_writes(subject="Lyon delivery date")
        self.assertEqual(follow.res_id, self.lyon.id, follow.lead_capture_trace)

    def test_the_target_learns_contacts_its_company_may_use(self):
        globex = self.env["res.company"].create({"name": "Globex"})
        theirs = self.env["res.partner"].create(
            {"name": "Ted at Globex", "email": "ted@other.example", "company_id": globex.id}
        )
        raw = self.build_mail(
            sender=self.bob.email,
            to="Sue Miller <sue@client.example>, ted@other.example",
            subject="Lyon quote",
        )
        message = self.delivered(raw, "Lyon quote", envelope_to=self.capture_address)
        self.assertEqual((message.model, message.res_id), ("crm.lead", self.paris.id))
        self.refile(self.bob, message, lead_id=self.lyon.id)
        ted = self.lyon.contact_ids.filtered(lambda p: p.email_normalized == "ted@other.example")
        self.assertEqual(len(ted), 1, "the target learnt Ted's address")
        self.assertNotEqual(ted, theirs, "not Globex's own partner")
        self.assertIn(ted.company_id, (self.company, self.env["res.company"]))

    def test_a_contact_with_other_mail_on_the_source_stays_there(self):
        self.sue_writes(subject="Paris floor plan")
        message = self.sue_writes()
        self.refile(self.bob, message, lead_id=self.lyon.id)
        self.assertIn(self.sue, self.paris.contact_ids)
        self.assertIn(self.sue, self.lyon.contact_ids)

    def test_move_to_a_contact(self):
        message = self.sue_writes()
        self.refile(self.bob, message, mode="contact", partner_id=self.sue.id)
        self.assertEqual((message.model, message.res_id), ("res.partner", self.sue.id))
        self.assertTrue(message.lead_capture_trace.startswith("Moved from Paris office to Sue"))
        self.assertEqual(self.last_log().outcome, "moved")

    def test_not_crm_mail_goes_back_to_the_owners_queue_and_can_be_linked_again(self):
        message = self.bob_writes(attachments=[("plan.txt", b"the plan", "text/plain")])
        self.refile(self.bob, message, mode="review", reason="private")
        self.assertFalse(message.exists())
        self.assertFalse(self.lead_messages(self.paris))
        item = self.env["mail.capture.unmatched"].search([("subject", "=", "Lyon quote")])
        self.assertEqual((item.user_id, item.state, item.rule), (self.bob, "pending", "not_crm"))
        self.assertIn("Removed from Paris office by Bob Builder as not CRM mail", item.reason)
        log = self.last_log()
        self.assertEqual((log.outcome, log.corrected_by_id), ("removed", self.bob))
        self.assertIn("Back in Bob Builder's unmatched mail.", log.trace)
        # The queue files it again from the rebuilt source, attachment included.
        item.with_user(self.bob)._link_to_lead(self.lyon)
        moved = self.lead_messages(self.lyon)
        self.assertEqual(moved.subject, "Lyon quote")
        self.assertEqual(moved.author_id, self.bob.partner_id)
        self.assertEqual(moved.attachment_ids.raw, b"the plan")

    def test_not_crm_mail_discarded(self):
        message = self.sue_writes()
        self.refile(self.bob, message, mode="discard")
        self.assertFalse(message.exists())
        item = self.env["mail.capture.unmatched"].search([("subject", "=", "Lyon quote")])
        self.assertEqual(item.state, "discarded")
        self.assertIn("Discarded.", self.last_log().trace)

    def test_from_the_capture_log(self):
        message = self.sue_writes()
        log = self.env["mail.capture.log"].search([("mail_message_id", "=", message.id)])
        action = log.with_user(self.bob).action_correct_filing()
        self.assertEqual(action["res_model"], "mail.capture.refile")
        self.assertEqual(action["context"]["default_message_id"], message.id)

    def test_mail_written_in_odoo_cannot_be_moved(self):
        note = self.paris.message_post(body="A note", message_type="comment")
        with self.assertRaisesRegex(UserError, "Only mail filed by email capture"):
            self.refile(self.bob, note, lead_id=self.lyon.id)

    def test_a_user_who_cannot_write_the_target_cannot_move_there(self):
        karen_lead = self.env["crm.lead"].create({"name": "Karen's deal", "user_id": self.karen.id})
        message = self.sue_writes()
        with self.assertRaises(AccessError):
            self.refile(self.bob, message, lead_id=karen_lead.id)
        self.assertEqual(message.res_id, self.paris.id)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestRefileRpc(RefileMixin, MailboxHttpCase):
    """Who may correct a filing, asked as an attacker would: JSON-RPC from a browser session."""

    def call(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def rpc_refile(self, login, message, **values):
        wizard_id = self.call(
            login, "mail.capture.refile", "create", [{"message_id": message.id, **values}]
        )
        return self.call(login, "mail.capture.refile", "action_apply", [[wizard_id]])

    def test_only_users_who_can_write_both_leads(self):
        message = self.sue_writes()
        karen_lead = self.env["crm.lead"].create({"name": "Karen's deal", "user_id": self.karen.id})
        # Karen can neither read nor write Bob's leads.
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.rpc_refile("karen", message, mode="lead", lead_id=karen_lead.id)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.rpc_refile("karen", message, mode="discard")
        # Bob cannot push his mail onto Karen's lead.
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.rpc_refile("bob", message, mode="lead", lead_id=karen_lead.id)
        self.assertEqual((message.model, message.res_id), ("crm.lead", self.paris.id))
        self.rpc_refile("bob", message, mode="lead", lead_id=self.lyon.id)
        self.assertEqual(message.res_id, self.lyon.id)

    def test_private_synced_mail_is_moved_by_its_owner_only(self):
        self.karen.group_ids = [(4, self.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        self.append(sender="Hana Sato <hana@client.example>", to=self.bob.email, subject="Osaka")
        self.sync(self.make_mailbox())
        message = self.lead_messages(self.lead)
        self.assertEqual(message.lead_capture_private_user_id, self.bob)
        # Karen may write both leads, but the mail is Bob's.
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.rpc_refile("karen", message, mode="lead", lead_id=self.lyon.id)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.rpc_refile("karen", message, mode="review")
        self.assertEqual(message.res_id, self.lead.id)
        self.rpc_refile("bob", message, mode="lead", lead_id=self.lyon.id)
        self.assertEqual(message.res_id, self.lyon.id)
        self.assertEqual(message.lead_capture_private_user_id, self.bob, "still private")
        self.assertIn(self.hana, self.lyon.contact_ids)
        self.assertEqual(self.last_log().private_user_id, self.bob, "the correction is private too")

    def test_a_wizard_on_someone_elses_mail_names_nothing(self):
        """Opening the wizard on a message id one may not read shows neither its subject nor
        the lead it is on (both computed as superuser for the owner's convenience)."""
        message = self.sue_writes()
        wizard_id = self.call(
            "karen", "mail.capture.refile", "create", [{"message_id": message.id}]
        )
        (values,) = self.call(
            "karen", "mail.capture.refile", "read", [[wizard_id], ["subject", "current_place"]]
        )
        self.assertFalse(values["subject"], "Karen cannot read Bob's mail: no subject")
        self.assertFalse(values["current_place"], "nor the name of the lead it is on")
        wizard_id = self.call("bob", "mail.capture.refile", "create", [{"message_id": message.id}])
        (values,) = self.call(
            "bob", "mail.capture.refile", "read", [[wizard_id], ["subject", "current_place"]]
        )
        self.assertEqual(values["subject"], message.subject)
        self.assertEqual(values["current_place"], self.paris.display_name)

    def test_salespeople_see_their_own_capture_log_only(self):
        self.sue_writes()
        raw = self.build_mail(sender=self.karen.email, to="zoe@client.example", subject="Karen's")
        self.delivered(raw, "Karen's", envelope_to=self.capture_address)
        seen = self.call(
            "bob", "mail.capture.log", "search_read", [[]], {"fields": ["user_id", "subject"]}
        )
        self.assertTrue(seen)
        self.assertEqual({row["user_id"][0] for row in seen}, {self.bob.id})
        self.assertEqual(
            self.call("karen", "mail.capture.log", "search_read", [[]], {"fields": ["subject"]}),
            [{"id": self.last_log().id, "subject": "Karen's"}],
        )

    def test_tour_moves_a_mail_from_the_chatter_and_the_next_mail_follows(self):
        message = self.sue_writes()
        self.start_tour(
            f"/odoo/crm.lead/{self.paris.id}", "mail_lead_capture_move_mail", login="bob"
        )
        self.assertEqual(message.res_id, self.lyon.id)
        self.assertIn("it is about Lyon", message.lead_capture_trace)
        follow = self.sue_writes(subject="Lyon delivery date")
        self.assertEqual(follow.res_id, self.lyon.id, follow.lead_capture_trace)
