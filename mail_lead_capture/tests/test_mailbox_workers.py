"""Several Odoo workers: a mailbox another worker is syncing is skipped, not synced twice.

These tests need transactions that really run side by side, so, unlike the other mailbox tests,
they use cursors of their own (not the test's): the mailbox is committed, locked by one "worker"
while another runs the scheduled action's loop, and removed again at the end. The test's own
transaction writes nothing (a plain TransactionCase), so that it holds no lock the workers need.
"""

from odoo.api import SUPERUSER_ID
from odoo.api import Environment
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from . import dovecot_server
from .mailbox_common import SYNC_LOGGERS


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxWorkers(dovecot_server.DovecotClassMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        self.login, self.password = self.dovecot.add_user()

    def worker(self):
        """A cursor of another Odoo worker: its own connection and transaction."""
        cr = self.env.registry.cursor()
        # never wait on the test's own transaction for long: fail instead
        cr.execute("SET lock_timeout = '10s'")
        return cr

    def committed_mailbox(self):
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            admin = env.ref("base.user_admin")
            # the test Dovecot's port, as an administrator allows it
            env["ir.config_parameter"].set_param(
                "mail_lead_capture.imap_extra_ports", str(self.dovecot.plain_port)
            )
            mailbox = env["mail.capture.mailbox"].create(
                {
                    "user_id": admin.id,
                    "email": "admin-sync@example.com",
                    "host": "127.0.0.1",
                    "port": self.dovecot.plain_port,
                    "security": "none",
                    "login": self.login,
                    "password": self.password,
                    "state": "connected",
                }
            )
            mailbox_id = mailbox.id
        self.addCleanup(self.remove_mailbox, mailbox_id)
        return mailbox_id

    def remove_mailbox(self, mailbox_id):
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            env["mail.capture.mailbox"].browse(mailbox_id).unlink()
            env["ir.config_parameter"].set_param("mail_lead_capture.imap_extra_ports", False)

    def run_sync_loop(self):
        """The scheduled action's loop, in a worker of its own; the mailbox's last sync after it."""
        with self.worker() as cr, mute_logger(*SYNC_LOGGERS):
            Environment(cr, SUPERUSER_ID, {})["mail.capture.mailbox"]._sync_due()

    def last_sync(self, mailbox_id):
        with self.worker() as cr:
            cr.execute("SELECT last_sync FROM mail_capture_mailbox WHERE id = %s", [mailbox_id])
            return cr.fetchone()[0]

    def test_a_mailbox_another_worker_is_syncing_is_skipped(self):
        mailbox_id = self.committed_mailbox()
        busy = self.worker()
        try:
            # another worker is in the middle of this mailbox's pass: it holds the row
            busy.execute(
                "SELECT id FROM mail_capture_mailbox WHERE id = %s FOR UPDATE", [mailbox_id]
            )
            self.run_sync_loop()  # returns at once (SKIP LOCKED), does not wait nor sync
            self.assertFalse(self.last_sync(mailbox_id), "synced while another worker held it")
        finally:
            busy.rollback()
            busy.close()
        self.run_sync_loop()
        self.assertTrue(self.last_sync(mailbox_id), "synced once the other worker let go")
