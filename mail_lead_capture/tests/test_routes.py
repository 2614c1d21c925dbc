from odoo.tests import tagged
from odoo.tools import mute_logger

from . import dovecot_server
from .common import LeadCaptureCase
from .test_capture import GATEWAY_LOGGERS

FETCHMAIL_LOGGERS = (
    *GATEWAY_LOGGERS,
    "odoo.addons.mail.models.fetchmail",
    "odoo.addons.mail_lead_capture.models.mail_capture_engine",
    "odoo.addons.mail_lead_capture.models.mail_thread",
)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestArchiveMailbox(dovecot_server.DovecotClassMixin, LeadCaptureCase):
    """Odoo's incoming mail server reads an archive mailbox (a real Dovecot) and, with the option
    on, hands every mail to the capture engine whatever its envelope names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hana = cls.env["res.partner"].create(
            {"name": "Hana Sato", "email": "hana@client.example"}
        )
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Osaka office", "partner_id": cls.hana.id, "user_id": cls.bob.id}
        )

    def setUp(self):
        super().setUp()
        self.login, self.password = self.dovecot.add_user()

    def archived(self, **values):
        """A mail as the company's mail server copied it into archive@acme.example."""
        return b"Delivered-To: archive@acme.example\r\n" + self.build_mail(**values)

    def make_server(self, **values):
        return self.env["fetchmail.server"].create(
            {
                "name": "archive",
                "server_type": "imap",
                "server": "127.0.0.1",
                "port": self.dovecot.plain_port,
                "is_ssl": False,
                "user": self.login,
                "password": self.password,
                "state": "done",
                **values,
            }
        )

    def fetch(self, server):
        with (
            self.enter_registry_test_mode(),
            self.registry.cursor() as cr,
            mute_logger(*FETCHMAIL_LOGGERS),
        ):
            server.with_env(server.env(cr=cr))._fetch_mail()
        self.env.invalidate_all()

    def test_every_mail_of_the_archive_goes_on_its_lead_whatever_its_envelope(self):
        hana_mail = self.archived(
            sender="Hana Sato <hana@client.example>", to=self.bob.email, subject="Question"
        )
        self.dovecot.append(
            self.login,
            "INBOX",
            [
                hana_mail,
                self.archived(
                    sender=f"{self.bob.name} <{self.bob.email}>",
                    to="Hana Sato <hana@client.example>",
                    subject="Re: Question",
                ),
                self.archived(
                    sender=f"{self.bob.name} <{self.bob.email}>",
                    to="Ivo Petrov <ivo@newcustomer.example>",
                    subject="Introduction",
                ),
                self.archived(sender="zed@cold.example", to=self.bob.email, subject="Cold pitch"),
                self.archived(sender=self.bob.email, to=self.karen.email, subject="Lunch?"),
                self.archived(
                    sender="hana@client.example",
                    to=self.bob.email,
                    subject="Automatic reply: Question",
                    headers={"Auto-Submitted": "auto-replied"},
                ),
            ],
        )
        server = self.make_server(lead_capture=True, lead_capture_company_id=self.company.id)
        leads_before = self.env["crm.lead"].search_count([])
        self.fetch(server)
        self.assertFalse(server.error_message, server.error_message)
        directions = {m.subject: m.lead_capture_direction for m in self.lead_messages(self.lead)}
        self.assertEqual(
            directions,
            {"Question": "incoming", "Re: Question": "outgoing"},
            "direction from the company's users' addresses; the auto-reply is left out",
        )
        ivo = self.env["crm.lead"].search([("partner_id.email", "=", "ivo@newcustomer.example")])
        self.assertEqual(len(ivo), 1, "mail a user sends to a new person starts a lead")
        self.assertEqual(self.lead_messages(ivo).lead_capture_direction, "outgoing")
        self.assertEqual(
            self.env["crm.lead"].search_count([]),
            leads_before + 1,
            "a cold mail received, a mail between colleagues and an auto-reply make no lead",
        )
        logs = self.env["mail.capture.log"].search([("source", "=", "archive")])
        rules = {log.subject: log.rule for log in logs if log.outcome == "refused"}
        self.assertEqual(
            rules,
            {
                "Cold pitch": "no_match",
                "Lunch?": "internal",
                "Automatic reply: Question": "automated",
            },
        )
        self.assertFalse(
            self.env["mail.capture.unmatched"].search([]), "an archive fills nobody's queue"
        )
        self.assertFalse(self.sink.sent_to(self.bob.email), "and emails nobody")
        # The same mail fetched again (copied back by the archive) is not filed twice.
        self.dovecot.append(self.login, "INBOX", hana_mail)
        self.fetch(server)
        self.assertEqual(len(self.lead_messages(self.lead)), 2)

    def test_every_mail_may_start_a_lead_or_none(self):
        self.dovecot.append(
            self.login,
            "INBOX",
            [
                self.archived(sender="Zed <zed@cold.example>", to=self.bob.email, subject="Pitch"),
                self.archived(sender=self.bob.email, to="kim@new.example", subject="Hello Kim"),
            ],
        )
        server = self.make_server(lead_capture=True, lead_capture_new_leads="never")
        self.fetch(server)
        Lead = self.env["crm.lead"]
        self.assertFalse(Lead.search([("partner_id.email", "in", ["zed@cold.example"])]))
        self.assertFalse(Lead.search([("partner_id.email", "in", ["kim@new.example"])]))
        self.dovecot.append(
            self.login,
            "INBOX",
            self.archived(sender="Zed <zed@cold.example>", to=self.bob.email, subject="Pitch 2"),
        )
        server.lead_capture_new_leads = "all"
        self.fetch(server)
        zed = Lead.search([("partner_id.email", "=", "zed@cold.example")])
        self.assertEqual(self.lead_messages(zed).mapped("subject"), ["Pitch 2"])

    def test_an_archive_mail_with_a_sales_team_alias_makes_one_lead(self):
        team = self.env["crm.team"].create(
            {"name": "Direct sales", "alias_name": "sales-archive", "use_leads": True}
        )
        self.dovecot.append(
            self.login,
            "INBOX",
            self.archived(
                sender=f"{self.bob.name} <{self.bob.email}>",
                to="Kim Lee <kim@new.example>",
                cc=team.alias_id.alias_full_name,
                subject="Welcome Kim",
            ),
        )
        leads_before = self.env["crm.lead"].search_count([])
        self.fetch(self.make_server(lead_capture=True))
        self.assertEqual(self.env["crm.lead"].search_count([]), leads_before + 1)
        kim = self.env["crm.lead"].search([("partner_id.email", "=", "kim@new.example")])
        self.assertEqual(self.lead_messages(kim).subject, "Welcome Kim")

    def test_an_archive_mail_odoo_cannot_read_is_kept_for_its_sender(self):
        raw = self.archived(sender=self.bob.email, to="hana@client.example", subject="Charset")
        raw = raw.replace(b'charset="utf-8"', b'charset="x-no-such-charset"').replace(
            b"Subject: Charset", b"Subject: =?x-no-such-charset?B?SGVsbG8=?="
        )
        self.assertIn(b"x-no-such-charset?B", raw)
        self.dovecot.append(self.login, "INBOX", raw)
        self.fetch(self.make_server(lead_capture=True))
        item = self.env["mail.capture.unmatched"].search([("user_id", "=", self.bob.id)])
        self.assertEqual((item.source, item.rule), ("archive", "unreadable_mail"))
        self.assertEqual(self.last_log().source, "archive")

    def test_without_the_option_the_archive_is_not_captured(self):
        self.dovecot.append(
            self.login,
            "INBOX",
            self.archived(sender="hana@client.example", to=self.bob.email, subject="Plain"),
        )
        self.fetch(self.make_server())
        self.assertFalse(self.lead_messages(self.lead), "Odoo finds no route: nothing filed")
        self.assertFalse(self.env["mail.capture.log"].search([("source", "=", "archive")]))


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestOneMailOneLead(LeadCaptureCase):
    """A sales team's alias beside the capture address: one mail makes one lead, and robot mail
    none, through Odoo's real gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create(
            {"name": "Direct sales", "alias_name": "sales-direct", "use_leads": True}
        )
        cls.team_address = cls.team.alias_id.alias_full_name
        cls.Lead = cls.env["crm.lead"]

    def leads_with(self, address):
        return self.Lead.search(
            [
                "|",
                "|",
                ("email_from", "ilike", address),
                ("partner_id.email", "=", address),
                ("contact_ids.email", "=", address),
            ]
        )

    def test_the_team_alias_alone_still_makes_its_lead(self):
        self.assertEqual(self.team_address, "sales-direct@acme.example")
        raw = self.build_mail(
            sender="Olga <olga@client.example>", to=self.team_address, subject="Prices?"
        )
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw)
        lead = self.Lead.search([("name", "=", "Prices?")])
        self.assertEqual(lead.team_id, self.team, "Odoo's own routing is untouched")

    def test_capture_with_the_team_alias_as_a_visible_recipient_makes_one_lead(self):
        leads_before = self.Lead.search_count([])
        raw = self.build_mail(
            sender=f"{self.bob.name} <{self.bob.email}>",
            to="Olga Petrova <olga@client.example>",
            cc=self.team_address,
            subject="Our offer",
        )
        with mute_logger(*GATEWAY_LOGGERS):
            lead_id = self.deliver(raw, envelope_to=self.capture_address)
        self.assertEqual(self.Lead.search_count([]), leads_before + 1, "one mail, one lead")
        lead = self.Lead.browse(lead_id)
        self.assertEqual(lead.partner_id.email, "olga@client.example")
        self.assertEqual(len(self.lead_messages(lead)), 1)
        self.assertFalse(self.Lead.search([("name", "=", "Our offer")]), "no alias lead beside")

    def test_incoming_address_with_the_team_alias_makes_one_lead(self):
        self.company.lead_capture_inbound = True
        leads_before = self.Lead.search_count([])
        raw = self.build_mail(
            sender="Olga Petrova <olga@client.example>",
            to=f"{self.company.lead_capture_inbound_email}, {self.team_address}",
            subject="Both addresses",
        )
        with mute_logger(*GATEWAY_LOGGERS):
            self.deliver(raw)
        self.assertEqual(self.Lead.search_count([]), leads_before + 1)
        self.assertEqual(len(self.leads_with("olga@client.example")), 1)

    def test_an_out_of_office_reply_to_the_team_alias_makes_no_lead(self):
        leads_before = self.Lead.search_count([])
        for subject, headers in (
            ("Automatic reply: Prices", {}),
            ("Away", {"Auto-Submitted": "auto-replied"}),
            ("Away too", {"X-Autoreply": "yes"}),
        ):
            raw = self.build_mail(
                sender="olga@client.example",
                to=self.team_address,
                subject=subject,
                headers=headers,
            )
            with mute_logger(*GATEWAY_LOGGERS, "odoo.addons.mail_lead_capture.models.mail_thread"):
                self.assertFalse(self.deliver(raw))
        self.assertEqual(self.Lead.search_count([]), leads_before, "robot mail makes no lead")

    def test_an_auto_reply_to_a_lead_is_still_posted_on_it(self):
        # Robot mail makes no lead, but Odoo's reply routing to an existing one is untouched.
        lead = self.Lead.create({"name": "Existing", "email_from": "olga@client.example"})
        sent = lead.message_post(body="Hello Olga", message_type="comment")
        raw = self.build_mail(
            sender="olga@client.example",
            to=self.team_address,
            subject="Automatic reply: Hello",
            headers={"Auto-Submitted": "auto-replied", "In-Reply-To": sent.message_id},
        )
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertEqual(self.deliver(raw), lead.id)
