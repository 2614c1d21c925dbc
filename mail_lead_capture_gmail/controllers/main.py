from odoo.addons.google_gmail.controllers import main


class GoogleGmailController(main.GoogleGmailController):
    """After Google's consent page, a synced mailbox connects at once and its form is shown."""

    def _check_email_and_redirect_to_gmail_record(
        self, access_token, expiration, refresh_token, record
    ):
        response = super()._check_email_and_redirect_to_gmail_record(
            access_token, expiration, refresh_token, record
        )
        if record._name == "mail.capture.mailbox" and record.google_gmail_refresh_token:
            record._lead_capture_signed_in()
        return response

    def _get_redirect_url(self, record):
        if record._name == "mail.capture.mailbox":
            return f"/odoo/mail.capture.mailbox/{record.id}"
        return super()._get_redirect_url(record)
