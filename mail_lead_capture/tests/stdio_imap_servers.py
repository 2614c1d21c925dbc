"""IMAP servers other than Dovecot, run from their Debian packages for the tests: Courier-IMAP,
GNU Mailutils' imap4d and Cyrus IMAP.

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

Cyrus IMAP cannot serve a session on stdin (its ``imapd`` refuses to run outside its ``master``):
:class:`CyrusServer` runs Cyrus's own ``master`` on 127.0.0.1 with a private configuration
directory and a throwaway partition, as the unprivileged user (``nobody`` when we are root: Cyrus
refuses to run as root), logins checked by SASL's ``alwaystrue`` (any password) and each user's
INBOX created at its first login (``autocreate_quota``). ``separator="."`` is Cyrus's classic
namespace (``INBOX.Sent``); ``separator="/"`` its current default (``unixhierarchysep`` and
``altnamespace``: ``Sent``, ``Archive/2026``).

Run as a script (``python3 stdio_imap_servers.py``), it downloads and unpacks every server, as
``.ci/run`` does before the tests.
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
import time
from pathlib import Path

if __package__:  # imported by the Odoo tests
    from . import dovecot_server
else:  # loaded by path (tests/conftest.py), or run as a script
    try:
        import dovecot_server
    except ImportError:  # as a script, before the test dependencies are installed
        dovecot_server = None

HOST = "127.0.0.1"
_Listener = dovecot_server._Listener if dovecot_server else object

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
    # cyrus-common has the master, imapd and the tools; cyrus-imapd only the service's files
    "cyrus": ["cyrus-common", "cyrus-imapd", "libxapian30", "libical3", "libpcre3"],
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


class _MailHelpers:
    """Seeding and checking mail over IMAP as the user (any of these servers, any password)."""

    host = HOST
    port = 0
    prefix = ""  # where a user's folders are: "INBOX." when they live under the INBOX
    delimiter = "/"

    @property
    def plain_port(self) -> int:
        return self.port

    @staticmethod
    def password_of(login: str) -> str:
        return f"{login}-password"

    def folder(self, *parts: str) -> str:
        """The full name of a folder (``folder("Archive", "2026")``), as the server lists it."""
        return self.prefix + self.delimiter.join(parts)

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

    def create_folder(self, login: str, folder: str) -> None:
        """Create a folder (and its parents), fails harmlessly when it exists."""
        with self.imap(login) as client:
            client.create(wire(folder))

    def append(self, login: str, folder: str, messages, *, flags: str = "") -> list[int]:
        """APPEND messages to a folder (created if needed; any name, encoded in modified UTF-7);
        returns their UIDs when the server says them (UIDPLUS), else zeros."""
        if isinstance(messages, bytes):
            messages = [messages]
        uids = []
        with self.imap(login) as client:
            if folder.upper() != "INBOX":
                client.create(wire(folder))
            for raw in messages:
                typ, data = client.append(wire(folder), f"({flags})" if flags else None, None, raw)
                if typ != "OK":
                    raise RuntimeError(f"APPEND to {folder!r} failed: {data!r}")
                match = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
                uids.append(int(match.group(1)) if match else 0)
        return uids

    def message_ids(self, login: str, folder: str) -> list[str]:
        """The Message-Ids of the mail in a folder, by UID."""
        with self.imap(login) as client:
            typ, _data = client.select(wire(folder), readonly=True)
            if typ != "OK":
                raise RuntimeError(f"{folder!r} cannot be selected: {_data!r}")
            typ, data = client.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        found = []
        for item in data if typ == "OK" else []:
            if isinstance(item, tuple):
                match = re.search(rb"<[^<>\s]+>", item[1])
                found.append(match.group(0).decode() if match else None)
        return found

    def uids(self, login: str, folder: str) -> list[int]:
        with self.imap(login) as client:
            typ, _data = client.select(wire(folder), readonly=True)
            if typ != "OK":
                raise RuntimeError(f"{folder!r} cannot be selected: {_data!r}")
            typ, data = client.uid("SEARCH", None, "ALL")
        return sorted(int(uid) for uid in (data[0] or b"").split()) if typ == "OK" else []


def wire(folder: str) -> str:
    """A folder name as IMAP sends it: modified UTF-7, quoted."""
    from imapclient import imap_utf7  # noqa: PLC0415 (not needed to fetch the servers)

    encoded = imap_utf7.encode(folder).decode("ascii")
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


class StdioImapServer(_MailHelpers, _Listener):
    """One server process per connection, logged in as the client's LOGIN (see the module)."""

    kind = ""
    name = ""

    def __init__(self):
        self.root = unpacked_root(self.kind)
        self.data = Path(tempfile.mkdtemp(prefix=f"mlc-{self.kind}-"))
        self.host = HOST
        self._processes: list[subprocess.Popen] = []
        try:
            self._check()
        except BaseException:
            shutil.rmtree(self.data, ignore_errors=True)
            raise
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


def _first_astring(text: str) -> str:
    match = re.match(r'\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))', text)
    if not match:
        return ""
    return re.sub(r"\\(.)", r"\1", match.group(1)) if match.group(1) is not None else match.group(2)


class CourierServer(StdioImapServer):
    """Courier-IMAP's ``imapd`` on a Maildir per login; folders are ``INBOX.<name>``."""

    kind = "courier"
    name = "Courier-IMAP"
    prefix = "INBOX."
    delimiter = "."

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
            # Debian's default is 1: its maildir lock waits for the FAM/Gamin server (absent)
            # for about a second on every APPEND; the tests never write one folder from two
            # sessions at once
            "IMAP_USELOCKS": "0",
            "IMAP_KEYWORDS": "1",
            "IMAP_TRASHFOLDERNAME": "Trash",
            "IMAP_MOVE_EXPUNGE_TO_TRASH": "0",
            "TCPREMOTEIP": HOST,
        }


class MailutilsServer(StdioImapServer):
    """GNU Mailutils' ``imap4d``: an mbox INBOX and mbox folders per login."""

    kind = "mailutils"
    name = "GNU Mailutils imap4d"
    prefix = ""
    delimiter = "/"

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


CYRUS_START_TIMEOUT = 30.0
CYRUS_DB_DIRECTORIES = (
    "db",
    "socket",
    "proc",
    "log",
    "msg",
    "user",
    "quota",
    "lock",
    "sieve",
    "sync",
)


class CyrusServer(_MailHelpers):
    """Cyrus IMAP's ``master`` and ``imapd`` on 127.0.0.1 (see the module); a fresh server each."""

    kind = "cyrus"

    def __init__(self, separator: str = "."):
        if separator not in (".", "/"):
            raise ValueError("Cyrus separates folder names with '.' or '/'")
        self.separator = separator
        self.delimiter = separator
        self.prefix = "INBOX." if separator == "." else ""  # altnamespace with '/'
        self.name = f"Cyrus IMAP ({separator!r} separator)"
        self.root = unpacked_root(self.kind)
        self.bin = self.root / "usr/lib/cyrus/bin"
        if not (self.bin / "master").exists():
            raise ServerUnavailable(f"Cyrus's master is not in {self.bin}: remove {self.root}")
        try:
            self._uid, self._gid, self._user, _group = dovecot_server._run_as()
        except dovecot_server.DovecotUnavailable as exc:  # its reason holds for Cyrus too
            raise ServerUnavailable(str(exc).replace("Dovecot", "Cyrus")) from exc
        self.data = Path(tempfile.mkdtemp(prefix="mlc-cyrus-"))
        self._users = 0
        self._process: subprocess.Popen | None = None
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _write_config(self) -> Path:
        conf = self.data / "conf"
        for sub in CYRUS_DB_DIRECTORIES:
            (conf / sub).mkdir(parents=True, exist_ok=True)
        (self.data / "partition").mkdir(exist_ok=True)
        imapd_conf = self.data / "imapd.conf"
        unix = "yes" if self.separator == "/" else "no"
        imapd_conf.write_text(
            f"configdirectory: {conf}\n"
            "defaultpartition: default\n"
            f"partition-default: {self.data / 'partition'}\n"
            f"cyrus_user: {self._user}\n"
            "servername: localhost\n"
            "syslog_prefix: mlc-cyrus\n"
            # any password (the other test servers' bridge does the same); LOGIN over plain text
            "sasl_pwcheck_method: alwaystrue\n"
            "sasl_mech_list: PLAIN\n"
            "allowplaintext: yes\n"
            # a user's INBOX is made at their first login
            "autocreate_quota: 0\n"
            f"unixhierarchysep: {unix}\n"
            f"altnamespace: {unix}\n"
        )
        imapd = f"{self.bin / 'imapd'} -C {imapd_conf}"
        (self.data / "cyrus.conf").write_text(
            "START {\n"
            f'  recover cmd="{self.bin / "ctl_cyrusdb"} -C {imapd_conf} -r"\n'
            "}\n"
            "SERVICES {\n"
            f'  imap cmd="{imapd}" listen="{HOST}:{self.port}" prefork=0\n'
            "}\n"
            "EVENTS {\n}\n"
        )
        if os.geteuid() == 0:
            for path in [self.data, *self.data.rglob("*")]:
                os.chown(path, self._uid, self._gid)
        return imapd_conf

    def _start(self) -> None:
        last_error = ""
        for _attempt in range(3):  # a free port may be taken by someone else meanwhile
            self.port = dovecot_server.free_port()
            imapd_conf = self._write_config()
            last_error = self._launch(imapd_conf)
            if not last_error:
                return
        raise ServerUnavailable(f"{self.name} did not start: {last_error}")

    def _launch(self, imapd_conf: Path) -> str:
        """Start the master; return "" once imapd greets, else why not."""
        kwargs = {}
        if os.geteuid() == 0:
            kwargs = {"user": self._uid, "group": self._gid, "extra_groups": []}
        log = self.data / "master.log"
        with open(log, "wb") as output:
            self._process = subprocess.Popen(
                [
                    str(self.bin / "master"),
                    "-C",
                    str(imapd_conf),
                    "-M",
                    str(self.data / "cyrus.conf"),
                    "-p",
                    str(self.data / "master.pid"),
                    "-D",
                ],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env={"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": _library_path(self.root)},
                cwd=self.data,
                start_new_session=True,
                preexec_fn=dovecot_server._die_with_parent,
                **kwargs,
            )
        deadline = time.monotonic() + CYRUS_START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                code, self._process = self._process.returncode, None
                output = log.read_text(errors="replace").strip()[-1000:]
                return (
                    f"its master exited with status {code} (it reports to syslog){': ' if output else ''}"
                    f"{output}"
                )
            with contextlib.suppress(OSError):
                with socket.create_connection((HOST, self.port), timeout=2) as sock:
                    sock.settimeout(5)
                    if sock.recv(128).startswith(b"* OK"):
                        return ""
            time.sleep(0.1)
        self._terminate()
        return f"no IMAP greeting on {HOST}:{self.port} within {CYRUS_START_TIMEOUT:.0f} s"

    def _terminate(self) -> None:
        """Stop the master and every imapd it started: they share its process group."""
        process, self._process = self._process, None
        dovecot_server.kill_group(process)

    def stop(self) -> None:
        self._terminate()
        shutil.rmtree(self.data, ignore_errors=True)

    def add_user(self) -> tuple[str, str]:
        """A new login; its INBOX is made at its first login."""
        self._users += 1
        login = f"user{self._users}"
        with self.imap(login) as client:
            client.select("INBOX")
        return login, self.password_of(login)


if __name__ == "__main__":
    # download and unpack every server once, as .ci/run does before the tests
    import sys

    try:
        for each in PACKAGES:
            sys.stdout.write(f"{each}: {unpacked_root(each)}\n")
    except ServerUnavailable as exc:
        sys.exit(f"The IMAP servers for the tests cannot be fetched: {exc}")
