from odoo.addons.microsoft_outlook.controllers import main


class MicrosoftOutlookController(main.MicrosoftOutlookController):
    """After Microsoft's consent page, a synced mailbox connects at once and its form is shown."""

    def _check_email_and_redirect_to_outlook_record(
        self, access_token, expiration, refresh_token, record
    ):
        response = super()._check_email_and_redirect_to_outlook_record(
            access_token, expiration, refresh_token, record
        )
        if record._name == "mail.capture.mailbox" and record.microsoft_outlook_refresh_token:
            record._lead_capture_signed_in()
        return response

    def _get_redirect_url(self, record):
        if record._name == "mail.capture.mailbox":
            return f"/odoo/mail.capture.mailbox/{record.id}"
        return super()._get_redirect_url(record)
