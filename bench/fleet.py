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

Settings of the run, so that the comparison measures the workers and not the rig:

- the host cap (``mail_lead_capture.host_connections``) is ``--workers`` x ``--parallel``: the
  provider's allowance for the whole company, enough for every worker's connections at once
  (when the cap is shared between workers, a cap of 50 would hold 4 workers to 50 connections
  in all);
- the Dovecot runs in its high-performance mode (login and imap processes serve connection after
  connection): a provider's servers do, and on their own machines. In its default mode it starts
  two processes for every connection, about 30 ms of CPU a connection on the bench's cores
  (6 ms with processes reused), and accepted about 15 connections a second on the loaded
  two-core machine, which then bounded every cycle whatever the workers;
  ``--process-per-connection`` keeps that mode;
- each worker process starts in a session of its own: Linux groups CPU time by session
  (autogroup) on this shared machine, so workers in the bench's session would share one slice of
  the processors between them however many they are (measured: 1 and 4 workers used the same
  0.2 to 0.3 cores); ``--one-session`` keeps them together.

After each cycle the bench says where the time went: per worker, the main thread's time in
passes (mailboxes with new mail), in the batches of idle mailboxes, waiting for surveys and
claiming; the surveys' mean time, round trips and how many ran at once; the CPU seconds of the
workers (main thread and survey threads), PostgreSQL, Dovecot and the latency proxy, the SQL
statements each worker sent (all its cursors), and how much of the machine other programs took
meanwhile. ``--profile PREFIX`` writes each worker's cProfile statistics (main thread only, in CPU
time: waiting for the database or the network is not counted; the profiler about doubles the
worker's CPU seconds of that run).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import random
import resource
import subprocess
import sys
import threading
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
    parser.add_argument(
        "--repeat", type=int, default=1, help="cycles of 1 and N workers, alternated"
    )
    parser.add_argument(
        "--one-session",
        dest="session_per_worker",
        action="store_false",
        help="start the workers in the bench's own session (one CPU share for all, see above)",
    )
    parser.add_argument(
        "--process-per-connection",
        action="store_true",
        help="Dovecot's default mode: a login and an imap process started for every connection",
    )
    parser.add_argument("--profile", help="write each worker's cProfile statistics to this prefix")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("odoo_args", nargs="*", help="Odoo options such as --db_host=...")
    return parser.parse_args()


def say(text: str = "") -> None:
    print(text, flush=True)


# ----------------------------------------------------------------------------------------------
# Worker processes
# ----------------------------------------------------------------------------------------------


class Meter:
    """Where a worker's cycle goes, measured from outside the code under test (wrappers set up
    in the worker process only): the main thread's time in each phase of ``MailboxFleet.run``,
    the surveys (their seconds, round trips, how many ran at once), every session's round trips
    (commands waited for, plus the greeting), and the process's CPU time."""

    PHASES = ("claim", "submit", "finished", "sync_idle", "sync")

    def __init__(self):
        self.seconds = dict.fromkeys(self.PHASES, 0.0)
        self.calls = dict.fromkeys(self.PHASES, 0)
        self.surveys = 0
        self.survey_seconds = 0.0
        self.survey_cpu = 0.0
        self.main_cpu = 0.0
        self.survey_trips = 0
        self.sessions = 0
        self.trips = 0
        self.running = 0
        self.samples = []
        self._lock = threading.Lock()

    def install(self):
        fleet_model = importlib.import_module("odoo.addons.mail_lead_capture.models.mailbox_fleet")
        imap_fleet = fleet_model.imap_fleet
        session_class = imap_fleet.ImapSession
        for phase in self.PHASES:
            cls = imap_fleet.Fleet if phase == "finished" else fleet_model.MailboxFleet
            setattr(cls, phase, self.timed(phase, getattr(cls, phase)))
        survey, meter = imap_fleet.survey, self

        def measured_survey(*args, **kwargs):
            with meter._lock:
                meter.running += 1
            cpu = time.thread_time()
            try:
                result = survey(*args, **kwargs)
            finally:
                with meter._lock:
                    meter.running -= 1
            with meter._lock:
                meter.survey_cpu += time.thread_time() - cpu
                meter.surveys += 1
                meter.survey_seconds += result.seconds
                meter.survey_trips += result.session.round_trips + 1 if result.session else 0
            return result

        imap_fleet.survey = measured_survey
        close = session_class.close

        def measured_close(session):
            if session._client is not None:
                with meter._lock:
                    meter.sessions += 1
                    meter.trips += session.round_trips + 1  # + the greeting
            return close(session)

        session_class.close = measured_close
        threading.Thread(target=self.sample, daemon=True).start()

    def timed(self, phase, method):
        meter = self

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                result = method(*args, **kwargs)
                if inspect.isgenerator(result):
                    result = list(result)
                return result
            finally:
                meter.seconds[phase] += time.perf_counter() - started
                meter.calls[phase] += 1

        return wrapper

    def sample(self):
        while True:
            time.sleep(0.02)
            self.samples.append(self.running)

    def report(self, cpu, wall):
        running = [n for n in self.samples if n] or [0]
        return {
            "wall": wall,
            "cpu": cpu,
            "phases": self.seconds,
            "calls": self.calls,
            "surveys": self.surveys,
            "survey_seconds": self.survey_seconds,
            "survey_cpu": self.survey_cpu,
            "main_cpu": self.main_cpu,
            "survey_trips": self.survey_trips,
            "sessions": self.sessions,
            "trips": self.trips,
            "in_flight_mean": sum(running) / len(running),
            "in_flight_max": max(running),
        }


def cpu_time() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(args) -> int:
    """Child: load the registry, say "ready", wait for "go", run one cycle, print its times."""
    registry = Registry(args.database)
    with registry.cursor() as cr:  # warm: the first cursor and environment
        api.Environment(cr, SUPERUSER_ID, {})["mail.capture.mailbox"].search_count([])
    meter = Meter()
    meter.install()
    print("ready", flush=True)
    sys.stdin.readline()
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile(time.thread_time)  # CPU time: waits for the database excluded
        profile.enable()
    started, cpu, main_cpu = time.time(), cpu_time(), time.thread_time()
    statements = odoo.sql_db.sql_counter
    with registry.cursor() as cr, mute_logger(*QUIET):
        api.Environment(cr, SUPERUSER_ID, {})["mail.capture.mailbox"]._sync_due()
    ended = time.time()
    cpu = cpu_time() - cpu
    statements = odoo.sql_db.sql_counter - statements
    meter.main_cpu = time.thread_time() - main_cpu
    if profile:
        profile.disable()
        profile.dump_stats(f"{args.profile}.{os.getpid()}")
    print(
        json.dumps(
            {
                "started": started,
                "ended": ended,
                "statements": statements,
                **meter.report(cpu, ended - started),
            }
        ),
        flush=True,
    )
    return 0


def run_workers(args, count: int, loads) -> tuple[float, list[dict], dict[str, float]]:
    """Start ``count`` worker processes, wait until all are ready, release them together; the
    wall time from the release to the last one's end, the workers' reports and the CPU seconds
    of the rest (``Loads``) from the release to the end."""
    command = [sys.executable, __file__, "--database", args.database, "--worker"]
    if args.profile:
        command += ["--profile", f"{args.profile}.{count}w"]
    command += ["--", *args.odoo_args]
    # each in a session of its own: where the kernel groups CPU time by session (autogroup, as on
    # this shared machine), workers started in the bench's session would share one slice of the
    # processors however many they are, unlike Odoo workers on servers of their own
    procs = [
        subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=args.session_per_worker,
        )
        for _n in range(count)
    ]
    for proc in procs:
        line = proc.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"a worker did not start: {line!r}")
    before = loads.read()
    released = time.time()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        out, _err = proc.communicate(timeout=3600)
        if proc.returncode:
            raise RuntimeError(f"a worker failed ({proc.returncode})")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    time.sleep(1)  # the workers' database connections end after them: their CPU time too
    after = loads.read()
    used = {key: after[key] - before[key] for key in after}
    return max(report["ended"] for report in reports) - released, reports, used


def tree_cpu(root_pid: int) -> float:
    """CPU seconds of a process and its descendants, those gone included (their parents' waited
    children times): for PostgreSQL's and Dovecot's share of a cycle."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # after the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15)
            stats[int(entry.name)] = (int(fields[1]), sum(int(v) for v in fields[11:15]))
    children = {}
    for pid, (ppid, _cpu) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0))[1]
        todo += children.get(pid, [])
    return total / ticks


class Loads:
    """CPU seconds of the bench's own process (the latency proxy), PostgreSQL and Dovecot."""

    def __init__(self, cr, server):
        try:  # a PostgreSQL of this machine, its data directory readable
            cr.execute("SHOW data_directory")
            data = Path(cr.fetchone()[0])
            self.postgres = int((data / "postmaster.pid").read_text().split()[0])
        except Exception:  # another machine's, or not ours to read: not counted
            cr.rollback()
            self.postgres = 0
        self.dovecot = server._process.pid

    def read(self) -> dict[str, float]:
        with open("/proc/stat") as stat:  # the machine's: user nice system idle iowait ...
            ticks = [int(value) for value in stat.readline().split()[1:]]
        return {
            "machine": (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK"),
            "clock": time.monotonic(),
            "proxy": cpu_time(),
            "postgres": tree_cpu(self.postgres),
            "dovecot": tree_cpu(self.dovecot),
        }


def describe(wall: float, reports: list[dict], loads: dict[str, float], count: int) -> str:
    """What one cycle's time went to, from the workers' meters and the servers' CPU."""
    workers = sum(report["cpu"] for report in reports)
    lines = []
    for n, report in enumerate(reports, 1):
        phases = report["phases"]
        surveys = max(report["surveys"], 1)
        lines.append(
            f"      worker {n}: {report['wall']:.1f} s, CPU {report['cpu']:.2f} s (main thread "
            f"{report['main_cpu']:.2f} s, surveys {report['survey_cpu']:.1f} s); main thread: "
            f"passes {phases['sync']:.1f} s ({report['calls']['sync']}), idle batches "
            f"{phases['sync_idle']:.1f} s, waiting for surveys {phases['finished']:.1f} s, "
            f"claims {phases['claim'] + phases['submit']:.1f} s; {report['surveys']} surveys "
            f"of {report['survey_seconds'] / surveys:.2f} s, "
            f"{report['survey_trips'] / surveys:.1f} round trips; "
            f"{report['trips'] / max(report['sessions'], 1):.1f} round trips per session; "
            f"surveys in flight {report['in_flight_mean']:.0f} (max {report['in_flight_max']}); "
            f"{report.get('statements', 0)} SQL statements"
        )
    ours = workers + loads["postgres"] + loads["dovecot"] + loads["proxy"]
    cores = os.cpu_count() or 1
    lines.append(
        f"      CPU seconds: workers {workers:.2f}, PostgreSQL {loads['postgres']:.2f}, Dovecot "
        f"{loads['dovecot']:.1f}, latency proxy {loads['proxy']:.1f}; total {ours:.1f} "
        f"({ours / count * 1000:.0f} ms per mailbox) = {ours / wall:.2f} of {cores} cores over "
        f"the wall time, {ours / cores:.1f} s if it had them all; the machine meanwhile (every "
        f"program): {loads['machine'] / loads['clock']:.2f} of {cores} cores busy"
    )
    return "\n".join(lines)


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


def set_parallel(env, parallel: int, host_connections: int) -> None:
    Param = env["ir.config_parameter"]
    Param.set_param("mail_lead_capture.sync_parallel", str(parallel))
    Param.set_param("mail_lead_capture.host_connections", str(host_connections))
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
    if args.worker:
        mailbox_bench.configure(args)
        return worker(args)
    with (
        mailbox_bench.started(args, reuse_processes=not args.process_per_connection) as bench,
        bench.registry.cursor() as cr,
    ):
        server = bench.server
        env = api.Environment(cr, SUPERUSER_ID, {})
        owner = mailbox_bench.set_up(env, bench.sink.port)
        env["ir.config_parameter"].set_param("mail_lead_capture.imap_extra_ports", "1024-65535")
        cr.commit()
        say(
            f"{args.mailboxes} mailboxes (INBOX, Sent, Archive synced), new mail in "
            f"{args.share:.0%} of them each cycle; Dovecot behind a proxy adding "
            f"{args.delay * 1000:.0f} ms to every packet each way; same run"
        )
        started = time.perf_counter()
        fleet = make_fleet(env, server, owner, args.mailboxes)
        # the provider's allowance: every worker's connections at once (the cap counts them all
        # when it is shared between workers)
        host_connections = args.parallel * max(args.workers, 1)
        set_parallel(env, args.parallel, host_connections)
        loads = Loads(cr, server)
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
            for _turn in range(max(args.repeat, 1)):  # alternated: 1 worker, N workers, ...
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
                set_parallel(env, parallel, host_connections)
                new = add_new_mail(server, fleet, cycle, args.share)
                make_due(env)
                since = odoo.fields.Datetime.now()
                time.sleep(1)  # last_sync has second precision
                connections = proxy.connections
                wall, reports, used = run_workers(args, workers, loads)
                filed = check_cycle(env, since, new, filed, len(fleet))
                times.append(wall)
                say(
                    f"   {label}: {wall:.1f} s ({wall / len(fleet) * 1000:.0f} ms per mailbox; "
                    f"{proxy.connections - connections} connections; {new} mailboxes with new mail, "
                    f"{new} mails filed; load average {os.getloadavg()[0]:.1f})"
                )
                say(describe(wall, reports, used, len(fleet)))
        fleet_times = times[0 if args.skip_sequential else 1 :]
        ones, many = fleet_times[0::2], fleet_times[1::2]
        if not args.skip_sequential:
            say(
                f"   ratio sequential / fleet with 1 worker: {times[0] / ones[0]:.1f}x "
                "(target >= 10x)"
            )
        say(
            f"   ratio 1 worker / {args.workers} workers: "
            + ", ".join(f"{one / other:.1f}x" for one, other in zip(ones, many, strict=True))
            + " (target >= 3x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
