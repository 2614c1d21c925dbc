"""Shared set-up of the mailbox sync tests: one real Dovecot per test class, a fresh mailbox each test.

Sync opens a cursor of its own and commits once per mail; the tests run it under
``enter_registry_test_mode()`` so that those cursors share the test's transaction (rolled back
after each test), exactly as the scheduled action's and the button's code paths run in production.
"""

from odoo import SUPERUSER_ID
from odoo.api import Environment
from odoo.tools import mute_logger

from ..models import mailbox_fleet
from . import dovecot_server
from .common import LeadCaptureCase
from .common import LeadCaptureHttpCase

SYNC_LOGGERS = (
    "odoo.addons.mail_lead_capture.models.mail_capture_mailbox",
    "odoo.addons.mail_lead_capture.models.mail_capture_engine",
    "odoo.addons.mail.models.mail_thread",
    "odoo.addons.mail.models.mail_mail",
    "odoo.addons.base.models.ir_cron",
)
CRON_XMLID = "mail_lead_capture.ir_cron_mailbox_sync"


class MailboxMixin(dovecot_server.DovecotClassMixin):
    """A Dovecot for the class; Bob's leads with customers Hana and Omar; helpers to sync."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("mail_lead_capture.imap_timeout", "5")
        # The test servers (Dovecot, scripted and silent ones) listen on random unprivileged
        # ports, as an administrator would allow them; the tests of the limits set their own.
        cls.env["ir.config_parameter"].set_param("mail_lead_capture.imap_extra_ports", "1024-65535")
        cls.env["ir.config_parameter"].set_param("mail_lead_capture.connection_attempts", "1000")
        Partner = cls.env["res.partner"]
        cls.hana = Partner.create({"name": "Hana Sato", "email": "hana@client.example"})
        cls.omar = Partner.create({"name": "Omar Haddad", "email": "omar@other.example"})
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Osaka office", "partner_id": cls.hana.id, "user_id": cls.bob.id}
        )
        cls.lead_omar = cls.env["crm.lead"].create(
            {"name": "Omar's warehouse", "partner_id": cls.omar.id, "user_id": cls.bob.id}
        )
        cls.Mailbox = cls.env["mail.capture.mailbox"]

    def setUp(self):
        super().setUp()
        self.login, self.password = self.dovecot.add_user()
        self.dovecot.create_folder(self.login, "Projects")  # the mailbox exists on the server

    # ------------------------------------------------------------
    # MAILBOXES
    # ------------------------------------------------------------

    def make_mailbox(self, user=None, connect=True, **values):
        """Bob's mailbox on the test Dovecot (plain port, 127.0.0.1), connected by Test Connection."""
        user = user or self.bob
        mailbox = self.Mailbox.create(
            {
                "user_id": user.id,
                "email": user.email,
                "host": "127.0.0.1",
                "port": self.dovecot.plain_port,
                "security": "none",
                "login": self.login,
                "password": self.password,
                **values,
            }
        )
        if connect:
            result = mailbox.with_user(user).action_test_connection()
            self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        return mailbox

    def append(self, folder="INBOX", **values):
        """Put one mail (``LeadCaptureMixin.build_mail`` arguments) in the mailbox; its UID."""
        return self.dovecot.append(self.login, folder, self.build_mail(**values))[0]

    # ------------------------------------------------------------
    # SYNC, BY BOTH ENTRY POINTS
    # ------------------------------------------------------------

    def sync(self, mailbox):
        """One pass through the button's path ("Sync Now"); returns the notification."""
        with self.enter_registry_test_mode(), mute_logger(*SYNC_LOGGERS):
            result = mailbox.with_user(mailbox.user_id).action_sync_now()
        self.env.invalidate_all()
        return result

    def pass_report(self, mailbox):
        """One pass as the scheduled action makes it, returning the pass's counters."""
        with self.enter_registry_test_mode(), mute_logger(*SYNC_LOGGERS):
            report = mailbox.sudo()._sync_pass(None, 1, float("inf"))
        self.env.invalidate_all()
        return report

    def run_cron(self):
        """Run the scheduled action as Odoo's cron worker does (its own cursor and progress)."""
        cron = self.env.ref(CRON_XMLID)
        with self.enter_registry_test_mode(), mute_logger(*SYNC_LOGGERS):
            cron.method_direct_trigger()
        self.env.invalidate_all()

    # ------------------------------------------------------------
    # LOOK-UPS
    # ------------------------------------------------------------

    def subjects(self, lead):
        return sorted(self.lead_messages(lead).mapped("subject"))


class MailboxCase(MailboxMixin, LeadCaptureCase):
    """Mailbox sync against a real Dovecot, in a transaction rolled back after each test."""


class MailboxHttpCase(MailboxMixin, LeadCaptureHttpCase):
    """Mailbox sync with Odoo's HTTP server, for browser tours (the cursor lock of
    ``LeadCaptureHttpCase``)."""


class WorkerCursorsMixin:
    """For tests whose sync runs as other Odoo workers run it, through cursors of their own that
    commit (the claims, the slots and the back-offs are between database connections): what such
    a test commits, it removes."""

    def worker(self):
        """A cursor of another Odoo worker: its own connection and transaction."""
        cr = self.env.registry.cursor()
        # never wait on the test's own transaction for long: fail instead
        cr.execute("SET lock_timeout = '10s'")
        return cr

    def set_params(self, **values):
        """The addon's settings, committed (False removes one)."""
        with self.worker() as cr:
            Param = Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"]
            for key, value in values.items():
                Param.set_param(f"mail_lead_capture.{key}", value and str(value))

    def remove(self, model, record_id):
        with self.worker() as cr:
            Environment(cr, SUPERUSER_ID, {})[model].browse(record_id).unlink()

    def forget_backoffs(self):
        """Other tests use the same servers: no back-off outlives a test, in the database (every
        process shares them) nor in this process's gates."""
        with self.worker() as cr:
            cr.execute("DELETE FROM mail_capture_server_backoff")
        mailbox_fleet._GATES._state.backoff.clear()

    def commit_mailbox(self, email, port=None):
        """A committed, connected mailbox of the administrator on the class's Dovecot, with a
        fresh login; ``(mailbox id, login)``. It goes at the end, with the addresses a working
        connection proved to its owner (test_ownership counts every address)."""
        login = self.dovecot.add_user()[0]
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            mailbox_id = (
                env["mail.capture.mailbox"]
                .create(
                    {
                        "user_id": env.ref("base.user_admin").id,
                        "email": email,
                        "host": "127.0.0.1",
                        "port": port or self.dovecot.plain_port,
                        "security": "none",
                        "login": login,
                        "password": self.dovecot.password_of(login),
                        "state": "connected",
                    }
                )
                .id
            )
        self.addCleanup(self.remove_addresses, email)
        self.addCleanup(self.remove, "mail.capture.mailbox", mailbox_id)
        return mailbox_id, login

    def remove_addresses(self, email):
        with self.worker() as cr:
            Environment(cr, SUPERUSER_ID, {})["mail.capture.address"].search(
                [("email", "=", email)]
            ).unlink()
