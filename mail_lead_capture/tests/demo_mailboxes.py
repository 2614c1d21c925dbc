"""The demo's two IMAP mailboxes: Ines's and Marco's mail, for ``make demo`` and its browser tour.

Plain module with no Odoo import and standard library only: dev/harness.py loads it by file path to
fill the demo's private Dovecot, and ``test_demo_mailboxes`` imports it to set up the same mailboxes
in a test database. The people are those of ``demo/mail_lead_capture_demo.xml`` (Northwind Traders,
salespeople Ines and Marco, customers Hank at Globex, Bill at Initech, Sue Miller, Alice at Umbrella),
plus people who are on no lead (a prospect, a newsletter, a parcel robot, the two colleagues).

Ines's mailbox keeps synced mail private to her; Marco's shares it with whoever sees the lead and
creates leads from the mail he sends to new people. Both hold incoming mail (INBOX) and sent mail
(Sent), dated over the last three weeks, with replies threaded by In-Reply-To.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

DOMAIN = "northwind.example"
INES = "Ines Alvarez <ines@northwind.example>"
MARCO = "Marco Rossi <marco@northwind.example>"
HANK = "Hank Scorpio <hank@globex.example>"
GLOBEX = "Globex Purchasing <contact@globex.example>"
BILL = "Bill Lumbergh <bill@initech.example>"
SUE = "Sue Miller <sue.miller@yahoo.com>"
ALICE = "Alice Wong <alice.wong@umbrella.example>"
DANA = "Dana Kim <dana@newco.example>"
TOM = "Tom Baker <tom@brightside.example>"
NEWSLETTER = "SaaS Weekly <news@saas-weekly.example>"
PARCEL = "Parcel Express <noreply@parcel-express.example>"


@dataclass(frozen=True)
class DemoMailbox:
    """One demo salesperson's mailbox: the Odoo user, the IMAP login, and how sync files mail."""

    user_login: str
    imap_login: str
    email: str
    privacy: str
    auto_create: bool
    description: str


MAILBOXES = (
    DemoMailbox("ines", "ines", f"ines@{DOMAIN}", "private", False, "synced mail private to Ines"),
    DemoMailbox(
        "marco",
        "marco",
        f"marco@{DOMAIN}",
        "shared",
        True,
        "synced mail shared with the lead's team; mail he sends to new people makes leads",
    ),
)

# One long line, as many mail clients send plain text: the chatter must wrap it.
LONG_LINE = (
    "For the record, the maintenance contract covers the twelve printers on floors two to four, "
    "quarterly visits, toner and drums, and a next-business-day replacement of any unit that "
    "cannot be repaired on site; paper, staples and the basement printer are not included, and "
    "the details are on https://initech.example/contracts/printers-2026 for whoever needs them."
)

# (folder, days ago, hour, sender, recipients, cc, subject, body, key, replies to key)
_INES = [
    (
        "INBOX",
        20,
        9,
        HANK,
        [INES],
        [],
        "Globex rollout: 500 seats",
        "Hello Ines,\n\nWe are ready to talk about the rollout to our 500 engineers.\n"
        "Could you send a proposal with the volume pricing?\n\nBest,\nHank",
        "g1",
        None,
    ),
    (
        "Sent",
        19,
        14,
        INES,
        [HANK],
        [],
        "Re: Globex rollout: 500 seats",
        "Hi Hank,\n\nThank you! The proposal is attached in spirit; the short version:\n"
        "- 500 seats at 96 per seat and year\n- onboarding for your admins included\n\n"
        "Could we have a call on Thursday?\n\nInes",
        "g2",
        "g1",
    ),
    (
        "INBOX",
        18,
        10,
        HANK,
        [INES],
        [GLOBEX],
        "Re: Globex rollout: 500 seats",
        "Thursday at 3 pm works. I copied our purchasing team.\n\nHank\n\n"
        "> Could we have a call on Thursday?\n> \n> Ines",
        "g3",
        "g2",
    ),
    (
        "INBOX",
        12,
        16,
        GLOBEX,
        [INES],
        [HANK],
        "Security questionnaire",
        "Dear Ines,\n\nBefore we sign, please fill in the attached security questionnaire.\n\n"
        "Kind regards,\nGlobex Purchasing",
        "g4",
        None,
    ),
    (
        "Sent",
        11,
        9,
        INES,
        [GLOBEX],
        [HANK],
        "Re: Security questionnaire",
        "Hello,\n\nHere it is, filled in. Our data centre certificates are on our website.\n\n"
        "Ines\n\n-- \nInes Alvarez, Northwind Traders",
        "g5",
        "g4",
    ),
    (
        "INBOX",
        15,
        11,
        BILL,
        [INES],
        [],
        "Printer maintenance: contract renewal",
        f"Hi Ines,\n\n{LONG_LINE}\n\nCan you renew it for another year at the same price?\n\nBill",
        "i1",
        None,
    ),
    (
        "Sent",
        14,
        15,
        INES,
        [BILL],
        [],
        "Re: Printer maintenance: contract renewal",
        "Hi Bill,\n\nYes, same price if we sign before the end of the month.\n\nInes\n\n"
        "On the 15th, Bill Lumbergh wrote:\n> Can you renew it for another year at the same price?",
        "i2",
        "i1",
    ),
    (
        "INBOX",
        3,
        8,
        BILL,
        [INES],
        [],
        "Re: Printer maintenance: contract renewal",
        "Great, I will get the signature this week.\nYeah... if you could send the paperwork, "
        "that would be great.\n\nBill",
        "i3",
        "i2",
    ),
    (
        "INBOX",
        6,
        17,
        SUE,
        [INES],
        [],
        "Can Ines join the tasting?",
        "Hello Ines,\n\nMarco told me you liked the lemon tart. Would you join the tasting "
        "on Friday?\n\nSue",
        "s1",
        None,
    ),
    (
        "INBOX",
        9,
        12,
        DANA,
        [INES],
        [],
        "Question about your pricing",
        "Hello,\n\nDo you have a price list for small teams (five people)?\n\nDana",
        "d1",
        None,
    ),
    (
        "Sent",
        8,
        10,
        INES,
        [DANA],
        [],
        "Re: Question about your pricing",
        "Hi Dana,\n\nYes: https://northwind.example/pricing has it. Happy to help.\n\nInes",
        "d2",
        "d1",
    ),
    (
        "INBOX",
        5,
        7,
        NEWSLETTER,
        [INES],
        [],
        "This week in SaaS",
        "Ten tips for a better pipeline, and more.\n\nUnsubscribe: https://saas-weekly.example/u",
        "n1",
        None,
    ),
    (
        "INBOX",
        2,
        12,
        MARCO,
        [INES],
        [],
        "Lunch on Friday?",
        "Shall we go to the Italian place?\n\nMarco",
        "c1",
        None,
    ),
    (
        "Sent",
        2,
        13,
        INES,
        [MARCO],
        [],
        "Re: Lunch on Friday?",
        "Yes, at 12:30!\n\nInes",
        "c2",
        "c1",
    ),
]

_MARCO = [
    (
        "INBOX",
        21,
        9,
        SUE,
        [MARCO],
        [],
        "Catering order for 40 people",
        "Hello Marco,\n\nWe would like a buffet for 40 people on 12 December at noon.\n"
        "Vegetarian options please, and no nuts.\n\nThanks,\nSue",
        "s2",
        None,
    ),
    (
        "Sent",
        20,
        11,
        MARCO,
        [SUE],
        [],
        "Re: Catering order for 40 people",
        "Dear Sue,\n\nWith pleasure. Two menus to choose from:\n\n"
        "1. Mediterranean: focaccia, grilled vegetables, risotto, lemon tart\n"
        "2. Winter: soup, lasagne (one vegetarian), salads, apple crumble\n\nMarco",
        "s3",
        "s2",
    ),
    (
        "INBOX",
        17,
        18,
        SUE,
        [MARCO],
        [],
        "Re: Catering order for 40 people",
        "The Mediterranean one, definitely.\n\nSue\n\n> 1. Mediterranean: focaccia, grilled "
        "vegetables, risotto, lemon tart\n> 2. Winter: soup, lasagne (one vegetarian), salads, "
        "apple crumble",
        "s4",
        "s3",
    ),
    (
        "Sent",
        16,
        9,
        MARCO,
        [SUE],
        [INES],
        "Tasting on Friday",
        "Dear Sue,\n\nCome and taste the menu on Friday at 11. Ines will join us.\n\nMarco",
        "s5",
        None,
    ),
    (
        "INBOX",
        13,
        10,
        ALICE,
        [MARCO],
        [],
        "Lab fit-out: floor plans",
        "Hi Marco,\n\nHere are the floor plans of the new lab; we need benches for 24 people.\n\n"
        "Alice",
        "u1",
        None,
    ),
    (
        "Sent",
        12,
        16,
        MARCO,
        [ALICE],
        [],
        "Re: Lab fit-out: floor plans",
        "Hi Alice,\n\nThanks. The quotation follows this week.\n\nMarco",
        "u2",
        "u1",
    ),
    (
        "Sent",
        7,
        10,
        MARCO,
        [ALICE],
        [],
        "Lab fit-out: quotation",
        "Hi Alice,\n\n24 benches, fitted within three weeks of the order. Details:\n"
        "https://northwind.example/quotes/umbrella-lab\n\nMarco",
        "u3",
        None,
    ),
    (
        "INBOX",
        4,
        9,
        ALICE,
        [MARCO],
        [],
        "Re: Lab fit-out: quotation",
        "Looks good. Can delivery happen in the first week of January?\n\nAlice",
        "u4",
        "u3",
    ),
    (
        "Sent",
        10,
        17,
        MARCO,
        [TOM],
        [],
        "Following up on our call",
        "Hi Tom,\n\nGreat talking to you today. As promised, our catering brochure:\n"
        "https://northwind.example/catering\n\nMarco",
        "t1",
        None,
    ),
    (
        "INBOX",
        9,
        9,
        TOM,
        [MARCO],
        [],
        "Re: Following up on our call",
        "Thanks Marco, I will share it with the office manager.\n\nTom",
        "t2",
        "t1",
    ),
    (
        "INBOX",
        6,
        14,
        PARCEL,
        [MARCO],
        [],
        "Your parcel is on its way",
        "Your parcel 7781-2231 will be delivered tomorrow.",
        "p1",
        None,
    ),
    (
        "INBOX",
        3,
        11,
        INES,
        [MARCO],
        [],
        "Globex visit next week",
        "Can you cover my Initech call on Tuesday while I am at Globex?\n\nInes",
        "c3",
        None,
    ),
    ("Sent", 3, 12, MARCO, [INES], [], "Re: Globex visit next week", "Sure.\n\nMarco", "c4", "c3"),
]

_MAIL = {"ines": _INES, "marco": _MARCO}
_AUTOMATED = {
    "p1": {"Auto-Submitted": "auto-generated"},
    "n1": {"List-Unsubscribe": "<https://saas-weekly.example/u>", "Precedence": "bulk"},
}


def message_id(key: str) -> str:
    return f"<demo-{key}@{DOMAIN}>"


def build(sender, to, cc, subject, body, *, key, replies_to=None, date=None) -> bytes:
    """One raw demo email (CRLF line ends)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = format_datetime(date or dt.datetime.now(dt.UTC))
    message["Message-ID"] = message_id(key)
    if replies_to:
        message["In-Reply-To"] = message_id(replies_to)
        message["References"] = message_id(replies_to)
    for name, value in _AUTOMATED.get(key, {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


def messages(
    login: str, now: dt.datetime | None = None
) -> dict[str, list[tuple[dt.datetime, bytes]]]:
    """``{folder: [(date, raw), ...]}`` of the demo mailbox ``login``, oldest first."""
    today = (now or dt.datetime.now(dt.UTC)).replace(minute=0, second=0, microsecond=0)
    folders: dict[str, list[tuple[dt.datetime, bytes]]] = {}
    for folder, days, hour, sender, to, cc, subject, body, key, replies_to in _MAIL[login]:
        date = (today - dt.timedelta(days=days)).replace(hour=hour)
        raw = build(sender, to, cc, subject, body, key=key, replies_to=replies_to, date=date)
        folders.setdefault(folder, []).append((date, raw))
    for entries in folders.values():
        entries.sort(key=lambda entry: entry[0])
    return folders


def seed(dovecot, now: dt.datetime | None = None) -> dict[str, int]:
    """Fill the demo mailboxes of a ``dovecot_server.DovecotServer``; ``{login: mails}``."""
    counts = {}
    for mailbox in MAILBOXES:
        counts[mailbox.imap_login] = 0
        for folder, entries in messages(mailbox.imap_login, now).items():
            for date, raw in entries:
                dovecot.append(mailbox.imap_login, folder, raw, flags="\\Seen", when=date)
                counts[mailbox.imap_login] += 1
    return counts


# The demo's Dovecot listens on free unprivileged ports, which an administrator must allow
# (Settings > CRM > Email Capture > Other IMAP Ports), as for any server off 993 and 143.
EXTRA_PORTS_PARAM = "mail_lead_capture.imap_extra_ports"


def extra_ports(dovecot) -> str:
    """The value of :data:`EXTRA_PORTS_PARAM` that allows ``dovecot``'s two ports."""
    return f"{dovecot.plain_port},{dovecot.tls_port}"


def mailbox_values(mailbox: DemoMailbox, dovecot, user_id: int) -> dict:
    """The ``mail.capture.mailbox`` values that connect ``mailbox`` on ``dovecot`` (plain port)."""
    return {
        "user_id": user_id,
        "email": mailbox.email,
        "host": dovecot.host,
        "port": dovecot.plain_port,
        "security": "none",
        "login": mailbox.imap_login,
        "password": dovecot.password_of(mailbox.imap_login),
        "privacy": mailbox.privacy,
        "auto_create": mailbox.auto_create,
    }
