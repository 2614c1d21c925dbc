from odoo import api
from odoo import fields
from odoo import models


class MailCaptureUnmatchedLink(models.TransientModel):
    """Choose the lead that unmatched mail belongs to."""

    _name = "mail.capture.unmatched.link"
    _description = "Link Unmatched Mail to a Lead"

    unmatched_ids = fields.Many2many("mail.capture.unmatched", string="Mail", required=True)
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    lead_id = fields.Many2one(
        "crm.lead",
        required=True,
        domain="[('company_id', 'in', [company_id, False])]",
        help="Search leads by name, contact or email.",
    )

    @api.depends("unmatched_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.unmatched_ids.company_id[:1]

    def action_link(self):
        self.ensure_one()
        self.unmatched_ids._link_to_lead(self.lead_id)
        return self.unmatched_ids._open_leads(self.lead_id)
