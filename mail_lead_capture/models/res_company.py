import secrets

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import frozendict
from odoo.tools import ormcache

from ..tools import addresses
from ..tools import filters
from ..tools import trusted

# Unambiguous lower-case letters and digits: the local part survives being read aloud or retyped.
_ALIAS_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
_ALIAS_RANDOM_LENGTH = 16
# Company fields the capture aliases' table (``_lead_capture_alias_table``) is read from: a write
# of one of them clears it (mail.alias and mail.alias.domain clear it when a full name changes).
_ALIAS_TABLE_FIELDS = frozenset(
    {"active", "lead_capture_alias_id", "lead_capture_inbound_alias_id", "lead_capture_inbound"}
)


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
    lead_capture_alias_id = fields.Many2one(
        "mail.alias",
        string="Capture Alias",
        copy=False,
        ondelete="set null",
        help="The secret alias users forward or BCC mail to.",
    )
    lead_capture_email = fields.Char(
        string="Capture Address",
        related="lead_capture_alias_id.alias_full_name",
        groups="base.group_user",
        help="Forward or BCC any email to this address: it is filed on the lead whose contacts "
        "appear in it, or on a new lead. Only the company's users may use it.",
    )
    lead_capture_inbound = fields.Boolean(
        string="A Lead for Every Incoming Email",
        help="Gives a second address for shared mailboxes such as info@ or sales@ that your mail "
        "server forwards automatically: every mail to it is incoming, from any sender, and goes on "
        "the sender's lead or a new lead named after the sender. Switching it off removes the "
        "address.",
    )
    lead_capture_inbound_alias_id = fields.Many2one(
        "mail.alias",
        string="Incoming Mail Alias",
        copy=False,
        ondelete="set null",
    )
    lead_capture_no_match = fields.Selection(
        [("create", "Create a lead"), ("review", "Keep for review")],
        string="When No Lead Matches",
        default="create",
        required=True,
        help="Create a lead: mail whose contacts are on no lead starts a new lead. Keep for review: it "
        "waits in its owner's Unmatched Mail, to be linked to a lead, turned into one, or discarded.",
    )
    lead_capture_multi_match = fields.Selection(
        [
            ("most_recent", "Most recently active lead"),
            ("every", "Every matching open lead"),
            ("ask", "Ask me"),
        ],
        string="When Several Leads Match",
        default="most_recent",
        required=True,
        help="Most recently active lead: the mail goes on the open lead with the latest activity, the "
        "others are named in its capture decision. Every matching open lead: each of them gets the "
        "mail (a message on each). Ask me: it waits in Unmatched Mail for a choice.",
    )
    lead_capture_lost = fields.Selection(
        [("new", "Start a new lead"), ("restore", "Restore the lost lead")],
        string="When a Lost Lead's Contact Writes",
        default="new",
        required=True,
        help="Start a new lead: the mail starts a new lead with the lost lead's customer, and its "
        "capture decision names the lost lead. Restore the lost lead: the lost lead is restored "
        "and gets the mail.",
    )
    lead_capture_known_contact = fields.Selection(
        [("contact", "File it on the contact"), ("lead", "Create a lead")],
        string="When a Known Contact Has No Open Lead",
        default="contact",
        required=True,
        help="Mail with a known contact (a lead's customer, or a contact marked as a CRM contact) "
        "who has no open or won lead. File it on the contact: it shows in the contact's Mail. "
        "Create a lead: it starts a new lead, whatever happens to mail of unknown people.",
    )
    lead_capture_trusted_sender_ids = fields.One2many(
        "mail.capture.trusted.sender",
        "company_id",
        string="Trusted Senders",
    )
    lead_capture_authserv_ids = fields.Char(
        string="Trusted Mail Servers",
        help="The authserv-ids (the first word of their Authentication-Results headers) of the "
        "servers that receive your company's mail: your own mail server, your mail provider. Their "
        "SPF, DKIM and DMARC results decide whether a mail really comes from a user: a forged one "
        "is refused without answering it, and administrators are told. Empty: no check.",
    )
    lead_capture_auth_strict = fields.Boolean(
        string="Require Authenticated Senders",
        help="Refuse mail to the capture address unless a trusted server found that it passes "
        "DMARC, or an aligned DKIM or SPF check. Without it only mail that fails is refused.",
    )
    lead_capture_inbound_email = fields.Char(
        string="Incoming Mail Address",
        related="lead_capture_inbound_alias_id.alias_full_name",
        groups="base.group_user",
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

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._lead_capture_ensure_aliases()
        self.env.registry.clear_cache()  # _lead_capture_alias_table
        return companies

    def write(self, vals):
        if vals.get("lead_capture_extra_domains"):
            domains, rejected = addresses.parse_domain_list(vals["lead_capture_extra_domains"])
            if not rejected:
                vals = dict(vals, lead_capture_extra_domains=", ".join(domains))
        result = super().write(vals)
        if "alias_domain_id" in vals or "lead_capture_inbound" in vals:
            self._lead_capture_ensure_aliases()
        if _ALIAS_TABLE_FIELDS.intersection(vals):
            self.env.registry.clear_cache()  # _lead_capture_alias_table
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _lead_capture_alias_table
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_lead_capture_regenerate_alias(self):
        """Give the company a new secret capture address; the old one stops working at once."""
        self.env["mail.alias"].check_access("write")
        for company in self:
            if not company.lead_capture_alias_id:
                company._lead_capture_ensure_aliases()
                continue
            company.lead_capture_alias_id.sudo().alias_name = self._lead_capture_new_alias_name(
                "leads"
            )
        return True

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

    @api.model
    def _lead_capture_new_alias_name(self, prefix):
        token = "".join(secrets.choice(_ALIAS_ALPHABET) for _i in range(_ALIAS_RANDOM_LENGTH))
        return f"{prefix}-{token}"

    def _lead_capture_alias_values(self, prefix, model_xmlid="crm.model_crm_lead"):
        self.ensure_one()
        return {
            "alias_name": self._lead_capture_new_alias_name(prefix),
            "alias_domain_id": self.alias_domain_id.id,
            "alias_model_id": self.env.ref(model_xmlid).id,
            "alias_parent_model_id": self.env.ref("base.model_res_company").id,
            "alias_parent_thread_id": self.id,
            "alias_contact": "everyone",
        }

    def _lead_capture_ensure_aliases(self):
        """Create the aliases each company needs and keep them on the company's alias domain.

        Called at install and upgrade (data file), when a company is created, and when its alias
        domain or the incoming-mail option changes. The sender policy (company users only) is
        applied by the capture engine, not by ``alias_contact``, so that refusals can be explained.
        """
        Alias = self.env["mail.alias"].sudo()
        for company in self.sudo():
            if not company.lead_capture_alias_id:
                company.lead_capture_alias_id = Alias.create(
                    company._lead_capture_alias_values("leads")
                )
            if company.lead_capture_inbound and not company.lead_capture_inbound_alias_id:
                company.lead_capture_inbound_alias_id = Alias.create(
                    company._lead_capture_alias_values("inbox")
                )
            elif not company.lead_capture_inbound and company.lead_capture_inbound_alias_id:
                # Switched off: the address goes, else Odoo's own alias routing would go on
                # creating a lead per mail, unfiltered.
                company.lead_capture_inbound_alias_id.unlink()
            aliases = company.lead_capture_alias_id | company.lead_capture_inbound_alias_id
            aliases.filtered(
                lambda alias, company=company: alias.alias_domain_id != company.alias_domain_id
            ).alias_domain_id = company.alias_domain_id

    @api.model
    def _lead_capture_company_of_alias(self, alias):
        """Return ``(company, mode)`` when ``alias`` is a capture alias, else ``(empty, None)``.

        ``mode`` is "capture" for the users' capture address and "inbound" for the address that
        turns every incoming email into a lead.
        """
        if not alias:
            return self.browse(), None
        company_id, mode = self._lead_capture_alias_table()[0].get(alias.id, (None, None))
        return self.sudo().browse(company_id or ()), mode

    @api.model
    def _lead_capture_is_capture_address(self, variants):
        """False when none of the addresses ``variants`` (normalised spellings) is the full name
        of a capture alias of an active company: mail for none of them is not ours (no query)."""
        return not self._lead_capture_alias_table()[1].isdisjoint(variants)

    @api.model
    @ormcache()
    def _lead_capture_alias_table(self):
        """The capture aliases of the active companies, read once per registry (every mail the
        gateway routes asks): ``({alias id: (company id, mode)}, frozenset(full names))``.

        ``mode`` is "capture", "inbound", or None for an incoming-mail address switched off. The
        full names are those of the aliases with a mode. Cleared when a company's capture fields
        change (``write``, ``create``, ``unlink``) and when an alias's full name may change
        (``mail.alias`` and ``mail.alias.domain`` writes). Immutable: callers must not change it.
        """
        by_alias, names = {}, set()
        companies = (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [
                    "|",
                    ("lead_capture_alias_id", "!=", False),
                    ("lead_capture_inbound_alias_id", "!=", False),
                ]
            )
        )
        for company in companies:
            inbound = "inbound" if company.lead_capture_inbound else None
            for alias, mode in (
                (company.lead_capture_alias_id, "capture"),
                (company.lead_capture_inbound_alias_id, inbound),
            ):
                if alias and alias.id not in by_alias:
                    by_alias[alias.id] = (company.id, mode)
                    if mode and alias.alias_full_name:
                        names.add(alias.alias_full_name)
        return frozendict(by_alias), frozenset(names)

    def _lead_capture_users(self):
        """The active internal users of this company: their mail is the company's own."""
        self.ensure_one()
        return (
            self.env["res.users"]
            .sudo()
            .search([("share", "=", False), ("company_ids", "in", self.ids)])
        )

    def _lead_capture_address_owners(self):
        """Return ``{normalised address: users}`` for every internal user of the company.

        Usually one user per address; an address two users claim (say, one's email and the
        other's confirmed alternate address) maps to both, and counts for neither.
        """
        result = {}
        for user in self._lead_capture_users():
            for address in user._lead_capture_addresses():
                result[address] = result.get(address, user.browse()) | user
        return result

    def _lead_capture_user_by_address(self):
        """Return ``{normalised address: user}`` for the addresses exactly one user claims."""
        return {
            address: users
            for address, users in self._lead_capture_address_owners().items()
            if len(users) == 1
        }

    def _lead_capture_disputed_owners(self, address):
        """The users who all claim ``address`` (empty unless two or more do)."""
        users = self._lead_capture_address_owners().get(address, self.env["res.users"])
        return users if len(users) > 1 else users.browse()

    def _lead_capture_trusted_owner(self, sender):
        """The user a trusted sender's mail is filed as (``tools.trusted``), or an empty recordset.

        One query, made only for mail from someone who is not a user.
        """
        self.ensure_one()
        Trusted = self.env["mail.capture.trusted.sender"].sudo()
        query = Trusted._search([("company_id", "=", self.id)])
        rows = self.env.execute_query(
            query.select(
                *(Trusted._field_to_sql(Trusted._table, f) for f in ("kind", "entry", "user_id"))
            )
        )
        by_kind = {"address": {}, "domain": {}}
        for kind, entry, user_id in rows:
            if kind in by_kind:
                by_kind[kind][entry] = user_id
        user_id = trusted.credited(sender, by_kind["address"], by_kind["domain"])
        user = self.env["res.users"].sudo().browse(user_id or ())
        return user.filtered(lambda u: u.active and not u.share and self in u.company_ids)

    def _lead_capture_filter_rules(self, user=None, owners=None):
        """Return the :class:`~..tools.filters.FilterRules` of this company, for ``user``'s mail.

        They hold the company domains, every address of every active internal user of the company,
        the company's blocks and, when ``user`` is given, that user's personal blocks in this
        company. Build them once per batch of mails: the blocks are read in one query, without
        loading records, so that 10,000 entries stay cheap. ``owners``: what
        :meth:`_lead_capture_user_by_address` returned, when the caller read it already.
        """
        self.ensure_one()
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
            user_addresses=frozenset(
                self._lead_capture_user_by_address() if owners is None else owners
            ),
            blocked_addresses=frozenset(entry for kind, entry in rows if kind == "address"),
            blocked_domains=frozenset(entry for kind, entry in rows if kind == "domain"),
        )

    def _lead_capture_lead_domain(self):
        """The leads email capture may file this company's mail on."""
        self.ensure_one()
        return [("company_id", "in", [self.id, False])]

    def _lead_capture_fallback_owner(self):
        """Who reviews mail that has no owner (the incoming-mail address): an administrator."""
        self.ensure_one()
        admins = (
            self.env.ref("base.group_system")
            .sudo()
            .user_ids.filtered(
                lambda user: self in user.company_ids and not user.share and user.active
            )
        )
        return admins[:1] or self.env.ref("base.user_admin")
