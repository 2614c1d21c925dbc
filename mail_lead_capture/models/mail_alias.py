from odoo import models


class MailAlias(models.Model):
    """Keep the companies' table of capture aliases (``res.company._lead_capture_alias_table``)
    true when an alias's full name changes (its name or its domain)."""

    _inherit = "mail.alias"

    def write(self, vals):
        result = super().write(vals)
        if "alias_name" in vals or "alias_domain_id" in vals:
            self.env.registry.clear_cache()  # res.company._lead_capture_alias_table
        return result
