import logging

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from ..tools import authenticity
from ..tools import capture
from ..tools import filing as filings
from ..tools.direction import OUTGOING
from ..tools.direction import mail_direction

_logger = logging.getLogger(__name__)


class FetchmailServer(models.Model):
    """An incoming mail server whose every mail goes to the capture engine (an archive mailbox).

    A company that copies all its mail into one mailbox (archive@company.com, a journaling
    mailbox) has Odoo's incoming mail server read it; with the option on, each fetched mail is
    filed by the capture engine whatever its envelope names, its direction told by the company's
    users' addresses. The routing is ``mail.thread.message_route`` (the server's id is in the
    context fetchmail processes mail with); the filing is :meth:`_lead_capture_file_mail`.
    """

    _inherit = "fetchmail.server"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    lead_capture = fields.Boolean(
        string="Capture Every Mail",
        help="File each mail of this mailbox on its CRM lead, whatever address it was sent to: "
        "for an archive mailbox that receives a copy of all the company's mail. Mail the company's "
        "users send is outgoing, mail they receive incoming; mail between colleagues, robot mail "
        "and blocked addresses are left out.",
    )
    lead_capture_company_id = fields.Many2one(
        "res.company",
        string="Capture For",
        default=lambda self: self.env.company,
        help="The company whose users, leads and filters this mailbox's mail is filed with.",
    )
    lead_capture_new_leads = fields.Selection(
        [
            ("outgoing", "For mail our users send"),
            ("all", "For every mail with an outside contact"),
            ("never", "Never: only on existing leads"),
        ],
        string="New Leads",
        default="outgoing",
        required=True,
        help="Mail whose contacts are on no lead: when does it start a new lead? Mail that does "
        "not is only written in the Capture Log.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("lead_capture", "lead_capture_company_id")
    def _check_lead_capture_company(self):
        for server in self:
            if server.lead_capture and not server.lead_capture_company_id:
                raise ValidationError(
                    self.env._(
                        "Incoming mail server %(name)s captures every mail but names no company: "
                        "choose the company whose leads its mail goes on.",
                        name=server.name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _lead_capture_processing(self):
        """The capture server whose mail is being processed, if any (fetchmail's context)."""
        server_id = self.env.context.get("default_fetchmail_server_id")
        if not server_id:
            return self.browse()
        server = self.sudo().browse(server_id).exists()
        return server if server.lead_capture and server.lead_capture_company_id else self.browse()

    def _lead_capture_file_mail(self, message, message_dict):
        """File one fetched mail (parsed by Odoo's gateway) with the capture engine.

        The mail's owner is the user who sent it, if one did; incoming mail has none (nobody is
        told in Odoo, as with synced mail: it is in their own mailbox already). Screened mail and
        mail that starts no lead are only logged. Returns the lead's id, or False.
        """
        self.ensure_one()
        company = self.lead_capture_company_id
        Engine = self.env["mail.capture.engine"].sudo()
        raw = self.env.context.get("lead_capture_raw")
        _name, sender = Engine._sender_address(message_dict)
        owners = company._lead_capture_user_by_address()
        owner = owners.get(sender, self.env["res.users"])
        if owner:
            verdict = authenticity.verdict(
                [str(value) for value in message.get_all("Authentication-Results") or ()],
                sender,
                authenticity.parse_trusted_ids(company.lead_capture_authserv_ids),
                strict=company.lead_capture_auth_strict,
            )
            if verdict.forged:
                Engine._refuse_forged(message, message_dict, company, "archive", sender, verdict)
                return False
        rules = company._lead_capture_filter_rules(owner or None, owners=owners)
        outgoing = mail_direction(sender, rules.user_addresses) == OUTGOING
        filing = filings.Filing(
            company.id,
            owner.id or 0,  # 0: incoming mail, nobody's in particular
            "archive",
            no_match=self._lead_capture_no_match(outgoing),
            keep_screened=False,
            rules=rules,
        )
        mail = None
        try:
            with self.env.cr.savepoint():
                mail, content = Engine._prepare_filing(
                    message, message_dict, with_forward=False, raw=raw
                )
                return Engine._file_mail(mail, content, filing)
        except Exception as error:  # a mail that breaks the engine must not be lost
            mail = mail or capture.captured_mail(message, None)
            _logger.exception(
                "Incoming mail server %s: mail %s could not be filed; kept for review",
                self.id,
                mail.message_id,
            )
            return Engine._keep_failed(mail, raw, filing, error)

    def _lead_capture_no_match(self, outgoing):
        """The engine's ``no_match`` (``tools.filing``) for a mail of this server that matches
        no lead."""
        self.ensure_one()
        if self.lead_capture_new_leads == "all" or (
            self.lead_capture_new_leads == "outgoing" and outgoing
        ):
            return filings.CREATE
        return filings.SKIP
