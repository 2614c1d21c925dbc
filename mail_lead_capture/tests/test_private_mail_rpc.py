"""Private synced mail stays its owner's through every RPC path a colleague can take."""

import email
import email.policy

from odoo.tests import tagged

from .common import LeadCaptureHttpCase


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

    def file_synced(self, owner, *, private=True, **mail):
        """File a raw mail as mailbox sync does for ``owner``'s mailbox; return its message."""
        raw = self.build_mail(**mail)
        parsed = email.message_from_bytes(raw, policy=email.policy.SMTP)
        Engine = self.env["mail.capture.engine"].sudo()
        message_dict = self.env["mail.thread"].sudo().message_parse(parsed)
        captured, body, attachments, robot = Engine._lead_capture_prepare(
            parsed, message_dict, with_forward=False
        )
        Engine._lead_capture_file(
            captured,
            body,
            attachments,
            company=self.company,
            owner=owner,
            source="sync",
            automated_kind=robot,
            raw=raw,
            message=parsed,
            no_match="skip",
            keep_screened=False,
            message_values={"lead_capture_private_user_id": owner.id if private else False},
        )
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
                self.assertEqual(self.leads_found("bob", domain), [self.lead.id], "the owner finds it")
                self.assertEqual(self.leads_found("karen", domain), [], "a colleague learns nothing")
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
        found = self.call_kw(
            "mail.message", "search", [[("child_ids.parent_id", "=", private.id)]]
        )
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
