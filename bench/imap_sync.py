#!/usr/bin/env python3
"""Benchmark of the IMAP sync engine against the test Dovecot, with baselines from the same run.

Seeds a mailbox of N mails (default 10,000; 20% of them involve one of a set of lead contacts, as
From, To or Cc) into a private Dovecot (``mail_lead_capture/tests/dovecot_server.py``), then:

1. **First pass**: the engine (``imap_sync.sync_folder``) reads every header and downloads the bodies
   of the mails with a contact. Baseline, on an identical copy of the mailbox: the IMAP pattern of
   stock Odoo's incoming mail server (``fetchmail.server``: SELECT INBOX, SEARCH UNSEEN, then per
   message FETCH RFC822, STORE -FLAGS \\Seen, STORE +FLAGS \\Seen), without Odoo's processing.
   Reported as mails per second and their ratio.
2. **Incremental pass with no new mail**: round trips per folder, and the time per mailbox (connect
   and login included) as a ratio to the baseline's own no-new-mail pass (SELECT and SEARCH UNSEEN).
3. **Peak memory** (tracemalloc) of the first pass for two mailbox sizes (10,000 and 50,000 mails by
   default), as a ratio: flat means close to 1.

The comparison with stock Odoo processing the same mailbox into crm.lead comes with the model.

    python3 bench/imap_sync.py [--mails 10000] [--memory-sizes 10000 50000] [--batch-size 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import imaplib
import importlib.util
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_test_setup():
    """Register the addon package without Odoo and load the Dovecot rig, as the tests do."""
    spec = importlib.util.spec_from_file_location("mlc_tests_conftest", ROOT / "tests/conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.dovecot_server


rig = _load_test_setup()
from mail_lead_capture.tools.imap import folders_to_sync  # noqa: E402
from mail_lead_capture.tools.imap import sync_folder  # noqa: E402
from mail_lead_capture.tools.imap.session import ImapSession  # noqa: E402

CONTACTS = [f"contact{n}@client{n % 17}.example" for n in range(50)]
OWNER = "owner@mycompany.example"
CONTACT_SHARE = 0.20


def generate_mails(count: int, seed: int = 7):
    """``count`` raw mails, 20% with a lead contact; sizes and dates vary, deterministically."""
    rng = random.Random(seed)
    start = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 4 + "\n"
    for n in range(count):
        other = f"person{rng.randrange(5000)}@elsewhere{rng.randrange(300)}.example"
        sender, to, cc = other, [OWNER], []
        if rng.random() < CONTACT_SHARE:
            contact = rng.choice(CONTACTS)
            role = rng.randrange(3)
            if role == 0:
                sender = contact
            elif role == 1:
                sender, to = OWNER, [contact]
            else:
                cc = [contact]
        yield rig.build_message(
            sender=sender,
            to=to,
            cc=cc,
            subject=f"Message {n} about order {rng.randrange(10**6)}",
            body=paragraph * rng.randrange(2, 40),
            date=start + dt.timedelta(minutes=37 * n),
        )


class CountingStore:
    """Plays the model: counts what it would store, keeps nothing (so memory is the engine's)."""

    def __init__(self):
        self.stored = 0
        self.bytes = 0
        self.checkpoints = {}

    def store(self, message, raw):
        self.stored += 1
        self.bytes += len(raw)
        self.checkpoints[message.folder] = message.checkpoint

    def save(self, folder):
        def save_checkpoint(checkpoint):
            self.checkpoints[folder] = checkpoint

        return save_checkpoint


CONTACT_SET = frozenset(CONTACTS)


def wants_body(message) -> bool:
    return not CONTACT_SET.isdisjoint(message.summary.participants)


def engine_pass(server, login, store, batch_size):
    """One sync pass over every folder of the mailbox; returns (mails examined, round trips)."""
    examined = 0
    with ImapSession(server.host, server.plain_port, "none", timeout=60) as session:
        session.login(login, server.password_of(login))
        for folder in folders_to_sync(session.list_folders()).names:
            result = sync_folder(
                session,
                folder,
                store.checkpoints.get(folder),
                wants_body=wants_body,
                store=store.store,
                save_checkpoint=store.save(folder),
                batch_size=batch_size,
            )
            examined += result.examined
        return examined, session.round_trips


def incremental_round_trips(server, login, store):
    """Round trips of the folder loop alone (after login and LIST) in a no-new-mail pass."""
    with ImapSession(server.host, server.plain_port, "none", timeout=60) as session:
        session.login(login, server.password_of(login))
        folders = folders_to_sync(session.list_folders()).names
        before = session.round_trips
        for folder in folders:
            sync_folder(
                session,
                folder,
                store.checkpoints.get(folder),
                wants_body=wants_body,
                store=store.store,
                save_checkpoint=store.save(folder),
            )
        return session.round_trips - before, len(folders)


def stock_fetchmail_pass(server, login) -> int:
    """Stock Odoo's IMAP pattern (fetchmail.py), minus Odoo's processing. Returns mails read."""
    client = imaplib.IMAP4(server.host, server.plain_port, timeout=60)
    try:
        client.login(login, server.password_of(login))
        client.select()
        _typ, data = client.search(None, "(UNSEEN)")
        numbers = data[0].split()
        for num in numbers:
            client.fetch(num, "(RFC822)")
            client.store(num, "-FLAGS", "\\Seen")
            client.store(num, "+FLAGS", "\\Seen")  # handled_message, after processing
        return len(numbers)
    finally:
        client.logout()


def timed(function, *args):
    started = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - started


def best_of(runs, function, *args):
    return min(timed(function, *args)[1] for _ in range(runs))


def seed(server, count):
    login = server.add_user()[0]
    server.seed_maildir(login, "INBOX", generate_mails(count))
    return login


def first_pass_peak(server, count, batch_size) -> tuple[int, int]:
    login = seed(server, count)
    store = CountingStore()
    tracemalloc.start()
    engine_pass(server, login, store, batch_size)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, store.stored


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--memory-sizes", type=int, nargs=2, default=[10_000, 50_000])
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5, help="no-new-mail passes (best is kept)")
    args = parser.parse_args(argv)
    if not rig.dovecot_available():
        print("Dovecot is not installed: apt-get install dovecot-imapd")
        return 1

    def say(text=""):
        print(text, flush=True)

    with rig.DovecotServer() as server:
        say(
            f"Seeding two identical mailboxes of {args.mails:,} mails, {CONTACT_SHARE:.0%} of "
            f"them with one of {len(CONTACTS)} lead contacts (Dovecot on 127.0.0.1)"
        )
        ours, stock = seed(server, args.mails), seed(server, args.mails)

        say("\n1. First pass")
        store = CountingStore()
        (examined, round_trips), engine_time = timed(
            engine_pass, server, ours, store, args.batch_size
        )
        stock_read, stock_time = timed(stock_fetchmail_pass, server, stock)
        engine_rate, stock_rate = examined / engine_time, stock_read / stock_time
        say(
            f"   engine: {examined:,} headers, {store.stored:,} bodies "
            f"({store.stored / examined:.0%}), {round_trips:,} round trips, "
            f"{engine_rate:,.0f} mails/s"
        )
        say(
            f"   stock fetchmail's IMAP pattern: {stock_read:,} full mails, "
            f"{3 * stock_read + 2:,} round trips, {stock_rate:,.0f} mails/s"
        )
        say(f"   ratio engine / stock: {engine_rate / stock_rate:.1f}x the mails per second")

        say("\n2. Incremental pass with no new mail")
        per_folder, folders = incremental_round_trips(server, ours, store)
        engine_idle = best_of(args.runs, engine_pass, server, ours, store, args.batch_size)
        stock_idle = best_of(args.runs, stock_fetchmail_pass, server, stock)
        say(
            f"   engine: {per_folder} round trips for {folders} folders "
            f"({per_folder / folders:.1f} per folder), {engine_idle * 1000:.1f} ms per mailbox "
            "(connect, login, LIST included)"
        )
        say(
            f"   stock fetchmail's IMAP pattern (INBOX only): {stock_idle * 1000:.1f} ms; "
            f"ratio engine / stock: {engine_idle / stock_idle:.2f}"
        )

        small, large = args.memory_sizes
        say(f"\n3. Peak memory of the first pass (tracemalloc), {small:,} vs {large:,} mails")
        peak_small, stored_small = first_pass_peak(server, small, args.batch_size)
        peak_large, stored_large = first_pass_peak(server, large, args.batch_size)
        say(f"   {small:,} mails: peak {peak_small / 2**20:.1f} MiB ({stored_small:,} bodies)")
        say(f"   {large:,} mails: peak {peak_large / 2**20:.1f} MiB ({stored_large:,} bodies)")
        say(f"   ratio: {peak_large / peak_small:.2f} (flat in mailbox size: target <= 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
