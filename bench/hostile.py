"""Benchmark: what one hostile mail costs the capture address, as its size grows.

Run: ``make bench B=hostile`` (or ``python3 dev/harness.py bench hostile``), which gives this script
a fresh database with the addon installed. Every mail goes through ``mail.thread.message_process``
(the real gateway) in its own transaction, rolled back afterwards, so each case starts from the
same database. Everything is measured in the same run; the figures that matter are the ratios:

- recipients: a mail from a salesperson to 1,000 / 2,000 / 4,000 people, one of them already the
  contact of a lead (so every other one becomes a new contact of that existing lead). Linear cost
  means 2,000 cost about twice 1,000; the target is at most 2.5 times.
- References: a reply whose References header holds 10 or 100,000 Message-Ids (the latter is over
  the header cap and kept raw for review, unparsed). Target: at most 3 times.
- subject: 1 KB or 500 KB of encoded words (the latter kept raw, unparsed).

Time is the median of ``--repeat`` deliveries; peak memory is measured apart (``tracemalloc``
slows Python down) on one more delivery of each mail: the largest Python allocation peak while
Odoo and the addon process it.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
import tracemalloc

# the capture bench's set-up (this folder is the script's first import path)
from capture import load_smtp_sink
from capture import setup_company

import odoo.init
import odoo.tools
from odoo import api
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=3, help="deliveries of each mail (median)")
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument("--profile", help="write a cProfile of the largest case run to this file")
    parser.add_argument("odoo_args", nargs="*", help="Odoo options such as --db_host=...")
    return parser.parse_args()


HEADER = (
    "Delivered-To: {capture}\r\n"
    "From: Bob Builder <bob@acme.example>\r\n"
    "To: {to}\r\n"
    "Subject: {subject}\r\n"
    "Date: Tue, 24 Nov 2026 09:00:00 +0100\r\n"
    "Message-ID: <bench-hostile-{tag}@acme.example>\r\n"
    "{extra}"
    "MIME-Version: 1.0\r\n"
    'Content-Type: text/plain; charset="UTF-8"\r\n'
    "\r\n"
    "Hello all,\r\n\r\nour offer for the new warehouse shelving is attached to this mail.\r\n"
)


def raw(capture, tag, recipients=1, references=0, subject="Our offer"):
    to = ",\r\n ".join(
        ["Nadia <nadia@client.example>"]
        + [f"Person {i} <person{i}@company{i}.example>" for i in range(1, recipients)]
    )
    extra = ""
    if references:
        ids = "\r\n ".join(f"<ref-{i}@elsewhere.example>" for i in range(references))
        extra = f"References: {ids}\r\n"
    return HEADER.format(capture=capture, to=to, subject=subject, tag=tag, extra=extra).encode()


def deliver(registry, mail: bytes) -> float:
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        env["mail.thread"].sudo().message_process(False, mail)
        env.flush_all()
        elapsed = time.perf_counter() - started
        cr.rollback()
    return elapsed


def peak_memory(registry, mail: bytes) -> int:
    tracemalloc.start()
    try:
        deliver(registry, mail)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def setup(registry, sink) -> str:
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company, _domain = setup_company(env, sink)
        env["crm.lead"].create({"name": "Shelving for Nadia", "email_from": "nadia@client.example"})
        cr.commit()
        return company.lead_capture_email


def main() -> int:
    args = parse_args()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the SMTP sink's per-command chatter
    odoo.tools.config.parse_config(["-d", args.database, *args.odoo_args])
    registry = Registry(args.database)
    sink = load_smtp_sink()
    capture = setup(registry, sink)
    cases = {
        "recipients 1,000": raw(capture, "r1", recipients=1000),
        "recipients 2,000": raw(capture, "r2", recipients=2000),
        "recipients 4,000": raw(capture, "r4", recipients=4000),
        "References 10": raw(capture, "ref10", references=10),
        "References 100,000": raw(capture, "ref100k", references=100_000),
        "subject 1 KB": raw(capture, "s1", subject="=?utf-8?q?caf=C3=A9?= " * 47),
        "subject 500 KB": raw(capture, "s500", subject="=?utf-8?q?caf=C3=A9?= " * 23_300),
    }
    if args.only:
        cases = {name: mail for name, mail in cases.items() if args.only in name}
    deliver(registry, raw(capture, "warm-up"))  # caches, first queries
    if args.profile:
        import cProfile

        name = list(cases)[-1]
        cProfile.runctx(
            "deliver(registry, mail)",
            globals(),
            {"registry": registry, "mail": cases[name], "deliver": deliver},
            args.profile,
        )
        print(f"Profile of {name} written to {args.profile}")
        return 0
    seconds, memory = {}, {}
    for _round in range(args.repeat):
        for name, mail in cases.items():
            seconds.setdefault(name, []).append(deliver(registry, mail))
    for name, mail in cases.items():
        memory[name] = peak_memory(registry, mail)
    print(f"One mail through message_process, median of {args.repeat}, same run")
    for name, mail in cases.items():
        print(
            f"  {name:<20} {len(mail) / 1024:8.0f} KB  {statistics.median(seconds[name]):7.3f} s"
            f"   peak {memory[name] / 2**20:7.1f} MB"
        )

    def ratio(big, small, target):
        value = statistics.median(seconds[big]) / statistics.median(seconds[small])
        verdict = "ok" if value <= target else "OVER TARGET"
        print(f"  {big} / {small}: {value:5.2f} (target <= {target}) {verdict}")

    print("Ratios (same run)")
    for big, small, target in (
        ("recipients 2,000", "recipients 1,000", 2.5),
        ("recipients 4,000", "recipients 2,000", 2.5),
        ("References 100,000", "References 10", 3),
        ("subject 500 KB", "subject 1 KB", 3),
    ):
        if big in seconds and small in seconds:
            ratio(big, small, target)
    sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
