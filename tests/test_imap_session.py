"""The IMAP adapter against a real Dovecot (plain, STARTTLS, TLS) and against misbehaving servers."""

import errno
import imaplib
import socket
import ssl

import dovecot_server as rig
import pytest

from mail_lead_capture.tools.imap.session import ImapError
from mail_lead_capture.tools.imap.session import ImapSession
from mail_lead_capture.tools.imap.session import classify_exception
from mail_lead_capture.tools.imap.session import classify_login_failure
from mail_lead_capture.tools.imap.session import fetch_certificate_fingerprint
from mail_lead_capture.tools.imap.session import security_allowed

TIMEOUT = 10.0


@pytest.fixture
def mailbox(dovecot):
    """A fresh, empty mailbox: ``(login, password)``."""
    return dovecot.add_user()


def plain_session(dovecot, **kwargs) -> ImapSession:
    return ImapSession(dovecot.host, dovecot.plain_port, "none", timeout=TIMEOUT, **kwargs)


def message(n: int, **kwargs) -> bytes:
    kwargs.setdefault("sender", f"Sender {n} <sender{n}@example.com>")
    kwargs.setdefault("to", ["owner@mycompany.example"])
    kwargs.setdefault("subject", f"Message {n}")
    return rig.build_message(**kwargs)


# ------------------------------------------------------------------------------ connecting


@pytest.mark.parametrize(
    ("security", "port_attr", "trust"),
    [
        ("none", "plain_port", None),
        ("starttls", "plain_port", "context"),
        ("ssl", "tls_port", "context"),
        ("ssl", "tls_port", "fingerprint"),
        ("starttls", "plain_port", "fingerprint"),
    ],
)
def test_connects_and_logs_in_with_each_security(dovecot, mailbox, security, port_attr, trust):
    options = {}
    if trust == "context":
        options["ssl_context"] = dovecot.ssl_context()
    elif trust == "fingerprint":
        options["pinned_fingerprint"] = ":".join(
            dovecot.fingerprint[i : i + 2].upper() for i in range(0, 64, 2)
        )
    port = getattr(dovecot, port_attr)
    with ImapSession(dovecot.host, port, security, timeout=TIMEOUT, **options) as session:
        session.login(*mailbox)
        assert session.encrypted is (security != "none")
        assert "INBOX" in {folder.name for folder in session.list_folders()}
    assert not session.connected


@pytest.mark.parametrize(
    ("security", "port_attr"), [("ssl", "tls_port"), ("starttls", "plain_port")]
)
def test_certificates_are_verified_by_default(dovecot, security, port_attr):
    session = ImapSession(dovecot.host, getattr(dovecot, port_attr), security, timeout=TIMEOUT)
    with pytest.raises(ImapError) as caught:
        session.connect()
    assert caught.value.kind == "tls"
    assert "certificate" in caught.value.detail.lower()
    assert caught.value.needs_user_action
    assert not session.connected


def test_a_pinned_fingerprint_that_differs_is_a_tls_failure(dovecot):
    session = ImapSession(
        dovecot.host, dovecot.tls_port, "ssl", timeout=TIMEOUT, pinned_fingerprint="ab" * 32
    )
    with pytest.raises(ImapError) as caught:
        session.connect()
    assert caught.value.kind == "tls"
    assert dovecot.fingerprint in caught.value.detail


def test_tls_to_a_port_without_tls_is_a_tls_failure(dovecot):
    session = ImapSession(dovecot.host, dovecot.plain_port, "ssl", timeout=TIMEOUT)
    with pytest.raises(ImapError) as caught:
        session.connect()
    assert caught.value.kind == "tls"


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_reads_the_fingerprint_to_trust(dovecot, security):
    port = dovecot.tls_port if security == "ssl" else dovecot.plain_port
    assert fetch_certificate_fingerprint(dovecot.host, port, security, timeout=TIMEOUT) == (
        dovecot.fingerprint
    )


def test_no_tls_only_to_this_machine():
    assert security_allowed("localhost", "none")
    assert security_allowed("127.0.0.1", "none")
    assert security_allowed("[::1]", "none")
    assert not security_allowed("imap.example.com", "none")
    assert not security_allowed("127.0.0.2.example.com", "none")
    assert security_allowed("imap.example.com", "starttls")
    assert not security_allowed("localhost", "tls13")
    with pytest.raises(ValueError, match="only allowed to this machine"):
        ImapSession("imap.example.com", 143, "none")
    with pytest.raises(ValueError, match="no certificate"):
        ImapSession("localhost", 143, "none", pinned_fingerprint="ab" * 32)


def test_wrong_password_is_auth(dovecot, mailbox):
    with plain_session(dovecot) as session:
        with pytest.raises(ImapError) as caught:
            session.login(mailbox[0], "not the password")
    assert caught.value.kind == "auth"
    assert caught.value.needs_user_action
    assert "not the password" not in str(caught.value)


def test_a_non_ascii_password_is_sent_as_utf8_and_never_shown(dovecot, mailbox):
    # LOGIN only carries ASCII: such a password goes by AUTHENTICATE PLAIN, and a wrong one
    # is a refused password like any other, not "something unexpected" quoting a character.
    with plain_session(dovecot) as session:
        with pytest.raises(ImapError) as caught:
            session.login(mailbox[0], "mot-de-passe-é")
    assert caught.value.kind == "auth"
    assert "é" not in str(caught.value) and "\\xe9" not in str(caught.value)


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (
            "[ALERT] Application-specific password required: "
            "https://support.google.com/accounts/answer/185833 (Failure)",
            "auth_app_password",
        ),
        ("[AUTHENTICATIONFAILED] Invalid credentials (Failure)", "auth"),
        ("[UNAVAILABLE] Temporary authentication failure", "protocol"),
        ("[PRIVACYREQUIRED] Plaintext authentication disallowed", "tls"),
    ],
)
def test_login_refusals_are_told_apart(reply, kind):
    with rig.ScriptedLoginServer(reply) as server:
        with ImapSession(rig.HOST, server.port, "none", timeout=TIMEOUT) as session:
            with pytest.raises(ImapError) as caught:
                session.login("someone@example.com", "secret")
    assert caught.value.kind == kind
    assert caught.value.detail.startswith(reply.split()[0])


def test_closed_port_is_unreachable():
    port = rig.free_port()
    with pytest.raises(ImapError) as caught:
        ImapSession(rig.HOST, port, "none", timeout=TIMEOUT).connect()
    assert caught.value.kind == "unreachable"
    assert not caught.value.needs_user_action


def test_a_server_that_never_answers_is_a_timeout():
    with rig.SilentServer() as server:
        session = ImapSession(rig.HOST, server.port, "none", timeout=0.3)
        with pytest.raises(ImapError) as caught:
            session.connect()
    assert caught.value.kind == "timeout"
    assert not session.connected


def test_a_connection_dropped_mid_fetch_is_dropped_and_closes_cleanly(dovecot, mailbox):
    big = "x" * 400 + "\n"
    dovecot.append(mailbox[0], "INBOX", [message(n, body=big * 20) for n in range(20)])
    with rig.DroppingProxy(dovecot.plain_port) as proxy:
        session = ImapSession(rig.HOST, proxy.port, "none", timeout=TIMEOUT)
        with session:
            session.login(*mailbox)
            session.select("INBOX")
            proxy.drop_after(20_000)
            with pytest.raises(ImapError) as caught:
                session.fetch_bodies(range(1, 21))
            assert proxy.dropped.is_set()
            assert caught.value.kind == "dropped"
            assert not session.connected
            with pytest.raises(ImapError) as again:
                session.status("INBOX")
            assert again.value.kind == "dropped"


def test_a_connection_lost_during_login_is_not_a_wrong_password(dovecot, mailbox):
    with rig.DroppingProxy(dovecot.plain_port) as proxy:
        with ImapSession(rig.HOST, proxy.port, "none", timeout=TIMEOUT) as session:
            proxy.drop_after(0)
            with pytest.raises(ImapError) as caught:
                session.login(*mailbox)
    assert caught.value.kind == "dropped"
    assert not caught.value.needs_user_action


@pytest.mark.parametrize(
    ("exc", "phase", "kind"),
    [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "connect", "unreachable"),
        (OSError(errno.EHOSTUNREACH, "No route to host"), "connect", "unreachable"),
        (OSError(errno.ENETUNREACH, "Network is unreachable"), "connect", "unreachable"),
        (ConnectionRefusedError(errno.ECONNREFUSED, "refused"), "connect", "unreachable"),
        (TimeoutError("timed out"), "command", "timeout"),
        (ssl.SSLCertVerificationError("certificate verify failed"), "connect", "tls"),
        (ssl.SSLEOFError("EOF occurred"), "command", "dropped"),
        (ConnectionResetError(errno.ECONNRESET, "reset"), "command", "dropped"),
        (BrokenPipeError(errno.EPIPE, "broken pipe"), "command", "dropped"),
        (imaplib.IMAP4.abort("socket error: EOF"), "command", "dropped"),
        (imaplib.IMAP4.error("b'[AUTHENTICATIONFAILED] Authentication failed.'"), "login", "auth"),
        (
            imaplib.IMAP4.error("UID command error: BAD [b'Error in IMAP command']"),
            "command",
            "protocol",
        ),
    ],
)
def test_system_failures_map_to_kinds(exc, phase, kind):
    assert classify_exception(exc, phase).kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Application-specific password required", "auth_app_password"),
        ("[AUTHENTICATIONFAILED] Please use an app password for this app", "auth_app_password"),
        ("[ALERT] Please log in via your web browser", "auth_app_password"),
        ("LOGIN failed.", "auth"),
        ("[AUTHENTICATIONFAILED] Authentication failed.", "auth"),
        ("", "auth"),
        ("[UNAVAILABLE] Internal error occurred", "protocol"),
        ("[SERVERBUG] oops", "protocol"),
    ],
)
def test_login_failure_texts(text, kind):
    assert classify_login_failure(text) == kind


def test_error_kinds_are_a_closed_set():
    with pytest.raises(ValueError, match="unknown IMAP error kind"):
        ImapError("wrong_password")


# ------------------------------------------------------------------------------ folders, status


def test_lists_folders_with_special_use(dovecot, mailbox):
    dovecot.create_folder(mailbox[0], "Clients/Acme")
    with plain_session(dovecot) as session:
        session.login(*mailbox)
        folders = {folder.name: folder for folder in session.list_folders()}
    assert {name: folders[name].special_use for name in rig.SPECIAL_FOLDERS} == (
        rig.SPECIAL_FOLDERS
    )
    assert folders["INBOX"].special_use is None
    assert folders["Clients/Acme"].delimiter == "/"
    assert folders["Clients/Acme"].selectable


def test_status_and_select_report_uidvalidity_uidnext_count_and_modseq(dovecot, mailbox):
    dovecot.append(mailbox[0], "INBOX", [message(n) for n in range(3)])
    expected = dovecot.status(mailbox[0], "INBOX")
    with plain_session(dovecot) as session:
        session.login(*mailbox)
        assert "CONDSTORE" in session.capabilities
        status = session.status("INBOX")
        selected = session.select("INBOX")
    for value in (status, selected):
        assert (value.uidvalidity, value.uidnext, value.messages) == (
            expected["uidvalidity"],
            expected["uidnext"],
            3,
        )
        assert isinstance(value.highestmodseq, int)
        assert value.highestmodseq > 0


def test_status_costs_one_round_trip(dovecot, mailbox):
    with plain_session(dovecot) as session:
        session.login(*mailbox)
        before = session.round_trips
        session.status("INBOX")
        session.status("Sent")
        assert session.round_trips - before == 2


def test_statuses_of_several_folders_cost_one_round_trip(dovecot, mailbox):
    dovecot.append(mailbox[0], "INBOX", [message(n) for n in range(2)])
    with plain_session(dovecot) as session:
        session.login(*mailbox)
        before = session.round_trips
        found = session.statuses(["INBOX", "No such folder", "Sent"])
        assert session.round_trips - before == 1, "sent together, answers read after"
        assert set(found) == {"INBOX", "Sent"}, "a refused folder is left out"
        assert found["INBOX"] == session.status("INBOX")
        assert found["INBOX"].messages == 2
        with pytest.raises(ImapError):
            session.status("No such folder")
        assert session.connected


def test_list_status_gives_every_folder_and_its_status_in_one_round_trip(dovecot, mailbox):
    login = mailbox[0]
    dovecot.create_folder(login, "Clients/&AMk-t&AOk-")  # "Clients/Été", modified UTF-7
    dovecot.append(login, "Clients/&AMk-t&AOk-", [message(1)])
    with plain_session(dovecot) as session:
        session.login(*mailbox)
        assert "LIST-STATUS" in session.capabilities
        before = session.round_trips
        folders, statuses = session.list_folders_with_statuses()
        assert session.round_trips - before == 1
        assert set(folders) == set(session.list_folders())
        one_by_one = {f.name: session.status(f.name) for f in folders if f.selectable}
    assert statuses == one_by_one
    assert statuses["Clients/Été"].messages == 1


# ------------------------------------------------------------------------------ fetching


def test_header_and_body_fetches_never_set_seen(dovecot, mailbox):
    login = mailbox[0]
    dovecot.append(login, "INBOX", [message(1), message(2)])
    dovecot.append(login, "INBOX", message(3), flags="\\Seen \\Flagged")
    before = dovecot.flags(login, "INBOX")
    with plain_session(dovecot) as session:
        session.login(*mailbox)
        session.select("INBOX", readonly=False)  # even a writable selection: BODY.PEEK only
        headers = session.fetch_headers(range(1, 4))
        bodies = session.fetch_bodies([1, 2, 3])
    assert [h.uid for h in headers] == [1, 2, 3]
    assert [b.uid for b in bodies] == [1, 2, 3]
    assert b"Subject: Message 1" in headers[0].header
    assert headers[0].header.endswith(b"\r\n\r\n")
    assert b"this is a test message" in bodies[0].raw
    assert headers[2].flags >= {"\\Seen", "\\Flagged"}
    assert "\\Seen" not in headers[0].flags
    assert headers[0].size == len(bodies[0].raw)
    assert headers[0].internaldate.tzinfo is not None
    assert isinstance(headers[0].modseq, int)
    after = dovecot.flags(login, "INBOX")
    assert {uid: flags - {"\\Recent"} for uid, flags in after.items()} == {
        uid: flags - {"\\Recent"} for uid, flags in before.items()
    }
    assert "\\Seen" not in after[1] and "\\Seen" not in after[2]


def test_fetch_chosen_header_fields_and_missing_uids(dovecot, mailbox):
    dovecot.append(mailbox[0], "INBOX", [message(1, cc=["cc@example.org"])])
    with plain_session(dovecot) as session:
        session.login(*mailbox)
        session.select("INBOX")
        headers = session.fetch_headers([1, 2, 99], ["From", "Cc"])
        assert session.fetch_headers([]) == []
    assert [h.uid for h in headers] == [1]
    assert b"Cc: cc@example.org" in headers[0].header
    assert b"Subject" not in headers[0].header


# ------------------------------------------------------------------------------ searching


def test_search_by_address_range_and_message_id(dovecot, mailbox):
    login = mailbox[0]
    dovecot.append(
        login,
        "INBOX",
        [
            message(1, sender="Sue <sue@client.example>"),
            message(2, to=["sue@client.example"]),
            message(3, cc=["Sue <SUE@client.example>"]),
            message(4, sender="bob@other.example"),
            message(5, to=["bigsue@client.example"], message_id="<five@test.invalid>"),
        ],
    )
    with plain_session(dovecot) as session:
        session.login(*mailbox)
        session.select("INBOX")
        assert session.search(address="sue@client.example") == [1, 2, 3, 5]  # substring match
        assert session.search(address="sue@client.example", fields=("FROM",)) == [1]
        assert session.search(address="sue@client.example", uid_range=(2, 3)) == [2, 3]
        assert session.search(uid_range=(4, None)) == [4, 5]
        assert session.search(uid_range=(50, None)) == []  # "50:*" would also match UID 5
        assert session.search(message_id="<five@test.invalid>") == [5]
        assert session.search() == [1, 2, 3, 4, 5]


# ------------------------------------------------------------------------------ moving


def test_move_to_archive(dovecot, mailbox):
    login = mailbox[0]
    dovecot.append(login, "INBOX", [message(n) for n in range(3)])
    with plain_session(dovecot) as session:
        session.login(*mailbox)
        session.select("INBOX")
        with pytest.raises(ImapError, match="readonly=False"):
            session.move([2], "Archive")
        session.select("INBOX", readonly=False)
        assert session.move([2], "Archive") == "move"
    assert dovecot.uids(login, "INBOX") == [1, 3]
    assert len(dovecot.uids(login, "Archive")) == 1


@pytest.fixture(scope="module")
def old_dovecot():
    """A Dovecot that offers neither CONDSTORE nor MOVE after login, like an older server."""
    if not rig.dovecot_available():
        pytest.skip("Dovecot is not installed")
    capability = (
        "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UIDPLUS "
        "CHILDREN LIST-EXTENDED SPECIAL-USE UNSELECT ESEARCH"
    )
    with rig.DovecotServer(imap_capability=capability) as server:
        yield server


def test_without_condstore_or_move(old_dovecot):
    login, password = old_dovecot.add_user()
    old_dovecot.append(login, "INBOX", [message(n) for n in range(3)])
    with plain_session(old_dovecot) as session:
        session.login(login, password)
        assert "CONDSTORE" not in session.capabilities
        assert "MOVE" not in session.capabilities
        assert session.status("INBOX").highestmodseq is None
        assert session.select("INBOX", readonly=False).highestmodseq is None
        assert session.fetch_headers([1])[0].modseq is None
        assert session.move([1, 3], "Archive") == "copy_expunge"
        # no LIST-STATUS: the folders alone, each STATUS asked for after
        folders, statuses = session.list_folders_with_statuses()
        assert {"INBOX", "Sent", "Archive"} <= {f.name for f in folders} and statuses == {}
    assert old_dovecot.uids(login, "INBOX") == [2]
    assert len(old_dovecot.uids(login, "Archive")) == 2
