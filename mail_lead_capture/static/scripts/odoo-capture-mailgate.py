#!/usr/bin/python3
"""Deliver one mail (on standard input) to Odoo's mail gateway, for a mail server's pipe.

Usage, from Postfix (see the addon's README, "Production setup")::

    odoo-capture-mailgate.py /etc/odoo/capture-mailgate.key

Like Odoo's own ``odoo-mailgate.py`` (which calls ``mail.thread.message_process`` over XML-RPC),
but for Debian's system ``python3`` with the standard library only, and:

- The credentials are in a key file, never on the command line (a mail server quotes the command
  in its bounces, and other local users see command lines). The file holds ``url``, ``database``,
  ``login`` and ``api_key`` lines (``name = value``; ``#`` starts a comment); it must belong to the
  user the pipe runs as and be readable by that user only (mode 0400 or 0600), or nothing is sent.
  Use an Odoo API key (Preferences > Account Security > New API Key), not a password.
- The mail is passed on as bytes, whatever the locale the pipe runs with (Postfix's is bare).
- Exit codes follow sysexits.h as Postfix reads them: 0 delivered; 75 (EX_TEMPFAIL) when Odoo
  cannot be reached or fails, so that the mail server keeps the mail and tries again (what
  ``--retry-status`` does for Odoo's script); 78 (EX_CONFIG, also retried) when the key file is
  missing, readable by others or incomplete, and 75 too when Odoo refuses the key (mail is kept
  until an administrator fixes it); 67 (EX_NOUSER) when Odoo has no route for the mail. No message
  printed here contains the key.
"""

import http.client
import os
import socket
import stat
import sys
import xmlrpc.client

EX_OK = 0
EX_USAGE = 64
EX_NOUSER = 67
EX_TEMPFAIL = 75
EX_CONFIG = 78
DEFAULT_KEY_FILE = "/etc/odoo/capture-mailgate.key"
FIELDS = ("url", "database", "login", "api_key")
TIMEOUT = 120  # seconds: a large mail with attachments takes a while to file


class Failure(Exception):
    def __init__(self, status, text):
        super().__init__(text)
        self.status = status


def read_key_file(path):
    """The settings of the key file, after checking who may read it."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read().decode("utf-8")
    except OSError as exc:
        raise Failure(
            EX_CONFIG, f"cannot read the key file {path}: {exc.strerror} (run as uid {os.getuid()})"
        ) from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise Failure(
            EX_CONFIG, f"the key file {path} must be readable by its owner only: chmod 0400"
        )
    if info.st_uid != os.getuid():
        raise Failure(
            EX_CONFIG,
            f"the key file {path} must belong to the user this runs as (uid {os.getuid()})",
        )
    settings = {}
    for line in data.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _sep, value = line.partition("=")
            settings[name.strip().lower()] = value.strip()
    missing = [name for name in FIELDS if not settings.get(name)]
    if missing:
        raise Failure(EX_CONFIG, f"the key file {path} lacks: {', '.join(missing)}")
    return settings


def deliver(settings, raw):
    """Hand the mail to Odoo; returns what ``message_process`` answered."""
    url = settings["url"].rstrip("/")
    socket.setdefaulttimeout(TIMEOUT)
    try:
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        uid = common.authenticate(settings["database"], settings["login"], settings["api_key"], {})
        if not uid:
            raise Failure(EX_TEMPFAIL, "Odoo refused the API key of the key file: mail kept")
        models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        return models.execute_kw(
            settings["database"],
            uid,
            settings["api_key"],
            "mail.thread",
            "message_process",
            [False, xmlrpc.client.Binary(raw)],
            {},
        )
    except xmlrpc.client.Fault as fault:
        if "No possible route" in fault.faultString:
            raise Failure(EX_NOUSER, "no such address in Odoo") from None
        raise Failure(EX_TEMPFAIL, "Odoo failed to take the mail: mail kept, tried again") from None
    except (OSError, xmlrpc.client.ProtocolError, http.client.HTTPException) as exc:
        raise Failure(
            EX_TEMPFAIL, f"Odoo cannot be reached ({type(exc).__name__}): mail kept, tried again"
        ) from None


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        sys.stderr.write(f"usage: {argv[0]} [KEY_FILE (default {DEFAULT_KEY_FILE})]\n")
        return EX_USAGE
    path = argv[1] if len(argv) == 2 else DEFAULT_KEY_FILE
    try:
        settings = read_key_file(path)
        deliver(settings, sys.stdin.buffer.read())
    except Failure as failure:
        sys.stderr.write(f"odoo-capture-mailgate: {failure}\n")
        return failure.status
    return EX_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv))
