"""Many mailboxes at once: the network prelude of their sync passes, overlapped in threads.

A sync pass starts with round trips that need nothing from the database: TCP (and TLS), the
greeting, LOGIN, LIST and one STATUS per synced folder. Behind a provider's 100 ms round trip
that is about a second per mailbox, almost all of it waiting. :class:`Fleet` runs that prelude
for many mailboxes in a pool of threads and hands each one back as a :class:`Survey`: the session,
logged in, whose first LIST and first STATUS of each folder are answered from what the prelude
read (:class:`PrimedSession`), so the pass that follows (filing, in the worker's own transaction,
never in these threads) sends none of them again. Nothing here imports Odoo.

Politeness (:class:`Gates`, one per worker process, shared by its passes):

- at most ``host_limit`` connections to one server host, and at most ``Target.account_limit`` to
  one account (Gmail allows 15 per account; see :func:`account_limit`); a slot is held from
  connecting until the session is closed, so a session handed to a pass still counts. Given
  :class:`Slots` shared with other processes (the model layer's: PostgreSQL advisory locks), the
  caps hold for all of them together, not for each;
- a refused connection or an ``[UNAVAILABLE]`` answer backs the server off (its host and port:
  every account on it), a ``[THROTTLED]`` answer or "too many connections" the account: 5 s,
  doubling (at each failure after the previous back-off ended) to 10 minutes, reset by a
  success. A target whose server or account is backing off, or that finds no free slot within
  ``slot_wait`` seconds, is not connected at all: its survey is ``deferred`` and the mailbox stays
  due for a later run. Given :class:`SharedBackoffs` (the model layer's: a table, on the database's
  clock), a back-off one process sets holds for all of them, read again at most every
  ``BACKOFF_REFRESH`` seconds (never a query per connection);
- every connection has the session's timeout, so a server that stops answering holds one thread,
  never the others.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from dataclasses import dataclass
from dataclasses import field
from typing import Protocol

from . import folders as imap_folders
from . import sync as imap_sync
from .session import DEFAULT_TIMEOUT
from .session import Credentials
from .session import Folder
from .session import FolderStatus
from .session import ImapError
from .session import ImapSession
from .summaries import SYNC_HEADER_FIELDS

__all__ = [
    "DEFAULT_ACCOUNT_LIMIT",
    "DEFAULT_HOST_LIMIT",
    "Fleet",
    "Gates",
    "PrimedSession",
    "SharedBackoffs",
    "Slots",
    "Survey",
    "Target",
    "account_limit",
    "account_slot",
    "backoff_name",
    "backoff_scope",
    "host_slot",
    "survey",
]

# Connections to one server host (setting mail_lead_capture.host_connections): from all the
# processes sharing the gates' slots (every Odoo worker on the database), else from one.
DEFAULT_HOST_LIMIT = 50
# Connections to one account when its provider publishes no limit (Dovecot's own default
# mail_max_userip_connections is 10).
DEFAULT_ACCOUNT_LIMIT = 10
# Providers' documented limits of simultaneous IMAP connections per account, by host suffix.
ACCOUNT_LIMITS = {
    "gmail.com": 15,  # Gmail: 15 per account
    "googlemail.com": 15,
    "office365.com": 20,  # Exchange Online: 20 per mailbox
    "outlook.com": 20,
    "yahoo.com": 5,
}
BACKOFF_FIRST = 5.0
BACKOFF_MAX = 600.0
# How long the gates trust what they last read of the shared back-offs (seconds): a back-off set
# by another process is seen within this time; one query at most this often, per run.
BACKOFF_REFRESH = 1.0
# How long a thread waits for a free slot before the target is deferred.
SLOT_WAIT = 30.0
# How often a thread waiting for a slot held by another process asks the shared slots again.
SLOT_POLL = 0.5

_SCOPES = ("host", "account")
_HOST_CODES = ("[unavailable]",)
_ACCOUNT_CODES = ("[throttled]", "[limit]", "too many", "maximum number of connections")


def account_limit(host: str) -> int:
    """The most simultaneous connections to one account of ``host``'s provider."""
    host = (host or "").strip().lower().rstrip(".")
    for suffix, limit in ACCOUNT_LIMITS.items():
        if host == suffix or host.endswith("." + suffix):
            return limit
    return DEFAULT_ACCOUNT_LIMIT


def backoff_scope(error: ImapError) -> str | None:
    """``"host"``, ``"account"`` or None: what a failure says to leave alone for a while.

    A refused connection or ``[UNAVAILABLE]`` (RFC 5530: the server is overloaded or down) is
    about the host; ``[THROTTLED]``, ``[LIMIT]`` and "too many connections" about the account.
    """
    detail = (error.detail or "").lower()
    if any(code in detail for code in _ACCOUNT_CODES):
        return "account"
    if any(code in detail for code in _HOST_CODES):
        return "host"
    if error.kind == "unreachable" and "refused" in detail:
        return "host"
    return None


@dataclass(frozen=True, slots=True)
class Target:
    """One mailbox to survey: where and how to connect, and which folders its pass reads.

    ``key`` is the caller's own name for it (the mailbox's id). ``scope`` and ``chosen`` are the
    mailbox's folder settings, as :func:`imap_folders.folders_to_sync` takes them.
    """

    key: int
    host: str
    port: int
    security: str
    credentials: Credentials
    timeout: float = DEFAULT_TIMEOUT
    pinned_fingerprint: str | None = None
    scope: str = "all"
    chosen: tuple[str, ...] = ()
    account_limit: int = DEFAULT_ACCOUNT_LIMIT
    # each synced folder's saved checkpoint, when the first folder with new mail is to be read
    # ahead (SELECT and its first batch of headers); empty: STATUS only
    checkpoints: dict[str, imap_sync.Checkpoint | None] = field(default_factory=dict)

    @property
    def account(self) -> tuple[str, str]:
        return (self.host.lower(), self.credentials.login.lower())


class Slots(Protocol):
    """Connection slots shared with other processes (see DEVELOPERS.md, "Connection slots").

    ``take(name, limit)`` takes one of the ``limit`` slots called ``name`` without waiting, and
    returns a token for :meth:`give`, or None when all ``limit`` are held (by anyone, this process
    included) or the slots cannot be reached. ``give(token)`` hands it back. Thread-safe. A slot is
    held until given back or until its holder (its process, its database connection) is gone.
    """

    def take(self, name: str, limit: int) -> object | None: ...

    def give(self, token: object) -> None: ...


class SharedBackoffs(Protocol):
    """Back-offs shared with other processes (see DEVELOPERS.md, "Shared back-off").

    Names are :func:`backoff_name`'s. Times are seconds from now, as the store's own clock (the
    database's) counts them, so that processes whose clocks differ agree on when one ends.
    ``read_backoffs()`` gives every back-off known, ended or not, as ``{name: (seconds left, 0
    when ended; its last delay)}``, or None when the store cannot be read. ``hold_off(name,
    delay)`` holds ``name`` off for ``delay`` seconds from now, unless one in force ends later
    (never shortened), and returns ``(seconds left, last delay)`` then in force, or None.
    ``clear_backoffs(names)`` forgets those of them that have ended (a connection worked; one
    in force was set after it began). Thread-safe; never raises.
    """

    def read_backoffs(self) -> dict[str, tuple[float, float]] | None: ...

    def hold_off(self, name: str, delay: float) -> tuple[float, float] | None: ...

    def clear_backoffs(self, names: list[str]) -> None: ...


def backoff_name(target: Target, scope: str) -> str:
    """The name of ``target``'s back-off of ``scope``: ``"host"`` is the server (its host and
    port: another port of the same host is another server, and a mistyped port must not stop
    the others), ``"account"`` the account on that host."""
    if scope == "host":
        return f"host:{target.host.lower()}:{target.port}"
    return account_slot(target.account)


def host_slot(host: str) -> str:
    """The name of ``host``'s connection slots (shared by everyone connecting to it)."""
    return "host:" + host.lower()


def account_slot(account: tuple[str, str]) -> str:
    """The name of an account's connection slots."""
    return f"account:{account[0]}:{account[1]}"


class _GateState:
    """What the :class:`Gates` of one process share: its counts, its back-offs, its lock."""

    def __init__(self):
        self.lock = threading.Condition()
        self.hosts: dict[str, int] = {}
        self.accounts: dict[tuple[str, str], int] = {}
        self.backoff: dict[str, tuple[float, float]] = {}  # name -> (until, last delay)
        # the shared slots held, per slots and account: (host token, account token)
        self.tokens: dict[tuple[Slots, tuple[str, str]], list[tuple[object, object]]] = {}


class Gates:
    """Connection slots per host and per account, and back-off, for one worker process.

    Thread-safe. ``acquire`` blocks until both slots are free (at most ``wait`` seconds) and
    returns False when the host or the account is backing off or no slot came in time.

    The counts are this process's; with ``slots`` (a :class:`Slots`), each connection also holds
    one of ``host_limit`` slots of its host and one of ``account_limit`` of its account there, so
    that the caps hold for every process using the same slots (the model layer gives slots that
    every Odoo worker on the database shares). Likewise with ``backoffs`` (a
    :class:`SharedBackoffs`), a back-off set by any process holds for this one (this process's own
    hold too; a success here clears both). :meth:`with_slots` gives gates over the same counts
    and back-offs with other slots (one run's database connection).
    """

    def __init__(
        self,
        host_limit: int = DEFAULT_HOST_LIMIT,
        clock: Callable[[], float] | None = None,
        slots: Slots | None = None,
        *,
        poll: float = SLOT_POLL,
        backoffs: SharedBackoffs | None = None,
        refresh: float = BACKOFF_REFRESH,
        _state: _GateState | None = None,
    ):
        self.host_limit = max(int(host_limit), 1)
        self.slots = slots
        self.poll = poll
        self.backoffs = backoffs
        self.refresh = refresh
        # what was last read of the shared back-offs: name -> (until on our clock, last delay)
        self._shared: dict[str, tuple[float, float]] = {}
        self._read_at: float | None = None
        self._reading = threading.Lock()
        self._clock = clock or time.monotonic
        state = _state or _GateState()
        self._state = state
        self._lock = state.lock
        self._hosts = state.hosts
        self._accounts = state.accounts
        self._backoff = state.backoff
        self._tokens = state.tokens

    def with_slots(
        self,
        slots: Slots | None,
        host_limit: int | None = None,
        backoffs: SharedBackoffs | None = None,
    ) -> Gates:
        """Gates sharing this one's counts and back-offs, taking ``slots`` too (and holding to
        the ``backoffs`` other processes share)."""
        return Gates(
            self.host_limit if host_limit is None else host_limit,
            self._clock,
            slots,
            poll=self.poll,
            backoffs=backoffs,
            refresh=self.refresh,
            _state=self._state,
        )

    def open_count(self, host: str) -> int:
        with self._lock:
            return self._hosts.get(host.lower(), 0)

    def backing_off(self, target: Target) -> float:
        """Seconds left before ``target``'s server and account may be tried again (0: now)."""
        self._read_shared()
        now = self._clock()
        with self._lock:
            until = max(self._known(backoff_name(target, scope))[0] for scope in _SCOPES)
        return max(until - now, 0.0)

    def _known(self, name: str) -> tuple[float, float]:
        """``(until, last delay)`` of ``name``: this process's or the shared one, the later."""
        own = self._backoff.get(name, (0.0, 0.0))
        shared = self._shared.get(name, (0.0, 0.0))
        return (max(own[0], shared[0]), max(own[1], shared[1]))

    def _read_shared(self) -> None:
        """Read the shared back-offs again when what was read is older than ``refresh`` (one
        thread reads; the others go on with what was read before)."""
        if self.backoffs is None:
            return
        now = self._clock()
        if self._read_at is not None and now - self._read_at < self.refresh:
            return
        if not self._reading.acquire(blocking=False):
            return
        try:
            rows = self.backoffs.read_backoffs()
            now = self._clock()
            self._read_at = now
            if rows is not None:
                shared = {name: (now + left, delay) for name, (left, delay) in rows.items()}
                with self._lock:
                    self._shared = shared
                    # an own back-off that ended and is no longer shared was cleared by another
                    # process's success: its delay no longer doubles the next one here either
                    for name in [n for n, (until, _d) in self._backoff.items() if until <= now]:
                        if name not in shared:
                            del self._backoff[name]
        finally:
            self._reading.release()

    def acquire(self, target: Target, wait: float = SLOT_WAIT) -> bool:
        host, account = target.host.lower(), target.account
        limit = max(target.account_limit, 1)
        deadline = self._clock() + wait
        self._read_shared()
        with self._lock:
            while True:
                if self._backing_off(target):
                    return False
                if (
                    self._hosts.get(host, 0) < self.host_limit
                    and self._accounts.get(account, 0) < limit
                ):
                    self._hosts[host] = self._hosts.get(host, 0) + 1
                    self._accounts[account] = self._accounts.get(account, 0) + 1
                    if self.slots is None:
                        return True
                    # this process's share is counted: now the one of every process, without
                    # holding the lock meanwhile (the slots may be a database round trip away)
                    self._lock.release()
                    try:
                        tokens = self._take_shared(host, account, limit)
                    finally:
                        self._lock.acquire()
                    if tokens is not None:
                        self._tokens.setdefault((self.slots, account), []).append(tokens)
                        return True
                    self._uncount(host, account)
                    self._lock.notify_all()
                    pause = self.poll  # others hold them: ask again a little later
                else:
                    pause = 1.0  # woken up by a release of this process
                left = deadline - self._clock()
                if left <= 0:
                    return False
                self._lock.wait(min(left, pause))

    def _take_shared(self, host, account, limit):
        host_token = self.slots.take(host_slot(host), self.host_limit)
        if host_token is None:
            return None
        account_token = self.slots.take(account_slot(account), limit)
        if account_token is None:
            self.slots.give(host_token)
            return None
        return (host_token, account_token)

    def _uncount(self, host, account):
        self._hosts[host] = max(self._hosts.get(host, 0) - 1, 0)
        self._accounts[account] = max(self._accounts.get(account, 0) - 1, 0)

    def release(self, target: Target) -> None:
        """Give back a connection slot this gates' :meth:`acquire` gave (the same gates: gates
        sharing its counts may hold other slots)."""
        host, account = target.host.lower(), target.account
        key = (self.slots, account)
        with self._lock:
            held = self._tokens.get(key)
            tokens = held.pop() if held else None
            if held is not None and not held:
                del self._tokens[key]
            self._uncount(host, account)
            self._lock.notify_all()
        if tokens is not None:
            host_token, account_token = tokens
            self.slots.give(account_token)
            self.slots.give(host_token)

    def _backing_off(self, target: Target) -> bool:
        """Is ``target``'s server or account backing off (what is known; the lock held)?"""
        now = self._clock()
        return any(self._known(backoff_name(target, scope))[0] > now for scope in _SCOPES)

    def back_off(self, target: Target, scope: str) -> float:
        """Leave ``target``'s server or account alone for a while; the seconds it is left alone.

        The first failure: ``BACKOFF_FIRST``; a failure after the previous back-off ended: twice
        its delay (at most ``BACKOFF_MAX``). Failures of connections that began before the
        back-off (many at once when a server goes down) keep the one in force, unchanged.
        """
        name = backoff_name(target, scope)
        self._read_shared()
        with self._lock:
            now = self._clock()
            until, last = self._known(name)
            if until > now:
                return until - now
            delay = min(last * 2, BACKOFF_MAX) if last else BACKOFF_FIRST
            self._backoff[name] = (now + delay, delay)
            self._lock.notify_all()
        if self.backoffs is not None:
            held = self.backoffs.hold_off(name, delay)
            if held is not None:
                left, last = held
                with self._lock:
                    self._shared[name] = (self._clock() + left, last)
                delay = max(delay, left)
        return delay

    def succeeded(self, target: Target) -> None:
        """A connection worked: forget the ended back-offs of its server and account (the
        shared ones too, when known: no query when there is none), so that the next failure
        starts again from ``BACKOFF_FIRST``. One still in force was set after this connection
        began, by a failure more recent than this success: it stays."""
        names = [backoff_name(target, scope) for scope in _SCOPES]
        with self._lock:
            now = self._clock()
            for name in names:
                if self._backoff.get(name, (0.0, 0.0))[0] <= now:
                    self._backoff.pop(name, None)
            known = [name for name in names if self._shared.get(name, (now + 1, 0.0))[0] <= now]
            for name in known:
                del self._shared[name]
        if known and self.backoffs is not None:
            self.backoffs.clear_backoffs(known)


class PrimedSession(ImapSession):
    """A logged-in session whose first LIST and first STATUS of each folder are answered from
    the prelude's own answers (no round trip); later calls go to the server. Closing it gives its
    connection slot back (once)."""

    def __init__(
        self,
        *args,
        on_close: Callable[[], None] | None = None,
        closer: Callable[[Callable[[], None]], object] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._primed_folders: list[Folder] | None = None
        self._primed_statuses: dict[str, FolderStatus] = {}
        self._primed_select: FolderStatus | None = None
        self._primed_headers: tuple[list[int], tuple, list] | None = None
        self._on_close = on_close
        # who runs the LOGOUT round trip (the fleet's threads), so that the pass does not wait
        self.closer = closer

    def list_folders(self) -> list[Folder]:
        folders, self._primed_folders = self._primed_folders, None
        if folders is not None:
            return list(folders)
        folders = super().list_folders()
        return folders

    def status(self, folder: str) -> FolderStatus:
        primed = self._primed_statuses.pop(folder, None)
        if primed is not None:
            self._statuses[folder] = primed
            return primed
        return super().status(folder)

    def select(self, folder: str, *, readonly: bool = True) -> FolderStatus:
        primed, self._primed_select = self._primed_select, None
        if (
            primed is not None
            and primed.name == folder
            and self._selected == folder
            and self._selected_readonly == readonly
        ):
            return primed  # selected by the survey, and by nothing else since
        self._primed_headers = None
        return super().select(folder, readonly=readonly)

    def fetch_headers(self, uids, fields=None):
        uids = list(uids)
        primed, self._primed_headers = self._primed_headers, None
        if primed is not None and primed[0] == uids and primed[1] == tuple(fields or ()):
            return list(primed[2])
        return super().fetch_headers(uids, fields)

    def read_ahead(self, folder: str, plan: imap_sync.FolderPlan) -> None:
        """SELECT ``folder`` and fetch the headers of its first batch of new mail, as
        :func:`.sync.iter_batches` will ask for them (the pass then gets these answers)."""
        status = ImapSession.select(self, folder)  # the server's, not a primed answer
        if status.uidvalidity != plan.start.uidvalidity:
            return  # the pass works out what changed
        first = plan.first_uid
        last = min(first + imap_sync.DEFAULT_BATCH_SIZE - 1, status.uidnext - 1)
        if last < first:
            return
        uids = list(range(first, last + 1))
        fields = tuple(SYNC_HEADER_FIELDS)
        headers = ImapSession.fetch_headers(self, uids, fields)
        self._primed_select = status
        self._primed_headers = (uids, fields, headers)

    def prime(self, folders: list[Folder], statuses: dict[str, FolderStatus]) -> None:
        self._primed_folders = list(folders)
        self._primed_statuses = dict(statuses)

    def _close_later(self, closer) -> bool:
        """LOGOUT in another thread: nothing uses this session here any more. False when the
        fleet is shutting down (then it is closed here)."""
        try:
            closer(self.close)
        except RuntimeError:
            return False
        return True

    def close(self) -> None:
        closer, self.closer = self.closer, None
        if closer is not None and self._client is not None and self._close_later(closer):
            return
        super().close()
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close()


@dataclass(slots=True)
class Survey:
    """What the prelude found for one target.

    ``session``: open and logged in, primed (None after an error or when deferred). ``error``:
    the :class:`ImapError` that ended the prelude. ``deferred``: not tried (back-off, no slot).
    ``seconds``: the prelude's own duration.
    """

    target: Target
    session: PrimedSession | None = None
    error: ImapError | None = None
    deferred: bool = False
    busy: bool = False  # deferred for want of a free slot (not a back-off): try again soon
    folders: list[Folder] = field(default_factory=list)
    statuses: dict[str, FolderStatus] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def key(self) -> int:
        return self.target.key

    def close(self) -> None:
        """Close the session unless its pass did (idempotent)."""
        if self.session is not None:
            self.session.close()


def survey(
    target: Target,
    gates: Gates,
    *,
    slot_wait: float = SLOT_WAIT,
    closer: Callable[[Callable[[], None]], object] | None = None,
) -> Survey:
    """Connect, log in, LIST and STATUS the folders ``target``'s pass reads (one thread's job):
    three round trips after the connection where the server greets with its capabilities and
    offers LIST-STATUS (greeting, LOGIN, LIST-STATUS), four elsewhere.

    Never raises an :class:`ImapError`: it is in ``Survey.error``. A STATUS the server refuses
    (NO/BAD) is left for the pass, which records that folder's error.
    """
    started = time.monotonic()
    result = Survey(target)
    if not gates.acquire(target, wait=slot_wait):
        result.deferred = True
        result.busy = not gates.backing_off(target)
        return result
    session = PrimedSession(
        target.host,
        target.port,
        target.security,
        timeout=target.timeout,
        pinned_fingerprint=target.pinned_fingerprint,
        on_close=lambda: gates.release(target),
    )
    try:
        session.connect()
        session.authenticate(target.credentials)
        # LIST and every STATUS in one round trip (LIST-STATUS), else LIST then the synced
        # folders' STATUS sent together: two
        folders, listed = session.list_folders_with_statuses()
        selection = imap_folders.folders_to_sync(folders, target.scope, list(target.chosen))
        missing = [name for name in selection.names if name not in listed]
        if len(missing) > 1:
            listed.update(session.statuses(missing))
        statuses = {}
        for name in selection.names:
            try:
                statuses[name] = listed.get(name) or session.status(name)
            except ImapError:
                if not session.connected:
                    raise
        session.prime(folders, statuses)
        if target.checkpoints:
            _read_ahead(session, folders, selection.names, statuses, target.checkpoints)
        session.closer = closer
        result.session, result.folders, result.statuses = session, folders, statuses
        gates.succeeded(target)
    except ImapError as error:
        session.close()  # gives the slot back
        result.error = error
        if scope := backoff_scope(error):
            gates.back_off(target, scope)
    except BaseException:
        session.close()
        raise
    result.seconds = time.monotonic() - started
    return result


def _read_ahead(session, folders, names, statuses, checkpoints) -> None:
    """Read ahead in the first folder the pass will find new mail in (Sent first, as the pass),
    when it continues from a checkpoint (not a first import, not a rescan)."""
    roles = {choice.name: choice.role for choice in imap_folders.describe_folders(folders)}
    for name in sorted(names, key=lambda name: roles.get(name) != imap_folders.ROLE_SENT):
        status = statuses.get(name)
        if status is None or name not in checkpoints:
            return
        plan = imap_sync.plan_folder(status, checkpoints[name])
        if plan.action == imap_sync.UP_TO_DATE:
            continue
        if plan.action == imap_sync.INCREMENTAL:
            try:
                session.read_ahead(name, plan)
            except ImapError:
                if not session.connected:
                    raise
        return


class Fleet:
    """A pool of ``workers`` threads surveying targets; results come back as they finish.

    Use as a context manager; :meth:`submit` queues a target, :meth:`finished` waits for at
    least one survey (at most ``timeout`` seconds) and yields those done. Closing the fleet
    closes the sessions of surveys nobody took.
    """

    def __init__(self, gates: Gates, workers: int, *, slot_wait: float = SLOT_WAIT):
        self.gates = gates
        self.slot_wait = slot_wait
        self._pool = ThreadPoolExecutor(
            max_workers=max(int(workers), 1), thread_name_prefix="mailbox-survey"
        )
        self._pending: set[Future] = set()

    def __enter__(self) -> Fleet:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._pending)

    def submit(self, target: Target) -> None:
        self._pending.add(
            self._pool.submit(
                survey, target, self.gates, slot_wait=self.slot_wait, closer=self._pool.submit
            )
        )

    def submit_all(self, targets: Iterable[Target]) -> None:
        for target in targets:
            self.submit(target)

    def finished(self, timeout: float | None = None) -> Iterator[Survey]:
        if not self._pending:
            return
        done, self._pending = wait(self._pending, timeout=timeout, return_when=FIRST_COMPLETED)
        for future in done:
            yield future.result()

    def close(self) -> None:
        pending, self._pending = self._pending, set()
        for future in pending:
            future.cancel()
        self._pool.shutdown(wait=True)
        for future in pending:
            if not future.cancelled() and future.exception() is None:
                future.result().close()
