"""The back-off every process on the database shares (``mail.capture.server.backoff``, read and
written by ``mailbox_slots.AdvisorySlots`` for ``tools/imap/fleet.Gates``), against the real
PostgreSQL and the real Dovecot: a back-off another worker set (its own database connection) makes
this one leave the server alone until it ends, a success clears it, a server refusing connections
is backed off for everyone; the INBOX watcher and the mailbox form's buttons hold to it too, and
the buttons take connection slots as the scheduled action does.

Like test_mailbox_slots, these tests commit through cursors of their own and remove what they
made at the end; the test's own transaction writes nothing.
"""

import time
from unittest.mock import patch

from odoo.api import SUPERUSER_ID
from odoo.api import Environment
from odoo.exceptions import UserError
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import mailbox_gate
from ..models.mailbox_slots import AdvisorySlots
from ..models.mailbox_watch import InboxWatch
from ..tools.imap import fleet as imap_fleet
from ..tools.imap.session import Credentials
from ..tools.imap.session import ImapError
from . import dovecot_server
from .mailbox_common import SYNC_LOGGERS
from .mailbox_common import WorkerCursorsMixin

HOST = "127.0.0.1"
WAIT_SECONDS = 30
# A back-off another worker sets in these tests (seconds): short, the tests wait for its end.
SHORT = 2.0


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxBackoff(WorkerCursorsMixin, dovecot_server.DovecotClassMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        self.set_params(imap_extra_ports="1024-65535", sync_parallel=4)
        self.addCleanup(self.set_params, imap_extra_ports=False, sync_parallel=False)
        self.forget_backoffs()  # those other tests left (their closed ports)
        self.addCleanup(self.forget_backoffs)

    def committed_mailbox(self, number, port=None):
        return self.commit_mailbox(f"admin-backoff{number}@example.com", port)

    def other_worker(self):
        """Another worker's connection to the shared slots and back-offs."""
        slots = AdvisorySlots(self.env.cr.dbname)
        self.addCleanup(slots.close)
        return slots

    def server(self, port=None):
        return imap_fleet.backoff_name(
            imap_fleet.Target(
                0, HOST, port or self.dovecot.plain_port, "none", Credentials("", "")
            ),
            "host",
        )

    def rows(self):
        with self.worker() as cr:
            cr.execute("SELECT name, scope, delay FROM mail_capture_server_backoff ORDER BY name")
            return cr.fetchall()

    def run_sync_loop(self):
        with self.worker() as cr, mute_logger(*SYNC_LOGGERS):
            return Environment(cr, SUPERUSER_ID, {})["mail.capture.mailbox"]._sync_due()

    def mailbox_values(self, mailbox_id, *names):
        with self.worker() as cr:
            record = Environment(cr, SUPERUSER_ID, {})["mail.capture.mailbox"].browse(mailbox_id)
            return tuple(record[name] for name in names)

    def click(self, mailbox_id, button):
        """Click a button of the mailbox's form (as an administrator, in a worker's request)."""
        with self.worker() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            admin = env.ref("base.user_admin")
            return getattr(
                env["mail.capture.mailbox"].with_user(admin).browse(mailbox_id), button
            )()

    def wait_until_ended(self, slots, name):
        deadline = time.monotonic() + WAIT_SECONDS
        while slots.read_backoffs().get(name, (0, 0))[0] > 0 and time.monotonic() < deadline:
            time.sleep(0.1)

    # ------------------------------------------------------------ the scheduled action

    def test_a_back_off_another_worker_set_is_held_until_it_ends_and_a_success_clears_it(self):
        mailbox_id, login = self.committed_mailbox(1)
        other = self.other_worker()
        left, delay = other.hold_off(self.server(), SHORT)
        self.assertEqual(delay, SHORT)
        self.assertGreater(left, 0)
        self.assertEqual(self.run_sync_loop(), 0)
        self.assertEqual(self.mailbox_values(mailbox_id, "last_sync"), (False,), "not synced")
        self.assertEqual(
            self.dovecot.transfer_counts(login, sessions=0)["sessions"], 0, "not even connected"
        )

        self.wait_until_ended(other, self.server())
        self.assertEqual(self.run_sync_loop(), 1, "synced once the back-off ended")
        self.assertTrue(self.mailbox_values(mailbox_id, "last_sync")[0])
        self.assertEqual(self.rows(), [], "the success cleared it for everyone")
        self.assertFalse(other.read_backoffs())

    def test_a_server_that_refuses_connections_is_backed_off_for_every_worker(self):
        closed = dovecot_server.free_port()  # nobody listens there
        refused_id, _login = self.committed_mailbox(1, port=closed)
        self.run_sync_loop()
        state, error = self.mailbox_values(refused_id, "state", "last_error")
        self.assertEqual(state, "error")
        self.assertIn("cannot be reached", error)
        self.assertEqual(
            self.rows(), [(self.server(closed), "host", imap_fleet.BACKOFF_FIRST)], "one row"
        )
        # another worker (its own process's gates, its own connection) leaves it alone too
        elsewhere = imap_fleet.Gates(backoffs=self.other_worker())
        target = imap_fleet.Target(2, HOST, closed, "none", Credentials("someone", ""))
        self.assertGreater(elsewhere.backing_off(target), 0)
        self.assertFalse(elsewhere.acquire(target, wait=0))
        # the other servers of the host are not held back (Dovecot's port, same address)
        good_id, _login = self.committed_mailbox(2)
        self.assertEqual(self.run_sync_loop(), 1)
        self.assertEqual(self.mailbox_values(good_id, "state"), ("connected",))

    # ------------------------------------------------------------ the INBOX watcher

    def test_the_watcher_holds_to_a_back_off_another_worker_set(self):
        mailbox_id, login = self.committed_mailbox(1)
        self.set_params(host_connections=4)
        self.addCleanup(self.set_params, host_connections=False)
        other = self.other_worker()
        other.hold_off(self.server(), SHORT)
        watch = InboxWatch(self.env.registry, idle_seconds=60)
        self.addCleanup(watch.close)
        with mute_logger("odoo.addons.mail_lead_capture.models.mailbox_watch"):
            watch.refresh()
        self.assertEqual(watch.unwatched, {mailbox_id}, "not watched while its server waits")
        self.assertEqual(
            self.dovecot.transfer_counts(login, sessions=0)["sessions"], 0, "not connected"
        )
        self.wait_until_ended(other, self.server())
        with mute_logger("odoo.addons.mail_lead_capture.models.mailbox_watch"):
            watch.refresh()
        self.assertIn(mailbox_id, watch.watched, "watched once the back-off ended")
        target = watch.watched[mailbox_id].target

        # a back-off set while it is watched: its reconnection and its INBOX pass wait for it
        other.hold_off(self.server(), 60)
        time.sleep(imap_fleet.BACKOFF_REFRESH + 0.1)  # the gates read the shared back-offs again
        self.assertGreater(watch.gates.backing_off(target), 50)
        attempts = []
        with self.assertRaises(ImapError) as caught:
            with watch.gated(lambda: attempts.append(1), target)():
                pass
        self.assertFalse(attempts, "not connected to before the back-off ends")
        self.assertIn("backing off", caught.exception.detail)
        self.assertFalse(watch.gates.acquire(target, wait=0), "no INBOX pass meanwhile")

    # ------------------------------------------------------------ the buttons

    def test_the_buttons_take_a_slot_and_hold_to_the_back_offs(self):
        mailbox_id, login = self.committed_mailbox(1)
        self.set_params(host_connections=1)
        self.addCleanup(self.set_params, host_connections=False)
        # another worker holds the host's only connection
        other = self.other_worker()
        held = other.take(imap_fleet.host_slot(HOST), 1)
        self.assertTrue(held)
        with patch.object(mailbox_gate, "BUTTON_SLOT_WAIT", 0.3):
            with self.assertRaises(UserError) as caught:
                self.click(mailbox_id, "action_test_connection")
            self.assertIn(
                "already has as many connections from Odoo as allowed", str(caught.exception)
            )
            self.assertIn("Connections per Mail Server", str(caught.exception))
            with self.assertRaises(UserError):
                self.click(mailbox_id, "action_sync_now")
        self.assertEqual(
            self.dovecot.transfer_counts(login, sessions=0)["sessions"], 0, "no connection"
        )
        other.give(held)
        result = self.click(mailbox_id, "action_test_connection")
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        # the button gave its slot back
        self.assertTrue(other.take(imap_fleet.host_slot(HOST), 1), "its slot was given back")

    def test_a_button_refused_by_the_server_backs_it_off_and_says_when_to_try_again(self):
        closed = dovecot_server.free_port()
        mailbox_id, _login = self.committed_mailbox(1, port=closed)
        result = self.click(mailbox_id, "action_test_connection")
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("cannot be reached", result["params"]["message"])
        self.assertEqual([row[0] for row in self.rows()], [self.server(closed)], "for everyone")
        with self.assertRaises(UserError) as caught:
            self.click(mailbox_id, "action_sync_now")
        self.assertIn("asked Odoo to wait", str(caught.exception))
        self.assertRegex(str(caught.exception), r"for another \d+ seconds")
