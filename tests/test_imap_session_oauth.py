"""XOAUTH2 and OAUTHBEARER logins against a real Dovecot whose ``oauth2`` passdb checks each
access token with the local provider stand-in (token introspection, no cache)."""

import os

import dovecot_server as rig
import oauth_server
import pytest

from mail_lead_capture.tools.imap.session import Credentials
from mail_lead_capture.tools.imap.session import ImapError
from mail_lead_capture.tools.imap.session import ImapSession

TIMEOUT = 10.0


@pytest.fixture(scope="module")
def provider():
    with oauth_server.OAuthServer() as server:
        yield server


@pytest.fixture(scope="module")
def dovecot_oauth(provider):
    if not rig.dovecot_available():
        reason = "Dovecot is not installed: apt-get install dovecot-imapd to run the IMAP tests"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with rig.DovecotServer(oauth2_introspection_url=provider.introspection_url) as server:
        yield server


def tls_session(dovecot):
    return ImapSession(
        dovecot.host, dovecot.tls_port, "ssl", timeout=TIMEOUT, ssl_context=dovecot.ssl_context()
    )


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_a_valid_access_token_logs_in(dovecot_oauth, provider, mechanism):
    login, _password = dovecot_oauth.add_user()
    dovecot_oauth.create_folder(login, "Projects")
    _refresh, access, _expiry = provider.grant(login)
    with tls_session(dovecot_oauth) as session:
        session.authenticate(Credentials(login, access, mechanism))
        names = {folder.name for folder in session.list_folders()}
    assert {"INBOX", "Projects"} <= names


def test_expired_revoked_or_foreign_tokens_are_refused_as_auth(dovecot_oauth, provider):
    login, _password = dovecot_oauth.add_user()
    other, _password = dovecot_oauth.add_user()
    _refresh, access, _expiry = provider.grant(login)
    _refresh, foreign, _expiry = provider.grant(other)
    with pytest.raises(ImapError) as refused, tls_session(dovecot_oauth) as session:
        session.oauth2_login(login, foreign)  # another account's token
    assert refused.value.kind == "auth"
    provider.revoke(login)
    with pytest.raises(ImapError) as refused, tls_session(dovecot_oauth) as session:
        session.oauth2_login(login, access)
    assert refused.value.kind == "auth"
    assert refused.value.needs_user_action


def test_passwords_still_work_beside_oauth(dovecot_oauth):
    login, password = dovecot_oauth.add_user()
    with tls_session(dovecot_oauth) as session:
        session.authenticate(Credentials(login, password))
        assert session.list_folders()


def test_credentials_never_show_their_secret():
    credentials = Credentials("me@example.com", "access-s3cr3t", "XOAUTH2")
    assert "s3cr3t" not in repr(credentials)
    assert "s3cr3t" not in str(credentials)
    with pytest.raises(ValueError):
        Credentials("me@example.com", "x", "CRAM-MD5")
    with pytest.raises(ValueError):
        ImapSession("127.0.0.1", 1, "none").oauth2_login("me", "token", mechanism="PLAIN")


def test_append_files_a_sent_mail_marked_seen(dovecot):
    login, password = dovecot.add_user()
    raw = rig.build_message(sender="me@example.com", to=["you@example.com"], subject="Sent")
    with ImapSession(dovecot.host, dovecot.plain_port, "none", timeout=TIMEOUT) as session:
        session.login(login, password)
        uid = session.append("Sent", raw, flags=("\\Seen",))
        session.select("Sent")
        assert session.search(message_id=rig.re.search(rb"Message-ID: (\S+)", raw)[1].decode()) == [
            uid
        ]
    flags = dovecot.flags(login, "Sent")
    assert list(flags) == [uid]
    assert "\\Seen" in flags[uid]
