"""The fleet prelude (``tools/imap/fleet.py``) against a real Dovecot and misbehaving servers:
primed sessions, connection caps per host and per account, back-off, a silent server."""

import imaplib

import dovecot_server as rig

from mail_lead_capture.tools import imap as imap_sync
from mail_lead_capture.tools.imap import fleet as imap_fleet
from mail_lead_capture.tools.imap.fleet import Fleet
from mail_lead_capture.tools.imap.fleet import Gates
from mail_lead_capture.tools.imap.fleet import Target
from mail_lead_capture.tools.imap.session import Credentials
from mail_lead_capture.tools.imap.session import ImapError

TIMEOUT = 10.0


def target(dovecot, login=None, key=1, **values):
    login = login or dovecot.add_user()[0]
    values.setdefault("port", dovecot.plain_port)
    values.setdefault("host", rig.HOST)
    return Target(
        key=key,
        security="none",
        credentials=Credentials(login, dovecot.password_of(login)),
        timeout=TIMEOUT,
        **values,
    )


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_survey_answers_the_passes_first_list_and_status(dovecot):
    login = dovecot.add_user()[0]
    dovecot.append(login, "INBOX", rig.build_message(sender="a@x.example", subject="one"))
    gates = Gates(host_limit=5)
    result = imap_fleet.survey(target(dovecot, login), gates)
    assert result.error is None and not result.deferred
    session = result.session
    try:
        assert result.statuses["INBOX"].messages == 1
        trips = session.round_trips
        folders = session.list_folders()
        status = session.status("INBOX")
        assert session.round_trips == trips, "the primed answers cost no round trip"
        assert {f.name for f in folders} == {f.name for f in result.folders}
        assert status == result.statuses["INBOX"]
        # only once: the next pass asks the server, and sees new mail
        dovecot.append(login, "INBOX", rig.build_message(sender="a@x.example", subject="two"))
        assert session.status("INBOX").messages == 2
        assert session.round_trips == trips + 1
    finally:
        result.close()
    assert gates.open_count(rig.HOST) == 0, "closing the session gave its slot back"


def test_the_survey_sends_login_and_one_list_status_nothing_else(dovecot, monkeypatch):
    """The greeting carries the capabilities (no CAPABILITY command) and LIST-STATUS answers
    LIST and every STATUS: two commands after the greeting."""
    sent = []
    send = imaplib.IMAP4.send

    def recording_send(client, data):
        sent.append(bytes(data))
        return send(client, data)

    monkeypatch.setattr(imaplib.IMAP4, "send", recording_send)
    result = imap_fleet.survey(target(dovecot), Gates())
    try:
        assert [line.split()[1].upper() for line in sent] == [b"LOGIN", b"LIST"]
        assert b"RETURN (CHILDREN SPECIAL-USE STATUS (" in sent[1]
        assert result.session.round_trips == 2
        assert set(result.statuses) == {"INBOX", "Sent", "Archive"}
        assert "IDLE" in result.session.capabilities, "the post-login capabilities"
    finally:
        result.session.closer = None
        result.close()
    assert [line.split()[1].upper() for line in sent[2:]] == [b"LOGOUT"]


def test_connections_are_capped_per_host_and_per_account(dovecot):
    gates = Gates(host_limit=2)
    first = imap_fleet.survey(target(dovecot, key=1), gates)
    second = imap_fleet.survey(target(dovecot, key=2), gates)
    third = imap_fleet.survey(target(dovecot, key=3), gates, slot_wait=0.2)
    assert first.session and second.session
    assert third.deferred and third.session is None, "a third connection to the host"
    first.close()
    fourth = imap_fleet.survey(target(dovecot, key=4), gates, slot_wait=0.2)
    assert fourth.session, "a slot was given back"
    second.close()
    fourth.close()

    login = dovecot.add_user()[0]
    gates = Gates(host_limit=50)
    one = imap_fleet.survey(target(dovecot, login, key=1, account_limit=1), gates)
    two = imap_fleet.survey(target(dovecot, login, key=2, account_limit=1), gates, slot_wait=0.2)
    other = imap_fleet.survey(target(dovecot, key=3, account_limit=1), gates, slot_wait=0.2)
    assert one.session and two.deferred and other.session
    one.close()
    other.close()


def test_a_refused_connection_backs_the_host_off():
    port = rig.free_port()  # nothing listens there
    clock = Clock()
    gates = Gates(clock=clock)
    dead = Target(1, rig.HOST, port, "none", Credentials("a", "b"), timeout=TIMEOUT)
    first = imap_fleet.survey(dead, gates)
    assert first.error.kind == "unreachable"
    again = imap_fleet.survey(dead, gates)
    assert again.deferred and again.error is None, "tried again at once"
    clock.now += imap_fleet.BACKOFF_FIRST + 1
    assert imap_fleet.survey(dead, gates).error.kind == "unreachable"
    # the second failure doubles the delay
    clock.now += imap_fleet.BACKOFF_FIRST + 1
    assert imap_fleet.survey(dead, gates).deferred


def test_unavailable_backs_off_the_host_and_throttled_the_account():
    with rig.ScriptedLoginServer("[UNAVAILABLE] Server busy, try later") as server:
        gates = Gates(clock=Clock())
        busy = Target(1, rig.HOST, server.port, "none", Credentials("a", "b"), timeout=TIMEOUT)
        result = imap_fleet.survey(busy, gates)
        assert result.error is not None and result.error.kind != "auth"
        other_account = Target(2, rig.HOST, server.port, "none", Credentials("c", "d"))
        assert imap_fleet.survey(other_account, gates).deferred, "the whole host backs off"
    with rig.ScriptedLoginServer("[THROTTLED] Too many logins") as server:
        gates = Gates(clock=Clock())
        throttled = Target(1, rig.HOST, server.port, "none", Credentials("a", "b"))
        imap_fleet.survey(throttled, gates)
        assert imap_fleet.survey(throttled, gates).deferred, "the account backs off"
        other_account = Target(2, rig.HOST, server.port, "none", Credentials("c", "d"))
        assert not imap_fleet.survey(other_account, gates).deferred, "not the host"


def test_a_silent_server_does_not_hold_back_the_others(dovecot):
    with rig.SilentServer() as silent:
        hung = Target(1, rig.HOST, silent.port, "none", Credentials("a", "b"), timeout=2.0)
        order = []
        with Fleet(Gates(), workers=4) as fleet:
            fleet.submit(hung)
            fleet.submit_all(target(dovecot, key=key) for key in (2, 3, 4))
            while len(fleet):
                for result in fleet.finished(timeout=30):
                    order.append(result.key)
                    assert (result.error is None) == (result.key != 1), result.error
                    result.close()
        assert order[-1] == 1, f"the hung server's survey finished before the others: {order}"


def test_backoff_scope_reads_the_response_codes():
    def scope(kind, detail):
        return imap_fleet.backoff_scope(ImapError(kind, detail))

    assert scope("protocol", "[UNAVAILABLE] Maintenance") == "host"
    assert scope("protocol", "[THROTTLED] slow down") == "account"
    assert scope("dropped", "BYE Maximum number of connections from user+IP exceeded") == "account"
    assert scope("unreachable", "[Errno 111] Connection refused") == "host"
    assert scope("auth", "[AUTHENTICATIONFAILED] wrong") is None
    assert scope("timeout", "timed out") is None
    assert imap_fleet.account_limit("imap.gmail.com") == 15
    assert imap_fleet.account_limit("mail.example.com") == imap_fleet.DEFAULT_ACCOUNT_LIMIT


def checkpoints_of(dovecot, login, inbox_last_uid):
    """Checkpoints of every folder the pass syncs: INBOX at ``inbox_last_uid``, others empty."""
    return {
        name: imap_sync.Checkpoint(
            dovecot.status(login, name)["uidvalidity"], inbox_last_uid if name == "INBOX" else 0
        )
        for name in ("INBOX", "Sent", "Archive")
    }


def test_the_survey_reads_ahead_the_first_batch_of_new_mail(dovecot):
    login = dovecot.add_user()[0]
    for n in range(3):
        dovecot.append(login, "INBOX", rig.build_message(sender="a@x.example", subject=f"m{n}"))
    checkpoints = checkpoints_of(dovecot, login, 1)
    result = imap_fleet.survey(target(dovecot, login, checkpoints=checkpoints), Gates())
    session = result.session
    try:
        trips = session.round_trips
        stored, saved = [], []
        imap_sync.sync_folder(
            session,
            "INBOX",
            checkpoints["INBOX"],
            wants_body=lambda message: True,
            store=lambda message, raw: stored.append((message.uid, raw)),
            save_checkpoint=saved.append,
        )
        assert [uid for uid, _raw in stored] == [2, 3]
        assert all(b"Subject: m" in raw for _uid, raw in stored)
        # STATUS, SELECT and the headers came with the survey: only the bodies are asked for
        assert session.round_trips - trips == 1
    finally:
        result.close()


def test_read_ahead_answers_only_the_same_request(dovecot):
    login = dovecot.add_user()[0]
    for n in range(2):
        dovecot.append(login, "INBOX", rig.build_message(sender="a@x.example", subject=f"m{n}"))
    checkpoints = checkpoints_of(dovecot, login, 0)
    # a first import is not read ahead (no checkpoint: the pass plans it with its progress)
    result = imap_fleet.survey(target(dovecot, login), Gates())
    assert result.session.selected is None
    result.close()
    result = imap_fleet.survey(target(dovecot, login, checkpoints=checkpoints), Gates())
    session = result.session
    try:
        assert session.selected == "INBOX"
        session.select("Sent")  # the pass went elsewhere first: what was read ahead is dropped
        trips = session.round_trips
        session.select("INBOX")
        assert len(session.fetch_headers(range(1, 3), imap_sync.SYNC_HEADER_FIELDS)) == 2
        assert session.round_trips - trips == 2
    finally:
        result.close()
