import logging
from xmlrpc.client import Binary

import psycopg2

from odoo import api
from odoo import models
from odoo.exceptions import AccessError

from ..tools import addresses
from ..tools import automated
from ..tools import envelope
from ..tools import raw_mail

_logger = logging.getLogger(__name__)

# The custom values key that marks the route of an incoming mail server capturing every mail.
ARCHIVE_ROUTE_KEY = "lead_capture_fetchmail_server_id"
# The custom values key of a capture alias's route: (alias id, company id, mode), read once when
# the route is made, so that the loop check and the processing need not look the alias up again.
CAPTURE_ROUTE_KEY = "lead_capture_alias_company"
# Robot mail that no route turns into a lead (item of tools.automated). Mailing-list, bulk and
# no-reply senders still reach a sales team's alias: web forms and sign-up services send so.
ROBOT_KINDS = frozenset(
    {automated.BOUNCE, automated.RECEIPT, automated.AUTO_REPLY, automated.AUTO_GENERATED}
)

CAPTURE_MESSAGE_FIELDS = {
    "lead_capture_trace",
    "lead_capture_direction",
    "lead_capture_fingerprint",
    "lead_capture_private_user_id",
    "lead_capture_location_ids",
}


class MailThread(models.AbstractModel):
    """Route mail addressed to a capture alias to the capture engine.

    Odoo's gateway parses the mail, drops repeats of a known Message-Id and runs its loop checks;
    then, instead of ``message_new``/``message_update``, every route whose alias is a company's
    capture alias goes to ``mail.capture.engine``. Routing also reads the envelope headers Odoo
    ignores (X-Original-To, Envelope-To, Received-for...), so BCC copies reach the alias however
    the mail server records their envelope recipient.
    """

    _inherit = "mail.thread"

    # ------------------------------------------------------------
    # GATEWAY
    # ------------------------------------------------------------

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        # Keep the bytes as received: mail that cannot be filed is kept whole for its owner.
        raw = bytes(message.data) if isinstance(message, Binary) else message
        if isinstance(raw, str):
            raw = raw.encode()
        if not self._lead_capture_is_gateway():
            # Not the gateway: nothing is kept nor logged for it, and capture routes refuse it
            # (_lead_capture_check_gateway); other aliases behave as in Odoo.
            return super().message_process(
                model,
                message,
                custom_values=custom_values,
                save_original=save_original,
                strip_attachments=strip_attachments,
                thread_id=thread_id,
            )
        oversized = raw_mail.oversized_header(raw)
        if oversized:
            kept = self._lead_capture_keep_unread(raw, oversized=oversized)
            if kept is not None:
                return kept
        repeat = self._lead_capture_known_message(raw)
        this = self.with_context(lead_capture_raw=raw)
        try:
            with self.env.cr.savepoint():
                result = super(MailThread, this).message_process(
                    model,
                    raw_mail.without_header_nul(raw),
                    custom_values=custom_values,
                    save_original=save_original,
                    strip_attachments=strip_attachments,
                    thread_id=thread_id,
                )
        except psycopg2.OperationalError:
            raise  # a lock or serialization conflict: the mail server retries, and that is right
        except Exception as error:  # mail for a capture address is never raised back
            kept = self._lead_capture_keep_unread(raw, error=error)
            if kept is None:
                raise
            return kept
        if repeat and not result:
            self._lead_capture_log_repeat(raw, repeat)
        # Odoo's loop checks return None, which XML-RPC cannot carry back to the mailgate: the
        # mail server would then bounce a reply to our explanation as an "internal software error"
        return False if result is None else result

    @api.model
    def _lead_capture_keep_unread(self, raw, error=None, oversized=None):
        """Keep ``raw`` for review when it is for a capture alias, unread (``oversized``: the
        ``(field, size)`` over the cap) or because Odoo's parser or the engine raised ``error``.

        Returns False when it was kept, None when the mail is not for a capture alias.
        """
        if error is not None:
            _logger.warning(
                "Mail for a capture address could not be processed; kept raw", exc_info=error
            )
            detail = f"{type(error).__name__}: {error}"[:300]
            rule = "unreadable_mail"
            reason = self.env["mail.capture.trace"]._refusal(rule, error=detail)
        else:
            field, size = oversized
            limit = raw_mail.MAX_FIELD_BYTES if field else raw_mail.MAX_HEADER_BYTES
            rule = "oversized_header"
            reason = self.env["mail.capture.trace"]._refusal(
                rule, field=field, size=size // 1024, limit=limit // 1024
            )
        with self.env.cr.savepoint():
            return self.env["mail.capture.engine"].sudo()._keep_raw(raw, reason, rule)

    @api.model
    def _lead_capture_known_message(self, raw):
        """The message already holding the Message-Id of ``raw``, if any (Odoo drops such mail)."""
        message_id = raw_mail.light_message(raw).get("message-id")
        if not message_id:
            return None
        return (
            self.env["mail.message"].sudo().search([("message_id", "=", message_id)], limit=1)
            or None
        )

    @api.model
    def _lead_capture_log_repeat(self, raw, existing):
        """Log a repeat of a known Message-Id for a capture alias: Odoo drops it before routing."""
        self.env["mail.capture.engine"].sudo()._lead_capture_log_repeat(raw, existing)

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        try:
            routes = super().message_route(
                message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
            )
        except ValueError:
            capture_routes = self._lead_capture_capture_routes(message, message_dict)
            if not capture_routes:
                raise
            return capture_routes
        if message_dict.get("is_bounce"):
            return routes
        capture_routes = self._lead_capture_capture_routes(message, message_dict)
        if not capture_routes or not (routes or self._lead_capture_is_archive(capture_routes[0])):
            return self._lead_capture_without_robot_leads(message, message_dict, routes)
        # One mail, one lead: the capture engine files the mail itself (following replies to
        # their lead), so a reply or fallback route without alias, or another alias that would
        # make a lead of it (a sales team's, as a visible recipient), would file it a second time.
        # An archive mailbox's mail also keeps its replies to other documents (a quotation...):
        # Odoo keeps one mail per Message-Id, so a later copy through the catchall is dropped.
        archive = self._lead_capture_is_archive(capture_routes[0])
        known = {route[4] for route in capture_routes}
        kept = [
            route
            for route in routes
            if (route[4] or (archive and route[0] != "crm.lead"))
            and route[4] not in known
            and not self._lead_capture_makes_lead(route)
        ]
        return kept + capture_routes

    @api.model
    def _lead_capture_capture_routes(self, message, message_dict):
        """The capture routes of a mail: its capture aliases, else its archive mailbox's."""
        routes = self._lead_capture_envelope_routes(message, message_dict)
        if routes:
            return routes
        server = self.env["fetchmail.server"]._lead_capture_processing()
        if not server:
            return []
        return [
            ("crm.lead", 0, {ARCHIVE_ROUTE_KEY: server.id}, self.env.uid, self.env["mail.alias"])
        ]

    @api.model
    def _lead_capture_is_archive(self, route):
        return isinstance(route[2], dict) and ARCHIVE_ROUTE_KEY in route[2]

    @api.model
    def _lead_capture_makes_lead(self, route):
        """True when Odoo's ``route`` would create a lead (an alias or fallback of crm.lead)."""
        return route[0] == "crm.lead" and not route[1]

    @api.model
    def _lead_capture_without_robot_leads(self, message, message_dict, routes):
        """Drop the routes that would make a lead of robot mail (an out-of-office reply to a sales
        team's alias...): robot mail never becomes a lead, through no route. Replies to an
        existing record are kept."""
        if not routes or not any(self._lead_capture_makes_lead(route) for route in routes):
            return routes
        kind = automated.automated_kind(message)
        if kind not in ROBOT_KINDS:
            return routes
        _logger.info(
            "Robot mail (%s) from %s with Message-Id %s: no lead is made of it",
            kind,
            message_dict.get("email_from"),
            message_dict.get("message_id"),
        )
        return [route for route in routes if not self._lead_capture_makes_lead(route)]

    @api.model
    def _lead_capture_envelope_routes(self, message, message_dict):
        """Return one route per capture alias among the envelope and visible recipients."""
        recipients = envelope.envelope_recipients(message)
        recipients += [
            address
            for _name, address in addresses.split_addresses(message_dict.get("recipients") or "")
        ]
        if not recipients:
            return []
        variants = set().union(*(addresses.address_variants(address) for address in recipients))
        Company = self.env["res.company"]
        if not Company._lead_capture_is_capture_address(variants):
            return []  # mail for other aliases (Odoo's own): no query of ours
        aliases = self.env["mail.alias"].sudo().search([("alias_full_name", "in", list(variants))])
        routes = []
        for alias in aliases:
            company, mode = Company._lead_capture_company_of_alias(alias)
            if mode:
                mark = {CAPTURE_ROUTE_KEY: (alias.id, company.id, mode)}
                routes.append(("crm.lead", 0, mark, self.env.uid, alias))
        return routes

    @api.model
    def _detect_loop_sender(self, message, message_dict, routes):
        # A salesperson may BCC dozens of mails an hour; senders who are not users are answered
        # (at most once a day each) by the capture engine itself.
        other_routes = [route for route in routes or () if not self._lead_capture_is_route(route)]
        if not other_routes:
            return False
        return super()._detect_loop_sender(message, message_dict, other_routes)

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        capture_routes = [route for route in routes if self._lead_capture_is_route(route)]
        if not capture_routes:
            return super()._message_route_process(message, message_dict, routes)
        self._lead_capture_check_gateway()
        thread_id = False
        Engine = self.env["mail.capture.engine"].sudo()
        for route in capture_routes:
            if self._lead_capture_is_archive(route):
                server = self.env["fetchmail.server"].sudo().browse(route[2][ARCHIVE_ROUTE_KEY])
                thread_id = server._lead_capture_file_mail(message, dict(message_dict)) or thread_id
                continue
            alias = route[4]
            company, mode = self._lead_capture_route_company(route)
            thread_id = (
                Engine._capture_gateway_mail(message, dict(message_dict), company, mode)
                or thread_id
            )
            if alias.alias_status != "valid":
                alias.sudo().alias_status = "valid"
        other_routes = [route for route in routes if route not in capture_routes]
        if other_routes:
            thread_id = super()._message_route_process(message, message_dict, other_routes)
        return thread_id

    @api.model
    def _lead_capture_is_gateway(self):
        """True when mail is delivered by the gateway: the superuser (incoming mail servers,
        the mailgate as uid 1) or an administrator (the mailgate logged in as one)."""
        return self.env.su or self.env.user._is_system()

    @api.model
    def _lead_capture_check_gateway(self):
        """Refuse capture unless the mail comes through the gateway.

        The engine files mail as superuser, in a sender's name: only what delivers mail may start
        it. Odoo's mailgate script and incoming mail servers (their scheduled action) run as the
        superuser, or as the administrator the mailgate logs in as; anyone else calling the
        public ``message_process`` over RPC is refused.
        """
        if self._lead_capture_is_gateway():
            return
        _logger.warning(
            "User %s (id %s) called message_process on a capture address: refused",
            self.env.user.login,
            self.env.uid,
        )
        raise AccessError(
            self.env._(
                "Only the mail gateway (Odoo's mailgate script or an incoming mail server) and "
                "administrators may deliver mail to the capture address. Send the mail to it "
                "from your mail client instead."
            )
        )

    @api.model
    def _lead_capture_is_route(self, route):
        if self._lead_capture_is_archive(route):
            return True
        return bool(self._lead_capture_route_company(route)[1])

    @api.model
    def _lead_capture_route_company(self, route):
        """``(company, mode)`` of a route's capture alias (``res.company``'s
        ``_lead_capture_company_of_alias``): from the route's mark when
        :meth:`_lead_capture_envelope_routes` made it, else looked up."""
        alias = route[4] if len(route) > 4 else None
        Company = self.env["res.company"]
        if not alias:
            return Company, None
        mark = route[2].get(CAPTURE_ROUTE_KEY) if isinstance(route[2], dict) else None
        if mark and mark[0] == alias.id:
            return Company.sudo().browse(mark[1]), mark[2]
        return Company._lead_capture_company_of_alias(alias)

    def _get_message_create_valid_field_names(self):
        return super()._get_message_create_valid_field_names() | CAPTURE_MESSAGE_FIELDS
