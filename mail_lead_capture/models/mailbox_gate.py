"""The connections a user asks for on a mailbox's form, within the caps every worker shares.

Not a model. Test Connection, Fetch Folders and Sync Now connect at once, in the request; before
this they went around ``tools/imap/fleet.Gates``, so a user clicking could open one connection
more than a server's cap, or hit a server that asked every worker to wait. :func:`button_gate`
takes the mailbox's slots (its server host's and its account's, as the scheduled action and the
INBOX watcher do, from the slots every process on the database shares: ``mailbox_slots``), waits
a little for one (``BUTTON_SLOT_WAIT``), else refuses with a ``UserError`` that says why and what
to do. The connection's outcome is told to the gates (``ButtonGate``, through the context key
``lead_capture_gate`` that ``mail.capture.mailbox._connect_imap`` reads): a server answering
``[UNAVAILABLE]`` or refusing the connection is backed off for every worker, a success clears it.
"""

from contextlib import contextmanager

from odoo.exceptions import UserError

from ..tools import imap
from ..tools.imap import fleet as imap_fleet
from . import mailbox_fleet
from .mailbox_slots import AdvisorySlots

# How long a button waits for a free connection slot before it says the server is full (seconds).
BUTTON_SLOT_WAIT = 5.0


class ButtonGate:
    """What a button's connection tells the gates: it failed (maybe a back-off), or it worked."""

    def __init__(self, gates, target):
        self.gates = gates
        self.target = target

    def failed(self, error):
        if scope := imap_fleet.backoff_scope(error):
            self.gates.back_off(self.target, scope)

    def succeeded(self):
        self.gates.succeeded(self.target)


def target_of(mailbox):
    """The mailbox as the gates see it: its server and its account (the account's name only:
    these credentials never log in). The buttons' and the INBOX watcher's."""
    return imap_fleet.Target(
        key=mailbox.id,
        host=mailbox.host,
        port=mailbox.port or 993,
        security=mailbox.security,
        credentials=imap.Credentials(mailbox.login or mailbox.email or "", ""),
        account_limit=imap_fleet.account_limit(mailbox.host),
    )


@contextmanager
def button_gate(mailbox, wait=None):
    """Hold one connection slot of ``mailbox``'s server and account while the block runs; yields
    a :class:`ButtonGate` (None without a server name: the connection says what is missing).

    Raises ``UserError`` when the server or the account is backing off, or when no slot came
    within ``wait`` seconds (``BUTTON_SLOT_WAIT``).
    """
    wait = BUTTON_SLOT_WAIT if wait is None else wait
    if not mailbox.host:
        yield None
        return
    host_limit = mailbox._int_param("host_connections", imap_fleet.DEFAULT_HOST_LIMIT)
    target = target_of(mailbox)
    with AdvisorySlots(mailbox.env.cr.dbname) as slots:
        gates = mailbox_fleet.gates(host_limit, slots)
        if not gates.acquire(target, wait=wait):
            raise UserError(refusal(mailbox, gates.backing_off(target), host_limit))
        try:
            yield ButtonGate(gates, target)
        finally:
            gates.release(target)


def refusal(mailbox, seconds, host_limit):
    """Why a button does not connect now, and what to do."""
    env = mailbox.env
    if seconds:
        return env._(
            "%(host)s asked Odoo to wait (it refused the connection, or answered that it is busy "
            "or that this account connects too often): no mailbox connects to it for another "
            "%(seconds)s seconds. Try again then; sync resumes by itself meanwhile.",
            host=mailbox.host,
            seconds=max(round(seconds), 1),
        )
    return env._(
        "%(host)s already has as many connections from Odoo as allowed (%(limit)s per mail server, "
        "%(account)s per account), so this one would be refused or slow the others down. Try "
        "again in a minute. If the server accepts more, an administrator can raise Connections "
        "per Mail Server in Settings > CRM > Email Capture.",
        host=mailbox.host,
        limit=host_limit,
        account=imap_fleet.account_limit(mailbox.host),
    )
