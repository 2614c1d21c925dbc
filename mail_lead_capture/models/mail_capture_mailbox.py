import logging
import time
from contextlib import contextmanager
from datetime import timedelta

import psycopg2
import requests
from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo import release
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from ..tools import addresses
from ..tools import imap
from ..tools.imap import fleet as imap_fleet
from . import mailbox_skips
from .mailbox_fleet import DEFAULT_PARALLEL
from .mailbox_fleet import MailboxFleet
from .mailbox_gate import button_gate
from .mailbox_sync_pass import MailboxPass

_logger = logging.getLogger(__name__)

# Mailboxes are polled this often (the scheduled action's interval).
POLL_MINUTES = 5
# After a failure, the next try waits 1, 2, 4... minutes, at most this many.
BACKOFF_MAX_MINUTES = 60
# "Sync Now" works this long in the request, then leaves the rest to the scheduled action.
BUTTON_BUDGET_SECONDS = 20
# Seconds an IMAP server may take to answer (setting mail_lead_capture.imap_timeout).
DEFAULT_TIMEOUT = 30
# IMAP's ports; an administrator allows others in the setting mail_lead_capture.imap_extra_ports
# ("1143, 10000-10100"). A mailbox never connects anywhere else: Test Connection is no port scanner.
IMAP_PORTS = (993, 143)
SYNCED_STATES = ("connected", "syncing", "error")
ERROR_STATES = ("reauth", "error")
# Health: a problem that lasts this long is told to the owner (once) and to administrators (in
# their daily summary); a mailbox that brought no mail for STALL_FACTOR times its usual interval
# (and at least STALL_MIN) while its server reports new mail is flagged as stalled.
TROUBLE_NOTICE_AFTER = timedelta(hours=1)
STALL_FACTOR = 4
STALL_MIN = timedelta(hours=24)
# Fields only the sync writes (as superuser): an owner who sets them (a claim far in the future, a
# next sync in ten years, a fake error) would stop or fake their mailbox's sync.
SYNC_STATE_FIELDS = frozenset(
    {
        "state",
        "last_error",
        "error_date",
        "error_count",
        "retry_date",
        "next_sync",
        "last_sync",
        "trouble_since",
        "trouble_notified",
        "last_mail_date",
        "mail_rhythm",
        "stalled",
        "sync_claim_pid",
        "sync_claim_until",
    }
)


class MailCaptureMailbox(models.Model):
    """A user's IMAP mailbox, synced so that mail with lead contacts is filed on their leads.

    The model is thin: it keeps the settings and the per-folder state, drives the ORM-free sync
    protocol (``tools/imap/sync.py``) over the IMAP adapter (``tools/imap/session.py``), and hands
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
        imap.preset_selection(),
        string="Provider",
        default=imap.GENERIC.code,
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
    auth_method = fields.Selection(
        [("password", "Password")],
        string="Sign In With",
        default="password",
        required=True,
        help="How Odoo signs in to the mailbox: with its password, or with the Google or "
        "Microsoft account you connect (when the administrator installed those modules).",
    )
    login = fields.Char(help="Usually your email address. Leave empty to use it.")
    # The password is write-only for clients: ``password`` is what the form writes (and always
    # reads back empty), ``imap_password`` what is stored, readable by no client at all (read,
    # search, grouping, export), only by the sync's own code.
    password = fields.Char(
        compute="_compute_password",
        inverse="_inverse_password",
        groups="base.group_user",
        copy=False,
        exportable=False,
        help="With two-factor authentication, most providers need an app password made for Odoo "
        "in your account's security settings. The password is never shown again: type a new one "
        "to change it.",
    )
    imap_password = fields.Char(groups=fields.NO_ACCESS, copy=False, exportable=False)
    password_set = fields.Boolean(
        string="Password Stored",
        compute="_compute_password",
        help="A password is stored for this mailbox (it is never shown).",
    )
    send_mail = fields.Boolean(
        string="Send My Mail Through It",
        copy=False,
        help="Mail you send from Odoo leaves from this mailbox (your personal outgoing server: "
        "replies come back to it, and your provider signs it), and a copy is filed in its Sent "
        "folder.",
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
    trouble_since = fields.Datetime(
        string="In Trouble Since",
        readonly=True,
        copy=False,
        help="Since when sync has been failing (or a folder, or the mailbox, stalled), until a "
        "pass succeeds again.",
    )
    trouble_notified = fields.Boolean(readonly=True, copy=False)
    last_mail_date = fields.Datetime(
        string="Last Mail Seen",
        readonly=True,
        copy=False,
        help="The last pass that found new mail on the server.",
    )
    mail_rhythm = fields.Float(
        string="Usual Hours Between Mails",
        readonly=True,
        copy=False,
        help="How long this mailbox usually goes between passes that find new mail.",
    )
    stalled = fields.Boolean(
        readonly=True,
        copy=False,
        help="The server reports new mail, but sync has brought nothing for much longer than "
        "usual.",
    )
    import_total = fields.Integer(compute="_compute_import_progress")
    import_done = fields.Integer(compute="_compute_import_progress")
    import_progress = fields.Float(string="First Import", compute="_compute_import_progress")
    # Mail the sync left alone, by reason: the sums of the folders' counts (``mailbox_skips``).
    skipped_no_contact = mailbox_skips.mailbox_total("no_contact")
    skipped_robot = mailbox_skips.mailbox_total("robot")
    skipped_colleagues = mailbox_skips.mailbox_total("colleagues")
    skipped_blocked = mailbox_skips.mailbox_total("blocked")
    history_ids = fields.One2many("mail.capture.mailbox.history", "mailbox_id")
    # A worker's claim while it surveys the mailbox (``mailbox_fleet``): its database backend's
    # pid, and when the claim lapses anyway. Written in SQL only.
    sync_claim_pid = fields.Integer(readonly=True, copy=False)
    sync_claim_until = fields.Datetime(readonly=True, copy=False)
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

    def _compute_password(self):
        for mailbox, stored in zip(self, self.sudo(), strict=True):
            mailbox.password = False
            mailbox.password_set = bool(stored.imap_password)

    def _inverse_password(self):
        for mailbox in self:
            if mailbox.password:
                mailbox.sudo().imap_password = mailbox.password
        # nothing reads it back, not even the answer to the save that wrote it
        self.invalidate_recordset(["password", "password_set"])

    @api.depends("preset")
    def _compute_preset_hint(self):
        for mailbox in self:
            preset = imap.PRESETS.get(mailbox.preset, imap.GENERIC)
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

    @api.depends(*(f"folder_ids.{name}" for name in mailbox_skips.SKIP_FIELDS))
    def _compute_skipped(self):
        for mailbox in self:
            for name in mailbox_skips.SKIP_FIELDS:
                mailbox[name] = sum(mailbox.folder_ids.mapped(name))

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

    @api.constrains("company_id", "user_id")
    def _check_company(self):
        for mailbox in self:
            if mailbox.company_id not in mailbox.user_id.sudo().company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work for %(company)s: a mailbox files its mail on the "
                        "leads of one of its owner's companies. Choose one of them.",
                        user=mailbox.user_id.sudo().display_name,
                        company=mailbox.company_id.sudo().display_name,
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
            if mailbox.host and not imap.security_allowed(mailbox.host, mailbox.security):
                raise ValidationError(
                    self.env._(
                        "A connection without encryption is only allowed to a server on this "
                        "machine (localhost), not to %(host)s: choose SSL/TLS or STARTTLS.",
                        host=mailbox.host,
                    )
                )

    @api.constrains("auth_method", "security")
    def _check_oauth_security(self):
        providers = self._oauth_providers()
        for mailbox in self:
            provider = providers.get(mailbox.auth_method)
            if provider and mailbox.security != "ssl":
                raise ValidationError(
                    self.env._(
                        "A mailbox signed in with %(provider)s connects with SSL/TLS: choose "
                        "SSL/TLS (port 993) for %(email)s.",
                        provider=provider.name,
                        email=mailbox.email,
                    )
                )

    @api.onchange("auth_method")
    def _onchange_auth_method(self):
        if provider := self._oauth_providers().get(self.auth_method):
            self.preset = provider.preset
            self._onchange_preset()

    @api.onchange("preset")
    def _onchange_preset(self):
        preset = imap.PRESETS.get(self.preset)
        if preset and preset.host:
            self.host = preset.host_for(self.email)
            self.port = preset.port
            self.security = preset.security

    @api.onchange("email")
    def _onchange_email(self):
        address = addresses.normalize_address(self.email or "")
        if not address:
            return
        preset = imap.preset_for_address(address)
        if preset.host and not self.host:
            self.preset = preset.code
            self.host = preset.host_for(address)
            self.port = preset.port
            self.security = preset.security

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        # Databases from before the password became write-only stored it in a "password" column:
        # move it to imap_password, and drop the old column (nothing must read it back).
        if column_exists(self.env.cr, self._table, "password"):
            self.env.cr.execute(
                SQL(
                    "UPDATE %(table)s SET imap_password = password "
                    "WHERE imap_password IS NULL AND password IS NOT NULL",
                    table=SQL.identifier(self._table),
                )
            )
            self.env.cr.execute(
                SQL("ALTER TABLE %(table)s DROP COLUMN password", table=SQL.identifier(self._table))
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_sync_state_vals(vals)
            if vals.get("email"):
                vals["email"] = addresses.normalize_address(vals["email"]) or vals["email"]
        mailboxes = super().create(vals_list)
        for mailbox in mailboxes.filtered("send_mail").sudo():
            mailbox._setup_outgoing()
        return mailboxes

    def write(self, vals):
        self._check_sync_state_vals(vals)
        if vals.get("auth_method"):
            # another way to sign in: the other providers' tokens go
            stale = [
                name
                for code, provider in self._oauth_providers().items()
                if code != vals["auth_method"]
                for name in provider.token_fields
            ]
            vals = dict(vals, **dict.fromkeys(stale, False))
        if vals.get("send_mail"):
            self.check_access("write")
        if (
            "user_id" in vals
            and not self.env.su
            and not self.env.user.has_group("base.group_system")
        ):
            raise UserError(self.env._("Only an administrator can give a mailbox to another user."))
        if vals.get("email"):
            vals = dict(vals, email=addresses.normalize_address(vals["email"]) or vals["email"])
        sending = self.filtered("send_mail") if "send_mail" in vals else self.browse()
        result = super().write(vals)
        if "send_mail" in vals or "password" in vals:
            # sudo: the owner's personal outgoing server (Odoo keeps them admin-only)
            for mailbox in self.sudo().filtered("send_mail"):
                mailbox._setup_outgoing()
            (sending - self.filtered("send_mail")).sudo()._outgoing_server().unlink()
        return result

    def _check_sync_state_vals(self, vals):
        """Refuse ``vals`` that set the sync's own fields, unless the sync (superuser) or an
        administrator writes them."""
        written = SYNC_STATE_FIELDS.intersection(vals)
        if not written or self.env.su or self.env.user.has_group("base.group_system"):
            return
        raise UserError(
            self.env._(
                "Only the sync changes these fields of a mailbox: %(fields)s. To sync now, click "
                "Sync Now; to start again after an error, click Test Connection.",
                fields=", ".join(
                    sorted(self._fields[name]._description_string(self.env) for name in written)
                ),
            )
        )

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        tokens = {
            name for provider in self._oauth_providers().values() for name in provider.token_fields
        }
        if any(path and path[0] in tokens for path in fields):
            raise UserError(self.env._("Mailbox sign-in tokens are never exported."))
        if any(path and path[0] in ("password", "imap_password") for path in fields):
            raise UserError(self.env._("Mailbox passwords are never exported."))
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_test_connection(self):
        """Log in, list the folders, and say in words what went wrong, if anything."""
        mailbox = self.sudo()
        try:
            folders = self._refresh_folders()
        except imap.ImapError as error:
            # The server's own words (banners, errors) stay in the server log, for administrators.
            _logger.info("Mailbox %s: test connection failed (%s)", mailbox.id, error)
            sentence = mailbox._error_sentence(error)
            values = {"last_error": sentence, "error_date": fields.Datetime.now()}
            if mailbox.state != "draft" and error.kind in ("auth", "auth_app_password"):
                values["state"] = "reauth"
            mailbox.write(values)
            return self._notification_action(self.env._("Connection failed"), sentence, "danger")
        mailbox.write(
            {
                "state": "syncing" if mailbox._is_importing() else "connected",
                "last_error": False,
                "error_date": False,
                "error_count": 0,
                "retry_date": False,
                "next_sync": fields.Datetime.now(),
            }
        )
        self._trigger_sync()
        mailbox._claim_address()
        synced = len(mailbox.folder_ids.filtered("synced"))
        return self._notification_action(
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
        try:
            folders = self._refresh_folders()
        except imap.ImapError as error:
            return self._notification_action(
                self.env._("Connection failed"),
                self.sudo()._error_sentence(error),
                "danger",
            )
        return self._notification_action(
            self.env._("Folders"),
            self.env._("%(count)s folders found.", count=len(folders)),
            "success",
        )

    def _refresh_folders(self):
        """For the owner (or an admin): log in, list the folders, bring the records in line.

        Returns the server's folders; raises ``imap.ImapError`` when the server says no.
        """
        self.ensure_one()
        self.check_access("write")
        self._check_attempt()
        mailbox = self.sudo()
        # within the connection caps and back-offs every worker shares (UserError: not now)
        with button_gate(mailbox) as gate:
            with mailbox.with_context(lead_capture_gate=gate)._connect_imap() as session:
                folders = session.list_folders()
        mailbox._update_folders(folders)
        return folders

    def action_sync_now(self):
        """Sync now, for a short while; the scheduled action carries on with the rest."""
        self.ensure_one()
        self.check_access("write")
        if self.state not in SYNCED_STATES:
            raise UserError(
                self.env._("Test the connection first: the mailbox syncs once it connects.")
            )
        self._check_attempt()
        mailbox = self.sudo().try_lock_for_update(allow_referencing=True)
        if not mailbox:
            raise UserError(
                self.env._("This mailbox is being synced right now: try again in a moment.")
            )
        mailbox.write({"retry_date": False})
        with button_gate(mailbox) as gate:
            complete = mailbox.with_context(lead_capture_gate=gate)._sync_locked(
                deadline=time.monotonic() + BUTTON_BUDGET_SECONDS
            )
        if not complete:
            self._trigger_sync()
        if mailbox.state in ERROR_STATES:
            return self._notification_action(
                self.env._("Sync failed"), mailbox.last_error, "danger"
            )
        return self._notification_action(
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
        """Entry point of the scheduled action "Email Capture: sync mailboxes" and of its copies
        (``_set_sync_jobs``), and only of them."""
        crons = self._sync_crons()
        assert self.env.context.get("cron_id") in crons.ids, "Meant for its scheduled action only"
        self.sudo()._sync_due()

    @api.model
    def _sync_crons(self):
        """The scheduled action that syncs mailboxes and its copies, active or not."""
        cron = self.env.ref("mail_lead_capture.ir_cron_mailbox_sync").sudo()
        return cron | cron.with_context(active_test=False).search(
            [("model_id", "=", cron.model_id.id), ("code", "=", cron.code)], order="id"
        )

    @api.model
    def _set_sync_jobs(self, count):
        """Run ``count`` copies of the sync's scheduled action (Odoo runs one scheduled action on
        one worker at a time: each copy lets one more cron worker, of this server or another one,
        sync mailboxes at the same time; they share the due mailboxes through claims)."""
        count = max(int(count or 1), 1)
        crons = self._sync_crons()
        main, copies = crons[:1], crons[1:]
        for number, cron in enumerate(copies, start=2):
            if cron.active != (number <= count):
                cron.active = number <= count
        for number in range(len(copies) + 2, count + 1):
            main.copy(
                {
                    "name": self.env._("%(name)s (%(number)s)", name=main.name, number=number),
                    "active": True,
                }
            )

    @api.model
    def _sync_parallel(self):
        """How many mailboxes one worker surveys at once (1: one after another, as before)."""
        return self._int_param("sync_parallel", DEFAULT_PARALLEL)

    @api.model
    def _int_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"mail_lead_capture.{key}")
        try:
            return max(int(value), 1) if value else default
        except ValueError:
            return default

    @api.model
    def _due_domain(self):
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
            "&",  # moves queued in Odoo: only a two-way mailbox makes them
            ("direction", "=", "two_way"),
            ("location_ids.server_action", "!=", False),
        ]

    @api.model
    def _sync_due(self):
        """Sync every mailbox that is due, oldest sync first, within the scheduled action's time.

        Each mailbox is locked (SKIP LOCKED) for its pass: another worker skips it. Progress counts
        mailboxes and stored mails; mailboxes whose pass the time box cut are counted as remaining,
        so the scheduled action runs again soon to go on.
        """
        parallel = self._sync_parallel()
        if parallel > 1:
            host_limit = self._int_param("host_connections", imap_fleet.DEFAULT_HOST_LIMIT)
            return MailboxFleet(self, parallel, host_limit).run()
        Cron = self.env["ir.cron"]
        domain = self._due_domain()
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
            complete = mailbox._sync_locked(remaining=left + unfinished + 1, time_left=time_left)
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

    def _check_attempt(self):
        """Count one connection the user asked for; refuse it past the per-user limit."""
        if self.env.su:
            return
        Attempt = self.env["mail.capture.connection.attempt"]
        if not Attempt._allow(self.env.user):
            raise UserError(
                self.env._(
                    "You have tested connections %(count)s times in the last few minutes: wait "
                    "ten minutes, then try again. Check the server name, port and password "
                    "meanwhile.",
                    count=Attempt._attempt_limit(),
                )
            )

    @api.model
    def _allowed_ports(self):
        """IMAP's ports and those an administrator allows (single ports and ranges)."""
        allowed = set(IMAP_PORTS)
        value = (
            self.env["ir.config_parameter"].sudo().get_param("mail_lead_capture.imap_extra_ports")
            or ""
        )
        for part in value.replace(";", ",").split(","):
            low, _dash, high = part.strip().partition("-")
            try:
                first, last = int(low), int(high or low)
            except ValueError:
                continue
            if 0 < first <= last < 65536:
                allowed.add(range(first, last + 1))
        return allowed

    def _port_allowed(self, port):
        return any(
            port == item if isinstance(item, int) else port in item
            for item in self._allowed_ports()
        )

    @contextmanager
    def _connect_imap(self):
        """An :class:`~..tools.imap.ImapSession`, connected and logged in."""
        self.ensure_one()
        if not self.host:
            raise imap.ImapError("unreachable", "no server name")
        if not self._port_allowed(self.port or 993):
            raise UserError(
                self.env._(
                    "Port %(port)s is not an IMAP port: use 993 (SSL/TLS) or 143 (STARTTLS). An "
                    "administrator can allow another port in Settings > CRM > Email Capture.",
                    port=self.port,
                )
            )
        session = imap.ImapSession(
            self.host,
            self.port or 993,
            self.security,
            timeout=self._imap_timeout(),
            pinned_fingerprint=(self.tls_fingerprint or None) if self.security != "none" else None,
        )
        primed = self.env.context.get("lead_capture_session")
        if primed is not None and primed.connected:
            # opened, logged in and asked for STATUS ahead by the fleet (tools/imap/fleet.py)
            with primed:
                yield primed
            return
        # A pass gets the credentials from the transaction that holds the mailbox's lock (see
        # _sync_pass): its own cursor must not refresh a token, which writes the mailbox.
        credentials = self.env.context.get("lead_capture_credentials")
        if credentials is None:
            credentials = self._credentials()
        gate = self.env.context.get("lead_capture_gate")  # a button's (mailbox_gate)
        try:
            with session:
                session.authenticate(credentials)
                if gate is not None:
                    gate.succeeded()
                yield session
        except imap.ImapError as error:
            if gate is not None:
                gate.failed(error)
            raise

    def _credentials(self):
        """How this mailbox logs in, as an ``imap.Credentials``: its password, or a fresh
        access token of the OAuth provider it signs in with (``_oauth_providers``).

        Called in a transaction that may write the mailbox (a refreshed token is stored there).
        Raises ``imap.ImapError`` ("auth" when the owner must sign in again).
        """
        self.ensure_one()
        if provider := self._oauth_providers().get(self.auth_method):
            mailbox = self.sudo()

            def access_token():
                if not mailbox[provider.refresh_token_field]:
                    return None
                return getattr(mailbox, provider.access_token_method)()

            return mailbox._oauth_credentials(access_token)
        return imap.Credentials(self.login or self.email, self.sudo().imap_password or "")

    def _oauth_credentials(self, access_token, mechanism="XOAUTH2"):
        """Credentials with the access token ``access_token()`` gives (Odoo's Gmail and Outlook
        mixins renew it when it is about to expire, writing the mailbox).

        The provider refusing to renew it (a withdrawn or expired grant: ``UserError`` from the
        mixins) is kind "auth", so the owner is asked to sign in again; a provider out of reach is
        "unreachable", retried later. The error never carries a token (nor chains the request's
        error, whose text may show one in a URL).
        """
        self.ensure_one()
        try:
            token = access_token()
        except UserError:
            raise imap.ImapError("auth", "the provider refused to renew the access token") from None
        except requests.RequestException as error:
            kind = "timeout" if isinstance(error, requests.Timeout) else "unreachable"
            raise imap.ImapError(kind, type(error).__name__) from None
        if not token:
            raise imap.ImapError("auth", "not signed in")
        return imap.Credentials(self.login or self.email, token, mechanism)

    @api.model
    def _imap_timeout(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail_lead_capture.imap_timeout", DEFAULT_TIMEOUT)
        )
        try:
            return max(float(value), 1.0)
        except (TypeError, ValueError):
            return float(DEFAULT_TIMEOUT)

    def _error_sentence(self, error):
        """What an :class:`~..tools.imap.ImapError` means for this mailbox, in words."""
        self.ensure_one()
        preset = imap.PRESETS.get(self.preset, imap.GENERIC)
        host, detail = self.host or "?", error.detail or error.kind
        match error.kind:
            case "auth_app_password":
                return self.env._(
                    "%(provider)s refused the password because two-factor authentication is on "
                    "for this account: create an app password in the account's security settings, "
                    "enter it here and test the connection again.",
                    provider=preset.name if preset.host else host,
                )
            case "auth" if self._oauth_provider():
                return self.env._(
                    "%(provider)s no longer lets Odoo read %(email)s: the access was withdrawn or "
                    "has expired, or another account signed in. Click Sign in with %(provider)s "
                    "on the mailbox and sign in as %(email)s: sync resumes where it stopped.",
                    provider=self._oauth_provider(),
                    email=self.login or self.email,
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
                    "%(host)s cannot be reached on port %(port)s: check the server name and the "
                    "port, and that this Odoo server may connect to it.",
                    host=host,
                    port=self.port,
                )
            case "timeout":
                return self.env._(
                    "%(host)s did not answer in time: check the port and the security, or try "
                    "again later if the server is busy.",
                    host=host,
                )
            case "dropped":
                return self.env._(
                    "The connection to %(host)s was lost. Sync tries again by itself and resumes "
                    "where it stopped.",
                    host=host,
                )
        return self.env._(
            "%(host)s answered something that is not IMAP as expected. Sync tries again by "
            "itself; if this goes on, check the settings with your mail provider.",
            host=host,
        )

    def _notification_action(self, title, message, kind):
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
    def _trigger_sync(self):
        for cron in self._sync_crons().filtered("active"):
            cron._trigger()

    def _update_folders(self, folders):
        """Bring the folder records in line with the server's list (``imap.Folder``).

        Returns True when a folder was added or changed.
        """
        self.ensure_one()
        changed = False
        Folder = self.env["mail.capture.mailbox.folder"].sudo()
        existing = {folder.name: folder for folder in self.folder_ids.sudo()}
        seen = set()
        for sequence, choice in enumerate(imap.describe_folders(folders)):
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
                        and choice.role in (imap.ROLE_INBOX, imap.ROLE_SENT),
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

    def _claim_address(self):
        """Ask the owner to confirm the mailbox's address, unless it is already theirs.

        Logging in proves the owner reads the mailbox, not that its address (typed on the form)
        is theirs: the address counts as theirs, beyond this mailbox's own sync, only once they
        open the link mailed to it, as for an alternate address. An address another user holds
        is not proposed (an administrator settles such cases).
        """
        Address = self.env["mail.capture.address"].sudo()
        for mailbox in self:
            user = mailbox.user_id
            if mailbox.email in user._lead_capture_addresses() or Address.search_count(
                [("user_id", "=", user.id), ("email", "=", mailbox.email)]
            ):
                continue
            try:
                with self.env.cr.savepoint():
                    Address.create({"user_id": user.id, "email": mailbox.email})
            except ValidationError:
                _logger.info(
                    "Mailbox %s: its address belongs to another user; not proposed", mailbox.id
                )

    def _is_importing(self):
        """True while a synced folder has not finished its first import."""
        self.ensure_one()
        return any(f.import_state != "done" for f in self.folder_ids.filtered("synced"))

    def _sync_locked(self, deadline=None, remaining=1, time_left=float("inf")):
        """Sync this mailbox, whose row the current transaction holds locked.

        Returns True when the pass finished (or failed: it is retried later), False when the time
        box cut it. Failures are written on the mailbox: "needs re-authentication" and a
        notification to the owner for a refused login, else an error and a retry with back-off.
        """
        self.ensure_one()
        started = fields.Datetime.now()
        try:
            report = self._sync_pass(deadline, remaining, time_left)
        except imap.ImapError as error:
            _logger.info("Mailbox %s: sync failed (%s)", self.id, error.kind)
            self._sync_failed(error)
            return True
        except Exception as error:
            _logger.warning("Mailbox %s: sync failed", self.id, exc_info=True)
            self._sync_failed(error)
            return True
        if report.failed_folders:
            # the other folders were synced; the mailbox says which failed, and backs off
            self._sync_failed(
                None,
                sentence="\n".join(
                    self.env._(
                        "Folder %(folder)s could not be synced: %(reason)s", folder=f, reason=r
                    )
                    for f, r in report.failed_folders
                ),
            )
            return report.complete
        self.write(self._synced_values(report, started))
        self._watch_mailbox(self._health_problem())
        return report.complete

    def _synced_values(self, report, started):
        """What a pass that ran (``report``, started at ``started``) writes on its mailbox."""
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
        values.update(self._rhythm_values(report, started))
        return values

    def _sync_failed(self, error, sentence=None):
        """Record a failed pass: ``error`` (None when ``sentence`` says what failed)."""
        now = fields.Datetime.now()
        count = self.error_count + 1
        if sentence is None and isinstance(error, imap.ImapError):
            sentence = self._error_sentence(error)
        elif sentence is None:
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
        if isinstance(error, imap.ImapError) and error.kind in (
            "auth",
            "auth_app_password",
        ):
            notify = self.state != "reauth"
            values.update(state="reauth", retry_date=False)
            self.write(values)
            if notify:
                self._notify_reauth(sentence)
            self._watch_mailbox(sentence, told=True)
            return
        minutes = min(2 ** min(count - 1, 10), BACKOFF_MAX_MINUTES)
        values.update(state="error", retry_date=now + timedelta(minutes=minutes))
        self.write(values)
        self._watch_mailbox(sentence)

    def _notify_reauth(self, sentence):
        """Tell the owner at once that sync stopped until they give a working password."""
        if provider := self._oauth_provider():
            self.message_notify(
                partner_ids=self.user_id.partner_id.ids,
                subject=self.env._(
                    "Mailbox %(email)s: sign in with %(provider)s again",
                    email=self.email,
                    provider=provider,
                ),
                body=self.env._(
                    "Email capture stopped syncing %(email)s: %(reason)s",
                    email=self.email,
                    reason=sentence,
                ),
                email_layout_xmlid="mail.mail_notification_light",
            )
            return
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

    def _outgoing_values(self):
        """The owner's personal outgoing server (``ir.mail_server``) values to send through this
        mailbox: the provider's SMTP server with the password here; the sign-in bridges give
        their OAuth method and tokens. Raises ``UserError`` when it cannot send."""
        self.ensure_one()
        if provider := self._oauth_providers().get(self.auth_method):
            # Odoo's own outgoing server for the provider, with this mailbox's grant (the same
            # consent covers SMTP): it renews its access token itself.
            return {
                "smtp_host": provider.smtp_host,
                "smtp_port": provider.smtp_port,
                "smtp_encryption": provider.smtp_encryption,
                "smtp_authentication": provider.smtp_authentication,
                "smtp_pass": False,
                **{name: self[name] for name in provider.token_fields},
            }
        submission = imap.SMTP_SUBMISSION.get(self.preset)
        if not submission:
            raise UserError(
                self.env._(
                    "Odoo does not know the outgoing server of %(email)s: set it up in My "
                    "Preferences (Outgoing Mail Server) or ask your administrator.",
                    email=self.email,
                )
            )
        host, port, encryption = submission
        return {
            "smtp_host": host,
            "smtp_port": port,
            "smtp_encryption": encryption,
            "smtp_authentication": "login",
            "smtp_pass": self.sudo().imap_password,
        }

    def _outgoing_server(self):
        """The owners' personal outgoing servers that send through these mailboxes, if any."""
        servers = self.env["ir.mail_server"].sudo().with_context(active_test=False)
        for mailbox in self:
            servers |= servers.search(
                [("owner_user_id", "=", mailbox.user_id.id), ("from_filter", "=", mailbox.email)]
            )
        return servers

    def _setup_outgoing(self):
        """Make (or refresh) the owner's personal outgoing server for this mailbox, as Odoo's "My
        Preferences > Outgoing Mail Server" does: one per user, for their own address."""
        self.ensure_one()
        user = self.user_id
        if addresses.normalize_address(user.email or "") != self.email:
            raise UserError(
                self.env._(
                    "Only a mailbox for your own address (%(address)s) can send your mail.",
                    address=user.email or "-",
                )
            )
        if self.login and addresses.normalize_address(self.login) != self.email:
            raise UserError(
                self.env._(
                    "To send through %(email)s, its login must be the address itself.",
                    email=self.email,
                )
            )
        values = {
            "name": self.env._("%(email)s (synced mailbox)", email=self.email),
            "owner_user_id": user.id,
            "from_filter": self.email,
            "smtp_user": user.email,
            "active": True,
            **self._outgoing_values(),
        }
        Server = self.env["ir.mail_server"].sudo().with_context(active_test=False)
        server = Server.search([("owner_user_id", "=", user.id)], limit=1)
        if server:
            server.write(values)
        else:
            Server.create(values)

    @api.model
    def _file_sent(self, sender, message):
        """A mail just left through the personal server for ``sender``: file a copy in the Sent
        folder of the mailbox that sends it, marked read, once (the sync then knows it is on
        its lead: same Message-Id). A failure is logged, never raised: the mail was sent."""
        address = addresses.normalize_address(sender)
        mailbox = self.sudo().search(
            [("send_mail", "=", True), ("email", "=", address), ("state", "in", SYNCED_STATES)],
            limit=1,
        )
        if not mailbox:
            return
        sent = mailbox.folder_ids.filtered(lambda f: f.role == imap.ROLE_SENT and not f.missing)[:1]
        folder = sent.name or "Sent"
        message_id = (message["Message-Id"] or "").strip()
        try:
            with mailbox._connect_imap() as session:
                session.select(folder, readonly=True)
                if message_id and session.search(message_id=message_id):
                    return  # another copy of the same mail (one per group of recipients)
                session.append(folder, message.as_bytes(), flags=("\\Seen",))
        except imap.ImapError as error:
            _logger.info(
                "Mailbox %s: a sent mail could not be filed in %s (%s)",
                mailbox.id,
                folder,
                error.kind,
            )

    @api.model
    def _oauth_providers(self):
        """The OAuth providers mailboxes may sign in with, as ``{auth_method: OAuthProvider}``
        (``tools.oauth_providers``): none here; each sign-in bridge adds its own."""
        return {}

    def _oauth_provider(self):
        """The provider's name ("Google", "Microsoft") when the mailbox signs in with an OAuth
        account rather than a password, else ""."""
        self.ensure_one()
        provider = self._oauth_providers().get(self.auth_method)
        return provider.name if provider else ""

    def _lead_capture_sign_in(self, code):
        """Send the owner to the consent page of the provider ``code``; the provider sends them
        back to Odoo's callback, which stores the tokens (then ``_signed_in``)."""
        self.ensure_one()
        self.check_access("write")
        provider = self._oauth_providers()[code]
        Config = self.env["ir.config_parameter"].sudo()
        configured = Config.get_param(provider.client_id_param) and Config.get_param(
            provider.client_secret_param
        )
        if not configured and release.version_info[-1] != "e":  # Enterprise may use Odoo's IAP
            raise UserError(
                self.env._(
                    "Odoo is not connected to %(provider)s yet: ask your administrator to "
                    "register it (%(settings)s), then sign in again.",
                    provider=provider.name,
                    settings=provider.settings,
                )
            )
        mailbox = self.sudo()
        values = {}
        if mailbox.auth_method != code:
            values["auth_method"] = code
        if not mailbox.host:
            values.update(preset=provider.preset, host=provider.imap_host, port=993, security="ssl")
        if values:
            mailbox.write(values)
        # sudo: Odoo's mixins let only administrators start the flow; the owner may, for this
        # mailbox (checked above), as Odoo lets users connect their personal outgoing server
        return getattr(mailbox, provider.consent_method)()

    def _signed_in(self, code):
        """Odoo's callback stored new tokens of the provider ``code`` (its controller calls this):
        connect (sync resumes from its checkpoints) and say how it went on the mailbox."""
        self.ensure_one()
        provider = self._oauth_providers()[code]
        if not self.sudo()[provider.refresh_token_field]:
            return None
        if self.send_mail:
            self._setup_outgoing()  # the new grant sends too
        return self.action_test_connection()

    # ------------------------------------------------------------
    # HEALTH
    # ------------------------------------------------------------

    def _rhythm_values(self, report, started):
        """Learn how often the mailbox brings mail; flag it stalled when it stops for too long
        while its server reports new mail (``report`` of a pass that ran)."""
        if report.examined:
            values = {"last_mail_date": started, "stalled": False}
            if self.last_mail_date:
                gap = (started - self.last_mail_date).total_seconds() / 3600
                values["mail_rhythm"] = (
                    0.8 * self.mail_rhythm + 0.2 * gap if self.mail_rhythm else gap
                )
            return values
        if not getattr(report, "server_new", False):
            return {}
        if not self.last_mail_date:
            return {"last_mail_date": started}  # a first reference point
        quiet = started - self.last_mail_date
        usual = timedelta(hours=STALL_FACTOR * (self.mail_rhythm or 0))
        return {"stalled": quiet > max(usual, STALL_MIN)}

    def _health_problem(self):
        """What is wrong with this mailbox after a pass that ran, in words, or False."""
        self.ensure_one()
        if self.stalled:
            return self.env._(
                "its server reports new mail, but sync has brought none since %(date)s (it "
                "usually brings mail every %(hours)s hours): check that the synced folders are "
                "the ones where your mail arrives, then click Sync Now.",
                date=fields.Datetime.to_string(self.last_mail_date),
                hours=round(self.mail_rhythm or 0, 1),
            )
        # stored fields first: ``synced`` (computed) is then only asked of a folder in error
        folders = self.folder_ids.filtered(
            lambda f: (
                (f.error_message and f.synced)
                or (f.missing and f.chosen and self.scope == "chosen")
            )
        )
        if not folders:
            return False
        return "; ".join(
            self.env._(
                "folder %(folder)s: %(error)s",
                folder=folder.name,
                error=folder.error_message
                or self.env._(
                    "the server no longer has this folder: choose the folders to sync again"
                ),
            )
            for folder in folders
        )

    def _watch_mailbox(self, problem, told=False):
        """Track how long ``problem`` (a sentence, or False when all is well) lasts; past
        TROUBLE_NOTICE_AFTER, tell the owner once (``told``: they were told already)."""
        self.ensure_one()
        if not problem:
            if self.trouble_since or self.trouble_notified:
                self.write({"trouble_since": False, "trouble_notified": False})
            return
        now = fields.Datetime.now()
        values = {} if self.trouble_since else {"trouble_since": now}
        since = self.trouble_since or now
        if not self.trouble_notified and (told or since <= now - TROUBLE_NOTICE_AFTER):
            values["trouble_notified"] = True
            if not told:
                self._notify_trouble(problem, since)
        if values:
            self.write(values)

    def _notify_trouble(self, problem, since):
        """Tell the owner, once, that their mailbox has been in trouble for a while."""
        self.message_notify(
            partner_ids=self.user_id.partner_id.ids,
            subject=self.env._("Mailbox %(email)s is not syncing", email=self.email),
            body=self.env._(
                "Email capture has not synced %(email)s properly since %(since)s (UTC): "
                "%(problem)s Nothing is lost: sync resumes where it stopped once this is fixed. "
                "If it goes on, open the mailbox in your preferences and click Test Connection, "
                "or ask your administrator.",
                email=self.email,
                since=fields.Datetime.to_string(since),
                problem=problem,
            ),
            email_layout_xmlid="mail.mail_notification_light",
        )

    @api.autovacuum
    def _gc_lead_capture_health_summary(self):
        """Once a day: tell each company's administrators which mailboxes are in trouble."""
        limit = fields.Datetime.now() - TROUBLE_NOTICE_AFTER
        troubled = self.sudo().search(
            ["|", ("trouble_since", "<=", limit), ("stalled", "=", True)],
            order="company_id, trouble_since",
        )
        for company, mailboxes in troubled.grouped("company_id").items():
            admins = (
                self.env.ref("base.group_system")
                .sudo()
                .user_ids.filtered(
                    lambda user, company=company: company in user.company_ids and not user.share
                )
            )
            if not admins:
                continue
            lines = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(email)s (%(owner)s), since %(since)s: %(problem)s",
                    email=mailbox.email,
                    owner=mailbox.user_id.name,
                    since=fields.Datetime.to_string(
                        mailbox.trouble_since or mailbox.last_mail_date
                    ),
                    problem=mailbox.last_error
                    or mailbox._health_problem()
                    or self.env._("no details"),
                )
                for mailbox in mailboxes
            )
            self.env["mail.capture.mailbox"].sudo().message_notify(
                partner_ids=admins.partner_id.ids,
                subject=self.env._(
                    "%(count)s synced mailboxes of %(company)s need attention",
                    count=len(mailboxes),
                    company=company.name,
                ),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "These mailboxes have not synced properly for over an hour; their "
                        "owners were told. Check the server names, network and passwords in "
                        "CRM > Configuration > Email Capture > Mailboxes."
                    ),
                    lines,
                ),
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _sync_pass(self, deadline, remaining, time_left):
        """One pass in a cursor of its own: moves, history, then each synced folder."""
        if (report := self.env.context.get("lead_capture_report")) is not None:
            return report  # the fleet's survey showed there is nothing to do (mailbox_fleet)
        try:
            return self._pass_once(deadline, remaining, time_left)
        except imap.ImapError as error:
            provider = self._oauth_providers().get(self.auth_method)
            taken_for_valid = provider and self.sudo()[provider.expiration_field] > time.time()
            if error.kind != "auth" or not taken_for_valid:
                raise
        # The server refused a token Odoo took for valid (withdrawn, or expired early): renew
        # it once; a refused renewal then asks the owner to sign in again.
        self.sudo()[provider.expiration_field] = 0
        return self._pass_once(deadline, remaining, time_left)

    def _pass_once(self, deadline, remaining, time_left):
        credentials = self._credentials()
        # what this transaction wrote (a new password or token, say) goes to the database first;
        # in production the pass's cursor sees only committed data, in tests it shares the connection
        self.env.flush_all()
        with self.env.registry.cursor() as cr:
            mailbox = self.with_env(self.env(cr=cr)).with_context(
                lead_capture_credentials=credentials
            )
            return MailboxPass(mailbox, deadline, remaining, time_left).run()

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
        # Only the rows of these addresses are read: a first import links a new contact for many
        # of its mails, and reading every queued address each time made it quadratic.
        new_addresses = sorted(set(new_addresses))
        queued = {
            (row.mailbox_id.id, row.address)
            for row in History.search_fetch(
                [("mailbox_id", "in", mailboxes.ids), ("address", "in", new_addresses)],
                ["mailbox_id", "address"],
            )
        }
        todo = [
            {"mailbox_id": mailbox.id, "address": address}
            for mailbox in mailboxes
            for address in new_addresses
            if (mailbox.id, address) not in queued
        ]
        if todo:
            try:
                with self.env.cr.savepoint():
                    History.create(todo)
            except psycopg2.errors.UniqueViolation:
                # another worker, filing mail on the same lead, queued some a moment ago: the
                # others are queued one by one
                for values in todo:
                    try:
                        with self.env.cr.savepoint():
                            History.create(values)
                    except psycopg2.errors.UniqueViolation:
                        _logger.info(
                            "Mailbox %s: history already queued by another worker",
                            values["mailbox_id"],
                        )
            self._trigger_sync()

    # ------------------------------------------------------------
    # INBOX WATCHER (odoo-bin lead_capture_watch: models/mailbox_watch.py)
    # ------------------------------------------------------------

    @api.model
    def _watch_domain(self):
        """The mailboxes whose INBOX the watcher keeps a connection to: synced, not backing off."""
        return [
            ("state", "in", SYNCED_STATES),
            "|",
            ("retry_date", "=", False),
            ("retry_date", "<=", fields.Datetime.now()),
        ]

    def _watch_connect(self):
        """A callable opening a logged-in ``ImapSession`` to this mailbox, usable from any thread
        and with no database: the settings and credentials are read now, in a transaction that
        holds the mailbox's lock (an OAuth token renewed here writes the mailbox)."""
        self.ensure_one()
        host, port, security = self.host, self.port or 993, self.security
        if not host or not self._port_allowed(port):
            raise imap.ImapError("unreachable", "no server name or a port not allowed")
        timeout = self._imap_timeout()
        pinned = (self.tls_fingerprint or None) if security != "none" else None
        credentials = self._credentials()

        @contextmanager
        def connect():
            session = imap.ImapSession(
                host, port, security, timeout=timeout, pinned_fingerprint=pinned
            )
            with session:
                session.authenticate(credentials)
                yield session

        return connect

    def _sync_inbox(self, deadline=None):
        """Sync this mailbox's INBOX alone, now: the watcher's pass when the server announced new
        mail. The current transaction must hold the mailbox's row lock, as for the scheduled
        action's passes (so the two never sync a mailbox at once). The mailbox's own schedule,
        errors and health stay the scheduled action's: a failure is only logged.

        Returns True when the INBOX is up to date, False when the time box cut the pass or it
        failed (the watcher tries again later; the scheduled action goes on meanwhile).
        """
        self.ensure_one()
        try:
            report = self.with_context(lead_capture_inbox_only=True)._sync_pass(
                deadline, 1, float("inf")
            )
        except Exception:  # logged; the scheduled action records errors on the mailbox
            _logger.info("Mailbox %s: INBOX pass failed", self.id, exc_info=True)
            return False
        return report.complete and not report.failed_folders
