from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from .mailbox_common import MailboxCase
from .test_capture import GATEWAY_LOGGERS

# One paragraph written as one long line, as most mail clients send plain text.
LONG_LINE = (
    "We would like the buffet for forty people on the twelfth at noon, with vegetarian options "
    "for a third of the guests, no nuts anywhere, sparkling and still water, coffee afterwards, "
    "and the invoice addressed to our Lyon office as usual; the floor plan of the room is at "
    "https://client.example/rooms/atrium-2 if your team needs it."
)
BODY = f"Hello Bob,\n\n{LONG_LINE}\n\nThanks,\nSue\n\nOn Monday, Bob wrote:\n> Any wishes?\n> Bob\n"


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestPlainTextBody(MailboxCase):
    """A text/plain mail is stored as paragraphs that wrap, not as an unwrapped <pre> block,
    whichever way it arrives: BCC to the capture address, mailbox sync, or the unmatched queue."""

    def assert_reads_like_text(self, body):
        tree = html.fromstring(f"<div>{body}</div>")
        for pre in tree.iter("pre"):
            self.assertIn(
                "pre-wrap", pre.get("style", ""), "a <pre> block does not wrap its long lines"
            )
        paragraphs = [p.text_content() for p in tree.iter("p")]
        self.assertIn(LONG_LINE, paragraphs, "the long line is a paragraph, which wraps")
        thanks = [p for p in tree.iter("p") if p.text_content() == "Thanks,Sue"]
        self.assertEqual(len(thanks), 1)
        self.assertEqual(len(thanks[0].findall("br")), 1, "the line break is kept")
        links = [a.get("href") for a in tree.iter("a")]
        self.assertIn("https://client.example/rooms/atrium-2", links)
        quotes = tree.xpath("//blockquote[@data-o-mail-quote]")
        self.assertEqual(
            [q.text_content() for q in quotes], ["Any wishes?Bob"], "the quote folds as in Odoo"
        )

    def test_bcc_to_the_capture_address(self):
        raw = self.build_mail(
            sender=f"{self.bob.name} <{self.bob.email}>", to=self.hana.email, body=BODY
        )
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw, envelope_to=self.capture_address)
        self.assert_reads_like_text(self.lead_messages(self.lead).body)

    def test_mailbox_sync(self):
        self.append(sender=self.hana.email, to=self.bob.email, subject="Buffet", body=BODY)
        self.sync(self.make_mailbox())
        self.assert_reads_like_text(self.lead_messages(self.lead).body)

    def test_unmatched_mail(self):
        self.company.lead_capture_no_match = "review"
        raw = self.build_mail(
            sender=f"{self.bob.name} <{self.bob.email}>", to="nadia@client.example", body=BODY
        )
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        item = self.env["mail.capture.unmatched"].search([("user_id", "=", self.bob.id)])
        self.assert_reads_like_text(item.body)
