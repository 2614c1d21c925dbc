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


# ---------------------------------------------------------------- shared back-offs


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


class SharedBackoffStore:
    """The database's back-off rows, on the database's own clock."""

    def __init__(self, clock):
        self.clock = clock
        self.rows = {}  # name -> (until on the database's clock, last delay)
        self.reads = 0


class ProcessBackoffs:
    """One process's connection to the shared back-offs (a ``fleet.SharedBackoffs``)."""

    def __init__(self, store, broken=False):
        self.store = store
        self.broken = broken

    def read_backoffs(self):
        if self.broken:
            return None
        self.store.reads += 1
        now = self.store.clock()
        return {
            name: (max(until - now, 0.0), delay) for name, (until, delay) in self.store.rows.items()
        }

    def hold_off(self, name, delay):
        if self.broken:
            return None
        now = self.store.clock()
        until, last = self.store.rows.get(name, (0.0, 0.0))
        until, last = max(until, now + delay), max(last, delay)
        self.store.rows[name] = (until, last)
        return (until - now, last)

    def clear_backoffs(self, names):
        now = self.store.clock()
        for name in names:
            if self.store.rows.get(name, (now + 1, 0))[0] <= now:
                del self.store.rows[name]


def two_processes(store, offset=0.0):
    """Gates of two processes, the second one's clock ``offset`` seconds off the first's; the
    database's clock runs with the first one's (and the test moves them all together)."""
    one_clock = store.clock
    two_clock = Clock(one_clock.now + offset)
    one = Gates(clock=one_clock, backoffs=ProcessBackoffs(store), refresh=1.0)
    two = Gates(clock=two_clock, backoffs=ProcessBackoffs(store), refresh=1.0)

    def tick(seconds):
        one_clock.now += seconds
        two_clock.now += seconds

    return one, two, tick


SERVER = imap_fleet.backoff_name(target(), "host")


def test_a_back_off_one_process_sets_holds_for_the_other():
    store = SharedBackoffStore(Clock())
    one, two, tick = two_processes(store, offset=3600.0)  # another machine, an hour ahead
    assert two.acquire(target("b"), wait=0)  # it read the back-offs: none
    two.release(target("b"))
    assert one.back_off(target("a"), "host") == imap_fleet.BACKOFF_FIRST
    assert SERVER in store.rows, "written for everyone"
    tick(1.0)  # what the other process read is now old enough to be read again
    assert not two.acquire(target("b"), wait=0), "another account on the same server"
    assert two.backing_off(target("b")) == imap_fleet.BACKOFF_FIRST - 1.0, "by the same clock"
    other_port = Target(1, "mail.example.com", 143, "starttls", Credentials("b", "x"))
    assert two.acquire(other_port, wait=0), "another server of the host is not backed off"
    two.release(other_port)
    tick(imap_fleet.BACKOFF_FIRST)
    assert two.acquire(target("b"), wait=0), "once it ended, for every process"


def test_the_shared_back_offs_are_read_at_most_once_per_refresh_not_per_connection():
    store = SharedBackoffStore(Clock())
    one, _two, tick = two_processes(store)
    for login in "abcdefgh":
        assert one.acquire(target(login), wait=0)
        one.succeeded(target(login))
        one.release(target(login))
    assert store.reads == 1
    tick(1.0)
    assert one.backing_off(target("a")) == 0 and store.reads == 2


def test_a_success_in_any_process_clears_the_shared_back_off():
    store = SharedBackoffStore(Clock())
    one, two, tick = two_processes(store)
    one.back_off(target("a"), "host")
    tick(imap_fleet.BACKOFF_FIRST + 1)  # ended; its delay is remembered (the next one doubles)
    assert two.acquire(target("b"), wait=0)
    two.succeeded(target("b"))  # the server works again
    two.release(target("b"))
    assert not store.rows, "forgotten by everyone"
    tick(1.0)
    assert one.backing_off(target("a")) == 0
    # the next failure starts again from the first delay, in the process that set the first one
    assert one.back_off(target("a"), "host") == imap_fleet.BACKOFF_FIRST


def test_a_success_of_a_connection_that_began_before_a_back_off_leaves_it():
    store = SharedBackoffStore(Clock())
    one, two, tick = two_processes(store)
    assert two.acquire(target("b"), wait=0)  # connecting...
    one.back_off(target("a"), "host")  # ...when the server starts refusing the others
    tick(1.0)
    assert two.backing_off(target("b")) == imap_fleet.BACKOFF_FIRST - 1.0  # it knows of it
    two.succeeded(target("b"))
    two.release(target("b"))
    assert SERVER in store.rows, "the back-off in force stays"
    assert two.backing_off(target("b")) == imap_fleet.BACKOFF_FIRST - 1.0
    one.succeeded(target("a"))
    assert one.backing_off(target("a")) == imap_fleet.BACKOFF_FIRST - 1.0, "here too"


def test_failures_while_a_back_off_holds_do_not_double_it_and_later_ones_do():
    store = SharedBackoffStore(Clock())
    one, two, tick = two_processes(store)
    first = imap_fleet.BACKOFF_FIRST
    assert one.back_off(target("a"), "host") == first
    # connections that began before it fail too, here and in the other process
    assert one.back_off(target("b"), "host") == first
    tick(1.0)
    assert two.back_off(target("c"), "host") == first - 1.0
    assert store.rows[SERVER] == (1000.0 + first, first), "unchanged"
    tick(first)  # ended: the next failure, in either process, doubles it
    assert two.back_off(target("c"), "host") == 2 * first
    tick(1.0)
    assert one.backing_off(target("a")) == 2 * first - 1.0


def test_a_throttled_account_backs_off_in_every_process_but_not_the_others_accounts():
    store = SharedBackoffStore(Clock())
    one, two, tick = two_processes(store)
    one.back_off(target("alice"), "account")
    tick(1.0)
    assert not two.acquire(target("alice"), wait=0)
    assert two.acquire(target("bob"), wait=0)


def test_without_the_shared_store_each_process_keeps_its_own():
    store = SharedBackoffStore(Clock())
    one = Gates(clock=store.clock, backoffs=ProcessBackoffs(store, broken=True))
    two = Gates(clock=store.clock, backoffs=ProcessBackoffs(store, broken=True))
    assert one.back_off(target("a"), "host") == imap_fleet.BACKOFF_FIRST
    assert not one.acquire(target("b"), wait=0), "its own back-off still holds"
    assert two.acquire(target("b"), wait=0), "the other process cannot know"
