from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError

from ..tools import filters


class MailCaptureTrustedSender(models.Model):
    """An address or a domain whose mail to the capture address is filed as one user's.

    For people of the organisation without an Odoo account (an assistant, a partner agency): their
    forwards and BCC copies are accepted and filed as the credited user's, as if that user had sent
    them. Sender authenticity checks still apply. Decisions are made by ``tools.trusted``; this
    model stores entries normalised by ``tools.filters.read_entry``.
    """

    _name = "mail.capture.trusted.sender"
    _description = "Trusted Sender of the Capture Address"
    _rec_name = "entry"
    _order = "entry, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    entry = fields.Char(
        string="Address or Domain",
        required=True,
        help="One email address (assistant@example.com) or one domain (example.com, which also "
        "covers its subdomains). A public mail provider's domain such as gmail.com cannot be "
        "trusted as a whole; its single addresses can.",
    )
    kind = fields.Selection(
        [("address", "Address"), ("domain", "Domain")],
        compute="_compute_kind",
        store=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Filed As",
        required=True,
        ondelete="cascade",
        domain=[("share", "=", False)],
        help="The user whose mail it becomes: leads it creates are theirs, and they are told "
        "about it as about their own forwards.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    note = fields.Char(help="Who this is, for your colleagues.")

    # ------------------------------------------------------------
    # SQL OBJECTS
    # ------------------------------------------------------------

    _entry_unique = models.UniqueIndex(
        "(company_id, entry)",
        "This address or domain is already a trusted sender of this company: edit the existing "
        "entry instead of adding it again.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("entry")
    def _compute_kind(self):
        for sender in self:
            try:
                sender.kind = filters.read_entry(sender.entry, public_domains=False)[0]
            except ValueError:
                sender.kind = False

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("company_id", "user_id")
    def _check_user_company(self):
        for sender in self:
            user = sender.user_id.sudo()
            if user.share or sender.company_id not in user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an internal user of %(company)s: choose one of the "
                        "company's users to file %(entry)s's mail as.",
                        user=user.display_name,
                        company=sender.company_id.sudo().display_name,
                        entry=sender.entry,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._clean_vals(vals) for vals in vals_list])

    def write(self, vals):
        # Odoo checks a write's record rules on the records as they were: moving an entry into a
        # company one does not work in would make that company trust it.
        if vals.get("company_id") and not self.env.su:
            company = self.env["res.company"].browse(vals["company_id"])
            if company not in self.env.companies:
                raise AccessError(
                    self.env._(
                        "Trusted senders stay in the companies you work in: choose one of the "
                        "companies selected in your company switcher."
                    )
                )
        return super().write(self._clean_vals(vals))

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _clean_vals(self, vals):
        """Return ``vals`` with its entry normalised, or raise what the user must type instead."""
        if "entry" not in vals:
            return vals
        try:
            _kind, entry = filters.read_entry(vals["entry"], public_domains=False)
        except ValueError as error:
            if error.args and error.args[0] == filters.PUBLIC_DOMAIN:
                message = self.env._(
                    "%(entry)s is a public mail provider: anyone can have an address there, so it "
                    "cannot be trusted as a whole. Enter the single addresses you trust.",
                    entry=vals["entry"],
                )
            else:
                message = self.env._(
                    "“%(entry)s” is neither an email address nor a domain. Enter one email "
                    "address (someone@example.com) or one domain (example.com) per entry.",
                    entry=vals["entry"] or "",
                )
            raise ValidationError(message) from None
        return dict(vals, entry=entry)
