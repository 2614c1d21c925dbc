#!/usr/bin/env python3
"""Benchmark: is a mailbox's first import linear in its size? Two sizes, same run, same database.

Run: ``python3 dev/harness.py bench mailbox_scale`` (a fresh database with the addon installed;
``BENCH_ARGS='--sizes 2000 10000'`` on a small machine). Uses ``bench/mailbox.py``'s set-up and
mailboxes (``bench/imap_sync.py``'s generator: 20% of the mail with one of 50 lead contacts, in the
INBOX of a private Dovecot on 127.0.0.1). Each size is a new mailbox with other random contents,
synced to the end of its first import in a process of its own that first syncs a small warm-up
mailbox (loading code and caches), as the scheduled action would, the larger after the smaller (so
it also meets the leads, contacts and messages the smaller one filed, as a real database would).

Reported: the seconds of each first import, their ratio against the ratio of the sizes (target:
the time of 5x the mail within 5.5x the time), and per size the SQL queries per mail. With
``--profile DIR`` each pass also writes a cProfile file (``DIR/first-import-<size>.prof``): compare
the per-mail cost of each function between the two sizes to see what grows.

    python3 dev/harness.py bench mailbox_scale
    (options: --sizes 10000 50000 --warm-up 300 --profile DIR)
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from pathlib import Path

import odoo.init  # noqa: F401  (Odoo 19: sets up the odoo namespace before anything else)
from odoo import SUPERUSER_ID
from odoo import api
from odoo import sql_db
from odoo.modules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "dev"))
from common import database_cpu  # noqa: E402  (dev/common.py)
from common import load_module as _load  # noqa: E402  (dev/common.py: a module by its path)

mailbox_bench = _load("mlc_bench_mailbox", ROOT / "bench" / "mailbox.py")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 50_000])
    parser.add_argument("--warm-up", type=int, default=300, help="mails of the warm-up mailbox")
    parser.add_argument("--profile", help="a directory for one cProfile file per size")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # warm-up,target ids: child mode
    parser.add_argument("odoo_args", nargs="*", help="Odoo options such as --db_host=...")
    return parser.parse_args()


def say(text: str = "") -> None:
    print(text, flush=True)


def child(args) -> int:
    """Sync the warm-up mailbox, then time (and maybe profile) the target's first import."""
    warm_id, target_id, size = (int(value) for value in args.child.split(","))
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Mailbox = env["mail.capture.mailbox"]
        mailbox_bench.first_sync(env, Mailbox.browse(warm_id))
        queries = sql_db.sql_counter
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        db_cpu, cpu = database_cpu(cr), time.process_time()
        started = time.perf_counter()
        _elapsed, filed = mailbox_bench.first_sync(env, Mailbox.browse(target_id))
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        db_after = database_cpu(cr)
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(Path(args.profile) / f"first-import-{size}.prof"))
        queries = sql_db.sql_counter - queries
    result = {
        "seconds": seconds,
        "cpu": cpu,
        "db_cpu": None if db_cpu is None or db_after is None else db_after - db_cpu,
        "filed": filed,
        "queries": queries,
    }
    print(json.dumps(result))
    return 0


def run_size(args, env, server, owner, size: int, variant: int) -> dict:
    warm = mailbox_bench.new_mailbox(env, server, owner, args.warm_up, variant + 100)
    target = mailbox_bench.new_mailbox(env, server, owner, size, variant)
    return mailbox_bench.run_child(
        __file__,
        args,
        f"the first import of {size:,} mails",
        "--child",
        f"{warm.id},{target.id},{size}",
        *(["--profile", args.profile] if args.profile else []),
    )


def main() -> int:
    args = parse_args()
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    if args.child:
        mailbox_bench.configure(args)
        return child(args)
    small, large = args.sizes
    with mailbox_bench.started(args) as bench, bench.registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        owner = mailbox_bench.set_up(env, bench.sink.port)
        cr.commit()
        say(
            f"First import of a mailbox of {small:,} then of {large:,} generated mails "
            f"({mailbox_bench.imap_bench.CONTACT_SHARE:.0%} with one of "
            f"{len(mailbox_bench.imap_bench.CONTACTS)} lead contacts), each in its own process; "
            "Dovecot on 127.0.0.1; same run"
        )
        runs = [
            run_size(args, env, bench.server, owner, size, 31 + n)
            for n, size in enumerate((small, large))
        ]
    for size, run in zip((small, large), runs, strict=True):
        db_cpu = "?" if run["db_cpu"] is None else f"{run['db_cpu']:.1f}"
        say(
            f"   {size:,} mails: {run['seconds']:.1f} s, {run['filed']:,} filed, "
            f"{size / run['seconds']:,.0f} mails/s; CPU {run['cpu']:.1f} s in Odoo, {db_cpu} s "
            f"in PostgreSQL; {run['queries'] / size:.1f} SQL queries per mail"
        )
    target = 1.1 * large / small
    say(
        f"   ratio {large:,} / {small:,} ({large / small:.1f} times the mail; target <= "
        f"{target:.1f}): {runs[1]['seconds'] / runs[0]['seconds']:.2f} in time, "
        f"{runs[1]['cpu'] / runs[0]['cpu']:.2f} in Odoo's CPU time"
        + (
            f", {runs[1]['db_cpu'] / runs[0]['db_cpu']:.2f} in PostgreSQL's"
            if runs[0]["db_cpu"] and runs[1]["db_cpu"] is not None
            else ""
        )
    )
    say("   (on a shared machine the time includes waiting for the CPU; the CPU times do not)")
    if args.profile:
        say(f"   profiles: {args.profile}/first-import-<size>.prof")
    return 0


if __name__ == "__main__":
    sys.exit(main())
