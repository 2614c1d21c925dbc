import time

from odoo import api
from odoo import fields
from odoo import models
from odoo import release
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from odoo.addons.mail_lead_capture.tools import imap_session

# The preset of mail_lead_capture's provider list that Microsoft's IMAP server matches.
MICROSOFT_PRESET = "microsoft"
TOKEN_FIELDS = (
    "microsoft_outlook_refresh_token",
    "microsoft_outlook_access_token",
    "microsoft_outlook_access_token_expiration",
)


class MailCaptureMailbox(models.Model):
    """A synced mailbox that signs in with Microsoft (OAuth 2.0, IMAP XOAUTH2).

    Odoo's ``microsoft.outlook.mixin`` does the authorization flow (with the company's own
    Microsoft Entra application, or Odoo's IAP proxy on Enterprise), renews the access token and
    keeps the tokens in fields only administrators may read; this bridge hands the token to the
    mailbox's sync. Exchange Online refuses passwords over IMAP: this is how its mailboxes sync.
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
    # CONSTRAINTS AND ONCHANGE
    # ------------------------------------------------------------

    @api.constrains("auth_method", "security")
    def _check_microsoft_security(self):
        for mailbox in self:
            if mailbox.auth_method == "microsoft" and mailbox.security != "ssl":
                raise ValidationError(
                    self.env._(
                        "A mailbox signed in with Microsoft connects with SSL/TLS: choose SSL/TLS "
                        "(port 993) for %(email)s.",
                        email=mailbox.email,
                    )
                )

    @api.onchange("auth_method")
    def _onchange_auth_method_microsoft(self):
        if self.auth_method == "microsoft":
            self.preset = MICROSOFT_PRESET
            self._onchange_preset()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if vals.get("auth_method") and vals["auth_method"] != "microsoft":
            # another way to sign in: Microsoft's tokens go
            vals = dict(vals, **dict.fromkeys(TOKEN_FIELDS, False))
        return super().write(vals)

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        if any(path and path[0] in TOKEN_FIELDS for path in fields):
            raise UserError(self.env._("Mailbox sign-in tokens are never exported."))
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_lead_capture_sign_in_microsoft(self):
        """Send the owner to Microsoft's consent page; Microsoft sends them back to Odoo's
        callback, which stores the tokens and tests the connection."""
        self.ensure_one()
        self.check_access("write")
        Config = self.env["ir.config_parameter"].sudo()
        configured = Config.get_param("microsoft_outlook_client_id") and Config.get_param(
            "microsoft_outlook_client_secret"
        )
        if not configured and release.version_info[-1] != "e":  # Enterprise may use Odoo's IAP
            raise UserError(
                self.env._(
                    "Odoo is not connected to Microsoft yet: ask your administrator to register it "
                    "(Settings > General Settings > Emails > Use an Outlook Server), then sign in again."
                )
            )
        mailbox = self.sudo()
        values = {}
        if mailbox.auth_method != "microsoft":
            values["auth_method"] = "microsoft"
        if not mailbox.host:
            values.update(
                preset=MICROSOFT_PRESET, host="outlook.office365.com", port=993, security="ssl"
            )
        if values:
            mailbox.write(values)
        # sudo: Odoo's mixin lets only administrators start the flow; the owner may, for this
        # mailbox (checked above), as Odoo lets users connect their personal outgoing server
        return mailbox.open_microsoft_outlook_uri()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_oauth_provider(self):
        if self.auth_method == "microsoft":
            return "Microsoft"
        return super()._lead_capture_oauth_provider()

    def _lead_capture_credentials(self):
        if self.auth_method != "microsoft":
            return super()._lead_capture_credentials()
        mailbox = self.sudo()

        def access_token():
            if not mailbox.microsoft_outlook_refresh_token:
                return None
            mailbox._generate_outlook_oauth2_string(mailbox.login or mailbox.email)
            return mailbox.microsoft_outlook_access_token

        return mailbox._lead_capture_oauth_credentials(access_token)

    def _lead_capture_outgoing_values(self):
        if self.auth_method != "microsoft":
            return super()._lead_capture_outgoing_values()
        # Odoo's own outlook outgoing server, with this mailbox's grant (the same consent covers
        # SMTP): it renews its access token itself.
        return {
            "smtp_host": "smtp.office365.com",
            "smtp_port": 587,
            "smtp_encryption": "starttls",
            "smtp_authentication": "outlook",
            "smtp_pass": False,
            **{name: self[name] for name in TOKEN_FIELDS},
        }

    def _lead_capture_pass(self, deadline, remaining, time_left):
        try:
            return super()._lead_capture_pass(deadline, remaining, time_left)
        except imap_session.ImapError as error:
            taken_for_valid = self.sudo().microsoft_outlook_access_token_expiration > time.time()
            if error.kind != "auth" or self.auth_method != "microsoft" or not taken_for_valid:
                raise
        # The server refused a token Odoo took for valid (withdrawn, or expired early): renew
        # it once; a refused renewal then asks the owner to sign in again.
        self.sudo().microsoft_outlook_access_token_expiration = 0
        return super()._lead_capture_pass(deadline, remaining, time_left)

    def _lead_capture_signed_in(self):
        """Microsoft sent the owner back with new tokens: connect (sync resumes from its
        checkpoints) and say how it went on the mailbox."""
        self.ensure_one()
        if self.send_mail:
            self._lead_capture_setup_outgoing()  # the new grant sends too
        return self.action_test_connection()
