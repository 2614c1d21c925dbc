"""Only the mail gateway starts capture, and only the company's internal users read its address."""

from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LeadCaptureHttpCase
from .test_capture import GATEWAY_LOGGERS


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestGatewayTrust(LeadCaptureHttpCase):
    """Eve is an employee without CRM rights, Pat a portal user, Gus a user of Globex."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eve = new_test_user(
            cls.env, login="eve", email="eve@acme.example", groups="base.group_user"
        )
        cls.pat = new_test_user(
            cls.env, login="pat", email="pat@client.example", groups="base.group_portal"
        )
        cls.globex = cls.env["res.company"].create(
            {
                "name": "Globex",
                "alias_domain_id": cls.env["mail.alias.domain"]
                .create({"name": "globex.example"})
                .id,
            }
        )
        cls.gus = new_test_user(
            cls.env,
            login="gus",
            email="gus@globex.example",
            groups="sales_team.group_sale_salesman",
            company_id=cls.globex.id,
            company_ids=[(6, 0, cls.globex.ids)],
        )

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def forged_bcc(self, subject):
        """A mail 'from' Bob to a new customer, addressed to the capture address."""
        return (
            f"Delivered-To: {self.capture_address}\r\n".encode()
            + self.build_mail(
                sender=f"{self.bob.name} <{self.bob.email}>",
                to="Ivy Quinn <ivy@client.example>",
                subject=subject,
            )
        ).decode()

    def ivy_leads(self):
        return self.env["crm.lead"].search(
            [("partner_id.email_normalized", "=", "ivy@client.example")]
        )

    # ------------------------------------------------------------
    # message_process OVER RPC
    # ------------------------------------------------------------

    @mute_logger(*GATEWAY_LOGGERS, "odoo.http", "odoo.addons.mail_lead_capture.models.mail_thread")
    def test_an_rpc_caller_cannot_have_unreadable_mail_kept_for_review(self):
        """Mail the gateway would keep raw (oversized headers, a parser error) is kept only when
        the gateway delivers it: an employee's RPC call keeps nothing in anyone's queue."""
        Unmatched = self.env["mail.capture.unmatched"].sudo()
        before = Unmatched.search_count([])
        oversized = self.forged_bcc("oversized by eve").replace(
            "Subject:", "X-Padding: " + "x" * (70 * 1024) + "\r\nSubject:", 1
        )
        self.authenticate("eve", "eve")
        with self.assertRaises(JsonRpcException):
            self.call_kw("mail.thread", "message_process", [False, oversized])
        self.assertEqual(Unmatched.search_count([]), before, "nothing kept for review")
        self.assertFalse(
            self.env["mail.capture.log"].search([("rule", "=", "oversized_header")]),
            "nothing logged in anyone's name",
        )

    @mute_logger(*GATEWAY_LOGGERS, "odoo.http", "odoo.addons.mail_lead_capture.models.mail_thread")
    def test_an_rpc_caller_who_is_not_the_gateway_cannot_file_mail(self):
        for login in ("eve", "bob"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                with self.assertRaises(JsonRpcException):
                    self.call_kw(
                        "mail.thread", "message_process", [False, self.forged_bcc(f"by {login}")]
                    )
                self.assertFalse(self.ivy_leads(), "no lead, no message in Bob's name")
                self.assertFalse(
                    self.env["mail.capture.log"].search([("subject", "=", f"by {login}")])
                )

    @mute_logger(*GATEWAY_LOGGERS)
    def test_an_administrator_may_deliver_mail_as_the_mailgate_does(self):
        self.authenticate("admin", "admin")
        self.call_kw("mail.thread", "message_process", [False, self.forged_bcc("by admin")])
        self.assertEqual(self.lead_messages(self.ivy_leads()).subject, "by admin")

    # ------------------------------------------------------------
    # WHO READS THE CAPTURE ADDRESS
    # ------------------------------------------------------------

    def test_a_portal_user_cannot_read_the_capture_address(self):
        self.authenticate("pat", "pat")
        with self.assertRaises(JsonRpcException):
            self.call_kw("res.company", "read", [self.company.ids, ["lead_capture_email"]])
        # Their own user record is read as superuser (self-readable field): empty for them.
        own = self.call_kw("res.users", "read", [self.pat.ids, ["lead_capture_email"]])
        self.assertFalse(own[0]["lead_capture_email"])
        # What the portal user may read of their company does not include it.
        rows = self.call_kw("res.company", "read", [self.company.ids, ["name"]])
        self.assertEqual(rows[0]["name"], "Acme")

    def test_a_user_of_another_company_cannot_read_the_capture_address(self):
        self.authenticate("gus", "gus")
        rows = self.call_kw("res.users", "read", [self.bob.ids, ["lead_capture_email"]])
        self.assertFalse(rows[0]["lead_capture_email"])
        aliases = self.call_kw("mail.alias", "search_read", [[], ["alias_full_name"]])
        self.assertNotIn(self.capture_address, str(aliases))
        # Globex's own address is his to read.
        own = self.call_kw("res.users", "read", [self.gus.ids, ["lead_capture_email"]])
        self.assertTrue(self.globex.lead_capture_email)
        self.assertEqual(own[0]["lead_capture_email"], self.globex.lead_capture_email)

    def test_the_companys_users_read_the_capture_address(self):
        self.authenticate("eve", "eve")
        own = self.call_kw("res.users", "read", [self.eve.ids, ["lead_capture_email"]])
        self.assertEqual(own[0]["lead_capture_email"], self.capture_address)
        rows = self.call_kw("res.company", "read", [self.company.ids, ["lead_capture_email"]])
        self.assertEqual(rows[0]["lead_capture_email"], self.capture_address)
