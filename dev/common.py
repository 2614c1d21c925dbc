"""What every part of the harness shares: the project's paths, the one error a user can fix,
printing (say, section, Spinner) and small helpers. Standard library only."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = "mail_lead_capture"
# Sign in with Google / Microsoft: bridges to Odoo's google_gmail and microsoft_outlook, installed,
# linted and tested with the addon.
BRIDGES = ("mail_lead_capture_gmail", "mail_lead_capture_outlook")
MODULES = (ADDON, *BRIDGES)
RUN_DIR = ROOT / ".run"


PY = sys.executable


class HarnessError(Exception):
    """A problem the user can fix: printed as one sentence, exit status 1."""


def say(message: str = "") -> None:
    print(message, flush=True)


def section(title: str) -> None:
    say(f"\n==> {title}")


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


def first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def database_cpu(cr) -> float | None:
    """CPU seconds the PostgreSQL backends of this database used so far (a server on this
    machine: ``/proc``), or None when they cannot be read."""
    cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    total = 0
    try:
        for (pid,) in cr.fetchall():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")
