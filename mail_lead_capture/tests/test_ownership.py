"""Who owns an address: the fields that prove it are written only by the confirmation link or an
administrator, whatever the path a hostile colleague takes (JSON-RPC, one2many commands on their own
user, imports); an address two users claim counts for neither; the confirmation route checks the
token first and confirms only on a POST carrying Odoo's CSRF token."""

import re

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from . import dovecot_server
from .common import LeadCaptureCase
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

    def bobs_mailbox_over_rpc(self, password="x"):
        """Log in as Bob and create his mailbox over JSON-RPC; its id."""
        self.authenticate("bob", "bob")
        return self.rpc(
            "mail.capture.mailbox",
            "create",
            [{"email": "bob@acme.example", "host": "imap.acme.example", "password": password}],
        )[0]

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
            a.email: (a.user_id.login, a.state) for a in self.env["mail.capture.address"].search([])
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
        self.assertEqual(
            (log.outcome, log.rule, log.user_id.id), ("refused", "disputed_address", False)
        )
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
            self.env["mail.capture.address"]
            .with_user(self.bob)
            .create({"email": "bob@cafe.example"})
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


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestBlocksAndCompanies(RpcMixin, LeadCaptureHttpCase):
    """Blocks and mailboxes belong to one of their owner's companies; a refused block tells
    nothing about a colleague's blocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.globex = cls.env["res.company"].create({"name": "Globex"})
        cls.karens_block = cls.env["mail.capture.block"].create(
            {"entry": "rival.example", "user_id": cls.karen.id, "company_id": cls.company.id}
        )

    def setUp(self):
        super().setUp()
        self.authenticate("bob", "bob")

    def rpc_error(self, model, method, *args, **kwargs):
        """The error the web client would show for this call (its class and message)."""
        with mute_logger(*HTTP_LOGGERS):
            response = self.url_open(
                "/web/dataset/call_kw",
                json={
                    "id": 0,
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": list(args),
                        "kwargs": kwargs,
                    },
                },
            ).json()
        self.assertIn("error", response, "the call was refused")
        self.env.invalidate_all()
        return response["error"]["data"]["name"], response["error"]["data"]["message"]

    def test_a_refused_personal_block_says_nothing_of_a_colleagues_blocks(self):
        for values in (
            {"entry": "rival.example", "user_id": self.karen.id},
            {"entry": "Rival.Example", "user_id": self.karen.id},
        ):
            with self.subTest(values=values):
                name, message = self.rpc_error("mail.capture.block", "create", [values])
                self.assertEqual(name, "odoo.exceptions.AccessError")
                self.assertNotIn(self.karen.name, message)
                self.assertNotIn("already", message)
        mine = self.rpc("mail.capture.block", "create", [{"entry": "other.example"}])
        name, message = self.rpc_error(
            "mail.capture.block",
            "write",
            mine,
            {"entry": "rival.example", "user_id": self.karen.id},
        )
        self.assertEqual(name, "odoo.exceptions.AccessError")
        self.assertNotIn(self.karen.name, message)

    def test_blocks_stay_in_their_owners_companies(self):
        mine = self.rpc("mail.capture.block", "create", [{"entry": "noise.example"}])
        name, _message = self.rpc_error(
            "mail.capture.block", "write", mine, {"company_id": self.globex.id}
        )
        self.assertIn(name, ("odoo.exceptions.AccessError", "odoo.exceptions.ValidationError"))
        self.assertEqual(self.env["mail.capture.block"].browse(mine).company_id, self.company)
        self.assertRpcRefused(
            "mail.capture.block",
            "create",
            [{"entry": "noise2.example", "company_id": self.globex.id}],
        )
        with self.assertRaisesRegex(ValidationError, "does not work for"):
            self.env["mail.capture.block"].create(
                {"entry": "x.example", "user_id": self.bob.id, "company_id": self.globex.id}
            )

    def test_a_mailbox_stays_in_its_owners_companies(self):
        mailbox = self.rpc(
            "mail.capture.mailbox",
            "create",
            [{"email": "bob@acme.example", "host": "imap.acme.example", "password": "x"}],
        )
        name, message = self.rpc_error(
            "mail.capture.mailbox", "write", mailbox, {"company_id": self.globex.id}
        )
        self.assertEqual(name, "odoo.exceptions.ValidationError")
        self.assertIn("does not work for", message)
        self.assertEqual(self.env["mail.capture.mailbox"].browse(mailbox).company_id, self.company)
        name, _message = self.rpc_error(
            "mail.capture.mailbox",
            "create",
            [
                {
                    "email": "bob2@acme.example",
                    "host": "imap.acme.example",
                    "company_id": self.globex.id,
                }
            ],
        )
        self.assertEqual(name, "odoo.exceptions.ValidationError")


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxPasswordOverRpc(RpcMixin, LeadCaptureHttpCase):
    """The stored IMAP password is write-only for every client, its owner's included."""

    SECRET = "S3cret-Imap-Passw0rd"

    def setUp(self):
        super().setUp()
        self.mailbox_id = self.bobs_mailbox_over_rpc(self.SECRET)

    def test_nothing_reads_the_password_back(self):
        ids = [self.mailbox_id]
        answers = [
            self.rpc("mail.capture.mailbox", "read", ids, ["password", "password_set"]),
            self.rpc("mail.capture.mailbox", "search_read", [("id", "in", ids)], ["password"]),
            self.rpc(
                "mail.capture.mailbox",
                "web_read",
                ids,
                specification={"password": {}, "password_set": {}},
            ),
            self.rpc(
                "mail.capture.mailbox",
                "web_save",
                ids,
                {"password": "N3w-" + self.SECRET},
                specification={"password": {}, "password_set": {}},
            ),
        ]
        self.assertNotIn(self.SECRET, repr(answers))
        self.assertEqual(answers[0][0]["password_set"], True, "the form shows one is set")
        self.assertEqual(answers[3][0]["password"], False)
        for method, args, kwargs in (
            ("read", [ids, ["imap_password"]], {}),
            ("search_read", [[("imap_password", "!=", False)], ["id"]], {}),
            ("search", [[("imap_password", "=like", "S3%")]], {}),
            ("formatted_read_group", [[]], {"groupby": ["imap_password"]}),
            ("formatted_read_group", [[]], {"aggregates": ["imap_password:array_agg"]}),
            ("export_data", [ids, ["password"]], {}),
        ):
            with self.subTest(method=method, args=args, kwargs=kwargs):
                self.assertRpcRefused("mail.capture.mailbox", method, *args, **kwargs)
        self.assertEqual(
            self.env["mail.capture.mailbox"].browse(self.mailbox_id).sudo().imap_password,
            "N3w-" + self.SECRET,
            "the new password was stored",
        )


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxSyncStateOverRpc(RpcMixin, LeadCaptureHttpCase):
    """A mailbox's sync state (claims, next sync, errors, health) is the sync's own: its owner
    cannot set it over JSON-RPC to stop or fake their mailbox's sync; an administrator can."""

    FAR = "2099-01-01 00:00:00"

    def setUp(self):
        super().setUp()
        self.mailbox_id = self.bobs_mailbox_over_rpc()
        self.mailbox = self.env["mail.capture.mailbox"].browse(self.mailbox_id)
        # as a Test Connection that worked leaves it: due for its first pass
        self.mailbox.sudo().write({"state": "connected"})

    def sync_state(self):
        self.env.invalidate_all()
        mailbox = self.mailbox.sudo()
        return {name: mailbox[name] for name in ("state", "next_sync", "retry_date")} | {
            "claim": (mailbox.sync_claim_pid, mailbox.sync_claim_until),
            "error_count": mailbox.error_count,
            "stalled": mailbox.stalled,
        }

    def test_the_owner_cannot_claim_or_postpone_their_mailboxs_sync(self):
        before = self.sync_state()
        Mailbox = self.env["mail.capture.mailbox"]
        self.assertIn(self.mailbox, Mailbox.search(Mailbox._due_domain()))
        for values in (
            {"sync_claim_pid": 1, "sync_claim_until": self.FAR},
            {"sync_claim_until": self.FAR},
            {"next_sync": self.FAR},
            {"retry_date": self.FAR},
            {"state": "draft"},
            {"state": "connected", "last_error": "All good", "error_count": 0},
            {"stalled": True, "trouble_since": "2026-01-01 00:00:00", "trouble_notified": True},
            {"last_sync": self.FAR, "last_mail_date": self.FAR, "mail_rhythm": 1000.0},
            {"direction": "two_way", "next_sync": self.FAR},  # not even beside a setting
        ):
            with self.subTest(values=values):
                self.assertRpcRefused("mail.capture.mailbox", "write", [self.mailbox_id], values)
                self.assertRpcRefused(
                    "mail.capture.mailbox",
                    "web_save",
                    [self.mailbox_id],
                    values,
                    specification={"state": {}},
                )
                self.assertEqual(self.sync_state(), before)
        self.assertRpcRefused(
            "mail.capture.mailbox",
            "create",
            [
                {
                    "email": "bob.two@acme.example",
                    "host": "imap.acme.example",
                    "state": "connected",
                    "sync_claim_until": self.FAR,
                }
            ],
        )
        self.assertEqual(Mailbox.search_count([("email", "=", "bob.two@acme.example")]), 0)
        self.assertIn(self.mailbox, Mailbox.search(Mailbox._due_domain()), "still due")

    def test_the_refusal_says_which_fields_and_what_to_do(self):
        with mute_logger(*HTTP_LOGGERS):
            response = self.url_open(
                "/web/dataset/call_kw",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "mail.capture.mailbox",
                        "method": "write",
                        "args": [[self.mailbox_id], {"sync_claim_until": self.FAR}],
                        "kwargs": {},
                    },
                },
            ).json()
        self.assertEqual(response["error"]["data"]["name"], "odoo.exceptions.UserError")
        message = response["error"]["data"]["message"]
        self.assertIn("Only the sync changes", message)
        self.assertIn("Sync Claim Until", message)
        self.assertIn("Sync Now", message)

    def test_the_owner_still_edits_settings_and_an_administrator_the_sync_state(self):
        self.rpc("mail.capture.mailbox", "write", [self.mailbox_id], {"direction": "two_way"})
        self.assertEqual(self.mailbox.direction, "two_way")
        self.authenticate("admin", "admin")
        self.rpc("mail.capture.mailbox", "write", [self.mailbox_id], {"next_sync": False})
        self.rpc("mail.capture.mailbox", "write", [self.mailbox_id], {"retry_date": self.FAR})
        self.env.invalidate_all()
        self.assertTrue(self.mailbox.retry_date)


class BannerServer(dovecot_server._Listener):
    """Not an IMAP server: greets with its software's banner, as an SSH server does."""

    BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"

    def handle(self, connection):
        connection.sendall(self.BANNER)
        connection.close()


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestConnectionIsNoScanner(RpcMixin, LeadCaptureHttpCase):
    """Test Connection, as any employee can click it over JSON-RPC."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("mail_lead_capture.imap_timeout", "2")
        self.mailbox = (
            self.env["mail.capture.mailbox"]
            .with_user(self.bob)
            .create(
                {
                    "email": self.bob.email,
                    "host": "127.0.0.1",
                    "security": "none",
                    "password": "x",
                    "port": dovecot_server.free_port(),
                }
            )
        )
        self.authenticate("bob", "bob")

    def click_test_connection(self):
        with mute_logger("odoo.addons.mail_lead_capture.models.mail_capture_mailbox"):
            result = self.rpc("mail.capture.mailbox", "action_test_connection", [self.mailbox.id])
        self.env.invalidate_all()
        return result

    def test_only_imap_ports_and_those_an_administrator_allows(self):
        with dovecot_server.SilentServer() as server:
            self.mailbox.port = server.port
            self.assertRpcRefused(
                "mail.capture.mailbox", "action_test_connection", [self.mailbox.id]
            )
            self.assertRpcRefused("mail.capture.mailbox", "action_fetch_folders", [self.mailbox.id])
            self.assertFalse(server._connections, "nothing was connected to")
            self.env["ir.config_parameter"].set_param(
                "mail_lead_capture.imap_extra_ports", f"1143, {server.port - 1}-{server.port + 1}"
            )
            result = self.click_test_connection()
            self.assertEqual(result["params"]["type"], "danger")
            self.assertEqual(len(server._connections), 1, "an allowed port is connected to")

    def test_a_servers_banner_is_never_echoed(self):
        with BannerServer() as server:
            self.env["ir.config_parameter"].set_param(
                "mail_lead_capture.imap_extra_ports", str(server.port)
            )
            self.mailbox.port = server.port
            result = self.click_test_connection()
        self.assertEqual(result["params"]["type"], "danger")
        for text in (result["params"]["message"], self.mailbox.last_error):
            self.assertNotIn("OpenSSH", text)
            self.assertNotIn("SSH-2.0", text)

    def test_attempts_are_rate_limited_per_user(self):
        # a server that answers and refuses the login: a refused connection would back the
        # server off for everyone after the first click (test_mailbox_backoff), and the next
        # clicks would be refused before they count
        with dovecot_server.ScriptedLoginServer("[AUTHENTICATIONFAILED] Invalid") as server:
            self.mailbox.port = server.port
            self.env["ir.config_parameter"].set_param(
                "mail_lead_capture.imap_extra_ports", str(self.mailbox.port)
            )
            self.env["ir.config_parameter"].set_param("mail_lead_capture.connection_attempts", "3")
            for _attempt in range(3):
                self.assertEqual(self.click_test_connection()["params"]["type"], "danger")
            self.assertRpcRefused(
                "mail.capture.mailbox", "action_test_connection", [self.mailbox.id]
            )
            self.assertRpcRefused("mail.capture.mailbox", "action_fetch_folders", [self.mailbox.id])
            # Karen's attempts are her own
            karens = self.mailbox.sudo().copy({"user_id": self.karen.id, "email": self.karen.email})
            self.authenticate("karen", "karen")
            with mute_logger("odoo.addons.mail_lead_capture.models.mail_capture_mailbox"):
                result = self.rpc("mail.capture.mailbox", "action_test_connection", [karens.id])
            self.assertEqual(result["params"]["type"], "danger")


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestRefusalExplanationsAreCapped(LeadCaptureCase):
    """Forged senders to the capture address, through the real gateway."""

    def refuse(self, sender):
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertFalse(self.deliver(self.build_mail(sender=sender, to=self.capture_address)))

    def explained(self, senders):
        return [sender for sender in senders if self.sink.sent_to(sender)]

    def admin_notices(self):
        return self.env["mail.message"].search_count(
            [
                ("model", "=", "mail.capture.log"),
                ("partner_ids", "in", self.admin.partner_id.ids),
            ]
        )

    def test_a_few_explanations_per_sender_domain_a_day(self):
        senders = [f"forged{n}@evil.example" for n in range(6)]
        for sender in senders:
            self.refuse(sender)
        self.assertEqual(self.explained(senders), senders[:3])
        self.assertEqual(self.admin_notices(), 3)
        self.refuse("someone@elsewhere.example")
        self.assertEqual(
            self.explained(["someone@elsewhere.example"]), ["someone@elsewhere.example"]
        )
        logs = self.env["mail.capture.log"].search([("rule", "=", "not_a_user")])
        self.assertEqual(len(logs), 7, "every refusal is still logged")

    def test_some_explanations_per_company_a_day(self):
        senders = [f"someone@domain{n}.example" for n in range(25)]
        for sender in senders:
            self.refuse(sender)
        self.assertEqual(self.explained(senders), senders[:20])
        self.assertEqual(self.admin_notices(), 20)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestPasswordUpgrade(LeadCaptureCase):
    def test_a_password_stored_before_the_upgrade_moves_to_the_write_only_field(self):
        Mailbox = self.env["mail.capture.mailbox"]
        mailbox = Mailbox.create({"email": "bob@acme.example", "user_id": self.bob.id})
        self.env.flush_all()
        # the column as an earlier version stored it
        self.env.cr.execute("ALTER TABLE mail_capture_mailbox ADD COLUMN password varchar")
        self.env.cr.execute(
            "UPDATE mail_capture_mailbox SET password = 'old-secret' WHERE id = %s", [mailbox.id]
        )
        Mailbox.init()
        self.env.invalidate_all()
        self.assertEqual(mailbox.sudo().imap_password, "old-secret")
        self.assertTrue(mailbox.password_set)
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'mail_capture_mailbox' AND column_name = 'password'"
        )
        self.assertFalse(self.env.cr.fetchall(), "no copy of the password is left behind")


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestServerBackoffOverRpc(RpcMixin, LeadCaptureHttpCase):
    """The back-offs every worker shares are the administrator's: a salesperson who could clear
    one would send every worker back to a server that asked them all to wait."""

    def test_a_salesperson_cannot_read_set_or_clear_a_back_off(self):
        Backoff = self.env["mail.capture.server.backoff"]
        held = Backoff.create(
            {
                "name": "host:imap.acme.example:993",
                "scope": "host",
                "until": "2099-01-01",
                "delay": 5,
            }
        )
        self.authenticate("bob", "bob")
        self.assertRpcRefused("mail.capture.server.backoff", "search_read", [], ["name"])
        self.assertRpcRefused("mail.capture.server.backoff", "unlink", [held.id])
        self.assertRpcRefused(
            "mail.capture.server.backoff",
            "create",
            {"name": "host:x:993", "scope": "host", "until": "2099-01-01", "delay": 600},
        )
        self.assertRpcRefused(
            "mail.capture.server.backoff", "write", [held.id], {"until": "2000-01-01"}
        )
        self.assertEqual(Backoff.search([]).mapped("name"), ["host:imap.acme.example:993"])
        self.assertEqual(str(held.until.year), "2099")
