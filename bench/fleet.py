#!/usr/bin/env python3
"""Benchmark: one sync cycle over a fleet of mailboxes behind a distant server, same run.

Run: ``python3 dev/harness.py bench fleet`` (a fresh database with the addon installed), options
in ``BENCH_ARGS`` (``--mailboxes 500 --delay 0.05 --workers 4 --parallel 50``).

A private Dovecot on 127.0.0.1, behind a latency proxy (``mail_lead_capture/tests/latency_proxy.py``:
every packet delayed ``--delay`` seconds each way, 50 ms by default: a provider's 100 ms round
trip). N mailboxes (500 by default), one Dovecot account each, synced folders INBOX, Sent and
Archive (Drafts, Junk and Trash are not synced). They are connected and imported once without
the proxy; then each cycle makes every mailbox due and puts 3 new mails (one with a lead contact)
in the INBOX of a fresh 10 % of them, and the cycle is timed:

1. **sequential**: today's loop, one mailbox after another (``mail_lead_capture.sync_parallel`` = 1),
   in one worker process;
2. **one worker**: the fleet scheduler (surveys in threads, ``--parallel`` at once), one process;
3. **N workers**: the same in ``--workers`` separate processes started together.

Each worker is an Odoo process of its own, its registry loaded before the clock starts (as a
running Odoo server's cron worker), calling ``_sync_due`` as the scheduled action
does. Checked after each cycle: every mailbox synced, every new lead mail filed, nothing twice.
Targets: 2. at least 10x shorter than 1.; 3. at least 3x shorter than 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import odoo
import odoo.init
from odoo import SUPERUSER_ID
from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import mute_logger

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "dev"))
from common import load_module as _load  # noqa: E402  (dev/common.py: a module by its path)

QUIET = (
    "odoo.addons.mail.models.mail_thread",
    "odoo.addons.mail_lead_capture.models.mail_capture_mailbox",
    "odoo.addons.mail_lead_capture.models.mailbox_fleet",
)


mailbox_bench = _load("mlc_bench_mailbox", ROOT / "bench" / "mailbox.py")
imap_bench = mailbox_bench.imap_bench
rig = mailbox_bench.rig
latency = _load("mlc_latency_proxy", ROOT / "mail_lead_capture/tests/latency_proxy.py")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--mailboxes", type=int, default=500)
    parser.add_argument("--delay", type=float, default=latency.DEFAULT_DELAY)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--parallel", type=int, default=50)
    parser.add_argument("--share", type=float, default=0.10, help="mailboxes with new mail")
    parser.add_argument("--skip-sequential", action="store_true")
    parser.add_argument("--profile", help="write each worker's cProfile statistics to this prefix")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("odoo_args", nargs="*", help="Odoo options such as --db_host=...")
    return parser.parse_args()


def say(text: str = "") -> None:
    print(text, flush=True)


# ----------------------------------------------------------------------------------------------
# Worker processes
# ----------------------------------------------------------------------------------------------


def worker(args) -> int:
    """Child: load the registry, say "ready", wait for "go", run one cycle, print its times."""
    registry = Registry(args.database)
    with registry.cursor() as cr:  # warm: the first cursor and environment
        api.Environment(cr, SUPERUSER_ID, {})["mail.capture.mailbox"].search_count([])
    print("ready", flush=True)
    sys.stdin.readline()
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    started = time.time()
    with registry.cursor() as cr, mute_logger(*QUIET):
        api.Environment(cr, SUPERUSER_ID, {})["mail.capture.mailbox"]._sync_due()
    if profile:
        profile.disable()
        profile.dump_stats(f"{args.profile}.{os.getpid()}")
    print(json.dumps({"started": started, "ended": time.time()}), flush=True)
    return 0


def run_workers(args, count: int) -> float:
    """Start ``count`` worker processes, wait until all are ready, release them together; the
    wall time from the release to the last one's end."""
    command = [sys.executable, __file__, "--database", args.database, "--worker"]
    if args.profile:
        command += ["--profile", f"{args.profile}.{count}w"]
    command += ["--", *args.odoo_args]
    procs = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _n in range(count)
    ]
    for proc in procs:
        line = proc.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"a worker did not start: {line!r}")
    released = time.time()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    ends = []
    for proc in procs:
        out, _err = proc.communicate(timeout=3600)
        if proc.returncode:
            raise RuntimeError(f"a worker failed ({proc.returncode})")
        ends.append(json.loads(out.strip().splitlines()[-1])["ended"])
    return max(ends) - released


# ----------------------------------------------------------------------------------------------
# The fleet
# ----------------------------------------------------------------------------------------------


def make_fleet(env, server, owner, count: int) -> list[tuple[int, str]]:
    """``count`` mailboxes on the Dovecot's own port, connected and imported; (id, login) each."""
    Mailbox = env["mail.capture.mailbox"]
    fleet = []
    for n in range(count):
        login = server.add_user()[0]
        server.append(
            login,
            "INBOX",
            rig.build_message(sender=f"someone{n}@elsewhere.example", to=[imap_bench.OWNER]),
        )
        mailbox = Mailbox.create(
            {
                "user_id": owner.id,
                "email": f"{login}@mycompany.example",
                "host": server.host,
                "port": server.plain_port,
                "security": "none",
                "login": login,
                "password": server.password_of(login),
                "state": "connected",
            }
        )
        fleet.append((mailbox.id, login))
    env.cr.commit()
    return fleet


def set_parallel(env, parallel: int) -> None:
    env["ir.config_parameter"].set_param("mail_lead_capture.sync_parallel", str(parallel))
    env.cr.commit()


def make_due(env) -> None:
    env.cr.execute("UPDATE mail_capture_mailbox SET next_sync = NULL, retry_date = NULL")
    env.cr.commit()


def add_new_mail(server, fleet, cycle: int, share: float) -> int:
    """3 new mails (one with a lead contact) in ``share`` of the mailboxes, picked at random (the
    same for a given cycle) as mail arrives; how many mailboxes."""
    size = max(int(len(fleet) * share), 1)
    chosen = random.Random(cycle).sample(fleet, size)
    for n, (_id, login) in enumerate(chosen):
        contact = imap_bench.CONTACTS[n % len(imap_bench.CONTACTS)]
        server.append(
            login,
            "INBOX",
            [
                rig.build_message(sender=contact, to=[imap_bench.OWNER], subject=f"c{cycle} n{n}"),
                rig.build_message(sender=f"x{n}@elsewhere.example", to=[imap_bench.OWNER]),
                rig.build_message(sender=f"y{n}@elsewhere.example", to=[imap_bench.OWNER]),
            ],
        )
    return len(chosen)


def check_cycle(env, since, expected_filed: int, filed_before: int, count: int) -> int:
    env.invalidate_all()
    env.cr.rollback()
    Mailbox = env["mail.capture.mailbox"]
    late = Mailbox.search_count([("last_sync", "<", since)]) + Mailbox.search_count(
        [("last_sync", "=", False)]
    )
    errors = Mailbox.search([("state", "!=", "connected")])
    filed = env["mail.message"].search_count([("model", "=", "crm.lead")])
    if late or errors:
        raise RuntimeError(
            f"{late} of {count} mailboxes not synced; in error: "
            f"{[(m.id, m.last_error) for m in errors[:3]]}"
        )
    if filed - filed_before != expected_filed:
        raise RuntimeError(f"filed {filed - filed_before} mails, expected {expected_filed}")
    return filed


def main() -> int:
    args = parse_args()
    odoo.tools.config.parse_config(["-d", args.database, *args.odoo_args])
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    if args.worker:
        return worker(args)
    if not rig.dovecot_available():
        say("Dovecot is not installed: apt-get install dovecot-imapd")
        return 1
    registry = Registry(args.database)
    sink = _load("mlc_smtp_sink", ROOT / "mail_lead_capture/tests/smtp_sink.py").SmtpSink().start()
    with rig.DovecotServer() as server, registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        owner = mailbox_bench.set_up(env, sink.port)
        env["ir.config_parameter"].set_param("mail_lead_capture.imap_extra_ports", "1024-65535")
        cr.commit()
        say(
            f"{args.mailboxes} mailboxes (INBOX, Sent, Archive synced), new mail in "
            f"{args.share:.0%} of them each cycle; Dovecot behind a proxy adding "
            f"{args.delay * 1000:.0f} ms to every packet each way; same run"
        )
        started = time.perf_counter()
        fleet = make_fleet(env, server, owner, args.mailboxes)
        set_parallel(env, args.parallel)
        with mute_logger(*QUIET):
            env["mail.capture.mailbox"]._sync_due()  # first import, no proxy
        cr.commit()
        say(f"   set-up and first import without the proxy: {time.perf_counter() - started:.0f} s")
        with latency.LatencyProxy(server.plain_port, delay=args.delay) as proxy:
            cr.execute("UPDATE mail_capture_mailbox SET port = %s", [proxy.port])
            cr.commit()
            filed = env["mail.message"].search_count([("model", "=", "crm.lead")])
            runs = [("sequential (today's loop), 1 worker", 1, 1)]
            if args.skip_sequential:
                runs = []
            runs += [
                (f"fleet, 1 worker, {args.parallel} at once", args.parallel, 1),
                (
                    f"fleet, {args.workers} workers, {args.parallel} at once each",
                    args.parallel,
                    args.workers,
                ),
            ]
            times = []
            for cycle, (label, parallel, workers) in enumerate(runs):
                set_parallel(env, parallel)
                new = add_new_mail(server, fleet, cycle, args.share)
                make_due(env)
                since = odoo.fields.Datetime.now()
                time.sleep(1)  # last_sync has second precision
                connections = proxy.connections
                wall = run_workers(args, workers)
                filed = check_cycle(env, since, new, filed, len(fleet))
                times.append(wall)
                say(
                    f"   {label}: {wall:.1f} s ({wall / len(fleet) * 1000:.0f} ms per mailbox; "
                    f"{proxy.connections - connections} connections; {new} mailboxes with new mail, "
                    f"{new} mails filed)"
                )
        if not args.skip_sequential:
            say(
                f"   ratio sequential / fleet with 1 worker: {times[0] / times[1]:.1f}x (target >= 10x)"
            )
        say(
            f"   ratio 1 worker / {args.workers} workers: {times[-2] / times[-1]:.1f}x (target >= 3x)"
        )
    sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
