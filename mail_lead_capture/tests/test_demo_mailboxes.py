from odoo.tests import HttpCase
from odoo.tests import tagged
from odoo.tools import convert_file
from odoo.tools import mute_logger

from . import demo_mailboxes
from . import dovecot_server
from .mailbox_common import SYNC_LOGGERS


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestDemoMailboxes(dovecot_server.DovecotClassMixin, HttpCase):
    """The mailboxes ``make demo`` connects: the demo data, Ines's and Marco's mail on a real
    Dovecot, connected and synced as the salespeople would; then a synced mail in the browser."""

    # The web client's assets are built by the first tour page: see LeadCaptureHttpCase.
    test_cursor_lock_timeout = 120

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        convert_file(
            cls.env, "mail_lead_capture", "demo/mail_lead_capture_demo.xml", {}, mode="init"
        )
        cls.env["ir.config_parameter"].set_param("mail_lead_capture.imap_timeout", "5")
        cls.env["ir.config_parameter"].set_param(
            demo_mailboxes.EXTRA_PORTS_PARAM, demo_mailboxes.extra_ports(cls.dovecot)
        )
        demo_mailboxes.seed(cls.dovecot)
        cls.mailboxes = cls.env["mail.capture.mailbox"]
        for demo in demo_mailboxes.MAILBOXES:
            user = cls.env["res.users"].search([("login", "=", demo.user_login)])
            cls.mailboxes |= cls.env["mail.capture.mailbox"].create(
                demo_mailboxes.mailbox_values(demo, cls.dovecot, user.id)
            )

    def connect_and_sync(self):
        """Test Connection, then Sync Now until the first import is done, as each owner."""
        for mailbox in self.mailboxes:
            result = mailbox.with_user(mailbox.user_id).action_test_connection()
            self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
            for _press in range(5):
                with self.enter_registry_test_mode(), mute_logger(*SYNC_LOGGERS):
                    mailbox.with_user(mailbox.user_id).action_sync_now()
                self.env.invalidate_all()
                if mailbox.import_progress >= 100:
                    break
            self.assertEqual((mailbox.state, mailbox.import_progress), ("connected", 100.0))

    def synced(self, xmlid):
        lead = self.env.ref(f"mail_lead_capture.{xmlid}")
        messages = self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "=", lead.id), ("message_type", "=", "email")]
        )
        return {m.message_id: m for m in messages}

    def test_demo_mail_lands_on_the_demo_leads_and_shows_in_the_chatter(self):
        self.connect_and_sync()
        ines = self.env.ref("mail_lead_capture.demo_user_ines")
        globex = self.synced("demo_lead_globex")
        ids = demo_mailboxes.message_id
        self.assertEqual(set(globex), {ids(k) for k in ("g1", "g2", "g3", "g4", "g5")})
        # Ines's mailbox is private: her mail is hers, even on Marco's lead.
        self.assertEqual(set(globex[ids("g3")].mapped("lead_capture_private_user_id")), {ines})
        sue = self.synced("demo_lead_sue")
        self.assertEqual(sue[ids("s1")].lead_capture_private_user_id, ines)
        # Marco's mailbox is shared.
        self.assertFalse(sue[ids("s2")].lead_capture_private_user_id)
        self.assertIn(ids("u4"), self.synced("demo_lead_umbrella"))
        # Marco's sent mail to a new person made a lead; Ines's (who creates none) did not.
        self.assertTrue(
            self.env["crm.lead"].search([("partner_id.email", "=", "tom@brightside.example")])
        )
        self.assertFalse(self.env["crm.lead"].search([("email_from", "ilike", "newco.example")]))
        # Robots, newsletters and colleagues stay out of the CRM.
        unfiled = [ids(k) for k in ("n1", "p1", "c1", "c2", "c3", "c4")]
        self.assertFalse(
            self.env["mail.message"].search(
                [("message_id", "in", unfiled), ("model", "=", "crm.lead")]
            )
        )
        self.start_tour(
            f"/odoo/crm.lead/{self.env.ref('mail_lead_capture.demo_lead_globex').id}",
            "mail_lead_capture_demo_synced_mail",
            login="ines",
        )
