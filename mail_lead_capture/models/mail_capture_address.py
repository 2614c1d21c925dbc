import hashlib
import secrets
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tools import consteq

from ..tools import addresses

# A confirmation link works once, within this many hours.
CONFIRMATION_VALIDITY_HOURS = 48
# The fields that prove an address is its user's: written only by the confirmation flow (as
# superuser) or an administrator, whatever the path (RPC, one2many commands, imports).
PROOF_FIELDS = frozenset({"user_id", "state", "token_hash", "token_expiry", "verified_date"})


class MailCaptureAddress(models.Model):
    """Another address a user sends mail from, accepted by the capture address once confirmed.

    The address stays pending until its owner clicks the link mailed to it: nobody can make the
    capture address accept mail from an address they do not read.
    """

    _name = "mail.capture.address"
    _description = "Alternate Email Address"
    _order = "user_id, email"
    _rec_name = "email"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    user_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
    )
    email = fields.Char(string="Address", required=True)
    state = fields.Selection(
        [("pending", "Waiting for confirmation"), ("verified", "Confirmed")],
        default="pending",
        required=True,
        readonly=True,
    )
    token_hash = fields.Char(readonly=True, groups="base.group_system", copy=False)
    token_expiry = fields.Datetime(readonly=True, copy=False)
    verified_date = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------

    _user_email_unique = models.UniqueIndex(
        "(user_id, email)", "You have already added this address."
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("email", "user_id")
    def _check_email(self):
        for record in self:
            if addresses.normalize_address(record.email) != record.email:
                raise ValidationError(
                    self.env._(
                        "%(email)s is not an email address: enter one such as name@example.com.",
                        email=record.email,
                    )
                )
            owners = self.env["res.users"].sudo().search([("id", "!=", record.user_id.id)])
            taken = owners.filtered(
                lambda user, record=record: record.email in user._lead_capture_addresses()
            )
            if taken:
                raise ValidationError(
                    self.env._(
                        "%(email)s already belongs to another user: ask an administrator if it "
                        "should move to you.",
                        email=record.email,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        trusted = self._proof_writer()
        for vals in vals_list:
            if not trusted:
                self._check_proof_fields(
                    {
                        key: value
                        for key, value in vals.items()
                        if key in PROOF_FIELDS
                        and value
                        and (key, value) not in (("state", "pending"), ("user_id", self.env.uid))
                    }
                )
            vals["email"] = addresses.normalize_address(vals.get("email")) or vals.get("email")
            vals["state"] = "pending"
        records = super().create(vals_list)
        records._send_confirmation()
        return records

    def write(self, vals):
        if not self._proof_writer():
            self._check_proof_fields(vals)
        if "email" in vals:
            vals = dict(vals, state="pending", verified_date=False)
            vals["email"] = addresses.normalize_address(vals["email"]) or vals["email"]
        result = super().write(vals)
        if "email" in vals:
            self._send_confirmation()
        return result

    def _proof_writer(self):
        """True for whom may write the fields that prove an address: the confirmation flow (which
        runs as superuser) and administrators."""
        return self.env.su or self.env.user.has_group("base.group_erp_manager")

    def _check_proof_fields(self, vals):
        """Refuse ``vals`` that would set a field proving an address (state, owner, token)."""
        forbidden = sorted(PROOF_FIELDS.intersection(vals))
        if forbidden:
            raise AccessError(
                self.env._(
                    "Only the confirmation link mailed to an address, or an administrator, can "
                    "change %(fields)s of an alternate address. Add the address in your "
                    "preferences and open the link mailed to it.",
                    fields=", ".join(forbidden),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_send_confirmation(self):
        self.check_access("write")
        self._send_confirmation()
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _send_confirmation(self):
        """Mail each pending address a single-use link that confirms it."""
        base_url = self.get_base_url()
        for record in self.filtered(lambda r: r.state == "pending").sudo():
            token = secrets.token_urlsafe(32)
            record.write(
                {
                    "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                    "token_expiry": fields.Datetime.now()
                    + timedelta(hours=CONFIRMATION_VALIDITY_HOURS),
                }
            )
            link = f"{base_url}/mail_lead_capture/confirm/{record.id}/{token}"
            body = self.env["ir.qweb"]._render(
                "mail_lead_capture.mail_capture_address_confirm_email",
                {"record": record, "link": link, "hours": CONFIRMATION_VALIDITY_HOURS},
            )
            self.env["mail.mail"].sudo().create(
                {
                    "email_from": record.user_id.company_id.email_formatted
                    or record.user_id.email_formatted,
                    "email_to": record.email,
                    "subject": self.env._(
                        "Confirm %(email)s for email capture", email=record.email
                    ),
                    "body_html": body,
                    "auto_delete": True,
                }
            ).send()

    def _check_token(self, token):
        """What ``token`` is worth for this address, without changing anything.

        The token is checked first, so that nothing about the address is told to whoever does
        not hold its link: "invalid", else "already" (confirmed before), "expired" or "valid".
        """
        self.ensure_one()
        record = self.sudo()
        if not record.token_hash or not token:
            return "invalid"
        if not consteq(record.token_hash, hashlib.sha256(token.encode()).hexdigest()):
            return "invalid"
        if record.state == "verified":
            return "already"
        if record.token_expiry and record.token_expiry < fields.Datetime.now():
            return "expired"
        return "valid"

    def _confirm(self, token):
        """Confirm the address if ``token`` is its current, unexpired one; the link works once.

        The token's hash is kept, so that opening the link again says "already confirmed"; a
        new address (or a new link) replaces it.
        """
        outcome = self._check_token(token)
        if outcome != "valid":
            return outcome
        self.sudo().write(
            {"state": "verified", "token_expiry": False, "verified_date": fields.Datetime.now()}
        )
        return "confirmed"
