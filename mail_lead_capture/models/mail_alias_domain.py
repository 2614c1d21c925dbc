from odoo import models


class MailAliasDomain(models.Model):
    """Keep the companies' table of capture aliases (``res.company._lead_capture_alias_table``)
    true when a domain is renamed: its aliases' full names change with it."""

    _inherit = "mail.alias.domain"

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals:
            self.env.registry.clear_cache()  # res.company._lead_capture_alias_table
        return result
