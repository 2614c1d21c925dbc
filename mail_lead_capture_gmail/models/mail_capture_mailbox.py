import time

from odoo import api
from odoo import fields
from odoo import models
from odoo import release
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from odoo.addons.mail_lead_capture.tools import imap_session

# The preset of mail_lead_capture's provider list that Google's IMAP server matches.
GMAIL_PRESET = "gmail"
TOKEN_FIELDS = (
    "google_gmail_refresh_token",
    "google_gmail_access_token",
    "google_gmail_access_token_expiration",
)


class MailCaptureMailbox(models.Model):
    """A synced mailbox that signs in with Google (OAuth 2.0, IMAP XOAUTH2).

    Odoo's ``google.gmail.mixin`` does the authorization flow (with the company's own Google
    client, or Odoo's IAP proxy on Enterprise), renews the access token and keeps the tokens in
    fields only administrators may read; this bridge hands the token to the mailbox's sync.
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
    # CONSTRAINTS AND ONCHANGE
    # ------------------------------------------------------------

    @api.constrains("auth_method", "security")
    def _check_google_security(self):
        for mailbox in self:
            if mailbox.auth_method == "google" and mailbox.security != "ssl":
                raise ValidationError(
                    self.env._(
                        "A mailbox signed in with Google connects with SSL/TLS: choose SSL/TLS "
                        "(port 993) for %(email)s.",
                        email=mailbox.email,
                    )
                )

    @api.onchange("auth_method")
    def _onchange_auth_method_google(self):
        if self.auth_method == "google":
            self.preset = GMAIL_PRESET
            self._onchange_preset()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if vals.get("auth_method") and vals["auth_method"] != "google":
            # another way to sign in: Google's tokens go
            vals = dict(vals, **dict.fromkeys(TOKEN_FIELDS, False))
        return super().write(vals)

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        if any(path and path[0] in TOKEN_FIELDS for path in fields):
            raise UserError(self.env._("Mailbox sign-in tokens are never exported."))
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_lead_capture_sign_in_google(self):
        """Send the owner to Google's consent page; Google sends them back to Odoo's callback,
        which stores the tokens and tests the connection."""
        self.ensure_one()
        self.check_access("write")
        Config = self.env["ir.config_parameter"].sudo()
        configured = Config.get_param("google_gmail_client_id") and Config.get_param(
            "google_gmail_client_secret"
        )
        if not configured and release.version_info[-1] != "e":  # Enterprise may use Odoo's IAP
            raise UserError(
                self.env._(
                    "Odoo is not connected to Google yet: ask your administrator to register it "
                    "(Settings > General Settings > Emails > Use a Gmail Server), then sign in again."
                )
            )
        mailbox = self.sudo()
        values = {}
        if mailbox.auth_method != "google":
            values["auth_method"] = "google"
        if not mailbox.host:
            values.update(preset=GMAIL_PRESET, host="imap.gmail.com", port=993, security="ssl")
        if values:
            mailbox.write(values)
        # sudo: Odoo's mixin lets only administrators start the flow; the owner may, for this
        # mailbox (checked above), as Odoo lets users connect their personal outgoing server
        return mailbox.open_google_gmail_uri()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_oauth_provider(self):
        if self.auth_method == "google":
            return "Google"
        return super()._lead_capture_oauth_provider()

    def _lead_capture_credentials(self):
        if self.auth_method != "google":
            return super()._lead_capture_credentials()
        mailbox = self.sudo()

        def access_token():
            if not mailbox.google_gmail_refresh_token:
                return None
            mailbox._generate_oauth2_string(
                mailbox.login or mailbox.email, mailbox.google_gmail_refresh_token
            )
            return mailbox.google_gmail_access_token

        return mailbox._lead_capture_oauth_credentials(access_token)

    def _lead_capture_outgoing_values(self):
        if self.auth_method != "google":
            return super()._lead_capture_outgoing_values()
        # Odoo's own gmail outgoing server, with this mailbox's grant (the same consent covers
        # SMTP): it renews its access token itself.
        return {
            "smtp_host": "smtp.gmail.com",
            "smtp_port": 587,
            "smtp_encryption": "starttls",
            "smtp_authentication": "gmail",
            "smtp_pass": False,
            **{name: self[name] for name in TOKEN_FIELDS},
        }

    def _lead_capture_pass(self, deadline, remaining, time_left):
        try:
            return super()._lead_capture_pass(deadline, remaining, time_left)
        except imap_session.ImapError as error:
            taken_for_valid = self.sudo().google_gmail_access_token_expiration > time.time()
            if error.kind != "auth" or self.auth_method != "google" or not taken_for_valid:
                raise
        # The server refused a token Odoo took for valid (withdrawn, or expired early): renew
        # it once; a refused renewal then asks the owner to sign in again.
        self.sudo().google_gmail_access_token_expiration = 0
        return super()._lead_capture_pass(deadline, remaining, time_left)

    def _lead_capture_signed_in(self):
        """Google sent the owner back with new tokens: connect (sync resumes from its
        checkpoints) and say how it went on the mailbox."""
        self.ensure_one()
        if self.send_mail:
            self._lead_capture_setup_outgoing()  # the new grant sends too
        return self.action_test_connection()
