from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def action_lead_capture_sign_in_microsoft(self):
        """My Preferences > Sign in with Microsoft: the user's mailbox for their own address (made
        if needed), then Microsoft's consent page."""
        return self._lead_capture_sign_in("microsoft")
