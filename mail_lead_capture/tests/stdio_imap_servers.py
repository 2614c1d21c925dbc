"""IMAP servers other than Dovecot, run from their Debian packages for the tests: Courier-IMAP and
GNU Mailutils' imap4d.

Plain module with no Odoo import (loaded by path, like ``dovecot_server``). Their packages conflict
with Dovecot's, so they are not installed: :func:`unpacked_root` downloads them with
``apt-get download`` and unpacks them with ``dpkg -x`` into a cache directory (``.cache/imap-servers``
at the repository's root, or ``$MLC_IMAP_SERVERS_CACHE``), once.

Both servers can serve one session on stdin/stdout, already logged in (``PREAUTH``), as inetd would
start them: Courier's ``imapd`` with ``AUTHENTICATED`` set, and ``imap4d --inetd --preauth``.
:class:`StdioImapServer` listens on 127.0.0.1 and starts one server process per connection for the
login the client gives. It greets the client with ``* OK`` instead of ``* PREAUTH`` and answers
``LOGIN`` itself (any password), so that the code under test logs in as it would anywhere; every
other byte goes to and comes from the real server untouched.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

from dovecot_server import HOST
from dovecot_server import _Listener

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("MLC_IMAP_SERVERS_CACHE", REPO_ROOT / ".cache" / "imap-servers"))
# Debian packages (bookworm) of each server and the libraries they need beyond Odoo's machine.
PACKAGES = {
    "courier": [
        "courier-imap",
        "courier-base",
        "courier-authlib",
        "libcourier-unicode4",
        "libgamin0",
        "libgssglue1",
        "libpcre3",
        "libidn12",
    ],
    "mailutils": [
        "mailutils-imap4d",
        "libmailutils9",
        "libgsasl18",
        "libntlm0",
        "libidn12",
        "libmariadb3",
        "mariadb-common",
        "libgssglue1",
        "libpcre3",
    ],
}
COURIER_CAPABILITY = (
    # Debian's /etc/courier/imapd
    "IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE"
)


class ServerUnavailable(RuntimeError):
    """The packages could not be downloaded or the server does not run here: the text says why."""


def unpacked_root(kind: str) -> Path:
    """The directory the packages of ``kind`` ("courier", "mailutils") are unpacked in."""
    root = CACHE / kind
    if (root / ".complete").exists():
        return root
    if not shutil.which("apt-get") or not shutil.which("dpkg"):
        raise ServerUnavailable("apt-get and dpkg are needed to fetch the IMAP servers' packages")
    debs = CACHE / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["apt-get", "download", *PACKAGES[kind]],
        cwd=debs,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise ServerUnavailable(f"apt-get download failed: {result.stderr.strip()[-500:]}")
    root.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES[kind]:
        for deb in debs.glob(f"{package}_*.deb"):
            subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True, timeout=120)
    (root / ".complete").write_text("unpacked\n")
    return root


def _library_path(root: Path) -> str:
    return ":".join(
        str(root / sub) for sub in ("usr/lib/x86_64-linux-gnu", "usr/lib", "lib/x86_64-linux-gnu")
    )


class StdioImapServer(_Listener):
    """One server process per connection, logged in as the client's LOGIN (see the module)."""

    kind = ""
    name = ""

    def __init__(self):
        self.root = unpacked_root(self.kind)
        self.data = Path(tempfile.mkdtemp(prefix=f"mlc-{self.kind}-"))
        self.host = HOST
        self._processes: list[subprocess.Popen] = []
        self._check()
        super().__init__()

    # what each server needs
    def command(self, login: str) -> tuple[list[str], dict[str, str], Path]:
        raise NotImplementedError

    def _check(self) -> None:
        """Run one session that logs out at once: raises ServerUnavailable when it cannot."""
        args, env, cwd = self.command("probe")
        try:
            result = subprocess.run(
                args, input=b"a LOGOUT\r\n", capture_output=True, env=env, cwd=cwd, timeout=20
            )
        except OSError as exc:
            raise ServerUnavailable(f"{self.name} does not start: {exc}") from exc
        if b"PREAUTH" not in result.stdout:
            raise ServerUnavailable(
                f"{self.name} did not start: {(result.stdout + result.stderr)[-500:]!r}"
            )

    @property
    def plain_port(self) -> int:
        return self.port

    @staticmethod
    def password_of(login: str) -> str:
        return f"{login}-password"

    def stop(self) -> None:
        self._stop_processes()
        return super().stop()

    def _stop_processes(self) -> None:
        for process in self._processes:
            with contextlib.suppress(OSError):
                process.kill()
            with contextlib.suppress(Exception):
                process.wait(timeout=5)
        shutil.rmtree(self.data, ignore_errors=True)

    # the bridge
    def handle(self, connection: socket.socket) -> None:
        send_lock = threading.Lock()

        def send(data: bytes) -> None:
            with send_lock:
                connection.sendall(data)

        send(f"* OK {self.name} (test bridge) ready\r\n".encode())
        reader = connection.makefile("rb")
        process = None
        while process is None:
            line = reader.readline()
            if not line:
                return
            tag, _sep, rest = line.decode(errors="replace").strip().partition(" ")
            command, _sep, arguments = rest.partition(" ")
            command = command.upper()
            if command == "LOGIN":
                login = _first_astring(arguments)
                process = self._start(login)
                send(f"{tag} OK LOGIN completed\r\n".encode())
            elif command == "CAPABILITY":
                send(f"* CAPABILITY IMAP4rev1\r\n{tag} OK CAPABILITY completed\r\n".encode())
            elif command == "LOGOUT":
                send(f"* BYE bye\r\n{tag} OK LOGOUT completed\r\n".encode())
                return
            else:
                send(f"{tag} BAD log in first\r\n".encode())
        # the server's greeting (PREAUTH, and Courier's alert about file monitoring) is ours to eat
        output = process.stdout
        while True:
            line = output.readline()
            if not line or line.startswith(b"* PREAUTH"):
                break

        def from_server() -> None:
            with contextlib.suppress(OSError, ValueError):
                while data := output.read1(65536):
                    send(data)
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

        pump = threading.Thread(target=from_server, daemon=True)
        pump.start()
        with contextlib.suppress(OSError, ValueError):
            while data := reader.read1(65536):
                process.stdin.write(data)
                process.stdin.flush()
        with contextlib.suppress(OSError):
            process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        pump.join(timeout=5)

    def _start(self, login: str) -> subprocess.Popen:
        args, env, cwd = self.command(login)
        process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        self._processes.append(process)
        return process

    def add_user(self) -> tuple[str, str]:
        login = f"user{len(list(self.data.glob('user*'))) + 1}"
        self.command(login)  # makes the mailbox
        return login, self.password_of(login)

    @contextlib.contextmanager
    def imap(self, login: str):
        """A logged-in ``imaplib`` connection, for seeding and checking mail."""
        client = imaplib.IMAP4(HOST, self.port, timeout=20)
        try:
            client.login(login, self.password_of(login))
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def append(self, login: str, folder: str, messages, *, flags: str = "") -> None:
        if isinstance(messages, bytes):
            messages = [messages]
        with self.imap(login) as client:
            if folder.upper() != "INBOX":
                client.create(folder)
            for raw in messages:
                typ, data = client.append(folder, f"({flags})" if flags else None, None, raw)
                if typ != "OK":
                    raise RuntimeError(f"APPEND to {folder!r} failed: {data!r}")


def _first_astring(text: str) -> str:
    match = re.match(r'\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))', text)
    if not match:
        return ""
    return re.sub(r"\\(.)", r"\1", match.group(1)) if match.group(1) is not None else match.group(2)


class CourierServer(StdioImapServer):
    """Courier-IMAP's ``imapd`` on a Maildir per login; folders are ``INBOX.<name>``."""

    kind = "courier"
    name = "Courier-IMAP"

    def command(self, login):
        home = self.data / login
        if not (home / "Maildir").exists():
            home.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [str(self.root / "usr/bin/maildirmake.courier"), "Maildir"],
                cwd=home,
                env=self._env(login, home),
                check=True,
                timeout=20,
            )
        return [str(self.root / "usr/bin/imapd"), "Maildir"], self._env(login, home), home

    def _env(self, login, home):
        return {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "LD_LIBRARY_PATH": _library_path(self.root),
            "AUTHENTICATED": login,
            "IMAP_CAPABILITY": COURIER_CAPABILITY,
            "IMAP_ENHANCEDIDLE": "0",
            "IMAP_USELOCKS": "1",
            "IMAP_KEYWORDS": "1",
            "IMAP_TRASHFOLDERNAME": "Trash",
            "IMAP_MOVE_EXPUNGE_TO_TRASH": "0",
            "TCPREMOTEIP": HOST,
        }


class MailutilsServer(StdioImapServer):
    """GNU Mailutils' ``imap4d``: an mbox INBOX and mbox folders per login."""

    kind = "mailutils"
    name = "GNU Mailutils imap4d"

    def command(self, login):
        home = self.data / login
        config = home / "imap4d.conf"
        if not config.exists():
            (home / "folders").mkdir(parents=True, exist_ok=True)
            (home / "inbox").touch()
            config.write_text(
                f'mailbox {{\n  mailbox-pattern "{home}/inbox";\n}};\n'
                f'namespace personal {{\n  prefix "" {{\n    directory "{home}/folders";\n'
                '    delimiter "/";\n  };\n};\n'
            )
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "LD_LIBRARY_PATH": _library_path(self.root),
        }
        args = [
            str(self.root / "usr/sbin/imap4d"),
            "--inetd",
            "--preauth",
            f"--config-file={config}",
        ]
        return args, env, home
