from odoo import fields
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    lead_capture_address_ids = fields.One2many(
        "mail.capture.address",
        "user_id",
        string="Alternate Addresses",
        help="Other addresses you send mail from. Once confirmed, the capture address accepts mail "
        "you forward or BCC from them.",
    )
    lead_capture_email = fields.Char(
        string="Capture Address",
        related="company_id.lead_capture_email",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "lead_capture_address_ids", "lead_capture_email"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "lead_capture_address_ids"]

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_addresses(self):
        """The normalised addresses this user owns: the base set plus confirmed alternates."""
        addresses = super()._lead_capture_addresses()
        confirmed = self.sudo().lead_capture_address_ids.filtered(lambda a: a.state == "verified")
        return addresses | frozenset(confirmed.mapped("email"))
