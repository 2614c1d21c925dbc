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
    # SQL
    # ------------------------------------------------------------

    # Email capture looks leads up by exact normalised address for every mail. Odoo's own index on
    # this column is a trigram one, and only where the pg_trgm extension is installed: a b-tree
    # serves equality look-ups everywhere.
    _email_normalized_capture_index = models.Index(
        "(email_normalized) WHERE email_normalized IS NOT NULL"
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

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
