"""The INBOX watcher (odoo-bin lead_capture_watch): mail APPENDed to a watched INBOX is filed on its
lead by the watcher's own pass, against the real Dovecot, without the scheduled action."""

import time

from odoo.api import SUPERUSER_ID
from odoo.api import Environment
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.mailbox_watch import InboxWatch
from . import dovecot_server
from .mailbox_common import CRON_XMLID
from .mailbox_common import SYNC_LOGGERS
from .mailbox_common import MailboxCase

WAIT_SECONDS = 30


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxWatch(MailboxCase):
    def watch(self):
        """A watcher over the test database, watching its mailboxes."""
        watch = InboxWatch(self.env.registry, idle_seconds=60, poll_seconds=1)
        self.addCleanup(watch.close)
        self.refresh(watch)
        return watch

    def refresh(self, watch):
        with self.enter_registry_test_mode():  # its cursors share the test's transaction
            watch.refresh()

    def wait_for_passes(self, watch, count):
        """Let the watcher work until it has run ``count`` INBOX passes."""
        deadline = time.monotonic() + WAIT_SECONDS
        with self.enter_registry_test_mode(), mute_logger(*SYNC_LOGGERS):
            while watch.passes < count and time.monotonic() < deadline:
                watch.step(timeout=0.5)
        self.env.invalidate_all()
        self.assertEqual(watch.passes, count, "the watcher ran no pass in time")

    def test_mail_appended_to_a_watched_inbox_is_filed_without_the_scheduled_action(self):
        mailbox = self.make_mailbox()
        self.sync(mailbox)  # its first import, done
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        cron = self.env.ref(CRON_XMLID)
        lastcall, next_sync = cron.lastcall, mailbox.next_sync
        watch = self.watch()
        self.assertIn(mailbox.id, watch.watched)
        self.wait_for_passes(watch, 1)  # every connection asks for a pass: nothing new yet
        self.assertTrue(watch.watched[mailbox.id].state.idle, "Dovecot has IDLE")

        self.append(sender="Hana Sato <hana@client.example>", to=self.bob.email, subject="Now")
        self.append("Projects", sender="hana@client.example", to=self.bob.email, subject="Later")
        self.wait_for_passes(watch, 2)

        self.assertEqual(self.subjects(self.lead), ["Now"], "the INBOX, not the other folders")
        self.assertEqual(cron.lastcall, lastcall, "the scheduled action did not run")
        self.assertEqual(mailbox.next_sync, next_sync, "its schedule is the scheduled action's")
        # a whole pass (the scheduled action's, when due) files the rest, and nothing twice
        self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), ["Later", "Now"])

    def test_mailboxes_that_stop_syncing_are_no_longer_watched(self):
        mailbox = self.make_mailbox()
        watch = self.watch()
        self.assertIn(mailbox.id, watch.watched)
        thread = watch.watched[mailbox.id].thread
        mailbox.state = "reauth"
        self.refresh(watch)
        self.assertNotIn(mailbox.id, watch.watched)
        thread.join(15)
        self.assertFalse(thread.is_alive(), "its connection is closed")


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxWatchWorkers(dovecot_server.DovecotClassMixin, TransactionCase):
    """The watcher and another worker side by side: real transactions, as test_mailbox_workers."""

    def worker(self):
        cr = self.env.registry.cursor()
        cr.execute("SET lock_timeout = '10s'")
        return cr

    def committed_mailbox(self, login, password):
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param(
                "mail_lead_capture.imap_extra_ports", str(self.dovecot.plain_port)
            )
            mailbox = env["mail.capture.mailbox"].create(
                {
                    "user_id": env.ref("base.user_admin").id,
                    "email": "admin-watch@example.com",
                    "host": "127.0.0.1",
                    "port": self.dovecot.plain_port,
                    "security": "none",
                    "login": login,
                    "password": password,
                    "state": "connected",
                }
            )
            return mailbox.id

    def remove_mailbox(self, mailbox_id):
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            env["mail.capture.mailbox"].browse(mailbox_id).unlink()
            env["ir.config_parameter"].set_param("mail_lead_capture.imap_extra_ports", False)

    def test_a_mailbox_another_worker_is_syncing_waits_and_is_never_synced_twice(self):
        login, password = self.dovecot.add_user()
        mailbox_id = self.committed_mailbox(login, password)
        self.addCleanup(self.remove_mailbox, mailbox_id)
        watch = InboxWatch(self.env.registry, idle_seconds=60, retry_seconds=0.5)
        self.addCleanup(watch.close)
        watch.refresh()
        deadline = time.monotonic() + WAIT_SECONDS
        while mailbox_id not in watch.due and time.monotonic() < deadline:
            watch.collect(0.5)  # the connection's news
        self.assertIn(mailbox_id, watch.due)
        with self.worker() as other, mute_logger(*SYNC_LOGGERS):
            # the scheduled action's lock, as it holds it during a pass
            other.execute(
                "SELECT id FROM mail_capture_mailbox WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                [mailbox_id],
            )
            self.assertTrue(other.fetchall())
            watch.sync_due()
            self.assertEqual(watch.passes, 0, "a mailbox locked elsewhere is not synced")
            self.assertIn(mailbox_id, watch.due, "it is tried again")
        deadline = time.monotonic() + WAIT_SECONDS
        with mute_logger(*SYNC_LOGGERS):
            while not watch.passes and time.monotonic() < deadline:
                watch.step(timeout=0.5)
        self.assertEqual(watch.passes, 1, "synced once the other worker let it go")
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            inbox = env["mail.capture.mailbox.folder"].search(
                [("mailbox_id", "=", mailbox_id), ("name", "=", "INBOX")]
            )
            self.assertTrue(inbox.last_sync, "the INBOX was synced")
