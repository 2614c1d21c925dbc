"""The fleet's gates with slots shared between processes (``tools/imap/fleet.Gates`` with a
``Slots``): the caps per host and per account hold for all processes together.

The slots here are an in-memory stand-in for the model layer's PostgreSQL advisory locks (whose
cross-process guarantee mail_lead_capture/tests/test_mailbox_slots.py checks against a real
database): one :class:`SharedSlots` store plays the database, one :class:`ProcessSlots` a
process's connection to it, and one :class:`Gates` per process its own counts.
"""

import threading

import dovecot_server as rig

from mail_lead_capture.tools.imap import fleet as imap_fleet
from mail_lead_capture.tools.imap.fleet import Gates
from mail_lead_capture.tools.imap.fleet import Target
from mail_lead_capture.tools.imap.session import Credentials

TIMEOUT = 10.0


class SharedSlots:
    """The database: which holder holds slot ``n`` of each name."""

    def __init__(self):
        self.lock = threading.Lock()
        self.held = {}  # (name, n) -> holder

    def count(self, name):
        with self.lock:
            return sum(1 for (held_name, _n) in self.held if held_name == name)


class ProcessSlots:
    """One process's connection to the shared slots (a ``fleet.Slots``)."""

    def __init__(self, shared):
        self.shared = shared

    def take(self, name, limit):
        with self.shared.lock:
            for n in range(limit):
                if (name, n) not in self.shared.held:
                    self.shared.held[(name, n)] = self
                    return (name, n)
        return None

    def give(self, token):
        with self.shared.lock:
            if self.shared.held.get(token) is self:
                del self.shared.held[token]

    def close(self):
        """The connection is gone: so are its slots."""
        with self.shared.lock:
            for token in [t for t, holder in self.shared.held.items() if holder is self]:
                del self.shared.held[token]


class NoSlots:
    """Slots that cannot be reached (a broken database connection): none is given."""

    def take(self, name, limit):
        return None

    def give(self, token):
        raise AssertionError("nothing was taken")


def target(login="alice", host="mail.example.com", key=1, account_limit=10):
    return Target(key, host, 993, "ssl", Credentials(login, "secret"), account_limit=account_limit)


HOST = imap_fleet.host_slot("mail.example.com")


def test_two_processes_together_stay_within_the_host_cap():
    shared = SharedSlots()
    one = Gates(host_limit=3, slots=ProcessSlots(shared), poll=0.01)
    two = Gates(host_limit=3, slots=ProcessSlots(shared), poll=0.01)
    assert one.acquire(target("a"), wait=0)
    assert one.acquire(target("b"), wait=0)
    assert two.acquire(target("c"), wait=0)
    assert shared.count(HOST) == 3
    assert not two.acquire(target("d"), wait=0), "a fourth connection to the host"
    assert not one.acquire(target("d"), wait=0.05), "nor from the other process"
    assert shared.count(HOST) == 3
    assert (one.open_count("mail.example.com"), two.open_count("mail.example.com")) == (2, 1)
    one.release(target("a"))
    assert shared.count(HOST) == 2, "the slot is given back to every process"
    assert two.acquire(target("d"), wait=0)
    assert shared.count(HOST) == 3
    # another host has its own slots
    assert two.acquire(target("a", host="imap.other.example"), wait=0)


def test_the_account_cap_holds_across_processes_and_gives_back_the_host_slot():
    shared = SharedSlots()
    one = Gates(host_limit=5, slots=ProcessSlots(shared), poll=0.01)
    two = Gates(host_limit=5, slots=ProcessSlots(shared), poll=0.01)
    assert one.acquire(target("alice", account_limit=1), wait=0)
    assert not two.acquire(target("alice", account_limit=1), wait=0), "the same account"
    assert shared.count(HOST) == 1, "the host slot taken for the refused account is given back"
    assert two.open_count("mail.example.com") == 0
    assert two.acquire(target("bob", account_limit=1), wait=0), "another account of the host"
    account = imap_fleet.account_slot(("mail.example.com", "alice"))
    assert shared.count(account) == 1


def test_a_process_gone_leaves_no_slot_held():
    shared = SharedSlots()
    dying = ProcessSlots(shared)
    one = Gates(host_limit=2, slots=dying)
    two = Gates(host_limit=2, slots=ProcessSlots(shared), poll=0.01)
    assert one.acquire(target("a"), wait=0) and one.acquire(target("b"), wait=0)
    assert not two.acquire(target("c"), wait=0)
    dying.close()  # its database connection ended (a killed worker)
    assert two.acquire(target("c"), wait=0) and two.acquire(target("d"), wait=0)


def test_a_waiting_connection_gets_the_slot_another_process_gives_back():
    shared = SharedSlots()
    one = Gates(host_limit=1, slots=ProcessSlots(shared))
    two = Gates(host_limit=1, slots=ProcessSlots(shared), poll=0.01)
    assert one.acquire(target("a"), wait=0)
    got = []
    waiter = threading.Thread(target=lambda: got.append(two.acquire(target("b"), wait=30)))
    waiter.start()
    one.release(target("a"))
    waiter.join(30)
    assert got == [True], "it asked the shared slots again while it waited"
    assert shared.count(HOST) == 1


def test_unreachable_slots_give_no_connection():
    gates = Gates(host_limit=5, slots=NoSlots(), poll=0.01)
    assert not gates.acquire(target(), wait=0.05)
    assert gates.open_count("mail.example.com") == 0, "nothing counted either"


def test_gates_with_other_slots_share_the_process_counts_and_back_offs():
    shared = SharedSlots()
    base = Gates(host_limit=2)
    first, second = ProcessSlots(shared), ProcessSlots(shared)
    run_one, run_two = base.with_slots(first), base.with_slots(second)
    assert run_one.acquire(target("a"), wait=0)
    assert run_two.acquire(target("a"), wait=0)
    assert base.open_count("mail.example.com") == 2, "one count for the process"
    assert not base.acquire(target("b"), wait=0), "the process is full"
    # each run gives back its own slots (its database connection's), not the other run's
    run_two.release(target("a"))
    assert list(shared.held.values()) == [first, first]  # its host and account slots
    run_one.release(target("a"))
    assert shared.count(HOST) == 0 and base.open_count("mail.example.com") == 0
    run_one.back_off(target("a"), "host")
    assert run_two.backing_off(target("b")) > 0, "one back-off for the whole process"
    assert not run_two.acquire(target("b"), wait=0)
    # a lower cap for one run (the setting changed)
    small = base.with_slots(ProcessSlots(shared), host_limit=1)
    assert small.host_limit == 1 and base.host_limit == 2


def test_a_surveyed_session_holds_its_shared_slots_until_closed(dovecot):
    shared = SharedSlots()
    gates = Gates(host_limit=1, slots=ProcessSlots(shared), poll=0.01)
    other = Gates(host_limit=1, slots=ProcessSlots(shared), poll=0.01)
    login = dovecot.add_user()[0]
    mailbox = Target(
        1,
        rig.HOST,
        dovecot.plain_port,
        "none",
        Credentials(login, dovecot.password_of(login)),
        timeout=TIMEOUT,
    )
    result = imap_fleet.survey(mailbox, gates)
    assert result.session is not None, result.error
    host = imap_fleet.host_slot(rig.HOST)
    assert shared.count(host) == 1
    assert imap_fleet.survey(mailbox, other, slot_wait=0.05).deferred, "the other process waits"
    result.close()
    assert shared.count(host) == 0
    again = imap_fleet.survey(mailbox, other, slot_wait=0.05)
    assert again.session is not None, again.error
    again.close()
    assert shared.count(host) == 0
