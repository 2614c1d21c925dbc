from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..tools import filters


class MailCaptureBlock(models.Model):
    """An address or a domain whose mail never becomes a contact or a lead.

    A block without ``user_id`` applies to the whole company (sales managers manage those); with
    ``user_id`` it is that salesperson's personal block and applies to the mail captured for them.
    A domain also blocks its subdomains. The decisions are made by ``tools.filters``; this model only
    stores normalised entries.
    """

    _name = "mail.capture.block"
    _description = "Blocked Address or Domain"
    _rec_name = "entry"
    _order = "entry, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    entry = fields.Char(
        string="Address or Domain",
        required=True,
        help="One email address (someone@example.com) or one domain (example.com, which also covers "
        "its subdomains such as mail.example.com). Mail from or to it is never captured, unless "
        "another outside participant takes part in it, and it never becomes a contact.",
    )
    kind = fields.Selection(
        [("address", "Address"), ("domain", "Domain")],
        compute="_compute_kind",
        store=True,
        help="Whether the entry is one email address or a whole domain.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Personal Block Of",
        index="btree_not_null",
        ondelete="cascade",
        domain=[("share", "=", False)],
        default=lambda self: self._default_user_id(),
        help="Leave empty to block the entry for the whole company (sales managers only). With a "
        "user, the block is that user's own and applies to the mail captured for them.",
    )
    note = fields.Char(help="Why the entry is blocked, for your colleagues.")

    # ------------------------------------------------------------
    # SQL OBJECTS
    # ------------------------------------------------------------

    _entry_unique = models.UniqueIndex(
        "(company_id, entry, COALESCE(user_id, 0))",
        "This address or domain is already blocked for this company (or for this user). Edit the "
        "existing entry instead of adding it again.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("entry")
    def _compute_kind(self):
        for block in self:
            try:
                block.kind = filters.read_entry(block.entry)[0]
            except ValueError:
                block.kind = False

    @api.constrains("company_id", "user_id")
    def _check_company(self):
        for block in self:
            if block.user_id and block.company_id not in block.user_id.sudo().company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work for %(company)s: a personal block belongs to one "
                        "of its owner's companies. Choose one of them.",
                        user=block.user_id.sudo().display_name,
                        company=block.company_id.sudo().display_name,
                    )
                )

    def _default_user_id(self):
        # A salesperson may only create personal blocks: propose their own.
        if self.env.user.has_group("sales_team.group_sale_manager"):
            return False
        return self.env.user

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._clean_vals(vals) for vals in vals_list]
        candidates = []
        for vals in vals_list:
            full = self._add_missing_default_values(vals)
            candidates.append((full.get("company_id"), full.get("user_id"), full.get("entry")))
        self._check_allowed(candidates, "create")
        self._check_duplicates(candidates)
        return super().create(vals_list)

    def write(self, vals):
        vals = self._clean_vals(vals)
        if {"entry", "company_id", "user_id"} & vals.keys():
            candidates = [
                (
                    vals.get("company_id", block.company_id.id),
                    vals.get("user_id", block.user_id.id),
                    vals.get("entry", block.entry),
                )
                for block in self
            ]
            self.check_access("write")
            self._check_allowed(candidates, "write")
            self._check_duplicates(candidates, exclude_ids=self.ids)
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _clean_vals(self, vals):
        """Return ``vals`` with its entry normalised, or raise what the user must type instead."""
        if "entry" not in vals:
            return vals
        try:
            _kind, entry = filters.read_entry(vals["entry"])
        except ValueError:
            raise ValidationError(
                self.env._(
                    "“%(entry)s” is neither an email address nor a domain. Enter one email address "
                    "(someone@example.com) or one domain (example.com, which also blocks its "
                    "subdomains) per entry.",
                    entry=vals["entry"] or "",
                )
            ) from None
        return dict(vals, entry=entry)

    def _check_allowed(self, candidates, operation):
        """Refuse blocks the caller may not create or write, before anything is said about others.

        ``candidates`` are ``(company id, user id or False, entry)`` as they will be stored. The
        record rules are checked against those values (Odoo checks a write's rules on the records
        as they were), so the duplicate check that follows never tells a salesperson what a
        colleague blocked, and nobody moves a block to a company they do not work for.
        """
        if self.env.su:
            return
        self.browse().check_access(operation)
        domain = self.env["ir.rule"]._compute_domain(self._name, operation)
        for company_id, user_id, entry in candidates:
            block = self.new({"company_id": company_id, "user_id": user_id, "entry": entry})
            if not block.filtered_domain(domain):
                raise AccessError(
                    self.env._(
                        "You may block %(entry)s only for yourself, in a company you work for "
                        "(sales managers: also for the whole company).",
                        entry=entry or "",
                    )
                )

    def _check_duplicates(self, candidates, exclude_ids=()):
        """Refuse entries blocked twice for the same company and the same user (one query).

        ``candidates`` are ``(company id, user id or False, normalised entry)`` tuples, as they will
        be stored; ``exclude_ids`` are records being rewritten, which do not count as duplicates.
        """

        def key(company, user, entry):
            return (company or False, user or False, entry)

        keys = [key(*candidate) for candidate in candidates if candidate[2]]
        if not keys:
            return
        duplicate = None
        seen = set()
        for candidate in keys:
            if candidate in seen:
                duplicate = candidate
                break
            seen.add(candidate)
        if duplicate is None:
            domain = Domain("entry", "in", list({k[2] for k in keys})) & Domain(
                "company_id", "in", list({k[0] for k in keys if k[0]})
            )
            if exclude_ids:
                domain &= Domain("id", "not in", list(exclude_ids))
            existing = self.sudo().search_fetch(domain, ["entry", "company_id", "user_id"])
            stored = {key(b.company_id.id, b.user_id.id, b.entry) for b in existing}
            duplicate = next((k for k in keys if k in stored), None)
        if duplicate is None:
            return
        company_id, user_id, entry = duplicate
        company = self.env["res.company"].browse(company_id).sudo()
        if user_id:
            message = self.env._(
                "%(entry)s is already in %(user)s's personal blocks for %(company)s. Edit the "
                "existing entry instead of adding it again.",
                entry=entry,
                user=self.env["res.users"].browse(user_id).sudo().display_name,
                company=company.display_name,
            )
        else:
            message = self.env._(
                "%(entry)s is already blocked for %(company)s. Edit the existing entry instead of "
                "adding it again.",
                entry=entry,
                company=company.display_name,
            )
        raise ValidationError(message)
