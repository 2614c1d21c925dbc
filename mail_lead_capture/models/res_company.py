from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import addresses


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    lead_capture_extra_domains = fields.Char(
        string="Other Company Domains",
        help="Domains your company also sends mail from, separated by commas (for example a second "
        "brand's domain). Mail exchanged only with these domains is never captured. The alias domain "
        "and the domain of the company's email are always excluded; public mail providers such as "
        "gmail.com never are.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("lead_capture_extra_domains")
    def _check_lead_capture_extra_domains(self):
        for company in self:
            _domains, rejected = addresses.parse_domain_list(company.lead_capture_extra_domains)
            if rejected:
                raise ValidationError(
                    self.env._(
                        "These entries of %(company)s's other company domains are not domain names: "
                        "%(entries)s. Enter domains such as example.com, separated by commas.",
                        company=company.display_name,
                        entries=", ".join(rejected),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if vals.get("lead_capture_extra_domains"):
            domains, rejected = addresses.parse_domain_list(vals["lead_capture_extra_domains"])
            if not rejected:
                vals = dict(vals, lead_capture_extra_domains=", ".join(domains))
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_company_domains(self):
        """Return the normalised domains this company owns (see ``tools.addresses``)."""
        self.ensure_one()
        extra, _rejected = addresses.parse_domain_list(self.lead_capture_extra_domains)
        return addresses.company_domains(
            alias_domains=[self.alias_domain_id.name],
            company_emails=[self.email],
            extra_domains=extra,
        )
