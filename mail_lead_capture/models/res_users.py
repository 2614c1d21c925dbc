from odoo import api
from odoo import fields
from odoo import models

from ..tools import addresses


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
        compute="_compute_lead_capture_email",
        groups="base.group_user",
        help="Your company's capture address; shown only to the company's internal users.",
    )
    lead_capture_mailbox_ids = fields.One2many(
        "mail.capture.mailbox",
        "user_id",
        string="Synced Mailboxes",
        readonly=True,
        help="Your IMAP mailboxes: their mail with lead contacts is filed on the leads.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends("company_id", "share")
    def _compute_lead_capture_email(self):
        # The address files mail in a user's name: it is a secret of the company's internal users.
        # Users are readable across companies (and this field is self-readable, read as superuser):
        # the reader must be an internal user of the user's company.
        reader = self.env.user
        for user in self:
            company = user.sudo().company_id
            visible = not reader.share and not user.sudo().share and company in reader.company_ids
            user.lead_capture_email = company.sudo().lead_capture_email if visible else False

    @property
    def SELF_READABLE_FIELDS(self):
        return [
            *super().SELF_READABLE_FIELDS,
            "lead_capture_address_ids",
            "lead_capture_email",
            "lead_capture_mailbox_ids",
        ]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "lead_capture_address_ids"]

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_addresses(self):
        """Return the normalised addresses these users own, as one frozenset.

        Mail exchanged only with these addresses is mail between colleagues and is never captured,
        whatever their domain (a user writing from gmail.com is still a colleague); mail from them
        to the capture address is accepted. They are the user's email, their login when it is an
        address, their confirmed alternate addresses, and the addresses of their synced mailboxes
        (once connected: logging in proves the address is theirs). Features that give users more
        addresses extend this method and add theirs to ``super()``'s result.
        """
        found = set()
        for user in self:
            for value in (user.email, user.login):
                if value and "@" in value and (address := addresses.normalize_address(value)):
                    found.add(address)
        confirmed = self.sudo().lead_capture_address_ids.filtered(lambda a: a.state == "verified")
        found.update(confirmed.mapped("email"))
        mailboxes = (
            self.env["mail.capture.mailbox"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("user_id", "in", self.ids), ("state", "!=", "draft")], ["email"])
        )
        found.update(mailboxes.mapped("email"))
        return frozenset(found)
