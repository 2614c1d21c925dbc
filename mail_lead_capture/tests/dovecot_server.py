"""A private Dovecot IMAP server for the tests, and the misbehaving servers the tests need.

Plain module with no Odoo import: the no-database tests (``tests/conftest.py``) and the Odoo tests
load it by file path. Standard library only, plus ``cryptography`` (an Odoo requirement) for the
self-signed certificate.

:class:`DovecotServer` starts Debian's ``/usr/sbin/dovecot`` in the foreground from a temporary
directory holding everything (configuration, certificate, Maildir storage, sockets,
log), listening on 127.0.0.1 only, on free ports: ``plain_port`` (no TLS, STARTTLS offered) and
``tls_port`` (implicit TLS). It runs as the current user, or as ``nobody`` when started by root (the
whole tree then belongs to ``nobody``). Folders Sent, Drafts, Trash, Junk and Archive carry their
SPECIAL-USE flags; CONDSTORE, MOVE and UIDPLUS are offered (``imap_capability`` replaces the
post-login list, to play an older server). Authentication penalties are switched off so that a
wrong-password test does not slow the others down. :meth:`DovecotServer.stop` (or leaving the
``with`` block, or the interpreter exiting) stops it and removes the directory.

Also: :func:`build_message` (our own raw test emails), :class:`DroppingProxy` (a TCP proxy that
cuts the connection after N more bytes from the server), :class:`SilentServer` (accepts
connections, never answers) and :class:`ScriptedLoginServer` (greets, then refuses LOGIN with a
given text, as Gmail does when an app password is needed).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import datetime as dt
import grp
import hashlib
import imaplib
import ipaddress
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from email.utils import make_msgid
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DOVECOT = os.environ.get("MLC_DOVECOT", "/usr/sbin/dovecot")
DOVEADM = os.environ.get("MLC_DOVEADM", "/usr/bin/doveadm")
HOST = "127.0.0.1"
RIG_DOMAIN = "rig"  # the rig's own sessions log in as <login>@rig (see DovecotServer.imap)
SPECIAL_FOLDERS = {
    "Sent": "\\Sent",
    "Drafts": "\\Drafts",
    "Trash": "\\Trash",
    "Junk": "\\Junk",
    "Archive": "\\Archive",
}
START_TIMEOUT = 15.0
DIRECTORY_PREFIX = "mlc-dovecot-"
PR_SET_PDEATHSIG = 1  # linux/prctl.h
_counter = itertools.count(1)


class DovecotUnavailable(RuntimeError):
    """Dovecot is not installed, or could not start: the message says what to do."""


def dovecot_available() -> bool:
    return os.access(DOVECOT, os.X_OK) and os.access(DOVEADM, os.X_OK)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------------------------------------
# Test emails
# ----------------------------------------------------------------------------------------------


def build_message(
    *,
    sender: str,
    to: Iterable[str] = (),
    cc: Iterable[str] = (),
    subject: str = "Hello",
    body: str = "Hello,\n\nthis is a test message.\n",
    message_id: str | None = None,
    date: dt.datetime | None = None,
    in_reply_to: str | None = None,
    references: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> bytes:
    """A raw RFC 5322 email (CRLF line ends) with the given headers and a text body."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    if to:
        message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = format_datetime(date or dt.datetime.now(dt.UTC))
    message["Message-ID"] = message_id or make_msgid(domain="test.invalid")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = " ".join(references)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


# ----------------------------------------------------------------------------------------------
# Dovecot
# ----------------------------------------------------------------------------------------------


def _self_signed_certificate(directory: Path) -> tuple[Path, Path, str]:
    """An ECDSA certificate for localhost and 127.0.0.1, valid two days. Returns paths and PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    cert_path.write_bytes(cert_pem)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path, cert_pem.decode("ascii")


def _die_with_parent() -> None:
    """In the child before exec: have Linux stop Dovecot if the test process is killed outright
    (no atexit then), so that no server outlives its tests."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _remove_abandoned_directories() -> None:
    """Remove the directories of servers whose test process was killed before cleaning up."""
    for directory in Path(tempfile.gettempdir()).glob(DIRECTORY_PREFIX + "*"):
        try:
            owner = int((directory / "owner.pid").read_text())
        except (OSError, ValueError):
            continue
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(directory, ignore_errors=True)
        except OSError:
            continue


def _run_as() -> tuple[int, int, str, str]:
    """``(uid, gid, user, group)`` Dovecot runs as: ours, or nobody's when we are root."""
    if os.geteuid() == 0:
        try:
            entry = pwd.getpwnam("nobody")
        except KeyError as exc:
            raise DovecotUnavailable(
                "Running as root, the test Dovecot needs the unprivileged user 'nobody'; "
                "create it or run the tests as a normal user."
            ) from exc
        uid, gid = entry.pw_uid, entry.pw_gid
    else:
        uid, gid = os.geteuid(), os.getegid()
    try:
        user = pwd.getpwuid(uid).pw_name
        group = grp.getgrgid(gid).gr_name
    except KeyError as exc:
        raise DovecotUnavailable(
            f"The test Dovecot runs as uid {uid}, which has no name in /etc/passwd or /etc/group; "
            "run the tests as a user that has one."
        ) from exc
    return uid, gid, user, group


def kill_group(process) -> None:
    """Kill a throwaway server's master and every process it started (they share its process
    group: no need to be gentle), then reap it; ``None`` is a server already stopped."""
    if process is None:
        return
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    if process.stderr:
        process.stderr.close()


class DovecotServer:
    """A throwaway Dovecot on 127.0.0.1 (see the module's documentation).

    Any login works with the password :meth:`password_of` gives; :meth:`add_user` hands out new
    logins, so that each test has a mailbox of its own.
    """

    def __init__(
        self,
        *,
        imap_capability: str | None = None,
        oauth2_introspection_url: str | None = None,
        acl: bool = False,
        reuse_processes: bool = False,
    ):
        self.imap_capability = imap_capability
        # Dovecot's high-performance mode, as busy installations run it: login and imap processes
        # serve connection after connection instead of one process started for each (its default,
        # high-security mode). For the fleet bench, whose server shares the machine's cores.
        self.reuse_processes = reuse_processes
        # With a URL: XOAUTH2 and OAUTHBEARER logins too, their access tokens checked at each
        # login (no cache) by RFC 7662 introspection at that URL (see oauth_server.py).
        self.oauth2_introspection_url = oauth2_introspection_url
        self.acl = acl
        self.host = HOST
        self.plain_port = 0
        self.tls_port = 0
        self.root: Path | None = None
        self.certificate_pem = ""
        self.certificate_path: Path | None = None
        self.fingerprint = ""
        self._process: subprocess.Popen | None = None
        self._uid = self._gid = -1

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> DovecotServer:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        if self._process is not None:
            return
        if not dovecot_available():
            raise DovecotUnavailable(
                f"Dovecot is not installed ({DOVECOT} and {DOVEADM} are needed): install Debian's "
                "'dovecot-imapd' package (apt-get install dovecot-imapd)."
            )
        self._uid, self._gid, user, group = _run_as()
        _remove_abandoned_directories()
        self.root = Path(tempfile.mkdtemp(prefix=DIRECTORY_PREFIX))
        (self.root / "owner.pid").write_text(str(os.getpid()))
        atexit.register(self.stop)
        try:
            cert, key, self.certificate_pem = _self_signed_certificate(self.root)
            self.certificate_path = cert
            der = ssl.PEM_cert_to_DER_cert(self.certificate_pem)
            self.fingerprint = hashlib.sha256(der).hexdigest()
            for sub in ("run", "state", "home"):
                (self.root / sub).mkdir()
            last_error = ""
            for _attempt in range(3):  # a free port may be taken by someone else meanwhile
                self.plain_port, self.tls_port = free_port(), free_port()
                self._write_config(cert, key, user, group)
                self._chown_tree(self.root)
                last_error = self._launch()
                if not last_error:
                    return
            raise DovecotUnavailable(f"The test Dovecot did not start: {last_error}")
        except BaseException:
            self.stop()
            raise

    def _launch(self) -> str:
        """Start the master in the foreground; return "" once it answers, else why it failed."""
        log = self.root / "dovecot.log"
        log.unlink(missing_ok=True)
        for stale in (self.root / "run").iterdir():
            if stale.is_socket() or stale.is_fifo():
                stale.unlink()
        kwargs = {}
        if os.geteuid() == 0:
            kwargs = {"user": self._uid, "group": self._gid, "extra_groups": []}
        self._process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            **kwargs,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                stderr = self._process.stderr.read().decode(errors="replace")
                self._process = None
                log_text = log.read_text(errors="replace") if log.exists() else ""
                return (stderr + log_text).strip()[-2000:] or "it exited at once"
            with contextlib.suppress(OSError):
                with socket.create_connection((HOST, self.plain_port), timeout=1) as sock:
                    if sock.recv(64).startswith(b"* OK"):
                        return ""
            time.sleep(0.02)
        self._terminate()
        return f"no answer on port {self.plain_port} within {START_TIMEOUT:.0f} s"

    def _terminate(self) -> None:
        """Kill the master and every process it started: they all share its process group."""
        process, self._process = self._process, None
        kill_group(process)

    def stop(self) -> None:
        """Stop Dovecot (its master stops every process it started) and remove the directory."""
        self._terminate()
        root, self.root = self.root, None
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # ------------------------------------------------------------------ configuration

    @staticmethod
    def mailbox_of(login: str) -> str:
        """The mailbox a login opens: its part before any "@" (Dovecot's ``%n``), so that
        ``bob@acme.example`` (OAuth logins are addresses) and ``bob@rig`` open the same one."""
        return login.partition("@")[0]

    @classmethod
    def password_of(cls, login: str) -> str:
        """Every login is valid, with the password ``<mailbox>-password`` (see the passdb)."""
        return f"{cls.mailbox_of(login)}-password"

    def add_user(self) -> tuple[str, str]:
        """A new login with a fresh, empty mailbox; returns ``(login, password)``."""
        login = f"user{next(_counter)}"
        return login, self.password_of(login)

    def _write_config(self, cert: Path, key: Path, user: str, group: str) -> None:
        root = self.root
        mailboxes = "\n".join(
            f"  mailbox {name} {{\n    special_use = {flag}\n    auto = subscribe\n  }}"
            for name, flag in SPECIAL_FOLDERS.items()
        )
        capability = f"imap_capability = {self.imap_capability}\n" if self.imap_capability else ""
        mechanisms, oauth2_passdb = "plain login", ""
        if self.oauth2_introspection_url:
            mechanisms += " xoauth2 oauthbearer\nauth_cache_size = 0"
            (root / "oauth2.conf.ext").write_text(
                f"introspection_mode = post\nintrospection_url = {self.oauth2_introspection_url}\n"
                "username_attribute = email\nactive_attribute = active\nactive_value = true\n"
                "force_introspection = yes\n"
            )
            oauth2_passdb = (
                "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
                f"  args = {root}/oauth2.conf.ext\n}}\n"
            )
        if self.acl:  # per-folder rights in a "dovecot-acl" file (see refuse_folder)
            capability += (
                "mail_plugins = $mail_plugins acl\n"
                "protocol imap {\n  mail_plugins = $mail_plugins imap_acl\n}\n"
                "plugin {\n  acl = vfile\n}\n"
            )
        if self.reuse_processes:
            capability += (
                "service imap {\n  service_count = 0\n}\n"
                f"service imap-login {{\n  service_count = 0\n  process_min_avail = "
                f"{os.cpu_count() or 1}\n}}\n"
            )
        config = f"""# Written by mail_lead_capture's tests: a throwaway Dovecot 2.3 on {HOST}.
base_dir = {root}/run
state_dir = {root}/state
instance_name = mlc-dovecot-{os.getpid()}-{root.name}
log_path = {root}/dovecot.log
protocols = imap
listen = {HOST}
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
auth_failure_delay = 0
default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
first_valid_uid = {self._uid}
first_valid_gid = {self._gid}
mail_location = maildir:~/Maildir
mail_fsync = never
{capability}{oauth2_passdb}
# Any login is valid with the password "<login>-password": each test takes a fresh mailbox without
# telling the server (a passwd-file is re-read at most once a second). "<login>@{RIG_DOMAIN}" opens
# the same mailbox (%n drops the domain): the rig's own sessions use it, so that the log tells
# them apart from the sessions of the code under test.
passdb {{
  driver = static
  args = password={{PLAIN}}%n-password
}}
userdb {{
  driver = static
  args = uid={self._uid} gid={self._gid} home={root}/home/%n
}}
namespace inbox {{
  inbox = yes
  separator = /
{mailboxes}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {HOST}
    port = {self.plain_port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  # No authentication penalty: a socket the auth process may not open turns it off at once
  # (mode 0 would make it retry for five seconds first).
  unix_listener anvil-auth-penalty {{
    mode = 0400
  }}
}}
"""
        (root / "dovecot.conf").write_text(config)

    def _chown_tree(self, path: Path) -> None:
        if os.geteuid() != 0:
            return
        os.chown(path, self._uid, self._gid)
        for directory, dirnames, filenames in os.walk(path):
            for name in dirnames + filenames:
                os.chown(os.path.join(directory, name), self._uid, self._gid, follow_symlinks=False)

    # ------------------------------------------------------------------ clients

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate (and checks the host name)."""
        return ssl.create_default_context(cadata=self.certificate_pem)

    @contextlib.contextmanager
    def imap(self, login: str) -> Iterator[imaplib.IMAP4]:
        """A logged-in ``imaplib`` connection (plain port), for seeding and checking mail.

        It logs in as ``<mailbox>@rig``: the same mailbox, but a name of its own in Dovecot's log,
        so that :meth:`transfer_counts` counts only the sessions of the code under test.
        """
        client = imaplib.IMAP4(HOST, self.plain_port, timeout=10)
        try:
            client.login(f"{self.mailbox_of(login)}@{RIG_DOMAIN}", self.password_of(login))
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def append(
        self,
        login: str,
        folder: str,
        messages: Iterable[bytes] | bytes,
        *,
        flags: str = "",
        when: dt.datetime | None = None,
    ) -> list[int]:
        """APPEND messages to a folder (created if needed); returns their UIDs (UIDPLUS)."""
        if isinstance(messages, bytes):
            messages = [messages]
        uids = []
        with self.imap(login) as client:
            if folder.upper() != "INBOX":
                client.create(_quoted(folder))  # fails harmlessly when it exists
            stamp = imaplib.Time2Internaldate(when) if when else None
            for raw in messages:
                typ, data = client.append(
                    _quoted(folder), f"({flags})" if flags else None, stamp, raw
                )
                if typ != "OK":
                    raise RuntimeError(f"APPEND to {folder!r} failed: {data!r}")
                match = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
                uids.append(int(match.group(1)) if match else 0)
        return uids

    def create_folder(self, login: str, folder: str) -> None:
        with self.imap(login) as client:
            client.create(_quoted(folder))

    def recreate_folder(self, login: str, folder: str) -> None:
        """Delete and create a folder again: its mail is gone and its UIDVALIDITY changes."""
        with self.imap(login) as client:
            client.delete(_quoted(folder))
            client.create(_quoted(folder))

    def flags(self, login: str, folder: str) -> dict[int, set[str]]:
        """``{uid: flags}`` of a folder, read with EXAMINE (reading flags changes none)."""
        with self.imap(login) as client:
            client.select(_quoted(folder), readonly=True)
            typ, data = client.uid("FETCH", "1:*", "(FLAGS)")
        result = {}
        for line in data if typ == "OK" else []:
            uid = re.search(rb"UID (\d+)", line or b"")
            flags = re.search(rb"FLAGS \(([^)]*)\)", line or b"")
            if uid and flags:
                result[int(uid.group(1))] = set(flags.group(1).decode().split())
        return result

    def uids(self, login: str, folder: str) -> list[int]:
        return sorted(self.flags(login, folder))

    def transfer_counts(self, login: str, sessions: int = 1) -> dict[str, int]:
        """What the server sent to ``login`` over its finished IMAP sessions, from Dovecot's log:
        ``hdr_count``/``hdr_bytes`` (header fetches) and ``body_count``/``body_bytes`` (bodies).

        ``sessions`` is how many sessions the code under test opened as ``login`` (the rig's own
        seeding and checking sessions log in under another name and are never counted). Waits
        (60 seconds at most) until that many are logged: Dovecot writes its log a moment after a
        session ends, and later on a busy machine.
        """
        pattern = re.compile(r"\b(hdr_count|hdr_bytes|body_count|body_bytes)=(\d+)")
        deadline = time.monotonic() + 60
        while True:
            log = (self.root / "dovecot.log").read_text(errors="replace")
            lines = [
                line
                for line in log.splitlines()
                if f" imap({login})<" in line and "Disconnected" in line
            ]
            if len(lines) >= sessions or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        totals = {"sessions": len(lines), "hdr_count": 0, "hdr_bytes": 0, "body_count": 0}
        totals["body_bytes"] = 0
        for line in lines:
            for key, value in pattern.findall(line):
                totals[key] += int(value)
        return totals

    def doveadm(self, *args: str) -> str:
        """Run ``doveadm`` on this server's configuration; returns its output."""
        result = subprocess.run(
            [DOVEADM, "-c", str(self.root / "dovecot.conf"), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def refuse_folder(self, login: str, folder: str, refuse: bool = True) -> None:
        """Let the user see ``folder`` but not open it (ACL right "l" only; needs ``acl=True``):
        STATUS and SELECT then answer NO, as servers do for a folder the user may not read."""
        directory = (
            self.root
            / "home"
            / self.mailbox_of(login)
            / "Maildir"
            / ("." + folder.replace("/", "."))
        )
        acl = directory / "dovecot-acl"
        if refuse:
            acl.write_text("owner l\n")
            self._chown_tree(directory)
        else:
            acl.unlink(missing_ok=True)

    def status(self, login: str, folder: str) -> dict[str, int]:
        out = self.doveadm("mailbox", "status", "-u", login, "messages uidnext uidvalidity", folder)
        return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", out)}

    def reset_uidvalidity(self, login: str, folder: str) -> int:
        """Give a folder a new UIDVALIDITY (its mail and UIDs stay); returns the new value."""
        new = self.status(login, folder)["uidvalidity"] + 1
        self.doveadm("mailbox", "update", "-u", login, "--uid-validity", str(new), folder)
        return new

    def seed_maildir(self, login: str, folder: str, messages: Iterable[bytes]) -> int:
        """Write messages straight into a folder's Maildir (fast, for thousands); returns how many.

        The folder must exist (it is created through IMAP if not). Dovecot gives them UIDs when it
        next looks at the folder; this method makes it look once, so the count is settled.
        """
        if folder.upper() != "INBOX":
            with contextlib.suppress(Exception):
                self.create_folder(login, folder)
        base = self.root / "home" / self.mailbox_of(login) / "Maildir"
        directory = base if folder.upper() == "INBOX" else base / ("." + folder.replace("/", "."))
        for sub in ("cur", "new", "tmp"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        count = 0
        stamp = int(time.time())
        for count, raw in enumerate(messages, start=1):
            name = f"{stamp}.M{count}P{os.getpid()}.mlc,S={len(raw)}:2,"
            path = directory / "cur" / name
            path.write_bytes(raw)
        self._chown_tree(base)
        self.doveadm("force-resync", "-u", login, folder)
        return count


class DovecotClassMixin:
    """For a test class: one real Dovecot (``cls.dovecot``), started once and stopped at the end."""

    dovecot_options: dict = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dovecot = cls.start_imap_server()
        cls.addClassCleanup(cls.dovecot.stop)

    @classmethod
    def start_imap_server(cls):
        """The class's IMAP server; another server with the same helpers may stand in for it
        (``stdio_imap_servers``: Courier-IMAP, Cyrus IMAP)."""
        server = DovecotServer(**cls.dovecot_options)
        server.start()
        return server


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ----------------------------------------------------------------------------------------------
# Misbehaving servers
# ----------------------------------------------------------------------------------------------


class _Listener:
    """A TCP listener on 127.0.0.1 with a thread per connection; ``handle`` does the talking."""

    def __init__(self):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((HOST, 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self._stopping = threading.Event()
        self._connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        self._sock.settimeout(0.05)  # so that stop() is noticed promptly
        while not self._stopping.is_set():
            try:
                connection, _address = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connection.settimeout(None)
            self._connections.append(connection)
            threading.Thread(target=self._safe_handle, args=(connection,), daemon=True).start()

    def _safe_handle(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError):
            self.handle(connection)

    def handle(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._sock.close()
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.close()
        self._thread.join(timeout=5)


class SilentServer(_Listener):
    """Accepts TCP connections and never says a word (a server that hangs)."""

    def handle(self, connection: socket.socket) -> None:
        self._stopping.wait()


class ScriptedLoginServer(_Listener):
    """Greets like an IMAP server, then answers every LOGIN with ``NO <login_reply>``."""

    def __init__(self, login_reply: str):
        self.login_reply = login_reply
        super().__init__()

    def handle(self, connection: socket.socket) -> None:
        connection.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] scripted server ready\r\n")
        reader = connection.makefile("rb")
        for line in reader:
            tag, _sep, rest = line.decode(errors="replace").strip().partition(" ")
            command = rest.split(" ", 1)[0].upper()
            if command == "CAPABILITY":
                reply = f"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done\r\n"
            elif command == "LOGIN":
                reply = f"{tag} NO {self.login_reply}\r\n"
            elif command == "LOGOUT":
                connection.sendall(f"* BYE bye\r\n{tag} OK done\r\n".encode())
                return
            else:
                reply = f"{tag} BAD not in this script\r\n"
            connection.sendall(reply.encode())


class DroppingProxy(_Listener):
    """A TCP proxy to ``target_port`` that can cut every connection in the middle of a reply.

    :meth:`drop_after` arms it: once ``nbytes`` more bytes have gone from the server to the client,
    the connections are closed, both ways, with no IMAP goodbye.
    """

    def __init__(self, target_port: int, target_host: str = HOST):
        self.target = (target_host, target_port)
        self._budget: int | None = None
        self._lock = threading.Lock()
        self.dropped = threading.Event()
        super().__init__()

    def drop_after(self, nbytes: int) -> None:
        with self._lock:
            self._budget = nbytes

    def handle(self, connection: socket.socket) -> None:
        upstream = socket.create_connection(self.target, timeout=10)
        self._connections.append(upstream)
        threading.Thread(target=self._pump, args=(connection, upstream, False), daemon=True).start()
        self._pump(upstream, connection, True)

    def _pump(self, source: socket.socket, sink: socket.socket, from_server: bool) -> None:
        with contextlib.suppress(OSError):
            self._copy(source, sink, from_server)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _copy(self, source: socket.socket, sink: socket.socket, from_server: bool) -> None:
        while data := source.recv(4096):
            budget = None
            if from_server:
                with self._lock:
                    budget = self._budget
                    if budget is not None:
                        data = data[:budget]
                        self._budget = budget - len(data)
                        budget = self._budget
            sink.sendall(data)
            if budget is not None and budget <= 0:
                with self._lock:
                    self._budget = None  # one cut: later connections go through
                self.dropped.set()
                return
