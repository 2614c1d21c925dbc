from odoo import SUPERUSER_ID
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.mail.tools.discuss import Store


class MailMessage(models.Model):
    _inherit = "mail.message"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    lead_capture_trace = fields.Text(
        string="Capture Decision",
        readonly=True,
        help="Why email capture filed this mail here, in one sentence.",
    )
    lead_capture_direction = fields.Selection(
        [("incoming", "Incoming"), ("outgoing", "Outgoing")],
        string="Direction",
        readonly=True,
    )
    lead_capture_fingerprint = fields.Char(
        readonly=True,
        index="btree_not_null",
        help="Sender, subject and opening words of a captured mail: recognises the same mail "
        "forwarded inline, where its Message-Id is lost.",
    )
    lead_capture_private_user_id = fields.Many2one(
        "res.users",
        string="Private To",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="A mail synced from this user's mailbox that only they see, on the lead too.",
    )
    lead_capture_location_ids = fields.One2many(
        "mail.capture.mailbox.message",
        "mail_message_id",
        string="Synced Copies",
        readonly=True,
        groups="base.group_system",
    )
    lead_capture_private = fields.Boolean(
        compute="_compute_lead_capture_sync", string="Private Synced Mail"
    )
    lead_capture_mine = fields.Boolean(
        compute="_compute_lead_capture_sync",
        help="Synced from the current user's mailbox: they decide who sees it.",
    )
    lead_capture_two_way = fields.Boolean(compute="_compute_lead_capture_sync")

    # ------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------

    # The message a mail filed on a lead hangs under (mail.capture.engine._thread_parent): one
    # step down this index, rather than a sort of all the lead's messages for every mail filed
    # on it (a big mailbox's first import files hundreds on the same lead).
    _lead_capture_parent_index = models.Index(
        "(res_id, (message_type IN ('comment', 'email')), COALESCE(date, create_date), id) "
        "WHERE model = 'crm.lead' AND message_type != 'user_notification'"
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends("lead_capture_private_user_id")
    def _compute_lead_capture_sync(self):
        locations = (
            self.env["mail.capture.mailbox.message"]
            .sudo()
            .search([("mail_message_id", "in", self.ids)])
        )
        mailboxes = {location.mail_message_id.id: location.mailbox_id for location in locations}
        for message in self:
            mailbox = mailboxes.get(message.id)
            owner = mailbox.user_id if mailbox else message.lead_capture_private_user_id
            message.lead_capture_private = bool(message.lead_capture_private_user_id)
            message.lead_capture_mine = bool(owner) and owner == self.env.user
            message.lead_capture_two_way = bool(mailbox) and mailbox.direction == "two_way"

    @api.depends_context("uid")
    @api.depends("subject", "lead_capture_private_user_id")
    def _compute_display_name(self):
        # A many2one is read with its target's name computed as superuser (the ``parent_id`` of a
        # reply, say): a private mail's subject is its owner's only, so others get no subject.
        super()._compute_display_name()
        if self.env.uid == SUPERUSER_ID:
            return
        for message in self:
            private_to = message.sudo().lead_capture_private_user_id
            if private_to and private_to.id != self.env.uid:
                message.display_name = self.env._("Private mail")

    # ------------------------------------------------------------
    # ACCESS: a private synced mail is its owner's only
    # ------------------------------------------------------------

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kwargs):
        # Privacy is not an access right that a field may waive: ``mail.thread.message_ids`` and
        # ``attachment_ids`` search with ``bypass_search_access`` (``bypass_access`` here), so a
        # domain such as ``[("message_ids.body", "ilike", word)]`` on any document would otherwise
        # tell whether a colleague's private mail contains a word. Only superuser mode sees all.
        if not self.env.is_superuser():
            # mail's own _search runs its query without flushing the fields it did not add
            self.flush_model(["lead_capture_private_user_id"])
            domain = Domain(domain) & (
                Domain("lead_capture_private_user_id", "=", False)
                | Domain("lead_capture_private_user_id", "=", self.env.uid)
            )
        return super()._search(domain, offset, limit, order, bypass_access=bypass_access, **kwargs)

    def _get_forbidden_access(self, operation):
        forbidden = super()._get_forbidden_access(operation)
        others = self - forbidden
        if operation == "create" or not others:
            return forbidden
        others.flush_recordset(["lead_capture_private_user_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM mail_message
                    WHERE id = ANY(%s) AND lead_capture_private_user_id IS NOT NULL
                      AND lead_capture_private_user_id != %s""",
                others.ids,
                self.env.uid,
            )
        )
        return forbidden + self.browse(id_ for (id_,) in rows)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        messages.filtered("lead_capture_private_user_id")._lead_capture_place_attachments()
        return messages

    def unlink(self):
        if self.env.context.get("lead_capture_trash_on_server"):
            locations = (
                self.env["mail.capture.mailbox.message"]
                .sudo()
                .search(
                    [
                        ("mail_message_id", "in", self.ids),
                        ("mailbox_id.direction", "=", "two_way"),
                    ]
                )
            )
            if locations:
                locations.write({"server_action": "trash", "server_error": False})
                self.env["mail.capture.mailbox"]._trigger_sync()
        return super().unlink()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_lead_capture_make_private(self):
        """Only the mailbox's owner sees this synced mail (on the lead too)."""
        for message in self._lead_capture_check_owner():
            message.sudo().lead_capture_private_user_id = message._lead_capture_owner()
        self._lead_capture_place_attachments()
        return True

    def action_lead_capture_share(self):
        """Whoever can see the lead sees this synced mail."""
        messages = self._lead_capture_check_owner().sudo()
        messages.lead_capture_private_user_id = False
        self._lead_capture_place_attachments()
        # Shared now: it counts for the lead's "Last Email", which private mail leaves alone.
        for message in messages.filtered(lambda m: m.model == "crm.lead" and m.res_id and m.date):
            lead = self.env["crm.lead"].sudo().browse(message.res_id)
            if not lead.email_last_date or message.date > lead.email_last_date:
                lead.email_last_date = message.date
        return True

    def action_lead_capture_archive(self):
        """Archive the synced mail in its mailbox (two-way mailboxes): it moves to Archive."""
        locations = self._lead_capture_check_owner(two_way=True)._lead_capture_locations()
        locations.write({"server_action": "archive", "server_error": False})
        self.env["mail.capture.mailbox"]._trigger_sync()
        return True

    def action_lead_capture_trash(self):
        """Delete the synced mail in Odoo; in a two-way mailbox it moves to Trash on the server."""
        messages = self._lead_capture_check_owner(two_way=True)
        messages.sudo().with_context(lead_capture_trash_on_server=True).unlink()
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _to_store_defaults(self, target: Store.Target):
        fields_list = super()._to_store_defaults(target)
        if target.is_internal(self.env):
            fields_list += [
                "lead_capture_trace",
                "lead_capture_direction",
                "lead_capture_private",
                "lead_capture_mine",
                "lead_capture_two_way",
            ]
        return fields_list

    def _lead_capture_locations(self):
        return (
            self.env["mail.capture.mailbox.message"]
            .sudo()
            .search([("mail_message_id", "in", self.ids)])
        )

    def _lead_capture_owner(self):
        """The user whose mailbox this mail was synced from."""
        self.ensure_one()
        location = self._lead_capture_locations()[:1]
        return location.mailbox_id.user_id or self.sudo().lead_capture_private_user_id

    def _lead_capture_check_owner(self, two_way=False):
        """Refuse unless every message is synced mail of the current user (or they are an admin)."""
        is_admin = self.env.user.has_group("base.group_system")
        for message in self:
            owner = message._lead_capture_owner()
            if not owner:
                raise UserError(self.env._("Only mail synced from a mailbox can be changed here."))
            if owner != self.env.user and not is_admin:
                raise UserError(
                    self.env._(
                        "This mail was synced from %(user)s's mailbox: only they decide what "
                        "happens to it.",
                        user=owner.name,
                    )
                )
            if two_way and not message.sudo().lead_capture_two_way:
                raise UserError(
                    self.env._(
                        "The mailbox this mail was synced from is one-way: Odoo never changes it. "
                        "Switch the mailbox to two-way in its settings to archive or delete mail "
                        "from Odoo."
                    )
                )
        return self

    def _lead_capture_place_attachments(self):
        """Attach a private mail's files to the mail itself, a shared one's to its document.

        Files on the lead are readable by whoever reads the lead; on the message, only by who
        may read the message.
        """
        for message in self.sudo():
            if message.lead_capture_private_user_id:
                values = {"res_model": "mail.message", "res_id": message.id}
            elif message.model and message.res_id:
                values = {"res_model": message.model, "res_id": message.res_id}
            else:
                continue
            attachments = message.attachment_ids.filtered(
                lambda a, values=values: (
                    (a.res_model, a.res_id) != (values["res_model"], values["res_id"])
                )
            )
            if attachments:
                attachments.write(values)
