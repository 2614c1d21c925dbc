from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LeadCaptureCase
from .test_capture import GATEWAY_LOGGERS


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestReviewNotices(LeadCaptureCase):
    """Every mail kept for review gets its owner one email: the reason and a link to the item.

    Bob prefers Odoo's inbox for notifications: the email reaches him all the same (through the
    real SMTP sink), since mail that waits for a choice is easy to miss there.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Unmatched = cls.env["mail.capture.unmatched"]

    def assertToldOnce(self, item, *phrases):
        """One email to Bob naming ``item``'s subject and ``phrases`` (its reason), with its link."""
        self.assertEqual(len(item), 1)
        told = self.sink.sent_to(self.bob.email)
        self.assertEqual(len(told), 1, [mail.message["Subject"] for mail in told])
        self.assertIn(item.subject, told[0].message["Subject"])
        for phrase in phrases:
            self.assertIn(phrase, told[0].text)
        html = told[0].message.get_body(preferencelist=("html",)).get_content()
        self.assertIn(f"model=mail.capture.unmatched&amp;res_id={item.id}", html)
        return told[0]

    def test_a_name_only_forward_is_emailed_with_its_reason_and_link(self):
        raw = self.name_only_forward(tag="notice1")
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertFalse(self.deliver(raw))
        item = self.Unmatched.search([("user_id", "=", self.bob.id)])
        self.assertEqual(item.rule, "name_only")
        self.assertToldOnce(item, "Walter Bishop")

    def test_an_ask_me_choice_is_emailed_with_the_leads_to_choose_from(self):
        self.company.lead_capture_multi_match = "ask"
        self.env["crm.lead"].create({"name": "Deal A", "email_from": "omar@client.example"})
        self.env["crm.lead"].create({"name": "Deal B", "email_from": "omar@client.example"})
        raw = self.build_mail(sender=self.bob.email, to="omar@client.example", subject="Which?")
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        item = self.Unmatched.search([("subject", "=", "Which?")])
        self.assertEqual(item.rule, "ambiguous")
        self.assertToldOnce(item, "Deal A", "Deal B")

    def test_an_error_is_emailed_with_the_error(self):
        engine = type(self.env["mail.capture.engine"])
        with (
            patch.object(engine, "_post_on_lead", side_effect=RuntimeError("disk on fire")),
            mute_logger(
                *GATEWAY_LOGGERS, "odoo.addons.mail_lead_capture.models.mail_capture_engine"
            ),
        ):
            raw = self.build_mail(sender=self.bob.email, to="f@client.example", subject="Fire")
            self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        item = self.Unmatched.search([("subject", "=", "Fire")])
        self.assertEqual(item.rule, "error")
        self.assertToldOnce(item, "disk on fire")

    def test_a_refused_forward_gets_one_email_with_the_link(self):
        # Mail between colleagues: the forwarder's explanation is the one email, and links it.
        raw = self.build_mail(sender=self.bob.email, to=self.karen.email, subject="Lunch?")
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        item = self.Unmatched.search([("subject", "=", "Lunch?")])
        self.assertEqual(item.rule, "internal")
        self.assertToldOnce(item, "Lunch?")

    def test_a_repeat_of_a_waiting_mail_is_not_emailed_again(self):
        self.company.lead_capture_no_match = "review"
        raw = self.build_mail(sender=self.bob.email, to="nadia@client.example", subject="Again")
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
            item = self.Unmatched.search([("subject", "=", "Again")])
            self.assertToldOnce(item, "nadia@client.example")
            # The same mail kept again (replayed and refused): the pending item is reused.
            self.env["mail.capture.engine"].sudo()._keep_raw(
                b"Delivered-To: " + self.capture_address.encode() + b"\r\n" + raw,
                "kept again",
                "test",
            )
        self.assertEqual(len(self.sink.sent_to(self.bob.email)), 1)
