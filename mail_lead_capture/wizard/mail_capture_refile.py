import email.policy
from email.message import EmailMessage
from email.utils import format_datetime

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools.mail import formataddr
from odoo.tools.mail import html2plaintext

from ..tools import addresses
from ..tools import capture
from ..tools import filters

# The records a captured mail may be filed on, and moved between.
REFILE_MODELS = ("crm.lead", "res.partner")


class MailCaptureRefile(models.TransientModel):
    """Correct where email capture filed a mail: another lead, a contact, or not CRM mail at all.

    Opened from the chatter's message menu and from the Capture Log. Whoever corrects must be able
    to write the record the mail is on and the one it goes to; a private synced mail is corrected
    by its owner only. The decision trace on the message says who moved it and why.
    """

    _name = "mail.capture.refile"
    _description = "Correct the Filing of a Captured Mail"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    message_id = fields.Many2one("mail.message", required=True, ondelete="cascade")
    subject = fields.Char(compute="_compute_where", string="Mail")
    current_place = fields.Char(compute="_compute_where", string="Filed On")
    company_id = fields.Many2one("res.company", compute="_compute_where")
    mode = fields.Selection(
        [
            ("lead", "Move to another lead"),
            ("contact", "Move to a contact"),
            ("review", "Not CRM mail: back to my Unmatched Mail"),
            ("discard", "Not CRM mail: discard it"),
        ],
        string="Correction",
        default="lead",
        required=True,
    )
    lead_id = fields.Many2one(
        "crm.lead",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Search leads by name, contact or email.",
    )
    partner_id = fields.Many2one("res.partner", string="Contact")
    reason = fields.Char(help="Why the mail was filed wrongly: kept in its decision trace.")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("message_id")
    def _compute_where(self):
        for wizard in self:
            if not wizard.message_id.has_access("read"):
                # a wizard opened on someone else's mail (private, or on a record one cannot
                # read) names neither its subject nor where it is filed
                wizard.subject = wizard.current_place = False
                wizard.company_id = self.env.company
                continue
            message = wizard.message_id.sudo()
            record = wizard._filed_record(message)
            wizard.subject = message.subject or False
            wizard.current_place = record.display_name if record else False
            wizard.company_id = (
                record.company_id if record and "company_id" in record._fields else False
            ) or self.env.company

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_apply(self):
        self.ensure_one()
        message = self._checked_message()
        if self.mode in ("lead", "contact"):
            target = self.lead_id if self.mode == "lead" else self.partner_id
            if not target:
                raise UserError(
                    self.env._("Choose the lead or contact this mail belongs to, then apply.")
                )
            self._move_message(message, target)
        else:
            self._unfile(message, discard=self.mode == "discard")
        return {"type": "ir.actions.act_window_close", "infos": {"lead_capture_refiled": True}}

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _filed_record(self, message):
        if message.model in REFILE_MODELS and message.res_id:
            return self.env[message.model].sudo().browse(message.res_id).exists()
        return None

    def _checked_message(self):
        """The mail to correct, once the current user is shown to be allowed to correct it."""
        message = self.message_id
        message.check_access("read")
        private_owner = message.sudo().lead_capture_private_user_id
        if private_owner and private_owner != self.env.user:
            raise AccessError(
                self.env._(
                    "This mail was synced from %(user)s's mailbox and is private: only they can "
                    "move it.",
                    user=private_owner.name,
                )
            )
        if not message.sudo().lead_capture_trace:
            raise UserError(
                self.env._(
                    "Only mail filed by email capture can be moved here; this message was "
                    "written in Odoo."
                )
            )
        record = self._filed_record(message.sudo())
        if not record:
            raise UserError(
                self.env._("This mail is not on a lead or contact any more: refresh the page.")
            )
        self._check_write(record)
        return message

    def _check_write(self, record):
        """Refuse unless the current user may edit ``record`` (the source or target)."""
        try:
            record.with_user(self.env.user).check_access("write")
        except AccessError as error:
            raise AccessError(
                self.env._(
                    "You cannot change %(record)s, so you cannot move mail on or off it: ask its "
                    "salesperson or a sales manager.",
                    record=record.sudo().display_name,
                )
            ) from error

    def _move_message(self, message, target):
        """Put ``message`` on ``target`` (a lead or contact) and teach the target its participants."""
        message = message.sudo()
        source = self._filed_record(message)
        target = target.sudo().exists()
        if not target:
            raise UserError(self.env._("That lead or contact no longer exists: choose another."))
        if (target._name, target.id) == (source._name, source.id):
            raise UserError(
                self.env._("The mail is already on %(record)s.", record=target.display_name)
            )
        self._check_write(target)
        company = self._record_company(source)
        if target._name == "crm.lead" and target.company_id and target.company_id != company:
            raise UserError(
                self.env._(
                    "%(lead)s belongs to %(company)s, but this mail was filed for "
                    "%(mail_company)s: choose a lead of %(mail_company)s.",
                    lead=target.display_name,
                    company=target.company_id.name,
                    mail_company=company.name,
                )
            )
        participants = self._participants(message, company)
        sentence = self.env._(
            "Moved from %(origin)s to %(target)s by %(user)s%(why)s.",
            origin=source.display_name,
            target=target.display_name,
            user=self.env.user.name,
            why=self._reason_suffix(),
        )
        trace = self._trace_sentence(sentence, message.lead_capture_trace)
        message.write({"model": target._name, "res_id": target.id, "lead_capture_trace": trace})
        message._lead_capture_place_attachments()
        self._forget_participants(source, participants, message)
        if target._name == "crm.lead":
            self._teach_participants(target, participants, message)
        self._log_correction(
            message, company, "moved", sentence, target if target._name == "crm.lead" else None
        )
        return target

    def _unfile(self, message, discard=False):
        """Take ``message`` off its record: back to its owner's unmatched mail, or discarded."""
        message = message.sudo()
        source = self._filed_record(message)
        company = self._record_company(source)
        owner = self._lead_capture_owner(message)
        participants = self._participants(message, company)
        raw = self._rebuild_raw(message)
        mail = capture.captured_mail(email.message_from_bytes(raw, policy=email.policy.SMTP), None)
        sentence = self.env._(
            "Removed from %(origin)s by %(user)s as not CRM mail%(why)s.",
            origin=source.display_name,
            user=self.env.user.name,
            why=self._reason_suffix(),
        )
        location = (
            self.env["mail.capture.mailbox.message"]
            .sudo()
            .search_count([("mail_message_id", "=", message.id)], limit=1)
        )
        item = self.env["mail.capture.unmatched"]._enqueue_mail(
            mail,
            raw,
            owner,
            company,
            sentence,
            "not_crm",
            body=message.body,
            attachments=[(a.name, a.raw, {}) for a in message.attachment_ids],
            source="sync" if location else "capture",
            notify=False,
        )
        if discard:
            item.write({"state": "discarded", "discard_date": fields.Datetime.now()})
            trace = sentence + " " + self.env._("Discarded.")
        else:
            trace = (
                sentence + " " + self.env._("Back in %(user)s's unmatched mail.", user=owner.name)
            )
        self._forget_participants(source, participants, message)
        self._log_correction(message, company, "removed", trace, None, owner=owner)
        message.unlink()
        return item

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _reason_suffix(self):
        reason = (self.reason or "").strip()
        return self.env._(": %(reason)s", reason=reason) if reason else ""

    @api.model
    def _trace_sentence(self, sentence, previous):
        if not previous:
            return sentence
        return sentence + " " + self.env._("Before: %(trace)s", trace=previous)

    @api.model
    def _record_company(self, record):
        company = record.company_id if "company_id" in record._fields else None
        return company or self.env.company

    @api.model
    def _lead_capture_owner(self, message):
        """Whose mail it is: its private owner, else who it was captured for, else the user."""
        if message.lead_capture_private_user_id:
            return message.lead_capture_private_user_id
        location = (
            self.env["mail.capture.mailbox.message"]
            .sudo()
            .search([("mail_message_id", "=", message.id)], limit=1)
        )
        if location:
            return location.mailbox_id.user_id
        log = (
            self.env["mail.capture.log"]
            .sudo()
            .search([("mail_message_id", "=", message.id), ("user_id", "!=", False)], limit=1)
        )
        return log.user_id or self.env.user

    @api.model
    def _addresses_of(self, message):
        """The normalised From, To and Cc addresses of a filed message."""
        pairs = addresses.split_addresses(
            message.email_from or "",
            message.incoming_email_to or "",
            message.incoming_email_cc or "",
        )
        found = [address for _name, address in pairs]
        if message.author_id.email_normalized:
            found.append(message.author_id.email_normalized)
        return list(dict.fromkeys(found))

    @api.model
    def _participants(self, message, company):
        """The outside people of ``message`` as partners (found or created), users excluded."""
        owner = self._lead_capture_owner(message)
        rules = company._lead_capture_filter_rules(owner)
        kept = filters.screen(self._addresses_of(message), rules).kept
        if not kept:
            return self.env["res.partner"]
        names = {
            address: name
            for name, address in addresses.split_addresses(
                message.email_from or "",
                message.incoming_email_to or "",
                message.incoming_email_cc or "",
            )
        }
        Partner = self.env["res.partner"].sudo().with_context(tracking_disable=True)
        partners = Partner._find_or_create_from_emails(
            [formataddr((names.get(address) or "", address)) for address in kept],
            # as the engine's: only partners the company may use (shared or its own)
            filter_found=lambda partner: not partner.company_id or partner.company_id == company,
        )
        return self.env["res.partner"].sudo().union(*partners)

    @api.model
    def _teach_participants(self, lead, participants, message):
        """Make ``lead`` know the participants, so that their next mail follows the moved one."""
        new = participants - lead.partner_id - lead.contact_ids
        values = {}
        if new:
            values["contact_ids"] = [fields.Command.link(partner.id) for partner in new]
        if message.date and (not lead.email_last_date or message.date > lead.email_last_date):
            values["email_last_date"] = message.date
        if values:
            lead.write(values)

    @api.model
    def _forget_participants(self, source, participants, message):
        """Take off the source lead's email contacts those whose only mail there was this one.

        Its customer and email stay: a person edits those. A contact who still has other mail on
        the lead stays too.
        """
        if source._name != "crm.lead" or not participants:
            return
        candidates = participants & source.contact_ids
        if not candidates:
            return
        others = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "=", source.id),
                    ("id", "!=", message.id),
                    ("lead_capture_trace", "!=", False),
                ]
            )
        )
        still = set()
        for other in others:
            still.update(self._addresses_of(other))
        gone = candidates.filtered(lambda partner: partner.email_normalized not in still)
        if gone:
            source.write({"contact_ids": [fields.Command.unlink(partner.id) for partner in gone]})

    @api.model
    def _rebuild_raw(self, message):
        """The raw mail of a filed message, rebuilt from what was stored (its source is not kept)."""
        mail = EmailMessage(policy=email.policy.SMTP)
        mail["From"] = message.email_from or formataddr(
            (message.author_id.name or "", message.author_id.email or "")
        )
        if message.incoming_email_to:
            mail["To"] = message.incoming_email_to
        if message.incoming_email_cc:
            mail["Cc"] = message.incoming_email_cc
        mail["Subject"] = message.subject or ""
        if message.date:
            mail["Date"] = format_datetime(fields.Datetime.to_datetime(message.date), usegmt=False)
        if message.message_id:
            mail["Message-ID"] = message.message_id
        mail["MIME-Version"] = "1.0"
        body = str(message.body or "")
        mail.set_content(html2plaintext(body) or " ")
        if body:
            mail.add_alternative(body, subtype="html")
        for attachment in message.attachment_ids:
            maintype, _slash, subtype = (
                attachment.mimetype or "application/octet-stream"
            ).partition("/")
            mail.add_attachment(
                attachment.raw or b"",
                maintype=maintype,
                subtype=subtype or "octet-stream",
                filename=attachment.name,
            )
        return mail.as_bytes()

    @api.model
    def _log_correction(self, message, company, outcome, trace, lead, owner=None):
        self.env["mail.capture.log"].sudo().with_context(tracking_disable=True).create(
            {
                "company_id": company.id,
                "user_id": (owner or self._lead_capture_owner(message)).id,
                "source": "correction",
                "outcome": outcome,
                "trace": trace,
                "sender": (addresses.split_addresses(message.email_from or "") or [("", False)])[0][
                    1
                ],
                "subject": message.subject,
                "message_ref": message.message_id,
                "lead_id": lead.id if lead else False,
                "mail_message_id": message.id if outcome == "moved" else False,
                "corrected_by_id": self.env.user.id,
                # a private synced mail's correction is as private as the mail
                "private_user_id": message.lead_capture_private_user_id.id,
            }
        )
