import logging
import re

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import tagged
from odoo.tools import mute_logger

from . import dovecot_server
from .mailbox_common import SYNC_LOGGERS
from .mailbox_common import MailboxCase


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxSettings(MailboxCase):
    """Connecting a mailbox: presets, Test Connection in words, TLS, and the password's safety."""

    # ------------------------------------------------------------
    # PRESETS AND SETTINGS
    # ------------------------------------------------------------

    def test_presets_fill_host_port_and_security_without_network(self):
        form = Form(self.Mailbox.with_user(self.karen))
        form.email = "karen@gmail.com"
        self.assertEqual((form.preset, form.host, form.port), ("gmail", "imap.gmail.com", 993))
        self.assertIn("app password", form.preset_hint)
        form.preset = "zoho"
        self.assertEqual((form.host, form.security), ("imap.zoho.com", "ssl"))
        form.preset = "generic"
        form.host = "mail.acme.example"
        form.port = 143
        form.security = "starttls"
        form.password = "secret"
        mailbox = form.save()
        self.assertEqual((mailbox.user_id, mailbox.state), (self.karen, "draft"))

    def test_no_encryption_only_to_this_machine(self):
        with self.assertRaisesRegex(ValidationError, "only allowed to a server on this machine"):
            self.make_mailbox(connect=False, host="imap.example.com")
        local = self.make_mailbox(connect=False, host="localhost", email="bob.local@acme.example")
        self.assertTrue(local)
        self.assertEqual((local.host, local.security), ("localhost", "none"))

    def test_a_user_manages_only_their_own_mailboxes(self):
        mailbox = self.make_mailbox(connect=False)
        self.assertFalse(self.Mailbox.with_user(self.karen).search([("id", "=", mailbox.id)]))
        with self.assertRaises(AccessError):
            mailbox.with_user(self.karen).action_test_connection()
        mine = self.Mailbox.with_user(self.karen).create(
            {"email": "karen@gmail.com", "host": "localhost", "security": "none"}
        )
        self.assertEqual(mine.user_id, self.karen)
        self.assertEqual(self.karen.with_user(self.karen).lead_capture_mailbox_ids, mine)
        self.assertIn(mailbox, self.Mailbox.with_user(self.admin).search([]), "admins see all")
        with self.assertRaisesRegex(UserError, "administrator"):
            mine.with_user(self.karen).user_id = self.bob
        bob_box = self.make_mailbox(email="bob.synced@acme.example")
        inbox = bob_box.folder_ids.filtered(lambda f: f.name == "INBOX").with_user(self.bob)
        inbox.chosen = False  # owners choose their folders...
        with self.assertRaisesRegex(UserError, "Only the sync") as refused:
            inbox.last_uid = 10**6  # ... but never move a checkpoint
        # what happened (which field) and what to do instead (the folder choice, Sync Now)
        message = str(refused.exception)
        self.assertIn("Last UID", message)
        self.assertIn("Chosen folders", message)
        self.assertIn("Sync Now", message)

    # ------------------------------------------------------------
    # THE PASSWORD
    # ------------------------------------------------------------

    def test_password_is_write_only_and_never_exported(self):
        mailbox = self.make_mailbox()  # Test Connection worked: the stored password is used
        for user in (self.bob, self.admin):
            with self.subTest(user=user.login):
                as_user = mailbox.with_user(user)
                self.assertFalse(as_user.read(["password"])[0]["password"])
                self.assertTrue(as_user.password_set)
                with self.assertRaises(AccessError):
                    as_user.read(["imap_password"])
                with self.assertRaises(AccessError):
                    self.Mailbox.with_user(user).search([("imap_password", "=", self.password)])
        with self.assertRaises(AccessError):
            mailbox.with_user(self.karen).read(["password"])
        self.assertFalse(self.Mailbox.fields_get(["password"])["password"]["exportable"])
        for record, path in (
            (mailbox.with_user(self.admin), "password"),
            (self.bob.with_user(self.admin), "lead_capture_mailbox_ids/password"),
            (mailbox.folder_ids.with_user(self.admin), "mailbox_id/password"),
        ):
            with self.subTest(path=path), self.assertRaisesRegex(UserError, "never exported"):
                record.export_data([path])

    def test_password_never_reaches_the_logs(self):
        # Odoo's SQL tracing (odoo.sql_db at DEBUG, --log-sql) prints every query's values, as for
        # any password Odoo stores: a developer's switch, left out here.
        recorder = _Recorder()
        recorder.addFilter(lambda record: not record.name.startswith("odoo.sql_db"))
        recorder.setFormatter(logging.Formatter("%(name)s %(message)s"))
        odoo_logger = logging.getLogger("odoo")
        level = odoo_logger.level
        odoo_logger.addHandler(recorder)
        odoo_logger.setLevel(logging.DEBUG)
        try:
            mailbox = self.make_mailbox()
            mailbox.password = "Wr0ng-But-Secret-Passw0rd"
            mailbox.with_user(self.bob).action_test_connection()
            with self.enter_registry_test_mode():
                mailbox.sudo()._sync_locked()
        finally:
            odoo_logger.removeHandler(recorder)
            odoo_logger.setLevel(level)
        self.assertTrue(recorder.lines, "something was logged")
        self.assertFalse([line for line in recorder.lines if "Wr0ng-But-Secret" in line])
        self.assertFalse([line for line in recorder.lines if self.password in line])

    # ------------------------------------------------------------
    # TEST CONNECTION, IN WORDS
    # ------------------------------------------------------------

    def check_connection(self, mailbox):
        """Click Test Connection as the owner; returns the notification's kind and sentence."""
        result = mailbox.with_user(mailbox.user_id).action_test_connection()
        return result["params"]["type"], result["params"]["message"]

    def test_test_connection_says_what_is_wrong(self):
        mailbox = self.make_mailbox(connect=False, password="wrong")
        kind, sentence = self.check_connection(mailbox)
        self.assertEqual(kind, "danger")
        self.assertIn("refused the login", sentence)
        self.assertNotIn("app password", sentence, "the generic preset has no such hint")
        self.assertEqual(mailbox.state, "draft")
        self.assertEqual(mailbox.last_error, sentence)

        mailbox.preset = "gmail"  # the host stays the test server
        mailbox.host = "127.0.0.1"
        self.assertIn("app password", self.check_connection(mailbox)[1])

        with dovecot_server.ScriptedLoginServer(
            "[ALERT] Application-specific password required: https://support.example/apps"
        ) as server:
            mailbox.write({"port": server.port, "password": "usual-password"})
            sentence = self.check_connection(mailbox)[1]
        self.assertIn("two-factor authentication is on", sentence)
        self.assertIn("create an app password", sentence)

        mailbox.write({"preset": "generic", "port": dovecot_server.free_port()})
        self.assertIn("cannot be reached", self.check_connection(mailbox)[1])

        self.env["ir.config_parameter"].set_param("mail_lead_capture.imap_timeout", "1")
        with dovecot_server.SilentServer() as server:
            mailbox.port = server.port
            self.assertIn("did not answer in time", self.check_connection(mailbox)[1])

        mailbox.write({"port": self.dovecot.tls_port, "security": "ssl", "password": self.password})
        kind, sentence = self.check_connection(mailbox)
        self.assertEqual(kind, "danger")
        self.assertIn("The secure connection to 127.0.0.1 failed", sentence)
        self.assertIn("Trusted Certificate", sentence)
        self.assertEqual(mailbox.state, "draft")

    def test_tls_with_a_trusted_self_signed_certificate(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="Over TLS")
        for security, port in (
            ("ssl", self.dovecot.tls_port),
            ("starttls", self.dovecot.plain_port),
        ):
            with self.subTest(security=security):
                mailbox = self.make_mailbox(
                    connect=False,
                    email=f"bob.{security}@acme.example",
                    security=security,
                    port=port,
                    tls_fingerprint=self.dovecot.fingerprint.upper(),
                )
                kind, sentence = self.check_connection(mailbox)
                self.assertEqual(kind, "success", sentence)
                self.assertEqual(mailbox.state, "syncing")
        mailbox = self.Mailbox.search([("email", "=", "bob.ssl@acme.example")])
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(self.subjects(self.lead), ["Over TLS"])
        mailbox.tls_fingerprint = "00" * 32
        self.assertIn("is not the trusted one", self.check_connection(mailbox)[1])

    def test_a_connected_mailbox_address_is_the_owners_once_confirmed(self):
        self.assertNotIn("bob.home@example.org", self.bob._lead_capture_addresses())
        mailbox = self.make_mailbox(connect=False, email="bob.home@example.org")
        mailbox.with_user(self.bob).action_test_connection()
        self.assertEqual(mailbox.state, "syncing")
        self.assertNotIn(
            "bob.home@example.org",
            self.bob._lead_capture_addresses(),
            "logging in proves Bob reads the mailbox, not that the address typed on it is his",
        )
        address = self.env["mail.capture.address"].search([("email", "=", "bob.home@example.org")])
        self.assertEqual((address.user_id, address.state), (self.bob, "pending"))
        # In its own sync, mail Bob sends from it is outgoing mail, confirmed or not.
        self.append(
            "Sent", sender="bob.home@example.org", to="hana@client.example", subject="From home"
        )
        with mute_logger(*SYNC_LOGGERS):
            self.sync(mailbox)
        self.assertEqual(self.lead_messages(self.lead).lead_capture_direction, "outgoing")
        # Everywhere else it is his once he opens the link mailed to it.
        html = (
            self.sink.sent_to("bob.home@example.org")[0]
            .message.get_body(preferencelist=("html",))
            .get_content()
        )
        token = re.search(rf"/mail_lead_capture/confirm/{address.id}/([\w-]+)", html).group(1)
        self.assertEqual(address._confirm(token), "confirmed")
        self.assertIn("bob.home@example.org", self.bob._lead_capture_addresses())

    def test_a_mailbox_with_a_colleagues_address_does_not_make_it_its_owners(self):
        mailbox = self.make_mailbox(connect=False, email=self.karen.email)
        result = mailbox.with_user(self.bob).action_test_connection()
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.assertEqual(self.company._lead_capture_user_by_address()[self.karen.email], self.karen)
        self.assertFalse(
            self.env["mail.capture.address"].search([("email", "=", self.karen.email)]),
            "no confirmation is proposed for an address that is another user's",
        )
        self.assertNotIn(self.karen.email, self.bob._lead_capture_addresses())
