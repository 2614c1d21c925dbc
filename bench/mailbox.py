#!/usr/bin/env python3
"""Benchmark: mailbox sync in Odoo against stock Odoo's incoming mail server, same run, same Dovecot.

Run: ``python3 dev/harness.py bench mailbox`` (a fresh database with the addon installed). The
mailbox is made by ``bench/imap_sync.py``'s generator: N mails (default 10,000), 20% of them with one
of 50 lead contacts (as sender, recipient or Cc), in the INBOX of a private Dovecot on 127.0.0.1.
Everything is committed in the throwaway database, which the harness drops afterwards.

1. **First sync**, mails per second, against stock Odoo processing an identical mailbox into
   crm.lead: a real ``fetchmail.server`` (IMAP, object crm.lead), ``_fetch_mail`` called in a loop
   until no unread mail is left, as its scheduled action does. Ours: the mailbox's sync pass
   (``_sync_locked``), headers first, bodies and filing only for mail with a lead
   contact. Target: at least 10x.
2. **Incremental pass with no new mail**: IMAP round trips per folder (target 1) and the time of a
   whole pass per mailbox (cursor, connect, login, LIST, a STATUS per folder, bookkeeping; target
   under 50 ms), with stock's own no-new-mail ``_fetch_mail`` as the baseline of the same run.
3. **Peak memory** of the first sync for two mailbox sizes, 10,000 and 50,000 mails by default
   (with other random contents, so that nothing is a duplicate of the first part's mail): each
   runs in a fresh process that first syncs a small mailbox (loading code and caches), then the
   growth of its peak resident memory (VmHWM, reset before the pass) during the pass is measured.
   The process's peak resident memory is compared (target within 1.2x), and so is the growth
   alone, which is stricter. tracemalloc would slow Odoo's filing sevenfold.

The runs are ordered so that none changes another's work: ours first (the stock run then creates
a lead per mail, which our matching would see), stock last.

    python3 dev/harness.py bench mailbox
    (options: --mails 10000 --memory-sizes 10000 50000 --idle-runs 20 --skip-stock)
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import odoo
import odoo.init  # Odoo 19: sets up the odoo namespace before anything else
from odoo import SUPERUSER_ID
from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import mute_logger

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "dev"))
from common import load_module as _load  # noqa: E402  (dev/common.py: a module by its path)

QUIET = (
    "odoo.addons.mail.models.fetchmail",
    "odoo.addons.mail.models.mail_thread",
    "odoo.addons.mail_lead_capture.models.mail_capture_mailbox",
)


# The mail generator and the Dovecot rig of the protocol benchmark: the same mailbox, not a copy.
imap_bench = _load("mlc_bench_imap_sync", ROOT / "bench" / "imap_sync.py")
rig = imap_bench.rig


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--memory-sizes", type=int, nargs=2, default=[10_000, 50_000])
    parser.add_argument("--idle-runs", type=int, default=20, help="no-new-mail passes timed")
    parser.add_argument("--skip-stock", action="store_true", help="skip the (slow) stock run")
    parser.add_argument("--memory-run", help=argparse.SUPPRESS)  # warm-up,target ids: child mode
    parser.add_argument("odoo_args", nargs="*", help="Odoo options such as --db_host=...")
    return parser.parse_args()


def say(text: str = "") -> None:
    print(text, flush=True)


# ----------------------------------------------------------------------------------------------
# Set-up: a company, the mailbox's owner, 50 leads (one per contact), a mail sink
# ----------------------------------------------------------------------------------------------


def set_up(env, sink_port: int):
    env["ir.mail_server"].create(
        {"name": "bench sink", "smtp_host": "127.0.0.1", "smtp_port": sink_port}
    )
    company = env.company
    domain = env["mail.alias.domain"].search([], limit=1) or env["mail.alias.domain"].create(
        {"name": "mycompany.example"}
    )
    company.write({"alias_domain_id": domain.id, "email": "info@mycompany.example"})
    owner = env["res.users"].create(
        {
            "name": "Mailbox Owner",
            "login": "owner",
            "email": imap_bench.OWNER,
            "group_ids": [(4, env.ref("sales_team.group_sale_salesman").id)],
        }
    )
    partners = env["res.partner"].create(
        [
            {"name": f"Contact {n}", "email": address}
            for n, address in enumerate(imap_bench.CONTACTS)
        ]
    )
    env["crm.lead"].create(
        [{"name": f"Deal with {p.name}", "partner_id": p.id, "user_id": owner.id} for p in partners]
    )
    return owner


def seed(server, count: int, seed: int = 7) -> str:
    """A new Dovecot login whose INBOX holds ``count`` generated mails (``seed`` varies them)."""
    login = server.add_user()[0]
    server.seed_maildir(login, "INBOX", imap_bench.generate_mails(count, seed=seed))
    return login


def new_mailbox(env, server, owner, count: int, variant: int = 7):
    """A Dovecot mailbox of ``count`` generated mails, connected to Odoo as the owner's."""
    login = seed(server, count, variant)
    # the bench's Dovecot port, as an administrator allows it
    env["ir.config_parameter"].set_param(
        "mail_lead_capture.imap_extra_ports", str(server.plain_port)
    )
    mailbox = env["mail.capture.mailbox"].create(
        {
            "user_id": owner.id,
            "email": f"{login}@mycompany.example",
            "host": server.host,
            "port": server.plain_port,
            "security": "none",
            "login": login,
            "password": server.password_of(login),
        }
    )
    mailbox.action_test_connection()
    env.cr.commit()
    return mailbox


def first_sync(env, mailbox) -> tuple[float, int]:
    """Sync until the first import is complete; returns (seconds, mails filed)."""
    messages_before = env["mail.message"].search_count([("model", "=", "crm.lead")])
    started = time.perf_counter()
    complete = False
    with mute_logger(*QUIET):
        while not complete:
            complete = mailbox._sync_locked()
            env.cr.commit()
    elapsed = time.perf_counter() - started
    env.invalidate_all()
    if mailbox.state != "connected":
        raise RuntimeError(f"the sync did not finish: {mailbox.state} {mailbox.last_error}")
    filed = env["mail.message"].search_count([("model", "=", "crm.lead")]) - messages_before
    return elapsed, filed


def idle_pass(env, mailbox) -> float:
    """The seconds of one whole pass with no new mail, as the scheduled action makes it."""
    started = time.perf_counter()
    with mute_logger(*QUIET):
        mailbox._sync_locked()
        env.cr.commit()
    return time.perf_counter() - started


# ----------------------------------------------------------------------------------------------
# Stock Odoo: fetchmail.server into crm.lead
# ----------------------------------------------------------------------------------------------


def unread(server, login: str) -> int:
    with server.imap(login) as client:
        client.select("INBOX", readonly=True)
        _typ, data = client.search(None, "UNSEEN")
    return len(data[0].split())


def stock_server(env, server, login):
    fetchmail = env["fetchmail.server"].create(
        {
            "name": "stock bench",
            "server_type": "imap",
            "server": server.host,
            "port": server.plain_port,
            "is_ssl": False,
            "user": login,
            "password": server.password_of(login),
            "object_id": env.ref("crm.model_crm_lead").id,
            "state": "done",
        }
    )
    env.cr.commit()
    return fetchmail


def stock_run(env, server, fetchmail, login) -> tuple[float, int]:
    """``_fetch_mail`` until nothing is unread, as its scheduled action does; (seconds, leads)."""
    leads_before = env["crm.lead"].search_count([])
    started = time.perf_counter()
    with mute_logger(*QUIET):
        while True:
            fetchmail._fetch_mail()
            env.cr.commit()
            if not unread(server, login):
                break
    elapsed = time.perf_counter() - started
    return elapsed, env["crm.lead"].search_count([]) - leads_before


def stock_idle(env, fetchmail) -> float:
    started = time.perf_counter()
    with mute_logger(*QUIET):
        fetchmail._fetch_mail()
        env.cr.commit()
    return time.perf_counter() - started


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------


def memory_child(args) -> int:
    """Child process: sync the warm-up mailbox, then measure the target's pass.

    Two measures: the peak number of live Python memory blocks (``sys.getallocatedblocks``,
    sampled at every commit of the pass: after each stored mail and each batch, when a batch's
    headers and a chunk of bodies are held) over the level before the pass, and the growth of the
    process's peak resident memory (VmHWM, reset before the pass).
    """
    from odoo.addons.mail_lead_capture.models.mailbox_sync_pass import MailboxPass

    warm_id, target_id = (int(value) for value in args.memory_run.split(","))
    peak = {"blocks": 0}
    commit = MailboxPass.commit

    def sampling_commit(self, processed=0):
        peak["blocks"] = max(peak["blocks"], sys.getallocatedblocks())
        return commit(self, processed)

    MailboxPass.commit = sampling_commit
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Mailbox = env["mail.capture.mailbox"]
        first_sync(env, Mailbox.browse(warm_id))
        gc.collect()
        base_blocks = peak["blocks"] = sys.getallocatedblocks()
        before = _status_kib("VmRSS")
        reset = _reset_peak()
        elapsed, filed = first_sync(env, Mailbox.browse(target_id))
        peak_rss = _status_kib("VmHWM")
        rss = peak_rss - before
    result = {
        "blocks": peak["blocks"] - base_blocks,
        "rss": rss,
        "peak_rss": peak_rss,
        "exact": reset,
        "seconds": elapsed,
        "filed": filed,
    }
    print(json.dumps(result))
    return 0


def _status_kib(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/self/status")


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux: clear_refs 5); False when not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def run_child(script: str, args, what: str, *options: str) -> dict:
    """Run the bench ``script`` again in a process of its own, on the same database and Odoo
    options, with ``options``; what it prints last, a JSON object. ``what`` names the run in the
    error raised when the child fails."""
    command = [sys.executable, script, "--database", args.database, *options, "--", *args.odoo_args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"{what} failed: {result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def configure(args) -> None:
    """Odoo's configuration from the bench's ``--database`` and Odoo options (parent and child
    processes alike), with the SMTP sink's chatter quiet."""
    odoo.tools.config.parse_config(["-d", args.database, *args.odoo_args])
    logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Started:
    """What a mailbox bench's parent process works with."""

    registry: Registry
    server: object  # the rig's DovecotServer
    sink: object  # the tests' SmtpSink


@contextlib.contextmanager
def started(args, **dovecot_options):
    """The start-up every mailbox bench's parent shares: Odoo's configuration, the registry of the
    bench's database, a private Dovecot on 127.0.0.1 (``dovecot_options`` for ``DovecotServer``)
    and the tests' SMTP sink, so that mail Odoo sends during the bench goes nowhere else. Both
    servers stop on the way out. Exits with a message when Dovecot is not installed."""
    configure(args)
    if not rig.dovecot_available():
        raise SystemExit("Dovecot is not installed: apt-get install dovecot-imapd")
    registry = Registry(args.database)
    sink = _load("mlc_smtp_sink", ROOT / "mail_lead_capture/tests/smtp_sink.py").SmtpSink().start()
    try:
        with rig.DovecotServer(**dovecot_options) as server:
            yield Started(registry, server, sink)
    finally:
        sink.stop()


def memory_run(args, env, server, owner, size: int, variant: int) -> dict:
    warm = new_mailbox(env, server, owner, 500, variant + 100)
    target = new_mailbox(env, server, owner, size, variant)
    return run_child(__file__, args, "the memory run", "--memory-run", f"{warm.id},{target.id}")


def main() -> int:
    args = parse_args()
    if args.memory_run:
        configure(args)
        return memory_child(args)
    with started(args) as bench, bench.registry.cursor() as cr:
        server = bench.server
        env = api.Environment(cr, SUPERUSER_ID, {})
        owner = set_up(env, bench.sink.port)
        cr.commit()
        share = imap_bench.CONTACT_SHARE
        say(
            f"Mailboxes of {args.mails:,} generated mails, {share:.0%} with one of "
            f"{len(imap_bench.CONTACTS)} lead contacts; Dovecot on 127.0.0.1; same run"
        )

        say("\n1. First sync")
        mailbox = new_mailbox(env, server, owner, args.mails)
        ours_time, filed = first_sync(env, mailbox)
        ours_rate = args.mails / ours_time
        say(
            f"   mailbox sync: {args.mails:,} mails in {ours_time:.1f} s, {filed:,} filed on "
            f"leads: {ours_rate:,.0f} mails/s"
        )

        idle_pass(env, mailbox)  # warm the caches of the registry once
        times = [idle_pass(env, mailbox) for _run in range(args.idle_runs)]
        with mute_logger(*QUIET):
            report = mailbox._sync_pass(None, 1, float("inf"))
        folders = len(mailbox.folder_ids.filtered("synced"))
        idle = statistics.median(times)

        small, large = args.memory_sizes
        memory = [
            memory_run(args, env, server, owner, size, 21 + n)
            for n, size in enumerate((small, large))
        ]

        stock_rate = stock_idle_time = None
        if not args.skip_stock:
            stock_login = seed(server, args.mails)  # the same mails as ours (new Message-Ids)
            fetchmail = stock_server(env, server, stock_login)
            stock_time, leads = stock_run(env, server, fetchmail, stock_login)
            stock_rate = args.mails / stock_time
            say(
                f"   stock fetchmail.server into crm.lead: {args.mails:,} mails in "
                f"{stock_time:.1f} s, {leads:,} leads: {stock_rate:,.1f} mails/s"
            )
            say(
                f"   ratio sync / stock: {ours_rate / stock_rate:.1f}x the mails per second "
                "(target >= 10x)"
            )
            stock_idle_time = statistics.median(stock_idle(env, fetchmail) for _ in range(5))

        say("\n2. Incremental pass with no new mail")
        say(
            f"   {report.round_trips} IMAP round trips for {folders} synced folders "
            f"({report.round_trips / folders:.1f} per folder; {report.examined} mails examined)"
        )
        say(
            f"   whole pass per mailbox (cursor, connect, login, LIST, STATUS, bookkeeping): "
            f"median {idle * 1000:.1f} ms of {args.idle_runs} (target < 50 ms)"
        )
        if stock_idle_time:
            say(
                f"   stock fetchmail's no-new-mail run (INBOX only): {stock_idle_time * 1000:.1f} "
                f"ms; ratio sync / stock: {idle / stock_idle_time:.2f}"
            )

        say(f"\n3. Peak memory of the first sync, {small:,} vs {large:,} mails (own process each)")
        for size, run in zip((small, large), memory, strict=True):
            note = "" if run["exact"] else " (peak not resettable: includes the warm-up)"
            say(
                f"   {size:,} mails ({run['filed']:,} filed in {run['seconds']:.0f} s): "
                f"{run['blocks']:,} more live Python blocks at the peak; peak resident memory "
                f"grew {run['rss'] / 1024:.1f} MiB{note}"
            )
        blocks = memory[1]["blocks"] / max(memory[0]["blocks"], 1)
        rss = memory[1]["rss"] / max(memory[0]["rss"], 1)
        total = memory[1]["peak_rss"] / max(memory[0]["peak_rss"], 1)
        say(
            f"   ratio {large:,} / {small:,}: {total:.2f} in the process's peak resident memory "
            f"({memory[0]['peak_rss'] / 1024:.0f} vs {memory[1]['peak_rss'] / 1024:.0f} MiB; "
            "target <= 1.2); of the growth during the pass alone: "
            f"{blocks:.2f} in live blocks, {rss:.2f} in resident memory"
        )
        say(
            "   (the growth includes caches bounded by size, such as the company's lead addresses, "
            "which fill as filed mail adds contacts to leads: it stops at their cap, not with the "
            "mailbox)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
