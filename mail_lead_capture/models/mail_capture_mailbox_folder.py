from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..tools import imap
from . import mailbox_skips


class ImapNumber(fields.Integer):
    """An IMAP number (UID, UIDVALIDITY: 32-bit unsigned; MODSEQ: 63-bit), stored as int8.

    Odoo's integers are int4 and would overflow on a UID or UIDVALIDITY above 2^31.
    """

    _column_type = ("int8", "int8")


FOLDER_ROLES = [
    (imap.ROLE_INBOX, "Inbox"),
    (imap.ROLE_SENT, "Sent"),
    (imap.ROLE_ARCHIVE, "Archive"),
    (imap.ROLE_ALL, "All Mail"),
    (imap.ROLE_FLAGGED, "Flagged"),
    (imap.ROLE_IMPORTANT, "Important"),
    (imap.ROLE_DRAFTS, "Drafts"),
    (imap.ROLE_TRASH, "Trash"),
    (imap.ROLE_JUNK, "Junk"),
    (imap.ROLE_NOT_MAIL, "Not Mail"),
    (imap.ROLE_OTHER, "Folder"),
]


class MailCaptureMailboxFolder(models.Model):
    """A folder of a synced mailbox, as the server lists it, and how far it is synced.

    The checkpoint (``uidvalidity``, ``last_uid``, ``highestmodseq``) means "every message up to
    this UID is handled"; it is written in the same transaction as the last mail it covers, so a
    crash never loses or repeats mail (see ``tools/imap/sync.py``).
    """

    _name = "mail.capture.mailbox.folder"
    _description = "Synced Mailbox Folder"
    _order = "mailbox_id, sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    mailbox_id = fields.Many2one(
        "mail.capture.mailbox", required=True, index=True, ondelete="cascade", readonly=True
    )
    name = fields.Char(string="Folder", required=True, readonly=True)
    sequence = fields.Integer(default=10, readonly=True)
    role = fields.Selection(FOLDER_ROLES, readonly=True, default=imap.ROLE_OTHER)
    choosable = fields.Boolean(
        readonly=True, default=True, help="Trash, Junk and Drafts are never synced."
    )
    in_all_scope = fields.Boolean(string="Synced with All Folders", readonly=True, default=True)
    reason = fields.Char(readonly=True, help="Code of the reason the folder is left out.")
    note = fields.Char(compute="_compute_note")
    chosen = fields.Boolean(
        help="Sync this folder when the mailbox syncs chosen folders only.",
    )
    synced = fields.Boolean(compute="_compute_synced")
    missing = fields.Boolean(
        readonly=True, help="The server no longer lists this folder; its sync state is kept."
    )
    uidvalidity = ImapNumber(string="UIDVALIDITY", readonly=True)
    last_uid = ImapNumber(string="Last UID", readonly=True)
    highestmodseq = ImapNumber(string="HIGHESTMODSEQ", readonly=True)
    anchor_uid = ImapNumber(string="Anchor UID", readonly=True)
    anchor_key = fields.Char(string="Anchor Message-Id", readonly=True)
    renumbered = fields.Boolean(
        string="Renumbers Its Mail",
        readonly=True,
        help="The server gave this folder a new UIDVALIDITY with its mail unchanged: later "
        "changes of the kind do not make sync read the folder again.",
    )
    import_state = fields.Selection(
        [("pending", "Not started"), ("running", "Importing"), ("done", "Imported")],
        string="First Import",
        default="pending",
        required=True,
        readonly=True,
    )
    import_total = fields.Integer(string="Mails to Examine", readonly=True)
    import_done = fields.Integer(string="Mails Examined", readonly=True)
    last_sync = fields.Datetime(readonly=True)
    error_message = fields.Text(string="Last Error", readonly=True)
    error_date = fields.Datetime(readonly=True)
    error_count = fields.Integer(readonly=True)
    # Mail the sync examined and left alone, by reason (see MailboxPass.skip_reason): counted
    # with the checkpoint that goes past it, in the same transaction.
    skipped_no_contact = mailbox_skips.folder_count("no_contact")
    skipped_robot = mailbox_skips.folder_count("robot")
    skipped_colleagues = mailbox_skips.folder_count("colleagues")
    skipped_blocked = mailbox_skips.folder_count("blocked")
    waiting_replies = fields.Json(
        readonly=True,
        help="Replies examined here that answer mail no lead holds yet, by UID: filed when their "
        "original is (see models/mailbox_sync_pass.py).",
    )

    # ------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------

    _mailbox_name_unique = models.UniqueIndex(
        "(mailbox_id, name)", "A mailbox lists each folder once."
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("reason")
    def _compute_note(self):
        notes = {
            imap.ROLE_DRAFTS: self.env._("Drafts are never synced."),
            imap.ROLE_TRASH: self.env._("Trash is never synced."),
            imap.ROLE_JUNK: self.env._("Junk mail is never synced."),
            "not_selectable": self.env._("Holds folders only, no mail."),
            "covered_by_all_mail": self.env._("Already synced through All Mail."),
            "virtual_view": self.env._("A view of mail kept elsewhere: choose it to sync it."),
            "not_mail": self.env._(
                "Not mail (calendar, contacts, outbox...): choose it to sync it."
            ),
        }
        for folder in self:
            folder.note = notes.get(folder.reason, False)

    @api.depends("mailbox_id.scope", "chosen", "choosable", "in_all_scope", "missing")
    def _compute_synced(self):
        for folder in self:
            if folder.missing or not folder.choosable:
                folder.synced = False
            elif folder.mailbox_id.scope == "all":
                folder.synced = folder.in_all_scope
            else:
                folder.synced = folder.chosen

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        # Owners choose folders; the sync state is the sync's own (a wrong checkpoint skips mail).
        written = set(vals) - {"chosen"}
        if written and not self.env.su:
            raise UserError(
                self.env._(
                    "Only the sync changes these fields of a folder: %(fields)s. To choose the "
                    "folders to sync, set the mailbox's Scope to Chosen folders and tick Chosen "
                    "on its Folders tab; to sync now, click Sync Now on the mailbox.",
                    fields=", ".join(
                        sorted(
                            self._fields[name]._description_string(self.env)
                            if name in self._fields
                            else name
                            for name in written
                        )
                    ),
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _checkpoint(self):
        """The folder's saved :class:`~..tools.imap.Checkpoint`, or None before its first pass."""
        self.ensure_one()
        if not self.uidvalidity:
            return None
        return imap.Checkpoint(
            int(self.uidvalidity),
            int(self.last_uid),
            int(self.highestmodseq) or None,
            int(self.anchor_uid),
            self.anchor_key or "",
            self.renumbered,
        )

    @api.model
    def _checkpoint_values(self, checkpoint):
        return {
            "uidvalidity": checkpoint.uidvalidity,
            "last_uid": checkpoint.last_uid,
            "highestmodseq": checkpoint.highestmodseq or 0,
            "anchor_uid": checkpoint.anchor_uid,
            "anchor_key": checkpoint.anchor_key or False,
            "renumbered": checkpoint.renumbered,
        }
