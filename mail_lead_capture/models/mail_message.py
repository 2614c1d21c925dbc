from odoo import fields
from odoo import models

from odoo.addons.mail.tools.discuss import Store


class MailMessage(models.Model):
    _inherit = "mail.message"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    lead_capture_trace = fields.Text(
        string="Capture Decision",
        readonly=True,
        help="Why email capture filed this mail here, in one sentence.",
    )
    lead_capture_direction = fields.Selection(
        [("incoming", "Incoming"), ("outgoing", "Outgoing")],
        string="Direction",
        readonly=True,
    )
    lead_capture_fingerprint = fields.Char(
        readonly=True,
        index="btree_not_null",
        help="Sender, subject and opening words of a captured mail: recognises the same mail "
        "forwarded inline, where its Message-Id is lost.",
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _to_store_defaults(self, target: Store.Target):
        fields_list = super()._to_store_defaults(target)
        if target.is_internal(self.env):
            fields_list += ["lead_capture_trace", "lead_capture_direction"]
        return fields_list
