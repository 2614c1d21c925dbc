import base64
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LeadCaptureCase
from .test_capture import GATEWAY_LOGGERS

HOSTILE_LOGGERS = (*GATEWAY_LOGGERS, "odoo.addons.mail_lead_capture.models.mail_thread")


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestHostileMail(LeadCaptureCase):
    """Mail for the capture address that Odoo's parser or the engine cannot handle is kept, not raised.

    Each mail goes through the real gateway (``message_process``) as raw bytes, as Odoo's mailgate
    delivers it. A raise would make the mail server retry or bounce the mail and nobody in Odoo would
    see it; instead the raw bytes wait in the sender's unmatched mail (an administrator's when the
    sender is not a user), with the reason in words.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Unmatched = cls.env["mail.capture.unmatched"]

    def raw(self, headers, body=b"Hello,\r\n\r\nbest regards\r\n"):
        """Raw bytes from ``headers`` (bytes lines, written as is) and ``body``."""
        lines = [f"Delivered-To: {self.capture_address}".encode(), *headers]
        return b"\r\n".join(lines) + b"\r\n\r\n" + body

    def plain_headers(self, **override):
        values = {
            b"From": b"Bob Builder <bob@acme.example>",
            b"To": b"Nadia <nadia@client.example>",
            b"Subject": b"Quote",
            b"Date": b"Fri, 20 Nov 2026 09:30:00 +0000",
            b"Message-ID": f"<hostile-{self.id()}@acme.example>".encode(),
            b"MIME-Version": b"1.0",
            b"Content-Type": b'text/plain; charset="utf-8"',
        }
        values.update({name.encode(): value for name, value in override.items()})
        return [name + b": " + value for name, value in values.items() if value is not None]

    def assert_kept(self, raw, owner, words):
        """Deliver ``raw``: no raise, the raw bytes are kept for ``owner`` with a reason in words."""
        before = self.Unmatched.search([]).ids
        with mute_logger(*HOSTILE_LOGGERS):
            result = self.deliver(raw)
        self.assertFalse(result)
        item = self.Unmatched.search([("id", "not in", before)])
        self.assertEqual(len(item), 1, "the mail is kept once")
        self.assertEqual(item.user_id, owner)
        self.assertEqual(item.state, "pending")
        self.assertIn(words, item.reason)
        self.assertEqual(base64.b64decode(item.sudo().raw_message), raw, "kept byte for byte")
        log = self.last_log()
        self.assertEqual(log.outcome, "queued")
        self.assertIn(words, log.trace)
        return item

    # ------------------------------------------------------------
    # ODOO'S PARSER FAILS
    # ------------------------------------------------------------

    def test_unknown_charset_is_kept_for_the_sender(self):
        raw = self.raw(
            self.plain_headers(
                Subject=b"=?x-no-such-charset?B?SGVsbG8=?=",
                **{"Content-Type": b'text/plain; charset="x-no-such-charset"'},
            ),
            body=b"Caf\xe9 \xff\xfe\r\n",
        )
        item = self.assert_kept(raw, self.bob, "could not read this mail")
        self.assertIn("x-no-such-charset", item.reason, "the reason names the problem")

    def test_empty_message_id_is_kept(self):
        self.assert_kept(
            self.raw(self.plain_headers(**{"Message-ID": b"<>"})), self.bob, "could not read"
        )

    def test_sender_without_domain_is_kept_for_an_administrator(self):
        item = self.assert_kept(
            self.raw(self.plain_headers(From=b"ines@")), self.admin, "could not read"
        )
        self.assertTrue(item.user_id.has_group("base.group_system"))

    def test_report_without_boundary_is_kept(self):
        raw = self.raw(
            self.plain_headers(
                **{"Content-Type": b"multipart/report; report-type=delivery-status"}
            ),
            body=b"--x\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--x--\r\n",
        )
        self.assert_kept(raw, self.bob, "could not read")

    def test_thousand_levels_of_nesting_are_kept(self):
        depth = 1000
        opening = b"".join(
            b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (i, i + 1)
            for i in range(depth)
        )
        closing = b"".join(b"--b%d--\r\n" % i for i in reversed(range(depth)))
        body = opening + b"--b%d\r\nContent-Type: text/plain\r\n\r\ndeep\r\n" % depth + closing
        raw = self.raw(
            self.plain_headers(**{"Content-Type": b'multipart/mixed; boundary="b0"'}), body=body
        )
        self.assert_kept(raw, self.bob, "could not read")

    def test_nul_bytes_in_headers_are_removed_and_the_mail_filed(self):
        for name, value in (
            ("From", b"Bob Builder <bob@acme.example>\x00"),
            ("To", b"Nadia <nadia@client\x00.example>"),
            ("Message-ID", b"<nul\x00-message-id@acme.example>"),
            ("Date", b"Fri, 20 Nov 2026 09:30:00\x00 +0000"),
            ("Subject", b"Quote\x00 for you"),
        ):
            with self.subTest(header=name):
                headers = self.plain_headers(
                    **{"Message-ID": f"<nul-{name}@acme.example>".encode()}
                )
                headers = [h for h in headers if not h.startswith(name.encode() + b":")]
                raw = self.raw(
                    [*headers, name.encode() + b": " + value],
                    body=f"About the {name} header.\r\n".encode(),
                )
                with mute_logger(*HOSTILE_LOGGERS):
                    lead_id = self.deliver(raw)
                lead = self.env["crm.lead"].browse(lead_id)
                self.assertTrue(lead, "filed on a lead, not raised nor dropped")
                self.assertIn("nadia@client.example", lead.email_from or lead.partner_id.email)
                message = self.lead_messages(lead)[:1]
                self.assertNotIn("\x00", message.subject or "")
                if name == "Subject":
                    self.assertEqual(message.subject, "Quote for you")
                self.assertIn(self.last_log().outcome, ("created", "captured"))

    def test_a_mail_for_another_address_still_raises_as_in_odoo(self):
        raw = self.raw(self.plain_headers(**{"Message-ID": b"<>"}))
        raw = raw.replace(self.capture_address.encode(), b"nobody@elsewhere.example")
        with mute_logger(*HOSTILE_LOGGERS), self.assertRaises(IndexError):
            self.deliver(raw)

    # ------------------------------------------------------------
    # OVERSIZED HEADERS: KEPT RAW, NEVER PARSED
    # ------------------------------------------------------------

    def test_huge_subject_is_kept_raw_without_being_parsed(self):
        subject = b" ".join([b"=?utf-8?q?caf=C3=A9?="] * 25_000)  # 500 KB of encoded words
        item = self.assert_kept(
            self.raw(self.plain_headers(Subject=subject)), self.bob, "header subject"
        )
        self.assertIn("64 KB", item.reason)
        self.assertLessEqual(len(item.subject), 4000, "only the start of the subject is shown")

    def test_hundred_thousand_references_are_kept_raw(self):
        references = b" ".join(b"<ref-%d@elsewhere.example>" % i for i in range(100_000))
        self.assert_kept(
            self.raw(self.plain_headers(References=references)), self.bob, "without being read"
        )

    def test_many_references_under_the_cap_are_filed(self):
        references = b"\r\n ".join(b"<ref-%d@elsewhere.example>" % i for i in range(1000))
        with mute_logger(*HOSTILE_LOGGERS):
            lead_id = self.deliver(self.raw(self.plain_headers(References=references)))
        self.assertTrue(lead_id)

    # ------------------------------------------------------------
    # REPEATED MESSAGE-ID
    # ------------------------------------------------------------

    def test_repeat_message_id_with_different_content_is_logged(self):
        headers = self.plain_headers(**{"Message-ID": b"<same-id@acme.example>"})
        with mute_logger(*HOSTILE_LOGGERS):
            lead_id = self.deliver(self.raw(headers))
            self.assertTrue(lead_id)
            self.assertFalse(self.deliver(self.raw(headers)), "Odoo drops the exact repeat")
        log = self.last_log()
        self.assertEqual((log.outcome, log.rule), ("duplicate", "repeat"))
        self.assertEqual(log.lead_id.id, lead_id)

        other = [h for h in headers if not h.startswith(b"Subject:")] + [b"Subject: Other"]
        with mute_logger(*HOSTILE_LOGGERS):
            self.assertFalse(self.deliver(self.raw(other)))
        log = self.last_log()
        self.assertEqual((log.outcome, log.rule), ("duplicate", "repeat_different"))
        self.assertIn("<same-id@acme.example>", log.trace)
        self.assertIn("Other", log.trace)
        self.assertIn("ask bob@acme.example to send it again", log.trace)

    # ------------------------------------------------------------
    # DATES IN THE FUTURE
    # ------------------------------------------------------------

    def test_a_date_in_the_year_2200_counts_as_the_time_received(self):
        before = fields.Datetime.now() - timedelta(seconds=1)
        raw = self.build_mail(
            sender="Bob Builder <bob@acme.example>",
            to="Nadia <nadia@client.example>",
            date=datetime(2200, 1, 1, tzinfo=UTC),
        )
        with mute_logger(*HOSTILE_LOGGERS):
            lead = self.env["crm.lead"].browse(self.deliver(raw, envelope_to=self.capture_address))
        limit = fields.Datetime.now() + timedelta(days=1)
        self.assertTrue(before <= lead.email_last_date <= limit, lead.email_last_date)
        self.assertTrue(before <= self.lead_messages(lead).date <= limit)

    def test_a_date_a_few_hours_ahead_is_kept_as_written(self):
        ahead = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=5)
        raw = self.build_mail(
            sender="Bob Builder <bob@acme.example>", to="nadia@client.example", date=ahead
        )
        with mute_logger(*HOSTILE_LOGGERS):
            lead = self.env["crm.lead"].browse(self.deliver(raw, envelope_to=self.capture_address))
        self.assertEqual(lead.email_last_date, ahead.replace(tzinfo=None))
