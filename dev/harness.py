#!/usr/bin/env python3
"""The project's driver: ``make test``, ``make demo`` and ``make push`` call this script.

test   installs the dev dependencies, gets a PostgreSQL, installs and upgrades the addon in a fresh
       database (failing on any warning from the addon), runs the tests that need no database, the
       Odoo tests (pytest-odoo, with an HTTP server for the browser tours) and the linters.
demo   brings up Odoo on http://127.0.0.1:8069 with the addon and demo data in a throwaway database,
       with a local SMTP sink that prints every mail Odoo sends. Ctrl-C stops and removes everything.
       It also starts a private Dovecot holding Ines's and Marco's demo mailboxes
       (mail_lead_capture/tests/demo_mailboxes.py), connects them in Odoo and follows their sync.
push   delivers a raw .eml file to the running demo's mail gateway, as an MTA does through Odoo's
       mailgate (XML-RPC ``mail.thread.message_process``).
push-imap  appends a raw .eml file to a demo mailbox on that Dovecot and syncs it onto its lead.

Odoo: ODOO_PYTHON, or this Python if it imports Odoo 19.0; otherwise test, demo, pytest and pot set
it up once in .venv/ (dev/bootstrap.py, from ODOO_SOURCE) and re-run themselves there.

PostgreSQL: when any of PGHOST, PGPORT, PGUSER or PGPASSWORD is set, that server is used (it must be
reachable); otherwise a private throwaway cluster is started from the machine's PostgreSQL binaries
and removed afterwards.

This file is the command line only; each job has its module in dev/:
    common.py       paths, HarnessError, say/section/Spinner, load_module
    odoo_env.py     which Odoo (ODOO_PYTHON, this Python, .venv/ via bootstrap.py), its command
                    line, the system programs each command needs, logged installs
    postgres.py     the PG* server or a private throwaway cluster
    test_runner.py  make test, make test-odoo (pytest-odoo), make bench
    pot.py          make pot and the template check of make test
    demo.py         make demo: Odoo, the SMTP sink, the demo Dovecot and mailboxes
    push.py         make push, make push-imap (into the running demo)

Only the standard library is imported at the top, so that a machine without Odoo still gets clear
sentences instead of tracebacks.
"""

from __future__ import annotations

import argparse
import sys

import bootstrap
from common import HarnessError
from demo import cmd_demo
from odoo_env import ensure_odoo
from odoo_env import odoo_version
from odoo_env import require_system_packages
from pot import cmd_pot
from push import cmd_push
from push import cmd_push_imap
from test_runner import cmd_bench
from test_runner import cmd_pytest
from test_runner import cmd_test


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="run the whole test suite and the linters")
    test.add_argument(
        "--native",
        action="store_true",
        help="also run the Odoo tests with Odoo's own --test-tags runner",
    )
    pytest_cmd = sub.add_parser("pytest", help="run chosen Odoo tests (pytest arguments follow)")
    pytest_cmd.add_argument("pytest_args", nargs=argparse.REMAINDER)
    bench = sub.add_parser("bench", help="run the benchmarks (all, or those named)")
    bench.add_argument("names", nargs="*", help="benchmark names: the files of bench/ without .py")
    sub.add_parser("pot", help="write the addon's translation template (i18n/*.pot)")
    demo = sub.add_parser("demo", help="run Odoo with the addon and demo data")
    demo.add_argument("--port", type=int, default=8069)
    push = sub.add_parser("push", help="deliver a raw .eml to the running demo")
    push.add_argument("eml")
    push.add_argument("--to", help="envelope recipient (default: the company's capture address)")
    push_imap = sub.add_parser(
        "push-imap", help="put a raw .eml in a demo mailbox on the demo's IMAP server and sync it"
    )
    push_imap.add_argument("eml")
    push_imap.add_argument("--to", default="ines", help="the demo mailbox: ines (default) or marco")
    push_imap.add_argument("--folder", default="INBOX", help="INBOX (default), Sent or Archive")
    args = parser.parse_args(argv)
    handler = {
        "test": cmd_test,
        "pytest": cmd_pytest,
        "bench": cmd_bench,
        "pot": cmd_pot,
        "demo": cmd_demo,
        "push": cmd_push,
        "push-imap": cmd_push_imap,
    }
    needs = {
        "test": ("postgresql", "dovecot-imapd", "chromium"),
        "pytest": ("postgresql", "dovecot-imapd", "chromium"),
        "demo": ("postgresql", "dovecot-imapd"),
        "pot": ("postgresql",),
    }
    try:
        if args.command in needs:
            target = {"pytest": "test-odoo"}.get(args.command, args.command)
            require_system_packages(needs[args.command], f"make {target}")
            ensure_odoo()
        elif args.command == "bench" and not odoo_version() and bootstrap.ready():
            ensure_odoo()  # Odoo was set up in .venv/: the benchmarks run there too
        return handler[args.command](args)
    except HarnessError as exc:
        print(f"\nerror: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
