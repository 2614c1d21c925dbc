from odoo import models


class IrMailServer(models.Model):
    _inherit = "ir.mail_server"

    def send_email(
        self,
        message,
        mail_server_id=None,
        smtp_server=None,
        smtp_port=None,
        smtp_user=None,
        smtp_password=None,
        smtp_encryption=None,
        smtp_ssl_certificate=None,
        smtp_ssl_private_key=None,
        smtp_debug=False,
        smtp_session=None,
    ):
        """Once a mail left through a user's own mailbox (their personal outgoing server made by
        a synced mailbox), file a copy in that mailbox's Sent folder, as a mail client does."""
        message_id = super().send_email(
            message,
            mail_server_id=mail_server_id,
            smtp_server=smtp_server,
            smtp_port=smtp_port,
            smtp_user=smtp_user,
            smtp_password=smtp_password,
            smtp_encryption=smtp_encryption,
            smtp_ssl_certificate=smtp_ssl_certificate,
            smtp_ssl_private_key=smtp_ssl_private_key,
            smtp_debug=smtp_debug,
            smtp_session=smtp_session,
        )
        if not self._disable_send():
            if smtp_session is not None:
                from_filter = getattr(smtp_session, "from_filter", None)
            else:
                from_filter = (
                    self.sudo().browse(mail_server_id).from_filter if mail_server_id else None
                )
            if from_filter and "@" in from_filter and "," not in from_filter:
                self.env["mail.capture.mailbox"]._file_sent(from_filter, message)
        return message_id
