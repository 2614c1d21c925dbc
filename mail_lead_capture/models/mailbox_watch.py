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
"""

import dataclasses
import logging
import queue
import threading
import time

from odoo import SUPERUSER_ID
from odoo import api

from ..tools.imap import watch as imap_watch

_logger = logging.getLogger(__name__)

REFRESH_SECONDS = 60  # how often the list of mailboxes to watch is read again
PASS_SECONDS = 60  # time box of one INBOX pass (a big backlog is the scheduled action's)
RETRY_SECONDS = 5  # a mailbox being synced elsewhere, or cut by the time box, is tried again then
REFUSED_RETRY_SECONDS = 600  # a refused login is tried again (new credentials) this much later


@dataclasses.dataclass
class Watched:
    """One mailbox's watch: its thread, what stops it, what it reports, what it connects with."""

    thread: threading.Thread
    stop: threading.Event
    state: imap_watch.WatchState
    settings: tuple
    started: float


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
    ):
        self.registry = registry
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
            mailboxes = Mailbox.search(Mailbox._watch_domain())
            for mailbox_id in set(self.watched) - set(mailboxes.ids):
                self.forget(mailbox_id)
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
                # credentials come from a transaction that holds the lock (a renewed token is
                # written on the mailbox); one the scheduled action holds is watched next time
                if not mailbox.try_lock_for_update(allow_referencing=True):
                    continue
                try:
                    connect = mailbox._watch_connect()
                except Exception:  # a refused token renewal, a port not allowed...
                    _logger.info("Mailbox %s: not watched", mailbox.id, exc_info=True)
                    continue
                finally:
                    cr.commit()  # pylint: disable=invalid-commit
                self.start(mailbox.id, connect, settings)

    def start(self, mailbox_id, connect, settings):
        stop = threading.Event()
        state = imap_watch.WatchState()

        def on_change(reason):
            self.news.put((mailbox_id, reason))

        def run():
            final = imap_watch.watch_inbox(
                connect,
                on_change,
                stop,
                idle_seconds=self.idle_seconds,
                poll_seconds=self.poll_seconds,
                state=state,
            )
            if final.stopped_by != "stop":
                _logger.warning(
                    "Mailbox %s: INBOX watch ended, the server refused the login (%s)",
                    mailbox_id,
                    final.stopped_by,
                )

        thread = threading.Thread(target=run, name=f"lead_capture_watch.{mailbox_id}", daemon=True)
        thread.dbname = self.registry.db_name  # Odoo's log lines name the database
        self.watched[mailbox_id] = Watched(thread, stop, state, settings, time.monotonic())
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

    # ------------------------------------------------------------ passes

    def sync_due(self):
        """Run the INBOX pass of each mailbox with news, each in a transaction of its own that
        locks the mailbox (SKIP LOCKED): one locked elsewhere is tried again a little later."""
        now = time.monotonic()
        for mailbox_id in [m for m, when in self.due.items() if when <= now]:
            if self.stopping.is_set():
                return
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                Mailbox = env["mail.capture.mailbox"]
                record = Mailbox.browse(mailbox_id).exists()
                mailbox = record.try_lock_for_update(allow_referencing=True) if record else record
                if record and not mailbox:
                    self.due[mailbox_id] = time.monotonic() + self.retry_seconds
                    continue
                # news that comes from now on asks for another pass: this one may start too early
                self.due.pop(mailbox_id, None)
                if not mailbox.filtered_domain(Mailbox._watch_domain()):
                    continue
                complete = mailbox._sync_inbox(deadline=time.monotonic() + self.pass_seconds)
                cr.commit()  # pylint: disable=invalid-commit
                self.passes += 1
                if not complete:
                    self.due.setdefault(mailbox_id, time.monotonic() + self.retry_seconds)
