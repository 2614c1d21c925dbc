"""``make demo``: Odoo with the addon and demo data on a throwaway database, an SMTP sink that
prints every mail Odoo sends, and a private Dovecot with Ines's and Marco's demo mailboxes,
connected in Odoo. Its state file (.run/demo.json) tells ``make push`` where it runs."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
import unicodedata
import urllib.request
from pathlib import Path

from common import ADDON
from common import ROOT
from common import RUN_DIR
from common import HarnessError
from common import Spinner
from common import load_module
from common import say
from common import section
from odoo_env import ODOO_HINT
from odoo_env import odoo_command
from odoo_env import odoo_version
from odoo_env import run_odoo_logged
from postgres import Postgres
from postgres import postgres

DEMO_STATE = RUN_DIR / "demo.json"


DEMO_LOGINS = [
    ("admin", "admin", "administrator"),
    ("ines", "ines", "salesperson"),
    ("marco", "marco", "salesperson"),
]


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_demo_state() -> dict | None:
    try:
        state = json.loads(DEMO_STATE.read_text())
    except (OSError, ValueError):
        return None
    return state if pid_alive(state.get("pid", 0)) else None


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_smtp_sink(outbox: Path):
    """Start the addon's test SMTP sink (aiosmtpd), printing and keeping every mail Odoo sends."""
    try:
        import aiosmtpd  # noqa: F401, PLC0415
    except ImportError:
        raise HarnessError(
            "The SMTP sink needs aiosmtpd: run `python3 -m pip install -r requirements-dev.txt`."
        ) from None
    module = load_module("mlc_smtp_sink", ROOT / ADDON / "tests" / "smtp_sink.py")
    outbox.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1_000_000))

    def show(mail) -> None:
        number = next(counter)
        path = outbox / f"{number:04d}.eml"
        path.write_bytes(mail.raw)
        message = mail.message
        text = "".join(c for c in mail.text if unicodedata.category(c) not in ("Cf", "Mn"))
        text = " ".join(text.split())
        say(f"\n[mail #{number} sent by Odoo] From: {message['From']}")
        say(f"    To: {', '.join(mail.rcpt_tos)}\n    Subject: {message['Subject']}")
        say(f"    {text[:300]}{'...' if len(text) > 300 else ''}\n    (saved as {path})")

    return module.SmtpSink(on_mail=show).start()


def wait_http(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HarnessError(
                f"Odoo stopped while starting (exit {process.returncode}); "
                f"see {RUN_DIR / 'odoo.log'}."
            )
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=5):
                return
        time.sleep(1)
    raise HarnessError(
        f"Odoo did not answer on {url} within {timeout:.0f}s; see {RUN_DIR / 'odoo.log'}."
    )


def demo_mailboxes_module():
    return load_module("mlc_demo_mailboxes", ROOT / ADDON / "tests" / "demo_mailboxes.py")


def start_demo_dovecot():
    """Start the tests' private Dovecot (tests/dovecot_server.py) and fill the demo mailboxes."""
    try:
        import cryptography  # noqa: F401, PLC0415
    except ImportError:
        raise HarnessError(
            "The demo's IMAP server needs the cryptography package (one of Odoo's requirements): "
            "run the demo with the Python that has Odoo's requirements (ODOO_PYTHON)."
        ) from None
    module = load_module("mlc_dovecot_server", ROOT / ADDON / "tests" / "dovecot_server.py")
    demo = demo_mailboxes_module()
    section("IMAP server for the demo mailboxes (Dovecot)")
    dovecot = module.DovecotServer()
    try:
        dovecot.start()
    except module.DovecotUnavailable as exc:
        raise HarnessError(str(exc)) from None
    counts = demo.seed(dovecot)
    say(f"    Dovecot on {dovecot.host}:{dovecot.plain_port} (TLS {dovecot.tls_port})")
    for login, count in counts.items():
        say(f"    mailbox {login}: {count} mails (incoming in INBOX, sent in Sent)")
    return dovecot


def demo_rpc(url: str):
    import xmlrpc.client  # noqa: PLC0415

    return (
        xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common"),
        xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True),
    )


def connect_demo_mailboxes(url: str, db: str, dovecot, timeout: float = 240) -> None:
    """Connect Ines's and Marco's mailboxes in Odoo as they would (Test Connection), then follow
    the first import that Odoo's scheduled action runs in the background."""
    demo = demo_mailboxes_module()
    common, models = demo_rpc(url)
    admin = common.authenticate(db, "admin", "admin", {})
    models.execute_kw(
        db,
        admin,
        "admin",
        "ir.config_parameter",
        "set_param",
        [demo.EXTRA_PORTS_PARAM, demo.extra_ports(dovecot)],
    )
    ids = {}
    for mailbox in demo.MAILBOXES:
        users = models.execute_kw(
            db, admin, "admin", "res.users", "search", [[("login", "=", mailbox.user_login)]]
        )
        if not users:
            raise HarnessError(f"The demo user {mailbox.user_login} is missing from the demo data.")
        values = demo.mailbox_values(mailbox, dovecot, users[0])
        mailbox_id = models.execute_kw(
            db, admin, "admin", "mail.capture.mailbox", "create", [values]
        )
        # The salesperson presses Test Connection: it connects, lists the folders, and asks the
        # scheduled action to import the mailbox.
        uid = common.authenticate(db, mailbox.user_login, mailbox.user_login, {})
        result = models.execute_kw(
            db,
            uid,
            mailbox.user_login,
            "mail.capture.mailbox",
            "action_test_connection",
            [[mailbox_id]],
        )
        message = (result or {}).get("params", {}).get("message", "")
        say(f"    {mailbox.user_login}: {message}")
        ids[mailbox_id] = mailbox.user_login
    deadline, shown = time.monotonic() + timeout, {}
    while True:
        rows = models.execute_kw(
            db,
            admin,
            "admin",
            "mail.capture.mailbox",
            "read",
            [list(ids)],
            {"fields": ["state", "import_done", "import_total", "import_progress", "last_error"]},
        )
        for row in rows:
            line = (
                f"{row['state']}, first import {row['import_progress']:.0f}% "
                f"({row['import_done']}/{row['import_total']} mails)"
            )
            if shown.get(row["id"]) != line:
                shown[row["id"]] = line
                say(f"    {ids[row['id']]}: {line}")
        if all(r["state"] == "connected" and r["import_progress"] >= 100 for r in rows):
            break
        failed = [r for r in rows if r["state"] in ("error", "reauth")]
        if failed or time.monotonic() > deadline:
            reason = failed[0]["last_error"] if failed else f"not done after {timeout:.0f}s"
            say(f"    The first import did not finish ({reason}); it goes on in the background.")
            break
        time.sleep(1)
    for mailbox in demo.MAILBOXES:
        login = mailbox.user_login
        uid = common.authenticate(db, login, login, {})
        seen = models.execute_kw(
            db,
            uid,
            login,
            "mail.message",
            "search_count",
            [[("model", "=", "crm.lead"), ("message_id", "=like", "<demo-%")]],
        )
        say(f"    {login} sees {seen} synced mails on leads (a private one only its owner sees)")


def cmd_demo(args) -> int:
    running = read_demo_state()
    if running:
        raise HarnessError(
            f"A demo is already running (pid {running['pid']}, {running['url']}): use it, or stop it "
            "with Ctrl-C in its terminal before starting another."
        )
    if not odoo_version():
        raise HarnessError("Odoo 19.0 is not importable, so the demo cannot start. " + ODOO_HINT)
    if not port_free(args.port):
        raise HarnessError(
            f"Port {args.port} is already in use by another program: stop it, or choose another "
            f"port with `make demo PORT=8070`."
        )
    RUN_DIR.mkdir(exist_ok=True)
    db = "mlc_demo"
    url = f"http://127.0.0.1:{args.port}"
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    section("PostgreSQL")
    with postgres() as pg:
        pg.create_database(db)
        sink = None
        odoo = None
        dovecot = None
        try:
            sink = start_smtp_sink(RUN_DIR / "outbox")
            dovecot = start_demo_dovecot()
            smtp_args = ["--smtp=127.0.0.1", f"--smtp-port={sink.port}"]
            section(f"Database {db}: {ADDON} with demo data")
            run_odoo_logged(
                pg,
                db,
                RUN_DIR / "demo-install.log",
                "Installing (about a minute)",
                "--init",
                ADDON,
                "--with-demo",
                *smtp_args,
            )
            section("Odoo")
            log = open(RUN_DIR / "odoo.log", "w")
            odoo = subprocess.Popen(
                odoo_command(
                    pg, db, "--http-interface=127.0.0.1", f"--http-port={args.port}", *smtp_args
                ),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=pg.env(),
                start_new_session=True,
            )
            with Spinner("Starting Odoo"):
                wait_http(f"{url}/web/login", odoo)
            section("Demo mailboxes: Ines's and Marco's mail, synced from the private Dovecot")
            connect_demo_mailboxes(url, db, dovecot)
            imap = {"host": dovecot.host, "port": dovecot.plain_port, "tls_port": dovecot.tls_port}
            state = {"pid": os.getpid(), "url": url, "db": db, "imap": imap}
            DEMO_STATE.write_text(json.dumps(state))
            demo_banner(pg, db, url, sink, dovecot)
            while not stop.is_set() and odoo.poll() is None:
                stop.wait(1)
            if odoo.poll() is not None:
                raise HarnessError(
                    f"Odoo stopped (exit {odoo.returncode}); see {RUN_DIR / 'odoo.log'}."
                )
        except KeyboardInterrupt:
            say("\nStopping the demo...")
        finally:
            if odoo and odoo.poll() is None:
                os.killpg(odoo.pid, signal.SIGTERM)
                try:
                    odoo.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(odoo.pid, signal.SIGKILL)
            if sink:
                sink.stop()
            if dovecot:
                dovecot.stop()
            DEMO_STATE.unlink(missing_ok=True)
            with contextlib.suppress(HarnessError, subprocess.TimeoutExpired):
                pg.drop_database(db)
    say("Demo stopped: Odoo, the SMTP sink, the IMAP server and the throwaway database are gone.")
    return 0


def capture_address(pg: Postgres, db: str) -> str | None:
    has_column = pg.psql(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'res_company' "
        "AND column_name = 'lead_capture_alias_id'",
        db,
    )
    if not has_column:
        return None
    return (
        pg.psql(
            "SELECT a.alias_name || '@' || d.name FROM res_company c JOIN mail_alias a "
            "ON a.id = c.lead_capture_alias_id JOIN mail_alias_domain d ON d.id = a.alias_domain_id "
            "ORDER BY c.id LIMIT 1",
            db,
        )
        or None
    )


def demo_banner(pg: Postgres, db: str, url: str, sink, dovecot) -> None:
    address = capture_address(pg, db)
    say("")
    say("=" * 78)
    say(f"  Odoo with {ADDON} is running: {url}  (database {db})")
    for login, password, role in DEMO_LOGINS:
        say(f"    login {login:<6} password {password:<6} ({role})")
    say(f"  Capture address: {address or 'not configured yet'}")
    say(
        f"  Mail Odoo sends is printed here and kept in {RUN_DIR / 'outbox'} "
        f"(SMTP sink on port {sink.port})."
    )
    say("  Try capture without a mail server:  make push EML=samples/demo/forward-gmail.eml")
    demo = demo_mailboxes_module()
    say(
        f"  IMAP server (Dovecot) on {dovecot.host}: port {dovecot.plain_port} (no TLS), "
        f"{dovecot.tls_port} (TLS, self-signed)"
    )
    for mailbox in demo.MAILBOXES:
        login = mailbox.imap_login
        say(
            f"    IMAP login {login:<6} password {dovecot.password_of(login):<15} "
            f"({mailbox.email}: {mailbox.description})"
        )
    say("  Watch a mail arrive on its lead:  make push-imap EML=samples/demo/imap-reply-hank.eml")
    say(f"  Odoo's log: {RUN_DIR / 'odoo.log'}.  Ctrl-C stops everything.")
    say("=" * 78)
