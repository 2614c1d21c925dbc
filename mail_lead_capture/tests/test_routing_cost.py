"""What capture costs the mail it does not capture, through Odoo's real routing.

Every mail the gateway routes passes through our routing hook: mail for Odoo's own aliases (a
sales team's) must not pay for it in queries. The capture aliases of every company are read once
(``res.company._lead_capture_alias_table``, an ormcache) and that table must follow every change
of a capture address: a regenerated alias, a renamed alias domain, the incoming-mail address
switched on.
"""

import email
import email.policy

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail_lead_capture.models.mail_thread import MailThread as CaptureMailThread
from odoo.addons.mail_lead_capture.tools import filing as filings

from .common import LeadCaptureCase
from .test_capture import GATEWAY_LOGGERS


def without_capture(thread):
    """``thread`` as Odoo's routing sees it without our hook (the classes after ours)."""
    return super(CaptureMailThread, thread)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestRoutingCost(LeadCaptureCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create(
            {"name": "Direct sales", "alias_name": "sales-direct", "use_leads": True}
        )
        cls.team_address = cls.team.alias_id.alias_full_name
        cls.Thread = cls.env["mail.thread"].sudo()

    def queries(self, call):
        """``call()``'s result and the SQL queries it made, from a cold record cache."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = call()
        return result, self.env.cr.sql_log_count - before

    def parsed(self, raw):
        message = email.message_from_bytes(raw, policy=email.policy.SMTP)
        return message, self.Thread.message_parse(message)

    def test_mail_for_a_team_alias_costs_no_query_of_ours(self):
        message, message_dict = self.parsed(
            self.build_mail(
                sender="Olga <olga@client.example>", to=self.team_address, subject="Prices?"
            )
        )
        stock = without_capture(self.Thread)
        self.Thread.message_route(message, dict(message_dict))  # warm every cache once
        stock_routes, stock_queries = self.queries(
            lambda: stock.message_route(message, dict(message_dict))
        )
        routes, our_queries = self.queries(
            lambda: self.Thread.message_route(message, dict(message_dict))
        )
        self.assertEqual(routes, stock_routes, "Odoo's own routes, untouched")
        self.assertEqual(routes[0][4].alias_full_name, self.team_address)
        self.assertEqual(our_queries, stock_queries, "no query of ours for Odoo's own alias")
        # the checks the gateway makes on every route afterwards (loop sender, processing)
        captures, route_queries = self.queries(
            lambda: [self.Thread._lead_capture_is_route(route) for route in routes]
        )
        self.assertFalse(any(captures))
        self.assertEqual(route_queries, 0)

    def test_a_capture_route_reads_no_company(self):
        raw = self.build_mail(sender=self.bob.email, to="sue@customer.example")
        message, message_dict = self.parsed(
            f"Delivered-To: {self.capture_address}\r\n".encode() + raw
        )
        self.Thread.message_route(message, dict(message_dict))  # warm
        routes, _queries = self.queries(
            lambda: self.Thread.message_route(message, dict(message_dict))
        )
        self.assertEqual(len(routes), 1)
        # its company and mode come from the table, with no query
        company_mode, queries = self.queries(
            lambda: self.env["res.company"]._lead_capture_company_of_alias(routes[0][4])
        )
        self.assertEqual(company_mode, (self.company, "capture"))
        self.assertEqual(queries, 0)

    def captured(self, address, subject):
        """Deliver a mail from Bob to ``address``: the id of the lead it went on (or raise)."""
        raw = self.build_mail(sender=self.bob.email, to="sue@customer.example", subject=subject)
        with mute_logger(*GATEWAY_LOGGERS):
            return self.deliver(raw, envelope_to=address)

    def test_the_table_follows_every_change_of_a_capture_address(self):
        self.assertTrue(self.captured(self.capture_address, "Before"))  # the table is read
        # a regenerated alias: the new address captures, the old one is gone
        old = self.capture_address
        self.company.action_lead_capture_regenerate_alias()
        self.assertTrue(self.captured(self.company.lead_capture_email, "Regenerated"))
        with mute_logger(*GATEWAY_LOGGERS), self.assertRaises(ValueError):
            self.captured(old, "Old address")
        # a renamed alias domain: the capture address moves with it
        self.alias_domain.name = "acme-renamed.example"
        self.assertTrue(self.company.lead_capture_email.endswith("@acme-renamed.example"))
        self.assertTrue(self.captured(self.company.lead_capture_email, "Renamed domain"))
        # the incoming-mail address, switched on then off
        self.company.lead_capture_inbound = True
        inbound = self.company.lead_capture_inbound_email
        raw = self.build_mail(sender="Olga <olga@client.example>", to=inbound, subject="Inbound")
        with mute_logger(*GATEWAY_LOGGERS):
            self.assertTrue(self.deliver(raw))
        self.company.lead_capture_inbound = False
        names = self.env["res.company"]._lead_capture_alias_table()[1]
        self.assertIn(self.company.lead_capture_email, names)
        self.assertNotIn(inbound, names)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestAuthorLookup(LeadCaptureCase):
    """The author of a posted mail who is a user: found without reading every user's addresses
    when the filing's rules and owner answer (the synced Sent folder: every mail is the owner's)."""

    def test_the_author_is_found_from_the_rules_and_the_owner(self):
        Engine = self.env["mail.capture.engine"].sudo()
        rules = self.company._lead_capture_filter_rules(self.bob)
        filing = filings.Filing(self.company.id, self.bob.id, "capture", rules=rules)
        no_rules = filings.Filing(self.company.id, self.bob.id, "capture")
        for address in ("bob@acme.example", "karen@gmail.com", "sue@customer.example"):
            expected = self.company._lead_capture_user_by_address().get(
                address, self.env["res.users"]
            )
            self.assertEqual(Engine._author_user(self.company, filing, address), expected)
            self.assertEqual(Engine._author_user(self.company, no_rules, address), expected)
        everyone, all_users = self.queries(
            lambda: self.company._lead_capture_user_by_address().get("bob@acme.example")
        )
        self.assertEqual(everyone, self.bob)
        owner, owner_queries = self.queries(
            lambda: Engine._author_user(self.company, filing, "bob@acme.example")
        )
        self.assertEqual(owner, self.bob)
        self.assertLess(owner_queries, all_users, "the owner's addresses only")
        # the owner's row, their alternate addresses' ids and rows; whatever the number of users
        self.assertLessEqual(owner_queries, 3)
        stranger, stranger_queries = self.queries(
            lambda: Engine._author_user(self.company, filing, "sue@customer.example")
        )
        self.assertFalse(stranger)
        self.assertEqual(stranger_queries, 0, "an address no user claims: no query")

    def queries(self, call):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = call()
        return result, self.env.cr.sql_log_count - before
