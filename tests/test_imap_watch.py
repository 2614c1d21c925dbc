"""Watching an INBOX (tools/imap/watch, ImapSession.wait_for_new_mail) against a real Dovecot."""

import threading
import time

import dovecot_server as rig
import pytest

from mail_lead_capture.tools.imap import ImapSession
from mail_lead_capture.tools.imap import watch as imap_watch

TIMEOUT = 10.0


@pytest.fixture
def mailbox(dovecot):
    """A fresh, empty mailbox: ``(login, password)``."""
    return dovecot.add_user()


def message(n: int) -> bytes:
    return rig.build_message(
        sender=f"sender{n}@example.com", to=["owner@mycompany.example"], subject=f"Message {n}"
    )


def opener(port, login, password, without_idle=False):
    def connect():
        session = ImapSession(rig.HOST, port, "none", timeout=TIMEOUT)

        class Opened:
            def __enter__(self):
                session.connect()
                session.login(login, password)
                if without_idle:  # a server without IDLE: the same Dovecot, its IDLE unused
                    session._capabilities = session.capabilities - {"IDLE"}
                return session

            def __exit__(self, *exc):
                session.close()

        return Opened()

    return connect


class Recorder:
    def __init__(self):
        self.reasons = []
        self.changed = threading.Event()

    def __call__(self, reason):
        self.reasons.append(reason)
        self.changed.set()

    def wait_for(self, reason, timeout=20.0):
        deadline = time.monotonic() + timeout
        while reason not in self.reasons and time.monotonic() < deadline:
            self.changed.wait(0.2)
            self.changed.clear()
        return reason in self.reasons


def run_watch(connect, recorder, stop, **kwargs):
    result = {}
    thread = threading.Thread(
        target=lambda: result.update(
            state=imap_watch.watch_inbox(connect, recorder, stop, **kwargs)
        ),
        daemon=True,
    )
    thread.start()
    return thread, result


@pytest.mark.parametrize("without_idle", [False, True], ids=["idle", "noop"])
def test_new_mail_in_the_inbox_is_announced(dovecot, mailbox, without_idle):
    recorder, stop = Recorder(), threading.Event()
    state = imap_watch.WatchState()
    thread, result = run_watch(
        opener(dovecot.plain_port, *mailbox, without_idle=without_idle),
        recorder,
        stop,
        poll_seconds=1,
        state=state,
    )
    try:
        assert recorder.wait_for("connected"), "a (re)connection always asks for a pass"
        assert state.idle is (not without_idle)
        assert "new_mail" not in recorder.reasons
        dovecot.append(mailbox[0], "INBOX", message(1))
        assert recorder.wait_for("new_mail")
    finally:
        stop.set()
        thread.join(15)
    assert not thread.is_alive(), "a stop ends the wait within seconds"
    assert result["state"].stopped_by == "stop"


def test_mail_in_another_folder_is_not_announced(dovecot, mailbox):
    recorder, stop = Recorder(), threading.Event()
    thread, _result = run_watch(opener(dovecot.plain_port, *mailbox), recorder, stop)
    try:
        assert recorder.wait_for("connected")
        dovecot.append(mailbox[0], "Projects", message(2))
        assert not recorder.wait_for("new_mail", timeout=3)
    finally:
        stop.set()
        thread.join(15)


def test_a_dropped_connection_is_opened_again_and_asks_for_a_pass(dovecot, mailbox):
    recorder, stop = Recorder(), threading.Event()
    backoff = imap_watch.Backoff(first=0.2)
    with rig.DroppingProxy(dovecot.plain_port) as proxy:
        thread, _result = run_watch(opener(proxy.port, *mailbox), recorder, stop, backoff=backoff)
        try:
            assert recorder.wait_for("connected")
            proxy.drop_after(1)
            dovecot.append(mailbox[0], "INBOX", message(3))  # the server's answer is cut
            deadline = time.monotonic() + 20
            while recorder.reasons.count("connected") < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert proxy.dropped.is_set()
            assert recorder.reasons.count("connected") == 2, recorder.reasons
        finally:
            stop.set()
            thread.join(15)


def test_a_refused_login_ends_the_watch(dovecot, mailbox):
    recorder, stop = Recorder(), threading.Event()
    state = imap_watch.watch_inbox(
        opener(dovecot.plain_port, mailbox[0], "wrong password"), recorder, stop
    )
    assert state.stopped_by == "auth"
    assert recorder.reasons == []


def test_unreachable_servers_are_retried_ever_later():
    backoff = imap_watch.Backoff(first=2, longest=60, jitter=0)
    assert [backoff.next_delay() for _ in range(7)] == [2, 4, 8, 16, 32, 60, 60]
    backoff.reset()
    assert backoff.next_delay() == 2


class CountedStop(threading.Event):
    """A stop that records how long the watch waits between connections, and is set after
    ``count`` waits."""

    def __init__(self, count):
        super().__init__()
        self.count = count
        self.waits = []

    def wait(self, timeout=None):
        self.waits.append(timeout)
        if len(self.waits) >= self.count:
            self.set()
        return self.is_set()


def test_a_reconnection_waits_out_the_back_off_the_caller_shares():
    """A host that answered [UNAVAILABLE] to another connection: the watch waits as long as the
    gates say (``not_before``), when that is longer than its own back-off."""
    refused_port = rig.free_port()  # nothing listens there

    def connect():
        return ImapSession(rig.HOST, refused_port, "none", timeout=TIMEOUT)

    asked = []

    def not_before():
        asked.append(True)
        return 120.0 if len(asked) == 1 else 0.0

    stop = CountedStop(2)
    backoff = imap_watch.Backoff(first=2, jitter=0)
    state = imap_watch.watch_inbox(
        connect, Recorder(), stop, backoff=backoff, not_before=not_before
    )
    assert state.error is not None and state.error.kind == "unreachable"
    assert stop.waits == [120.0, 4.0], "the shared back-off first, then its own"
