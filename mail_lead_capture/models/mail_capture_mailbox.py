import bisect
import email
import email.policy
import logging
import time
from contextlib import contextmanager
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from ..tools import addresses
from ..tools import automated
from ..tools import capture
from ..tools import filters
from ..tools import imap_presets
from ..tools import imap_session
from ..tools import imap_sync
from ..tools.direction import OUTGOING
from ..tools.direction import mail_direction

_logger = logging.getLogger(__name__)

# Mailboxes are polled this often (the scheduled action's interval).
POLL_MINUTES = 5
# After a failure, the next try waits 1, 2, 4... minutes, at most this many.
BACKOFF_MAX_MINUTES = 60
# "Sync Now" works this long in the request, then leaves the rest to the scheduled action.
BUTTON_BUDGET_SECONDS = 20
# Seconds an IMAP server may take to answer (setting mail_lead_capture.imap_timeout).
DEFAULT_TIMEOUT = 30
# Addresses whose "on a lead?" answer a pass remembers; cleared when full (memory stays flat).
KNOWN_CACHE_SIZE = 5_000
SYNCED_STATES = ("connected", "syncing", "error")
ERROR_STATES = ("reauth", "error")


class MailCaptureMailbox(models.Model):
    """A user's IMAP mailbox, synced so that mail with lead contacts is filed on their leads.

    The model is thin: it keeps the settings and the per-folder state, drives the ORM-free sync
    protocol (``tools/imap_sync.py``) over the IMAP adapter (``tools/imap_session.py``), and hands
    every mail worth filing to ``mail.capture.engine``. Mail is stored in a cursor of its own, one
    commit per mail with its folder's checkpoint, while the mailbox row stays locked so that no
    two workers sync it at once.
    """

    _name = "mail.capture.mailbox"
    _description = "Synced Mailbox"
    _inherit = ["mail.thread"]
    _order = "user_id, email, id"
    _rec_name = "email"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Mail is filed on this company's leads.",
    )
    active = fields.Boolean(default=True)
    email = fields.Char(string="Email Address", required=True)
    preset = fields.Selection(
        imap_presets.preset_selection(),
        string="Provider",
        default=imap_presets.GENERIC.code,
        required=True,
        help="Fills in the server settings of the common providers.",
    )
    host = fields.Char(string="IMAP Server")
    port = fields.Integer(default=993)
    security = fields.Selection(
        [
            ("ssl", "SSL/TLS"),
            ("starttls", "STARTTLS"),
            ("none", "None (this machine only)"),
        ],
        default="ssl",
        required=True,
        help="SSL/TLS usually uses port 993 and STARTTLS port 143. A connection without "
        "encryption is only allowed to a server on this machine.",
    )
    login = fields.Char(help="Usually your email address. Leave empty to use it.")
    password = fields.Char(
        groups="base.group_user",
        copy=False,
        exportable=False,
        help="With two-factor authentication, most providers need an app password made for Odoo "
        "in your account's security settings.",
    )
    tls_fingerprint = fields.Char(
        string="Trusted Certificate",
        help="For a server with its own (self-signed) certificate: the SHA-256 fingerprint of the "
        "certificate to trust, as your administrator gives it.",
    )
    preset_hint = fields.Text(compute="_compute_preset_hint")
    scope = fields.Selection(
        [("all", "All folders"), ("chosen", "Chosen folders")],
        default="all",
        required=True,
        help="All folders: everything but Trash, Junk and Drafts (on Gmail, All Mail once). "
        "Chosen folders: only the folders ticked below.",
    )
    folder_ids = fields.One2many("mail.capture.mailbox.folder", "mailbox_id", string="Folders")
    direction = fields.Selection(
        [("one_way", "One-way"), ("two_way", "Two-way")],
        default="one_way",
        required=True,
        help="One-way: Odoo only reads the mailbox, it never changes it. Two-way: archiving or "
        "deleting a synced mail in Odoo moves it to the mailbox's Archive or Trash folder.",
    )
    auto_create = fields.Boolean(
        string="Create Leads from Outgoing Mail",
        help="Mail you send to addresses that are on no lead creates a lead with them as contacts. "
        "Without it, only mail with the contacts of existing leads is filed.",
    )
    privacy = fields.Selection(
        [("private", "Private to me"), ("shared", "Shared with the lead's team")],
        string="Synced Mail Is",
        default="private",
        required=True,
        help="Private: only you see the mail on the lead. Shared: whoever can see the lead sees it. "
        "You can change it for each mail.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("syncing", "Syncing"),
            ("connected", "Connected"),
            ("reauth", "Needs Re-authentication"),
            ("error", "Error"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        copy=False,
    )
    last_error = fields.Text(readonly=True, copy=False)
    error_date = fields.Datetime(readonly=True, copy=False)
    error_count = fields.Integer(readonly=True, copy=False)
    retry_date = fields.Datetime(
        string="Next Try", readonly=True, copy=False, help="After an error, sync waits until then."
    )
    next_sync = fields.Datetime(readonly=True, copy=False)
    last_sync = fields.Datetime(readonly=True, copy=False)
    import_total = fields.Integer(compute="_compute_import_progress")
    import_done = fields.Integer(compute="_compute_import_progress")
    import_progress = fields.Float(string="First Import", compute="_compute_import_progress")
    history_ids = fields.One2many("mail.capture.mailbox.history", "mailbox_id")
    location_ids = fields.One2many("mail.capture.mailbox.message", "mailbox_id")

    # ------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------

    _user_email_unique = models.UniqueIndex(
        "(user_id, email)", "You have already connected this mailbox."
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("preset")
    def _compute_preset_hint(self):
        for mailbox in self:
            preset = imap_presets.PRESETS.get(mailbox.preset, imap_presets.GENERIC)
            hints = []
            if "enable_imap" in preset.notes:
                hints.append(
                    self.env._(
                        "Switch IMAP access on in your %(provider)s settings first.",
                        provider=preset.name,
                    )
                )
            if preset.app_password_with_2fa:
                hints.append(
                    self.env._(
                        "With two-factor authentication on, %(provider)s refuses your usual "
                        "password: create an app password in your account's security settings "
                        "and enter it here.",
                        provider=preset.name,
                    )
                )
            if "work_accounts_need_oauth" in preset.notes:
                hints.append(
                    self.env._(
                        "Work and school accounts often have password sign-in switched off by "
                        "their administrator; personal accounts work with an app password."
                    )
                )
            if "regional_hosts" in preset.notes:
                hints.append(
                    self.env._(
                        "Accounts hosted in another region use that region's server "
                        "(for example imap.zoho.eu)."
                    )
                )
            mailbox.preset_hint = "\n".join(hints) or False

    @api.depends(
        "scope",
        "folder_ids.synced",
        "folder_ids.import_total",
        "folder_ids.import_done",
        "folder_ids.import_state",
    )
    def _compute_import_progress(self):
        for mailbox in self:
            folders = mailbox.folder_ids.filtered("synced")
            total = done = 0
            for folder in folders:
                if folder.import_state == "done":
                    total += folder.import_total
                    done += folder.import_total
                else:
                    total += max(folder.import_total, folder.import_done)
                    done += folder.import_done
            mailbox.import_total = total
            mailbox.import_done = done
            if folders and all(f.import_state == "done" for f in folders):
                mailbox.import_progress = 100.0
            else:
                mailbox.import_progress = 100.0 * done / total if total else 0.0

    # ------------------------------------------------------------
    # CONSTRAINTS AND ONCHANGE
    # ------------------------------------------------------------

    @api.constrains("email")
    def _check_email(self):
        for mailbox in self:
            if not addresses.normalize_address(mailbox.email):
                raise ValidationError(
                    self.env._(
                        "%(email)s is not an email address: enter one such as name@example.com.",
                        email=mailbox.email,
                    )
                )

    @api.constrains("host", "security", "port")
    def _check_connection_settings(self):
        for mailbox in self:
            if mailbox.port and not 0 < mailbox.port < 65536:
                raise ValidationError(
                    self.env._(
                        "%(port)s is not a port number: IMAP uses 993 (SSL/TLS) or 143 (STARTTLS).",
                        port=mailbox.port,
                    )
                )
            if mailbox.host and not imap_session.security_allowed(mailbox.host, mailbox.security):
                raise ValidationError(
                    self.env._(
                        "A connection without encryption is only allowed to a server on this "
                        "machine (localhost), not to %(host)s: choose SSL/TLS or STARTTLS.",
                        host=mailbox.host,
                    )
                )

    @api.onchange("preset")
    def _onchange_preset(self):
        preset = imap_presets.PRESETS.get(self.preset)
        if preset and preset.host:
            self.host = preset.host_for(self.email)
            self.port = preset.port
            self.security = preset.security

    @api.onchange("email")
    def _onchange_email(self):
        address = addresses.normalize_address(self.email or "")
        if not address:
            return
        preset = imap_presets.preset_for_address(address)
        if preset.host and not self.host:
            self.preset = preset.code
            self.host = preset.host_for(address)
            self.port = preset.port
            self.security = preset.security

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("email"):
                vals["email"] = addresses.normalize_address(vals["email"]) or vals["email"]
        return super().create(vals_list)

    def write(self, vals):
        if (
            "user_id" in vals
            and not self.env.su
            and not self.env.user.has_group("base.group_system")
        ):
            raise UserError(self.env._("Only an administrator can give a mailbox to another user."))
        if vals.get("email"):
            vals = dict(vals, email=addresses.normalize_address(vals["email"]) or vals["email"])
        return super().write(vals)

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        if any(path and path[0] == "password" for path in fields):
            raise UserError(self.env._("Mailbox passwords are never exported."))
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_test_connection(self):
        """Log in, list the folders, and say in words what went wrong, if anything."""
        self.ensure_one()
        self.check_access("write")
        mailbox = self.sudo()
        try:
            with mailbox._lead_capture_connect() as session:
                folders = session.list_folders()
        except imap_session.ImapError as error:
            sentence = mailbox._lead_capture_error_sentence(error)
            values = {"last_error": sentence, "error_date": fields.Datetime.now()}
            if mailbox.state != "draft" and error.kind in ("auth", "auth_app_password"):
                values["state"] = "reauth"
            mailbox.write(values)
            return self._lead_capture_notification(
                self.env._("Connection failed"), sentence, "danger"
            )
        mailbox._lead_capture_update_folders(folders)
        mailbox.write(
            {
                "state": "syncing" if mailbox._lead_capture_importing() else "connected",
                "last_error": False,
                "error_date": False,
                "error_count": 0,
                "retry_date": False,
                "next_sync": fields.Datetime.now(),
            }
        )
        self._lead_capture_trigger()
        synced = len(mailbox.folder_ids.filtered("synced"))
        return self._lead_capture_notification(
            self.env._("Connected"),
            self.env._(
                "Connected to %(host)s: %(count)s folders found, %(synced)s of them synced.",
                host=mailbox.host,
                count=len(folders),
                synced=synced,
            ),
            "success",
        )

    def action_fetch_folders(self):
        """List the server's folders again (to choose which ones to sync)."""
        self.ensure_one()
        self.check_access("write")
        mailbox = self.sudo()
        try:
            with mailbox._lead_capture_connect() as session:
                folders = session.list_folders()
        except imap_session.ImapError as error:
            return self._lead_capture_notification(
                self.env._("Connection failed"),
                mailbox._lead_capture_error_sentence(error),
                "danger",
            )
        mailbox._lead_capture_update_folders(folders)
        return self._lead_capture_notification(
            self.env._("Folders"),
            self.env._("%(count)s folders found.", count=len(folders)),
            "success",
        )

    def action_sync_now(self):
        """Sync now, for a short while; the scheduled action carries on with the rest."""
        self.ensure_one()
        self.check_access("write")
        if self.state not in SYNCED_STATES:
            raise UserError(
                self.env._("Test the connection first: the mailbox syncs once it connects.")
            )
        mailbox = self.sudo().try_lock_for_update(allow_referencing=True)
        if not mailbox:
            raise UserError(
                self.env._("This mailbox is being synced right now: try again in a moment.")
            )
        mailbox.write({"retry_date": False})
        complete = mailbox._lead_capture_sync_locked(
            deadline=time.monotonic() + BUTTON_BUDGET_SECONDS
        )
        if not complete:
            self._lead_capture_trigger()
        if mailbox.state in ERROR_STATES:
            return self._lead_capture_notification(
                self.env._("Sync failed"), mailbox.last_error, "danger"
            )
        return self._lead_capture_notification(
            self.env._("Synced"),
            self.env._("Sync is up to date.")
            if complete
            else self.env._("Sync goes on in the background; its progress shows on the mailbox."),
            "success",
        )

    # ------------------------------------------------------------
    # SCHEDULED ACTION
    # ------------------------------------------------------------

    @api.model
    def _cron_sync_mailboxes(self):
        """Entry point of the scheduled action "Email Capture: sync mailboxes" (and only of it)."""
        cron = self.env.ref("mail_lead_capture.ir_cron_mailbox_sync")
        assert self.env.context.get("cron_id") == cron.id, "Meant for its scheduled action only"
        self.sudo()._lead_capture_sync_due()

    @api.model
    def _lead_capture_due_domain(self):
        now = fields.Datetime.now()
        return [
            ("state", "in", SYNCED_STATES),
            "|",
            ("retry_date", "=", False),
            ("retry_date", "<=", now),
            "|",
            "|",
            "|",
            ("next_sync", "=", False),
            ("next_sync", "<=", now),
            ("history_ids", "!=", False),
            ("location_ids.server_action", "!=", False),
        ]

    @api.model
    def _lead_capture_sync_due(self):
        """Sync every mailbox that is due, oldest sync first, within the scheduled action's time.

        Each mailbox is locked (SKIP LOCKED) for its pass: another worker skips it. Progress counts
        mailboxes and stored mails; mailboxes whose pass the time box cut are counted as remaining,
        so the scheduled action runs again soon to go on.
        """
        Cron = self.env["ir.cron"]
        domain = self._lead_capture_due_domain()
        due = self.search(domain, order="last_sync asc nulls first, id")
        left, unfinished = len(due), 0
        time_left = Cron._commit_progress(remaining=left)
        for mailbox_id in due.ids:
            if time_left <= 0:
                break
            left -= 1
            # The transaction was just committed: the lock is its first statement, so a pass
            # another worker committed meanwhile is seen (not a serialization error).
            self.env.invalidate_all()
            mailbox = self.browse(mailbox_id).try_lock_for_update(allow_referencing=True)
            if not mailbox.filtered_domain(domain):
                time_left = Cron._commit_progress(remaining=left + unfinished)
                continue  # another worker has it, or synced it a moment ago
            complete = mailbox._lead_capture_sync_locked(
                remaining=left + unfinished + 1, time_left=time_left
            )
            unfinished += 0 if complete else 1
            # Commit the mailbox (releasing its lock) before writing the progress, which the
            # sync's own cursor updated meanwhile: as Odoo's fetchmail does, else the progress
            # update would be a serialization error.
            self.env.cr.commit()  # pylint: disable=invalid-commit
            self.env.invalidate_all()
            time_left = Cron._commit_progress(1, remaining=left + unfinished)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @contextmanager
    def _lead_capture_connect(self):
        """An :class:`~..tools.imap_session.ImapSession`, connected and logged in."""
        self.ensure_one()
        if not self.host:
            raise imap_session.ImapError("unreachable", "no server name")
        session = imap_session.ImapSession(
            self.host,
            self.port or 993,
            self.security,
            timeout=self._lead_capture_timeout(),
            pinned_fingerprint=(self.tls_fingerprint or None) if self.security != "none" else None,
        )
        with session:
            session.login(self.login or self.email, self.password or "")
            yield session

    @api.model
    def _lead_capture_timeout(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail_lead_capture.imap_timeout", DEFAULT_TIMEOUT)
        )
        try:
            return max(float(value), 1.0)
        except (TypeError, ValueError):
            return float(DEFAULT_TIMEOUT)

    def _lead_capture_error_sentence(self, error):
        """What an :class:`~..tools.imap_session.ImapError` means for this mailbox, in words."""
        self.ensure_one()
        preset = imap_presets.PRESETS.get(self.preset, imap_presets.GENERIC)
        host, detail = self.host or "?", error.detail or error.kind
        match error.kind:
            case "auth_app_password":
                return self.env._(
                    "%(provider)s refused the password because two-factor authentication is on "
                    "for this account: create an app password in the account's security settings, "
                    "enter it here and test the connection again.",
                    provider=preset.name if preset.host else host,
                )
            case "auth":
                sentence = self.env._(
                    "%(host)s refused the login %(login)s or its password: check them, then "
                    "test the connection again.",
                    host=host,
                    login=self.login or self.email,
                )
                if preset.app_password_with_2fa:
                    sentence += " " + self.env._(
                        "If two-factor authentication is on, %(provider)s needs an app password "
                        "instead of your usual one: create it in your account's security settings.",
                        provider=preset.name,
                    )
                return sentence
            case "tls":
                return self.env._(
                    "The secure connection to %(host)s failed (%(detail)s). Check the port and "
                    "the security (SSL/TLS usually on port 993, STARTTLS on 143); if the server "
                    "uses a certificate of its own, enter its fingerprint in Trusted Certificate.",
                    host=host,
                    detail=detail,
                )
            case "unreachable":
                return self.env._(
                    "%(host)s cannot be reached on port %(port)s (%(detail)s): check the server "
                    "name and the port, and that this Odoo server may connect to it.",
                    host=host,
                    port=self.port,
                    detail=detail,
                )
            case "timeout":
                return self.env._(
                    "%(host)s did not answer in time: check the port and the security, or try "
                    "again later if the server is busy.",
                    host=host,
                )
            case "dropped":
                return self.env._(
                    "The connection to %(host)s was lost (%(detail)s). Sync tries again by itself "
                    "and resumes where it stopped.",
                    host=host,
                    detail=detail,
                )
        return self.env._(
            "%(host)s answered something unexpected (%(detail)s). Sync tries again by itself; if "
            "this goes on, check the settings with your mail provider.",
            host=host,
            detail=detail,
        )

    def _lead_capture_notification(self, title, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _lead_capture_trigger(self):
        self.env.ref("mail_lead_capture.ir_cron_mailbox_sync").sudo()._trigger()

    def _lead_capture_update_folders(self, folders):
        """Bring the folder records in line with the server's list (``imap_session.Folder``).

        Returns True when a folder was added or changed.
        """
        self.ensure_one()
        changed = False
        Folder = self.env["mail.capture.mailbox.folder"].sudo()
        existing = {folder.name: folder for folder in self.folder_ids.sudo()}
        seen = set()
        for sequence, choice in enumerate(imap_sync.describe_folders(folders)):
            seen.add(choice.name)
            values = {
                "sequence": sequence,
                "role": choice.role,
                "choosable": choice.choosable,
                "in_all_scope": choice.in_all_scope,
                "reason": choice.reason or False,
                "missing": False,
            }
            folder = existing.get(choice.name)
            if folder is None:
                changed = True
                Folder.create(
                    {
                        **values,
                        "mailbox_id": self.id,
                        "name": choice.name,
                        "chosen": choice.choosable
                        and choice.role in (imap_sync.ROLE_INBOX, imap_sync.ROLE_SENT),
                    }
                )
            elif any(folder[key] != value for key, value in values.items()):
                changed = True
                folder.write(values)
        gone = [folder for name, folder in existing.items() if name not in seen]
        for folder in gone:
            if not folder.missing:
                changed = True
                folder.missing = True
        return changed

    def _lead_capture_importing(self):
        """True while a synced folder has not finished its first import."""
        self.ensure_one()
        return any(f.import_state != "done" for f in self.folder_ids.filtered("synced"))

    def _lead_capture_sync_locked(self, deadline=None, remaining=1, time_left=float("inf")):
        """Sync this mailbox, whose row the current transaction holds locked.

        Returns True when the pass finished (or failed: it is retried later), False when the time
        box cut it. Failures are written on the mailbox: "needs re-authentication" and a
        notification to the owner for a refused login, else an error and a retry with back-off.
        """
        self.ensure_one()
        started = fields.Datetime.now()
        try:
            report = self._lead_capture_pass(deadline, remaining, time_left)
        except imap_session.ImapError as error:
            _logger.info("Mailbox %s: sync failed (%s)", self.id, error.kind)
            self._lead_capture_sync_failed(error)
            return True
        except Exception as error:
            _logger.warning("Mailbox %s: sync failed", self.id, exc_info=True)
            self._lead_capture_sync_failed(error)
            return True
        values = {
            "state": "syncing" if report.importing else "connected",
            "last_sync": started,
            "next_sync": started + timedelta(minutes=POLL_MINUTES - 1)
            if report.complete
            else started,
            "last_error": False,
            "error_date": False,
            "error_count": 0,
            "retry_date": False,
        }
        self.write(values)
        return report.complete

    def _lead_capture_sync_failed(self, error):
        now = fields.Datetime.now()
        count = self.error_count + 1
        if isinstance(error, imap_session.ImapError):
            sentence = self._lead_capture_error_sentence(error)
        else:
            sentence = self.env._(
                "Sync stopped on an unexpected error (%(error)s); it resumes by itself where it "
                "stopped.",
                error=str(error) or type(error).__name__,
            )
        values = {
            "last_error": sentence,
            "error_date": now,
            "error_count": count,
            "last_sync": now,
        }
        if isinstance(error, imap_session.ImapError) and error.kind in (
            "auth",
            "auth_app_password",
        ):
            notify = self.state != "reauth"
            values.update(state="reauth", retry_date=False)
            self.write(values)
            if notify:
                self._lead_capture_notify_reauth(sentence)
            return
        minutes = min(2 ** min(count - 1, 10), BACKOFF_MAX_MINUTES)
        values.update(state="error", retry_date=now + timedelta(minutes=minutes))
        self.write(values)

    def _lead_capture_notify_reauth(self, sentence):
        """Tell the owner at once that sync stopped until they give a working password."""
        self.message_notify(
            partner_ids=self.user_id.partner_id.ids,
            subject=self.env._("Mailbox %(email)s needs your password", email=self.email),
            body=self.env._(
                "Email capture stopped syncing %(email)s: %(reason)s Open the mailbox in your "
                "preferences, enter the new password and click Test Connection: sync resumes "
                "where it stopped.",
                email=self.email,
                reason=sentence,
            ),
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _lead_capture_pass(self, deadline, remaining, time_left):
        """One pass in a cursor of its own: moves, history, then each synced folder."""
        with self.env.registry.cursor() as cr:
            mailbox = self.with_env(self.env(cr=cr))
            return _MailboxPass(mailbox, deadline, remaining, time_left).run()

    @api.model
    def _lead_capture_queue_history(self, company, new_addresses):
        """Import the past mail of addresses just added to a lead of ``company`` (or of no company).

        Queued for every connected mailbox of the company; the scheduled action runs soon. The
        filters are applied when the queue is worked (colleagues' addresses are dropped there):
        this runs on every lead change and must stay cheap.
        """
        if not new_addresses:
            return
        domain = [("state", "in", SYNCED_STATES)]
        if company:
            domain.append(("company_id", "=", company.id))
        mailboxes = self.sudo().search(domain)
        if not mailboxes:
            return
        History = self.env["mail.capture.mailbox.history"].sudo()
        for mailbox in mailboxes:
            pending = set(mailbox.history_ids.mapped("address"))
            todo = sorted(set(new_addresses) - pending)
            if todo:
                History.create([{"mailbox_id": mailbox.id, "address": a} for a in todo])
        self._lead_capture_trigger()


class _MailboxPass:
    """One sync pass over one mailbox, in the cursor of ``mailbox.env``.

    Holds what the pass reads once (filter rules, owner, options) and the counters; every mail is
    stored and committed with its folder's checkpoint (``store``), as ``imap_sync.sync_folder``
    requires.
    """

    def __init__(self, mailbox, deadline, remaining, time_left):
        self.mailbox = mailbox
        self.env = mailbox.env
        self.deadline = deadline
        self.remaining = max(remaining, 0)
        self.time_left = time_left
        self.owner = mailbox.user_id
        self.company = mailbox.company_id
        self.auto_create = mailbox.auto_create
        self.private = mailbox.privacy == "private"
        self.two_way = mailbox.direction == "two_way"
        self.scope = mailbox.scope
        self._rules = None
        self._lead_addresses = False  # not loaded yet; None: too many to keep, ask per address
        # Records the sync creates (contacts, the capture log, leads) get no "created" note and
        # no follower: the synced mail and its decision trace say it all.
        self.engine = (
            self.env["mail.capture.engine"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        )
        self.known = {}
        self.pending_ids = set()
        self.complete = True
        self.stored = 0
        self.examined = 0
        self.round_trips = 0

    @property
    def rules(self):
        """The filter rules, built once per pass, when the first mail needs them."""
        if self._rules is None:
            self._rules = self.company._lead_capture_filter_rules(self.owner)
        return self._rules

    @property
    def lead_addresses(self):
        """Every address on the company's leads, loaded once per pass when there are not too many."""
        if self._lead_addresses is False:
            self._lead_addresses = self.engine._lead_capture_lead_addresses(
                self.company, limit=KNOWN_CACHE_SIZE
            )
        return self._lead_addresses

    # ------------------------------------------------------------ time box and commits

    def should_stop(self):
        if self.time_left <= 0:
            return True
        return self.deadline is not None and time.monotonic() >= self.deadline

    def commit(self, processed=0):
        """Commit what was written (a mail and its checkpoint), counting it in the cron's progress."""
        self.time_left = self.env["ir.cron"]._commit_progress(processed, remaining=self.remaining)

    # ------------------------------------------------------------ the pass

    def run(self):
        mailbox = self.mailbox
        with mailbox._lead_capture_connect() as session:
            self.session = session
            folders = session.list_folders()
            if mailbox._lead_capture_update_folders(folders):
                self.commit()
            if self.two_way:
                self.apply_server_moves(folders)
            self.import_history()
            chosen = mailbox.folder_ids.filtered("chosen").mapped("name")
            selection = imap_sync.folders_to_sync(folders, self.scope, chosen)
            by_name = {folder.name: folder for folder in mailbox.folder_ids}
            # Sent first: a reply in the inbox then finds the mail it answers already filed.
            names = sorted(
                selection.names, key=lambda name: by_name[name].role != imap_sync.ROLE_SENT
            )
            before = session.round_trips
            for name in names:
                if self.should_stop():
                    self.complete = False
                    break
                self.sync_folder(by_name[name])
            self.round_trips = session.round_trips - before
        self.importing = mailbox._lead_capture_importing()
        _logger.info(
            "Mailbox %s: %d mails examined, %d stored%s",
            mailbox.id,
            self.examined,
            self.stored,
            "" if self.complete else " (time box reached: resumes next run)",
        )
        return self

    # ------------------------------------------------------------ folders

    def sync_folder(self, folder):
        checkpoint = folder._lead_capture_checkpoint()
        importing = folder.import_state != "done"
        # Progress counts the mails handled (at or before the checkpoint), not those whose header
        # was read: a batch is judged whole before any of it is stored.
        handled = folder.import_done if importing else 0
        if importing:
            # only during a first import: what is left to examine, for the progress bar
            plan = imap_sync.plan_pass(self.session, folder.name, checkpoint)
            folder.write({"import_state": "running", "import_total": handled + plan.estimated})
            self.commit()
        progress = {"handled": handled, "pending": []}  # pending: examined UIDs, ascending

        def wants_body(message):
            progress["pending"].append(message.uid)
            self.examined += 1
            return self.wants(message)

        def with_progress(values, last_uid):
            if importing:
                done = bisect.bisect_right(progress["pending"], last_uid)
                values["import_done"] = progress["handled"] + done
            return values

        def settle(last_uid):
            pending = progress["pending"]
            done = bisect.bisect_right(pending, last_uid)
            progress["handled"] += done
            del pending[:done]

        def store(message, raw):
            self.file(folder, message, raw)
            values = folder._lead_capture_checkpoint_values(message.checkpoint)
            folder.write(with_progress(values, message.uid))
            self.stored += 1
            self.commit(1)
            settle(message.uid)
            self.pending_ids.discard(message.summary.message_id)  # now found in the database

        def save_checkpoint(new_checkpoint):
            values = folder._lead_capture_checkpoint_values(new_checkpoint)
            values["last_sync"] = fields.Datetime.now()
            folder.write(with_progress(values, new_checkpoint.last_uid))
            self.commit()
            settle(new_checkpoint.last_uid)

        try:
            result = imap_sync.sync_folder(
                self.session,
                folder.name,
                checkpoint,
                wants_body=wants_body,
                store=store,
                save_checkpoint=save_checkpoint,
                should_stop=self.should_stop,
            )
        except imap_session.ImapError as error:
            self.env.cr.rollback()
            if error.kind in ("dropped", "timeout") or not self.session.connected:
                raise
            folder.write(
                {
                    "error_message": self.mailbox._lead_capture_error_sentence(error),
                    "error_date": fields.Datetime.now(),
                    "error_count": folder.error_count + 1,
                }
            )
            self.commit()
            return
        if result.action == imap_sync.UP_TO_DATE and not importing and not folder.error_message:
            return  # nothing new: one STATUS, no write
        values = {"last_sync": fields.Datetime.now()}
        if folder.error_message:
            values.update(error_message=False, error_date=False, error_count=0)
        if result.complete and importing:
            handled = progress["handled"] + len(progress["pending"])
            values.update(import_state="done", import_done=handled, import_total=handled)
        folder.write(values)
        self.commit()
        if not result.complete:
            self.complete = False
        _logger.info(
            "Mailbox %s, folder %s: %s, %d examined, %d stored",
            self.mailbox.id,
            folder.name,
            result.action,
            result.examined,
            result.stored,
        )

    # ------------------------------------------------------------ one mail

    def wants(self, message):
        """Download this mail? From its header: lead contacts, replies to filed mail, options."""
        summary = message.summary
        if len(self.known) > KNOWN_CACHE_SIZE:
            self.known.clear()
        if len(self.pending_ids) > KNOWN_CACHE_SIZE:
            self.pending_ids.clear()
        wanted = self.engine._lead_capture_wants(
            summary.participants,
            summary.thread_ids,
            company=self.company,
            owner=self.owner,
            auto_create=self.auto_create,
            direction=mail_direction(summary.sender, self.rules.user_addresses),
            rules=self.rules,
            automated_kind=automated.automated_kind(message.header),
            known=self.known,
            pending_ids=self.pending_ids,
            lead_addresses=self.lead_addresses,
        )
        if not wanted or not summary.message_id:
            return wanted
        # Already filed (the same mail in another folder or mailbox, or a folder rescanned after
        # a UIDVALIDITY change): no need to download it again.
        if summary.message_id in self.pending_ids or self.env["mail.message"].sudo().search_count(
            [("message_id", "=", summary.message_id), ("model", "=", "crm.lead")], limit=1
        ):
            return False
        self.pending_ids.add(summary.message_id)
        return True

    def file(self, folder, message, raw):
        """File one downloaded mail; a mail that breaks the engine waits in the owner's queue."""
        env = self.env
        parsed = email.message_from_bytes(raw, policy=email.policy.SMTP)
        engine = self.engine.with_context(lead_capture_raw=raw)
        mail = None
        try:
            with env.cr.savepoint():
                message_dict = env["mail.thread"].sudo().message_parse(parsed)
                mail, body, attachments, robot = engine._lead_capture_prepare(
                    parsed, message_dict, with_forward=False
                )
                author = mail.author.address if mail.author else None
                outgoing = mail_direction(author, self.rules.user_addresses) == OUTGOING
                lead_id = engine._lead_capture_file(
                    mail,
                    body,
                    attachments,
                    company=self.company,
                    owner=self.owner,
                    source="sync",
                    automated_kind=robot,
                    raw=raw,
                    message=parsed,
                    no_match="create" if self.auto_create and outgoing else "skip",
                    keep_screened=False,
                    rules=self.rules,
                    message_values=self.message_values(folder, message),
                )
        except Exception as error:  # a mail that breaks the engine must not be lost
            mail = mail or capture.captured_mail(parsed, None)
            _logger.warning(
                "Mailbox %s: mail %s could not be filed; kept for review",
                self.mailbox.id,
                mail.message_id,
                exc_info=True,
            )
            with env.cr.savepoint():
                engine._lead_capture_keep_failed(mail, raw, self.owner, self.company, "sync", error)
            return False
        if lead_id:
            # its participants may have become contacts: forget what was known of them
            for address in message.summary.participants:
                self.known.pop(address, None)
            if self._lead_addresses:
                self._lead_addresses.update(mail.participants)
                if len(self._lead_addresses) > KNOWN_CACHE_SIZE:
                    self._lead_addresses = None  # too many to keep: ask per address from now on
        return lead_id

    def message_values(self, folder, message):
        from odoo.fields import Command  # noqa: PLC0415

        return {
            "lead_capture_private_user_id": self.owner.id if self.private else False,
            "lead_capture_location_ids": [
                Command.create(
                    {
                        "mailbox_id": self.mailbox.id,
                        "folder": folder.name,
                        "uidvalidity": message.uidvalidity,
                        "uid": message.uid,
                        "message_ref": message.summary.message_id,
                    }
                )
            ],
        }

    # ------------------------------------------------------------ history import

    def import_history(self):
        """The past mail of addresses just added to leads, by IMAP SEARCH in synced folders."""
        pending = self.mailbox.history_ids
        if not pending:
            return
        # colleagues, company domains and blocked addresses have no past mail to import
        kept = set(filters.screen(pending.mapped("address"), self.rules).kept)
        screened = pending.filtered(lambda h: h.address not in kept)
        if screened:
            screened.unlink()
            self.commit()
            pending = self.mailbox.history_ids
            if not pending:
                return
        folders = self.mailbox.folder_ids.filtered(lambda f: f.synced and f.uidvalidity)
        for folder in folders:
            todo = pending.filtered(lambda h, folder=folder: folder not in h.done_folder_ids)
            if not todo:
                continue
            checkpoint = folder._lead_capture_checkpoint()
            for batch in imap_sync.history_batches(
                self.session, folder.name, todo.mapped("address"), checkpoint
            ):
                wanted = [message for message in batch.messages if self.wants(message)]
                for message, raw in batch.bodies(wanted):
                    if raw is None:
                        continue
                    self.file(folder, message, raw)
                    self.stored += 1
                    self.commit(1)
                    if self.should_stop():
                        self.complete = False
                        return
            todo.write({"done_folder_ids": [(4, folder.id)]})
            self.commit()
            if self.should_stop():
                self.complete = False
                return
        self.mailbox.history_ids.filtered(lambda h: not (folders - h.done_folder_ids)).unlink()
        self.commit()

    # ------------------------------------------------------------ two-way

    def apply_server_moves(self, folders):
        """Move to Archive or Trash, on the server, the mail archived or deleted in Odoo."""
        Location = self.env["mail.capture.mailbox.message"]
        pending = Location.search(
            [("mailbox_id", "=", self.mailbox.id), ("server_action", "!=", False)]
        )
        destinations = {
            "archive": imap_sync.find_folder(folders, imap_sync.ROLE_ARCHIVE)
            or imap_sync.find_folder(folders, imap_sync.ROLE_ALL),
            "trash": imap_sync.find_folder(folders, imap_sync.ROLE_TRASH),
        }
        for (source, action), group in pending.grouped(
            lambda loc: (loc.folder, loc.server_action)
        ).items():
            destination = destinations[action]
            if not destination or destination == source:
                group.write(
                    {
                        "server_action": False,
                        "server_error": self.env._(
                            "The server has no %(folder)s folder: the mail was left where it is.",
                            folder=self.env._("Archive")
                            if action == "archive"
                            else self.env._("Trash"),
                        )
                        if not destination
                        else False,
                    }
                )
                self.commit()
                continue
            try:
                status = self.session.select(source, readonly=False)
                uids = set()
                for location in group:
                    if location.uid and location.uidvalidity == status.uidvalidity:
                        uids.add(int(location.uid))
                    elif location.message_ref:
                        uids.update(self.session.search(message_id=location.message_ref))
                self.session.move(uids, destination)
            except imap_session.ImapError as error:
                if error.kind in ("dropped", "timeout") or not self.session.connected:
                    raise
                group.write(
                    {
                        "server_action": False,
                        "server_error": self.mailbox._lead_capture_error_sentence(error),
                    }
                )
                self.commit()
                continue
            if action == "trash":
                group.unlink()
            else:
                group.write({"folder": destination, "uid": 0, "server_action": False})
            self.commit()
