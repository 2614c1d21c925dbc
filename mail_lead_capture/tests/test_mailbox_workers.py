"""Several Odoo workers: a mailbox another worker is syncing is skipped, not synced twice.

These tests need transactions that really run side by side, so, unlike the other mailbox tests,
they use cursors of their own (not the test's): the mailboxes are committed, synced by "workers"
(threads with cursors of their own, or a separate Odoo process), and removed again at the end.
The test's own transaction writes nothing (a plain TransactionCase), so that it holds no lock the
workers need. The fleet's tests put the latency proxy in front of Dovecot (50 ms each way), so
that a cycle lasts long enough for workers to overlap, and for one to be killed in the middle.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from unittest.mock import patch

from odoo.api import SUPERUSER_ID
from odoo.api import Environment
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import config
from odoo.tools import mute_logger

from ..models.mailbox_fleet import MailboxFleet
from . import dovecot_server
from .latency_proxy import LatencyProxy
from .mailbox_common import SYNC_LOGGERS
from .mailbox_common import WorkerCursorsMixin

# A separate Odoo process running the scheduled action's loop once (see test_a_killed_worker_...).
WORKER_SCRIPT = """
import sys
import odoo, odoo.init
from odoo.modules.registry import Registry
odoo.tools.config.parse_config(sys.argv[1:])
name = odoo.tools.config["db_name"]
registry = Registry(name[0] if isinstance(name, list) else name)
with registry.cursor() as cr:
    odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["mail.capture.mailbox"]._sync_due()
"""


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxWorkers(WorkerCursorsMixin, dovecot_server.DovecotClassMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        self.login, self.password = self.dovecot.add_user()
        # no back-off another test left (a closed port it tried, the same number as a server
        # here by chance) defers these workers' mailboxes
        self.forget_backoffs()

    def committed_mailbox(self, login=None, port=None, email="admin-sync@example.com"):
        login = login or self.login
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            admin = env.ref("base.user_admin")
            # the test servers' ports, as an administrator allows them
            env["ir.config_parameter"].set_param("mail_lead_capture.imap_extra_ports", "1024-65535")
            mailbox = env["mail.capture.mailbox"].create(
                {
                    "user_id": admin.id,
                    "email": email,
                    "host": "127.0.0.1",
                    "port": port or self.dovecot.plain_port,
                    "security": "none",
                    "login": login,
                    "password": self.dovecot.password_of(login),
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
            for key in ("imap_extra_ports", "sync_parallel", "imap_timeout"):
                env["ir.config_parameter"].set_param(f"mail_lead_capture.{key}", False)

    def committed_lead(self):
        """A lead of Hana's, committed (removed with its messages at the end)."""
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Hana", "email": "hana@client.example"})
            lead = env["crm.lead"].create({"name": "Hana's lead", "partner_id": partner.id})
            ids = lead.id, partner.id
        self.addCleanup(self.remove_lead, *ids)
        return ids[0]

    def remove_lead(self, lead_id, partner_id):
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            env["crm.lead"].browse(lead_id).unlink()
            env["res.partner"].browse(partner_id).unlink()

    def filed(self, lead_id):
        """The Message-Ids filed on the lead (one entry per message: a repeat shows twice)."""
        with self.worker() as cr:
            cr.execute(
                "SELECT message_id FROM mail_message WHERE model = 'crm.lead' AND res_id = %s "
                "AND message_type = 'email'",
                [lead_id],
            )
            return sorted(row[0] for row in cr.fetchall())

    def seed(self, count, lead_mails, email):
        """A Dovecot account for ``email``, with ``count`` mails to it, the first ``lead_mails``
        of them from Hana, the others from strangers; (login, Message-Ids of Hana's)."""
        login = self.dovecot.add_user()[0]
        ids = []
        for n in range(count):
            lead_mail = n < lead_mails
            raw = dovecot_server.build_message(
                sender="hana@client.example" if lead_mail else f"someone{n}@elsewhere.example",
                to=[email],
                subject=f"{login} mail {n}",
            )
            self.dovecot.append(login, "INBOX", raw)
            if lead_mail:
                ids.append(raw.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0].decode())
        return login, ids

    def run_sync_loop(self):
        """The scheduled action's loop, in a worker of its own; how many mailboxes it synced."""
        with self.worker() as cr, mute_logger(*SYNC_LOGGERS):
            return Environment(cr, SUPERUSER_ID, {})["mail.capture.mailbox"]._sync_due()

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

    def test_a_mailbox_another_worker_is_syncing_is_skipped_one_after_another(self):
        """The same with the plain loop (one mailbox after another)."""
        self.set_params(sync_parallel=1)
        self.test_a_mailbox_another_worker_is_syncing_is_skipped()

    def test_idle_mailboxes_are_written_together_and_one_in_trouble_as_a_pass_does(self):
        """Nothing new: no pass; the quiet mailboxes in one write, one whose trouble is over
        as a pass writes it (its trouble cleared)."""
        self.set_params(sync_parallel=10)
        quiet = self.committed_mailbox()
        troubled = self.committed_mailbox(
            login=self.dovecot.add_user()[0], email="admin-sync-2@example.com"
        )
        self.run_sync_loop()  # the first import
        with self.worker() as cr:
            cr.execute(
                "UPDATE mail_capture_mailbox SET next_sync = NULL, trouble_since = CASE WHEN id = "
                "%s THEN (now() AT TIME ZONE 'UTC') - interval '1 hour' END WHERE id IN %s",
                [troubled, (quiet, troubled)],
            )
        imported = self.last_sync(quiet)
        time.sleep(1)  # last_sync has second precision
        no_pass = AssertionError("a pass for a mailbox with nothing new")
        with patch.object(MailboxFleet, "sync", autospec=True, side_effect=no_pass):
            self.assertEqual(self.run_sync_loop(), 2)
        with self.worker() as cr:
            cr.execute(
                "SELECT id, state, last_sync > %s, next_sync > last_sync, trouble_since "
                "FROM mail_capture_mailbox WHERE id IN %s ORDER BY id",
                [imported, (quiet, troubled)],
            )
            rows = cr.fetchall()
        self.assertEqual(
            rows,
            [(quiet, "connected", True, True, None), (troubled, "connected", True, True, None)],
        )

    def test_two_workers_share_the_fleet_and_never_sync_a_mailbox_twice(self):
        lead_id = self.committed_lead()
        # two mailboxes at once each: the workers claim a few at a time, so both take part
        self.set_params(sync_parallel=2)
        expected, logins = [], []
        with LatencyProxy(self.dovecot.plain_port) as proxy:
            for n in range(8):
                login, ids = self.seed(3, 1, f"box{n}@example.com")
                self.committed_mailbox(login, proxy.port, f"box{n}@example.com")
                expected += ids
                logins.append(login)
            start = threading.Barrier(2)
            # Both workers make their first claim before either syncs anything: on a busy
            # machine one thread could otherwise claim all eight before the other one starts.
            first_claims = threading.Barrier(2, timeout=60)
            claimed_once = threading.local()
            claim = MailboxFleet.claim

            def claim_then_meet(fleet, limit):
                ids = claim(fleet, limit)
                if not getattr(claimed_once, "done", False):
                    claimed_once.done = True
                    first_claims.wait()
                return ids

            synced = []

            def work():
                start.wait()
                synced.append(self.run_sync_loop())

            workers = [threading.Thread(target=work) for _n in range(2)]
            with patch.object(MailboxFleet, "claim", claim_then_meet):
                for thread in workers:
                    thread.start()
                for thread in workers:
                    thread.join(120)
        self.assertEqual(sorted(synced) and sum(synced), 8, "each mailbox synced once in all")
        self.assertTrue(all(synced), f"both workers took part: {synced}")
        self.assertEqual(self.filed(lead_id), sorted(expected), "each mail filed once")
        for login in logins:
            # one IMAP session per mailbox: no worker connected to a mailbox another one had
            self.assertEqual(self.dovecot.transfer_counts(login)["sessions"], 1, login)

    def test_a_killed_worker_loses_and_duplicates_nothing(self):
        lead_id = self.committed_lead()
        self.set_params(sync_parallel=3)
        expected = []
        with LatencyProxy(self.dovecot.plain_port) as proxy:
            for n in range(3):
                login, ids = self.seed(12, 12, f"box{n}@example.com")
                self.committed_mailbox(login, proxy.port, f"box{n}@example.com")
                expected += ids
            # another Odoo process runs the scheduled action's loop, and is killed (SIGKILL) once
            # it has filed some of the mail
            args = [
                f"--database={self.env.cr.dbname}",
                f"--addons-path={','.join(config['addons_path'])}",
                "--log-level=warn",
            ]
            for key in ("db_host", "db_port", "db_user", "db_password"):
                if config.get(key):
                    args.append(f"--{key}={config[key]}")
            worker = subprocess.Popen(
                [sys.executable, "-c", WORKER_SCRIPT, *args], start_new_session=True
            )
            try:
                deadline = time.monotonic() + 180
                while not self.filed(lead_id) and time.monotonic() < deadline:
                    self.assertIsNone(worker.poll(), "the worker ended before filing anything")
                    time.sleep(0.02)
                os.killpg(worker.pid, signal.SIGKILL)
            finally:
                worker.wait(30)
            at_kill = self.filed(lead_id)
            self.assertTrue(0 < len(at_kill) < len(expected), f"killed mid-cycle: {len(at_kill)}")
            # its claims lapse with its database connection: the next worker takes everything
            # (PostgreSQL notices the dead connection within a moment)
            deadline, synced = time.monotonic() + 30, 0
            while synced < 3 and time.monotonic() < deadline:
                synced += self.run_sync_loop()
                time.sleep(0.2)
        self.assertEqual(self.filed(lead_id), sorted(expected), "nothing lost, nothing twice")

    def test_a_server_that_stops_answering_does_not_delay_the_others(self):
        lead_id = self.committed_lead()
        self.set_params(sync_parallel=4, imap_timeout=4)
        with dovecot_server.SilentServer() as silent:
            # the silent server's mailbox comes first in the queue (never synced, lowest id)
            hung_id = self.committed_mailbox("hung", silent.port, "hung@example.com")
            login, ids = self.seed(2, 1, "good@example.com")
            good_id = self.committed_mailbox(login, None, "good@example.com")
            self.run_sync_loop()
        self.assertEqual(self.filed(lead_id), ids)
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            hung, good = env["mail.capture.mailbox"].browse([hung_id, good_id])
            self.assertEqual(hung.state, "error")
            self.assertIn("did not answer in time", hung.last_error)
            self.assertEqual(good.state, "connected")
            # the other mailbox's pass began while the silent server was still awaited (one
            # after another, it would begin only once that server's time was up)
            self.assertLess(good.last_sync, hung.error_date)

    def test_sync_jobs_are_copies_of_the_scheduled_action(self):
        """Settings > Sync Jobs: one more cron worker may sync mailboxes per copy."""
        self.env["res.config.settings"].create({"lead_capture_sync_jobs": 3}).execute()
        Mailbox = self.env["mail.capture.mailbox"]
        crons = Mailbox._sync_crons()
        self.assertEqual(len(crons.filtered("active")), 3)
        self.assertEqual(self.env["res.config.settings"].create({}).lead_capture_sync_jobs, 3)
        with self.enter_registry_test_mode(), mute_logger(*SYNC_LOGGERS):
            for cron in crons:
                # each copy may run the sync (its entry point accepts no other caller)
                self.assertIs(cron.method_direct_trigger(), True, cron.name)
        self.env["res.config.settings"].create({"lead_capture_sync_jobs": 1}).execute()
        self.assertEqual(Mailbox._sync_crons().filtered("active"), crons[:1])
        with self.assertRaises(AssertionError):
            Mailbox.with_context(
                cron_id=self.env.ref("base.autovacuum_job").id
            )._cron_sync_mailboxes()
