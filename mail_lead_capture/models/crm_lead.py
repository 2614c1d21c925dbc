from odoo import api
from odoo import fields
from odoo import models


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
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._lead_capture_import_history({})
        return leads

    def write(self, vals):
        if not {"email_from", "partner_id", "contact_ids"} & set(vals) or not self.env[
            "mail.capture.mailbox"
        ].sudo().search_count([("state", "in", ("connected", "syncing", "error"))], limit=1):
            return super().write(vals)
        before = self._lead_capture_contact_addresses()
        result = super().write(vals)
        self._lead_capture_import_history(before)
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_import_history(self, before):
        """Have synced mailboxes import the past mail of addresses new on these leads.

        ``before`` is ``{lead: addresses}`` as it was before the change (empty for new leads).
        """
        Mailbox = self.env["mail.capture.mailbox"].sudo()
        if not Mailbox.search_count([("state", "in", ("connected", "syncing", "error"))], limit=1):
            return
        by_company = {}
        for lead, found in self._lead_capture_contact_addresses().items():
            new = found - before.get(lead, set())
            if new:
                by_company.setdefault(lead.company_id, set()).update(new)
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
