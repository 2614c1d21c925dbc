from odoo.addons.google_gmail.controllers import main
from odoo.addons.mail_lead_capture.controllers import oauth


class GoogleGmailController(main.GoogleGmailController):
    """After Google's consent page, a synced mailbox connects at once and its form is shown."""

    def _check_email_and_redirect_to_gmail_record(
        self, access_token, expiration, refresh_token, record
    ):
        response = super()._check_email_and_redirect_to_gmail_record(
            access_token, expiration, refresh_token, record
        )
        oauth.signed_in(record, "google")
        return response

    def _get_redirect_url(self, record):
        return oauth.redirect_url(record) or super()._get_redirect_url(record)
