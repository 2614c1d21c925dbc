from odoo import api
from odoo import fields
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Email capture looks partners up by normalised address for every mail it files; core leaves
    # this column unindexed.
    email_normalized = fields.Char(index=True)
    lead_capture_crm_contact = fields.Boolean(
        string="CRM Contact",
        help="Email capture files mail with this contact even when they have no lead: on their "
        "open lead when there is one, else on the contact (or on a new lead, by the company's "
        "setting). Synced mailboxes download their mail too.",
    )
    lead_capture_message_count = fields.Integer(
        compute="_compute_lead_capture_message_count",
        string="Captured Mail",
        help="Captured and synced mail with this contact (or its people) that you may read: on "
        "their leads and on the contact itself.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_lead_capture_message_count(self):
        Message = self.env["mail.message"]
        for partner in self:
            partner.lead_capture_message_count = (
                Message.search_count(partner._lead_capture_message_domain()) if partner.id else 0
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        result = super().write(vals)
        if vals.get("email"):
            self._lead_capture_queue_history()
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_lead_capture_messages(self):
        """Every captured or synced mail with this contact the user may read, across their leads."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mail with %(name)s", name=self.display_name),
            "res_model": "mail.message",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("mail_lead_capture.mail_message_view_list_lead_capture").id, "list"),
                (False, "form"),
            ],
            "domain": self._lead_capture_message_domain(),
            "context": {"create": False},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_message_domain(self):
        """Captured mail written by this contact or its people, or filed on their leads or on them.

        Searched as the current user: lead access and synced mail's privacy apply.
        """
        self.ensure_one()
        people = self | self.child_ids
        leads = self.env["crm.lead"].search(
            ["|", ("partner_id", "in", people.ids), ("contact_ids", "in", people.ids)]
        )
        return [
            ("lead_capture_trace", "!=", False),
            "|",
            "|",
            ("author_id", "in", people.ids),
            "&",
            ("model", "=", "crm.lead"),
            ("res_id", "in", leads.ids),
            "&",
            ("model", "=", "res.partner"),
            ("res_id", "in", people.ids),
        ]

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
