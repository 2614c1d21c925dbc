from odoo import api
from odoo import fields
from odoo import models

from odoo.addons.mail_lead_capture.tools import oauth_providers


class MailCaptureMailbox(models.Model):
    """A synced mailbox that signs in with Microsoft (OAuth 2.0, IMAP XOAUTH2).

    Odoo's ``microsoft.outlook.mixin`` does the authorization flow (with the company's own
    Microsoft Entra application, or Odoo's IAP proxy on Enterprise), renews the access token and
    keeps the tokens in fields only administrators may read; the addon's mailbox runs the rest
    from the provider described in ``_oauth_providers``. Exchange Online refuses
    passwords over IMAP: this is how its mailboxes sync.
    """

    _name = "mail.capture.mailbox"
    _inherit = ["mail.capture.mailbox", "microsoft.outlook.mixin"]
    _email_field = "email"
    # Read mail by IMAP; the same consent covers sending as the user (SMTP).
    _OUTLOOK_SCOPE = (
        "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send"
    )

    auth_method = fields.Selection(
        selection_add=[("microsoft", "Microsoft")], ondelete={"microsoft": "set default"}
    )
    # The mixin's tokens (readable by administrators only), kept out of exports and copies.
    microsoft_outlook_refresh_token = fields.Char(exportable=False)
    microsoft_outlook_access_token = fields.Char(exportable=False)
    microsoft_outlook_access_token_expiration = fields.Integer(exportable=False)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_lead_capture_sign_in_microsoft(self):
        """Send the owner to Microsoft's consent page; Microsoft sends them back to Odoo's
        callback, which stores the tokens and tests the connection."""
        return self._lead_capture_sign_in("microsoft")

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _oauth_providers(self):
        return {
            **super()._oauth_providers(),
            "microsoft": oauth_providers.OAuthProvider(
                code="microsoft",
                name="Microsoft",
                # the preset of mail_lead_capture's provider list that Microsoft's server matches
                preset="microsoft",
                imap_host="outlook.office365.com",
                refresh_token_field="microsoft_outlook_refresh_token",
                access_token_field="microsoft_outlook_access_token",
                expiration_field="microsoft_outlook_access_token_expiration",
                client_id_param="microsoft_outlook_client_id",
                client_secret_param="microsoft_outlook_client_secret",
                settings=self.env._("Settings > General Settings > Emails > Use an Outlook Server"),
                consent_method="open_microsoft_outlook_uri",
                access_token_method="_microsoft_access_token",
                smtp_host="smtp.office365.com",
                smtp_authentication="outlook",
            ),
        }

    def _microsoft_access_token(self):
        """A fresh access token (Odoo's mixin renews it when it is about to expire)."""
        self._generate_outlook_oauth2_string(self.login or self.email)
        return self.microsoft_outlook_access_token
