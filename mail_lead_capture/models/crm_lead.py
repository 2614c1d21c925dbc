from odoo import api
from odoo import fields
from odoo import models

from ..tools import addresses


class CrmLead(models.Model):
    _inherit = "crm.lead"
    # The lead pickers (linking unmatched mail, for one) find leads by their contacts' email too.
    _rec_names_search = ["name", "email_from", "partner_name", "contact_ids.email"]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    contact_ids = fields.Many2many(
        "res.partner",
        "crm_lead_capture_contact_rel",
        "lead_id",
        "partner_id",
        string="Email Contacts",
        help="The outside people this lead's email is exchanged with. Mail forwarded, BCC'd or "
        "synced from or to any of them is filed on this lead.",
    )
    email_last_date = fields.Datetime(
        string="Last Email",
        readonly=True,
        copy=False,
        help="Date of the latest email filed on this lead by email capture.",
    )

    # ------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------

    # Email capture looks leads up by exact normalised address for every mail. Odoo's own index on
    # this column is a trigram one, and only where the pg_trgm extension is installed: a b-tree
    # serves equality look-ups everywhere.
    _email_normalized_capture_index = models.Index(
        "(email_normalized) WHERE email_normalized IS NOT NULL"
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        if leads._lead_capture_mailboxes_connected():
            by_company = {}
            for lead, found in leads._lead_capture_contact_addresses().items():
                by_company.setdefault(lead.company_id, set()).update(found)
            leads._lead_capture_import_history(by_company)
        return leads

    def write(self, vals):
        watched = {"email_from", "partner_id", "contact_ids"} & set(vals)
        result = super().write(vals)
        if watched and self._lead_capture_mailboxes_connected():
            # The addresses the change brings, from the values written (no read of the lead
            # before and after): one already on the lead costs its mailboxes one IMAP SEARCH.
            new = self._lead_capture_addresses_in(vals)
            if new:
                self._lead_capture_import_history(
                    dict.fromkeys({lead.company_id for lead in self}, new)
                )
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_mailboxes_connected(self):
        return bool(
            self.env["mail.capture.mailbox"]
            .sudo()
            .with_context(active_test=True)  # whatever context the lead is written in
            .search_count([("state", "in", ("connected", "syncing", "error"))], limit=1)
        )

    @api.model
    def _lead_capture_addresses_in(self, vals):
        """The normalised addresses that ``vals`` (written on leads) puts on them."""
        found = set()
        if vals.get("email_from"):
            found.update(
                address for _name, address in addresses.split_addresses(vals["email_from"])
            )
        partner_ids = [vals["partner_id"]] if vals.get("partner_id") else []
        for command in vals.get("contact_ids") or ():
            if command[0] == fields.Command.LINK:
                partner_ids.append(command[1])
            elif command[0] == fields.Command.SET:
                partner_ids.extend(command[2])
            elif command[0] in (fields.Command.CREATE, fields.Command.UPDATE) and command[2]:
                found.update(
                    address
                    for _name, address in addresses.split_addresses(command[2].get("email") or "")
                )
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        found.update(filter(None, partners.mapped("email_normalized")))
        return found

    def _lead_capture_import_history(self, by_company):
        """Have synced mailboxes import the past mail of addresses new on leads.

        ``by_company`` maps a company (or no company) to the addresses its leads just got.
        """
        # archived mailboxes import nothing, whatever context the lead was written in
        Mailbox = self.env["mail.capture.mailbox"].sudo().with_context(active_test=True)
        for company, new in by_company.items():
            Mailbox._lead_capture_queue_history(company, new)

    def _lead_capture_contact_addresses(self):
        """Return ``{lead: set of normalised addresses}``: email, customer and contacts."""
        result = {}
        for lead in self:
            partners = lead.partner_id | lead.contact_ids
            result[lead] = {
                address
                for address in (lead.email_normalized, *partners.mapped("email_normalized"))
                if address
            }
        return result
