"""The people around the leads: known contacts without a lead, users' own bulk sends, and trusted
senders without an Odoo account. Through the real gateway, a real Dovecot, and JSON-RPC."""

import base64
import email
import email.policy

from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from ..tools import capture
from ..tools.filing import RAISE
from ..tools.filing import Filing
from .common import LeadCaptureHttpCase
from .mailbox_common import MailboxCase
from .test_capture import GATEWAY_LOGGERS
from .test_sender_authenticity import GENUINE

BULK_HEADERS = {
    "List-Unsubscribe": "<mailto:unsubscribe@acme.example?subject=news>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Precedence": "bulk",
}


class PeopleMixin:
    def bcc(self, subject, sender=None, to="Hana Sato <hana@client.example>", **values):
        """``sender`` (Bob by default) writes to ``to`` with the capture address in BCC."""
        raw = self.build_mail(sender=sender or self.bob.email, to=to, subject=subject, **values)
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw, envelope_to=self.capture_address)
        return self.filed(subject)

    def filed(self, subject):
        return self.env["mail.message"].search(
            [("subject", "=", subject), ("lead_capture_trace", "!=", False)], order="id"
        )

    def leads_of(self, address):
        return self.env["crm.lead"].search([("partner_id.email_normalized", "=", address)])


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestKnownContact(PeopleMixin, MailboxCase):
    """Ken is a CRM contact without a lead; Hana is the customer of Bob's open lead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ken = cls.env["res.partner"].create(
            {"name": "Ken Ito", "email": "ken@known.example", "lead_capture_crm_contact": True}
        )
        cls.plain = cls.env["res.partner"].create(
            {"name": "Pia Plain", "email": "pia@plain.example"}
        )

    def test_mail_with_a_known_contact_without_lead_goes_on_the_contact(self):
        message = self.bcc("Catching up", to="Ken Ito <ken@known.example>")
        self.assertEqual((message.model, message.res_id), ("res.partner", self.ken.id))
        self.assertIn("Ken Ito", message.lead_capture_trace)
        self.assertFalse(self.leads_of("ken@known.example"), "no lead by default")
        ken = self.ken.with_user(self.bob)
        self.assertEqual(ken.lead_capture_message_count, 1)
        found = (
            self.env["mail.message"]
            .with_user(self.bob)
            .search(ken.action_lead_capture_messages()["domain"])
        )
        self.assertEqual(found.mapped("subject"), ["Catching up"])
        log = self.last_log()
        self.assertEqual((log.outcome, log.user_id), ("captured", self.bob))
        # The same mail again is not stored twice on the contact.
        self.env["mail.capture.engine"].sudo()._file_message(
            email.message_from_bytes(
                self.build_mail(
                    sender=self.bob.email,
                    to="ken@known.example",
                    subject="Catching up",
                    message_id=message.message_id,
                ),
                policy=email.policy.SMTP,
            ),
            Filing(self.company.id, self.bob.id, "unmatched", on_refusal=RAISE),
        )
        self.assertEqual(len(self.filed("Catching up")), 1)

    def test_by_setting_a_known_contact_gets_a_lead(self):
        self.company.lead_capture_known_contact = "lead"
        self.company.lead_capture_no_match = "review"
        message = self.bcc("Catching up", to="Ken Ito <ken@known.example>")
        lead = self.leads_of("ken@known.example")
        self.assertEqual(len(lead), 1, "a lead, although unknown people's mail waits for review")
        self.assertEqual((message.model, message.res_id), ("crm.lead", lead.id))
        self.assertEqual(lead.user_id, self.bob)

    def test_a_contact_with_an_open_lead_keeps_getting_it_on_the_lead(self):
        message = self.bcc("Plans")
        self.assertEqual((message.model, message.res_id), ("crm.lead", self.lead.id))

    def test_a_partner_who_is_no_crm_contact_is_a_stranger(self):
        message = self.bcc("Hello Pia", to="Pia Plain <pia@plain.example>")
        lead = self.leads_of("pia@plain.example")
        self.assertEqual(len(lead), 1, "the company's 'create a lead' setting, as before")
        self.assertEqual((message.model, message.res_id), ("crm.lead", lead.id))

    def test_a_lost_leads_customer_follows_the_lost_lead_setting(self):
        self.lead.action_set_lost()
        message = self.bcc("Any news?")
        new = self.env["crm.lead"].browse(message.res_id)
        self.assertEqual(message.model, "crm.lead", "not on the contact: a new lead continues it")
        self.assertNotEqual(new, self.lead)
        self.assertIn("were on lost lead Osaka office", message.lead_capture_trace)

    def test_a_crm_contact_of_another_company_is_a_stranger(self):
        self.ken.company_id = self.env["res.company"].create({"name": "Globex"})
        with mute_logger("odoo.addons.mail_lead_capture.models.mail_capture_engine"):
            message = self.bcc("Catching up", to="Ken Ito <ken@known.example>")
        self.assertFalse(self.ken.message_ids.filtered("lead_capture_trace"))
        # Acme's own lead, with a contact Acme may use: not Globex's partner (Odoo's company
        # check would refuse the lead, and the mail would wait for review).
        lead = self.env["crm.lead"].browse(message.res_id)
        self.assertEqual(message.model, "crm.lead")
        self.assertEqual(lead.company_id, self.company)
        self.assertEqual(lead.partner_id.email_normalized, "ken@known.example")
        self.assertNotEqual(lead.partner_id, self.ken)
        self.assertIn(lead.partner_id.company_id, (self.company, self.env["res.company"]))
        self.assertEqual(self.last_log().outcome, "created")
        self.assertFalse(self.env["mail.capture.unmatched"].search([]), "nothing to review")

    def test_mail_with_a_contact_of_another_company_on_an_open_lead_links_a_usable_partner(self):
        globex = self.env["res.company"].create({"name": "Globex"})
        self.env["res.partner"].create(
            {"name": "Hana at Globex", "email": "hana2@client.example", "company_id": globex.id}
        )
        message = self.bcc("Plans", to="Hana Sato <hana@client.example>, hana2@client.example")
        self.assertEqual((message.model, message.res_id), ("crm.lead", self.lead.id))
        added = self.lead.contact_ids.filtered(
            lambda p: p.email_normalized == "hana2@client.example"
        )
        self.assertEqual(len(added), 1)
        self.assertNotEqual(added.company_id, globex, "not Globex's own partner")

    def test_sync_downloads_a_known_contacts_mail_onto_the_contact_privately(self):
        self.karen.group_ids = [(4, self.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        self.append(sender="Ken Ito <ken@known.example>", to=self.bob.email, subject="From Ken")
        self.append(sender="Pia Plain <pia@plain.example>", to=self.bob.email, subject="From Pia")
        self.append(sender="zed@nobody.example", to=self.bob.email, subject="From Zed")
        self.sync(self.make_mailbox())
        message = self.filed("From Ken")
        self.assertEqual((message.model, message.res_id), ("res.partner", self.ken.id))
        self.assertEqual(message.lead_capture_private_user_id, self.bob)
        self.assertTrue(message.lead_capture_location_ids, "two-way actions know where it is")
        self.assertFalse(self.filed("From Pia"), "a partner who is no CRM contact: not downloaded")
        self.assertFalse(self.filed("From Zed"))
        self.assertEqual(self.ken.with_user(self.bob).lead_capture_message_count, 1)
        self.assertEqual(self.ken.with_user(self.karen).lead_capture_message_count, 0, "private")
        self.assertFalse(
            self.env["mail.message"].with_user(self.karen).search([("subject", "=", "From Ken")])
        )

    def test_sync_creates_a_lead_for_a_known_contact_by_setting(self):
        self.company.lead_capture_known_contact = "lead"
        self.append(sender="Ken Ito <ken@known.example>", to=self.bob.email, subject="From Ken")
        self.sync(self.make_mailbox())
        lead = self.leads_of("ken@known.example")
        self.assertEqual(len(lead), 1)
        self.assertEqual(self.filed("From Ken").res_id, lead.id)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestOwnBulkSend(PeopleMixin, MailboxCase):
    """Bob sends a newsletter to customers with the capture address in BCC (Close's scenario)."""

    TO = "Hana Sato <hana@client.example>, omar@other.example, Nina New <nina@new.example>"

    def test_a_users_bulk_send_goes_on_each_recipients_lead(self):
        messages = self.bcc("November news", to=self.TO, headers=BULK_HEADERS)
        nina = self.leads_of("nina@new.example")
        self.assertEqual(len(nina), 1, "the company creates leads for unknown people")
        self.assertEqual(nina.user_id, self.bob)
        self.assertEqual(
            sorted(messages.mapped("res_id")), sorted([self.lead.id, self.lead_omar.id, nina.id])
        )
        self.assertEqual(set(messages.mapped("model")), {"crm.lead"})
        self.assertEqual(set(messages.mapped("lead_capture_direction")), {"outgoing"})
        self.assertTrue(all("bulk" in trace for trace in messages.mapped("lead_capture_trace")))
        self.assertFalse(self.env["mail.capture.unmatched"].search([]), "nothing screened")
        self.assertNotIn("hana@client.example", nina.contact_ids.mapped("email_normalized"))

    def test_new_leads_only_where_the_setting_says(self):
        self.company.lead_capture_no_match = "review"
        messages = self.bcc("November news", to=self.TO, headers=BULK_HEADERS)
        self.assertEqual(
            sorted(messages.mapped("res_id")), sorted([self.lead.id, self.lead_omar.id])
        )
        self.assertFalse(self.leads_of("nina@new.example"))
        self.assertFalse(self.env["mail.capture.unmatched"].search([]), "a bulk send floods nobody")
        # Sent to unknown people only: logged, not kept.
        self.assertFalse(self.bcc("December news", to="nina@new.example", headers=BULK_HEADERS))
        log = self.last_log()
        self.assertEqual((log.outcome, log.rule, log.user_id), ("refused", "no_match", self.bob))
        self.assertIn("sent in bulk", log.trace)
        self.assertFalse(self.env["mail.capture.unmatched"].search([]))

    def test_a_received_bulk_mail_stays_screened(self):
        # A shared mailbox (info@) forwarded to the incoming-mail address: headers intact.
        self.company.lead_capture_inbound = True
        raw = self.build_mail(
            sender="news@shop.example",
            to="info@acme.example",
            subject="Shop news",
            headers=BULK_HEADERS,
        )
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw, envelope_to=self.company.lead_capture_inbound_email)
        self.assertFalse(self.filed("Shop news"))
        self.assertFalse(self.leads_of("news@shop.example"))
        self.assertEqual(self.last_log().rule, "automated")

    def test_create_lead_on_a_bulk_send_kept_earlier_works(self):
        # Kept for review before this version, as robot mail: "Create Lead" files it now.
        raw = self.build_mail(
            sender=self.bob.email,
            to="Nina New <nina@new.example>",
            subject="Old news",
            headers=BULK_HEADERS,
        )
        mail = email.message_from_bytes(raw, policy=email.policy.SMTP)
        item = self.env["mail.capture.unmatched"]._enqueue_mail(
            capture.captured_mail(mail, None),
            raw,
            self.bob,
            self.company,
            "it is bulk mail",
            "automated",
            source="capture",
            notify=False,
        )
        self.assertTrue(base64.b64decode(item.sudo().raw_message))
        action = item.with_user(self.bob).action_create_lead()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.partner_id.email_normalized, "nina@new.example")
        self.assertEqual(item.state, "created")

    def test_create_lead_on_a_received_newsletter_still_says_why_not(self):
        raw = self.build_mail(
            sender="news@shop.example", to=self.bob.email, subject="Shop", headers=BULK_HEADERS
        )
        mail = email.message_from_bytes(raw, policy=email.policy.SMTP)
        item = self.env["mail.capture.unmatched"]._enqueue_mail(
            capture.captured_mail(mail, None),
            raw,
            self.bob,
            self.company,
            "it is bulk mail",
            "automated",
            source="capture",
            notify=False,
        )
        with self.assertRaisesRegex(UserError, "bulk mail"):
            item.with_user(self.bob).action_create_lead()

    def test_a_bulk_send_in_the_sent_folder_is_synced_onto_each_lead(self):
        self.append(
            folder="Sent",
            sender=self.bob.email,
            to=self.TO,
            subject="November news",
            headers=BULK_HEADERS,
        )
        self.append(
            sender="news@shop.example", to=self.bob.email, subject="Shop news", headers=BULK_HEADERS
        )
        self.dovecot.create_folder(self.login, "Sent")
        self.sync(self.make_mailbox())
        messages = self.filed("November news")
        self.assertEqual(
            sorted(messages.mapped("res_id")), sorted([self.lead.id, self.lead_omar.id])
        )
        self.assertFalse(self.filed("Shop news"))


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestTrustedSenders(PeopleMixin, LeadCaptureHttpCase):
    """Ada (ada@agency.example, no Odoo account) works for Acme; her mail is filed as Bob's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.lead_capture_authserv_ids = "mx.acme.example"
        cls.Trusted = cls.env["mail.capture.trusted.sender"]
        cls.mia = new_test_user(
            cls.env,
            login="mia",
            email="mia@acme.example",
            name="Mia Manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
        )

    def ada_forwards(self, subject, results=None, sender="Ada Lovelace <ada@agency.example>"):
        raw = self.sample(
            "capture/gmail_forward.eml",
            forwarder=sender.split("<")[-1].rstrip(">"),
            forwarder_name="Ada Lovelace",
            capture=self.capture_address,
            customer="sue@client.example",
            customer_name="Sue Miller",
            subject=subject,
            text=f"About {subject}.",
            tag=subject.replace(" ", ""),
        )
        if results:
            raw = f"Authentication-Results: {results}\r\n".encode() + raw
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw)
        return self.filed(subject)

    def test_a_trusted_address_forwards_as_the_user_it_is_credited_to(self):
        self.Trusted.create({"entry": "Ada@Agency.example", "user_id": self.bob.id})
        message = self.ada_forwards("Lyon quote")
        lead = self.leads_of("sue@client.example")
        self.assertEqual(len(lead), 1)
        self.assertEqual((message.model, message.res_id), ("crm.lead", lead.id))
        self.assertEqual(lead.user_id, self.bob)
        self.assertEqual(message.author_id.email_normalized, "sue@client.example")
        self.assertNotIn(
            "ada@agency.example",
            (lead.partner_id | lead.contact_ids).mapped("email_normalized"),
            "the forwarder is on the company's side, not a contact",
        )
        log = self.last_log()
        self.assertEqual((log.outcome, log.user_id), ("created", self.bob))
        self.assertIn("ada@agency.example", message.lead_capture_trace)
        self.assertIn(self.bob.partner_id, message.notification_ids.res_partner_id, "Bob's inbox")

    def test_a_trusted_domain_covers_its_subdomains(self):
        self.Trusted.create({"entry": "agency.example", "user_id": self.karen.id})
        self.ada_forwards("Lyon quote", sender="Ada <ada@eu.agency.example>")
        self.assertEqual(self.leads_of("sue@client.example").user_id, self.karen)

    def test_without_trust_the_sender_is_refused_as_before(self):
        self.assertFalse(self.ada_forwards("Lyon quote"))
        self.assertEqual(self.last_log().rule, "not_a_user")

    def test_a_forged_trusted_sender_is_refused_silently(self):
        self.Trusted.create({"entry": "agency.example", "user_id": self.bob.id})
        forged = (
            "mx.acme.example; spf=fail smtp.mailfrom=evil.example; dkim=none; "
            "dmarc=fail (p=reject) header.from=agency.example"
        )
        self.sink.clear()
        self.assertFalse(self.ada_forwards("Wire the money", results=forged))
        log = self.last_log()
        self.assertEqual((log.outcome, log.rule), ("refused", "forged_sender"))
        self.assertFalse(self.leads_of("sue@client.example"))
        self.assertFalse(self.sink.sent_to("ada@agency.example"), "nobody answered")
        # Genuine mail from the same trusted domain goes through.
        genuine = GENUINE.replace("acme.example", "agency.example")
        self.assertTrue(self.ada_forwards("Lyon quote", results=genuine))

    def test_public_domains_and_outside_users_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "public mail provider"):
            self.Trusted.create({"entry": "gmail.com", "user_id": self.bob.id})
        with self.assertRaisesRegex(ValidationError, "neither an email address nor a domain"):
            self.Trusted.create({"entry": "ada at agency", "user_id": self.bob.id})
        other = self.env["res.company"].create({"name": "Globex"})
        with self.assertRaisesRegex(ValidationError, "not an internal user of Globex"):
            self.Trusted.create(
                {"entry": "ada@agency.example", "user_id": self.bob.id, "company_id": other.id}
            )
        self.Trusted.create({"entry": "karen.private@gmail.com", "user_id": self.karen.id})

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_only_sales_managers_manage_trusted_senders_over_rpc(self):
        self.authenticate("bob", "bob")
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.call_kw(
                "mail.capture.trusted.sender",
                "create",
                [{"entry": "me@home.example", "user_id": self.bob.id}],
            )
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.call_kw("mail.capture.trusted.sender", "search_read", [[], ["entry"]])
        self.assertFalse(self.Trusted.search([]))
        self.authenticate("mia", "mia")
        created = self.call_kw(
            "mail.capture.trusted.sender",
            "create",
            [{"entry": "ada@agency.example", "user_id": self.bob.id}],
        )
        self.assertEqual(self.Trusted.browse(created).user_id, self.bob)
        # Administrators find them in Settings too.
        self.authenticate("admin", "admin")
        settings = self.call_kw("res.config.settings", "create", [{}])
        action = self.call_kw(
            "res.config.settings", "action_lead_capture_trusted_senders", [settings]
        )
        self.assertEqual(action["res_model"], "mail.capture.trusted.sender")
        self.assertEqual(action["domain"], [["company_id", "=", self.company.id]])

    def test_another_companys_sales_manager_cannot_touch_our_trusted_senders_over_rpc(self):
        globex = self.env["res.company"].create({"name": "Globex"})
        for login, group in (("gia", "sale_manager"), ("gus", "sale_salesman")):
            new_test_user(
                self.env,
                login=login,
                email=f"{login}@globex.example",
                groups=f"sales_team.group_{group},base.group_user",
                company_id=globex.id,
                company_ids=[(6, 0, globex.ids)],
            )
        ada = self.Trusted.create({"entry": "ada@agency.example", "user_id": self.bob.id})
        gia = self.env["res.users"].search([("login", "=", "gia")])
        self.authenticate("gia", "gia")
        self.assertEqual(
            self.call_kw("mail.capture.trusted.sender", "search_read", [[], ["entry"]]), []
        )

        def refused(method, args, kwargs=None):
            with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
                self.call_kw("mail.capture.trusted.sender", method, args, kwargs)
            self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError")
            self.env.invalidate_all()

        refused("read", [ada.ids, ["entry", "user_id"]])
        refused("web_read", [ada.ids], {"specification": {"entry": {}}})
        refused("write", [ada.ids, {"entry": "mallory@evil.example"}])
        refused("unlink", [ada.ids])
        # Acme's mail filed as Bob's on Globex's word: refused, whatever company it names.
        refused(
            "create",
            [
                [
                    {
                        "entry": "mallory@evil.example",
                        "user_id": self.bob.id,
                        "company_id": self.company.id,
                    }
                ]
            ],
        )
        # Globex's own entry cannot be moved into Acme either.
        own = self.call_kw(
            "mail.capture.trusted.sender",
            "create",
            [[{"entry": "gia.assistant@globex.example", "user_id": gia.id}]],
        )
        self.assertEqual(self.Trusted.browse(own).company_id, globex)
        refused("write", [own, {"company_id": self.company.id, "user_id": self.bob.id}])
        self.assertEqual(self.Trusted.browse(own).company_id, globex)
        self.assertEqual((ada.entry, ada.user_id), ("ada@agency.example", self.bob))
        self.assertEqual(self.Trusted.search([("company_id", "=", self.company.id)]), ada)
        # A salesperson, of either company, creates none.
        self.authenticate("gus", "gus")
        refused("create", [[{"entry": "gus.helper@globex.example", "user_id": gia.id}]])
        self.authenticate("bob", "bob")
        refused("create", [[{"entry": "bob.helper@acme.example", "user_id": self.bob.id}]])
        self.assertEqual(len(self.Trusted.search([])), 2)
