from odoo import fields
from odoo import models


class MailCaptureMailboxHistory(models.Model):
    """An address whose past mail a mailbox must import: it was just added to a lead.

    The sync finds that mail by IMAP SEARCH in the folders it already went through (never by
    rescanning them), folder by folder, and deletes the row once every synced folder is done.
    """

    _name = "mail.capture.mailbox.history"
    _description = "Past Mail to Import"
    _order = "id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    mailbox_id = fields.Many2one(
        "mail.capture.mailbox", required=True, index=True, ondelete="cascade", readonly=True
    )
    address = fields.Char(required=True, readonly=True)
    done_folder_ids = fields.Many2many(
        "mail.capture.mailbox.folder",
        "mail_capture_mailbox_history_folder_rel",
        "history_id",
        "folder_id",
        string="Folders Searched",
        readonly=True,
    )

    # ------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------

    _mailbox_address_unique = models.UniqueIndex(
        "(mailbox_id, address)", "This address is already waiting to be imported."
    )
