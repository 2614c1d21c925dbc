from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Command

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

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        # A user edits their alternate addresses in their preferences. The field is deliberately
        # not in SELF_WRITEABLE_FIELDS (those are written as superuser): the one2many commands
        # are applied here with the user's own rights, so the address model's rules and its
        # proof fields hold whatever the commands say.
        if (
            "lead_capture_address_ids" in vals
            and not self.env.su
            and self == self.env.user
            and not self.env.user.has_group("base.group_erp_manager")
        ):
            vals = dict(vals)
            self._lead_capture_apply_address_commands(vals.pop("lead_capture_address_ids"))
            if not vals:
                return True
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_sign_in(self, code):
        """My Preferences > Sign in with a provider (``code``, a sign-in bridge's
        ``auth_method``): the user's mailbox for their own address (made if needed), then the
        provider's consent page."""
        self.ensure_one()
        if self != self.env.user or not self._is_internal():
            raise AccessError(self.env._("You can only connect your own mailbox."))
        if not self.email:
            raise UserError(self.env._("Set your email address first, then sign in."))
        Mailbox = self.env["mail.capture.mailbox"]
        mailbox = Mailbox.search(
            [("user_id", "=", self.id), ("email", "=ilike", self.email.strip())], limit=1
        )
        if not mailbox:
            mailbox = Mailbox.create({"user_id": self.id, "email": self.email, "auth_method": code})
        return mailbox._lead_capture_sign_in(code)

    def _lead_capture_addresses(self):
        """Return the normalised addresses these users own, as one frozenset.

        Mail exchanged only with these addresses is mail between colleagues and is never captured,
        whatever their domain (a user writing from gmail.com is still a colleague); mail from them
        to the capture address is accepted. They are the user's email, their login when it is an
        address, and their confirmed alternate addresses. A synced mailbox's address is not one of
        them by itself (anyone can type any address on a mailbox): connecting the mailbox mails
        that address a confirmation link, as for an alternate address. Features that give users
        more addresses extend this method and add theirs to ``super()``'s result.
        """
        found = set()
        for user in self:
            for value in (user.email, user.login):
                if value and "@" in value and (address := addresses.normalize_address(value)):
                    found.add(address)
        confirmed = self.sudo().lead_capture_address_ids.filtered(lambda a: a.state == "verified")
        found.update(confirmed.mapped("email"))
        return frozenset(found)

    def _lead_capture_apply_address_commands(self, commands):
        """Apply one2many ``commands`` on the user's own alternate addresses, with their rights.

        Creating, editing and removing their own addresses is allowed; linking, replacing or
        taking addresses from another user is not (only an administrator moves an address).
        """
        self.ensure_one()
        Address = self.env["mail.capture.address"]
        for command in commands or ():
            code = command[0]
            if code == Command.CREATE:
                Address.create(dict(command[2] or {}, user_id=self.id))
            elif code == Command.UPDATE:
                Address.browse(command[1]).write(command[2] or {})
            elif code in (Command.DELETE, Command.UNLINK):
                Address.browse(command[1]).unlink()
            elif code == Command.LINK and Address.browse(command[1]).user_id == self:
                continue
            else:
                raise AccessError(
                    self.env._(
                        "Only an administrator can give an alternate address to another user: "
                        "add your addresses one by one in your preferences."
                    )
                )
