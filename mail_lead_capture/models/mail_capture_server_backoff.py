from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models

# A back-off ended this long ago is forgotten (its delay no longer doubles the next one).
FORGET_AFTER = timedelta(days=1)


class MailCaptureServerBackoff(models.Model):
    """A mail server (host and port) or an account that asked every worker to wait.

    The fleet's back-off (``tools/imap/fleet.Gates``: after ``[UNAVAILABLE]`` or a refused
    connection, the server; after ``[THROTTLED]`` or "too many connections", the account) is
    shared by every process on the database through these rows: the scheduled action's workers,
    other Odoo servers, the INBOX watcher, the mailbox form's buttons. They are read and written
    only by ``mailbox_slots.AdvisorySlots`` on its own connection, in SQL (one upsert that never
    shortens a back-off in force), with ``until`` on the database's clock, so that processes on
    machines whose clocks differ agree. A killed worker leaves at most the back-off it set: it
    ends at ``until``. Technical rows: administrators may read them, or delete one (RPC, shell)
    to try a server again at once; no view shows them.
    """

    _name = "mail.capture.server.backoff"
    _description = "Mail Server Back-off"
    _log_access = False

    name = fields.Char(
        required=True,
        help="host:<server>:<port> for a whole server, account:<server>:<login> for one account.",
    )
    scope = fields.Selection([("host", "Server"), ("account", "Account")], required=True)
    until = fields.Datetime(required=True, help="No connection before this time (UTC).")
    delay = fields.Float(
        required=True, help="The last back-off, in seconds: the next one after it is twice as long."
    )

    _name_unique = models.UniqueIndex("(name)")

    @api.autovacuum
    def _gc_ended(self):
        self.sudo().search([("until", "<", fields.Datetime.now() - FORGET_AFTER)]).unlink()
