from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..tools import addresses, automated, filters


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

    def _lead_capture_filter_rules(self, user=None):
        """Return the :class:`~..tools.filters.FilterRules` of this company, for ``user``'s mail.

        They hold the company domains, every address of every active internal user of the company,
        the company's blocks and, when ``user`` is given, that user's personal blocks in this
        company. Build them once per batch of mails: the blocks are read in one query, without
        loading records, so that 10,000 entries stay cheap.
        """
        self.ensure_one()
        users = (
            self.env["res.users"]
            .sudo()
            .search([("share", "=", False), ("company_ids", "in", self.ids)])
        )
        blocks = self.env["mail.capture.block"].sudo()
        domain = Domain("company_id", "=", self.id) & (
            Domain("user_id", "=", False) | Domain("user_id", "=", user.id)
            if user
            else Domain("user_id", "=", False)
        )
        query = blocks._search(domain)
        rows = self.env.execute_query(
            query.select(*(blocks._field_to_sql(blocks._table, f) for f in ("kind", "entry")))
        )
        return filters.FilterRules(
            company_domains=self._lead_capture_company_domains(),
            user_addresses=users._lead_capture_addresses(),
            blocked_addresses=frozenset(entry for kind, entry in rows if kind == "address"),
            blocked_domains=frozenset(entry for kind, entry in rows if kind == "domain"),
        )

    @api.model
    def _lead_capture_screening_sentence(self, screening):
        """Say in one translated sentence what the filters decided for a mail (for the capture log).

        ``screening`` is a :class:`~..tools.filters.Screening`. A screened mail gets the rule that
        screened it and the addresses concerned; a captured one, the addresses that count and those
        left out.
        """
        excluded = ", ".join(
            self._lead_capture_exclusion_words(item) for item in screening.excluded
        )
        match screening.screened:
            case None if excluded:
                return self.env._(
                    "Captured for %(kept)s; left out: %(excluded)s.",
                    kept=", ".join(screening.kept),
                    excluded=excluded,
                )
            case None:
                return self.env._("Captured for %(kept)s.", kept=", ".join(screening.kept))
            case filters.SCREENED_AUTOMATED:
                return self._lead_capture_automated_sentence(screening.automated)
            case filters.NO_PARTICIPANTS:
                return self.env._("Not captured: it names no valid email address.")
            case filters.INTERNAL:
                return self.env._(
                    "Not captured: every participant is a colleague or on a company domain "
                    "(%(excluded)s).",
                    excluded=excluded,
                )
            case filters.BLOCKED:
                return self.env._(
                    "Not captured: every outside participant is blocked (%(excluded)s).",
                    excluded=excluded,
                )
        return self.env._("Not captured (rule %(rule)s).", rule=screening.screened)

    @api.model
    def _lead_capture_automated_sentence(self, kind):
        """The sentence for robot mail of ``kind`` (a ``tools.automated`` code), translated."""
        match kind:
            case automated.BOUNCE:
                return self.env._("Not captured: it is a delivery failure notice (bounce).")
            case automated.RECEIPT:
                return self.env._("Not captured: it is a read receipt.")
            case automated.AUTO_REPLY:
                return self.env._("Not captured: it is an out-of-office or automatic reply.")
            case automated.MAILING_LIST:
                return self.env._("Not captured: it was sent to a mailing list.")
            case automated.BULK:
                return self.env._("Not captured: it is bulk mail, such as a newsletter.")
            case automated.AUTO_GENERATED:
                return self.env._(
                    "Not captured: it was generated automatically, not written by a person."
                )
            case automated.NO_REPLY:
                return self.env._("Not captured: it was sent from a no-reply address.")
        return self.env._("Not captured: it is automated mail (%(kind)s).", kind=kind)

    @api.model
    def _lead_capture_exclusion_words(self, exclusion):
        """``address (reason)`` for one :class:`~..tools.filters.Exclusion`, translated."""
        match exclusion.rule:
            case filters.USER:
                reason = self.env._("a user")
            case filters.COMPANY_DOMAIN:
                reason = self.env._("company domain %(domain)s", domain=exclusion.detail)
            case filters.BLOCKED_ADDRESS:
                reason = self.env._("blocked address")
            case filters.BLOCKED_DOMAIN:
                reason = self.env._("blocked domain %(domain)s", domain=exclusion.detail)
            case _:
                reason = exclusion.rule
        return self.env._("%(address)s (%(reason)s)", address=exclusion.address, reason=reason)
