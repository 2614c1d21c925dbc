"""Which Odoo runs the commands, and how: Odoo 19.0 discovery (ODOO_PYTHON, this Python, else the
project's .venv/ through dev/bootstrap.py), the system programs each command needs, Odoo's command
line, and installs that fail on any warning from the addon."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import bootstrap
from common import ADDON
from common import MODULES
from common import PY
from common import ROOT
from common import RUN_DIR
from common import HarnessError
from common import Spinner
from common import say
from postgres import PG_VARS
from postgres import Postgres
from postgres import pg_bindir
from postgres import postgres

ODOO_HINT = (
    "`make test` and `make demo` set Odoo 19.0 up in .venv/ when python3 cannot import it (see "
    "README.md, 'Prerequisites'); or run with ODOO_PYTHON pointing at a Python that has it."
)


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
    os.execv(python, [python, str(ROOT / "dev" / "harness.py"), *sys.argv[1:]])


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
