"""The INBOX watcher: a long-lived process that files new mail within seconds of its arrival.

Not a model. ``odoo-bin lead_capture_watch`` (``cli/lead_capture_watch.py``) runs an
:class:`InboxWatch` over one database: one thread per synced mailbox holds a connection to its
INBOX (``tools/imap/watch``: IMAP IDLE, else NOOP polling; reconnect with back-off) and, when the
server announces mail, hands the mailbox to the watch's own thread, which runs an INBOX-only pass
(``mail.capture.mailbox._sync_inbox``) in a cursor of its own, under the mailbox's
row lock (SKIP LOCKED, as the scheduled action takes it): a mailbox the scheduled action is syncing
is tried again a few seconds later, so that a pass starting after the news reads it. The watcher
stores nothing of its own: a kill loses nothing (the sync's checkpoints), and every (re)connection
asks for a pass, for mail that came while no one watched.

Politeness: the watcher's connections count in the same caps as the scheduled action's
(``tools/imap/fleet.Gates`` over the slots every process on the database shares,
``mailbox_slots``): a watched mailbox holds one slot of its server host and one of its account
for as long as it is watched, and its INBOX passes take one more while they run. So that watching
never starves the scheduled sync, the watcher holds at most ``host_share`` of a host's cap
(setting "Connections per Mail Server"; the share is itself a slot that all watchers of the
database share): the mailboxes beyond it are not watched (logged; tried again at each refresh)
and are synced by the scheduled action as before. Reconnections wait for the host's or the
account's back-off (``[UNAVAILABLE]``, ``[THROTTLED]``, a refused connection) as the fleet does:
the same back-off, which every process on the database shares (``mail.capture.server.backoff``).
"""

import dataclasses
import logging
import queue
import threading
import time
from contextlib import contextmanager

from odoo import SUPERUSER_ID
from odoo import api

from ..tools import imap
from ..tools.imap import fleet as imap_fleet
from ..tools.imap import watch as imap_watch
from .mailbox_gate import target_of
from .mailbox_slots import AdvisorySlots

_logger = logging.getLogger(__name__)

REFRESH_SECONDS = 60  # how often the list of mailboxes to watch is read again
PASS_SECONDS = 60  # time box of one INBOX pass (a big backlog is the scheduled action's)
RETRY_SECONDS = 5  # a mailbox being synced elsewhere, or cut by the time box, is tried again then
REFUSED_RETRY_SECONDS = 600  # a refused login is tried again (new credentials) this much later
# The most of a host's connection cap (setting "Connections per Mail Server") the watcher holds:
# the rest is the scheduled action's.
HOST_SHARE = 0.5


def watch_slot(host):
    """The name of the slots the watchers of the database share on ``host``."""
    return "watch:" + host.lower()


@dataclasses.dataclass
class Watched:
    """One mailbox's watch: its thread, what stops it, what it reports, what it connects with."""

    thread: threading.Thread
    stop: threading.Event
    state: imap_watch.WatchState
    settings: tuple
    started: float
    target: imap_fleet.Target  # what its connections are gated as (host, account)


class InboxWatch:
    """Watches the INBOX of every synced mailbox of ``registry``'s database; syncs on news."""

    def __init__(
        self,
        registry,
        *,
        idle_seconds=imap_watch.IDLE_SECONDS,
        poll_seconds=imap_watch.POLL_SECONDS,
        refresh_seconds=REFRESH_SECONDS,
        pass_seconds=PASS_SECONDS,
        retry_seconds=RETRY_SECONDS,
        host_share=HOST_SHARE,
    ):
        self.registry = registry
        self.host_share = host_share
        # this process's connection counts and back-offs; the database's slots are added by
        # :meth:`refresh` (and replaced, every watch restarted, if their connection breaks)
        self.base_gates = imap_fleet.Gates()
        self.gates = self.base_gates
        self.slots = None
        self.unwatched = set()  # mailboxes to watch that got no connection slot
        self.idle_seconds = idle_seconds
        self.poll_seconds = poll_seconds
        self.refresh_seconds = refresh_seconds
        self.pass_seconds = pass_seconds
        self.retry_seconds = retry_seconds
        self.watched = {}  # mailbox id -> Watched
        self.news = queue.Queue()  # (mailbox id, reason) from the watching threads
        self.due = {}  # mailbox id -> monotonic time from which its INBOX pass may run
        self.stopping = threading.Event()
        self.passes = 0  # INBOX passes run (for logs, tests and the benchmark)

    # ------------------------------------------------------------ the loop

    def serve(self):
        """Watch and sync until :meth:`stop` (a signal handler may call it)."""
        next_refresh = 0.0
        try:
            while not self.stopping.is_set():
                if time.monotonic() >= next_refresh:
                    self.refresh()
                    next_refresh = time.monotonic() + self.refresh_seconds
                self.step(timeout=min(1.0, max(next_refresh - time.monotonic(), 0.0)))
        finally:
            self.close()

    def stop(self):
        self.stopping.set()

    def step(self, timeout=1.0):
        """Wait up to ``timeout`` seconds for news, then run the INBOX passes that are due."""
        self.collect(timeout)
        self.sync_due()

    def collect(self, timeout):
        """Move the watching threads' news into :attr:`due` (waiting up to ``timeout`` for one)."""
        try:
            items = [self.news.get(timeout=timeout)] if timeout > 0 else []
        except queue.Empty:
            items = []
        while True:
            try:
                items.append(self.news.get_nowait())
            except queue.Empty:
                break
        now = time.monotonic()
        for mailbox_id, _reason in items:
            self.due[mailbox_id] = min(self.due.get(mailbox_id, now), now)

    # ------------------------------------------------------------ mailboxes to watch

    def refresh(self):
        """Start a watch for each mailbox to watch, and stop the others (or those whose connection
        settings changed); a watch that ended (a refused login) starts again after a while."""
        now = time.monotonic()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Mailbox = env["mail.capture.mailbox"]
            host_limit = Mailbox._int_param("host_connections", imap_fleet.DEFAULT_HOST_LIMIT)
            self.open_slots(host_limit)
            mailboxes = Mailbox.search(Mailbox._watch_domain())
            for mailbox_id in set(self.watched) - set(mailboxes.ids):
                self.forget(mailbox_id)
            self.unwatched = set()
            for mailbox in mailboxes:
                settings = (
                    mailbox.host,
                    mailbox.port,
                    mailbox.security,
                    mailbox.login,
                    mailbox.auth_method,
                    mailbox.tls_fingerprint,
                )
                current = self.watched.get(mailbox.id)
                if current and current.settings == settings and current.thread.is_alive():
                    continue
                if (
                    current
                    and current.settings == settings
                    and now - current.started < REFUSED_RETRY_SECONDS
                ):
                    continue  # its login was refused a moment ago: not again so soon
                if current:
                    self.forget(mailbox.id)
                target = self.target(mailbox)
                if target is None:
                    continue  # no server: the scheduled action's pass says so on the mailbox
                # its slots first: a mailbox over the watcher's share is left to the schedule
                held = self.take_slots(target, host_limit)
                if held is None:
                    self.unwatched.add(mailbox.id)
                    continue
                # credentials come from a transaction that holds the lock (a renewed token is
                # written on the mailbox); one the scheduled action holds is watched next time
                connect = None
                try:
                    if mailbox.try_lock_for_update(allow_referencing=True):
                        connect = mailbox._watch_connect()
                except Exception:  # a refused token renewal, a port not allowed...
                    _logger.info("Mailbox %s: not watched", mailbox.id, exc_info=True)
                finally:
                    cr.commit()  # pylint: disable=invalid-commit
                if connect is None:
                    self.give_slots(target, held)
                    continue
                self.start(mailbox.id, self.gated(connect, target), settings, target, held)
        if self.unwatched:
            _logger.warning(
                "%d mailboxes not watched: the watcher may hold %d of the %d connections per mail "
                "server (setting Connections per Mail Server), or the server asked to wait; the "
                "scheduled action syncs them, and the watcher tries again in %d s",
                len(self.unwatched),
                self.share(host_limit),
                host_limit,
                self.refresh_seconds,
            )

    # ------------------------------------------------------------ connection slots

    def open_slots(self, host_limit):
        """The database's shared slots, on a connection of the watcher's own. If that connection
        broke, the slots it held are gone: every watch stops and starts again with new ones."""
        if self.slots is not None and self.slots.broken:
            for mailbox_id in list(self.watched):
                self.forget(mailbox_id)
            self.slots = None
        if self.slots is None:
            self.slots = AdvisorySlots(self.registry.db_name)
        self.gates = self.base_gates.with_slots(self.slots, host_limit, backoffs=self.slots)

    def share(self, host_limit):
        """How many of a host's ``host_limit`` connections the watcher may hold."""
        return int(host_limit * self.host_share)

    @staticmethod
    def target(mailbox):
        """The mailbox as the gates see it (its host and account), or None without a server."""
        return target_of(mailbox) if mailbox.host else None

    def take_slots(self, target, host_limit):
        """A slot of the watchers' share of the host, then the gates' host and account slots,
        without waiting; the share's token (True without it), or None if any is taken."""
        share = self.share(host_limit)
        token = self.slots.take(watch_slot(target.host), share) if share > 0 else None
        if token is None:
            return None
        if not self.gates.acquire(target, wait=0):
            self.slots.give(token)
            return None
        return token

    def give_slots(self, target, token):
        self.gates.release(target)
        self.slots.give(token)

    def gated(self, connect, target):
        """``connect`` under the gates' back-off: a host or an account asked to wait is not
        connected to before its time, and a failure backs them off as the fleet's would."""
        gates = self.gates

        @contextmanager
        def opened():
            left = gates.backing_off(target)
            if left:
                raise imap.ImapError("unreachable", f"backing off for {left:.0f} s")
            try:
                with connect() as session:
                    gates.succeeded(target)
                    yield session
            except imap.ImapError as error:
                if scope := imap_fleet.backoff_scope(error):
                    gates.back_off(target, scope)
                raise

        return opened

    def start(self, mailbox_id, connect, settings, target, held):
        stop = threading.Event()
        state = imap_watch.WatchState()
        gates, slots = self.gates, self.slots

        def on_change(reason):
            self.news.put((mailbox_id, reason))

        def run():
            try:
                final = imap_watch.watch_inbox(
                    connect,
                    on_change,
                    stop,
                    idle_seconds=self.idle_seconds,
                    poll_seconds=self.poll_seconds,
                    state=state,
                    not_before=lambda: gates.backing_off(target),
                )
            finally:
                gates.release(target)
                slots.give(held)
            if final.stopped_by != "stop":
                _logger.warning(
                    "Mailbox %s: INBOX watch ended, the server refused the login (%s)",
                    mailbox_id,
                    final.stopped_by,
                )

        thread = threading.Thread(target=run, name=f"lead_capture_watch.{mailbox_id}", daemon=True)
        thread.dbname = self.registry.db_name  # Odoo's log lines name the database
        self.watched[mailbox_id] = Watched(thread, stop, state, settings, time.monotonic(), target)
        thread.start()
        _logger.info("Mailbox %s: watching its INBOX", mailbox_id)

    def forget(self, mailbox_id):
        watched = self.watched.pop(mailbox_id, None)
        if watched:
            watched.stop.set()
        self.due.pop(mailbox_id, None)

    def close(self, wait=10.0):
        """Stop every watch (each ends its IDLE within ``tools/imap/session.IDLE_SLICE`` seconds)."""
        watched = list(self.watched.values())
        for mailbox_id in list(self.watched):
            self.forget(mailbox_id)
        deadline = time.monotonic() + wait
        for item in watched:
            item.thread.join(max(deadline - time.monotonic(), 0))
        slots, self.slots = self.slots, None
        if slots is not None:
            slots.close()  # gives back the slots of any watch still ending

    # ------------------------------------------------------------ passes

    def sync_due(self):
        """Run the INBOX pass of each mailbox with news, each in a transaction of its own that
        locks the mailbox (SKIP LOCKED): one locked elsewhere is tried again a little later."""
        now = time.monotonic()
        for mailbox_id in [m for m, when in self.due.items() if when <= now]:
            if self.stopping.is_set():
                return
            # the pass's own connection takes its slots too (not the watchers' share): none
            # free, the pass waits a little (the scheduled action's passes have them)
            watched = self.watched.get(mailbox_id)
            target = watched.target if watched else None
            if target is not None and not self.gates.acquire(target, wait=0):
                self.due[mailbox_id] = time.monotonic() + self.retry_seconds
                continue
            try:
                self.sync_one(mailbox_id)
            finally:
                if target is not None:
                    self.gates.release(target)

    def sync_one(self, mailbox_id):
        """The INBOX pass of one mailbox, under its row lock (tried again later if locked)."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Mailbox = env["mail.capture.mailbox"]
            record = Mailbox.browse(mailbox_id).exists()
            mailbox = record.try_lock_for_update(allow_referencing=True) if record else record
            if record and not mailbox:
                self.due[mailbox_id] = time.monotonic() + self.retry_seconds
                return
            # news that comes from now on asks for another pass: this one may start too early
            self.due.pop(mailbox_id, None)
            if not mailbox.filtered_domain(Mailbox._watch_domain()):
                return
            complete = mailbox._sync_inbox(deadline=time.monotonic() + self.pass_seconds)
            cr.commit()  # pylint: disable=invalid-commit
            self.passes += 1
            if not complete:
                self.due.setdefault(mailbox_id, time.monotonic() + self.retry_seconds)
