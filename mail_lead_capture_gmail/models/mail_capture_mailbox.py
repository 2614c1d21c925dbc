from odoo import api
from odoo import fields
from odoo import models

from odoo.addons.mail_lead_capture.tools import oauth_providers


class MailCaptureMailbox(models.Model):
    """A synced mailbox that signs in with Google (OAuth 2.0, IMAP XOAUTH2).

    Odoo's ``google.gmail.mixin`` does the authorization flow (with the company's own Google
    client, or Odoo's IAP proxy on Enterprise), renews the access token and keeps the tokens in
    fields only administrators may read; the addon's mailbox runs the rest from the provider
    described in ``_oauth_providers``.
    """

    _name = "mail.capture.mailbox"
    _inherit = ["mail.capture.mailbox", "google.gmail.mixin"]
    _email_field = "email"

    auth_method = fields.Selection(
        selection_add=[("google", "Google")], ondelete={"google": "set default"}
    )
    # The mixin's tokens (readable by administrators only), kept out of exports and copies.
    google_gmail_refresh_token = fields.Char(exportable=False)
    google_gmail_access_token = fields.Char(exportable=False)
    google_gmail_access_token_expiration = fields.Integer(exportable=False)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_lead_capture_sign_in_google(self):
        """Send the owner to Google's consent page; Google sends them back to Odoo's callback,
        which stores the tokens and tests the connection."""
        return self._lead_capture_sign_in("google")

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _oauth_providers(self):
        return {
            **super()._oauth_providers(),
            "google": oauth_providers.OAuthProvider(
                code="google",
                name="Google",
                # the preset of mail_lead_capture's provider list that Google's server matches
                preset="gmail",
                imap_host="imap.gmail.com",
                refresh_token_field="google_gmail_refresh_token",
                access_token_field="google_gmail_access_token",
                expiration_field="google_gmail_access_token_expiration",
                client_id_param="google_gmail_client_id",
                client_secret_param="google_gmail_client_secret",
                settings=self.env._("Settings > General Settings > Emails > Use a Gmail Server"),
                consent_method="open_google_gmail_uri",
                access_token_method="_google_access_token",
                smtp_host="smtp.gmail.com",
                smtp_authentication="gmail",
            ),
        }

    def _google_access_token(self):
        """A fresh access token (Odoo's mixin renews it when it is about to expire)."""
        self._generate_oauth2_string(self.login or self.email, self.google_gmail_refresh_token)
        return self.google_gmail_access_token
