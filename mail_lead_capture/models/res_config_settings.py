from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lead_capture_extra_domains = fields.Char(
        related="company_id.lead_capture_extra_domains",
        readonly=False,
    )
