"""Watching one mailbox's INBOX for new mail: IMAP IDLE, else NOOP polling; reconnect with back-off.

No ORM and no database: :func:`watch_inbox` holds one connection (opened by the caller's
``connect``, which gives a logged-in :class:`~.session.ImapSession`), and calls ``on_change``
when the INBOX may hold mail not synced yet: once after every (re)connection (mail may have come
while no one watched) and whenever the server announces new mail. It stores nothing: what is
synced, and where it stopped, is the sync's own checkpoint. So stopping or killing a watcher loses
nothing; the next one (or the scheduled action) carries on from the checkpoints.

Errors: a refused login (kinds in ``session.NEEDS_USER_ACTION``) ends the watch (the owner
must act; the caller reports it and may start again with new credentials). Any other failure
closes the connection and waits before reconnecting, twice as long each time (:class:`Backoff`,
from ``first`` to ``longest`` seconds, with jitter so that many watchers do not reconnect
together), back to ``first`` once a connection worked; or longer, as long as the caller's
``not_before`` says (the fleet's back-off of a host or an account that asked to wait).
"""

from __future__ import annotations

import dataclasses
import random
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager

from .session import NEEDS_USER_ACTION
from .session import ImapError
from .session import ImapSession

INBOX = "INBOX"
# IDLE is ended and started again this often (RFC 2177: servers may drop an IDLE after 30
# minutes; NAT devices forget idle connections sooner).
IDLE_SECONDS = 5 * 60
# Without IDLE, the INBOX is asked (NOOP) this often: new mail is seen within this time.
POLL_SECONDS = 20


@dataclasses.dataclass
class Backoff:
    """Waits between reconnections: ``first``, then twice as long each time up to ``longest``."""

    first: float = 2.0
    longest: float = 300.0
    jitter: float = 0.2
    failures: int = 0

    def next_delay(self) -> float:
        delay = min(self.first * 2**self.failures, self.longest)
        self.failures += 1
        return delay * (1 + random.uniform(-self.jitter, self.jitter))

    def reset(self) -> None:
        self.failures = 0


@dataclasses.dataclass
class WatchState:
    """What a watch reports of itself (read by its owner's thread; plain values only)."""

    connected: bool = False
    idle: bool | None = None  # True: IDLE; False: NOOP polling; None: not connected yet
    error: ImapError | None = None  # the last failure
    stopped_by: str | None = None  # "stop", or the kind of the refusal that ended the watch


def watch_inbox(
    connect: Callable[[], AbstractContextManager[ImapSession]],
    on_change: Callable[[str], None],
    stop: threading.Event,
    *,
    idle_seconds: float = IDLE_SECONDS,
    poll_seconds: float = POLL_SECONDS,
    backoff: Backoff | None = None,
    state: WatchState | None = None,
    not_before: Callable[[], float] | None = None,
) -> WatchState:
    """Watch the INBOX until ``stop`` is set (or a login is refused); returns the final state.

    ``on_change(reason)`` is called with "connected" after each (re)connection and "new_mail" when
    the server announces mail; it must be quick (hand the work to another thread).
    ``not_before()``, when given, is how many seconds must pass before the next connection (a
    back-off the caller shares with other connections, e.g. a host answering ``[UNAVAILABLE]``):
    after a failure the watch waits for it, or for its own back-off if longer.
    """
    backoff = backoff or Backoff()
    state = state or WatchState()
    while not stop.is_set():
        try:
            with connect() as session:
                session.select(INBOX)
                state.connected, state.idle, state.error = True, session.has("IDLE"), None
                backoff.reset()
                on_change("connected")
                wait = idle_seconds if state.idle else poll_seconds
                while not stop.is_set():
                    if session.wait_for_new_mail(wait, should_stop=stop.is_set):
                        on_change("new_mail")
        except Exception as error:
            if not isinstance(error, ImapError):
                error = ImapError("protocol", f"{type(error).__name__}: {error}")
            state.connected, state.error = False, error
            if error.kind in NEEDS_USER_ACTION:
                state.stopped_by = error.kind
                return state
            delay = backoff.next_delay()
            stop.wait(max(delay, not_before()) if not_before else delay)
    state.connected = False
    state.stopped_by = state.stopped_by or "stop"
    return state
