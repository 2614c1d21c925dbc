from odoo import fields
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Email capture looks partners up by normalised address for every mail it files; core leaves
    # this column unindexed.
    email_normalized = fields.Char(index=True)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        result = super().write(vals)
        if vals.get("email"):
            self._lead_capture_queue_history()
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_queue_history(self):
        """A contact of a lead got a new email: synced mailboxes import its past mail.

        As for an address added on a lead, only contacts on a lead (its customer or one of its
        email contacts) count; the import runs in the background.
        """
        new = set(filter(None, self.mapped("email_normalized")))
        if not new:
            return
        Lead = self.env["crm.lead"].sudo()
        if not Lead._lead_capture_mailboxes_connected():
            return
        leads = Lead.search(["|", ("partner_id", "in", self.ids), ("contact_ids", "in", self.ids)])
        if leads:
            leads._lead_capture_import_history(
                dict.fromkeys({lead.company_id for lead in leads}, new)
            )
