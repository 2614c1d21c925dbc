from odoo import api
from odoo import models

from ..tools import authenticity
from ..tools import automated
from ..tools import filters


class MailCaptureTrace(models.AbstractModel):
    """The sentences of the decision trace, translated: the one place that words a decision.

    The ORM-free core decides with codes (a screening rule, a robot kind, a refusal rule, a
    matching decision); the engine and the gateway log them with the sentence this model makes of
    them, so a rule code reads the same in the Capture Log, on the lead's message, in Unmatched
    Mail and in the explanation sent to a forwarder.
    """

    _name = "mail.capture.trace"
    _description = "Email Capture Decision Sentences"

    # ------------------------------------------------------------
    # FILTERS (tools.filters, tools.automated)
    # ------------------------------------------------------------

    @api.model
    def _screening(self, screening):
        """Say in one sentence what the filters decided for a mail (for the capture log).

        ``screening`` is a :class:`~..tools.filters.Screening`. A screened mail gets the rule that
        screened it and the addresses concerned; a captured one, the addresses that count and those
        left out.
        """
        excluded = ", ".join(self._exclusion(item) for item in screening.excluded)
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
                return self._automated(screening.automated)
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
    def _automated(self, kind):
        """The sentence for robot mail of ``kind`` (a ``tools.automated`` code)."""
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
    def _exclusion(self, exclusion):
        """``address (reason)`` for one :class:`~..tools.filters.Exclusion`."""
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

    # ------------------------------------------------------------
    # REFUSALS (the ``rule`` codes of the log and of unmatched mail)
    # ------------------------------------------------------------

    @api.model
    def _refusal(self, rule, **values):
        """Why a mail was not filed, for a refusal ``rule`` code, with its ``values``.

        A clause that ``_refused`` completes ("Kept for review ...: <clause>.").
        """
        match rule:
            case "name_only":
                return self.env._(
                    "the forward names its sender %(name)s without an address, and no single "
                    "contact has that name",
                    name=values["name"] or "?",
                )
            case "unreadable":
                return self.env._(
                    "its content is encrypted or broken, so it cannot be read; forward it decrypted"
                )
            case "attachment_too_large":
                return self.env._(
                    "%(names)s is larger than the %(limit)s MB an attachment may be",
                    names=values["names"],
                    limit=values["limit"],
                )
            case "ambiguous":
                return self.env._(
                    "several leads have these contacts (%(leads)s) and the company asks to choose",
                    leads=values["leads"],
                )
            case "no_match":
                return self.env._(
                    "no lead has these contacts: %(addresses)s", addresses=values["addresses"]
                )
            case "bulk_no_match":
                return self.env._(
                    "it was sent in bulk to people on no lead (%(addresses)s), and the company "
                    "does not create leads for them",
                    addresses=values["addresses"],
                )
            case "error":
                return self.env._("processing failed (%(error)s)", error=values["error"])
            case "unreadable_mail":
                return self.env._(
                    "Odoo could not read this mail (%(error)s), so it was kept exactly as "
                    "received: open its original to see it, or ask the sender to send it again",
                    error=values["error"],
                )
            case "oversized_header":
                return self.env._(
                    "its %(what)s take %(size)s KB, more than the %(limit)s KB allowed, so it was "
                    "kept exactly as received without being read: open its original to see it",
                    what=self.env._("header %(name)s", name=values["field"])
                    if values["field"]
                    else self.env._("headers"),
                    size=values["size"],
                    limit=values["limit"],
                )
        raise ValueError(f"no sentence for refusal rule {rule!r}")

    @api.model
    def _refused(self, reason, queued_for=None):
        """The trace of a refused mail: kept in ``queued_for``'s (a user) unmatched mail, or not."""
        if queued_for:
            return self.env._(
                "Kept for review in %(user)s's unmatched mail: %(reason)s.",
                user=queued_for.name,
                reason=reason,
            )
        return self.env._("Not filed: %(reason)s.", reason=reason)

    @api.model
    def _not_a_user(self, sender, company):
        return self.env._(
            "Refused: %(sender)s is not a user of %(company)s, and only users may send mail to the "
            "capture address.",
            sender=sender,
            company=company.name,
        )

    @api.model
    def _disputed(self, sender, users):
        return self.env._(
            "Refused: %(sender)s is claimed by several users (%(users)s), so it counts for none "
            "of them. An administrator should leave it to one of them (Settings > Users, Email "
            "Capture tab, or the user's email).",
            sender=sender,
            users=", ".join(users.mapped("name")),
        )

    @api.model
    def _forged(self, sender, verdict):
        """The trace of mail whose sender the trusted servers disproved (a ``tools.authenticity``
        verdict)."""
        server = verdict.authserv_id or "-"
        match verdict.reason:
            case authenticity.DMARC_FAIL:
                why = self.env._(
                    "%(server)s found that it fails its domain's DMARC check", server=server
                )
            case authenticity.SPF_FAIL:
                why = self.env._(
                    "%(server)s found that it was sent from a server its domain does not allow "
                    "(SPF), without its domain's DKIM signature",
                    server=server,
                )
            case authenticity.NO_TRUSTED_RESULTS:
                why = self.env._(
                    "it carries no authentication results from the company's mail servers, and "
                    "the company requires authenticated senders"
                )
            case _:
                why = self.env._(
                    "%(server)s found no SPF, DKIM or DMARC pass for its domain, and the company "
                    "requires authenticated senders",
                    server=server,
                )
        return self.env._(
            "Refused: the mail claims to come from %(sender)s, but %(why)s. Nothing was stored "
            "and nobody was answered.",
            sender=sender,
            why=why,
        )

    @api.model
    def _repeat(self, mail, where, existing, sender, same):
        """The trace of a mail Odoo dropped because ``existing`` (a ``mail.message`` on
        ``where``) has its Message-Id: the same mail received again (``same``), or another one."""
        if same:
            return self.env._(
                "Already in Odoo: this mail (Message-Id %(message_id)s) was received before and is "
                "on %(where)s; it is not stored twice.",
                message_id=mail.message_id,
                where=where,
            )
        return self.env._(
            "Not filed: a different mail with the same Message-Id %(message_id)s is already in "
            "Odoo (on %(where)s, subject “%(subject)s”), and Odoo keeps one mail per "
            "Message-Id. This one (subject “%(new_subject)s”) was dropped: if it matters, ask "
            "%(sender)s to send it again.",
            message_id=mail.message_id,
            where=where,
            subject=existing.subject or "-",
            new_subject=mail.subject or "-",
            sender=sender or "-",
        )

    # ------------------------------------------------------------
    # FILED (tools.matching decisions)
    # ------------------------------------------------------------

    @api.model
    def _filed(self, decision, lead, people, created):
        """Why the mail went on ``lead``: a new lead, a reply, a person's choice, or a contact."""
        if created:
            return self.env._(
                "New lead %(lead)s: no lead had these contacts (%(addresses)s).",
                lead=lead.display_name,
                addresses=", ".join(people) or "-",
            )
        if decision.kind == "thread":
            return self.env._(
                "Filed on lead %(lead)s: it replies to a mail already filed there.",
                lead=lead.display_name,
            )
        if decision.kind == "chosen":
            return self.env._(
                "Filed on lead %(lead)s by %(user)s.",
                lead=lead.display_name,
                user=self.env.user.name,
            )
        sentence = self.env._(
            "Filed on lead %(lead)s: %(address)s is one of its contacts.",
            lead=lead.display_name,
            address=decision.address,
        )
        if decision.also:
            sentence += " " + self.env._(
                "Also filed on every other matching open lead: %(leads)s.",
                leads=", ".join(self.env["crm.lead"].browse(decision.also).mapped("display_name")),
            )
        elif decision.others:
            others = self.env["crm.lead"].browse(decision.others)
            sentence += " " + self.env._(
                "Also matching, less recently active: %(leads)s.",
                leads=", ".join(others.mapped("display_name")),
            )
        return sentence

    @api.model
    def _filed_too(self, lead, first):
        return self.env._(
            "Filed on lead %(lead)s too: it is one of the leads with these contacts, and the "
            "company files such mail on every matching open lead (first on %(first)s).",
            lead=lead.display_name,
            first=first.display_name,
        )

    @api.model
    def _duplicate(self, lead):
        return self.env._(
            "Already on lead %(lead)s: the same mail is not stored twice.",
            lead=lead.display_name,
        )

    @api.model
    def _on_contact(self, contact):
        return self.env._(
            "Filed on contact %(contact)s: %(address)s is a known contact with no open lead, and "
            "the company files such mail on the contact.",
            contact=contact.display_name,
            address=contact.email_normalized,
        )

    @api.model
    def _bulk(self, record, sender, address, how):
        """Where a user's bulk send went for one recipient ``address``: ``how`` is "lead" (the
        recipient's lead), "created" (a new lead) or "contact" (a known contact without lead)."""
        if how == "created":
            return self.env._(
                "New lead %(lead)s: %(user)s sent this mail in bulk (a newsletter or mail merge) "
                "to %(address)s, who was on no lead.",
                lead=record.display_name,
                user=sender,
                address=address,
            )
        if how == "contact":
            return self.env._(
                "Filed on contact %(contact)s: %(user)s sent this mail in bulk (a newsletter or "
                "mail merge), and %(address)s, one of its recipients, is a known contact with no "
                "open lead.",
                contact=record.display_name,
                user=sender,
                address=address,
            )
        return self.env._(
            "Filed on lead %(lead)s: %(user)s sent this mail in bulk (a newsletter or mail "
            "merge), and each recipient's lead gets it; %(address)s is one of this lead's "
            "contacts.",
            lead=record.display_name,
            user=sender,
            address=address,
        )

    @api.model
    def _trusted(self, sender, user):
        return self.env._(
            "Sent by %(sender)s, a trusted sender of the company without an account: filed as "
            "%(user)s's mail.",
            sender=sender,
            user=user.name,
        )

    @api.model
    def _lost(self, lost, restored):
        if restored:
            return self.env._(
                "The lead was lost; the company restores lost leads when their contacts write again."
            )
        return self.env._(
            "These contacts were on lost lead %(lead)s: this new lead continues it.",
            lead=lost.display_name,
        )

    @api.model
    def _hidden_copy(self):
        return self.env._(
            "Another user's mailbox synced the same mail privately onto this lead; this copy is "
            "filed separately."
        )

    @api.model
    def _no_access(self):
        return self.env._(
            "Filed on a lead you do not have access to: its salesperson sees it there."
        )
