"""``make push`` and ``make push-imap``: deliver a raw .eml to the running demo, through Odoo's
mail gateway as an MTA does, or into a demo mailbox on its Dovecot, then synced onto its lead."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from common import HarnessError
from common import first_line
from common import say
from demo import demo_mailboxes_module
from demo import demo_rpc
from demo import read_demo_state


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
