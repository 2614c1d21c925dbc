"""The sync protocol against IMAP servers other than Dovecot, run from their Debian packages.

Courier-IMAP leaves UIDNEXT out of SELECT and has no MOVE; GNU Mailutils' imap4d answers BAD to a
UID set that names a deleted UID, reads UIDs in SEARCH as message numbers, and gives an mbox INBOX
that received mail a new UIDVALIDITY every time it is opened; Cyrus IMAP keeps folders under
``INBOX.`` with its classic '.' separator, at the top with '/' (``unixhierarchysep``,
``altnamespace``). Each test syncs through the same ``imap.sync_folder`` the model uses and
checks the mail stored by Message-Id; every server gets the same 200-mail mailbox with folders
named outside ASCII (modified UTF-7 on the wire).
"""

import time

import dovecot_server as rig
import pytest
from stdio_imap_servers import wire

from mail_lead_capture.tools import imap
from mail_lead_capture.tools.imap import fleet
from mail_lead_capture.tools.imap.session import Credentials
from mail_lead_capture.tools.imap.session import ImapSession

CONTACT = "sue@client.example"
TIMEOUT = 20.0


class Store:
    """The model's part: mail stored once by de-duplication key, checkpoints per folder."""

    def __init__(self):
        self.keys = set()
        self.locations = {}  # dedupe key: (folder, UID) where it was stored from
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
            self.locations[message.summary.dedupe_key] = (folder, message.uid)
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
        client.select(wire(source))
        typ, data = client.search(None, "HEADER", "Message-ID", message_id)
        numbers = data[0].split()
        assert typ == "OK" and len(numbers) == 1, data
        assert client.copy(numbers[0], wire(destination))[0] == "OK"
        client.store(numbers[0], "+FLAGS", "(\\Deleted)")
        client.expunge()


# ------------------------------------------------------------------------------ every server


def seed_200(server, login, *, nested=True):
    """200 mails over INBOX, Sent and folders named outside ASCII (one under another when the
    server nests folders); an empty Archive. Returns ``{folder: expected Message-Ids}``, counts."""
    folders = {
        "INBOX": range(100),
        server.folder("Sent"): range(100, 140),
        server.folder("Été"): range(140, 170),
    }
    if nested:
        folders[server.folder("Clients")] = range(170, 185)
        folders[server.folder("Clients", "Ōsaka 大阪")] = range(185, 200)
    else:
        folders[server.folder("Ōsaka 大阪")] = range(170, 200)
    expected, counts = {}, {}
    for folder, numbers in folders.items():
        raws, expected[folder] = batch(list(numbers))
        counts[folder] = len(raws)
        server.append(login, folder, raws)
    server.create_folder(login, server.folder("Archive"))
    counts[server.folder("Archive")] = 0
    expected[server.folder("Archive")] = set()
    assert sum(counts.values()) == 200
    return expected, counts


SERVERS = ["courier", "cyrus", "cyrus_slash", "mailutils"]


@pytest.fixture(params=SERVERS)
def server(request):
    return request.getfixturevalue(request.param)


def test_first_import_incremental_a_client_move_and_a_two_way_move(server):
    login, _password = server.add_user()
    nested = server.kind != "mailutils"  # its mbox folders cannot hold folders
    expected, counts = seed_200(server, login, nested=nested)
    everything = set().union(*expected.values())
    inbox, ete, archive = "INBOX", server.folder("Été"), server.folder("Archive")
    store = Store()

    # first import: every folder (names as the user reads them), exactly the wanted mail
    with session_for(server, login) as session:
        folders = imap.folders_to_sync(session.list_folders()).names
        assert set(folders) == set(counts), folders
        results = {name: store.run(session, name, batch_size=25) for name in folders}
        if server.kind == "courier":
            assert "select_without_uidnext" in session.quirks  # its SELECT has no UIDNEXT
    assert store.keys == everything
    assert len(everything) == 100
    assert {name: result.examined for name, result in results.items()} == counts
    assert all(result.complete for result in results.values())
    assert store.downloads == len(store.keys)  # only the wanted bodies, each once

    # incremental: only the new mail is examined, in INBOX and in the non-ASCII folder
    new_inbox, new_inbox_expected = batch(range(300, 303))
    new_ete, new_ete_expected = batch(range(304, 306))
    server.append(login, inbox, new_inbox)
    server.append(login, ete, new_ete)
    with session_for(server, login) as session:
        results = {name: store.run(session, name) for name in folders}
    assert (results[inbox].action, results[inbox].examined) == ("incremental", 3)
    assert (results[ete].action, results[ete].examined) == ("incremental", 2)
    assert sum(r.examined for r in results.values()) == 5, "nothing else is read again"
    everything |= new_inbox_expected | new_ete_expected
    assert store.keys == everything
    assert store.downloads == len(store.keys)

    # the user files a captured mail away in their client, into the non-ASCII folder: the next
    # pass finds it there and does not store it twice
    moved = min(expected[inbox])
    assert store.locations[moved][0] == inbox
    client_move(server, login, inbox, ete, moved)
    downloads = store.downloads
    with session_for(server, login) as session:
        results = {name: store.run(session, name) for name in folders}
    assert results[ete].examined == 1
    assert store.downloads == downloads
    assert store.keys == everything

    # a two-way action on it ("Archive in my mailbox") first looks where it was filed from, as
    # the model does: its UID there holds no more mail, and its Message-Id is not in the folder;
    # so it is left where the user put it
    _folder, old_uid = store.locations[moved]
    with session_for(server, login) as session:
        session.select(inbox, readonly=False)
        assert old_uid not in session.message_ids([old_uid])
        assert session.search(message_id=moved) == []
        session.select(ete)
        assert len(session.search(message_id=moved)) == 1, "still where the user put it"

    # a mail still in INBOX is moved by the two-way action, and the server's answer is checked
    staying = sorted(expected[inbox] - {moved})[0]
    with session_for(server, login) as session:
        session.select(inbox, readonly=False)
        [uid] = session.search(message_id=staying)
        assert session.message_ids([uid]) == {uid: staying}
        way = session.move([uid], archive)
        if way != "copy_flag":  # flagged \Deleted only: the owner's client expunges it
            assert session.message_ids([uid]) == {}, f"{way}: still in INBOX"
        session.select(archive)
        assert len(session.search(message_id=staying)) == 1, f"{way}: not in Archive"
    downloads = store.downloads
    with session_for(server, login) as session:
        results = {name: store.run(session, name) for name in folders}
    assert results[archive].examined == 1
    assert store.downloads == downloads, "a moved mail is not stored again"
    assert store.keys == everything


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


def test_the_fleet_survey_reads_the_same_folders_and_statuses(server):
    """LIST and every synced folder's STATUS in one round trip where the server offers
    LIST-STATUS (Cyrus), else LIST then the STATUS commands sent together (Courier, Mailutils):
    the same answers as one STATUS at a time."""
    login, _password = server.add_user()
    server.append(login, "INBOX", batch(range(3))[0])
    server.append(login, server.folder("Été"), batch(range(3, 5))[0])
    server.create_folder(login, server.folder("Archive"))
    target = fleet.Target(
        key=1,
        host=server.host,
        port=server.port,
        security="none",
        credentials=Credentials(login, server.password_of(login)),
        timeout=TIMEOUT,
    )
    result = fleet.survey(target, fleet.Gates())
    assert result.error is None, result.error
    try:
        with session_for(server, login) as session:
            names = imap.folders_to_sync(session.list_folders(), "all", []).names
            one_by_one = {name: session.status(name) for name in names}
        assert len(names) >= 3 and server.folder("Été") in names
        assert {n: (s.uidnext, s.messages) for n, s in result.statuses.items()} == {
            n: (s.uidnext, s.messages) for n, s in one_by_one.items()
        }
        surveyed = result.session
        together = 1 if surveyed.has("LIST-STATUS") else 2
        assert surveyed.round_trips == 1 + together, "LOGIN, then LIST and the STATUS answers"
    finally:
        result.close()


def test_a_history_search_for_many_addresses_at_once(server):
    """A first import can add thousands of contacts: their past mail is searched 20 spellings to
    a SEARCH (80 keys ORed, nested by halves), which every server must read as it is meant."""
    login, _password = server.add_user()
    raws, expected = batch(list(range(12)), contact_every=3)
    server.append(login, "INBOX", raws)
    strangers = [f"nobody{n}@elsewhere.example" for n in range(45)]
    with session_for(server, login) as session:
        status = session.select("INBOX")
        checkpoint = imap.Checkpoint(status.uidvalidity, 10_000)  # every mail is past it
        before = session.round_trips
        batches = list(
            imap.history_batches(
                session, "INBOX", [*strangers[:30], CONTACT, *strangers[30:]], checkpoint
            )
        )
        searched = session.round_trips - before
    found = {m.summary.dedupe_key for b in batches for m in b.messages}
    assert found == expected
    # one SELECT, a few SEARCHes (not one per address), one header fetch
    assert searched <= 8, searched


def test_a_history_read_of_the_folder_for_thousands_of_addresses(server):
    """Past the few SEARCHes, the history reads the folder's address headers once: every server
    must give the same mail that way (Mailutils and Courier read UID sets their own way)."""
    login, _password = server.add_user()
    raws, expected = batch(list(range(12)), contact_every=3)
    server.append(login, "INBOX", raws)
    strangers = [f"nobody{n}@elsewhere.example" for n in range(500)]
    with session_for(server, login) as session:
        status = session.select("INBOX")
        checkpoint = imap.Checkpoint(status.uidvalidity, 10_000)  # every mail is past it
        before = session.round_trips
        batches = list(
            imap.history_batches(
                session, "INBOX", [*strangers[:250], CONTACT, *strangers[250:]], checkpoint
            )
        )
        trips = session.round_trips - before
    assert {m.summary.dedupe_key for b in batches for m in b.messages} == expected
    # SELECT, the UIDs, one FETCH of address headers, one of the mail found (a quirky server may
    # add its own listing of the UIDs)
    assert trips <= 5, trips
