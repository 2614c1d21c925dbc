"""Connection slots every process on the database shares (``models/mailbox_slots.py``), against
the real PostgreSQL: connections of their own (as separate workers), a worker process killed, the
scheduled action and the INBOX watcher within one host's cap together, with the real Dovecot.

Like test_mailbox_workers, these tests commit through cursors of their own and remove what they
made at the end; the test's own transaction writes nothing.
"""

import json
import subprocess
import sys
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo import sql_db
from odoo.api import SUPERUSER_ID
from odoo.api import Environment
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.mailbox_fleet import MailboxFleet
from ..models.mailbox_slots import AdvisorySlots
from ..models.mailbox_slots import slot_key
from ..models.mailbox_watch import InboxWatch
from ..tools.imap import fleet as imap_fleet
from ..tools.imap.fleet import Gates
from ..tools.imap.fleet import Target
from ..tools.imap.session import Credentials
from ..tools.imap.session import ImapError
from . import dovecot_server
from .mailbox_common import SYNC_LOGGERS
from .mailbox_common import WorkerCursorsMixin

WAIT_SECONDS = 30
HOST = "127.0.0.1"

# Another worker process holding every slot of a name, until it is killed.
HOLDER_SCRIPT = """
import json, sys, time, psycopg2
info, key, limit = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
connection = psycopg2.connect(**info)
connection.autocommit = True
with connection.cursor() as cr:
    cr.execute("SELECT count(*) FROM generate_series(0, %s - 1) AS slot "
               "WHERE pg_try_advisory_lock(%s, slot)", (limit, key))
    print(cr.fetchone()[0], flush=True)
time.sleep(600)
"""


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxSlots(TransactionCase):
    def slots(self):
        slots = AdvisorySlots(self.env.cr.dbname)
        self.addCleanup(slots.close)
        return slots

    def locks_of(self, slots):
        """How many advisory locks the backend of ``slots`` holds."""
        self.env.cr.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = %s",
            [slots.backend_pid],
        )
        return self.env.cr.fetchone()[0]

    def test_two_connections_together_hold_at_most_the_cap(self):
        one, two = self.slots(), self.slots()
        name = "host:cap.example.com"
        first, second = one.take(name, 3), one.take(name, 3)
        third = two.take(name, 3)
        self.assertTrue(first and second and third)
        self.assertEqual(len({first, second, third}), 3, "three different slots")
        self.assertIsNone(two.take(name, 3), "a fourth, from either connection")
        self.assertIsNone(one.take(name, 3))
        # one statement takes one slot, never more (its LIMIT stops the locking)
        self.assertEqual((self.locks_of(one), self.locks_of(two)), (2, 1))
        self.assertTrue(two.take("host:other.example.com", 3), "another name has its own")
        one.give(first)
        self.assertEqual(self.locks_of(one), 1)
        self.assertEqual(two.take(name, 3), first, "the slot given back is free for others")
        self.assertIsNone(one.take(name, 3))

    def test_a_connection_gone_frees_its_slots(self):
        one, two = self.slots(), self.slots()
        name = "account:cap.example.com:alice"
        self.assertTrue(one.take(name, 2) and one.take(name, 2))
        self.assertIsNone(two.take(name, 2))
        # its backend ended (a worker whose database connection broke)
        self.env.cr.execute("SELECT pg_terminate_backend(%s, 5000)", [one.backend_pid])
        self.assertTrue(self.env.cr.fetchone()[0])
        with mute_logger("odoo.addons.mail_lead_capture.models.mailbox_slots"):
            self.assertIsNone(one.take(name, 2), "a broken connection gives no slot")
        self.assertTrue(one.broken)
        self.assertTrue(two.take(name, 2) and two.take(name, 2), "both slots are free again")
        # and a plain close gives back everything too
        two.close()
        three = self.slots()
        self.assertTrue(three.take(name, 2) and three.take(name, 2))

    def test_a_killed_worker_process_holds_no_slot(self):
        name = "host:killed.example.com"
        _dbname, info = sql_db.connection_info_for(self.env.cr.dbname)
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER_SCRIPT, json.dumps(info), str(slot_key(name)), "2"],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.addCleanup(holder.wait, 10)
        self.addCleanup(holder.kill)
        self.assertEqual(holder.stdout.readline().strip(), "2", "the other worker holds both")
        slots = self.slots()
        self.assertIsNone(slots.take(name, 2))
        holder.kill()  # SIGKILL: no clean-up of its own
        holder.wait(10)
        deadline = time.monotonic() + WAIT_SECONDS
        taken = None
        while taken is None and time.monotonic() < deadline:
            taken = slots.take(name, 2)  # PostgreSQL notices the closed connection at once
            time.sleep(0.1 if taken is None else 0)
        self.assertIsNotNone(taken, "the killed worker's slots were freed")
        self.assertTrue(slots.take(name, 2))

    def test_gates_of_two_workers_share_the_host_cap(self):
        one = Gates(host_limit=2, slots=self.slots(), poll=0.05)
        two = Gates(host_limit=2, slots=self.slots(), poll=0.05)

        def target(login):
            return Target(1, "mail.cap.example", 993, "ssl", Credentials(login, "x"))

        self.assertTrue(one.acquire(target("a"), wait=0))
        self.assertTrue(two.acquire(target("b"), wait=0))
        self.assertFalse(one.acquire(target("c"), wait=0.2), "the host's cap is for both")
        self.assertFalse(two.acquire(target("c"), wait=0.2))
        two.release(target("b"))
        self.assertTrue(one.acquire(target("c"), wait=0))


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxSlotsSync(WorkerCursorsMixin, dovecot_server.DovecotClassMixin, TransactionCase):
    """The scheduled action and the INBOX watcher against the real Dovecot, within one cap."""

    def setUp(self):
        super().setUp()
        self.set_params(imap_extra_ports="1024-65535", sync_parallel=2, host_connections=2)
        self.addCleanup(
            self.set_params, imap_extra_ports=False, sync_parallel=False, host_connections=False
        )
        # a back-off a test sets (shared by every process: a row committed at once) must not
        # defer the next test's mailboxes on the same Dovecot
        self.addCleanup(self.forget_backoffs)
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Hana", "email": "hana@client.example"})
            lead = env["crm.lead"].create({"name": "Hana's lead", "partner_id": partner.id})
            self.lead_id, partner_id = lead.id, partner.id
        self.addCleanup(self.remove, "crm.lead", self.lead_id)
        self.addCleanup(self.remove, "res.partner", partner_id)
        self.logins = {}

    def committed_mailbox(self, number):
        email = f"admin-slots{number}@example.com"
        mailbox_id, login = self.commit_mailbox(email)
        self.logins[mailbox_id] = (login, email)
        return mailbox_id

    def send(self, mailbox_id, subject):
        """A mail from Hana into the mailbox's INBOX; its Message-Id."""
        login, email = self.logins[mailbox_id]
        raw = dovecot_server.build_message(
            sender="hana@client.example", to=[email], subject=f"{subject} {login}"
        )
        self.dovecot.append(login, "INBOX", raw)
        return raw.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0].decode()

    def filed(self):
        with self.worker() as cr:
            cr.execute(
                "SELECT message_id FROM mail_message WHERE model = 'crm.lead' AND res_id = %s "
                "AND message_type = 'email'",
                [self.lead_id],
            )
            return sorted(row[0] for row in cr.fetchall())

    def run_sync_loop(self):
        with self.worker() as cr, mute_logger(*SYNC_LOGGERS):
            return Environment(cr, SUPERUSER_ID, {})["mail.capture.mailbox"]._sync_due()

    def make_due(self, ids):
        """Due now, as if last synced an hour ago (so that a sync within the same second as the
        previous one still shows in ``last_sync``, which Odoo keeps to the second)."""
        now = fields.Datetime.now()
        with self.worker() as cr:
            cr.execute(
                "UPDATE mail_capture_mailbox SET next_sync = %s, last_sync = %s WHERE id IN %s",
                [now - timedelta(minutes=1), now - timedelta(hours=1), tuple(ids)],
            )

    def last_syncs(self, ids):
        with self.worker() as cr:
            cr.execute(
                "SELECT id, last_sync FROM mail_capture_mailbox WHERE id IN %s", [tuple(ids)]
            )
            return dict(cr.fetchall())

    def test_the_scheduled_action_waits_for_slots_other_workers_hold(self):
        mailbox_id = self.committed_mailbox(1)
        other = AdvisorySlots(self.env.cr.dbname)  # another worker, holding the host's cap
        self.addCleanup(other.close)
        held = [other.take(imap_fleet.host_slot(HOST), 2) for _n in range(2)]
        self.assertTrue(all(held))
        with patch.object(MailboxFleet, "slot_wait", 0.5):
            self.run_sync_loop()
            self.assertFalse(self.last_syncs([mailbox_id])[mailbox_id], "no slot, no connection")
            other.give(held[0])
            self.run_sync_loop()
        self.assertTrue(self.last_syncs([mailbox_id])[mailbox_id], "synced with the slot freed")

    def test_the_watcher_takes_its_share_of_a_host_and_the_schedule_syncs_the_rest(self):
        # a cap of 2 connections to the host: the watcher may hold one, for one mailbox of three
        ids = [self.committed_mailbox(number) for number in range(3)]
        first = [self.send(mailbox_id, "First") for mailbox_id in ids]
        self.run_sync_loop()  # their first import
        self.assertEqual(self.filed(), sorted(first))

        watch = InboxWatch(self.env.registry, idle_seconds=60, retry_seconds=0.5)
        self.addCleanup(watch.close)
        with mute_logger("odoo.addons.mail_lead_capture.models.mailbox_watch"):
            watch.refresh()
        self.assertEqual(len(watch.watched), 1, "its share: half of the host's cap")
        self.assertEqual(watch.unwatched, set(ids) - set(watch.watched))
        (watched,) = watch.watched
        # its connection holds its slots: the share, the host's, the account's
        self.env.cr.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = %s",
            [watch.slots.backend_pid],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 3)

        second = {mailbox_id: self.send(mailbox_id, "Second") for mailbox_id in ids}
        deadline = time.monotonic() + WAIT_SECONDS
        with mute_logger(*SYNC_LOGGERS):
            while second[watched] not in self.filed() and time.monotonic() < deadline:
                watch.step(timeout=0.5)
        self.assertIn(second[watched], self.filed(), "the watched mailbox, by the watcher")
        # the others: the scheduled action, with the connection the watcher leaves it
        self.make_due(sorted(watch.unwatched))
        before = self.last_syncs(ids)
        self.run_sync_loop()
        after = self.last_syncs(ids)
        for mailbox_id in watch.unwatched:
            self.assertNotEqual(after[mailbox_id], before[mailbox_id], "synced on schedule")
        self.assertEqual(self.filed(), sorted(first + list(second.values())), "all, once each")

        # the watcher tries again: with a larger cap, it watches them all
        self.set_params(host_connections=6)
        with mute_logger("odoo.addons.mail_lead_capture.models.mailbox_watch"):
            watch.refresh()
        self.assertEqual(set(watch.watched), set(ids))
        self.assertFalse(watch.unwatched)

    def test_a_host_that_asks_to_wait_backs_off_every_watch_on_it(self):
        ids = [self.committed_mailbox(number) for number in range(2)]
        self.set_params(host_connections=4)
        watch = InboxWatch(self.env.registry, idle_seconds=60)
        self.addCleanup(watch.close)
        watch.refresh()
        one, two = (watch.watched[mailbox_id].target for mailbox_id in ids)

        def unavailable():
            raise ImapError("protocol", "[UNAVAILABLE] Server busy, try later")

        with self.assertRaises(ImapError), watch.gated(unavailable, one)():
            pass
        self.assertGreater(watch.gates.backing_off(two), 0, "the whole host backs off")
        attempts = []
        with self.assertRaises(ImapError) as caught, watch.gated(lambda: attempts.append(1), two)():
            pass
        self.assertFalse(attempts, "not connected to before the back-off ends")
        self.assertIn("backing off", caught.exception.detail)
