"""Shared set-up for the addon's Odoo tests: a company with its capture address, users, real mail.

Mail goes through Odoo's real gateway (``mail.thread.message_process``) as raw bytes, exactly as
Odoo's mailgate or incoming mail server would deliver it; mail the addon sends goes to a real SMTP
server on 127.0.0.1 (``smtp_sink.SmtpSink``) instead of Odoo's test-mode no-op.
"""

import email.policy
import itertools
from datetime import UTC
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from string import Template

from odoo.tests import HttpCase
from odoo.tests import TransactionCase
from odoo.tests import new_test_user

from .smtp_sink import SmtpSink

SAMPLES = Path(__file__).parent / "samples"
_ids = itertools.count(1)


class LeadCaptureMixin:
    """Company Acme (alias domain acme.example) with salespeople Bob and Karen.

    Bob's address is bob@acme.example; Karen uses karen@gmail.com (Close's example: a user whose
    address is at a public provider). Sue is a customer, not a user.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sink = SmtpSink().start()
        cls.addClassCleanup(cls.sink.stop)
        cls.env["ir.mail_server"].search([]).active = False
        cls.env["ir.mail_server"].create(
            {
                "name": "test sink",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.sink.port,
                "smtp_encryption": "none",
            }
        )
        cls.alias_domain = cls.env["mail.alias.domain"].create({"name": "acme.example"})
        cls.company = cls.env.company
        cls.company.write(
            {"name": "Acme", "email": "info@acme.example", "alias_domain_id": cls.alias_domain.id}
        )
        cls.company._lead_capture_ensure_aliases()
        cls.capture_address = cls.company.lead_capture_email
        groups = "sales_team.group_sale_salesman,base.group_user"
        cls.bob = new_test_user(
            cls.env,
            login="bob",
            email="bob@acme.example",
            name="Bob Builder",
            groups=groups,
            company_id=cls.company.id,
            notification_type="inbox",
        )
        cls.karen = new_test_user(
            cls.env,
            login="karen",
            email="karen@gmail.com",
            name="Karen Page",
            groups=groups,
            company_id=cls.company.id,
            notification_type="email",
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.bob_team = cls.env["crm.team"].create(
            {"name": "Bob's team", "member_ids": [(4, cls.bob.id)]}
        )

    def setUp(self):
        super().setUp()
        # Mail really leaves through the SMTP sink: Odoo only skips sending in test mode.
        self.patch(type(self.env["ir.mail_server"]), "_disable_send", lambda *args: False)
        self.sink.clear()

    # ------------------------------------------------------------
    # RAW MAIL
    # ------------------------------------------------------------

    @staticmethod
    def message_id(tag="mail"):
        return f"<{tag}-{next(_ids)}-{datetime.now(UTC).timestamp():.0f}@test.example>"

    def build_mail(
        self,
        *,
        sender,
        to="",
        cc="",
        subject="Hello",
        body="Hello,\n\nBest regards\n",
        headers=None,
        message_id=None,
        date=None,
        html=None,
        attachments=(),
    ):
        """Raw bytes of a plain mail as a mail client sends it."""
        message = EmailMessage(policy=email.policy.SMTP)
        message["From"] = sender
        if to:
            message["To"] = to
        if cc:
            message["Cc"] = cc
        message["Subject"] = subject
        message["Date"] = format_datetime(date or datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
        message["Message-ID"] = message_id or self.message_id()
        message["MIME-Version"] = "1.0"
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(body)
        if html:
            message.add_alternative(html, subtype="html")
        for filename, data, mimetype in attachments:
            maintype, subtype = mimetype.split("/")
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        return message.as_bytes()

    def sample(self, name, **values):
        """Raw bytes of ``tests/samples/<name>`` with ``$placeholders`` filled in."""
        text = (SAMPLES / name).read_text()
        return Template(text).substitute(values).replace("\n", "\r\n").encode()

    def name_only_forward(self, customer_name="Walter Bishop", tag="n1"):
        """Raw bytes of Bob's Outlook forward to the capture address that names its customer
        ``customer_name`` but gives no address (``tag`` makes its Message-Id unique)."""
        return self.sample(
            "capture/outlook_name_only_forward.eml",
            forwarder=self.bob.email,
            forwarder_name=self.bob.name,
            capture=self.capture_address,
            customer_name=customer_name,
            tag=tag,
        )

    def deliver(self, raw, envelope_to=None, envelope_header="Delivered-To"):
        """Deliver ``raw`` through Odoo's gateway, as a mail server delivering to ``envelope_to``."""
        if envelope_to:
            raw = f"{envelope_header}: {envelope_to}\r\n".encode() + raw
        return self.env["mail.thread"].sudo().message_process(False, raw)

    # ------------------------------------------------------------
    # LOOK-UPS
    # ------------------------------------------------------------

    def lead_messages(self, lead):
        return self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "=", lead.id), ("message_type", "=", "email")]
        )

    def last_log(self):
        return self.env["mail.capture.log"].search([], limit=1)


class LeadCaptureCase(LeadCaptureMixin, TransactionCase):
    """The capture set-up in a transaction rolled back after each test."""


class LeadCaptureHttpCase(LeadCaptureMixin, HttpCase):
    """The capture set-up with Odoo's HTTP server, for browser tours in headless Chromium."""

    # A class's first tour page builds the web client's asset bundles in a fresh database: on a
    # busy machine that holds the test cursor longer than Odoo's default 20 seconds, and the
    # tour's other requests then fail.
    test_cursor_lock_timeout = 120


class LeadCaptureFilterCase(TransactionCase):
    """Company acme.com (alias domain and company email), Bob (bob@acme.com), Karen (karen@gmail.com).

    Bob and Karen are salespeople; Sue, who is not a user, writes from sue@acme.com and
    sue@yahoo.com. A second company, Globex, has its own user and blocks.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "alias_domain_id": cls.env["mail.alias.domain"].create({"name": "acme.com"}).id,
                "email": "info@acme.com",
                "lead_capture_extra_domains": False,
            }
        )
        cls.other_company = cls.env["res.company"].create(
            {"name": "Globex", "email": "info@globex.example"}
        )
        cls.bob = cls._user("bob", "bob@acme.com", "sales_team.group_sale_salesman")
        cls.karen = cls._user("karen", "karen@gmail.com", "sales_team.group_sale_salesman")
        cls.manager = cls._user("mia", "mia@acme.com", "sales_team.group_sale_manager")
        cls.globex_user = new_test_user(
            cls.env,
            login="gus",
            email="gus@gus-home.example",
            groups="sales_team.group_sale_salesman",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        cls.Block = cls.env["mail.capture.block"]

    @classmethod
    def _user(cls, login, email, group):
        return new_test_user(
            cls.env,
            login=login,
            email=email,
            groups=group,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
