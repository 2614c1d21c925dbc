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
from ..tools import filters
from ..tools import forwards
from ..tools import matching
from ..tools import plain_text
from ..tools import raw_mail
from ..tools.direction import INCOMING
from ..tools.direction import OUTGOING
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


@dataclasses.dataclass(frozen=True)
class Kept:
    """A mail being filed: what posting it, or keeping it for review and logging why, needs."""

    mail: capture.CapturedMail
    body: str
    attachments: list
    company: models.BaseModel  # res.company
    owner: models.BaseModel  # res.users, empty for the incoming-mail address
    source: str
    raw: bytes | None
    forwarder: tuple | None  # (name, address) of whom to tell, if anyone


class MailCaptureEngine(models.AbstractModel):
    """Files captured mail on leads: the one place that matches, creates, de-duplicates and posts.

    The gateway (capture address), the unmatched-mail queue and mailbox sync all call
    :meth:`_lead_capture_file`, so a mail is filed the same way whichever path brought it. The
    decisions themselves are made by the ORM-free core in ``tools/``; this model reads the records
    the core needs and writes what it decided.
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
        sender_name, sender = self._lead_capture_sender(message_dict)
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
            self._lead_capture_refuse_forged(message, message_dict, company, mode, sender, verdict)
            return False
        rules = trusted_sender = None
        if mode == "capture" and not owner:
            disputed = company._lead_capture_disputed_owners(sender)
            if disputed:
                self._lead_capture_refuse_disputed(message, company, sender, disputed)
                return False
            # A trusted sender (no account) files as the user the company credits: their address
            # is that user's side of the mail. The forged check above applied to them too.
            owner = company._lead_capture_trusted_owner(sender)
            if owner:
                trusted_sender = sender
                rules = company._lead_capture_filter_rules(owner)
                rules = dataclasses.replace(rules, user_addresses=rules.user_addresses | {sender})
            if not owner and not self._lead_capture_thread_lead(
                capture.captured_mail(message, None), company
            ):
                self._lead_capture_refuse_sender(
                    message, message_dict, company, sender, sender_name
                )
                return False
        mail = None  # read once, by _lead_capture_prepare (address headers are costly to parse)
        try:
            with self.env.cr.savepoint():
                mail, body, attachments, robot = self._lead_capture_prepare(
                    message, message_dict, with_forward=mode == "capture"
                )
                return self._lead_capture_file(
                    mail,
                    body,
                    attachments,
                    company=company,
                    owner=owner,
                    source=mode,
                    automated_kind=robot,
                    raw=raw,
                    forwarder=(sender_name, sender) if owner else None,
                    message=message,
                    rules=rules,
                    trusted_sender=trusted_sender,
                )
        except Exception as error:  # a mail that breaks the engine must not be lost
            mail = mail or capture.captured_mail(message, None)
            _logger.exception("Email capture failed on mail %s; kept for review", mail.message_id)
            return self._lead_capture_keep_failed(mail, raw, owner, company, mode, error)

    @api.model
    def _lead_capture_keep_failed(self, mail, raw, owner, company, source, error):
        """Queue a mail whose processing failed, with the error, for its owner or an administrator."""
        owner = owner or company._lead_capture_fallback_owner()
        reason = self.env._(
            "processing failed (%(error)s)", error=str(error) or type(error).__name__
        )
        kept = Kept(mail, "", (), company, owner, source, raw, None)
        return self._lead_capture_refuse(kept, "queue", reason, "error", tell=False)

    @api.model
    def _lead_capture_raw_target(self, message):
        """``(company, mode)`` of the capture alias a lightly read mail is for, or None."""
        recipients = ", ".join(message.get_all("to", []) + message.get_all("cc", []))
        routes = self.env["mail.thread"]._lead_capture_envelope_routes(
            message, {"recipients": recipients}
        )
        if not routes:
            return None
        return self.env["res.company"]._lead_capture_company_of_alias(routes[0][4])

    @api.model
    def _lead_capture_keep_raw(self, raw, reason, rule):
        """Keep a raw mail that was not read (Odoo's parser failed, or its headers are too large)
        for review, with ``reason``: in its sender's unmatched mail when the sender is a user, else
        an administrator's. Returns False, or None when the mail is not for a capture alias.
        """
        message = raw_mail.light_message(raw)
        target = self._lead_capture_raw_target(message)
        if not target:
            return None
        company, mode = target
        mail = capture.captured_mail(message, None, text="")
        sender = mail.author.address if mail.author else None
        owner = company._lead_capture_user_by_address().get(sender)
        owner = owner or company._lead_capture_fallback_owner()
        kept = Kept(mail, "", (), company, owner, mode, raw, None)
        return self._lead_capture_refuse(kept, "queue", reason, rule, tell=False)

    @api.model
    def _lead_capture_log_repeat(self, raw, existing):
        """Log a mail for a capture alias that Odoo dropped because ``existing`` (a
        ``mail.message``) already has its Message-Id; say whether its content differs."""
        message = raw_mail.light_message(raw)
        target = self._lead_capture_raw_target(message)
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
        if same:
            trace = self.env._(
                "Already in Odoo: this mail (Message-Id %(message_id)s) was received before and is "
                "on %(where)s; it is not stored twice.",
                message_id=mail.message_id,
                where=where,
            )
            rule = "repeat"
        else:
            trace = self.env._(
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
            rule = "repeat_different"
            _logger.warning(
                "Mail %s for a capture address dropped by Odoo: its Message-Id is already used by "
                "a different mail (message %s)",
                mail.message_id,
                existing.id,
            )
        lead = (
            existing.model == "crm.lead" and self.env["crm.lead"].browse(existing.res_id).exists()
        )
        self._lead_capture_log(
            mail, company, owner, mode, "duplicate", trace, lead=lead or None, rule=rule
        )

    @api.model
    def _lead_capture_replay_raw(self, message, company, owner, lead=None, force_create=False):
        """File a kept raw mail on ``lead`` or a new lead, as the gateway would have filed it.

        Raises a UserError saying why when the filters refuse it.
        """
        message_dict = self.env["mail.thread"].message_parse(message)
        mail, body, attachments, robot = self._lead_capture_prepare(message, message_dict)
        return self._lead_capture_file(
            mail,
            body,
            attachments,
            company=company,
            owner=owner,
            source="unmatched",
            automated_kind=robot,
            raw=self.env.context.get("lead_capture_raw"),
            lead=lead,
            force_create=force_create,
            on_refusal="raise",
            message=message,
        )

    @api.model
    def _lead_capture_prepare(self, message, message_dict, with_forward=True):
        """Return ``(CapturedMail, body, attachments, robot kind)`` for a parsed gateway mail."""
        forward = forwards.recover_forward(message) if with_forward else None
        mail = capture.captured_mail(message, forward, text=self._lead_capture_text(message_dict))
        if forward is not None:
            body, attachments = self._lead_capture_forward_content(forward, message_dict)
        else:
            body, attachments = (
                self._lead_capture_plain_parts(message, message_dict.get("body") or ""),
                message_dict.get("attachments") or [],
            )
        return mail, body, attachments, self._lead_capture_automated(message, forward)

    @api.model
    def _lead_capture_plain_parts(self, message, body):
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
    def _lead_capture_content_problem(self, message, attachments):
        """Return ``(rule, reason)`` when the mail's content cannot be filed, else None."""
        unreadable = capture.unreadable_kind(message) if message is not None else None
        if unreadable:
            return "unreadable", self.env._(
                "its content is encrypted or broken, so it cannot be read; forward it decrypted"
            )
        limit_mb = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail_lead_capture.max_attachment_mb", DEFAULT_MAX_ATTACHMENT_MB)
            or DEFAULT_MAX_ATTACHMENT_MB
        )
        too_big = [
            name
            for name, data in self._lead_capture_files(attachments)
            if len(data) > limit_mb * 1024 * 1024
        ]
        if too_big:
            return "attachment_too_large", self.env._(
                "%(names)s is larger than the %(limit)s MB an attachment may be",
                names=", ".join(too_big),
                limit=limit_mb,
            )
        return None

    # ------------------------------------------------------------
    # HEADER STAGE (MAILBOX SYNC)
    # ------------------------------------------------------------

    @api.model
    def _lead_capture_wants(
        self,
        participants,
        thread_ids,
        *,
        company,
        owner,
        auto_create=False,
        direction=INCOMING,
        rules=None,
        automated_kind=None,
        known=None,
        pending_ids=frozenset(),
        lead_addresses=None,
    ):
        """Tell from a mail's header alone whether mailbox sync should download and file it.

        Yes when a participant the filters keep is on one of ``company``'s leads (its email, its
        customer or one of its contacts), when the mail replies to mail already filed on a lead
        (``thread_ids``: In-Reply-To and References), or when ``auto_create`` applies to an
        outgoing mail. Robot mail (``automated_kind``) and mail between colleagues never. At most
        two indexed queries, no record loaded. ``known`` is an optional ``{address: bool}`` cache
        the caller keeps across a batch; it is read and filled here. ``pending_ids`` are the
        Message-Ids of mail the caller is about to file (earlier in the same batch): a reply to one
        of them counts as a reply to filed mail. ``lead_addresses``, when given, is every address on
        the company's leads (see :meth:`_lead_capture_lead_addresses`): no query for addresses then.
        """
        rules = rules or company._lead_capture_filter_rules(owner or None)
        screening = filters.screen(participants, rules, automated=automated_kind)
        if screening.screened:
            return False
        if auto_create and direction == OUTGOING:
            return True
        if lead_addresses is not None:
            if not lead_addresses.isdisjoint(screening.kept):
                return True
        else:
            if known is None:
                known = {}
            unknown = [address for address in screening.kept if address not in known]
            if unknown:
                found = self._lead_capture_known_addresses(unknown, company)
                known.update((address, address in found) for address in unknown)
            if any(known[address] for address in screening.kept):
                return True
        if not thread_ids:
            return False
        return not pending_ids.isdisjoint(thread_ids) or self._lead_capture_replies_to_lead(
            thread_ids
        )

    @api.model
    def _lead_capture_known_addresses(self, addresses_, company):
        """The ones of ``addresses_`` (normalised) that are on a lead of ``company`` or are its
        CRM contacts (``res.partner.lead_capture_crm_contact``), in one query."""
        spellings = {
            variant: address
            for address in addresses_
            for variant in addresses.address_variants(address)
        }
        if not spellings:
            return set()
        Lead = self.env["crm.lead"].sudo()
        leads = Lead._search(company._lead_capture_lead_domain()).subselect()
        contacts = Lead._fields["contact_ids"]
        rows = self.env.execute_query(
            SQL(
                """SELECT l.email_normalized FROM crm_lead l
                    WHERE l.email_normalized IN %(spellings)s AND l.id IN %(leads)s
                   UNION
                   SELECT p.email_normalized FROM res_partner p
                     JOIN crm_lead l ON l.partner_id = p.id
                    WHERE p.email_normalized IN %(spellings)s AND l.id IN %(leads)s
                   UNION
                   SELECT p.email_normalized FROM res_partner p
                     JOIN %(relation)s r ON r.%(partner_column)s = p.id
                    WHERE p.email_normalized IN %(spellings)s AND r.%(lead_column)s IN %(leads)s
                   UNION
                   SELECT p.email_normalized FROM res_partner p
                    WHERE p.email_normalized IN %(spellings)s AND p.lead_capture_crm_contact
                      AND p.active AND (p.company_id IS NULL OR p.company_id = %(company)s)""",
                spellings=tuple(spellings),
                company=company.id,
                leads=leads,
                relation=SQL.identifier(contacts.relation),
                partner_column=SQL.identifier(contacts.column2),
                lead_column=SQL.identifier(contacts.column1),
            )
        )
        return {spellings[value] for (value,) in rows if value in spellings}

    @api.model
    def _lead_capture_lead_addresses(self, company, limit):
        """Every normalised address on ``company``'s leads and of its CRM contacts, or None when
        there are over ``limit``.

        One query: a mailbox pass then checks its headers without asking the database again.
        """
        Lead = self.env["crm.lead"].sudo()
        leads = Lead._search(company._lead_capture_lead_domain()).subselect()
        contacts = Lead._fields["contact_ids"]
        rows = self.env.execute_query(
            SQL(
                """SELECT l.email_normalized FROM crm_lead l
                    WHERE l.email_normalized IS NOT NULL AND l.id IN %(leads)s
                   UNION
                   SELECT p.email_normalized FROM res_partner p
                     JOIN crm_lead l ON l.partner_id = p.id
                    WHERE p.email_normalized IS NOT NULL AND l.id IN %(leads)s
                   UNION
                   SELECT p.email_normalized FROM res_partner p
                     JOIN %(relation)s r ON r.%(partner_column)s = p.id
                    WHERE p.email_normalized IS NOT NULL AND r.%(lead_column)s IN %(leads)s
                   UNION
                   SELECT p.email_normalized FROM res_partner p
                    WHERE p.email_normalized IS NOT NULL AND p.lead_capture_crm_contact
                      AND p.active AND (p.company_id IS NULL OR p.company_id = %(company)s)
                   LIMIT %(limit)s""",
                company=company.id,
                leads=leads,
                relation=SQL.identifier(contacts.relation),
                partner_column=SQL.identifier(contacts.column2),
                lead_column=SQL.identifier(contacts.column1),
                limit=limit + 1,
            )
        )
        if len(rows) > limit:
            return None
        return {addresses.normalize_address(value) for (value,) in rows} - {None}

    @api.model
    def _lead_capture_replies_to_lead(self, thread_ids):
        """True when one of the Message-Ids ``thread_ids`` is a mail filed on a lead."""
        return bool(
            self.env["mail.message"]
            .sudo()
            .search_count(
                [("message_id", "in", list(thread_ids)), ("model", "=", "crm.lead")], limit=1
            )
        )

    # ------------------------------------------------------------
    # FILING
    # ------------------------------------------------------------

    @api.model
    def _lead_capture_file(
        self,
        mail,
        body,
        attachments,
        *,
        company,
        owner,
        source,
        automated_kind=None,
        raw=None,
        forwarder=None,
        lead=None,
        force_create=False,
        on_refusal="queue",
        message=None,
        no_match="default",
        keep_screened=True,
        rules=None,
        message_values=None,
        trusted_sender=None,
    ):
        """File ``mail`` (a ``tools.capture.CapturedMail``) with its HTML ``body`` and attachments.

        ``owner`` is the user whose mail it is (the forwarder, the mailbox's owner), or empty for
        the incoming-mail address. ``lead``, when given, is where a person chose to file it: matching
        is skipped, the filters and de-duplication still apply; ``force_create`` makes a new lead
        whatever matches. ``on_refusal`` "queue" keeps refused mail in its owner's unmatched mail,
        "raise" raises a UserError saying why. ``message`` is the raw ``email.message`` when there is
        one, to check its content can be read. Returns the lead's id, or False.

        For mailbox sync: ``no_match`` "skip" leaves mail that matches no lead alone (logged, not
        queued, no lead), "create" makes a lead for it whatever the company's setting, "default"
        follows the setting; ``keep_screened=False`` logs mail the filters screen without queueing
        it; ``rules`` are the company's filter rules when the caller already built them for a batch;
        ``message_values`` are extra ``mail.message`` values for the posted message.
        ``trusted_sender``: the address of the trusted sender (no account) who sent it for ``owner``.
        """

        def kept():
            # A closure: the ``mail`` of the moment (with its sender resolved, if so).
            return Kept(mail, body, attachments, company, owner, source, raw, forwarder)

        def refuse(reason, rule, tell=True, queue=True):
            return self._lead_capture_refuse(
                kept(), on_refusal, reason, rule, tell=tell, queue=queue
            )

        if mail.author and not mail.author.address:
            address = self._lead_capture_address_of_name(mail.author.name, company)
            if not address:
                reason = self.env._(
                    "the forward names its sender %(name)s without an address, and no single "
                    "contact has that name",
                    name=mail.author.name or "?",
                )
                return refuse(reason, "name_only", tell=False)
            mail = dataclasses.replace(mail, author=forwards.Mailbox(mail.author.name, address))
        rules = rules or company._lead_capture_filter_rules(owner or None)
        own_bulk, automated_kind = self._lead_capture_own_bulk(mail, message, rules, automated_kind)
        screening = filters.screen(mail.participants, rules, automated=automated_kind)
        direction = (
            INCOMING
            if source == "inbound"
            else mail_direction(mail.author.address if mail.author else None, rules.user_addresses)
        )
        if screening.screened:
            return refuse(
                company._lead_capture_screening_sentence(screening),
                screening.screened,
                queue=keep_screened,
            )
        problem = self._lead_capture_content_problem(message, attachments)
        if problem:
            return refuse(problem[1], problem[0])
        people = counterparts(
            direction,
            mail.author.address if mail.author else None,
            mail.recipients,
            set(screening.kept),
        )
        if own_bulk and lead is None and not force_create and source != "inbound":
            return self._lead_capture_file_bulk(
                kept(), direction, people, screening.kept, no_match, message_values
            )
        decision, lost = self._lead_capture_decision(
            mail, screening.kept, company, lead, force_create
        )
        if decision.kind == "ambiguous":
            leads = self.env["crm.lead"].browse(decision.others)
            # These names stay, for the owner to choose among the leads (Unmatched Mail's link).
            reason = self.env._(
                "several leads have these contacts (%(leads)s) and the company asks to choose",
                leads=", ".join(leads.mapped("display_name")),
            )
            return refuse(reason, "ambiguous", tell=False)
        # A known contact (a lead's customer, a CRM contact) with no open or won lead.
        filed, no_match = self._lead_capture_known_contact_filing(
            decision if not (force_create or lost) else None,
            people,
            kept(),
            direction,
            screening.kept,
            no_match,
            message_values,
            trusted_sender,
        )
        if filed is not None:
            return filed
        if decision.kind == "none" and no_match == "skip":
            reason = self.env._(
                "no lead has these contacts: %(addresses)s", addresses=", ".join(people)
            )
            return refuse(reason, "no_match", tell=False, queue=False)
        if (
            decision.kind == "none"
            and not force_create
            and no_match != "create"
            and company.lead_capture_no_match == "review"
            and owner
        ):
            reason = self.env._(
                "no lead has these contacts: %(addresses)s", addresses=", ".join(people)
            )
            return refuse(reason, "no_match", tell=False)
        partners = self._lead_capture_partners(mail, screening.kept, owner, company)
        created = decision.kind == "none"
        if created:
            lead = self._lead_capture_create_lead(mail, direction, people, partners, owner, company)
        else:
            lead = self.env["crm.lead"].browse(decision.lead_id)
        duplicate = self._lead_capture_duplicate(lead, mail, owner)
        if duplicate:
            trace = self.env._(
                "Already on lead %(lead)s: the same mail is not stored twice.",
                lead=lead.display_name,
            )
            self._lead_capture_log(
                mail, company, owner, source, "duplicate", trace, lead, duplicate
            )
            return lead.id
        # Sets, not recordsets or tuples: ``in`` on those is linear, so thousands of recipients
        # would cost a quadratic time.
        kept_set = set(screening.kept)
        on_lead = set((lead.partner_id | lead.contact_ids).ids)
        new_contacts = partners.filtered(
            lambda partner: partner.email_normalized in kept_set and partner.id not in on_lead
        )
        if new_contacts:
            lead.contact_ids = [fields.Command.link(partner.id) for partner in new_contacts]
        trace = self._lead_capture_trace(decision, lead, people, created, company)
        trace += self._lead_capture_lost_note(lead, lost, created)
        trace += self._lead_capture_trusted_note(trusted_sender, owner)
        # The mail may be on the lead as another user's private synced mail, which its owner
        # cannot see: it is filed again rather than dropped as a duplicate, and the trace says so.
        trace += self._lead_capture_hidden_copy_note(lead, mail)
        message = self._lead_capture_post(lead, kept(), direction, trace, partners, message_values)
        # Synced mail is already in its owner's mailbox: no copy in their Odoo inbox.
        if direction == INCOMING and owner and source != "sync":
            self._lead_capture_notify_inbox(lead, message, owner)
        outcome = "created" if created else "captured"
        self._lead_capture_log(mail, company, owner, source, outcome, trace, lead, message)
        self._lead_capture_file_also(
            decision, kept(), direction, partners, screening.kept, message_values
        )
        return lead.id

    @api.model
    def _lead_capture_decision(self, mail, kept, company, lead, force_create):
        """``(matching.Decision, lost lead or None)``: a person's choice (``lead``, or a new lead
        with ``force_create``), else the leads of the ``kept`` addresses and the mail's thread."""
        if lead is not None:
            return matching.Decision("chosen", lead.id), None
        if force_create:
            return matching.Decision("none"), None
        decision = self._lead_capture_decide(mail, kept, company)
        return self._lead_capture_lost_decision(decision, kept, company)

    @api.model
    def _lead_capture_file_also(self, decision, kept, direction, partners, kept_addresses, values):
        """Post the mail on every other open lead the decision names (policy "every").

        Each lead gets its own message (its own de-duplication, contacts and trace); the owner's
        inbox holds the first one only. Nothing to do for other policies (``decision.also`` empty).
        """
        for lead in self.env["crm.lead"].browse(decision.also).exists():
            if self._lead_capture_duplicate(lead, kept.mail, kept.owner):
                continue
            new_contacts = partners.filtered(
                lambda partner, lead=lead: (
                    partner.email_normalized in kept_addresses
                    and partner not in lead.partner_id | lead.contact_ids
                )
            )
            if new_contacts:
                lead.contact_ids = [fields.Command.link(partner.id) for partner in new_contacts]
            first = self.env["crm.lead"].browse(decision.lead_id)
            trace = self.env._(
                "Filed on lead %(lead)s too: it is one of the leads with these contacts, and the "
                "company files such mail on every matching open lead (first on %(first)s).",
                lead=lead.display_name,
                first=first.display_name,
            )
            message = self._lead_capture_post(lead, kept, direction, trace, partners, values)
            self._lead_capture_log(
                kept.mail, kept.company, kept.owner, kept.source, "captured", trace, lead, message
            )

    @api.model
    def _lead_capture_lost_decision(self, decision, kept, company):
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
            ._lead_capture_leads_of(kept, company)
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
    def _lead_capture_lost_note(self, lead, lost, created):
        """Give a new lead its lost predecessor's customer; the words the trace gets for it."""
        if not lost:
            return ""
        if created and lost.partner_id and not lead.partner_id:
            lead.partner_id = lost.partner_id
        return " " + self._lead_capture_lost_sentence(lost, restored=not created)

    @api.model
    def _lead_capture_lost_sentence(self, lost, restored):
        if restored:
            return self.env._(
                "The lead was lost; the company restores lost leads when their contacts write again."
            )
        return self.env._(
            "These contacts were on lost lead %(lead)s: this new lead continues it.",
            lead=lost.display_name,
        )

    @api.model
    def _lead_capture_address_of_name(self, name, company):
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
    def _lead_capture_decide(self, mail, kept, company):
        """Gather the candidate leads for ``kept`` addresses and the mail's thread, then decide."""
        thread_leads = self._lead_capture_thread_lead(mail, company, all_leads=True)
        contact_leads = self._lead_capture_leads_of(kept, company)
        addresses_by_lead = (contact_leads | thread_leads)._lead_capture_contact_addresses()
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
    def _lead_capture_leads_of(self, kept, company):
        """The company's leads whose email, customer or email contacts are among ``kept``.

        Three look-ups, each on its own index (lead email, lead customer, contact relation),
        rather than one OR: an OR of them makes PostgreSQL scan every lead, so the cost would grow
        with the CRM instead of with the handful of leads a person is on.
        """
        Lead = self.env["crm.lead"]
        if not kept:
            return Lead
        variants = list(set().union(*(addresses.address_variants(a) for a in kept)))
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("email_normalized", "in", variants)])
        )
        scope = company._lead_capture_lead_domain()
        leads = Lead.search([("email_normalized", "in", variants), *scope], order="id")
        if partners:
            leads |= Lead.search([("partner_id", "in", partners.ids), *scope], order="id")
            leads |= Lead.search([("contact_ids", "in", partners.ids), *scope], order="id")
        return leads

    @api.model
    def _lead_capture_thread_lead(self, mail, company, all_leads=False):
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
    def _lead_capture_duplicate(self, lead, mail, owner=None):
        """Return the message already holding ``mail`` on ``lead`` (or contact), if any.

        With ``owner`` (a user, possibly empty), only a copy that the owner can see counts: a
        colleague's private synced copy is not one (see :meth:`_lead_capture_file`).
        """
        Message = self.env["mail.message"].sudo()
        base = [("model", "=", lead._name), ("res_id", "=", lead.id)]
        if owner is not None:
            base.append(("lead_capture_private_user_id", "in", [False, *owner.ids]))
        if mail.message_id:
            found = Message.search([*base, ("message_id", "=", mail.message_id)], limit=1)
            if found:
                return found
        domain = [*base, ("lead_capture_fingerprint", "=", mail.fingerprint)]
        if mail.date:
            window = timedelta(hours=FINGERPRINT_WINDOW_HOURS)
            naive = mail.date.replace(tzinfo=None)
            domain += [("date", ">=", naive - window), ("date", "<=", naive + window)]
        return Message.search(domain, limit=1)

    @api.model
    def _lead_capture_hidden_copy_note(self, lead, mail):
        """A sentence for the trace when ``mail`` is on ``lead`` only as a copy its owner cannot see."""
        if not self._lead_capture_duplicate(lead, mail):
            return ""
        return " " + self.env._(
            "Another user's mailbox synced the same mail privately onto this lead; this copy is "
            "filed separately."
        )

    @api.model
    def _lead_capture_partners(self, mail, kept, owner, company):
        """Find or create a partner for every kept participant; users' own partners for users.

        One search for all addresses and one batch create for the missing ones: Odoo's
        ``_find_or_create_from_emails`` pairs each address with its partner by a linear scan, so
        its cost grows with the square of the number of addresses (a mail to thousands of people
        would pass the gateway's time limit).
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
                [("email_normalized", "in", list(spellings))], order="id"
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
    def _lead_capture_create_lead(self, mail, direction, people, partners, owner, company):
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
    def _lead_capture_post(self, lead, kept, direction, trace, partners, message_values=None):
        """Post the mail of ``kept`` (a :class:`Kept`) on ``lead`` as its original author wrote it."""
        mail, body, attachments, company = kept.mail, kept.body, kept.attachments, kept.company
        author_address = mail.author.address if mail.author else None
        author = partners.filtered(lambda p: p.email_normalized == author_address)[:1]
        if not author and author_address:
            author = (
                company._lead_capture_user_by_address()
                .get(author_address, self.env["res.users"])
                .partner_id
            )
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
        values.update(message_values or {})
        if mail.message_id:
            values["message_id"] = mail.message_id
        if mail.date:
            values["date"] = fields.Datetime.to_string(mail.date.replace(tzinfo=None))
        message = (
            lead.with_user(self.env.ref("base.user_root"))
            .with_context(mail_create_nosubscribe=True, mail_post_autofollow_author_skip=True)
            .message_post(**values)
        )
        # "Last Email" is read by whoever reads the lead: a private mail does not move it.
        private = (message_values or {}).get("lead_capture_private_user_id")
        if (
            lead._name == "crm.lead"
            and not private
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
    def _lead_capture_notify_inbox(self, lead, message, owner):
        """Put an incoming captured mail in its owner's Odoo inbox, whatever their email setting."""
        lead._notify_thread_by_inbox(
            message,
            [{"id": owner.partner_id.id, "uid": owner.id, "notif": "inbox"}],
        )

    # ------------------------------------------------------------
    # REFUSALS
    # ------------------------------------------------------------

    @api.model
    def _lead_capture_refuse(self, kept, on_refusal, reason, rule, tell=True, queue=True):
        """Keep a mail that cannot be filed (a :class:`Kept`) for its owner to review, and tell
        the forwarder why.

        ``on_refusal`` "raise" raises a UserError saying why instead. With ``queue=False`` the
        refusal is only logged (mailbox sync skips mail it need not file).
        """
        if on_refusal == "raise":
            raise UserError(self.env._("This mail cannot be filed: %(reason)s.", reason=reason))
        mail, company, owner, source = kept.mail, kept.company, kept.owner, kept.source
        queued = self.env["mail.capture.unmatched"]
        if owner and queue:
            queued = queued._lead_capture_enqueue(
                mail,
                kept.raw,
                owner,
                company,
                reason,
                rule,
                body=kept.body,
                attachments=kept.attachments,
                source=source if source in ("capture", "inbound", "sync") else "capture",
            )
        if queued:
            trace = self.env._(
                "Kept for review in %(user)s's unmatched mail: %(reason)s.",
                user=owner.name,
                reason=reason,
            )
            outcome = "queued"
        else:
            trace = self.env._("Not filed: %(reason)s.", reason=reason)
            outcome = "refused"
        self._lead_capture_log(mail, company, owner, source, outcome, trace, rule=rule)
        if kept.forwarder and tell:
            self._lead_capture_tell_forwarder(mail, company, kept.forwarder, trace)
        return False

    @api.model
    def _lead_capture_tell_forwarder(self, mail, company, forwarder, trace):
        name, address = forwarder
        body = self.env["ir.qweb"]._render(
            "mail_lead_capture.mail_capture_failed_email",
            {"company": company, "subject": mail.subject, "trace": trace, "name": name},
        )
        self._lead_capture_send(
            company, formataddr((name, address)), mail.subject, body, mail.message_id
        )

    @api.model
    def _lead_capture_refuse_sender(self, message, message_dict, company, sender, sender_name):
        """Explain to a sender who is not a user why nothing was stored, and tell the admins."""
        mail = capture.captured_mail(message, None)
        trace = self.env._(
            "Refused: %(sender)s is not a user of %(company)s, and only users may send mail to the "
            "capture address.",
            sender=sender or message_dict.get("email_from") or "?",
            company=company.name,
        )
        robot = self._lead_capture_automated(message, None) or message_dict.get("is_bounce")
        capped = not sender or robot or self._lead_capture_explanations_capped(company, sender)
        log = self._lead_capture_log(
            mail, company, self.env["res.users"], "capture", "refused", trace, rule="not_a_user"
        )
        if capped:
            return
        log.explained = True
        body = self.env["ir.qweb"]._render(
            "mail_lead_capture.mail_capture_refused_sender_email",
            {"company": company, "subject": mail.subject, "name": sender_name},
        )
        self._lead_capture_send(
            company, formataddr((sender_name, sender)), mail.subject, body, mail.message_id
        )
        log._lead_capture_notify_admins(trace)

    @api.model
    def _lead_capture_explanations_capped(self, company, sender):
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
    def _lead_capture_refuse_disputed(self, message, company, sender, users):
        """Refuse mail from an address several users claim, and ask the admins to settle it."""
        trace = self.env._(
            "Refused: %(sender)s is claimed by several users (%(users)s), so it counts for none "
            "of them. An administrator should leave it to one of them (Settings > Users, Email "
            "Capture tab, or the user's email).",
            sender=sender,
            users=", ".join(users.mapped("name")),
        )
        log = self._lead_capture_log(
            capture.captured_mail(message, None),
            company,
            self.env["res.users"],
            "capture",
            "refused",
            trace,
            rule="disputed_address",
        )
        log._lead_capture_notify_admins(trace)

    @api.model
    def _lead_capture_refuse_forged(self, message, message_dict, company, mode, sender, verdict):
        """Log a mail whose sender the trusted servers disproved, and tell the admins only."""
        mail = capture.captured_mail(message, None)
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
        trace = self.env._(
            "Refused: the mail claims to come from %(sender)s, but %(why)s. Nothing was stored "
            "and nobody was answered.",
            sender=sender or message_dict.get("email_from") or "?",
            why=why,
        )
        log = self._lead_capture_log(
            mail, company, self.env["res.users"], mode, "refused", trace, rule="forged_sender"
        )
        log._lead_capture_notify_admins(trace)

    @api.model
    def _lead_capture_send(self, company, email_to, subject, body, message_id):
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
    def _lead_capture_sender(self, message_dict):
        pairs = addresses.split_addresses(message_dict.get("email_from") or "")
        return pairs[0] if pairs else ("", None)

    @api.model
    def _lead_capture_text(self, message_dict):
        from odoo.tools.mail import html2plaintext  # noqa: PLC0415

        body = message_dict.get("body") or ""
        return html2plaintext(body) if body else ""

    @api.model
    def _lead_capture_automated(self, message, forward):
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
    def _lead_capture_forward_content(self, forward, message_dict):
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
    def _lead_capture_files(self, attachments):
        """Turn gateway attachments ``(name, content[, info])`` into ``(name, bytes)`` pairs."""
        files = []
        for attachment in attachments:
            name, content = attachment[0], attachment[1]
            if isinstance(content, EmailMessage):
                content = content.as_bytes()
            elif isinstance(content, str):
                content = content.encode()
            files.append((name or "attachment", content or b""))
        return files

    @api.model
    def _lead_capture_trace(self, decision, lead, people, created, company):
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
    def _lead_capture_log(
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
            trace = self.env._(
                "Filed on a lead you do not have access to: its salesperson sees it there."
            )
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
    def _lead_capture_known_contacts(self, addresses_, company):
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
        return {
            address: Partner.browse(found[address]) for address in addresses_ if address in found
        }

    @api.model
    def _lead_capture_own_bulk(self, mail, message, rules, automated_kind):
        """``(own bulk send?, robot kind)``: a user's own newsletter or mail merge is not robot
        mail (``tools.automated.own_bulk_send``); its robot kind is dropped."""
        author = mail.author.address if mail.author else None
        if message is not None and automated.own_bulk_send(message, author, rules.user_addresses):
            return True, None
        return False, automated_kind

    @api.model
    def _lead_capture_known_contact_filing(
        self, decision, people, kept, direction, kept_addresses, no_match, values, trusted_sender
    ):
        """For mail no lead matched (``decision`` "none"; None when a person chose to create a
        lead or a lost lead matched): ``(result, no_match)``. When one of ``people`` is a known
        contact, the mail goes on that contact (``result`` False), or by the company's setting
        ``no_match`` becomes "create". Otherwise ``result`` is None and ``no_match`` unchanged.
        Mail of the incoming-mail address always makes leads."""
        if decision is None or decision.kind != "none" or kept.source == "inbound":
            return None, no_match
        contact = next(iter(self._lead_capture_known_contacts(people, kept.company).values()), None)
        if not contact:
            return None, no_match
        if kept.company.lead_capture_known_contact == "contact":
            filed = self._lead_capture_file_on_contact(
                contact, kept, direction, kept_addresses, values, trusted_sender
            )
            return filed, no_match
        return None, "create"

    @api.model
    def _lead_capture_file_on_contact(
        self, contact, kept, direction, kept_addresses, values, trusted_sender=None
    ):
        """Post the mail of ``kept`` on ``contact``, a known contact with no open lead (company
        setting "File it on the contact"). Returns False: no lead got it."""
        mail, company, owner, source = kept.mail, kept.company, kept.owner, kept.source
        author = mail.author.address if mail.author else None
        partners = self._lead_capture_partners(
            mail,
            [a for a in kept_addresses if a in (author, contact.email_normalized)],
            owner,
            company,
        )
        duplicate = self._lead_capture_duplicate(contact, mail, owner)
        if duplicate:
            trace = self.env._(
                "Already on contact %(contact)s: the same mail is not stored twice.",
                contact=contact.display_name,
            )
            self._lead_capture_log(
                mail, company, owner, source, "duplicate", trace, message=duplicate
            )
            return False
        trace = self.env._(
            "Filed on contact %(contact)s: %(address)s is a known contact with no open lead, and "
            "the company files such mail on the contact.",
            contact=contact.display_name,
            address=contact.email_normalized,
        )
        trace += self._lead_capture_trusted_note(trusted_sender, owner)
        message = self._lead_capture_post(contact, kept, direction, trace, partners, values)
        if direction == INCOMING and owner and source != "sync":
            self._lead_capture_notify_inbox(contact, message, owner)
        self._lead_capture_log(mail, company, owner, source, "captured", trace, message=message)
        return False

    @api.model
    def _lead_capture_file_bulk(self, kept, direction, people, kept_addresses, no_match, values):
        """File a user's own bulk send (``tools.automated.own_bulk_send``) on each recipient's lead.

        Each recipient is matched alone (``matching.choose_per_recipient``); one without a lead
        gets the known-contact treatment, else a new lead when the company (or, for sync,
        ``no_match``) creates leads for unknown people, else nothing: a bulk send never waits for
        review. Queries do not grow with the recipients (one matching round for all of them);
        each lead that gets the mail costs its own message. Returns the first lead's id, or False.
        """
        mail, company, owner, source = kept.mail, kept.company, kept.owner, kept.source
        sender = mail.author.name or mail.author.address  # a user: own_bulk_send says so
        leads = self._lead_capture_leads_of(people, company)
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
        known = self._lead_capture_known_contacts(unmatched, company) if unmatched else {}
        on_contact = company.lead_capture_known_contact == "contact"
        creates = no_match == "create" or (
            no_match == "default" and company.lead_capture_no_match == "create"
        )
        to_create = [
            a
            for a in unmatched
            if (a in known and not on_contact)
            or (a not in known and creates and no_match != "skip")
        ]
        matched = [a for a, d in decisions.items() if d.kind != "none"]
        partners = self._lead_capture_partners(mail, matched + to_create, owner, company)
        by_address = {partner.email_normalized: partner for partner in partners}
        first = False
        for address in people:
            decision = decisions.get(address)
            if decision is None:
                continue  # its lead gets the mail for an earlier recipient
            if decision.kind == "none" and address in known and on_contact:
                contact = known[address]
                if not self._lead_capture_duplicate(contact, mail, owner):
                    trace = self.env._(
                        "Filed on contact %(contact)s: %(user)s sent this mail in bulk (a "
                        "newsletter or mail merge), and %(address)s, one of its recipients, is a "
                        "known contact with no open lead.",
                        contact=contact.display_name,
                        user=sender,
                        address=address,
                    )
                    message = self._lead_capture_post(
                        contact, kept, direction, trace, partners, values
                    )
                    self._lead_capture_log(
                        mail, company, owner, source, "captured", trace, message=message
                    )
                continue
            partner = by_address.get(address, self.env["res.partner"])
            if decision.kind == "none":
                if address not in to_create:
                    continue
                lead = self._lead_capture_create_lead(
                    mail, direction, [address], partner, owner, company
                )
                trace = self.env._(
                    "New lead %(lead)s: %(user)s sent this mail in bulk (a newsletter or mail "
                    "merge) to %(address)s, who was on no lead.",
                    lead=lead.display_name,
                    user=sender,
                    address=address,
                )
                outcome = "created"
            else:
                lead = self.env["crm.lead"].browse(decision.lead_id)
                duplicate = self._lead_capture_duplicate(lead, mail, owner)
                if duplicate:
                    first = first or lead.id
                    continue
                if partner and partner not in lead.partner_id | lead.contact_ids:
                    lead.contact_ids = [fields.Command.link(partner.id)]
                trace = self.env._(
                    "Filed on lead %(lead)s: %(user)s sent this mail in bulk (a newsletter or mail "
                    "merge), and each recipient's lead gets it; %(address)s is one of this "
                    "lead's contacts.",
                    lead=lead.display_name,
                    user=sender,
                    address=address,
                )
                outcome = "captured"
            message = self._lead_capture_post(lead, kept, direction, trace, partner, values)
            self._lead_capture_log(mail, company, owner, source, outcome, trace, lead, message)
            first = first or lead.id
        if first is False and not (known and on_contact):
            reason = self.env._(
                "it was sent in bulk to people on no lead (%(addresses)s), and the company does "
                "not create leads for them",
                addresses=", ".join(people),
            )
            return self._lead_capture_refuse(
                kept, "queue", reason, "no_match", tell=False, queue=False
            )
        return first

    @api.model
    def _lead_capture_trusted_note(self, trusted_sender, owner):
        """The words the trace gets for mail a trusted sender sent for ``owner``."""
        if not trusted_sender:
            return ""
        return " " + self.env._(
            "Sent by %(sender)s, a trusted sender of the company without an account: filed as "
            "%(user)s's mail.",
            sender=trusted_sender,
            user=owner.name,
        )
