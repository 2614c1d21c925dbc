from odoo import fields
from odoo import models

from .mail_capture_mailbox_folder import ImapNumber


class MailCaptureMailboxMessage(models.Model):
    """Where a synced mail sits on its mailbox's server: folder, UIDVALIDITY and UID.

    Two-way mailboxes use it to archive or trash the server's copy when the mail is archived or
    deleted in Odoo: ``server_action`` queues the move, which the next sync pass makes. The row
    outlives the ``mail.message`` it points to (deleting the message is what queues the trash).
    """

    _name = "mail.capture.mailbox.message"
    _description = "Synced Mail on the Server"
    _order = "id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    mailbox_id = fields.Many2one(
        "mail.capture.mailbox", required=True, index=True, ondelete="cascade", readonly=True
    )
    mail_message_id = fields.Many2one(
        "mail.message", string="Message", index="btree_not_null", ondelete="set null", readonly=True
    )
    folder = fields.Char(required=True, readonly=True)
    uidvalidity = ImapNumber(string="UIDVALIDITY", readonly=True)
    uid = ImapNumber(string="UID", readonly=True)
    message_ref = fields.Char(
        string="Message-Id",
        readonly=True,
        help="Finds the mail again by IMAP SEARCH when its UID changed (new UIDVALIDITY, or moved).",
    )
    server_action = fields.Selection(
        [("archive", "Move to Archive"), ("trash", "Move to Trash")],
        readonly=True,
        index="btree_not_null",
        help="A move to make on the server at the next sync (two-way mailboxes only).",
    )
    server_error = fields.Text(readonly=True)
