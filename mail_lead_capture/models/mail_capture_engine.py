import dataclasses
import logging
from datetime import timedelta
from email.message import EmailMessage

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import html_escape
from odoo.tools.mail import formataddr
from odoo.tools.mail import html_sanitize
from odoo.tools.mail import plaintext2html

from ..tools import addresses
from ..tools import authenticity
from ..tools import automated
from ..tools import capture
from ..tools import filing as filings
from ..tools import filters
from ..tools import forwards
from ..tools import matching
from ..tools import plain_text
from ..tools import raw_mail
from ..tools.direction import INCOMING
from ..tools.direction import counterparts
from ..tools.direction import mail_direction

_logger = logging.getLogger(__name__)

# An inline forward loses the original's Message-Id and usually its time zone: the same mail is
# recognised by its fingerprint within this many hours of the date the forward shows.
FINGERPRINT_WINDOW_HOURS = 14
# Attachments larger than this (in MB, setting mail_lead_capture.max_attachment_mb) are refused.
DEFAULT_MAX_ATTACHMENT_MB = 25
# Senders who may not use the capture address get at most one explanation in this period; and
# at most this many go to one sender domain, and from one company, in the same period (forged
# senders are free to vary: the explanations and the administrators' notices stay few).
REFUSAL_REPLY_PERIOD = timedelta(hours=24)
REFUSAL_REPLIES_PER_DOMAIN = 3
REFUSAL_REPLIES_PER_COMPANY = 20


class MailCaptureEngine(models.AbstractModel):
    """Files captured mail on leads: the one place that matches, creates, de-duplicates and posts.

    The gateway (capture address), the unmatched-mail queue and mailbox sync all call
    :meth:`_file_mail` with the mail, its content and a ``tools.filing.Filing`` of their
    own, so a mail is filed the same way whichever path brought it. The decisions themselves are
    made by the ORM-free core in ``tools/``; this model reads the records the core needs and
    writes what it decided.
    """

    _name = "mail.capture.engine"
    _description = "Email Capture Engine"

    # ------------------------------------------------------------
    # GATEWAY ENTRY POINT
    # ------------------------------------------------------------

    @api.model
    def _capture_gateway_mail(self, message, message_dict, company, mode):
        """File a mail received on ``company``'s capture alias (``mode`` "capture" or "inbound").

        Returns the id of the lead the mail went on, or False when it was refused or queued.
        """
        raw = self.env.context.get("lead_capture_raw")
        sender_name, sender = self._sender_address(message_dict)
        owners = company._lead_capture_user_by_address()
        owner = owners.get(sender, self.env["res.users"])
        verdict = authenticity.verdict(
            [str(value) for value in message.get_all("Authentication-Results") or ()],
            sender,
            authenticity.parse_trusted_ids(company.lead_capture_authserv_ids),
            strict=company.lead_capture_auth_strict,
        )
        if verdict.forged and (owner or mode == "capture"):
            # Never filed in a user's name, and never answered: the From: address is not the
            # sender's, so an explanation would go to the person being impersonated.
            self._refuse_forged(message, message_dict, company, mode, sender, verdict)
            return False
        rules = trusted_sender = None
        if mode == "capture" and not owner:
            disputed = company._lead_capture_disputed_owners(sender)
            if disputed:
                self._refuse_disputed(message, company, sender, disputed)
                return False
            # A trusted sender (no account) files as the user the company credits: their address
            # is that user's side of the mail. The forged check above applied to them too.
            owner = company._lead_capture_trusted_owner(sender)
            if owner:
                trusted_sender = sender
                rules = company._lead_capture_filter_rules(owner, owners=owners)
                rules = dataclasses.replace(rules, user_addresses=rules.user_addresses | {sender})
            if not owner and not self._thread_lead(capture.captured_mail(message, None), company):
                self._refuse_sender(message, message_dict, company, sender, sender_name)
                return False
        filing = filings.Filing(
            company.id,
            owner.id or 0,  # 0: the incoming-mail address, mail of no user
            mode,
            forwarder=(sender_name, sender) if owner else None,
            rules=rules,
            trusted_sender=trusted_sender,
        )
        mail = None  # read once, by _prepare_filing (address headers are costly to parse)
        try:
            with self.env.cr.savepoint():
                mail, content = self._prepare_filing(
                    message, message_dict, with_forward=mode == "capture", raw=raw
                )
                if filing.rules is None:  # from the users read above: _file_mail would reread them
                    filing = dataclasses.replace(
                        filing,
                        rules=company._lead_capture_filter_rules(owner or None, owners=owners),
                    )
                return self._file_mail(mail, content, filing)
        except Exception as error:  # a mail that breaks the engine must not be lost
            mail = mail or capture.captured_mail(message, None)
            _logger.exception("Email capture failed on mail %s; kept for review", mail.message_id)
            return self._keep_failed(mail, raw, filing, error)

    @api.model
    def _keep_failed(self, mail, raw, filing, error):
        """Queue a mail whose processing failed, with the error, for the owner ``filing`` names
        or an administrator."""
        if not filing.owner_id:
            company = self.env["res.company"].browse(filing.company_id)
            filing = dataclasses.replace(filing, owner_id=company._lead_capture_fallback_owner().id)
        reason = self.env["mail.capture.trace"]._refusal(
            "error", error=str(error) or type(error).__name__
        )
        filing = dataclasses.replace(filing, forwarder=None, on_refusal=filings.QUEUE)
        content = filings.Content(raw=raw)
        return self._refuse(mail, content, filing, reason, "error", tell=False)

    @api.model
    def _raw_target(self, message):
        """``(company, mode)`` of the capture alias a lightly read mail is for, or None."""
        recipients = ", ".join(message.get_all("to", []) + message.get_all("cc", []))
        routes = self.env["mail.thread"]._lead_capture_envelope_routes(
            message, {"recipients": recipients}
        )
        if not routes:
            # an incoming mail server that captures every mail: its company's, whatever the envelope
            server = self.env["fetchmail.server"]._lead_capture_processing()
            return (server.lead_capture_company_id, "archive") if server else None
        return self.env["res.company"]._lead_capture_company_of_alias(routes[0][4])

    @api.model
    def _keep_raw(self, raw, reason, rule):
        """Keep a raw mail that was not read (Odoo's parser failed, or its headers are too large)
        for review, with ``reason``: in its sender's unmatched mail when the sender is a user, else
        an administrator's. Returns False, or None when the mail is not for a capture alias.
        """
        message = raw_mail.light_message(raw)
        target = self._raw_target(message)
        if not target:
            return None
        company, mode = target
        mail = capture.captured_mail(message, None, text="")
        sender = mail.author.address if mail.author else None
        owner = company._lead_capture_user_by_address().get(sender)
        owner = owner or company._lead_capture_fallback_owner()
        filing = filings.Filing(company.id, owner.id, mode)
        content = filings.Content(raw=raw)
        return self._refuse(mail, content, filing, reason, rule, tell=False)

    @api.model
    def _lead_capture_log_repeat(self, raw, existing):
        """Log a mail for a capture alias that Odoo dropped because ``existing`` (a
        ``mail.message``) already has its Message-Id; say whether its content differs."""
        message = raw_mail.light_message(raw)
        target = self._raw_target(message)
        if not target:
            return
        company, mode = target
        mail = capture.captured_mail(message, None, text="")
        sender = mail.author.address if mail.author else None
        owner = company._lead_capture_user_by_address().get(sender, self.env["res.users"])
        pairs = addresses.split_addresses(existing.email_from or "")
        known_sender = pairs[0][1] if pairs else existing.author_id.email_normalized
        same = sender == known_sender and " ".join((existing.subject or "").split()) == mail.subject
        where = (
            self.env[existing.model].browse(existing.res_id).exists().display_name
            if existing.model and existing.res_id
            else ""
        ) or self.env._("another document")
        trace = self.env["mail.capture.trace"]._repeat(mail, where, existing, sender, same)
        rule = "repeat" if same else "repeat_different"
        if not same:
            _logger.warning(
                "Mail %s for a capture address dropped by Odoo: its Message-Id is already used by "
                "a different mail (message %s)",
                mail.message_id,
                existing.id,
            )
        lead = (
            existing.model == "crm.lead" and self.env["crm.lead"].browse(existing.res_id).exists()
        )
        self._log_decision(
            mail, company, owner, mode, "duplicate", trace, lead=lead or None, rule=rule
        )

    @api.model
    def _file_message(self, message, filing, raw=None):
        """Read ``message`` (an ``email.message``) as the gateway would and file it by ``filing``.

        The unmatched-mail queue files its kept raw mail so (with ``on_refusal`` "raise", the
        filters' refusal is raised to the person filing it).
        """
        message_dict = self.env["mail.thread"].message_parse(message)
        mail, content = self._prepare_filing(message, message_dict, raw=raw)
        return self._file_mail(mail, content, filing)

    @api.model
    def _prepare_filing(self, message, message_dict, with_forward=True, raw=None):
        """Return ``(CapturedMail, tools.filing.Content)`` for a parsed gateway mail."""
        forward = forwards.recover_forward(message) if with_forward else None
        mail = capture.captured_mail(message, forward, text=self._plain_text(message_dict))
        if forward is not None:
            body, attachments = self._forward_content(forward, message_dict)
        else:
            body, attachments = (
                self._plain_parts(message, message_dict.get("body") or ""),
                message_dict.get("attachments") or [],
            )
        content = filings.Content(
            body,
            tuple(attachments),
            automated=self._automated(message, forward),
            message=message,
            raw=raw,
        )
        return mail, content

    @api.model
    def _plain_parts(self, message, body):
        """``body`` with the ``<pre>`` blocks Odoo's gateway made of text/plain parts rendered as
        paragraphs (``tools.plain_text``): wrapped lines, links, foldable quotes."""
        if message is None or "<pre>" not in body:
            return body
        rendered = str(body)
        for part in message.walk():
            disposition = (part.get("Content-Disposition") or "").strip().lower()
            if part.get_content_type() != "text/plain" or disposition.startswith("attachment"):
                continue
            try:
                content = part.get_content()
            except (LookupError, ValueError, AssertionError, UnicodeError):
                continue  # Odoo could not read it either: its <pre> stays as it is
            pre = f"<pre>{html_escape(content)}</pre>"
            if pre in rendered:
                rendered = rendered.replace(pre, plain_text.text_to_html(content), 1)
        return Markup(rendered)

    @api.model
    def _content_problem(self, message, attachments):
        """Return ``(rule, reason)`` when the mail's content cannot be filed, else None."""
        Trace = self.env["mail.capture.trace"]
        unreadable = capture.unreadable_kind(message) if message is not None else None
        if unreadable:
            return "unreadable", Trace._refusal("unreadable")
        limit_mb = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail_lead_capture.max_attachment_mb", DEFAULT_MAX_ATTACHMENT_MB)
            or DEFAULT_MAX_ATTACHMENT_MB
        )
        too_big = [
            name
            for name, data in filings.attachment_files(attachments)
            if len(data) > limit_mb * 1024 * 1024
        ]
        if too_big:
            return "attachment_too_large", Trace._refusal(
                "attachment_too_large", names=", ".join(too_big), limit=limit_mb
            )
        return None

    # ------------------------------------------------------------
    # FILING
    # ------------------------------------------------------------

    @api.model
    def _file_mail(self, mail, content, filing):
        """File ``mail`` (a ``tools.capture.CapturedMail``) with its ``content`` (a
        ``tools.filing.Content``) as ``filing`` (a ``tools.filing.Filing``) says.

        Returns the lead's id, or False when the mail was refused (kept for review, or only
        logged). With ``filing.on_refusal`` "raise" a refusal raises a UserError saying why.
        """
        company = self.env["res.company"].browse(filing.company_id)
        owner = self.env["res.users"].browse(filing.owner_id or ())
        Trace = self.env["mail.capture.trace"]

        def refuse(reason, rule, tell=True, queue=True):
            # ``mail`` of the moment: with its sender resolved, if so
            return self._refuse(mail, content, filing, reason, rule, tell=tell, queue=queue)

        if mail.author and not mail.author.address:
            address = self._address_of_name(mail.author.name, company)
            if not address:
                reason = Trace._refusal("name_only", name=mail.author.name)
                return refuse(reason, "name_only", tell=False)
            mail = dataclasses.replace(mail, author=forwards.Mailbox(mail.author.name, address))
        rules = filing.rules or company._lead_capture_filter_rules(owner or None)
        own_bulk, robot = self._own_bulk(mail, content, rules)
        screening = filters.screen(mail.participants, rules, automated=robot)
        direction = (
            INCOMING
            if filing.source == "inbound"
            else mail_direction(mail.author.address if mail.author else None, rules.user_addresses)
        )
        if screening.screened:
            return refuse(
                Trace._screening(screening),
                screening.screened,
                queue=filing.keep_screened,
            )
        problem = self._content_problem(content.message, content.attachments)
        if problem:
            return refuse(problem[1], problem[0])
        people = counterparts(
            direction,
            mail.author.address if mail.author else None,
            mail.recipients,
            set(screening.kept),
        )
        if own_bulk and not (filing.lead_id or filing.force_create or filing.source == "inbound"):
            return self._file_bulk(mail, content, filing, direction, people, screening.kept)
        decision, lost = self._decision(mail, screening.kept, company, filing)
        if decision.kind == "ambiguous":
            leads = self.env["crm.lead"].browse(decision.others)
            # These names stay, for the owner to choose among the leads (Unmatched Mail's link).
            reason = Trace._refusal("ambiguous", leads=", ".join(leads.mapped("display_name")))
            return refuse(reason, "ambiguous", tell=False)
        # A known contact (a lead's customer, a CRM contact) with no open or won lead.
        filed, filing = self._known_contact_filing(
            decision if not (filing.force_create or lost) else None,
            people,
            mail,
            content,
            filing,
            direction,
            screening.kept,
        )
        if filed is not None:
            return filed
        # A lost lead's contact writing again is a returning customer, whichever way the mail
        # came: "skip" (a mailbox that files on known leads only) does not apply.
        if decision.kind == "none" and filing.no_match == filings.SKIP and not lost:
            reason = Trace._refusal("no_match", addresses=", ".join(people))
            return refuse(reason, "no_match", tell=False, queue=False)
        if (
            decision.kind == "none"
            and not filing.force_create
            and filing.no_match != filings.CREATE
            and company.lead_capture_no_match == "review"
            and owner
        ):
            reason = Trace._refusal("no_match", addresses=", ".join(people))
            return refuse(reason, "no_match", tell=False)
        partners = self._mail_partners(mail, screening.kept, owner, company)
        created = decision.kind == "none"
        if created:
            lead = self._create_lead(mail, direction, people, partners, owner, company)
        else:
            lead = self.env["crm.lead"].browse(decision.lead_id)
        # A lead made just now holds no mail yet: its duplicate look-ups are skipped.
        duplicate, hidden = (False, False) if created else self._copies_on(lead, mail, owner)
        if duplicate:
            trace = Trace._duplicate(lead)
            self._log_decision(
                mail, company, owner, filing.source, "duplicate", trace, lead, duplicate
            )
            return lead.id
        # A lead made just now has every one of ``partners`` as customer or contact already.
        if not created:
            # Sets, not recordsets or tuples: ``in`` on those is linear, so thousands of
            # recipients would cost a quadratic time.
            kept_set = set(screening.kept)
            on_lead = self._on_lead(lead, partners)
            new_contacts = partners.filtered(
                lambda partner: partner.email_normalized in kept_set and partner.id not in on_lead
            )
            if new_contacts:
                self._link_contacts(lead, new_contacts)
        trace = Trace._filed(decision, lead, people, created)
        trace += self._lost_note(lead, lost, created)
        trace += self._trusted_note(filing)
        # The mail may be on the lead as another user's private synced mail, which its owner
        # cannot see: it is filed again rather than dropped as a duplicate, and the trace says so.
        trace += " " + Trace._hidden_copy() if hidden else ""
        message = self._post_on_lead(
            lead, mail, content, filing, direction, trace, partners, new=created
        )
        # Synced mail is already in its owner's mailbox: no copy in their Odoo inbox.
        if direction == INCOMING and owner and filing.source != "sync":
            self._notify_inbox(lead, message, owner)
        outcome = "created" if created else "captured"
        self._log_decision(mail, company, owner, filing.source, outcome, trace, lead, message)
        self._file_mail_also(decision, mail, content, filing, direction, partners, screening.kept)
        return lead.id

    @api.model
    def _decision(self, mail, kept, company, filing):
        """``(matching.Decision, lost lead or None)``: a person's choice (``filing.lead_id``, or a
        new lead with ``force_create``), else the leads of the ``kept`` addresses and the thread."""
        if filing.lead_id:
            return matching.Decision("chosen", filing.lead_id), None
        if filing.force_create:
            return matching.Decision("none"), None
        # the people's partners, read once for the open and won leads and for the lost ones
        partners = self._partners_of(kept)
        decision = self._decide_lead(mail, kept, company, partners=partners)
        return self._lost_decision(decision, kept, company, partners=partners)

    @api.model
    def _file_mail_also(self, decision, mail, content, filing, direction, partners, kept_addresses):
        """Post the mail on every other open lead the decision names (policy "every").

        Each lead gets its own message (its own de-duplication, contacts and trace); the owner's
        inbox holds the first one only. Nothing to do for other policies (``decision.also`` empty).
        """
        if not decision.also:
            return
        company = self.env["res.company"].browse(filing.company_id)
        owner = self.env["res.users"].browse(filing.owner_id or ())
        for lead in self.env["crm.lead"].browse(decision.also).exists():
            if self._is_duplicate(lead, mail, owner):
                continue
            new_contacts = partners.filtered(
                lambda partner, lead=lead: (
                    partner.email_normalized in kept_addresses
                    and partner not in lead.partner_id | lead.contact_ids
                )
            )
            if new_contacts:
                self._link_contacts(lead, new_contacts)
            first = self.env["crm.lead"].browse(decision.lead_id)
            trace = self.env["mail.capture.trace"]._filed_too(lead, first)
            message = self._post_on_lead(lead, mail, content, filing, direction, trace, partners)
            self._log_decision(
                mail, company, owner, filing.source, "captured", trace, lead, message
            )

    @api.model
    def _lost_decision(self, decision, kept, company, partners=None):
        """When no open or won lead matches, look at lost leads: ``(decision, lost lead)``.

        By the company's setting the most recently lost lead with these contacts is restored and
        gets the mail, or a new lead is made (the lost one is named in its trace, and gives it its
        customer). Only when nothing else matched (``decision.kind`` "none").
        """
        Lead = self.env["crm.lead"]
        if decision.kind != "none":
            return decision, None
        lost = (
            self.with_context(active_test=False)
            ._leads_of(kept, company, partners=partners)
            .filtered(lambda lead: lead.won_status == "lost")
        )
        if not lost:
            return decision, None
        lost = lost.sorted(lambda lead: (lead.date_closed or lead.write_date, lead.id))[-1]
        if company.lead_capture_lost != "restore":
            return decision, lost
        lost.with_context(active_test=False).action_restore()
        address = next((a for a in kept if a in lost._lead_capture_contact_addresses()[lost]), None)
        restored = matching.Decision("contact", lost.id, address or next(iter(kept), None))
        return restored, Lead.browse(lost.id)

    @api.model
    def _lost_note(self, lead, lost, created):
        """Give a new lead its lost predecessor's customer; the words the trace gets for it."""
        if not lost:
            return ""
        if created and lost.partner_id and not lead.partner_id:
            lead.partner_id = lost.partner_id
        return " " + self.env["mail.capture.trace"]._lost(lost, restored=not created)

    @api.model
    def _address_of_name(self, name, company):
        """The address of the one contact called ``name`` (as forwards by Outlook show), if any."""
        if not name:
            return None
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search(
                [
                    ("name", "=ilike", name.strip()),
                    ("email_normalized", "!=", False),
                    ("company_id", "in", [company.id, False]),
                ],
                limit=10,
            )
        )
        emails = set(partners.mapped("email_normalized"))
        return emails.pop() if len(emails) == 1 else None

    @api.model
    def _decide_lead(self, mail, kept, company, partners=None):
        """Gather the candidate leads for ``kept`` addresses and the mail's thread, then decide.

        ``partners``: those of ``kept`` (:meth:`_partners_of`), when the caller read them already.
        """
        thread_leads = self._thread_lead(mail, company, all_leads=True)
        contact_leads = self._leads_of(kept, company, partners=partners)
        addresses_by_lead = self._matched_addresses(contact_leads | thread_leads, kept)
        kept_set = set(kept)
        candidates = []
        for lead in contact_leads | thread_leads:
            matched = addresses_by_lead[lead] & kept_set
            candidates.append(
                matching.Candidate(
                    lead_id=lead.id,
                    last_activity=max(filter(None, (lead.email_last_date, lead.write_date))),
                    is_open=lead.won_status != "won",
                    matched=tuple(a for a in kept if a in matched),
                    in_thread=len(thread_leads) == 1 and lead in thread_leads,
                )
            )
        return matching.choose_lead(candidates, policy=company.lead_capture_multi_match)

    @api.model
    def _partners_of(self, kept):
        """The partners (archived too) whose address is one of ``kept``, however spelt."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        if not kept:
            return Partner
        variants = list(set().union(*(addresses.address_variants(a) for a in kept)))
        return Partner.search([("email_normalized", "in", variants)])

    @api.model
    def _leads_of(self, kept, company, partners=None):
        """The company's leads whose email, customer or email contacts are among ``kept``.

        Three look-ups, each on its own index (lead email, lead customer, contact relation),
        rather than one OR: an OR of them makes PostgreSQL scan every lead, so the cost would grow
        with the CRM instead of with the handful of leads a person is on. ``partners``: those of
        ``kept`` (:meth:`_partners_of`), when the caller read them already.
        """
        Lead = self.env["crm.lead"]
        if not kept:
            return Lead
        variants = list(set().union(*(addresses.address_variants(a) for a in kept)))
        if partners is None:
            partners = self._partners_of(kept)
        scope = company._lead_capture_lead_domain()
        leads = Lead.search([("email_normalized", "in", variants), *scope], order="id")
        if partners:
            leads |= Lead.search([("partner_id", "in", partners.ids), *scope], order="id")
            leads |= Lead.search([("contact_ids", "in", partners.ids), *scope], order="id")
        return leads

    @api.model
    def _thread_lead(self, mail, company, all_leads=False):
        """Return the lead(s) holding mail that ``mail`` replies to.

        With ``all_leads`` every such lead; otherwise the lead only when there is exactly one.
        """
        Lead = self.env["crm.lead"]
        if not mail.references:
            return Lead
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("message_id", "in", list(mail.references)), ("model", "=", "crm.lead")])
        )
        leads = (
            Lead.browse(set(messages.mapped("res_id")))
            .exists()
            .filtered_domain(company._lead_capture_lead_domain())
        )
        return leads if all_leads or len(leads) == 1 else Lead

    @api.model
    def _matched_addresses(self, leads, kept):
        """``{lead: the addresses of kept on it}`` (its email, customer, contacts), for ``leads``.

        One query for the addresses asked, rather than every address of every candidate lead: a
        lead a big mailbox files on gains contacts with its mail, and reading them all for each
        mail made a first import slower than linear.
        """
        result = {lead: set() for lead in leads}
        kept = tuple(set(kept))
        if not leads or not kept:
            return result
        self.env["crm.lead"].flush_model(["email_normalized", "partner_id", "contact_ids"])
        self.env["res.partner"].flush_model(["email_normalized", "active"])
        contacts = self.env["crm.lead"]._fields["contact_ids"]
        rows = self.env.execute_query(
            SQL(
                """SELECT l.id, l.email_normalized FROM crm_lead l
                    WHERE l.id IN %(leads)s AND l.email_normalized IN %(kept)s
                   UNION
                   SELECT l.id, p.email_normalized FROM crm_lead l
                     JOIN res_partner p ON p.id = l.partner_id
                    WHERE l.id IN %(leads)s AND p.email_normalized IN %(kept)s
                   UNION
                   SELECT r.%(lead_column)s, p.email_normalized FROM %(relation)s r
                     JOIN res_partner p ON p.id = r.%(partner_column)s
                    WHERE r.%(lead_column)s IN %(leads)s AND p.active
                      AND p.email_normalized IN %(kept)s""",
                leads=tuple(leads.ids),
                kept=kept,
                relation=SQL.identifier(contacts.relation),
                partner_column=SQL.identifier(contacts.column2),
                lead_column=SQL.identifier(contacts.column1),
            )
        )
        for lead_id, address in rows:
            result[leads.browse(lead_id)].add(address)
        return result

    @api.model
    def _on_lead(self, lead, partners):
        """The ids of ``partners`` that are ``lead``'s customer or contacts (one query on them)."""
        on_lead = set(lead.partner_id.ids)
        if not partners:
            return on_lead
        lead.flush_recordset(["contact_ids"])
        contacts = lead._fields["contact_ids"]
        rows = self.env.execute_query(
            SQL(
                "SELECT %(partner_column)s FROM %(relation)s "
                "WHERE %(lead_column)s = %(lead)s AND %(partner_column)s IN %(partners)s",
                relation=SQL.identifier(contacts.relation),
                partner_column=SQL.identifier(contacts.column2),
                lead_column=SQL.identifier(contacts.column1),
                lead=lead.id,
                partners=tuple(partners.ids),
            )
        )
        return on_lead | {partner_id for (partner_id,) in rows}

    @api.model
    def _link_contacts(self, lead, partners):
        """Add ``partners`` to ``lead``'s contacts. Odoo's many2many write first reads every
        contact of the lead and, by default, checks that each is active, so on a lead a big
        mailbox gives hundreds of contacts each new one cost more than the last; with
        ``active_test=False`` it only reads their ids (archived contacts stay linked, as before).
        """
        lead.with_context(active_test=False).contact_ids = [
            fields.Command.link(partner.id) for partner in partners
        ]

    @api.model
    def _thread_parent(self, lead):
        """The message a mail posted on ``lead`` (a lead or a contact) hangs under, as Odoo's flat
        threads choose it (the latest email or comment, else the latest message; none on a
        thread that is not flat, such as a contact's), in one query that walks one step of
        ``mail.message``'s ``_lead_capture_parent_index`` for a lead: Odoo's own choice loads the
        lead's latest 200 messages for every post. The ORDER BY must stay the index's
        expressions, or PostgreSQL sorts every message of the lead again."""
        if not lead._mail_flat_thread:
            return False
        self.env["mail.message"].flush_model(["model", "res_id", "message_type", "date"])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM mail_message
                    WHERE model = %s AND res_id = %s
                      AND message_type != 'user_notification'
                 ORDER BY message_type IN ('comment', 'email') DESC,
                          COALESCE(date, create_date) DESC, id DESC
                    LIMIT 1""",
                lead._name,
                lead.id,
            )
        )
        return rows[0][0] if rows else False

    def _is_duplicate(self, lead, mail, owner=None):
        """Return the message already holding ``mail`` on ``lead`` (or contact), if any.

        With ``owner`` (a user, possibly empty), only a copy that the owner can see counts: a
        colleague's private synced copy is not one (see :meth:`_file_mail`).
        """
        Message = self.env["mail.message"].sudo()
        base = [("model", "=", lead._name), ("res_id", "=", lead.id)]
        if owner is not None:
            base.append(("lead_capture_private_user_id", "in", [False, *owner.ids]))
        for domain in self._copy_domains(base, mail):
            found = Message.search(domain, limit=1)
            if found:
                return found
        return found

    @api.model
    def _copies_on(self, lead, mail, owner):
        """``(copy, hidden)``: what ``_is_duplicate(lead, mail, owner)`` returns, and whether
        ``mail`` is on ``lead`` only as copies ``owner`` cannot see (another user's private mail),
        in the look-ups of one ``_is_duplicate`` (each reads every copy, visible or not)."""
        Message = self.env["mail.message"].sudo()
        base = [("model", "=", lead._name), ("res_id", "=", lead.id)]
        visible = {False, *owner.ids}
        hidden = False
        for domain in self._copy_domains(base, mail):
            copies = Message.search_fetch(domain, ["lead_capture_private_user_id"])
            seen = copies.filtered(lambda m: m.lead_capture_private_user_id.id in visible)
            if seen:
                return seen[:1], hidden
            hidden = hidden or bool(copies)
        return Message, hidden

    @api.model
    def _copy_domains(self, base, mail):
        """The look-ups of ``mail``'s copies among the messages of ``base``, in order: by
        Message-Id, then by fingerprint near its date."""
        if mail.message_id:
            yield [*base, ("message_id", "=", mail.message_id)]
        domain = [*base, ("lead_capture_fingerprint", "=", mail.fingerprint)]
        if mail.date:
            window = timedelta(hours=FINGERPRINT_WINDOW_HOURS)
            naive = mail.date.replace(tzinfo=None)
            domain += [("date", ">=", naive - window), ("date", "<=", naive + window)]
        yield domain

    @api.model
    def _mail_partners(self, mail, kept, owner, company):
        """Find or create a partner for every kept participant; users' own partners for users.

        One search for all addresses and one batch create for the missing ones: Odoo's
        ``_find_or_create_from_emails`` pairs each address with its partner by a linear scan, so
        its cost grows with the square of the number of addresses (a mail to thousands of people
        would pass the gateway's time limit). Only partners the company may use (shared, or
        its own) are found: another company's partner on its lead fails Odoo's company check.
        """
        names = mail.names
        # No "contact created" note on each new partner: the captured mail says where it came from.
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        spellings = {
            variant: address for address in kept for variant in addresses.address_variants(address)
        }
        by_address = {}
        if spellings:
            for partner in Partner.search(
                [
                    ("email_normalized", "in", list(spellings)),
                    ("company_id", "in", [company.id, False]),
                ],
                order="id",
            ):
                by_address.setdefault(spellings.get(partner.email_normalized), partner)
        missing = [address for address in dict.fromkeys(kept) if address not in by_address]
        if missing:
            created = Partner.with_context(mail_create_nosubscribe=True).create(
                [{"name": names.get(address) or address, "email": address} for address in missing]
            )
            by_address.update(zip(missing, created, strict=True))
        return Partner.browse(
            list(dict.fromkeys(by_address[a].id for a in kept if a in by_address))
        )

    @api.model
    def _create_lead(self, mail, direction, people, partners, owner, company):
        first = partners.filtered(lambda p: people and p.email_normalized == people[0])[:1]
        mailbox = next(
            (
                m
                for m in (mail.author, *mail.to, *mail.cc)
                if m and people and m.address == people[0]
            ),
            None,
        )
        name = capture.lead_name(mailbox) or mail.subject or self.env._("Email")
        values = {
            "name": name,
            "partner_id": first.id,
            "contact_ids": [fields.Command.set((partners - first).ids)],
            "company_id": company.id,
            "user_id": owner.id,
        }
        if not owner:
            values["team_id"] = (
                self.env["crm.team"]
                .sudo()
                ._get_default_team_id(domain=[("company_id", "in", [company.id, False])])
                .id
            )
        Lead = (
            self.env["crm.lead"]
            .with_context(
                mail_create_nosubscribe=True,
                # the captured mail is the lead's first message, as for Odoo's own gateway
                mail_create_nolog=True,
                # the salesperson filed the mail themselves: no "you have been assigned" email
                mail_auto_subscribe_no_notify=True,
                default_user_id=owner.id,
                default_type="lead"
                if (owner or self.env.user).has_group("crm.group_use_lead")
                else "opportunity",
            )
            .with_company(company)
        )
        return Lead.create(values)

    @api.model
    def _post_on_lead(self, lead, mail, content, filing, direction, trace, partners, new=False):
        """Post ``mail`` with its ``content`` on ``lead`` as its original author wrote it
        (``new``: a lead created for it, with no message yet to hang it under)."""
        body, attachments = content.body, content.attachments
        company = self.env["res.company"].browse(filing.company_id)
        author_address = mail.author.address if mail.author else None
        author = partners.filtered(lambda p: p.email_normalized == author_address)[:1]
        if not author and author_address:
            author = self._author_user(company, filing, author_address).partner_id
        email_from = (
            formataddr((mail.author.name or "", author_address)) if author_address else False
        )
        values = {
            "body": body if isinstance(body, Markup) else plaintext2html(body or ""),
            "subject": mail.subject or False,
            "message_type": "email",
            "subtype_xmlid": "mail.mt_comment",
            "author_id": author.id or False,
            "email_from": email_from,
            "attachments": [tuple(attachment[:3]) for attachment in attachments],
            "notify_skip_followers": True,
            "incoming_email_to": ", ".join(
                formataddr((m.name, m.address)) for m in mail.to if m.address
            )
            or False,
            "incoming_email_cc": ", ".join(
                formataddr((m.name, m.address)) for m in mail.cc if m.address
            )
            or False,
            "lead_capture_trace": trace,
            "lead_capture_direction": direction,
            "lead_capture_fingerprint": mail.fingerprint,
        }
        values.update(self._message_values(filing))
        if mail.message_id:
            values["message_id"] = mail.message_id
        if mail.date:
            values["date"] = fields.Datetime.to_string(mail.date.replace(tzinfo=None))
        values["parent_id"] = False if new else self._thread_parent(lead)
        message = (
            lead.with_user(self.env.ref("base.user_root"))
            .with_context(mail_create_nosubscribe=True, mail_post_autofollow_author_skip=True)
            .message_post(**values)
        )
        # "Last Email" is read by whoever reads the lead: a private mail does not move it.
        if (
            lead._name == "crm.lead"
            and not (filing.private and filing.owner_id)
            and (
                not lead.email_last_date
                or (mail.date and mail.date.replace(tzinfo=None) > lead.email_last_date)
            )
        ):
            lead.email_last_date = (
                mail.date.replace(tzinfo=None) if mail.date else fields.Datetime.now()
            )
        return message

    @api.model
    def _author_user(self, company, filing, address):
        """The user who alone claims ``address`` in ``company``, or an empty recordset.

        Reads every user's addresses only when the filing's rules and owner do not answer: the
        rules' user addresses hold every address one user alone claims (and may hold more, never
        fewer), so an address outside them is no user's; one of the owner's is the owner's.
        """
        Users = self.env["res.users"]
        rules = filing.rules
        if rules is not None:
            if address not in rules.user_addresses:
                return Users
            owner = Users.browse(filing.owner_id or ())
            if owner and address in owner._lead_capture_addresses():
                return owner
        return company._lead_capture_user_by_address().get(address, Users)

    @api.model
    def _message_values(self, filing):
        """The ``mail.message`` values ``filing`` adds to the posted mail: privacy, location."""
        values = {}
        if filing.private and filing.owner_id:
            values["lead_capture_private_user_id"] = filing.owner_id
        location = filing.location
        if location:
            values["lead_capture_location_ids"] = [
                fields.Command.create(
                    {
                        "mailbox_id": location.mailbox_id,
                        "folder": location.folder,
                        "uidvalidity": location.uidvalidity,
                        "uid": location.uid,
                        "message_ref": location.message_ref,
                    }
                )
            ]
        return values

    @api.model
    def _notify_inbox(self, lead, message, owner):
        """Put an incoming captured mail in its owner's Odoo inbox, whatever their email setting."""
        lead._notify_thread_by_inbox(
            message,
            [{"id": owner.partner_id.id, "uid": owner.id, "notif": "inbox"}],
        )

    # ------------------------------------------------------------
    # REFUSALS
    # ------------------------------------------------------------

    @api.model
    def _refuse(self, mail, content, filing, reason, rule, tell=True, queue=True):
        """Keep a mail that cannot be filed for its owner to review, and tell the forwarder why.

        ``filing.on_refusal`` "raise" raises a UserError saying why instead. With ``queue=False``
        the refusal is only logged (mailbox sync skips mail it need not file).
        """
        if filing.on_refusal == filings.RAISE:
            raise UserError(self.env._("This mail cannot be filed: %(reason)s.", reason=reason))
        company = self.env["res.company"].browse(filing.company_id)
        owner = self.env["res.users"].browse(filing.owner_id or ())
        source = filing.source
        queued = self.env["mail.capture.unmatched"]
        if owner and queue:
            queued = queued._enqueue_mail(
                mail,
                content.raw,
                owner,
                company,
                reason,
                rule,
                body=content.body,
                attachments=content.attachments,
                source=source if source in ("capture", "inbound", "sync", "archive") else "capture",
                send_email=not (filing.forwarder and tell),  # else the forwarder's email says it
            )
        trace = self.env["mail.capture.trace"]._refused(reason, queued_for=queued and owner)
        outcome = "queued" if queued else "refused"
        self._log_decision(mail, company, owner, source, outcome, trace, rule=rule)
        if filing.forwarder and tell:
            self._tell_forwarder(mail, company, filing.forwarder, trace, queued)
        return False

    @api.model
    def _tell_forwarder(self, mail, company, forwarder, trace, queued=None):
        name, address = forwarder
        link = queued._notify_get_action_link("view") if queued else False
        body = self.env["ir.qweb"]._render(
            "mail_lead_capture.mail_capture_failed_email",
            {
                "company": company,
                "subject": mail.subject,
                "trace": trace,
                "name": name,
                "link": link,
            },
        )
        self._send_explanation(
            company, formataddr((name, address)), mail.subject, body, mail.message_id
        )

    @api.model
    def _refuse_sender(self, message, message_dict, company, sender, sender_name):
        """Explain to a sender who is not a user why nothing was stored, and tell the admins."""
        mail = capture.captured_mail(message, None)
        trace = self.env["mail.capture.trace"]._not_a_user(
            sender or message_dict.get("email_from") or "?", company
        )
        robot = self._automated(message, None) or message_dict.get("is_bounce")
        capped = not sender or robot or self._explanations_capped(company, sender)
        log = self._log_decision(
            mail, company, self.env["res.users"], "capture", "refused", trace, rule="not_a_user"
        )
        if capped:
            return
        log.explained = True
        body = self.env["ir.qweb"]._render(
            "mail_lead_capture.mail_capture_refused_sender_email",
            {"company": company, "subject": mail.subject, "name": sender_name},
        )
        self._send_explanation(
            company, formataddr((sender_name, sender)), mail.subject, body, mail.message_id
        )
        log._notify_admins(trace)

    @api.model
    def _explanations_capped(self, company, sender):
        """True when ``sender`` may not be explained a refusal now (one query).

        Within each period: one explanation per sender, a few per sender domain (any company),
        and some per company, so that forged senders varying their address get few explanations
        and the administrators few notices.
        """
        self.env["mail.capture.log"].flush_model(["explained", "sender", "company_id"])
        domain = addresses.domain_of(sender) or ""
        pattern = "%@" + domain.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.env.execute_query(
            SQL(
                """SELECT COUNT(*) FILTER (WHERE sender = %(sender)s),
                          COUNT(*) FILTER (WHERE sender LIKE %(pattern)s),
                          COUNT(*) FILTER (WHERE company_id = %(company)s)
                     FROM mail_capture_log
                    WHERE explained AND create_date >= %(since)s""",
                sender=sender,
                pattern=pattern,
                company=company.id,
                since=fields.Datetime.now() - REFUSAL_REPLY_PERIOD,
            )
        )
        per_sender, per_domain, per_company = rows[0]
        return (
            per_sender >= 1
            or per_domain >= REFUSAL_REPLIES_PER_DOMAIN
            or per_company >= REFUSAL_REPLIES_PER_COMPANY
        )

    @api.model
    def _refuse_disputed(self, message, company, sender, users):
        """Refuse mail from an address several users claim, and ask the admins to settle it."""
        trace = self.env["mail.capture.trace"]._disputed(sender, users)
        log = self._log_decision(
            capture.captured_mail(message, None),
            company,
            self.env["res.users"],
            "capture",
            "refused",
            trace,
            rule="disputed_address",
        )
        log._notify_admins(trace)

    @api.model
    def _refuse_forged(self, message, message_dict, company, mode, sender, verdict):
        """Log a mail whose sender the trusted servers disproved, and tell the admins only."""
        mail = capture.captured_mail(message, None)
        trace = self.env["mail.capture.trace"]._forged(
            sender or message_dict.get("email_from") or "?", verdict
        )
        log = self._log_decision(
            mail, company, self.env["res.users"], mode, "refused", trace, rule="forged_sender"
        )
        log._notify_admins(trace)

    @api.model
    def _send_explanation(self, company, email_to, subject, body, message_id):
        """Send an explanation now, marked so that replies to it are never processed again."""
        from odoo.tools.mail import generate_tracking_message_id  # noqa: PLC0415

        references = " ".join(
            filter(None, [message_id, generate_tracking_message_id("loop-detection-bounce-email")])
        )
        self.env["mail.mail"].sudo().create(
            {
                "author_id": False,
                "email_from": company.email_formatted or company.catchall_formatted,
                "email_to": email_to,
                "subject": self.env._("Re: %(subject)s", subject=subject or ""),
                "body_html": body,
                "references": references,
                "headers": {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
                "auto_delete": True,
            }
        ).send()

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @api.model
    def _sender_address(self, message_dict):
        pairs = addresses.split_addresses(message_dict.get("email_from") or "")
        return pairs[0] if pairs else ("", None)

    @api.model
    def _plain_text(self, message_dict):
        from odoo.tools.mail import html2plaintext  # noqa: PLC0415

        body = message_dict.get("body") or ""
        return html2plaintext(body) if body else ""

    @api.model
    def _automated(self, message, forward):
        """The kind of robot mail this is, if any: of the original mail for a forward."""
        if forward is None:
            return automated.automated_kind(message)
        original = EmailMessage()
        sender = forward.original.sender
        if sender:
            original["From"] = formataddr((sender.name or "", sender.address or ""))
        original["Subject"] = forward.original.subject or ""
        return automated.automated_kind(original)

    @api.model
    def _forward_content(self, forward, message_dict):
        """Body and attachments of a forward's original, plus files attached to the forward itself."""
        original = forward.original
        if original.html:
            body = Markup(html_sanitize(original.html))
        else:
            body = Markup(plain_text.text_to_html(original.text or ""))
        attachments = [(a.filename, a.data, {}) for a in original.attachments]
        if forward.kind == "inline":
            attachments += list(message_dict.get("attachments") or [])
        return body, attachments

    @api.model
    def _log_decision(
        self, mail, company, owner, source, outcome, trace, lead=None, message=None, rule=False
    ):
        # Mail from a mailbox is its owner's business unless it was filed as shared mail: its log
        # line (subject, sender, lead) is theirs only, sales managers' rule notwithstanding.
        private = bool(owner) and source == "sync"
        if message:
            private = bool(message.sudo().lead_capture_private_user_id)
        if lead and owner and not lead.with_user(owner).has_access("read"):
            # The owner reads their own log: it must not name a lead they may not open, nor its
            # contacts. The message on the lead keeps the full decision.
            trace = self.env["mail.capture.trace"]._no_access()
            lead = None
        return (
            self.env["mail.capture.log"]
            .with_context(tracking_disable=True)
            .sudo()
            .create(
                {
                    "company_id": company.id,
                    "user_id": owner.id if owner else False,
                    "source": source,
                    "outcome": outcome,
                    "rule": rule or False,
                    "trace": trace,
                    "sender": mail.author.address if mail.author else False,
                    "subject": mail.subject,
                    "message_ref": mail.message_id,
                    "lead_id": lead.id if lead else False,
                    "mail_message_id": message.id if message else False,
                    "private_user_id": owner.id if private else False,
                }
            )
        )

    # ------------------------------------------------------------
    # PEOPLE: KNOWN CONTACTS, USERS' BULK SENDS, TRUSTED SENDERS
    # ------------------------------------------------------------

    @api.model
    def _known_contacts(self, addresses_, company):
        """``{address: partner}`` for those of ``addresses_`` (normalised, in their order) that
        are known contacts of ``company``: the customer of one of its leads (open, won, lost or
        archived), or a contact marked as a CRM contact. One indexed query."""
        spellings = {
            variant: address
            for address in addresses_
            for variant in addresses.address_variants(address)
        }
        if not spellings:
            return {}
        self.env["res.partner"].flush_model(
            ["email_normalized", "active", "company_id", "lead_capture_crm_contact"]
        )
        self.env["crm.lead"].flush_model(["partner_id", "company_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id, p.email_normalized FROM res_partner p
                    WHERE p.email_normalized IN %(spellings)s AND p.active
                      AND (p.company_id IS NULL OR p.company_id = %(company)s)
                      AND (p.lead_capture_crm_contact OR EXISTS (
                            SELECT 1 FROM crm_lead l
                             WHERE l.partner_id = p.id
                               AND (l.company_id IS NULL OR l.company_id = %(company)s)))
                    ORDER BY p.id""",
                spellings=tuple(spellings),
                company=company.id,
            )
        )
        found = {}
        for partner_id, value in rows:
            found.setdefault(spellings[value], partner_id)
        Partner = self.env["res.partner"]
        return {a: Partner.browse(found[a]) for a in addresses_ if a in found}

    @api.model
    def _known_contact_filing(self, decision, people, mail, content, filing, direction, kept):
        """For mail no lead matched (``decision`` "none"; None when a person chose to create a
        lead or a lost lead matched): ``(result, filing)``. When one of ``people`` is a known
        contact, the mail goes on that contact (``result`` False), or, by the company's setting,
        ``filing.no_match`` becomes "create". Otherwise ``result`` is None and ``filing`` as it
        was. Mail of the incoming-mail address always makes leads."""
        if decision is None or decision.kind != "none" or filing.source == "inbound":
            return None, filing
        company = self.env["res.company"].browse(filing.company_id)
        contact = next(iter(self._known_contacts(people, company).values()), None)
        if not contact:
            return None, filing
        if company.lead_capture_known_contact == "contact":
            return self._file_on_contact(contact, mail, content, filing, direction, kept), filing
        return None, dataclasses.replace(filing, no_match=filings.CREATE)

    @api.model
    def _file_on_contact(self, contact, mail, content, filing, direction, kept):
        """Post ``mail`` on ``contact``, a known contact with no open lead (company setting "File
        it on the contact"). Returns False: no lead got it."""
        company = self.env["res.company"].browse(filing.company_id)
        owner = self.env["res.users"].browse(filing.owner_id or ())
        Trace = self.env["mail.capture.trace"]
        author = mail.author.address if mail.author else None
        partners = self._mail_partners(
            mail, [a for a in kept if a in (author, contact.email_normalized)], owner, company
        )
        duplicate = self._is_duplicate(contact, mail, owner)
        if duplicate:
            trace = Trace._duplicate(contact)
            self._log_decision(
                mail, company, owner, filing.source, "duplicate", trace, message=duplicate
            )
            return False
        trace = Trace._on_contact(contact) + self._trusted_note(filing)
        message = self._post_on_lead(contact, mail, content, filing, direction, trace, partners)
        if direction == INCOMING and owner and filing.source != "sync":
            self._notify_inbox(contact, message, owner)
        self._log_decision(mail, company, owner, filing.source, "captured", trace, message=message)
        return False

    @api.model
    def _own_bulk(self, mail, content, rules):
        """``(own bulk send?, robot kind)``: a user's own newsletter or mail merge is not robot
        mail (``tools.automated.own_bulk_send``); its robot kind is dropped."""
        author = mail.author.address if mail.author else None
        message = content.message
        if message is not None and automated.own_bulk_send(message, author, rules.user_addresses):
            return True, None
        return False, content.automated

    @api.model
    def _file_bulk(self, mail, content, filing, direction, people, kept):
        """File a user's own bulk send (``tools.automated.own_bulk_send``) on each recipient's lead.

        Each recipient is matched alone (``matching.choose_per_recipient``); one without a lead
        gets the known-contact treatment, else a new lead when the company (or, for sync,
        ``filing.no_match``) creates leads for unknown people, else nothing: a bulk send never
        waits for review. Queries do not grow with the recipients (one matching round for all of
        them); each lead that gets the mail costs its own message. Returns the first lead's id,
        or False.
        """
        company = self.env["res.company"].browse(filing.company_id)
        owner = self.env["res.users"].browse(filing.owner_id or ())
        Trace = self.env["mail.capture.trace"]
        sender = mail.author.name or mail.author.address  # a user: own_bulk_send says so
        leads = self._leads_of(people, company)
        on_lead = leads._lead_capture_contact_addresses()
        decisions = matching.choose_per_recipient(
            people,
            [
                matching.Candidate(
                    lead_id=lead.id,
                    last_activity=max(filter(None, (lead.email_last_date, lead.write_date))),
                    is_open=lead.won_status != "won",
                    matched=tuple(a for a in people if a in on_lead[lead]),
                )
                for lead in leads
            ],
        )
        unmatched = [address for address, d in decisions.items() if d.kind == "none"]
        known = self._known_contacts(unmatched, company) if unmatched else {}
        on_contact = company.lead_capture_known_contact == "contact"
        creates = filing.no_match == filings.CREATE or (
            filing.no_match == filings.DEFAULT and company.lead_capture_no_match == "create"
        )
        to_create = [
            a for a in unmatched if (a in known and not on_contact) or (a not in known and creates)
        ]
        matched = [a for a, d in decisions.items() if d.kind != "none"]
        partners = self._mail_partners(mail, matched + to_create, owner, company)
        by_address = {partner.email_normalized: partner for partner in partners}
        first = False
        for address, decision in decisions.items():
            if decision.kind == "none" and address in known and on_contact:
                contact = known[address]
                if not self._is_duplicate(contact, mail, owner):
                    trace = Trace._bulk(contact, sender, address, "contact")
                    message = self._post_on_lead(
                        contact, mail, content, filing, direction, trace, partners
                    )
                    self._log_decision(
                        mail, company, owner, filing.source, "captured", trace, message=message
                    )
                continue
            partner = by_address.get(address, self.env["res.partner"])
            if decision.kind == "none":
                if address not in to_create:
                    continue
                lead = self._create_lead(mail, direction, [address], partner, owner, company)
                trace, outcome = Trace._bulk(lead, sender, address, "created"), "created"
            else:
                lead = self.env["crm.lead"].browse(decision.lead_id)
                if self._is_duplicate(lead, mail, owner):
                    first = first or lead.id
                    continue
                if partner and partner not in lead.partner_id | lead.contact_ids:
                    lead.contact_ids = [fields.Command.link(partner.id)]
                trace, outcome = Trace._bulk(lead, sender, address, "lead"), "captured"
            message = self._post_on_lead(lead, mail, content, filing, direction, trace, partner)
            self._log_decision(mail, company, owner, filing.source, outcome, trace, lead, message)
            first = first or lead.id
        if first is False and not (known and on_contact):
            reason = Trace._refusal("bulk_no_match", addresses=", ".join(people))
            return self._refuse(mail, content, filing, reason, "no_match", tell=False, queue=False)
        return first

    @api.model
    def _trusted_note(self, filing):
        """The words the trace gets for mail a trusted sender sent for the filing's owner."""
        if not filing.trusted_sender:
            return ""
        owner = self.env["res.users"].browse(filing.owner_id)
        return " " + self.env["mail.capture.trace"]._trusted(filing.trusted_sender, owner)
