import re

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LeadCaptureHttpCase
from .test_capture import GATEWAY_LOGGERS


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestCaptureTours(LeadCaptureHttpCase):
    """What users do in the web client, driven in headless Chromium."""

    def test_admin_copies_and_regenerates_the_capture_address(self):
        old = self.company.lead_capture_email
        self.start_tour("/odoo", "mail_lead_capture_copy_address", login="admin")
        self.assertNotEqual(self.company.lead_capture_email, old)
        self.assertTrue(self.company.lead_capture_email.startswith("leads-"))

    def test_user_adds_and_confirms_an_alternate_address(self):
        self.start_tour("/odoo", "mail_lead_capture_add_alternate_address", login="bob")
        address = self.bob.lead_capture_address_ids
        self.assertEqual((address.email, address.state), ("bob.home@example.org", "pending"))
        mails = [
            m
            for m in self.sink.sent_to("bob.home@example.org")
            if m.message["Subject"].startswith("Confirm")
        ]
        self.assertEqual(len(mails), 1, "the confirmation link was mailed")
        html = mails[0].message.get_body(preferencelist=("html",)).get_content()
        link = re.search(r'href="[^"]*(/mail_lead_capture/confirm/[^"]+)"', html).group(1)
        page = self.url_open(link)  # the link, opened from the mailbox, with no Odoo session
        self.assertEqual(page.status_code, 200)
        self.assertIn("Confirm this address", page.text)
        self.assertEqual(address.state, "pending", "opening the link only shows a button")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        page = self.url_open(link, data={"csrf_token": csrf})  # the button
        self.assertEqual(page.status_code, 200)
        self.assertIn("Address confirmed", page.text)
        self.assertEqual(address.state, "verified")
        self.assertIn("Already confirmed", self.url_open(link).text, "the link works once")
        self.start_tour("/odoo", "mail_lead_capture_alternate_address_confirmed", login="bob")

    def test_user_links_creates_and_discards_unmatched_mail(self):
        self.company.lead_capture_no_match = "review"
        target = self.env["crm.lead"].create({"name": "Tour target deal", "user_id": self.bob.id})
        for subject, to in (
            ("Item to link", "yves@client.example"),
            ("Item to create", "Zoe Tour <zoe@client.example>"),
            ("Item to discard", "spam@client.example"),
        ):
            raw = self.build_mail(
                sender=self.bob.email, to=to, subject=subject, body=f"{subject}.\n"
            )
            with mute_logger(*GATEWAY_LOGGERS):
                self.deliver(raw, envelope_to=self.capture_address)
        Unmatched = self.env["mail.capture.unmatched"]
        self.assertEqual(
            Unmatched.search_count([("user_id", "=", self.bob.id), ("state", "=", "pending")]), 3
        )
        self.start_tour("/odoo", "mail_lead_capture_unmatched", login="bob")
        states = {
            item.subject: item.state for item in Unmatched.search([("user_id", "=", self.bob.id)])
        }
        self.assertEqual(
            states,
            {"Item to link": "linked", "Item to create": "created", "Item to discard": "discarded"},
        )
        self.assertEqual(Unmatched.search([("subject", "=", "Item to link")]).lead_id, target)
