from odoo import http
from odoo.http import request


class MailLeadCaptureController(http.Controller):
    @http.route(
        "/mail_lead_capture/confirm/<int:address_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=False,
    )
    def confirm_alternate_address(self, address_id, token, **kwargs):
        """The link mailed to an alternate address.

        The token is checked before anything else, and nothing about the address is shown to who
        does not hold it. Opening the link (GET or HEAD, as mail scanners' link previews do) only
        shows a page with a button; the button POSTs with Odoo's CSRF token and confirms, once.
        """
        record = request.env["mail.capture.address"].sudo().browse(address_id).exists()
        outcome = record._check_token(token) if record else "invalid"
        if outcome == "valid" and request.httprequest.method == "POST":
            outcome = record._confirm(token)
        return request.render(
            "mail_lead_capture.mail_capture_address_confirm_page",
            {"outcome": outcome, "record": record if outcome != "invalid" else record.browse()},
        )
