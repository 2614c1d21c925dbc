"""The sync protocol against IMAP servers other than Dovecot, run from their Debian packages.

Courier-IMAP leaves UIDNEXT out of SELECT and has no MOVE; GNU Mailutils' imap4d answers BAD to a
UID set that names a deleted UID, reads UIDs in SEARCH as message numbers, and gives an mbox INBOX
that received mail a new UIDVALIDITY every time it is opened. Each test syncs through the same
``imap.sync_folder`` the model uses and checks the mail stored by Message-Id.
"""

import time

import dovecot_server as rig

from mail_lead_capture.tools import imap
from mail_lead_capture.tools.imap.session import ImapSession

CONTACT = "sue@client.example"
TIMEOUT = 20.0


class Store:
    """The model's part: mail stored once by de-duplication key, checkpoints per folder."""

    def __init__(self):
        self.keys = set()
        self.downloads = 0
        self.checkpoints = {}

    def run(self, session, folder, **kwargs):
        def wants(message):
            return (
                CONTACT in message.summary.participants
                and message.summary.dedupe_key not in self.keys
            )

        def store(message, raw):
            self.downloads += 1
            self.keys.add(message.summary.dedupe_key)
            self.checkpoints[folder] = message.checkpoint

        def save(checkpoint):
            self.checkpoints[folder] = checkpoint

        return imap.sync_folder(
            session,
            folder,
            self.checkpoints.get(folder),
            wants_body=wants,
            store=store,
            save_checkpoint=save,
            **kwargs,
        )


def session_for(server, login):
    session = ImapSession(server.host, server.port, "none", timeout=TIMEOUT)
    session.connect()
    session.login(login, server.password_of(login))
    return session


def mail(n, with_contact):
    message_id = f"<m{n}-{time.monotonic_ns()}@test.invalid>"
    sender = f"Sue <{CONTACT}>" if with_contact else f"someone{n}@example.org"
    raw = rig.build_message(
        sender=sender, to=["owner@mycompany.example"], subject=f"Mail {n}", message_id=message_id
    )
    return raw, message_id


def batch(numbers, contact_every=2):
    pairs = [mail(n, n % contact_every == 0) for n in numbers]
    raws = [raw for raw, _id in pairs]
    expected = {
        mid for n, (_raw, mid) in zip(numbers, pairs, strict=True) if n % contact_every == 0
    }
    return raws, expected


def client_move(server, login, source, destination, message_id):
    """The user moves a mail in their own client: COPY, \\Deleted, EXPUNGE (neither has MOVE)."""
    with server.imap(login) as client:
        client.select(source)
        typ, data = client.search(None, "HEADER", "Message-ID", message_id)
        numbers = data[0].split()
        assert typ == "OK" and len(numbers) == 1, data
        assert client.copy(numbers[0], destination)[0] == "OK"
        client.store(numbers[0], "+FLAGS", "(\\Deleted)")
        client.expunge()


# ------------------------------------------------------------------------------ Courier


def test_courier_first_import_incremental_and_a_client_move(courier):
    login, _password = courier.add_user()
    inbox, inbox_expected = batch(range(8))
    sent, sent_expected = batch(range(100, 104))
    courier.append(login, "INBOX", inbox)
    courier.append(login, "INBOX.Sent", sent)
    courier.append(login, "INBOX.Archive", batch([201])[0])
    store = Store()
    with session_for(courier, login) as session:
        folders = imap.folders_to_sync(session.list_folders()).names
        assert set(folders) == {"INBOX", "INBOX.Sent", "INBOX.Archive"}
        results = {name: store.run(session, name, batch_size=3) for name in folders}
        assert "select_without_uidnext" in session.quirks  # Courier's SELECT has no UIDNEXT
    assert store.keys == inbox_expected | sent_expected
    assert results["INBOX"].examined == 8
    assert store.downloads == len(store.keys)  # only the wanted bodies, each once

    # incremental: only the new mail is examined
    new, new_expected = batch(range(8, 11))
    courier.append(login, "INBOX", new)
    with session_for(courier, login) as session:
        result = store.run(session, "INBOX")
    assert (result.action, result.examined) == ("incremental", 3)
    assert store.keys == inbox_expected | sent_expected | new_expected

    # the user files a captured mail away in their client: found in Archive, not stored twice
    moved = sorted(inbox_expected)[0]
    client_move(courier, login, "INBOX", "INBOX.Archive", moved)
    downloads = store.downloads
    with session_for(courier, login) as session:
        results = {name: store.run(session, name) for name in folders}
    assert results["INBOX"].action == "up_to_date"
    assert results["INBOX.Archive"].examined == 1
    assert store.downloads == downloads
    assert store.keys == inbox_expected | sent_expected | new_expected


# ------------------------------------------------------------------------------ GNU Mailutils


def test_mailutils_refused_uid_sets_after_a_deletion(mailutils):
    login, _password = mailutils.add_user()
    raws, expected = batch(range(10))
    mailutils.append(login, "INBOX", raws)
    # the user deletes mails 1 and 5 (UIDs 2 and 6): sets naming them are refused with BAD
    with mailutils.imap(login) as client:
        client.select("INBOX")
        client.uid("STORE", "2:2", "+FLAGS", "(\\Deleted)")
        client.uid("STORE", "6:6", "+FLAGS", "(\\Deleted)")
        client.expunge()
    store = Store()
    with session_for(mailutils, login) as session:
        # batches are sent as ranges (1:3, 4:6...), which it accepts; a list of UIDs was refused
        result = store.run(session, "INBOX", batch_size=3)
    assert result.complete and result.examined == 8
    assert store.keys == expected  # mails 1 and 5 are odd: not wanted anyway
    assert store.checkpoints["INBOX"].last_uid == 10
    # a history search by address finds the contact's mail by UID, not by message number
    with session_for(mailutils, login) as session:
        batches = list(
            imap.history_batches(session, "INBOX", [CONTACT], store.checkpoints["INBOX"])
        )
    found = {m.summary.dedupe_key for b in batches for m in b.messages}
    assert found == expected
    # bodies asked by list, one of them deleted since its header was read: BAD, then the UIDs
    # that exist are asked again
    with session_for(mailutils, login) as session:
        session.select("INBOX")
        bodies = session.fetch_bodies([1, 2, 5])
        assert "uid_set_of_existing_only" in session.quirks
        assert [body.uid for body in bodies] == [1, 5]
        assert [h.uid for h in session.fetch_headers([2, 3, 4, 6, 7])] == [3, 4, 7]


def deliver_to_mbox(server, login, raws):
    """Mail delivered by the MTA straight into the mbox (no X-UID headers written)."""
    with open(server.data / login / "inbox", "ab") as mbox:
        for raw in raws:
            text = raw.replace(b"\r\n", b"\n")
            mbox.write(b"From MAILER-DAEMON Thu Dec  3 08:00:00 2026\n" + text + b"\n")


def test_mailutils_new_uidvalidity_on_every_open_is_not_a_reread_every_pass(mailutils):
    login, _password = mailutils.add_user()
    raws, expected = batch(range(6))
    deliver_to_mbox(mailutils, login, raws)
    store = Store()
    validities, examined = [], []
    for _pass in range(4):
        with session_for(mailutils, login) as session:
            result = store.run(session, "INBOX")
        validities.append(store.checkpoints["INBOX"].uidvalidity)
        examined.append(result.examined)
        time.sleep(1.1)  # imap4d's new UIDVALIDITY is made of the time in seconds
    assert len(set(validities)) > 2, "the server gives a new UIDVALIDITY on every open"
    assert examined[0] == 6
    # the first change reads the folder again (as any new UIDVALIDITY must); later ones do not
    assert sum(examined[1:]) <= 6
    assert examined[-1] == 0
    assert store.checkpoints["INBOX"].renumbered
    assert store.keys == expected
    # new mail is still found
    more, more_expected = batch(range(6, 8))
    deliver_to_mbox(mailutils, login, more)
    with session_for(mailutils, login) as session:
        result = store.run(session, "INBOX")
    assert result.examined == 2
    assert store.keys == expected | more_expected
