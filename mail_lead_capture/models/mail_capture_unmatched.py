import base64
import email
import email.policy
import logging
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..tools import filing as filings

_logger = logging.getLogger(__name__)

# Discarded mail is kept this long (to undo a mistake), then purged with its attachments by the
# autovacuum.
DISCARD_RETENTION_DAYS = 30


class MailCaptureUnmatched(models.Model):
    """Mail that could not be placed with confidence, waiting in its owner's queue.

    Nothing is ever lost: the raw message is kept, so linking the mail to a lead or creating a lead
    from it files it exactly as a matched capture would (same engine, same filters, same
    de-duplication).
    """

    _name = "mail.capture.unmatched"
    _description = "Unmatched Mail"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "subject"
    _mail_post_access = "read"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    sender = fields.Char(readonly=True)
    recipients = fields.Char(readonly=True)
    subject = fields.Char(readonly=True)
    body = fields.Html(readonly=True, sanitize=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "mail_capture_unmatched_attachment_rel",
        "unmatched_id",
        "attachment_id",
        string="Attachments",
        readonly=True,
    )
    raw_message = fields.Binary(
        string="Original Message (source)",
        attachment=True,
        readonly=True,
        groups="base.group_system",
    )
    raw_download = fields.Binary(
        string="Original Message",
        compute="_compute_raw_download",
        help="The mail exactly as it was received (.eml), for its owner and administrators.",
    )
    raw_filename = fields.Char(compute="_compute_raw_download")
    message_ref = fields.Char(string="Message-Id", readonly=True, index="btree_not_null")
    source = fields.Selection(
        [
            ("capture", "Capture address"),
            ("inbound", "Incoming-mail address"),
            ("sync", "Mailbox sync"),
            ("archive", "Archive mailbox"),
        ],
        readonly=True,
        default="capture",
    )
    rule = fields.Char(readonly=True)
    reason = fields.Text(readonly=True, help="Why the mail was not filed automatically.")
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("linked", "Linked"),
            ("created", "Lead Created"),
            ("discarded", "Discarded"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    lead_id = fields.Many2one("crm.lead", readonly=True, ondelete="set null")
    discard_date = fields.Datetime(readonly=True)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_raw_download(self):
        may_read_all = self.env.user.has_group("base.group_system")
        for item in self:
            allowed = may_read_all or item.user_id == self.env.user
            item.raw_download = item.sudo().raw_message if allowed else False
            item.raw_filename = f"unmatched-{item.id}.eml"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_discard(self):
        for item in self._lock_pending():
            item.write({"state": "discarded", "discard_date": fields.Datetime.now()})
        return True

    def action_restore(self):
        self.filtered(lambda item: item.state == "discarded").write(
            {"state": "pending", "discard_date": False}
        )
        return True

    def action_create_lead(self):
        leads = self.env["crm.lead"]
        for item in self._lock_pending():
            leads |= item._replay_mail(force_create=True)
        return self._open_leads(leads)

    def action_link_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Link to a Lead"),
            "res_model": "mail.capture.unmatched.link",
            "view_mode": "form",
            "target": "new",
            "context": {"default_unmatched_ids": [fields.Command.set(self.ids)]},
        }

    def action_open_lead(self):
        self.ensure_one()
        return self._open_leads(self.lead_id)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _link_to_lead(self, lead):
        """File the items' mail on ``lead`` (called by the link wizard)."""
        if not lead.exists():
            raise UserError(self.env._("The lead no longer exists: choose another one."))
        for item in self._lock_pending():
            if lead.company_id and lead.company_id != item.company_id:
                raise UserError(
                    self.env._(
                        "%(lead)s belongs to %(company)s, but this mail was received for "
                        "%(item_company)s: choose a lead of %(item_company)s.",
                        lead=lead.display_name,
                        company=lead.company_id.name,
                        item_company=item.company_id.name,
                    )
                )
            item._replay_mail(lead=lead)
        return True

    def _lock_pending(self):
        """Lock the items and refuse those already handled (double click, two tabs)."""
        self.check_access("write")
        locked = self.sudo().try_lock_for_update()
        if locked != self.sudo():
            raise UserError(
                self.env._("Someone is already handling this mail: try again in a moment.")
            )
        self.invalidate_recordset(["state"])
        if any(item.state != "pending" for item in self):
            raise UserError(
                self.env._("This mail was already handled in the meantime: refresh the page.")
            )
        return self

    def _replay_mail(self, lead=None, force_create=False):
        """File the raw mail through the capture engine, on ``lead`` or on a new lead."""
        self.ensure_one()
        raw = base64.b64decode(self.sudo().raw_message or b"")
        if not raw:
            raise UserError(
                self.env._("The original of this mail was not kept, so it cannot be filed.")
            )
        message = email.message_from_bytes(raw, policy=email.policy.SMTP)
        # Filed as the gateway would have, but the person filing it reads any refusal.
        filing = filings.Filing(
            self.company_id.id,
            self.user_id.id,
            "unmatched",
            lead_id=lead.id if lead else None,
            force_create=force_create,
            on_refusal=filings.RAISE,
        )
        engine = self.env["mail.capture.engine"].sudo()
        lead_id = engine._file_message(message, filing, raw=raw)
        result = self.env["crm.lead"].browse(lead_id)
        self.sudo().write({"state": "created" if force_create else "linked", "lead_id": result.id})
        return result

    def _open_leads(self, leads):
        if len(leads) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "crm.lead",
                "res_id": leads.id,
                "view_mode": "form",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "domain": [("id", "in", leads.ids)],
            "name": self.env._("Leads"),
        }

    @api.model
    def _enqueue_mail(
        self,
        mail,
        raw,
        owner,
        company,
        reason,
        rule,
        body="",
        attachments=(),
        source="capture",
        notify=True,
        send_email=True,
    ):
        """Queue a mail for its owner; one pending item per owner and Message-Id.

        The owner is told in Odoo's inbox and by an email with the reason and a link to the item
        (``send_email=False`` when the caller's own email to them says it already);
        ``notify=False`` tells nobody (the owner put it back in the queue themselves).
        """
        existing = (
            self.sudo().search(
                [
                    ("user_id", "=", owner.id),
                    ("state", "=", "pending"),
                    ("message_ref", "=", mail.message_id),
                ],
                limit=1,
            )
            if mail.message_id
            else self.browse()
        )
        if existing:
            return existing
        item = self.sudo().create(
            {
                "user_id": owner.id,
                "company_id": company.id,
                "date": mail.date.replace(tzinfo=None) if mail.date else fields.Datetime.now(),
                "sender": mail.author.address if mail.author else False,
                "recipients": ", ".join(mail.recipients),
                "subject": mail.subject,
                "body": body,
                "raw_message": base64.b64encode(raw) if raw else False,
                "message_ref": mail.message_id,
                "source": source,
                "rule": rule,
                "reason": reason,
            }
        )
        if attachments:
            item.attachment_ids = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {"name": name, "raw": data, "res_model": self._name, "res_id": item.id}
                        for name, data in filings.attachment_files(attachments)
                    ]
                )
            )
        if not notify:
            return item
        item.message_notify(
            partner_ids=owner.partner_id.ids,
            subject=self.env._("Mail waiting for you: %(subject)s", subject=mail.subject or "-"),
            body=self.env._("This mail was kept for your review: %(reason)s", reason=reason),
            email_layout_xmlid="mail.mail_notification_light",
        )
        if send_email:
            item._email_owner()
        return item

    def _email_owner(self):
        """Email the owner that this mail waits for their review: why, and a link to it.

        Sent whatever the owner's notification preference: mail that waits for a choice is easy
        to miss in Odoo's inbox, and nothing else happens to it until they decide.
        """
        self.ensure_one()
        owner = self.user_id
        if not owner.email:
            return
        body = self.env["ir.qweb"]._render(
            "mail_lead_capture.mail_capture_review_email",
            {"item": self, "owner": owner, "link": self._notify_get_action_link("view")},
        )
        self.env["mail.mail"].sudo().create(
            {
                "author_id": False,
                "email_from": self.company_id.email_formatted or self.company_id.catchall_formatted,
                "email_to": owner.email_formatted,
                "subject": self.env._(
                    "Mail waiting for your review: %(subject)s", subject=self.subject or "-"
                ),
                "body_html": body,
                "model": self._name,
                "res_id": self.id,
                "headers": {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
                "auto_delete": True,
            }
        ).send()

    @api.autovacuum
    def _gc_discarded(self):
        limit = fields.Datetime.now() - timedelta(days=DISCARD_RETENTION_DAYS)
        items = self.sudo().search([("state", "=", "discarded"), ("discard_date", "<", limit)])
        attachments = items.attachment_ids
        count = len(items)
        items.unlink()
        attachments.exists().unlink()
        _logger.info("Purged %d discarded unmatched mails", count)
