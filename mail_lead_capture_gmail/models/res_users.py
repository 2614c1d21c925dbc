from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError


class ResUsers(models.Model):
    _inherit = "res.users"

    def action_lead_capture_sign_in_google(self):
        """My Preferences > Sign in with Google: the user's mailbox for their own address (made
        if needed), then Google's consent page."""
        self.ensure_one()
        if self != self.env.user or not self._is_internal():
            raise AccessError(self.env._("You can only connect your own mailbox."))
        if not self.email:
            raise UserError(self.env._("Set your email address first, then sign in."))
        Mailbox = self.env["mail.capture.mailbox"]
        mailbox = Mailbox.search(
            [("user_id", "=", self.id), ("email", "=ilike", self.email.strip())], limit=1
        )
        if not mailbox:
            mailbox = Mailbox.create(
                {"user_id": self.id, "email": self.email, "auth_method": "google"}
            )
        return mailbox.action_lead_capture_sign_in_google()
