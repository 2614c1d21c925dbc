from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

# Decisions older than this are purged by the autovacuum: the messages themselves keep their trace.
LOG_RETENTION_DAYS = 180


class MailCaptureLog(models.Model):
    """One line per mail email capture decided on: filed, new lead, duplicate, queued or refused."""

    _name = "mail.capture.log"
    _description = "Email Capture Decision"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "subject"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        readonly=True,
        index=True,
        help="Whose mail it is: the user who forwarded or BCC'd it, or the mailbox's owner.",
    )
    source = fields.Selection(
        [
            ("capture", "Capture address"),
            ("inbound", "Incoming-mail address"),
            ("sync", "Mailbox sync"),
            ("archive", "Archive mailbox"),
            ("unmatched", "Unmatched mail"),
            ("correction", "Corrected by a user"),
        ],
        required=True,
        readonly=True,
    )
    outcome = fields.Selection(
        [
            ("captured", "Filed on a lead"),
            ("created", "New lead"),
            ("duplicate", "Already filed"),
            ("queued", "Kept for review"),
            ("refused", "Refused"),
            ("moved", "Moved by a user"),
            ("removed", "Removed as not CRM mail"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    rule = fields.Char(readonly=True, help="Code of the rule that refused or queued the mail.")
    trace = fields.Text(string="Decision", readonly=True)
    sender = fields.Char(readonly=True, index=True)
    subject = fields.Char(readonly=True)
    message_ref = fields.Char(string="Message-Id", readonly=True)
    lead_id = fields.Many2one(
        "crm.lead", readonly=True, index="btree_not_null", ondelete="set null"
    )
    mail_message_id = fields.Many2one(
        "mail.message", string="Message", readonly=True, ondelete="set null"
    )
    corrected_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        help="Who moved this mail to another record, or removed it as not CRM mail.",
    )
    private_user_id = fields.Many2one(
        "res.users",
        string="Private To",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        help="Mail from this user's mailbox kept private: only they (and administrators) see this "
        "decision.",
    )

    explained = fields.Boolean(
        readonly=True,
        help="The refused sender was mailed an explanation (and the administrators told).",
    )

    # The few refusals that were explained, looked up by date to cap explanations per day.
    _explained_idx = models.Index("(create_date) WHERE explained")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
        }

    def action_correct_filing(self):
        """Move this mail to another lead or contact, or take it off as not CRM mail."""
        self.ensure_one()
        if not self.mail_message_id:
            raise UserError(
                self.env._(
                    "This decision has no message on a record any more (it was refused, removed "
                    "or deleted): there is nothing to move."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mail_lead_capture.mail_capture_refile_action"
        )
        action["context"] = {"default_message_id": self.mail_message_id.id}
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _notify_admins(self, body):
        """Tell the company's administrators, in Odoo, about a refused use of the capture address."""
        self.ensure_one()
        admins = (
            self.env.ref("base.group_system")
            .sudo()
            .user_ids.filtered(lambda user: self.company_id in user.company_ids and not user.share)
        )
        if admins:
            self.message_notify(
                partner_ids=admins.partner_id.ids,
                subject=self.env._("Email capture refused a mail"),
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )

    @api.autovacuum
    def _gc_old_capture_logs(self):
        limit = fields.Datetime.now() - timedelta(days=LOG_RETENTION_DAYS)
        self.sudo().search([("create_date", "<", limit)]).unlink()
