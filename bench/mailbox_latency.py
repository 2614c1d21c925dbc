#!/usr/bin/env python3
"""Benchmark: from a mail's APPEND into a watched INBOX to its message on the lead, in seconds.

Run: ``python3 dev/harness.py bench mailbox_latency`` (a fresh database with the addon installed).
Uses ``bench/mailbox.py``'s set-up (an owner, 50 leads with one contact each) and a mailbox of the
private Dovecot on 127.0.0.1 whose first import is done. Then the INBOX watcher runs as a
deployment runs it, a process of its own with its default settings::

    python3 -m odoo --addons-path=... lead_capture_watch -d <database> ...

and the benchmark APPENDs mails from lead contacts into the mailbox's INBOX one at a time (a
random pause of 0 to 3 seconds between them), each timed from the end of its APPEND to the moment
its message is on its lead in the database (looked up every 50 ms in a transaction of its own).
Reported: the median, the 95th percentile and the longest wait (target: median and 95th
percentile under 60 s), and the wait the scheduled action alone would give, from its settings.

    python3 dev/harness.py bench mailbox_latency
    (options: --mails 50 --timeout 120)
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import odoo.init  # noqa: F401  (Odoo 19: sets up the odoo namespace before anything else)
from odoo import SUPERUSER_ID
from odoo import api

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "dev"))
from common import load_module as _load  # noqa: E402  (dev/common.py: a module by its path)

mailbox_bench = _load("mlc_bench_mailbox", ROOT / "bench" / "mailbox.py")
rig = mailbox_bench.rig
CONTACTS = mailbox_bench.imap_bench.CONTACTS
OWNER = mailbox_bench.imap_bench.OWNER


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--mails", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=120, help="give up on a mail after")
    parser.add_argument("odoo_args", nargs="*", help="Odoo options such as --db_host=...")
    return parser.parse_args()


def say(text: str = "") -> None:
    print(text, flush=True)


def start_watcher(args) -> subprocess.Popen:
    """``odoo-bin lead_capture_watch`` on the benchmark's database, default settings."""
    addons = [a for a in args.odoo_args if a.startswith("--addons-path=")]
    others = [a for a in args.odoo_args if not a.startswith("--addons-path=")]
    command = [
        sys.executable,
        "-m",
        "odoo",
        *addons[:1],
        "lead_capture_watch",
        "-d",
        args.database,
        *others,
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def filed(registry, message_id: str) -> bool:
    with registry.cursor() as cr:
        cr.execute(
            "SELECT 1 FROM mail_message WHERE message_id = %s AND model = 'crm.lead' LIMIT 1",
            [message_id],
        )
        return bool(cr.fetchall())


def wait_filed(registry, watcher, message_id: str, timeout: float) -> float | None:
    """Seconds until the mail is on a lead (None after ``timeout``)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if filed(registry, message_id):
            return time.perf_counter() - started
        if watcher.poll() is not None:
            raise RuntimeError(f"the watcher stopped: {watcher.stderr.read()[-3000:]}")
        time.sleep(0.05)
    return None


def append_one(server, login: str, n: int, rng: random.Random) -> str:
    message_id = f"<latency-{n}-{rng.randrange(10**9)}@bench.example>"
    raw = rig.build_message(
        sender=rng.choice(CONTACTS),
        to=[OWNER],
        subject=f"Latency probe {n}",
        body="Can we talk about the order tomorrow?\n",
        message_id=message_id,
    )
    server.append(login, "INBOX", raw)
    return message_id


def poll_minutes() -> int:
    """The minutes between two passes of the scheduled action over one mailbox."""
    from odoo.addons.mail_lead_capture.models import mail_capture_mailbox

    return mail_capture_mailbox.POLL_MINUTES


def main() -> int:
    args = parse_args()
    rng = random.Random(16)
    with mailbox_bench.started(args) as bench:
        registry, server = bench.registry, bench.server
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            owner = mailbox_bench.set_up(env, bench.sink.port)
            cr.commit()
            mailbox = mailbox_bench.new_mailbox(env, server, owner, 200)
            mailbox_bench.first_sync(env, mailbox)
            login, minutes = mailbox.login, poll_minutes()
            cr.commit()
        say(
            f"{args.mails} mails APPENDed one at a time into a watched INBOX (Dovecot on "
            "127.0.0.1), each timed until its message is on its lead; watcher: "
            "odoo-bin lead_capture_watch, default settings"
        )
        watcher = start_watcher(args)
        try:
            # the watcher's start (registry, connection): a first mail shows it is watching
            if wait_filed(registry, watcher, append_one(server, login, 0, rng), 300) is None:
                raise RuntimeError("the watcher filed nothing in 300 s")
            waits, missed = [], 0
            for n in range(1, args.mails + 1):
                time.sleep(rng.uniform(0, 3))
                wait = wait_filed(
                    registry, watcher, append_one(server, login, n, rng), args.timeout
                )
                if wait is None:
                    missed += 1
                else:
                    waits.append(wait)
        finally:
            watcher.terminate()
            watcher.wait(30)
    if not waits:
        say("   no mail was filed in time")
        return 1
    median = statistics.median(waits)
    p95 = statistics.quantiles(waits, n=20, method="inclusive")[18] if len(waits) > 1 else waits[0]
    say(
        f"   APPEND to message on the lead: median {median:.2f} s, 95th percentile {p95:.2f} s, "
        f"longest {max(waits):.2f} s over {len(waits)} mails"
        + (f"; {missed} not filed within {args.timeout:.0f} s" if missed else "")
        + " (target: median and 95th percentile < 60 s)"
    )
    say(
        f"   the scheduled action alone (a pass every {minutes} minutes per mailbox): a mail "
        f"waits up to {minutes * 60} s, {minutes * 30} s on average (not measured); "
        f"{minutes * 30 / median:.0f} times the watcher's median"
    )
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
