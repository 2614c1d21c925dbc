"""Private synced mail stays its owner's through every RPC path a colleague can take."""

import email
import email.policy
from datetime import UTC
from datetime import datetime

from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools.filing import SKIP
from ..tools.filing import Filing
from .common import LeadCaptureHttpCase
from .test_capture import GATEWAY_LOGGERS

HANA_TEXT = "Could we meet in Osaka next week?"
HANA_DATE = datetime(2026, 11, 24, 17, 2, tzinfo=UTC)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestPrivateMailOverRpc(LeadCaptureHttpCase):
    """Bob synced a private mail onto his lead; Karen sees every lead, but not that mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.karen.group_ids = [(4, cls.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Osaka office",
                "email_from": "hana@client.example",
                "user_id": cls.bob.id,
                "company_id": cls.company.id,
            }
        )
        cls.mia = new_test_user(
            cls.env,
            login="mia",
            email="mia@acme.example",
            name="Mia Manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
        )

    def file_synced(self, owner, *, private=True, **mail):
        """File a raw mail as mailbox sync does for ``owner``'s mailbox; return its message."""
        raw = self.build_mail(**mail)
        parsed = email.message_from_bytes(raw, policy=email.policy.SMTP)
        Engine = self.env["mail.capture.engine"].sudo()
        message_dict = self.env["mail.thread"].sudo().message_parse(parsed)
        captured, content = Engine._prepare_filing(
            parsed, message_dict, with_forward=False, raw=raw
        )
        filing = Filing(
            self.company.id, owner.id, "sync", no_match=SKIP, keep_screened=False, private=private
        )
        Engine._file_mail(captured, content, filing)
        return self.env["mail.message"].search([("message_id", "=", captured.message_id)])

    def private_mail(self):
        message = self.file_synced(
            self.bob,
            sender="Hana Sato <hana@client.example>",
            to=self.bob.email,
            subject="Confidential merger",
            body="The price is zanzibar.\n",
            attachments=[("secret-terms.pdf", b"%PDF terms", "application/pdf")],
        )
        self.assertEqual(message.lead_capture_private_user_id, self.bob)
        return message

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def leads_found(self, login, domain):
        self.authenticate(login, login)
        return [row["id"] for row in self.call_kw("crm.lead", "search_read", [domain, ["name"]])]

    # ------------------------------------------------------------
    # SEARCHES THROUGH message_ids
    # ------------------------------------------------------------

    def test_a_colleague_cannot_search_private_mail_through_message_ids(self):
        self.private_mail()
        hana = self.env["res.partner"].search([("email_normalized", "=", "hana@client.example")])
        probes = [
            [("message_ids.body", "ilike", "zanzibar")],
            [("message_ids.subject", "ilike", "merger")],
            [("message_ids.attachment_ids.name", "ilike", "secret-terms")],
            [("message_ids.author_id", "in", hana.ids)],
            [("message_ids", "any", [("body", "ilike", "zanzibar")])],
        ]
        for domain in probes:
            with self.subTest(domain=domain):
                self.assertEqual(
                    self.leads_found("bob", domain), [self.lead.id], "the owner finds it"
                )
                self.assertEqual(
                    self.leads_found("karen", domain), [], "a colleague learns nothing"
                )
        # Karen does see the lead itself, and finds it by what she may read.
        self.assertEqual(self.leads_found("karen", [("name", "=", "Osaka office")]), [self.lead.id])

    def test_shared_synced_mail_stays_searchable(self):
        self.file_synced(
            self.bob,
            private=False,
            sender="Hana Sato <hana@client.example>",
            to=self.bob.email,
            subject="Opening hours",
            body="We open at nine.\n",
        )
        domain = [("message_ids.body", "ilike", "open at nine")]
        self.assertEqual(self.leads_found("karen", domain), [self.lead.id])

    def test_searching_messages_directly_hides_private_mail(self):
        private = self.private_mail()
        self.authenticate("karen", "karen")
        found = self.call_kw(
            "mail.message",
            "search_read",
            [[("body", "ilike", "zanzibar")], ["subject"]],
        )
        self.assertEqual(found, [])
        found = self.call_kw("mail.message", "search", [[("child_ids.parent_id", "=", private.id)]])
        self.assertNotIn(private.id, found)

    # ------------------------------------------------------------
    # parent_id OF A LATER MESSAGE
    # ------------------------------------------------------------

    def test_a_later_message_does_not_name_the_private_mail_it_replies_to(self):
        private = self.private_mail()
        self.authenticate("karen", "karen")
        posted = self.call_kw(
            "crm.lead",
            "message_post",
            [[self.lead.id]],
            {"body": "Called Hana back.", "message_type": "comment"},
        )
        note_id = posted[0] if isinstance(posted, list) else posted
        note = self.env["mail.message"].browse(note_id)
        self.assertEqual(note.parent_id, private, "Odoo threads the note under the last mail")
        read = self.call_kw("mail.message", "read", [[note_id], ["parent_id"]])
        self.assertNotIn("merger", str(read[0]["parent_id"]))
        web_read = self.call_kw(
            "mail.message",
            "web_read",
            [[note_id]],
            {"specification": {"parent_id": {"fields": {"display_name": {}}}}},
        )
        self.assertNotIn("merger", str(web_read[0]["parent_id"]))
        names = self.call_kw("mail.message", "name_search", [], {"name": "merger"})
        self.assertEqual(names, [])
        # Bob, its owner, still sees the subject.
        self.authenticate("bob", "bob")
        read = self.call_kw("mail.message", "read", [[note_id], ["parent_id"]])
        self.assertEqual(read[0]["parent_id"], [private.id, "Confidential merger"])

    # ------------------------------------------------------------
    # THE CHATTER
    # ------------------------------------------------------------

    def test_the_chatter_of_a_colleague_does_not_show_private_mail(self):
        private = self.private_mail()
        self.authenticate("karen", "karen")
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "crm.lead", "thread_id": self.lead.id, "fetch_params": {}},
        )
        self.assertNotIn(private.id, result["messages"])
        self.assertNotIn("zanzibar", str(result))
        self.authenticate("bob", "bob")
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "crm.lead", "thread_id": self.lead.id, "fetch_params": {}},
        )
        self.assertIn(private.id, result["messages"])

    # ------------------------------------------------------------
    # THE CAPTURE LOG, "LAST EMAIL"
    # ------------------------------------------------------------

    def read_log(self, login):
        self.authenticate(login, login)
        return self.call_kw(
            "mail.capture.log", "search_read", [[], ["subject", "sender", "lead_id", "trace"]]
        )

    def test_a_sales_manager_does_not_read_private_mail_in_the_capture_log(self):
        self.private_mail()
        self.assertIn("Confidential merger", str(self.read_log("bob")), "its owner does")
        self.assertIn("Confidential merger", str(self.read_log("admin")), "administrators do")
        seen_by_mia = self.read_log("mia")
        self.assertNotIn("Confidential merger", str(seen_by_mia))
        self.assertNotIn("hana@client.example", str(seen_by_mia))

    def test_last_email_does_not_move_for_private_mail(self):
        self.private_mail()
        self.authenticate("karen", "karen")
        read = self.call_kw("crm.lead", "read", [self.lead.ids, ["email_last_date"]])
        self.assertFalse(read[0]["email_last_date"])
        # Shared mail does move it.
        self.file_synced(
            self.bob,
            private=False,
            sender="Hana Sato <hana@client.example>",
            to=self.bob.email,
            subject="Opening hours",
        )
        read = self.call_kw("crm.lead", "read", [self.lead.ids, ["email_last_date"]])
        self.assertTrue(read[0]["email_last_date"])

    @mute_logger(*GATEWAY_LOGGERS)
    def test_my_capture_log_does_not_name_a_lead_i_cannot_read(self):
        # Karen's lead with Ivy; Bob sees only his own leads, and BCCs Ivy.
        karens = self.env["crm.lead"].create(
            {
                "name": "Ivy's tender (secret)",
                "email_from": "ivy@client.example",
                "user_id": self.karen.id,
                "company_id": self.company.id,
                "contact_ids": [(0, 0, {"name": "Ivo Other", "email": "ivo@other.example"})],
            }
        )
        self.deliver(
            self.build_mail(
                sender=self.bob.email, to="Ivy <ivy@client.example>", subject="Our offer"
            ),
            envelope_to=self.capture_address,
        )
        self.assertEqual(self.lead_messages(karens).subject, "Our offer", "filed on her lead")
        mine = self.read_log("bob")
        self.assertEqual(len(mine), 1)
        self.assertFalse(mine[0]["lead_id"])
        self.assertNotIn("secret", str(mine))
        self.assertNotIn("ivo@other.example", str(mine))
        # The decision in full stays on the message, for whoever reads the lead.
        self.assertIn("secret", self.lead_messages(karens).lead_capture_trace)

    # ------------------------------------------------------------
    # A FORWARD OF MAIL A COLLEAGUE SYNCED PRIVATELY
    # ------------------------------------------------------------

    def sync_hana(self, private):
        return self.file_synced(
            self.bob,
            private=private,
            sender="Hana Sato <hana@client.example>",
            to=f"Karen Page <{self.karen.email}>",
            cc=self.bob.email,
            subject="Meeting in Osaka",
            body=f"Hello,\n\n{HANA_TEXT}\n\nThanks,\nHana Sato\n",
            date=HANA_DATE,
        )

    def karen_forwards_hana(self, tag):
        self.deliver(
            self.sample(
                "capture/gmail_forward.eml",
                forwarder=self.karen.email,
                forwarder_name=self.karen.name,
                capture=self.capture_address,
                customer="hana@client.example",
                customer_name="Hana Sato",
                subject="Meeting in Osaka",
                text=HANA_TEXT,
                tag=tag,
            )
        )
        return self.env["mail.capture.log"].search([("user_id", "=", self.karen.id)], limit=1)

    @mute_logger(*GATEWAY_LOGGERS)
    def test_a_forward_of_a_shared_copy_is_a_duplicate(self):
        self.sync_hana(private=False)
        log = self.karen_forwards_hana("shared")
        self.assertEqual(log.outcome, "duplicate")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_a_forward_of_a_colleagues_private_copy_is_filed_for_all_to_see(self):
        private = self.sync_hana(private=True)
        log = self.karen_forwards_hana("private")
        self.assertEqual(log.outcome, "captured")
        self.assertIn("synced the same mail privately", log.trace)
        copy = log.mail_message_id
        self.assertNotEqual(copy, private)
        self.assertFalse(copy.lead_capture_private_user_id)
        self.authenticate("karen", "karen")
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "crm.lead", "thread_id": self.lead.id, "fetch_params": {}},
        )
        self.assertIn(copy.id, result["messages"])
        self.assertNotIn(private.id, result["messages"])
