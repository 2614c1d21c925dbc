import subprocess
import sys
from pathlib import Path

import odoo
from odoo.tests import tagged
from odoo.tools import mute_logger

from . import dovecot_server
from .common import LeadCaptureCase
from .common import LeadCaptureHttpCase
from .test_capture import GATEWAY_LOGGERS

MAILGATE = Path(odoo.addons.mail.__file__).parent / "static" / "scripts" / "odoo-mailgate.py"


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestCatchAllMailbox(dovecot_server.DovecotClassMixin, LeadCaptureCase):
    """Delivery path 1: Odoo's own incoming mail server reads a catch-all IMAP mailbox (Dovecot)."""

    def test_bcc_copy_in_a_catch_all_mailbox_is_captured(self):
        login, password = self.dovecot.add_user()
        # What the mail server wrote into the catch-all mailbox: the envelope recipient was the
        # capture address, recorded in X-Original-To (Odoo's routing alone reads only Delivered-To).
        raw = (
            b"X-Original-To: "
            + self.capture_address.encode()
            + b"\r\n"
            + self.build_mail(
                sender=f"{self.bob.name} <{self.bob.email}>",
                to="Hana Sato <hana@client.example>",
                subject="Proposal for the Osaka office",
            )
        )
        self.dovecot.append(login, "INBOX", raw)
        server = self.env["fetchmail.server"].create(
            {
                "name": "catch-all",
                "server_type": "imap",
                "server": "127.0.0.1",
                "port": self.dovecot.plain_port,
                "is_ssl": False,
                "user": login,
                "password": password,
                "state": "done",
            }
        )
        with (
            self.enter_registry_test_mode(),
            self.registry.cursor() as cr,
            mute_logger(*GATEWAY_LOGGERS, "odoo.addons.mail.models.fetchmail"),
        ):
            server.with_env(server.env(cr=cr))._fetch_mail()
        lead = self.env["crm.lead"].search(
            [("partner_id.email_normalized", "=", "hana@client.example")]
        )
        self.assertEqual(lead.name, "Hana Sato")
        self.assertEqual(self.lead_messages(lead).subject, "Proposal for the Osaka office")


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailgate(LeadCaptureHttpCase):
    """Delivery path 2: a mail server pipes the mail to Odoo's own mailgate script (XML-RPC)."""

    def test_mail_piped_to_odoos_mailgate_is_captured(self):
        raw = (
            b"Delivered-To: "
            + self.capture_address.encode()
            + b"\r\n"
            + self.build_mail(
                sender=self.bob.email,
                to="Ines Duarte <ines@client.example>",
                subject="Via the mailgate",
            )
        )
        # Odoo's test server serves outside requests only while the test allows them.
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            result = self._run_mailgate(raw)
        self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace"))
        lead = self.env["crm.lead"].search(
            [("partner_id.email_normalized", "=", "ines@client.example")]
        )
        self.assertEqual(lead.name, "Ines Duarte")
        self.assertEqual(self.lead_messages(lead).subject, "Via the mailgate")

    def _run_mailgate(self, raw):
        """Pipe ``raw`` to Odoo's mailgate script, as Postfix does."""
        return subprocess.run(
            [
                sys.executable,
                str(MAILGATE),
                "-d",
                self.env.cr.dbname,
                "-u",
                str(self.admin.id),
                "-p",
                "admin",
                "--host",
                "127.0.0.1",
                "--port",
                str(odoo.tools.config["http_port"]),
                "--debug",
            ],
            input=raw,
            capture_output=True,
            timeout=60,
            check=False,
        )
