from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lead_capture_extra_domains = fields.Char(
        related="company_id.lead_capture_extra_domains",
        readonly=False,
    )
    lead_capture_email = fields.Char(related="company_id.lead_capture_email")
    lead_capture_inbound = fields.Boolean(
        related="company_id.lead_capture_inbound",
        readonly=False,
    )
    lead_capture_inbound_email = fields.Char(related="company_id.lead_capture_inbound_email")
    lead_capture_no_match = fields.Selection(
        related="company_id.lead_capture_no_match",
        readonly=False,
    )
    lead_capture_multi_match = fields.Selection(
        related="company_id.lead_capture_multi_match",
        readonly=False,
    )
    lead_capture_lost = fields.Selection(
        related="company_id.lead_capture_lost",
        readonly=False,
    )
    lead_capture_known_contact = fields.Selection(
        related="company_id.lead_capture_known_contact",
        readonly=False,
    )
    lead_capture_trusted_sender_count = fields.Integer(
        compute="_compute_lead_capture_trusted_sender_count"
    )
    lead_capture_authserv_ids = fields.Char(
        related="company_id.lead_capture_authserv_ids",
        readonly=False,
    )
    lead_capture_auth_strict = fields.Boolean(
        related="company_id.lead_capture_auth_strict",
        readonly=False,
    )
    lead_capture_max_attachment_mb = fields.Integer(
        string="Largest Attachment (MB)",
        config_parameter="mail_lead_capture.max_attachment_mb",
        default=25,
        help="Mail with a larger attachment is not filed: it waits in its owner's Unmatched Mail and "
        "the sender is told why.",
    )
    lead_capture_imap_extra_ports = fields.Char(
        string="Other IMAP Ports",
        config_parameter="mail_lead_capture.imap_extra_ports",
        help="Synced mailboxes connect only to IMAP's ports, 993 and 143, and to the ports listed "
        "here (e.g. 1143, 10993-10999): a mail server of yours listening elsewhere.",
    )
    lead_capture_sync_jobs = fields.Integer(
        string="Sync Jobs",
        help='How many copies of the scheduled action "Email Capture: sync mailboxes" run: each '
        "one lets one more Odoo cron worker sync mailboxes at the same time. Give your servers "
        "at least as many cron workers (--max-cron-threads) in all.",
    )
    lead_capture_sync_parallel = fields.Integer(
        string="Mailboxes at Once per Job",
        config_parameter="mail_lead_capture.sync_parallel",
        default=50,
        help="How many mailboxes each sync job connects to and checks at the same time. 1 checks "
        "them one after another.",
    )
    lead_capture_host_connections = fields.Integer(
        string="Connections per Mail Server",
        config_parameter="mail_lead_capture.host_connections",
        default=50,
        help="The most connections to one mail server at a time, from all sync jobs, Odoo servers "
        "and the INBOX watcher of this database together (the watcher: half, by default). "
        "Providers' own limits per account (Gmail: 15) are kept too.",
    )
    lead_capture_has_alias_domain = fields.Boolean(compute="_compute_lead_capture_has_alias_domain")

    @api.constrains("lead_capture_sync_jobs", "lead_capture_sync_parallel")
    def _check_lead_capture_sync_capacity(self):
        for settings in self:
            if settings.lead_capture_sync_jobs > 32 or settings.lead_capture_sync_parallel > 500:
                raise ValidationError(
                    self.env._(
                        "At most 32 sync jobs and 500 mailboxes at once per job: more would "
                        "exhaust the database's connections or the server's threads. Lower them."
                    )
                )

    @api.model
    def get_values(self):
        res = super().get_values()
        crons = self.env["mail.capture.mailbox"]._sync_crons()
        res["lead_capture_sync_jobs"] = len(crons.filtered("active")) or 1
        return res

    def set_values(self):
        res = super().set_values()
        if self.env.user.has_group("base.group_system"):
            self.env["mail.capture.mailbox"].sudo()._set_sync_jobs(self.lead_capture_sync_jobs)
        return res

    def _compute_lead_capture_has_alias_domain(self):
        for settings in self:
            settings.lead_capture_has_alias_domain = bool(settings.company_id.alias_domain_id)

    def _compute_lead_capture_trusted_sender_count(self):
        Trusted = self.env["mail.capture.trusted.sender"]
        can_read = Trusted.has_access("read")
        for settings in self:
            settings.lead_capture_trusted_sender_count = (
                Trusted.search_count([("company_id", "=", settings.company_id.id)])
                if can_read
                else 0
            )

    def action_lead_capture_trusted_senders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mail_lead_capture.mail_capture_trusted_sender_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        action["context"] = {"default_company_id": self.company_id.id}
        return action

    def action_lead_capture_regenerate_alias(self):
        self.ensure_one()
        self.company_id.action_lead_capture_regenerate_alias()
        return {"type": "ir.actions.client", "tag": "reload"}
