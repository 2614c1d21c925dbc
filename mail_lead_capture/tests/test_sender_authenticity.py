"""Forged senders: the company's own servers' Authentication-Results decide, through the gateway."""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LeadCaptureCase
from .test_capture import GATEWAY_LOGGERS

FORGED = (
    "mx.acme.example; spf=fail smtp.mailfrom=evil.example; dkim=none; "
    "dmarc=fail (p=reject) header.from=acme.example"
)
GENUINE = (
    "mx.acme.example; spf=pass smtp.mailfrom=acme.example; dkim=pass header.d=acme.example; "
    "dmarc=pass header.from=acme.example"
)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestSenderAuthenticity(LeadCaptureCase):
    """Acme's mail is received by mx.acme.example, which signs its Authentication-Results."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.lead_capture_authserv_ids = "mx.acme.example"

    def bcc(self, subject, results=None, sender=None):
        """A BCC 'from' Bob to a new customer, with the given Authentication-Results header."""
        headers = {"Authentication-Results": results} if results else {}
        raw = self.build_mail(
            sender=sender or f"{self.bob.name} <{self.bob.email}>",
            to=f"Ivy Quinn <ivy@client.example>, {self.capture_address}",
            subject=subject,
            headers=headers,
        )
        self.deliver(raw, envelope_to=self.capture_address)
        return self.env["crm.lead"].search(
            [("partner_id.email_normalized", "=", "ivy@client.example")]
        )

    def admin_told(self, log):
        return self.env["mail.message"].search(
            [
                ("model", "=", "mail.capture.log"),
                ("res_id", "=", log.id),
                ("partner_ids", "in", self.admin.partner_id.ids),
            ]
        )

    @mute_logger(*GATEWAY_LOGGERS)
    def test_a_mail_forged_in_a_users_name_is_refused_silently_and_admins_are_told(self):
        self.assertFalse(self.bcc("Transfer the money", FORGED))
        log = self.last_log()
        self.assertEqual((log.outcome, log.rule), ("refused", "forged_sender"))
        self.assertFalse(log.user_id, "not filed in Bob's name, not in his log")
        self.assertIn("DMARC", log.trace)
        self.assertIn("mx.acme.example", log.trace)
        self.assertFalse(self.sink.sent_to(self.bob.email), "no explanation to the forged address")
        self.assertFalse(
            self.env["mail.capture.unmatched"].search([("subject", "=", "Transfer the money")])
        )
        self.assertTrue(self.admin_told(log))

    @mute_logger(*GATEWAY_LOGGERS)
    def test_spf_fail_without_the_domains_dkim_is_forged_too(self):
        results = (
            "mx.acme.example; spf=fail smtp.mailfrom=acme.example; dkim=pass header.d=evil.example"
        )
        self.assertFalse(self.bcc("SPF only", results))
        self.assertEqual(self.last_log().rule, "forged_sender")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_a_forged_outsider_gets_no_explanation_either(self):
        results = "mx.acme.example; spf=fail smtp.mailfrom=x.example; dmarc=fail header.from=client.example"
        self.bcc("Hello", results, sender="ivy@client.example")
        log = self.last_log()
        self.assertEqual(log.rule, "forged_sender")
        self.assertFalse(self.sink.sent_to("ivy@client.example"))

    @mute_logger(*GATEWAY_LOGGERS)
    def test_results_from_a_server_we_do_not_trust_are_ignored(self):
        self.assertTrue(self.bcc("Genuine", FORGED.replace("mx.acme.example", "mx.evil.example")))

    @mute_logger(*GATEWAY_LOGGERS)
    def test_genuine_mail_is_filed(self):
        lead = self.bcc("Our offer", GENUINE)
        self.assertEqual(self.lead_messages(lead).subject, "Our offer")

    @mute_logger(*GATEWAY_LOGGERS)
    def test_strict_mode_requires_a_pass(self):
        self.company.lead_capture_auth_strict = True
        self.assertFalse(self.bcc("No results"))
        self.assertEqual(self.last_log().rule, "forged_sender")
        self.assertFalse(
            self.bcc("Softfail", "mx.acme.example; spf=softfail smtp.mailfrom=acme.example")
        )
        self.assertTrue(self.bcc("Signed", GENUINE))

    @mute_logger(*GATEWAY_LOGGERS)
    def test_no_trusted_server_no_check(self):
        self.company.lead_capture_authserv_ids = False
        self.company.lead_capture_auth_strict = True
        self.assertTrue(self.bcc("Unchecked", FORGED))
