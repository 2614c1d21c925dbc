import os
import smtplib
import subprocess
import sys
from pathlib import Path

import odoo
from odoo.tests import tagged
from odoo.tools import mute_logger

from . import dovecot_server
from . import postfix_server
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


CAPTURE_MAILGATE = Path(__file__).parents[1] / "static" / "scripts" / "odoo-capture-mailgate.py"
SYSTEM_PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestCaptureMailgate(LeadCaptureHttpCase):
    """The README's production pipe: the addon's mailgate wrapper, its key file, Odoo's answers.

    Run as Postfix runs a pipe: the system python3, a bare environment, the mail on stdin.
    """

    def setUp(self):
        super().setUp()
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.admin)
            .sudo()
            ._generate(None, "capture mailgate", False)
        )
        self.key_dir = Path(self.env["ir.attachment"]._filestore()).parent / "mailgate-test"
        self.key_dir.mkdir(parents=True, exist_ok=True)
        self.addCleanup(lambda: [p.unlink() for p in self.key_dir.iterdir()])
        self.api_key = key
        self.key_file = self.write_key_file(odoo.tools.config["http_port"])

    def write_key_file(self, port, name="capture-mailgate.key", mode=0o400):
        path = self.key_dir / name
        path.unlink(missing_ok=True)
        path.write_text(
            "# Odoo's mail gateway, for Postfix's pipe\n"
            f"url = http://127.0.0.1:{port}\n"
            f"database = {self.env.cr.dbname}\n"
            f"login = {self.admin.login}\n"
            f"api_key = {self.api_key}\n"
        )
        path.chmod(mode)
        return path

    def pipe(self, raw, key_file=None):
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            result = subprocess.run(
                [SYSTEM_PYTHON, str(CAPTURE_MAILGATE), str(key_file or self.key_file)],
                input=raw,
                capture_output=True,
                timeout=120,
                check=False,
                env={"PATH": "/usr/bin:/bin", "LANG": "C"},
                cwd="/",
            )
        self.assertNotIn(self.api_key, result.stderr.decode(errors="replace"), "never the key")
        return result

    def as_postfix_local_delivers(self, raw, recipient):
        """Postfix's local(8) to the alias: Delivered-To names the alias, X-Original-To the
        address the mail was sent to."""
        return (
            f"Delivered-To: odoo-mailgate@mx.acme.example\r\nX-Original-To: {recipient}\r\n"
        ).encode() + raw

    @mute_logger(*GATEWAY_LOGGERS)
    def test_bcc_8bit_and_stranger_mail_through_the_wrapper(self):
        raw = self.build_mail(
            sender=self.bob.email,
            to="Inès Duarte <ines@client.example>",
            subject="Devis signé",
            body="Bonjour Inès,\n\nvoici le devis signé.\n",
        )
        result = self.pipe(self.as_postfix_local_delivers(raw, self.capture_address))
        self.assertEqual(result.returncode, 0, result.stderr)
        lead = self.env["crm.lead"].search(
            [("partner_id.email_normalized", "=", "ines@client.example")]
        )
        self.assertEqual(self.lead_messages(lead).subject, "Devis signé")
        # a stranger, then the stranger's reply to the explanation (Odoo's loop check): both
        # are answered with exit 0, neither is bounced by the mail server
        stranger = self.build_mail(sender="eve@elsewhere.example", to=self.capture_address)
        result = self.pipe(self.as_postfix_local_delivers(stranger, self.capture_address))
        self.assertEqual(result.returncode, 0, result.stderr)
        explanation = self.sink.sent_to("eve@elsewhere.example")[0].message
        reply = self.build_mail(
            sender="eve@elsewhere.example",
            to=self.capture_address,
            subject=f"Re: {explanation['Subject']}",
            headers={"References": explanation["References"]},
        )
        result = self.pipe(self.as_postfix_local_delivers(reply, self.capture_address))
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_odoo_down_defers_and_a_readable_key_file_is_refused(self):
        raw = self.as_postfix_local_delivers(
            self.build_mail(sender=self.bob.email, to="ines@client.example"), self.capture_address
        )
        down = self.write_key_file(dovecot_server.free_port(), name="down.key")
        result = self.pipe(raw, down)
        self.assertEqual(result.returncode, 75, "EX_TEMPFAIL: Postfix keeps the mail and retries")
        self.assertIn(b"cannot be reached", result.stderr)
        open_key = self.write_key_file(odoo.tools.config["http_port"], name="open.key", mode=0o644)
        result = self.pipe(raw, open_key)
        self.assertEqual(result.returncode, 78, "EX_CONFIG, also retried by Postfix")
        self.assertIn(b"chmod 0400", result.stderr)
        self.assertFalse(
            self.env["crm.lead"].search(
                [("partner_id.email_normalized", "=", "ines@client.example")]
            )
        )


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestPostfix(LeadCaptureHttpCase):
    """A real Postfix configured as the README says, piping to Odoo through the wrapper."""

    def setUp(self):
        super().setUp()
        why = postfix_server.postfix_available()
        if why:
            self.skipTest(why)
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.admin)
            .sudo()
            ._generate(None, "postfix", False)
        )
        self.postfix = postfix_server.PostfixServer(
            self.alias_domain.name,
            [self.capture_address],
            url=f"http://127.0.0.1:{odoo.tools.config['http_port']}",
            database=self.env.cr.dbname,
            login=self.admin.login,
            api_key=key,
        )
        self.addCleanup(self.postfix.stop)

    @mute_logger(*GATEWAY_LOGGERS)
    def test_bcc_forward_stranger_and_large_mail_through_postfix(self):
        bcc = self.build_mail(sender=self.bob.email, to="Ines Duarte <ines@client.example>")
        forward = self.sample(
            "capture/forward_as_attachment.eml",
            forwarder=self.bob.email,
            forwarder_name=self.bob.name,
            capture=self.capture_address,
            customer="sue.miller@yahoo.com",
            customer_name="Sue Miller",
            subject="Catering",
            text="We would like the same menu as last year.",
            tag="pf",
            original_id=self.message_id("catering"),
        )
        stranger = self.build_mail(sender="eve@elsewhere.example", to=self.capture_address)
        large = self.build_mail(
            sender=self.bob.email,
            to="Omar Haddad <omar@other.example>",
            subject="Plans",
            attachments=[("plans.pdf", os.urandom(10 * 1024 * 1024), "application/pdf")],
        )
        # Odoo's test server answers the pipe only while requests are allowed: Postfix
        # delivers as soon as a mail is queued
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            with smtplib.SMTP("127.0.0.1", self.postfix.port, timeout=60) as smtp:
                with self.assertRaises(smtplib.SMTPRecipientsRefused) as refused:
                    smtp.sendmail(self.bob.email, [f"nobody@{self.alias_domain.name}"], bcc)
                self.assertEqual(
                    refused.exception.recipients[f"nobody@{self.alias_domain.name}"][0], 550
                )
                for envelope_from, raw in (
                    (self.bob.email, bcc),  # BCC: the address only in the envelope
                    (self.bob.email, forward),
                    ("eve@elsewhere.example", stranger),
                    (self.bob.email, large),
                ):
                    smtp.sendmail(envelope_from, [self.capture_address], raw)
            lines = self.postfix.wait_for_deliveries(4)
        self.assertEqual(len(lines), 4, lines)
        self.assertTrue(all("status=sent" in line for line in lines), lines)
        self.env.invalidate_all()
        Lead = self.env["crm.lead"]
        ines = Lead.search([("partner_id.email_normalized", "=", "ines@client.example")])
        sue = Lead.search([("partner_id.email_normalized", "=", "sue.miller@yahoo.com")])
        omar = Lead.search([("partner_id.email_normalized", "=", "omar@other.example")])
        self.assertEqual(len(self.lead_messages(ines)), 1, "BCC copy filed")
        self.assertEqual(self.lead_messages(sue).author_id.email, "sue.miller@yahoo.com")
        self.assertEqual(self.lead_messages(omar).attachment_ids.mapped("name"), ["plans.pdf"])
        self.assertEqual(len(self.sink.sent_to("eve@elsewhere.example")), 1, "told, not filed")
        self.assertFalse(Lead.search([("email_from", "ilike", "eve@elsewhere.example")]))
