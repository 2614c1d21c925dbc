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

Only the standard library is imported at the top, so that a machine without Odoo still gets clear
sentences instead of tracebacks.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.request
from pathlib import Path

import bootstrap

ROOT = Path(__file__).resolve().parent.parent
ADDON = "mail_lead_capture"
# Sign in with Google / Microsoft: bridges to Odoo's google_gmail and microsoft_outlook, installed,
# linted and tested with the addon.
BRIDGES = ("mail_lead_capture_gmail", "mail_lead_capture_outlook")
MODULES = (ADDON, *BRIDGES)
RUN_DIR = ROOT / ".run"
DEMO_STATE = RUN_DIR / "demo.json"
PY = sys.executable
PG_VARS = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")
ODOO_HINT = (
    "`make test` and `make demo` set Odoo 19.0 up in .venv/ when python3 cannot import it (see "
    "README.md, 'Prerequisites'); or run with ODOO_PYTHON pointing at a Python that has it."
)


class HarnessError(Exception):
    """A problem the user can fix: printed as one sentence, exit status 1."""


def say(message: str = "") -> None:
    print(message, flush=True)


def section(title: str) -> None:
    say(f"\n==> {title}")


# ----------------------------------------------------------------------------------------------
# Odoo
# ----------------------------------------------------------------------------------------------


def odoo_python() -> str:
    return os.environ.get("ODOO_PYTHON") or PY


def odoo_version() -> str | None:
    """Return Odoo's version if the Python we use can import Odoo 19.0, else None."""
    probe = "import odoo.release as r; print(r.version if r.version_info[:2] == (19, 0) else '')"
    try:
        out = subprocess.run(
            [odoo_python(), "-c", probe], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def ensure_odoo() -> None:
    """Have Odoo 19.0: the one installed (ODOO_PYTHON, or this Python), else the project's .venv/.

    The first time, Odoo is set up in .venv/ (dev/bootstrap.py); then this very command starts
    again with .venv/bin/python, so that everything (dev requirements, linters) runs there.
    """
    if odoo_version():
        return
    if os.environ.get("ODOO_PYTHON"):
        raise HarnessError(
            f"ODOO_PYTHON={os.environ['ODOO_PYTHON']} cannot import Odoo 19.0: point it at a "
            "Python that can, or unset it to have Odoo set up in .venv/."
        )
    if bootstrap.is_this_venv():
        raise HarnessError(
            f"The project's {bootstrap.VENV} cannot import Odoo 19.0: remove it "
            "(`rm -rf .venv`) and run the command again to set it up afresh."
        )
    if not bootstrap.ready():
        try:
            bootstrap.bootstrap(bootstrap.source_from_environment())
        except bootstrap.BootstrapError as exc:
            raise HarnessError(str(exc)) from None
    python = str(bootstrap.venv_python())
    say(f"\n==> Odoo 19.0 from the project's virtualenv: {python}")
    os.execv(python, [python, str(Path(__file__).resolve()), *sys.argv[1:]])


# The Debian packages of the programs each command runs, by what is missing.
SYSTEM_PACKAGES = {
    "postgresql": "PostgreSQL's server programs (initdb, pg_ctl)",
    "dovecot-imapd": "Dovecot, the IMAP server of the mailbox tests and of the demo's mailboxes",
    "chromium": "Chromium, the browser of the tours",
}


def missing_system_packages(names: tuple[str, ...]) -> list[str]:
    """The Debian packages among ``names`` whose programs this machine lacks."""
    present = {
        "postgresql": bool(pg_bindir()) or any(os.environ.get(var) for var in PG_VARS),
        "dovecot-imapd": all(
            os.access(path, os.X_OK)
            for path in (
                os.environ.get("MLC_DOVECOT", "/usr/sbin/dovecot"),
                os.environ.get("MLC_DOVEADM", "/usr/bin/doveadm"),
            )
        ),
        "chromium": any(
            shutil.which(name)
            for name in ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")
        ),
    }
    return [name for name in names if not present[name]]


def require_system_packages(names: tuple[str, ...], command: str) -> None:
    missing = missing_system_packages(names)
    if missing:
        what = "; ".join(SYSTEM_PACKAGES[name] for name in missing)
        raise HarnessError(
            f"`{command}` needs programs this machine lacks ({what}). Install them with:\n"
            f"    sudo apt-get install -y --no-install-recommends {' '.join(missing)}"
        )


def addons_path() -> str:
    extra = [p for p in re.split(r"[,:]", os.environ.get("ODOO_ADDONS_PATH", "")) if p]
    return ",".join([str(ROOT), *extra])


def odoo_command(pg: Postgres, db: str, *args: str) -> list[str]:
    return [
        odoo_python(),
        "-m",
        "odoo",
        "server",
        f"--addons-path={addons_path()}",
        f"--database={db}",
        f"--db-filter=^{re.escape(db)}$",
        *pg.odoo_args(),
        *args,
    ]


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) ")


def addon_problems(log_text: str) -> list[str]:
    """Return the WARNING/ERROR/CRITICAL log records that come from, or name, the addon."""
    problems, record = [], []
    for line in [*log_text.splitlines(), ""]:
        match = LOG_LINE.match(line)
        if match or not line:
            if record and ADDON in "\n".join(record):
                problems.append("\n".join(record))
            record = []
        if match and match["level"] in ("WARNING", "ERROR", "CRITICAL"):
            record = [line]
        elif record and line:
            record.append(line)
    return problems


POT_PATH = ROOT / ADDON / "i18n" / f"{ADDON}.pot"


def export_pot(pg: Postgres, db: str, output: Path, module: str = ADDON) -> None:
    """Export a module's translation template from ``db`` (where it is installed) to ``output``."""
    config = RUN_DIR / "i18n-export.conf"
    options = {"addons_path": addons_path(), "db_host": pg.host, "db_port": pg.port}
    options["db_user"] = pg.user
    if pg.password:
        options["db_password"] = pg.password
    config.write_text("[options]\n" + "".join(f"{k} = {v}\n" for k, v in options.items()))
    cmd = [odoo_python(), "-m", "odoo", "i18n", "export", "-c", str(config), "-d", db]
    cmd += ["-o", str(output), module]
    with Spinner("Exporting the translation template"):
        result = subprocess.run(cmd, capture_output=True, text=True, env=pg.env(), check=False)
    if result.returncode != 0 or not output.is_file():
        tail = "\n".join(result.stderr.splitlines()[-15:])
        raise HarnessError(f"Exporting the translation template failed:\n{tail}")


def pot_terms(path: Path) -> set[tuple[str, str]]:
    """The (msgctxt, msgid) pairs of a .pot file: what translators are asked to translate."""
    terms, key, current = set(), None, {}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            key = line.split(" ", 1)[0]
            current[key] = line.split(" ", 1)[1]
        elif line.startswith('"') and key:
            current[key] += line
        elif not line.strip() and current:
            if current.get("msgid", '""') != '""':
                terms.add((current.get("msgctxt", ""), current["msgid"]))
            current, key = {}, None
    return terms


def check_pot(pg: Postgres, db: str) -> None:
    """Fail when the committed template lacks a term of the code, or keeps one it lost."""
    for module in MODULES:
        check_module_pot(pg, db, module)


def check_module_pot(pg: Postgres, db: str, module: str) -> None:
    fresh = RUN_DIR / f"{module}.pot"
    pot_path = ROOT / module / "i18n" / f"{module}.pot"
    export_pot(pg, db, fresh, module)
    if not pot_path.is_file():
        raise HarnessError(f"{pot_path.relative_to(ROOT)} is missing: run `make pot`.")
    missing = pot_terms(fresh) - pot_terms(pot_path)
    stale = pot_terms(pot_path) - pot_terms(fresh)
    if missing or stale:
        sample = next(iter(missing or stale))[1][:80]
        raise HarnessError(
            f"The translation template is out of date ({len(missing)} new term(s), {len(stale)} "
            f"gone, e.g. {sample}): run `make pot` and commit "
            f"{pot_path.relative_to(ROOT)}."
        )


def run_odoo_logged(pg: Postgres, db: str, log_path: Path, what: str, *args: str) -> None:
    """Run Odoo with --stop-after-init, log to a file, and fail on any warning from the addon."""
    cmd = odoo_command(pg, db, "--stop-after-init", f"--logfile={log_path}", *args)
    with Spinner(what):
        result = subprocess.run(cmd, capture_output=True, text=True, env=pg.env(), check=False)
    log_text = log_path.read_text(errors="replace") if log_path.exists() else ""
    if result.returncode != 0:
        tail = "\n".join((log_text or result.stderr).splitlines()[-25:])
        raise HarnessError(f"{what} failed (exit {result.returncode}); log {log_path}:\n{tail}")
    problems = addon_problems(log_text)
    if problems:
        raise HarnessError(
            f"{what}: the addon logged {len(problems)} warning(s) or error(s) (log {log_path}):\n"
            + "\n".join(problems[:10])
        )


class Spinner:
    """Show that long work is alive: a line with elapsed seconds, rewritten in place on a TTY."""

    def __init__(self, what: str):
        self.what = what
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.started = 0.0

    def _run(self) -> None:
        tty = sys.stdout.isatty()
        while not self.stop.wait(1 if tty else 30):
            elapsed = int(time.monotonic() - self.started)
            if tty:
                print(f"\r    {self.what}... {elapsed}s", end="", flush=True)
            else:
                say(f"    {self.what}: still working ({elapsed}s)")

    def __enter__(self):
        self.started = time.monotonic()
        say(f"    {self.what}...")
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        if sys.stdout.isatty():
            print("\r", end="")
        say(f"    {self.what}: {time.monotonic() - self.started:.0f}s")


# ----------------------------------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------------------------------


class Postgres:
    """A PostgreSQL server: host, port and role, with the client environment to reach it."""

    def __init__(self, host: str, port: str, user: str, password: str | None, description: str):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.description = description

    def env(self) -> dict[str, str]:
        env = dict(os.environ, PGHOST=self.host, PGPORT=self.port, PGUSER=self.user)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def odoo_args(self) -> list[str]:
        args = [f"--db_host={self.host}", f"--db_port={self.port}", f"--db_user={self.user}"]
        if self.password:
            args.append(f"--db_password={self.password}")
        return args

    def psql(self, sql: str, db: str = "postgres") -> str:
        result = subprocess.run(
            [pg_binary("psql"), "-X", "-w", "-q", "-t", "-A", "-d", db, "-c", sql],
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise HarnessError(
                f"PostgreSQL ({self.description}) refused `{sql}`: {first_line(result.stderr)}"
            )
        return result.stdout.strip()

    def create_database(self, db: str) -> None:
        self.drop_database(db)
        self.psql(f"CREATE DATABASE \"{db}\" ENCODING 'UTF8' TEMPLATE template0")

    def drop_database(self, db: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def pg_bindir() -> Path | None:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def pg_binary(name: str) -> str:
    bindir = pg_bindir()
    if bindir and (bindir / name).exists():
        return str(bindir / name)
    found = shutil.which(name)
    if not found:
        raise HarnessError(
            f"The PostgreSQL program `{name}` is not installed; install PostgreSQL "
            "(Debian: `apt-get install postgresql`) or set PGHOST/PGPORT/PGUSER to a server."
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def postgres():
    """Yield the PostgreSQL to use: the one named by PG* variables, or a private throwaway one."""
    if any(os.environ.get(var) for var in PG_VARS):
        yield external_postgres()
        return
    with private_cluster() as pg:
        yield pg


def external_postgres() -> Postgres:
    host = os.environ.get("PGHOST", "localhost")
    port = os.environ.get("PGPORT", "5432")
    user = os.environ.get("PGUSER") or os.environ.get("USER", "")
    desc = f"{user}@{host}:{port} from the PG* variables"
    if user == "postgres":
        raise HarnessError(
            "Odoo refuses to connect as the `postgres` superuser: set PGUSER to another role "
            "that may create databases."
        )
    pg = Postgres(host, port, user, os.environ.get("PGPASSWORD"), desc)
    try:
        pg.psql("SELECT 1")
    except (HarnessError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(
            f"PostgreSQL {desc} is not reachable ({exc}); fix PGHOST/PGPORT/PGUSER/PGPASSWORD, or "
            "unset them all to use a private throwaway cluster."
        ) from None
    return pg


@contextlib.contextmanager
def private_cluster():
    bindir = pg_bindir()
    if not bindir:
        raise HarnessError(
            "No PostgreSQL server programs (initdb) were found: install PostgreSQL "
            "(Debian: `apt-get install postgresql`) or set PGHOST/PGPORT/PGUSER to a server."
        )
    base = Path(tempfile.mkdtemp(prefix="mlc-pg-"))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL will not run as root: use its own system account.
        if not shutil.which("runuser"):
            raise HarnessError("Running as root needs `runuser` to start PostgreSQL as `postgres`.")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    pg = Postgres(str(sockets), str(port), "odoo", None, f"private cluster on port {port}")
    say(f"    PostgreSQL: private throwaway cluster in {base} (port {port})")
    try:
        run_quiet(
            [
                *as_user,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "odoo",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            "initdb",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run_quiet(
            [
                *as_user,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-t",
                "60",
                "-l",
                str(base / "server.log"),
                "-o",
                options,
                "start",
            ],
            "starting PostgreSQL",
        )
        yield pg
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *as_user,
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)


def run_quiet(cmd: list[str], what: str) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise HarnessError(f"{what} failed: {first_line(result.stderr or result.stdout)}")


# ----------------------------------------------------------------------------------------------
# make test
# ----------------------------------------------------------------------------------------------


class Steps:
    """Run named steps, keep going after a failure, and print a summary at the end."""

    def __init__(self):
        self.results: list[tuple[str, bool, float]] = []

    def run(self, name: str, cmd: list[str], env: dict | None = None) -> bool:
        section(name)
        say("    $ " + " ".join(cmd))
        started = time.monotonic()
        ok = subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode == 0
        self.results.append((name, ok, time.monotonic() - started))
        return ok

    def record(self, name: str, ok: bool, started: float) -> None:
        self.results.append((name, ok, time.monotonic() - started))

    @property
    def ok(self) -> bool:
        return all(ok for _name, ok, _s in self.results)

    def summary(self, partial: bool = False) -> None:
        section("Summary")
        for name, ok, seconds in self.results:
            say(f"    {'PASS' if ok else 'FAIL'}  {name}  ({seconds:.0f}s)")
        if partial:
            say("\n    PARTIAL RUN: Odoo is not importable, so the Odoo tests did NOT run.")
            say(f"    {ODOO_HINT}")


def install_dev_dependencies() -> None:
    section("Python dev dependencies (requirements-dev.txt)")
    result = subprocess.run(
        [
            PY,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "-r",
            str(ROOT / "requirements-dev.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
        raise HarnessError(
            "Installing the dev dependencies failed: "
            + (errors[0] if errors else first_line(result.stderr))
        )
    say("    up to date")


def no_skips_env(base: dict | None = None) -> dict[str, str]:
    """The environment in which ``-p pytest_no_skips`` (dev/pytest_no_skips.py) is importable."""
    env = dict(base or os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "dev"), env.get("PYTHONPATH")]))
    return env


def nodb_test_command(extra: list[str], no_skips: bool = False) -> list[str]:
    return [
        PY,
        "-m",
        "pytest",
        "-p",
        "no:odoo",
        "-p",
        "no:cacheprovider",
        *(["-p", "pytest_no_skips"] if no_skips else []),
        "--import-mode=importlib",
        "-q",
        *(extra or ["tests"]),
    ]


def lint(steps: Steps) -> None:
    steps.run("Lint: ruff", [PY, "-m", "ruff", "check", "."])
    steps.run("Lint: ruff format", [PY, "-m", "ruff", "format", "--check", "."])
    steps.run(
        "Lint: pylint-odoo (OCA mandatory checks)",
        [PY, "-m", "pylint", "--rcfile=.pylintrc", *MODULES],
    )


def packaging(steps: Steps) -> None:
    """Build the addon's wheel with whool, as `pip install ./mail_lead_capture` does."""
    section("Packaging: pip builds odoo-addon-mail_lead_capture with whool")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mlc-wheel-") as out:
        result = subprocess.run(
            [
                PY,
                "-m",
                "pip",
                "wheel",
                "--disable-pip-version-check",
                "-q",
                "--no-deps",
                "--no-build-isolation",
                "-w",
                out,
                str(ROOT / ADDON),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        wheels = [p.name for p in Path(out).glob("odoo_addon_mail_lead_capture-19.0.*.whl")]
    ok = result.returncode == 0 and len(wheels) == 1
    say(f"    {wheels[0] if ok else 'failed: ' + first_line(result.stderr)}")
    steps.record("Packaging (whool wheel)", ok, started)


def odoo_test_command(pg: Postgres, db: str, extra: list[str]) -> list[str]:
    cmd = [
        odoo_python(),
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "pytest_no_skips",
        f"--odoo-database={db}",
        f"--odoo-addons-path={addons_path()}",
        "--odoo-http",
        "--odoo-log-level=warn",
        "--odoo-extra=http-interface=127.0.0.1",
    ]
    for arg in pg.odoo_args():
        cmd.append("--odoo-extra=" + arg.removeprefix("--"))
    return [*cmd, "-q", *(extra or [f"{module}/tests" for module in MODULES])]


def cmd_test(args) -> int:
    ci = os.environ.get("CI", "").lower() == "true"
    steps = Steps()
    install_dev_dependencies()
    version = odoo_version()
    if not version:
        if ci:
            raise HarnessError(
                "Odoo 19.0 is not importable by python3 on this machine, so CI cannot run the Odoo "
                "tests in a real database."
            )
        section("Odoo is not importable: running the tests that need no database only")
        say(f"    {ODOO_HINT}")
        steps.run("Tests without a database (tests/)", nodb_test_command([]))
        lint(steps)
        packaging(steps)
        steps.summary(partial=True)
        return 0 if steps.ok else 1

    say(f"    Odoo {version} ({odoo_python()})")
    steps.run(
        "Tests without a database (tests/)",
        nodb_test_command([], no_skips=ci),
        env=no_skips_env(),
    )
    lint(steps)
    packaging(steps)
    RUN_DIR.mkdir(exist_ok=True)
    section("PostgreSQL")
    with postgres() as pg:
        db = f"mlc_test_{os.getpid()}"
        pg.create_database(db)
        try:
            section(f"Install and upgrade {ADDON} in the fresh database {db}")
            started = time.monotonic()
            try:
                run_odoo_logged(
                    pg,
                    db,
                    RUN_DIR / "install.log",
                    f"Installing {ADDON}",
                    "--init",
                    ",".join(MODULES),
                )
                run_odoo_logged(
                    pg, db, RUN_DIR / "upgrade.log", f"Upgrading {ADDON}", "--update", ADDON
                )
                steps.record("Install and upgrade, no warning from the addon", True, started)
            except HarnessError as exc:
                say(f"    {exc}")
                steps.record("Install and upgrade, no warning from the addon", False, started)
            else:
                started = time.monotonic()
                try:
                    check_pot(pg, db)
                    steps.record("Translation template up to date (i18n/*.pot)", True, started)
                except HarnessError as exc:
                    say(f"    {exc}")
                    steps.record("Translation template up to date (i18n/*.pot)", False, started)
                steps.run(
                    "Odoo tests in a real database (pytest-odoo, with HTTP for tours)",
                    odoo_test_command(pg, db, []),
                    env=no_skips_env(pg.env()),
                )
                if args.native:
                    steps.run(
                        "Odoo tests by Odoo's own runner (--test-tags)",
                        odoo_command(
                            pg,
                            db,
                            "--stop-after-init",
                            "--http-port",
                            str(free_port()),
                            "--test-tags=" + ",".join(f"/{m}" for m in MODULES),
                            "--log-level=test",
                        ),
                        env=pg.env(),
                    )
        finally:
            with contextlib.suppress(HarnessError, subprocess.TimeoutExpired):
                pg.drop_database(db)
    steps.summary()
    return 0 if steps.ok else 1


@contextlib.contextmanager
def installed_database(kind: str):
    """A PostgreSQL, a fresh database ``mlc_<kind>_<pid>`` with the addon installed; dropped after.

    Yields ``(pg, db)``.
    """
    RUN_DIR.mkdir(exist_ok=True)
    with postgres() as pg:
        db = f"mlc_{kind}_{os.getpid()}"
        pg.create_database(db)
        try:
            log = RUN_DIR / f"{kind}-install.log"
            run_odoo_logged(pg, db, log, f"Installing {ADDON}", "--init", ",".join(MODULES))
            yield pg, db
        finally:
            with contextlib.suppress(HarnessError, subprocess.TimeoutExpired):
                pg.drop_database(db)


def cmd_pytest(args) -> int:
    """Run chosen Odoo tests: a fresh database with the addon installed, then pytest-odoo."""
    if not odoo_version():
        raise HarnessError("Odoo 19.0 is not importable. " + ODOO_HINT)
    with installed_database("test") as (pg, db):
        return subprocess.run(
            odoo_test_command(pg, db, args.pytest_args),
            cwd=ROOT,
            env=no_skips_env(pg.env()),
            check=False,
        ).returncode


# ----------------------------------------------------------------------------------------------
# make bench
# ----------------------------------------------------------------------------------------------

# Benchmarks that need a database with the addon installed get one, fresh, and Odoo's options.
DB_BENCHES = ("capture", "hostile", "mailbox", "mailbox_latency", "mailbox_scale")


def cmd_pot(args) -> int:
    """Write the addon's translation template from a fresh database where it is installed."""
    if not odoo_version():
        raise HarnessError(
            "Exporting translations needs Odoo, which is not importable. " + ODOO_HINT
        )
    with installed_database("pot") as (pg, db):
        for module in MODULES:
            pot_path = ROOT / module / "i18n" / f"{module}.pot"
            pot_path.parent.mkdir(exist_ok=True)
            export_pot(pg, db, pot_path, module)
            say(f"    {pot_path.relative_to(ROOT)}: {len(pot_terms(pot_path))} terms")
    return 0


def cmd_bench(args) -> int:
    names = args.names or sorted(p.stem for p in (ROOT / "bench").glob("[a-z]*.py"))
    unknown = [n for n in names if not (ROOT / "bench" / f"{n}.py").is_file()]
    if unknown:
        raise HarnessError(f"No benchmark named {', '.join(unknown)}: see the files in bench/.")
    status = 0
    for name in (n for n in names if n not in DB_BENCHES):
        section(f"Benchmark {name}")
        status |= subprocess.run(
            [PY, str(ROOT / "bench" / f"{name}.py")], cwd=ROOT, check=False
        ).returncode
    db_names = [n for n in names if n in DB_BENCHES]
    if not db_names:
        return status
    if not odoo_version():
        raise HarnessError("These benchmarks run in Odoo, which is not importable. " + ODOO_HINT)
    with installed_database("bench") as (pg, db):
        for name in db_names:
            section(f"Benchmark {name} (database {db})")
            cmd = [
                odoo_python(),
                str(ROOT / "bench" / f"{name}.py"),
                "--database",
                db,
                *shlex.split(os.environ.get("BENCH_ARGS", "")),
                "--",
                f"--addons-path={addons_path()}",
                *pg.odoo_args(),
                "--log-level=warn",
                "--http-interface=127.0.0.1",
            ]
            status |= subprocess.run(cmd, cwd=ROOT, env=pg.env(), check=False).returncode
    return status


# ----------------------------------------------------------------------------------------------
# make demo / make push
# ----------------------------------------------------------------------------------------------

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


def load_module(name: str, path: Path):
    """Import a plain module by file path (the addon's Odoo-free test helpers, for instance)."""
    import importlib.util  # noqa: PLC0415

    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


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


def demo_capture_address(models, db: str, uid: int) -> str | None:
    companies = models.execute_kw(
        db, uid, "admin", "res.company", "search_read", [[]], {"fields": ["lead_capture_email"]}
    )
    return next((c["lead_capture_email"] for c in companies if c.get("lead_capture_email")), None)


def cmd_push(args) -> int:
    import xmlrpc.client  # noqa: PLC0415

    state = read_demo_state()
    if not state:
        raise HarnessError(
            "No demo is running: start one with `make demo` in another terminal first."
        )
    path = Path(args.eml)
    if not path.is_file():
        raise HarnessError(
            f"{path} is not a file: give the path of a raw email, e.g. EML=message.eml."
        )
    raw = path.read_bytes()
    url, db = state["url"], state["db"]
    try:
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        uid = common.authenticate(db, "admin", "admin", {})
        models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        recipient = args.to or demo_capture_address(models, db, uid)
        last_log = max(
            models.execute_kw(db, uid, "admin", "mail.capture.log", "search", [[]], {"limit": 1})
            or [0]
        )
        if recipient:
            # What a mail server delivering to that address adds, so that BCC copies are routed.
            raw = f"Delivered-To: {recipient}\r\n".encode() + raw
        # The very call Odoo's mailgate script (mail/static/scripts/odoo-mailgate.py) makes.
        result = models.execute_kw(
            db,
            uid,
            "admin",
            "mail.thread",
            "message_process",
            [False, xmlrpc.client.Binary(raw)],
            {},
        )
    except xmlrpc.client.Fault as fault:
        text = fault.faultString
        if "No possible route" in text:
            raise HarnessError(
                "Odoo found no alias among this mail's recipients: address it (To, Cc or "
                "Delivered-To) to the capture address `make demo` printed."
            ) from None
        raise HarnessError(f"Odoo refused the mail: {first_line(text.splitlines()[-1])}") from None
    except OSError as exc:
        raise HarnessError(f"Could not reach the demo at {url}: {exc}.") from None
    decisions = models.execute_kw(
        db,
        uid,
        "admin",
        "mail.capture.log",
        "search_read",
        [[("id", ">", last_log)]],
        {"fields": ["trace"], "order": "id"},
    )
    if decisions:
        for decision in decisions:
            say(f"{path.name}: {decision['trace']}")
    elif result is False:
        say(f"{path.name}: ignored by Odoo, a mail with the same Message-Id was already received.")
    else:
        say(f"{path.name}: delivered to Odoo's mail gateway (not for the capture address).")
    say(f"See it at {url} (CRM > Configuration > Email Capture > Capture Log).")
    return 0


def cmd_push_imap(args) -> int:
    """Append a raw mail to a demo mailbox on the demo's Dovecot, sync it, say where it went."""
    import email  # noqa: PLC0415
    import email.policy  # noqa: PLC0415
    import email.utils  # noqa: PLC0415
    import imaplib  # noqa: PLC0415
    import xmlrpc.client  # noqa: PLC0415

    state = read_demo_state()
    if not state or "imap" not in state:
        raise HarnessError(
            "No demo is running: start one with `make demo` in another terminal first."
        )
    demo = demo_mailboxes_module()
    mailboxes = {m.imap_login: m for m in demo.MAILBOXES}
    if args.to not in mailboxes:
        raise HarnessError(
            f"There is no demo mailbox {args.to!r}: choose TO={' or TO='.join(mailboxes)}."
        )
    mailbox = mailboxes[args.to]
    path = Path(args.eml)
    if not path.is_file():
        raise HarnessError(
            f"{path} is not a file: give the path of a raw email, e.g. EML=message.eml."
        )
    raw = re.sub(rb"(?<!\r)\n", b"\r\n", path.read_bytes())  # IMAP wants CRLF line ends
    parsed = email.message_from_bytes(raw, policy=email.policy.SMTP)
    message_id = (parsed["Message-ID"] or "").strip()
    if not message_id:
        message_id = email.utils.make_msgid(domain="push-imap.invalid")
        raw = f"Message-ID: {message_id}\r\n".encode() + raw
    imap, url, db = state["imap"], state["url"], state["db"]
    try:
        client = imaplib.IMAP4(imap["host"], imap["port"], timeout=10)
        try:
            client.login(mailbox.imap_login, f"{mailbox.imap_login}-password")
            typ, data = client.append(f'"{args.folder}"', None, None, raw)
        finally:
            with contextlib.suppress(Exception):
                client.logout()
    except (OSError, imaplib.IMAP4.error) as exc:
        raise HarnessError(f"The demo's IMAP server refused the mail: {exc}.") from None
    if typ != "OK":
        raise HarnessError(
            f"The demo's IMAP server refused the mail in {args.folder}: {data!r} (folders: INBOX, "
            "Sent, Archive)."
        )
    say(f"{path.name}: appended to {mailbox.imap_login}'s {args.folder} ({message_id})")
    login = mailbox.user_login
    try:
        common, models = demo_rpc(url)
        uid = common.authenticate(db, login, login, {})
        ids = models.execute_kw(
            db, uid, login, "mail.capture.mailbox", "search", [[("user_id", "=", uid)]]
        )
        # What the salesperson's "Sync Now" button does.
        models.execute_kw(db, uid, login, "mail.capture.mailbox", "action_sync_now", [ids[:1]])
        # As the owner: a private synced mail is theirs only (the administrator does not see it).
        found = models.execute_kw(
            db,
            uid,
            login,
            "mail.message",
            "search_read",
            [[("message_id", "=", message_id), ("model", "=", "crm.lead")]],
            {"fields": ["res_id", "record_name"]},
        )
    except xmlrpc.client.Fault as fault:
        raise HarnessError(
            f"Odoo refused: {first_line(fault.faultString.splitlines()[-1])}"
        ) from None
    except OSError as exc:
        raise HarnessError(f"Could not reach the demo at {url}: {exc}.") from None
    if found:
        for row in found:
            say(
                f"{path.name}: synced onto the lead {row['record_name']!r}: "
                f"{url}/odoo/crm.lead/{row['res_id']}"
            )
    else:
        say(
            f"{path.name}: synced, but filed on no lead: none has its participants as contacts"
            + ("" if mailbox.auto_create else f", and {login}'s mailbox creates no leads")
            + " (or it is robot mail, or mail between colleagues)."
        )
    return 0


# ----------------------------------------------------------------------------------------------


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
