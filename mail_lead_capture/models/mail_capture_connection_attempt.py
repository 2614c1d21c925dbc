from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models

# Interactive connections (Test Connection, Fetch Folders, Sync Now) a user may open per window,
# unless the setting mail_lead_capture.connection_attempts says otherwise.
DEFAULT_ATTEMPTS = 10
WINDOW = timedelta(minutes=10)


class MailCaptureConnectionAttempt(models.Model):
    """One connection a user asked for from a mailbox's form: counted to rate-limit them.

    A mailbox's connection settings are typed by its owner, so every button that connects could
    probe any host; the per-user limit keeps that from becoming a scanner. Rows are technical:
    no client reads them (administrators only, and nothing shows them).
    """

    _name = "mail.capture.connection.attempt"
    _description = "Mailbox Connection Attempt"
    _order = "id desc"

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade")

    @api.model
    def _allow(self, user):
        """Record one attempt for ``user``; False when they have used up the window's attempts."""
        limit = self._attempt_limit()
        since = fields.Datetime.now() - WINDOW
        Attempt = self.sudo()
        if Attempt.search_count([("user_id", "=", user.id), ("create_date", ">=", since)]) >= limit:
            return False
        Attempt.create({"user_id": user.id})
        return True

    @api.model
    def _attempt_limit(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail_lead_capture.connection_attempts", DEFAULT_ATTEMPTS)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return DEFAULT_ATTEMPTS

    @api.autovacuum
    def _gc_old_attempts(self):
        self.sudo().search([("create_date", "<", fields.Datetime.now() - WINDOW)]).unlink()
