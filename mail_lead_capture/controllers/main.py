from odoo import http
from odoo.http import request


class MailLeadCaptureController(http.Controller):
    @http.route(
        "/mail_lead_capture/confirm/<int:address_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=False,
    )
    def confirm_alternate_address(self, address_id, token):
        """The link mailed to an alternate address: confirms it once, then says so in words."""
        record = request.env["mail.capture.address"].sudo().browse(address_id).exists()
        outcome = record._confirm(token) if record else "invalid"
        return request.render(
            "mail_lead_capture.mail_capture_address_confirm_page",
            {"outcome": outcome, "record": record},
        )
