import contextlib
import re
import xmlrpc.client
from datetime import UTC
from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools.filing import Filing
from .common import LeadCaptureCase

GATEWAY_LOGGERS = ("odoo.addons.mail.models.mail_thread", "odoo.addons.mail.models.mail_mail")


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestCaptureAddress(LeadCaptureCase):
    """Mail forwarded or BCC'd to the company's capture address, through the real gateway."""

    def setUp(self):
        super().setUp()
        self.Lead = self.env["crm.lead"]

    def gmail_forward(
        self,
        sender=None,
        customer="sue.miller@yahoo.com",
        customer_name="Sue Miller",
        subject="Catering for 40 people",
        text="Could you send a quote?",
        tag="t",
    ):
        sender = sender or self.bob
        return self.sample(
            "capture/gmail_forward.eml",
            forwarder=sender.email,
            forwarder_name=sender.name,
            capture=self.capture_address,
            customer=customer,
            customer_name=customer_name,
            subject=subject,
            text=text,
            tag=tag,
        )

    # ------------------------------------------------------------
    # THE ADDRESS
    # ------------------------------------------------------------

    def test_capture_address_is_secret_and_regenerates(self):
        local, _at, domain = self.capture_address.partition("@")
        self.assertEqual(domain, "acme.example")
        token = local.removeprefix("leads-")
        self.assertGreaterEqual(len(token), 12)
        old = self.capture_address
        self.company.action_lead_capture_regenerate_alias()
        self.assertNotEqual(self.company.lead_capture_email, old)
        # The old address stops working at once: nothing routes to it any more.
        with mute_logger(*GATEWAY_LOGGERS), self.assertRaises(ValueError):
            self.deliver(
                self.build_mail(sender=self.bob.email, to="sue@customer.example"), envelope_to=old
            )

    def test_every_company_gets_its_own_address(self):
        other = self.env["res.company"].create(
            {"name": "Other Co", "alias_domain_id": self.alias_domain.id}
        )
        self.assertTrue(other.lead_capture_email)
        self.assertNotEqual(other.lead_capture_email, self.capture_address)

    # ------------------------------------------------------------
    # BCC AND DIRECTION
    # ------------------------------------------------------------

    @mute_logger(*GATEWAY_LOGGERS)
    def test_bcc_outgoing_mail_to_two_new_people_makes_one_lead_with_two_contacts(self):
        raw = self.build_mail(
            sender=f"{self.bob.name} <{self.bob.email}>",
            to="Priya Natarajan <priya@wayne.example>, Tom Becker <TOM.BECKER@Wayne.example>",
            subject="Your warehouse tour",
            body="Hello Priya, hello Tom,\n\nSee you Thursday.\n",
        )
        lead_id = self.deliver(raw, envelope_to=self.capture_address)
        lead = self.Lead.browse(lead_id)
        self.assertEqual(
            lead.name, "Priya Natarajan", "an outgoing mail's lead is named after its recipient"
        )
        self.assertEqual(lead.user_id, self.bob)
        self.assertEqual(lead.team_id, self.bob_team, "the lead joins the salesperson's team")
        self.assertEqual(
            sorted((lead.partner_id | lead.contact_ids).mapped("email_normalized")),
            ["priya@wayne.example", "tom.becker@wayne.example"],
        )
        message = self.lead_messages(lead)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.bob.partner_id)
        self.assertEqual(message.lead_capture_direction, "outgoing")
        self.assertEqual(message.subject, "Your warehouse tour")
        self.assertIn("See you Thursday", message.body)
        self.assertIn("New lead", message.lead_capture_trace)
        self.assertEqual(self.last_log().outcome, "created")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_bcc_is_recognised_by_every_envelope_header(self):
        for header in ("Delivered-To", "X-Original-To", "Envelope-To"):
            with self.subTest(header=header):
                customer = f"{header.lower()}@customer.example"
                raw = self.build_mail(sender=self.bob.email, to=customer, subject=f"via {header}")
                lead_id = self.deliver(
                    raw, envelope_to=self.capture_address, envelope_header=header
                )
                self.assertTrue(lead_id, f"BCC through {header} was not captured")
                self.assertEqual(self.Lead.browse(lead_id).partner_id.email_normalized, customer)

    @mute_logger(*GATEWAY_LOGGERS)
    def test_existing_partners_are_reused_not_duplicated(self):
        priya = self.env["res.partner"].create({"name": "Priya N.", "email": "priya@wayne.example"})
        raw = self.build_mail(sender=self.bob.email, to="Priya <Priya@WAYNE.example>")
        lead = self.Lead.browse(self.deliver(raw, envelope_to=self.capture_address))
        self.assertEqual(lead.partner_id, priya)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email_normalized", "=", "priya@wayne.example")]
            ),
            1,
        )

    # ------------------------------------------------------------
    # FORWARDS
    # ------------------------------------------------------------

    @mute_logger(*GATEWAY_LOGGERS)
    def test_gmail_forward_of_a_customer_mail_creates_a_lead_named_after_the_customer(self):
        lead = self.Lead.browse(self.deliver(self.gmail_forward()))
        self.assertEqual(lead.name, "Sue Miller")
        self.assertEqual(lead.partner_id.email_normalized, "sue.miller@yahoo.com")
        self.assertEqual(lead.user_id, self.bob, "the forwarding user is the salesperson")
        message = self.lead_messages(lead)
        self.assertEqual(message.author_id, lead.partner_id, "credited to the original sender")
        self.assertEqual(message.lead_capture_direction, "incoming")
        self.assertEqual(message.subject, "Catering for 40 people")
        self.assertIn("Could you send a quote?", message.body)
        self.assertNotIn(
            "For the CRM", message.body, "the forwarder's note is not the customer's mail"
        )
        self.assertEqual(lead.email_last_date, message.date, "Last Email is the mail's own date")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_incoming_mail_lands_in_the_forwarders_inbox(self):
        lead = self.Lead.browse(self.deliver(self.gmail_forward()))
        message = self.lead_messages(lead)
        notification = self.env["mail.notification"].search(
            [("mail_message_id", "=", message.id), ("res_partner_id", "=", self.bob.partner_id.id)]
        )
        self.assertEqual(notification.notification_type, "inbox")
        # Karen prefers email notifications, yet captured mail still goes to her Odoo inbox only.
        lead_k = self.Lead.browse(
            self.deliver(
                self.gmail_forward(
                    sender=self.karen, customer="ann@client.example", customer_name="Ann", tag="k"
                )
            )
        )
        message_k = self.lead_messages(lead_k)
        notif_k = self.env["mail.notification"].search([("mail_message_id", "=", message_k.id)])
        self.assertEqual(notif_k.res_partner_id, self.karen.partner_id)
        self.assertEqual(notif_k.notification_type, "inbox")
        self.assertFalse(
            self.sink.sent_to(self.karen.email), "no email copy of a mail she forwarded"
        )

    @mute_logger(*GATEWAY_LOGGERS)
    def test_forward_of_own_sent_mail_is_outgoing_and_named_after_recipient(self):
        raw = self.gmail_forward(customer=self.bob.email, customer_name=self.bob.name)
        # Bob forwards a mail he himself wrote to a customer: the original's To is the customer.
        raw = raw.replace(f"To: {self.bob.name} &lt;".encode(), b"To: Ann Lee &lt;").replace(
            f"To: {self.bob.name} <{self.bob.email}>\r\n\r\n\r\nHello".encode(),
            b"To: Ann Lee <ann@client.example>\r\n\r\n\r\nHello",
        )
        lead = self.Lead.browse(self.deliver(raw))
        self.assertEqual(lead.name, "Ann Lee")
        self.assertEqual(self.lead_messages(lead).lead_capture_direction, "outgoing")

    # ------------------------------------------------------------
    # MATCHING
    # ------------------------------------------------------------

    @mute_logger(*GATEWAY_LOGGERS)
    def test_mail_goes_on_the_lead_whose_contact_appears_in_it(self):
        sue = self.env["res.partner"].create({"name": "Sue", "email": "sue.miller@yahoo.com"})
        by_partner = self.Lead.create(
            {"name": "Sue's lead", "partner_id": sue.id, "user_id": self.bob.id}
        )
        lead_id = self.deliver(self.gmail_forward(customer="Sue.Miller@YAHOO.com"))
        self.assertEqual(lead_id, by_partner.id)
        self.assertIn(
            "sue.miller@yahoo.com is one of its contacts",
            self.lead_messages(by_partner).lead_capture_trace,
        )

    @mute_logger(*GATEWAY_LOGGERS)
    def test_contacts_and_lead_email_match_too(self):
        tom = self.env["res.partner"].create({"name": "Tom", "email": "tom@wayne.example"})
        by_contact = self.Lead.create({"name": "Wayne deal", "contact_ids": [(4, tom.id)]})
        by_email = self.Lead.create({"name": "Gotham deal", "email_from": "ceo@gotham.example"})
        raw = self.build_mail(sender=self.bob.email, to="tom@wayne.example")
        self.assertEqual(self.deliver(raw, envelope_to=self.capture_address), by_contact.id)
        raw = self.build_mail(sender=self.bob.email, to="CEO@gotham.example")
        self.assertEqual(self.deliver(raw, envelope_to=self.capture_address), by_email.id)

    @mute_logger(*GATEWAY_LOGGERS)
    def test_several_matches_go_on_the_most_recently_active_and_name_the_others(self):
        old = self.Lead.create({"name": "Old deal", "email_from": "sue@customer.example"})
        recent = self.Lead.create({"name": "Recent deal", "email_from": "sue@customer.example"})
        self.env.cr.execute(
            "UPDATE crm_lead SET write_date = now() - interval '30 days' WHERE id = %s", [old.id]
        )
        old.invalidate_recordset(["write_date"])
        raw = self.build_mail(sender=self.bob.email, to="sue@customer.example")
        self.assertEqual(self.deliver(raw, envelope_to=self.capture_address), recent.id)
        trace = self.lead_messages(recent).lead_capture_trace
        self.assertIn("Old deal", trace)

    @mute_logger(*GATEWAY_LOGGERS)
    def test_retroactive_assignment_after_adding_an_address_to_a_lead(self):
        lead = self.Lead.create({"name": "Globex", "user_id": self.bob.id})
        hank = self.env["res.partner"].create({"name": "Hank", "email": "hank@globex.example"})
        lead.contact_ids = [(4, hank.id)]
        lead_id = self.deliver(
            self.gmail_forward(customer="hank@globex.example", customer_name="Hank")
        )
        self.assertEqual(lead_id, lead.id, "an older mail from the new address joins the lead")

    # ------------------------------------------------------------
    # ONE MAIL, ONE MESSAGE
    # ------------------------------------------------------------

    @mute_logger(*GATEWAY_LOGGERS)
    def test_same_mail_forwarded_inline_attached_and_synced_is_stored_once(self):
        """Sue writes to Bob; the mail reaches the CRM three ways and is stored once."""
        original_id = self.message_id("original")
        text = "We would like the same menu as last year."
        lead = self.Lead.create(
            {"name": "Sue", "email_from": "sue.miller@yahoo.com", "user_id": self.bob.id}
        )
        # 1. Bob forwards it inline from Gmail: the original's Message-Id is lost.
        self.deliver(self.gmail_forward(subject="Catering", text=text, tag="a"))
        self.assertEqual(len(self.lead_messages(lead)), 1)
        # 2. Bob forwards it again, as an attachment: recognised by sender, subject and words.
        self.deliver(
            self.sample(
                "capture/forward_as_attachment.eml",
                forwarder=self.bob.email,
                forwarder_name=self.bob.name,
                capture=self.capture_address,
                customer="sue.miller@yahoo.com",
                customer_name="Sue Miller",
                subject="Catering",
                text=text,
                tag="b",
                original_id=original_id,
            )
        )
        self.assertEqual(len(self.lead_messages(lead)), 1)
        self.assertEqual(self.last_log().outcome, "duplicate")
        # 3. The original itself arrives through mailbox sync.
        original = self.build_mail(
            sender="Sue Miller <sue.miller@yahoo.com>",
            to=f"Bob <{self.bob.email}>",
            subject="Catering",
            body=f"Hello,\n\n{text}\n\nThanks,\nSue Miller\n",
            message_id=original_id,
            date=datetime(
                2026, 11, 24, 17, 2, tzinfo=UTC
            ),  # "Tue, Nov 24, 2026 at 6:02 PM" (+01:00)
        )
        self.env["mail.capture.engine"]._file_mail(
            *self._captured(original), Filing(self.company.id, self.bob.id, "sync")
        )
        self.assertEqual(len(self.lead_messages(lead)), 1)
        self.assertEqual(self.last_log().outcome, "duplicate")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_copies_with_the_same_message_id_but_changed_subject_or_text_are_stored_once(self):
        """Gateways tag subjects and prepend banners: the Message-Id still says it is one mail.

        Each copy comes in a forward of its own (a new outer Message-Id, so Odoo's gateway does not
        drop it) and differs from the first in what the fingerprint reads (subject, opening words):
        only the original's Message-Id can tell.
        """
        original_id = self.message_id("tagged")
        text = "Could you send the revised quote for the Osaka office?"
        lead = self.Lead.create(
            {"name": "Sue", "email_from": "sue.miller@yahoo.com", "user_id": self.bob.id}
        )
        copies = [
            ("Quote", text),
            ("[EXTERNAL] Quote", text),  # the subject tagged by a mail gateway
            (
                "Quote",
                "CAUTION: This email originated from outside the organisation. Do not click "
                f"links unless you recognise the sender.\n\n{text}",  # a banner prepended
            ),
            ("RE: [EXT] Quote", f"{text}\n\n-- \nThis message is confidential."),
        ]
        for n, (subject, body) in enumerate(copies):
            self.deliver(
                self.sample(
                    "capture/forward_as_attachment.eml",
                    forwarder=self.bob.email,
                    forwarder_name=self.bob.name,
                    capture=self.capture_address,
                    customer="sue.miller@yahoo.com",
                    customer_name="Sue Miller",
                    subject=subject,
                    text=body,
                    tag=f"copy{n}",
                    original_id=original_id,
                )
            )
            self.assertEqual(len(self.lead_messages(lead)), 1, f"copy {n}: {subject}")
            if n:
                self.assertEqual(self.last_log().outcome, "duplicate", f"copy {n}")
        self.assertEqual(self.lead_messages(lead).message_id, original_id)

    @mute_logger(*GATEWAY_LOGGERS)
    def test_same_bcc_copy_delivered_twice_is_stored_once(self):
        raw = self.build_mail(sender=self.bob.email, to="rita@client.example")
        lead_id = self.deliver(raw, envelope_to=self.capture_address)
        self.deliver(raw, envelope_to=self.capture_address)
        self.assertEqual(len(self.lead_messages(self.Lead.browse(lead_id))), 1)

    def _captured(self, raw):
        import email as email_lib  # noqa: PLC0415

        message = email_lib.message_from_bytes(raw, policy=email_lib.policy.SMTP)
        msg_dict = self.env["mail.thread"].message_parse(message)
        mail, content = self.env["mail.capture.engine"]._prepare_filing(message, msg_dict)
        return mail, content

    # ------------------------------------------------------------
    # WHO MAY USE IT
    # ------------------------------------------------------------

    @mute_logger(*GATEWAY_LOGGERS)
    def test_a_user_may_send_from_their_login(self):
        self.bob.login = "bob.builder@acme-login.example"
        raw = self.build_mail(sender="bob.builder@acme-login.example", to="zed@zed.example")
        self.assertTrue(self.deliver(raw, envelope_to=self.capture_address))

    @mute_logger(*GATEWAY_LOGGERS)
    def test_non_user_gets_one_explanation_and_nothing_is_stored(self):
        leads_before = self.Lead.search_count([])
        raw = self.build_mail(
            sender="Mallory <mallory@evil.example>", to=self.capture_address, subject="Let me in"
        )
        self.assertFalse(self.deliver(raw))
        self.assertEqual(self.Lead.search_count([]), leads_before)
        self.assertFalse(
            self.env["mail.capture.unmatched"].search([("sender", "=", "mallory@evil.example")]),
            "mail from someone who is not a user is not queued either",
        )
        replies = self.sink.sent_to("mallory@evil.example")
        self.assertEqual(len(replies), 1)
        self.assertIn("only accepts mail sent by the company's users", replies[0].text)
        self.assertEqual(replies[0].message["Auto-Submitted"], "auto-replied")
        log = self.last_log()
        self.assertEqual(
            (log.outcome, log.rule, log.sender), ("refused", "not_a_user", "mallory@evil.example")
        )
        admin_notes = self.env["mail.message"].search(
            [
                ("model", "=", "mail.capture.log"),
                ("res_id", "=", log.id),
                ("partner_ids", "in", self.admin.partner_id.ids),
            ]
        )
        self.assertTrue(admin_notes, "administrators are told in Odoo")
        # A second mail the same day: stored nowhere, and no second reply (rate limit).
        self.deliver(self.build_mail(sender="mallory@evil.example", to=self.capture_address))
        self.assertEqual(len(self.sink.sent_to("mallory@evil.example")), 1)

    @mute_logger(*GATEWAY_LOGGERS)
    def test_a_reply_to_the_explanation_gives_the_mailgate_an_answer_it_can_carry(self):
        """Odoo's loop check ignores the reply; the mailgate still gets False, not None (which
        XML-RPC cannot send, so that Postfix bounced the reply as an internal software error)."""
        self.deliver(self.build_mail(sender="stranger@elsewhere.example", to=self.capture_address))
        explanation = self.sink.sent_to("stranger@elsewhere.example")[0].message
        self.assertIn("-loop-detection-bounce-email@", explanation["References"])
        reply = self.build_mail(
            sender="stranger@elsewhere.example",
            to=self.capture_address,
            subject=f"Re: {explanation['Subject']}",
            headers={
                "In-Reply-To": explanation["Message-ID"],
                "References": explanation["References"],
            },
        )
        result = self.deliver(reply)
        self.assertIs(result, False)
        xmlrpc.client.dumps((result,), methodresponse=True)  # what the mailgate's server does
        self.assertEqual(len(self.sink.sent_to("stranger@elsewhere.example")), 1, "no answer")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_robots_never_get_an_explanation(self):
        for sender, headers in (
            ("noreply@shop.example", {}),
            ("news@shop.example", {"Auto-Submitted": "auto-generated"}),
        ):
            with self.subTest(sender=sender):
                self.deliver(
                    self.build_mail(sender=sender, to=self.capture_address, headers=headers)
                )
                self.assertFalse(self.sink.sent_to(sender))
                self.assertEqual(self.last_log().outcome, "refused")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_alternate_address_works_only_once_confirmed(self):
        address = (
            self.env["mail.capture.address"]
            .with_user(self.bob)
            .create({"email": "Bob.B@Home.example"})
        )
        self.assertEqual(address.state, "pending")
        raw = self.build_mail(
            sender="bob.b@home.example", to="yan@client.example", subject="pending"
        )
        self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        link_mail = [
            mail
            for mail in self.sink.sent_to("bob.b@home.example")
            if mail.message["Subject"].startswith("Confirm")
        ]
        self.assertEqual(len(link_mail), 1, "a confirmation link is mailed to the new address")
        html = link_mail[0].message.get_body(preferencelist=("html",)).get_content()
        token = re.search(rf"/mail_lead_capture/confirm/{address.id}/([\w-]+)", html).group(1)
        self.assertEqual(address._confirm("wrong-token"), "invalid")
        self.assertEqual(address._confirm(token), "confirmed")
        self.assertEqual(address._confirm(token), "already", "the link works once")
        raw = self.build_mail(
            sender="bob.b@home.example", to="yan@client.example", subject="confirmed"
        )
        self.assertTrue(self.deliver(raw, envelope_to=self.capture_address))

    @mute_logger(*GATEWAY_LOGGERS)
    def test_confirmation_links_expire(self):
        address = (
            self.env["mail.capture.address"]
            .with_user(self.bob)
            .create({"email": "bob@old-job.example"})
        )
        html = (
            self.sink.sent_to("bob@old-job.example")[0]
            .message.get_body(preferencelist=("html",))
            .get_content()
        )
        token = re.search(rf"/mail_lead_capture/confirm/{address.id}/([\w-]+)", html).group(1)
        address.sudo().token_expiry = datetime(2020, 1, 1)
        self.assertEqual(address._confirm(token), "expired")
        self.assertEqual(address.state, "pending")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_addresses_match_whatever_their_case_or_idn_spelling(self):
        lead = self.Lead.create({"name": "Bücher", "email_from": "Info@Bücher.example"})
        raw = self.build_mail(sender=self.bob.email, to="INFO@xn--bcher-kva.example")
        self.assertEqual(self.deliver(raw, envelope_to=self.capture_address), lead.id)

    # ------------------------------------------------------------
    # FAILURES ARE EXPLAINED AND NOTHING IS LOST
    # ------------------------------------------------------------

    @mute_logger(*GATEWAY_LOGGERS)
    def test_mail_between_colleagues_is_refused_explained_and_kept(self):
        raw = self.build_mail(sender=self.bob.email, to=self.karen.email, subject="Lunch?")
        self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        told = self.sink.sent_to(self.bob.email)
        self.assertEqual(len(told), 1)
        self.assertIn("Lunch?", told[0].text)
        kept = self.env["mail.capture.unmatched"].search([("user_id", "=", self.bob.id)])
        self.assertEqual(kept.subject, "Lunch?")
        self.assertTrue(kept.sudo().raw_message, "the raw mail is kept")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_mail_whose_every_outside_participant_is_blocked_is_refused_and_explained(self):
        self.env["mail.capture.block"].create({"entry": "spam.example"})
        self.env["mail.capture.block"].create({"entry": "pat@vendor.example"})
        raw = self.build_mail(
            sender=self.bob.email, to="a@spam.example, Pat <pat@vendor.example>", subject="Offers"
        )
        self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        self.assertEqual(self.last_log().rule, "blocked")
        self.assertIn("blocked", self.sink.sent_to(self.bob.email)[0].text)
        self.assertFalse(self.env["res.partner"].search([("email", "=", "pat@vendor.example")]))
        # One outside participant who is not blocked is enough, and only that one counts.
        raw = self.build_mail(sender=self.bob.email, to="a@spam.example, kim@client.example")
        lead = self.Lead.browse(self.deliver(raw, envelope_to=self.capture_address))
        self.assertEqual(
            (lead.partner_id | lead.contact_ids).mapped("email"), ["kim@client.example"]
        )

    @mute_logger(*GATEWAY_LOGGERS)
    def test_encrypted_mail_is_unreadable_and_explained(self):
        raw = self.sample(
            "capture/encrypted.eml",
            forwarder=self.bob.email,
            forwarder_name=self.bob.name,
            tag="enc",
        )
        self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        self.assertEqual(self.last_log().rule, "unreadable")
        self.assertIn("encrypted", self.sink.sent_to(self.bob.email)[0].text)

    @mute_logger(*GATEWAY_LOGGERS)
    def test_attachment_over_the_limit_is_refused_and_explained(self):
        self.env["ir.config_parameter"].sudo().set_param("mail_lead_capture.max_attachment_mb", "1")
        raw = self.build_mail(
            sender=self.bob.email,
            to="big@client.example",
            subject="Plans",
            attachments=[("plans.pdf", b"%PDF" + b"0" * (1024 * 1024 + 10), "application/pdf")],
        )
        self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        self.assertEqual(self.last_log().rule, "attachment_too_large")
        self.assertIn("plans.pdf", self.sink.sent_to(self.bob.email)[0].text)

    # ------------------------------------------------------------
    # A LEAD FOR EVERY INCOMING EMAIL
    # ------------------------------------------------------------

    @mute_logger(*GATEWAY_LOGGERS)
    def test_incoming_mail_address_accepts_anyone_and_files_by_sender(self):
        self.company.lead_capture_inbound = True
        inbound = self.company.lead_capture_inbound_email
        self.assertTrue(inbound and inbound != self.capture_address)
        raw = self.build_mail(
            sender="Olga Petrova <olga@client.example>",
            to="contact@acme.example",
            subject="Question about prices",
        )
        lead = self.Lead.browse(self.deliver(raw, envelope_to=inbound))
        self.assertEqual(lead.name, "Olga Petrova")
        self.assertEqual(self.lead_messages(lead).lead_capture_direction, "incoming")
        raw = self.build_mail(
            sender="olga@client.example", to="contact@acme.example", subject="Follow-up"
        )
        self.assertEqual(
            self.deliver(raw, envelope_to=inbound), lead.id, "the sender's lead is reused"
        )
        self.assertFalse(
            self.sink.sent_to("olga@client.example"), "senders are never refused there"
        )

    @mute_logger(*GATEWAY_LOGGERS, "odoo.addons.mail.models.mail_thread")
    def test_switching_the_incoming_mail_address_off_removes_it(self):
        self.company.lead_capture_inbound = True
        inbound = self.company.lead_capture_inbound_email
        self.company.lead_capture_inbound = False
        self.assertFalse(self.company.lead_capture_inbound_alias_id)
        self.assertFalse(self.env["mail.alias"].search([("alias_full_name", "=", inbound)]))
        leads_before = self.Lead.search_count([])
        raw = self.build_mail(sender="olga@client.example", to=inbound, subject="Too late")
        with contextlib.suppress(ValueError):  # no route: Odoo bounces the mail
            self.deliver(raw, envelope_to=inbound)
        self.assertEqual(self.Lead.search_count([]), leads_before, "no lead from a removed address")


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestCaptureLogAccess(LeadCaptureCase):
    """The Capture Log is a record of what happened: salespeople read their own, change nothing."""

    def test_salespeople_read_the_capture_log_but_cannot_write_create_or_delete(self):
        Log = self.env["mail.capture.log"]
        entry = Log.sudo().create(
            {
                "company_id": self.company.id,
                "user_id": self.bob.id,
                "source": "capture",
                "outcome": "refused",
                "trace": "Refused: the sender may not use the capture address.",
                "subject": "Hello",
            }
        )
        Access = self.env["ir.model.access"].with_user(self.bob)
        self.assertTrue(Access.check("mail.capture.log", "read", raise_exception=False))
        for mode in ("write", "create", "unlink"):
            self.assertFalse(
                Access.check("mail.capture.log", mode, raise_exception=False),
                f"salespeople must not have {mode} on the Capture Log",
            )
        mine = entry.with_user(self.bob)
        self.assertEqual(mine.outcome, "refused", "Bob reads his own entries")
        with self.assertRaises(AccessError):
            mine.write({"outcome": "captured", "trace": "Filed on a lead."})
        with self.assertRaises(AccessError):
            mine.unlink()
        with self.assertRaises(AccessError):
            Log.with_user(self.bob).create(
                {"company_id": self.company.id, "source": "capture", "outcome": "captured"}
            )
        self.assertEqual(entry.sudo().outcome, "refused")
