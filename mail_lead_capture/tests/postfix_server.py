"""A private Postfix configured as the README's "Production setup" says, for the tests.

Plain module with no Odoo import. Needs Debian's ``postfix`` package installed (its programs and its
``postfix`` user; the system instance need not run) and root, as Postfix's master does. Everything
else is in a temporary directory: ``main.cf`` with the README's settings (``virtual_alias_domains``,
a list of Odoo's addresses in ``virtual_alias_maps``, an alias file whose database belongs to the
pipe's user, ``message_size_limit``), the queue, and the log. SMTP listens on 127.0.0.1 on a free port.
The pipe runs the addon's ``odoo-capture-mailgate.py`` with a key file (mode 0400) owned by the
unprivileged user ``nobody``, as the README's ``odoo-mailgate`` user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


POSTFIX = "/usr/sbin/postfix"
WRAPPER = Path(__file__).resolve().parents[1] / "static" / "scripts" / "odoo-capture-mailgate.py"
PIPE_USER = "nobody"


class PostfixUnavailable(RuntimeError):
    """Postfix is not installed, or this is not root: the message says what to do."""


def postfix_available() -> str:
    """ "" when a private Postfix can run here, else why not."""
    if not os.access(POSTFIX, os.X_OK):
        return "Postfix is not installed: apt-get install postfix (its service need not run)"
    if os.geteuid() != 0:
        return "a private Postfix needs root (its master runs as root)"
    try:
        pwd.getpwnam("postfix")
    except KeyError:
        return "the 'postfix' user is missing: install Debian's postfix package"
    return ""


class PostfixServer:
    """``domain``'s listed ``addresses`` go to Odoo through the pipe; see the module."""

    def __init__(
        self,
        domain: str,
        addresses: list[str],
        *,
        url: str,
        database: str,
        login: str,
        api_key: str,
        size_limit: int = 36700160,
    ):
        why = postfix_available()
        if why:
            raise PostfixUnavailable(why)
        self.domain = domain
        self.root = Path(tempfile.mkdtemp(prefix="mlc-postfix-"))
        self.root.chmod(0o755)
        self.port = free_port()
        self.etc = self.root / "etc"
        self.log = self.root / "maillog"
        self.env = {**os.environ, "MAIL_CONFIG": str(self.etc)}
        pipe_user = pwd.getpwnam(PIPE_USER)
        for sub in ("etc", "queue", "data", "bin"):
            (self.root / sub).mkdir()
        os.chown(self.root / "data", pwd.getpwnam("postfix").pw_uid, -1)
        wrapper = self.root / "bin" / "odoo-capture-mailgate"
        shutil.copy(WRAPPER, wrapper)
        wrapper.chmod(0o755)
        key = self.root / "capture-mailgate.key"
        key.write_text(
            f"url = {url}\ndatabase = {database}\nlogin = {login}\napi_key = {api_key}\n"
        )
        os.chown(key, pipe_user.pw_uid, pipe_user.pw_gid)
        key.chmod(0o400)
        master = Path("/usr/share/postfix/master.cf.dist").read_text()
        master = re.sub(
            r"^smtp\s+inet\s+n\s+-\s+y\s+-\s+-\s+smtpd",
            f"127.0.0.1:{self.port} inet n - n - - smtpd",
            master,
            flags=re.M,
        )
        (self.etc / "master.cf").write_text(master)
        (self.etc / "main.cf").write_text(
            f"""compatibility_level = 3.6
queue_directory = {self.root}/queue
data_directory = {self.root}/data
myhostname = mx.{domain}
mydestination = localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file_prefixes = {self.root}
maillog_file = {self.log}
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
# The README's settings
virtual_alias_domains = {domain}
virtual_alias_maps = hash:{self.etc}/odoo-virtual
alias_maps = hash:{self.etc}/odoo-aliases
alias_database = hash:{self.etc}/odoo-aliases
message_size_limit = {size_limit}
"""
        )
        (self.etc / "odoo-aliases").write_text(f'odoo-mailgate: "|{wrapper} {key}"\n')
        (self.etc / "odoo-virtual").write_text(
            "".join(f"{address} odoo-mailgate@localhost\n" for address in addresses)
        )
        self._run("postalias", str(self.etc / "odoo-aliases"))
        os.chown(self.etc / "odoo-aliases.db", pipe_user.pw_uid, -1)
        self._run("postmap", str(self.etc / "odoo-virtual"))
        self._run(POSTFIX, "-c", str(self.etc), "start")

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            args, env=self.env, capture_output=True, text=True, timeout=60, check=False
        )
        if result.returncode != 0:
            raise PostfixUnavailable(f"{' '.join(args)} failed: {result.stderr.strip()[-800:]}")
        return result.stdout

    def deliveries(self) -> list[str]:
        """The log lines of finished deliveries to the pipe (sent, deferred or bounced)."""
        if not self.log.exists():
            return []
        return [
            line
            for line in self.log.read_text(errors="replace").splitlines()
            if "postfix/local" in line and "status=" in line
        ]

    def wait_for_deliveries(self, count: int, timeout: float = 120) -> list[str]:
        """Wait until ``count`` deliveries are logged (Postfix delivers in the background)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.deliveries()
            if len(lines) >= count:
                return lines
            time.sleep(0.2)
        return self.deliveries()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(POSTFIX, "-c", str(self.etc), "stop")
        shutil.rmtree(self.root, ignore_errors=True)
