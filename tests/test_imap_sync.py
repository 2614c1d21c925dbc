"""The sync engine against a real Dovecot: incremental passes, UIDVALIDITY resets, kill and resume.

A small in-memory "database" plays the model: it stores messages by de-duplication key and keeps the
folder checkpoints, and can be told to crash after a number of commits.
"""

import dovecot_server as rig
import pytest

from mail_lead_capture.tools import imap
from mail_lead_capture.tools.imap import Checkpoint
from mail_lead_capture.tools.imap import folders_to_sync
from mail_lead_capture.tools.imap import sync_folder
from mail_lead_capture.tools.imap.session import ImapError
from mail_lead_capture.tools.imap.session import ImapSession

TIMEOUT = 10.0
CONTACT = "sue@client.example"


class Crash(Exception):
    """The worker was killed."""


class Store:
    """What the model keeps: stored mail by key, a checkpoint per folder, commits counted.

    ``atomic``: a message and its checkpoint are committed together (the contract); otherwise the
    checkpoint is committed separately right after, and a crash may fall between the two.
    ``crash_after``: raise :class:`Crash` once that many commits are done (a kill).
    """

    def __init__(self, *, atomic=True, crash_after=None, crash_between=False):
        self.messages = {}  # dedupe key -> (folder, uid, raw)
        self.checkpoints = {}
        self.store_calls = []
        self.commits = 0
        self.atomic = atomic
        self.crash_after = crash_after
        self.crash_between = crash_between

    def _commit(self):
        self.commits += 1
        if self.crash_after is not None and self.commits >= self.crash_after:
            self.crash_after = None
            raise Crash

    def store(self, message, raw):
        self.store_calls.append(message.summary.dedupe_key)
        self.messages.setdefault(message.summary.dedupe_key, (message.folder, message.uid, raw))
        if self.atomic:
            self.checkpoints[message.folder] = message.checkpoint
            self._commit()
        else:
            self._commit()
            if self.crash_between:
                self.crash_between = False
                raise Crash  # killed after the message's commit, before the checkpoint's
            self.checkpoints[message.folder] = message.checkpoint
            self._commit()

    def save_checkpoint(self, checkpoint):
        self.folder_checkpoint = checkpoint
        self.checkpoints[self.current] = checkpoint
        self._commit()

    def run(self, session, folder, wants=lambda m: CONTACT in m.summary.participants, **kw):
        self.current = folder
        return sync_folder(
            session,
            folder,
            self.checkpoints.get(folder),
            wants_body=wants,
            store=self.store,
            save_checkpoint=self.save_checkpoint,
            **kw,
        )


@pytest.fixture
def mailbox(dovecot):
    return dovecot.add_user()


def session_for(dovecot, mailbox, port=None) -> ImapSession:
    session = ImapSession(dovecot.host, port or dovecot.plain_port, "none", timeout=TIMEOUT)
    session.connect()
    session.login(*mailbox)
    return session


def mails(count, start=0, every=3):
    """``count`` mails; every ``every``-th one involves the contact, in turn as From, To and Cc."""
    result = []
    for n in range(start, start + count):
        kwargs = {"sender": f"someone{n}@example.org", "to": ["owner@mycompany.example"]}
        if n % every == 0:
            role = (n // every) % 3
            if role == 0:
                kwargs["sender"] = f"Sue <{CONTACT}>"
            elif role == 1:
                kwargs["to"] = [CONTACT]
            else:
                kwargs["cc"] = [CONTACT.upper()]
        result.append(rig.build_message(subject=f"Mail {n}", **kwargs))
    return result


def involving_contact(raws):
    return sum(CONTACT.encode() in raw.lower() for raw in raws)


# ------------------------------------------------------------------------------ passes


def test_first_then_incremental_passes(dovecot, mailbox):
    login = mailbox[0]
    first = mails(10)
    dovecot.append(login, "INBOX", first)
    dovecot.append(login, "Sent", mails(2, start=100, every=1))
    store = Store()
    with session_for(dovecot, mailbox) as session:
        folders = folders_to_sync(session.list_folders()).names
        assert set(folders) == {"INBOX", "Sent", "Archive"}
        results = {folder: store.run(session, folder, batch_size=4) for folder in folders}
    assert results["INBOX"].action == "initial"
    assert results["INBOX"].examined == 10
    assert results["INBOX"].stored == involving_contact(first)
    assert results["Sent"].stored == 2
    assert results["Archive"].examined == 0
    status = dovecot.status(login, "INBOX")
    assert store.checkpoints["INBOX"] == Checkpoint(
        status["uidvalidity"],
        10,
        store.checkpoints["INBOX"].highestmodseq,
        10,  # the anchor: the last mail examined, by UID and Message-Id
        imap.summarize_header(first[-1]).dedupe_key,
    )
    assert store.checkpoints["INBOX"].highestmodseq is not None
    assert store.checkpoints["Archive"].last_uid == 0

    # no new mail: one STATUS per folder, nothing fetched, nothing saved
    commits = store.commits
    with session_for(dovecot, mailbox) as session:
        before = session.round_trips
        results = {folder: store.run(session, folder) for folder in folders}
        assert session.round_trips - before == len(folders)
    assert {r.action for r in results.values()} == {"up_to_date"}
    assert sum(r.examined for r in results.values()) == 0
    assert store.commits == commits

    # new mail: only the new UIDs are read
    dovecot.append(login, "INBOX", mails(4, start=10, every=2))
    with session_for(dovecot, mailbox) as session:
        result = store.run(session, "INBOX", wants=lambda m: True)
    assert result.action == "incremental"
    assert result.examined == 4
    assert sorted(uid for _f, uid, _r in store.messages.values() if _f == "INBOX")[-4:] == [
        11,
        12,
        13,
        14,
    ]
    assert store.checkpoints["INBOX"].last_uid == 14


def test_only_the_wanted_bodies_are_downloaded_and_seen_is_untouched(dovecot, mailbox):
    login = mailbox[0]
    raws = mails(12)
    dovecot.append(login, "INBOX", raws)
    store = Store()
    with session_for(dovecot, mailbox) as session:
        result = store.run(session, "INBOX", batch_size=5)
    wanted = involving_contact(raws)
    assert result.stored == wanted == len(store.messages)
    counts = dovecot.transfer_counts(login)
    assert counts["body_count"] == wanted  # bodies: only the mails that matter
    assert counts["hdr_count"] == 12  # headers: every mail once
    assert all("\\Seen" not in flags for flags in dovecot.flags(login, "INBOX").values())


def test_drafts_and_deleted_mail_are_skipped_but_passed(dovecot, mailbox):
    login = mailbox[0]
    dovecot.append(login, "INBOX", mails(2, every=1))
    dovecot.append(login, "INBOX", mails(1, start=3, every=1), flags="\\Draft")
    dovecot.append(login, "INBOX", mails(1, start=6, every=1), flags="\\Deleted")
    store = Store()
    with session_for(dovecot, mailbox) as session:
        result = store.run(session, "INBOX")
    assert (result.examined, result.skipped, result.stored) == (2, 2, 2)
    assert store.checkpoints["INBOX"].last_uid == 4


def test_a_folder_whose_mail_was_mostly_deleted(dovecot, mailbox):
    """Sparse UIDs: growing SEARCH windows find the survivors without one command per gap."""
    login = mailbox[0]
    dovecot.append(login, "INBOX", mails(120, every=1))
    with dovecot.imap(login) as client:
        client.select("INBOX")
        client.uid("STORE", "3:117", "+FLAGS.SILENT", "(\\Deleted)")
        client.expunge()
    store = Store()
    with session_for(dovecot, mailbox) as session:
        before = session.round_trips
        result = store.run(session, "INBOX", batch_size=2)
        commands = session.round_trips - before
    assert sorted(uid for _f, uid, _r in store.messages.values()) == [1, 2, 118, 119, 120]
    assert store.checkpoints["INBOX"].last_uid == 120
    assert result.complete
    assert commands < 115 / 2  # fewer commands than one per window of two UIDs


# ------------------------------------------------------------------------------ UIDVALIDITY


def test_a_new_uidvalidity_rescans_without_duplicates(dovecot, mailbox):
    login = mailbox[0]
    raws = mails(9)
    dovecot.append(login, "INBOX", raws)
    store = Store()
    with session_for(dovecot, mailbox) as session:
        store.run(session, "INBOX")
    stored = dict(store.messages)
    new_validity = dovecot.reset_uidvalidity(login, "INBOX")
    with session_for(dovecot, mailbox) as session:
        plan = imap.plan_pass(session, "INBOX", store.checkpoints["INBOX"])
        assert plan.action == "rescan"
        assert plan.first_uid == 1
        result = store.run(session, "INBOX")
    assert result.action == "rescan"
    assert result.examined == 9
    assert store.messages.keys() == stored.keys()  # the caller's de-duplication keeps one each
    assert store.checkpoints["INBOX"].uidvalidity == new_validity


def test_a_recreated_folder_rescans_from_uid_one(dovecot, mailbox):
    login = mailbox[0]
    raws = mails(6, every=1)
    dovecot.append(login, "Archive", raws)
    store = Store()
    with session_for(dovecot, mailbox) as session:
        store.run(session, "Archive")
    old = store.checkpoints["Archive"]
    dovecot.recreate_folder(login, "Archive")
    dovecot.append(login, "Archive", raws[:2])
    with session_for(dovecot, mailbox) as session:
        result = store.run(session, "Archive")
    assert result.action == "rescan"
    assert store.checkpoints["Archive"].uidvalidity != old.uidvalidity
    assert store.checkpoints["Archive"].last_uid == 2
    assert len(store.messages) == 6
    assert store.store_calls.count(store.store_calls[0]) == 2  # seen again, stored once


# ------------------------------------------------------------------------------ crash safety


def run_until_done(dovecot, mailbox, store, folder="INBOX", port=None, **kw):
    crashes = 0
    while True:
        try:
            with session_for(dovecot, mailbox, port) as session:
                result = store.run(session, folder, **kw)
        except (Crash, ImapError):
            crashes += 1
            assert crashes < 50
            continue
        if result.complete:
            return crashes


@pytest.mark.parametrize("crash_after", [1, 2, 3, 4, 5, 7, 8, 11])
def test_killed_at_any_commit_loses_and_duplicates_nothing(dovecot, mailbox, crash_after):
    login = mailbox[0]
    raws = mails(17, every=2)
    dovecot.append(login, "INBOX", raws)
    store = Store(crash_after=crash_after)
    crashes = run_until_done(dovecot, mailbox, store, batch_size=4)
    assert crashes == 1
    assert len(store.messages) == involving_contact(raws)
    # atomic commits: nothing committed is ever offered again
    assert len(store.store_calls) == len(set(store.store_calls))
    assert store.checkpoints["INBOX"].last_uid == 17


def test_killed_between_the_message_and_its_checkpoint_is_deduplicated(dovecot, mailbox):
    login = mailbox[0]
    raws = mails(10, every=2)
    dovecot.append(login, "INBOX", raws)
    store = Store(atomic=False, crash_between=True)
    assert run_until_done(dovecot, mailbox, store, batch_size=3) == 1
    assert len(store.messages) == involving_contact(raws)
    assert len(store.store_calls) == len(store.messages) + 1  # one offered twice, kept once


def test_a_connection_dropped_mid_fetch_resumes_where_it_stopped(dovecot, mailbox):
    login = mailbox[0]
    raws = mails(30, every=2)
    dovecot.append(login, "INBOX", raws)
    store = Store()
    with rig.DroppingProxy(dovecot.plain_port) as proxy:
        with session_for(dovecot, mailbox, proxy.port) as session:
            session.status("INBOX")
            proxy.drop_after(6000)  # somewhere in the second or third batch
            with pytest.raises(ImapError) as caught:
                store.run(session, "INBOX", batch_size=5)
        assert caught.value.kind == "dropped"
        assert 0 < store.checkpoints["INBOX"].last_uid < 30
        assert run_until_done(dovecot, mailbox, store, port=proxy.port, batch_size=5) == 0
    assert len(store.messages) == involving_contact(raws)
    assert len(store.store_calls) == len(set(store.store_calls))


def test_a_time_box_stops_between_messages_and_the_next_pass_resumes(dovecot, mailbox):
    login = mailbox[0]
    dovecot.append(login, "INBOX", mails(12, every=1))
    store = Store()
    budget = iter(range(100))
    with session_for(dovecot, mailbox) as session:
        result = store.run(session, "INBOX", batch_size=5, should_stop=lambda: next(budget) >= 3)
    assert not result.complete
    assert result.stored == 4
    assert store.checkpoints["INBOX"].last_uid == 4
    with session_for(dovecot, mailbox) as session:
        result = store.run(session, "INBOX", batch_size=5)
    assert result.complete and result.action == "incremental"
    assert len(store.messages) == 12 == len(store.store_calls)


# ------------------------------------------------------------------------------ CONDSTORE


def test_highestmodseq_is_kept_and_a_flag_change_alone_fetches_nothing(dovecot, mailbox):
    login = mailbox[0]
    dovecot.append(login, "INBOX", mails(3))
    store = Store()
    with session_for(dovecot, mailbox) as session:
        store.run(session, "INBOX")
        status = session.status("INBOX")
    assert store.checkpoints["INBOX"].highestmodseq == status.highestmodseq
    with dovecot.imap(login) as client:
        client.select("INBOX")
        client.uid("STORE", "2", "+FLAGS.SILENT", "(\\Flagged)")
    with session_for(dovecot, mailbox) as session:
        result = store.run(session, "INBOX")
        assert session.status("INBOX").highestmodseq == store.checkpoints["INBOX"].highestmodseq
    assert result.action == "up_to_date"
    assert result.examined == 0
    assert store.checkpoints["INBOX"].highestmodseq > status.highestmodseq


# ------------------------------------------------------------------------------ history


def test_history_import_finds_one_address_past_mail_by_search(dovecot, mailbox):
    login = mailbox[0]
    raws = mails(20, every=4)
    expected = involving_contact(raws)
    raws.append(rig.build_message(sender="bigsue@client.example", to=["owner@mycompany.example"]))
    dovecot.append(login, "INBOX", raws)
    store = Store()
    with session_for(dovecot, mailbox) as session:
        store.run(session, "INBOX", wants=lambda m: False)
    checkpoint = store.checkpoints["INBOX"]
    dovecot.append(login, "INBOX", mails(1, start=40, every=1))  # newer: for the next pass
    with session_for(dovecot, mailbox) as session:
        batches = list(
            imap.history_batches(session, "INBOX", [CONTACT.upper()], checkpoint, batch_size=2)
        )
        bodies = [raw for batch in batches for _m, raw in batch.bodies(batch.messages)]
    found = [m for batch in batches for m in batch.messages]
    assert len(found) == expected == 5  # not bigsue@, whom IMAP's substring search also finds
    assert all(CONTACT in m.summary.participants for m in found)
    assert all(m.checkpoint is None for m in found)
    assert all(batch.checkpoint is None for batch in batches)
    assert all(raw and CONTACT.encode() in raw.lower() for raw in bodies)
    assert max(m.uid for m in found) <= checkpoint.last_uid
    with session_for(dovecot, mailbox) as session:
        assert list(imap.history_batches(session, "INBOX", [CONTACT], None)) == []
        stale = Checkpoint(checkpoint.uidvalidity + 1, checkpoint.last_uid)
        assert list(imap.history_batches(session, "INBOX", [CONTACT], stale)) == []


def test_history_import_searches_many_addresses_together(dovecot, mailbox):
    login = mailbox[0]
    raws = mails(20, every=4)
    expected = involving_contact(raws)
    dovecot.append(login, "INBOX", raws)
    store = Store()
    with session_for(dovecot, mailbox) as session:
        store.run(session, "INBOX", wants=lambda m: False)
    strangers = [f"nobody{n}@elsewhere.example" for n in range(60)]
    with session_for(dovecot, mailbox) as session:
        before = session.round_trips
        batches = list(
            imap.history_batches(
                session, "INBOX", [*strangers, CONTACT], store.checkpoints["INBOX"]
            )
        )
        searched = session.round_trips - before
    assert len([m for batch in batches for m in batch.messages]) == expected == 5
    assert searched <= 8, f"{searched} round trips for 61 addresses: not one SEARCH each"


def test_history_import_reads_the_folder_once_for_thousands_of_addresses(dovecot, mailbox):
    """A first import adds its contacts by the thousand: beyond a few SEARCHes, the folder's
    address headers are read once and matched here, and the mail found is the same."""
    login = mailbox[0]
    raws = mails(30, every=4)
    expected = involving_contact(raws)
    raws.append(rig.build_message(sender="bigsue@client.example", to=["owner@mycompany.example"]))
    dovecot.append(login, "INBOX", raws)
    store = Store()
    with session_for(dovecot, mailbox) as session:
        store.run(session, "INBOX", wants=lambda m: False)
    checkpoint = store.checkpoints["INBOX"]
    dovecot.append(login, "INBOX", mails(2, start=40, every=1))  # newer: not the history's
    strangers = [f"nobody{n}@elsewhere.example" for n in range(3000)]
    addresses = [*strangers[:1500], CONTACT.upper(), *strangers[1500:]]
    found = {}
    for way, scan_after in (("search", 10_000), ("scan", 0), ("default", None)):
        options = {} if scan_after is None else {"scan_after": scan_after}
        with session_for(dovecot, mailbox) as session:
            before = session.round_trips
            batches = list(
                imap.history_batches(
                    session, "INBOX", addresses, checkpoint, batch_size=2, **options
                )
            )
            trips = session.round_trips - before
        found[way] = sorted(m.uid for b in batches for m in b.messages)
        if way == "default":
            # SELECT, the UIDs, one FETCH of address headers, then the mail found, 2 at a time
            assert trips <= 3 + -(-expected // 2), f"{trips} round trips: not one read"
    assert found["scan"] == found["search"] == found["default"]
    assert len(found["scan"]) == expected == 8  # not bigsue@, whom IMAP's search also finds
    assert max(found["scan"]) <= checkpoint.last_uid


def test_a_message_that_vanishes_before_its_body_is_fetched(dovecot, mailbox):
    login = mailbox[0]
    dovecot.append(login, "INBOX", mails(3, every=1))
    with session_for(dovecot, mailbox) as session:
        plan = imap.plan_pass(session, "INBOX", None)
        (batch,) = list(imap.iter_batches(session, plan))
        with dovecot.imap(login) as client:
            client.select("INBOX")
            client.uid("STORE", "2", "+FLAGS.SILENT", "(\\Deleted)")
            client.expunge()
        got = [(m.uid, raw is not None) for m, raw in batch.bodies(batch.messages)]
    assert got == [(1, True), (2, False), (3, True)]
    assert batch.checkpoint.last_uid == 3 and batch.is_last
