"""Who owns an address: the fields that prove it are written only by the confirmation link or an
administrator, whatever the path a hostile colleague takes (JSON-RPC, one2many commands on their own
user, imports); an address two users claim counts for neither; the confirmation route checks the
token first and confirms only on a POST carrying Odoo's CSRF token."""

import re

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LeadCaptureHttpCase
from .test_capture import GATEWAY_LOGGERS

HTTP_LOGGERS = ("odoo.http",)


class RpcMixin:
    def rpc(self, model, method, *args, **kwargs):
        """Call ``model.method`` as the web client does, over ``/web/dataset/call_kw``."""
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assertRpcRefused(self, model, method, *args, **kwargs):
        with mute_logger(*HTTP_LOGGERS), self.assertRaises(JsonRpcException) as caught:
            self.rpc(model, method, *args, **kwargs)
        self.assertIn(
            str(caught.exception), ("odoo.exceptions.AccessError", "odoo.exceptions.UserError")
        )
        self.env.invalidate_all()


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestAddressOwnership(RpcMixin, LeadCaptureHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Address = cls.env["mail.capture.address"]
        cls.karen_home = Address.create({"user_id": cls.karen.id, "email": "karen@home.example"})
        cls.karen_home.sudo().write({"state": "verified"})
        cls.bob_pending = Address.create({"user_id": cls.bob.id, "email": "bob@side.example"})

    def setUp(self):
        super().setUp()
        self.authenticate("bob", "bob")

    def states(self):
        self.env.invalidate_all()
        return {
            a.email: (a.user_id.login, a.state)
            for a in self.env["mail.capture.address"].search([])
        }

    def test_a_user_cannot_confirm_their_own_address_over_rpc(self):
        for values in (
            {"state": "verified"},
            {"verified_date": "2026-01-01 00:00:00"},
            {"token_expiry": "2099-01-01 00:00:00"},
        ):
            with self.subTest(values=values):
                self.assertRpcRefused(
                    "mail.capture.address", "write", [self.bob_pending.id], values
                )
        self.assertRpcRefused(
            "mail.capture.address",
            "create",
            [{"email": "customer@client.example", "state": "verified"}],
        )
        self.assertEqual(self.bob_pending.state, "pending")
        self.assertNotIn("customer@client.example", self.states())
        self.assertNotIn("bob@side.example", self.bob._lead_capture_addresses())

    def test_a_user_cannot_take_a_colleagues_address_over_rpc(self):
        self.assertRpcRefused(
            "mail.capture.address", "write", [self.karen_home.id], {"user_id": self.bob.id}
        )
        self.assertRpcRefused(
            "mail.capture.address",
            "create",
            [{"email": "karen@elsewhere.example", "user_id": self.karen.id}],
        )
        self.assertRpcRefused(
            "mail.capture.address", "write", [self.bob_pending.id], {"user_id": self.karen.id}
        )
        self.assertEqual(self.karen_home.user_id, self.karen)
        self.assertEqual(self.bob_pending.user_id, self.bob)

    def test_one2many_commands_on_ones_own_user_run_with_ones_own_rights(self):
        for commands in (
            [(1, self.karen_home.id, {"user_id": self.bob.id})],  # move Karen's to me
            [(4, self.karen_home.id)],  # link Karen's to me
            [(6, 0, [self.karen_home.id, self.bob_pending.id])],
            [(2, self.karen_home.id)],  # delete Karen's
            [(3, self.karen_home.id)],
            [(1, self.bob_pending.id, {"state": "verified"})],
            [(0, 0, {"email": "customer@client.example", "state": "verified"})],
        ):
            with self.subTest(commands=commands):
                self.assertRpcRefused(
                    "res.users", "write", [self.bob.id], {"lead_capture_address_ids": commands}
                )
                self.assertEqual(
                    self.states(),
                    {
                        "karen@home.example": ("karen", "verified"),
                        "bob@side.example": ("bob", "pending"),
                    },
                )

    def test_a_user_adds_and_removes_their_own_addresses_in_their_preferences(self):
        self.rpc(
            "res.users",
            "web_save",
            [self.bob.id],
            {
                "lead_capture_address_ids": [(0, 0, {"email": "Bob@Weekend.example"})],
                "signature": "<p>Bob</p>",
            },
            specification={"lead_capture_address_ids": {"fields": {"email": {}, "state": {}}}},
        )
        self.assertEqual(self.states()["bob@weekend.example"], ("bob", "pending"))
        self.assertIn("Bob", self.bob.signature, "the other preferences are saved too")
        self.assertTrue(self.sink.sent_to("bob@weekend.example"), "the link is mailed")
        self.rpc(
            "res.users",
            "write",
            [self.bob.id],
            {"lead_capture_address_ids": [(2, self.bob_pending.id)]},
        )
        self.assertNotIn("bob@side.example", self.states())

    def test_imports_cannot_prove_an_address(self):
        result = self.rpc(
            "mail.capture.address",
            "load",
            ["email", "state"],
            [["customer@client.example", "verified"]],
        )
        self.assertTrue(result["messages"], "the import is refused")
        self.assertNotIn("customer@client.example", self.states())

    def test_an_administrator_still_moves_and_confirms_addresses(self):
        self.authenticate("admin", "admin")
        self.rpc(
            "res.users",
            "write",
            [self.bob.id],
            {"lead_capture_address_ids": [(1, self.bob_pending.id, {"state": "verified"})]},
        )
        self.assertEqual(self.states()["bob@side.example"], ("bob", "verified"))
        self.rpc("mail.capture.address", "write", [self.karen_home.id], {"user_id": self.bob.id})
        self.assertEqual(self.states()["karen@home.example"], ("bob", "verified"))

    @mute_logger(*GATEWAY_LOGGERS)
    def test_an_address_two_users_claim_counts_for_neither_and_the_log_says_so(self):
        # Karen confirmed karen@home.example; Bob makes it his email (his own email counts as his).
        self.rpc("res.users", "write", [self.bob.id], {"email": "karen@home.example"})
        self.env.invalidate_all()
        self.assertEqual(self.bob.email, "karen@home.example")
        self.assertNotIn("karen@home.example", self.company._lead_capture_user_by_address())
        raw = self.build_mail(sender="karen@home.example", to="yan@client.example")
        self.assertFalse(self.deliver(raw, envelope_to=self.capture_address))
        log = self.last_log()
        self.assertEqual((log.outcome, log.rule, log.user_id.id), ("refused", "disputed_address", False))
        self.assertIn("claimed by several users", log.trace)
        self.assertIn(self.bob.name, log.trace)
        self.assertIn(self.karen.name, log.trace)
        self.assertFalse(self.env["crm.lead"].search([("email_from", "=", "yan@client.example")]))


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestConfirmationRoute(LeadCaptureHttpCase):
    """The link mailed to an alternate address, opened with no Odoo session."""

    def setUp(self):
        super().setUp()
        self.address = (
            self.env["mail.capture.address"].with_user(self.bob).create({"email": "bob@cafe.example"})
        )
        html = (
            self.sink.sent_to("bob@cafe.example")[0]
            .message.get_body(preferencelist=("html",))
            .get_content()
        )
        self.link = re.search(r'href="[^"]*(/mail_lead_capture/confirm/[^"]+)"', html).group(1)

    def test_a_wrong_token_learns_nothing_about_the_address(self):
        for address_id in (self.address.id, 999999):
            page = self.url_open(f"/mail_lead_capture/confirm/{address_id}/not-the-token")
            self.assertIn("This link is not valid", page.text)
            self.assertNotIn("bob@cafe.example", page.text)
        self.address.sudo().state = "verified"
        page = self.url_open(f"/mail_lead_capture/confirm/{self.address.id}/not-the-token")
        self.assertNotIn("Already confirmed", page.text)
        self.assertNotIn("bob@cafe.example", page.text)

    def test_get_and_head_only_show_a_button(self):
        self.assertEqual(self.url_open(self.link, method="HEAD").status_code, 200)
        page = self.url_open(self.link)
        self.assertIn("Confirm this address", page.text)
        self.assertIn("bob@cafe.example", page.text)
        self.assertIn('method="post"', page.text)
        self.env.invalidate_all()
        self.assertEqual(self.address.state, "pending")

    def test_a_post_without_odoos_csrf_token_confirms_nothing(self):
        self.url_open(self.link)  # the session the page was shown in
        with mute_logger(*HTTP_LOGGERS):
            self.assertEqual(self.url_open(self.link, data={"x": "1"}).status_code, 400)
            page = self.url_open(self.link, data={"csrf_token": "forged"})
        self.assertEqual(page.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.address.state, "pending")

    def test_the_button_confirms_once(self):
        page = self.url_open(self.link)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        page = self.url_open(self.link, data={"csrf_token": csrf})
        self.assertIn("Address confirmed", page.text)
        self.env.invalidate_all()
        self.assertEqual(self.address.state, "verified")
        self.assertIn("bob@cafe.example", self.bob._lead_capture_addresses())
        page = self.url_open(self.link, data={"csrf_token": csrf})
        self.assertIn("Already confirmed", page.text)
