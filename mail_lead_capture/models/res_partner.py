from odoo import fields
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Email capture looks partners up by normalised address for every mail it files; core leaves
    # this column unindexed.
    email_normalized = fields.Char(index=True)
