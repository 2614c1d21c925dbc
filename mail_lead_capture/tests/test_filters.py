from email import message_from_bytes

from odoo.tests import tagged

from ..tools import automated
from ..tools import filters
from .common import LeadCaptureFilterCase

OUT_OF_OFFICE = b"""\
From: Sue Miller <sue@yahoo.com>
To: Bob <bob@acme.com>
Subject: Automatic reply: your quote
Auto-Submitted: auto-replied
Message-ID: <ooo-test-1@yahoo.com>

I am away until Monday.
"""


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestFilterRules(LeadCaptureFilterCase):
    """Each privacy and noise rule, from the company's records to the filters' decision."""

    def _screen(self, participants, user=None, message=None):
        rules = self.company._lead_capture_filter_rules(user)
        kind = automated.automated_kind(message) if message is not None else None
        return filters.screen(participants, rules, automated=kind)

    def test_close_table(self):
        # Close's documentation: company acme.com; Bob (bob@acme.com) and Karen (karen@gmail.com)
        # are users; Sue is not a user and writes from sue@acme.com and sue@yahoo.com.
        company_domain = self._screen(["bob@acme.com", "sue@acme.com"], user=self.bob)
        self.assertEqual(company_domain.screened, filters.INTERNAL, "Bob -> sue@acme.com")
        self.assertEqual(
            [(e.address, e.rule) for e in company_domain.excluded],
            [("bob@acme.com", filters.USER), ("sue@acme.com", filters.COMPANY_DOMAIN)],
        )

        outside = self._screen(["bob@acme.com", "sue@yahoo.com"], user=self.bob)
        self.assertIsNone(outside.screened, "Bob -> sue@yahoo.com is captured")
        self.assertEqual(outside.kept, ("sue@yahoo.com",))

        colleagues = self._screen(["bob@acme.com", "karen@gmail.com"], user=self.bob)
        self.assertEqual(colleagues.screened, filters.INTERNAL, "Bob -> karen@gmail.com")
        self.assertEqual({e.rule for e in colleagues.excluded}, {filters.USER})

    # Rule 1 ---------------------------------------------------------------------------------

    def test_rule1_company_domains_alias_email_extra_and_subdomains(self):
        self.company.write(
            {"email": "hello@acme-mail.example", "lead_capture_extra_domains": "acme-group.example"}
        )
        rules = self.company._lead_capture_filter_rules()
        self.assertEqual(
            rules.company_domains, {"acme.com", "acme-mail.example", "acme-group.example"}
        )
        result = filters.screen(
            ["sue@acme.com", "x@acme-mail.example", "y@eu.acme-group.example"], rules
        )
        self.assertEqual(result.screened, filters.INTERNAL)
        self.assertEqual(
            [e.detail for e in result.excluded],
            ["acme.com", "acme-mail.example", "acme-group.example"],
        )

    def test_rule1_public_webmail_is_never_a_company_domain(self):
        self.company.write(
            {"email": "acme.shop@gmail.com", "lead_capture_extra_domains": "yahoo.com"}
        )
        result = self._screen(["bob@acme.com", "stranger@gmail.com", "sue@yahoo.com"])
        self.assertEqual(result.kept, ("stranger@gmail.com", "sue@yahoo.com"))

    # Rule 2 ---------------------------------------------------------------------------------

    def test_rule2_every_address_of_every_internal_user_of_the_company(self):
        self.karen.login = "Karen.Work@Karen-Consulting.example"
        rules = self.company._lead_capture_filter_rules()
        self.assertLessEqual(
            {"bob@acme.com", "karen@gmail.com", "karen.work@karen-consulting.example"},
            rules.user_addresses,
        )
        self.assertEqual(
            self.karen._lead_capture_addresses(),
            frozenset({"karen@gmail.com", "karen.work@karen-consulting.example"}),
        )
        self.assertEqual(self.bob._lead_capture_addresses(), frozenset({"bob@acme.com"}))

    def test_rule2_other_companies_portal_and_archived_users_are_not_colleagues(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Pete",
                "login": "pete@customer.example",
                "email": "pete@customer.example",
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        former = self._user("fred", "fred@fred-home.example", "base.group_user")
        former.active = False
        rules = self.company._lead_capture_filter_rules()
        for address in ("gus@gus-home.example", "pete@customer.example", "fred@fred-home.example"):
            self.assertNotIn(address, rules.user_addresses)
        self.assertIn(
            "gus@gus-home.example", self.other_company._lead_capture_filter_rules().user_addresses
        )
        self.assertTrue(portal.share)

    # Rule 3 ---------------------------------------------------------------------------------

    def test_rule3_company_blocks_and_pipedrive_rule(self):
        self.Block.create(
            [
                {"entry": "spam@globex.example", "user_id": False},
                {"entry": "initech.example", "user_id": False},
            ]
        )
        blocked = self._screen(["bob@acme.com", "spam@globex.example", "bill@mail.initech.example"])
        self.assertEqual(blocked.screened, filters.BLOCKED)
        self.assertEqual(
            [(e.address, e.rule, e.detail) for e in blocked.excluded[1:]],
            [
                ("spam@globex.example", filters.BLOCKED_ADDRESS, "spam@globex.example"),
                ("bill@mail.initech.example", filters.BLOCKED_DOMAIN, "initech.example"),
            ],
        )
        # One real outside participant: the mail is captured and only that address counts.
        mixed = self._screen(["spam@globex.example", "hank@globex.example", "bill@initech.example"])
        self.assertIsNone(mixed.screened)
        self.assertEqual(mixed.kept, ("hank@globex.example",))

    def test_rule3_personal_blocks_apply_to_their_owner_only(self):
        self.Block.create({"entry": "Ex.Partner@Yahoo.com", "user_id": self.bob.id})
        self.Block.create(
            {"entry": "nosy.example", "user_id": False, "company_id": self.other_company.id}
        )
        self.assertEqual(
            self._screen(["ex.partner@yahoo.com"], user=self.bob).screened, filters.BLOCKED
        )
        self.assertIsNone(self._screen(["ex.partner@yahoo.com"], user=self.karen).screened)
        self.assertIsNone(self._screen(["ex.partner@yahoo.com"]).screened)
        # Another company's blocks do not apply here.
        self.assertIsNone(self._screen(["a@nosy.example"], user=self.bob).screened)
        other = self.other_company._lead_capture_filter_rules(self.globex_user)
        self.assertEqual(other.blocked_domains, frozenset({"nosy.example"}))

    def test_rule3_rules_load_blocks_in_a_constant_number_of_queries(self):
        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rules = self.company._lead_capture_filter_rules(self.bob)
            return self.env.cr.sql_log_count - before, rules

        self.Block.create([{"entry": f"few{i}.example", "user_id": False} for i in range(3)])
        few, rules = count_queries()
        self.assertEqual(len(rules.blocked_domains), 3)
        self.Block.create([{"entry": f"m{i}@many.example", "user_id": False} for i in range(400)])
        self.Block.create(
            [{"entry": f"p{i}@bob.example", "user_id": self.bob.id} for i in range(100)]
        )
        many, rules = count_queries()
        self.assertEqual(len(rules.blocked_addresses), 500)
        self.assertEqual(many, few, "loading the blocks must not cost one query per record")

    # Rule 4 ---------------------------------------------------------------------------------

    def test_rule4_automated_mail_is_screened_even_with_outside_participants(self):
        result = self._screen(
            ["sue@yahoo.com", "bob@acme.com"],
            user=self.bob,
            message=message_from_bytes(OUT_OF_OFFICE),
        )
        self.assertEqual(result.screened, filters.SCREENED_AUTOMATED)
        self.assertEqual(result.automated, automated.AUTO_REPLY)
        self.assertEqual(
            self.env["mail.capture.trace"]._screening(result),
            "Not captured: it is an out-of-office or automatic reply.",
        )

    # Rule 5 ---------------------------------------------------------------------------------

    def test_rule5_every_screening_is_said_in_words(self):
        self.Block.create({"entry": "initech.example", "user_id": False})
        sentence = self.env["mail.capture.trace"]._screening
        self.assertEqual(
            sentence(self._screen(["bob@acme.com", "sue@acme.com"])),
            "Not captured: every participant is a colleague or on a company domain "
            "(bob@acme.com (a user), sue@acme.com (company domain acme.com)).",
        )
        self.assertEqual(
            sentence(self._screen(["bob@acme.com", "bill@initech.example"])),
            "Not captured: every outside participant is blocked "
            "(bob@acme.com (a user), bill@initech.example (blocked domain initech.example)).",
        )
        self.assertEqual(
            sentence(self._screen([])), "Not captured: it names no valid email address."
        )
        self.assertEqual(
            sentence(self._screen(["bob@acme.com", "sue@yahoo.com"])),
            "Captured for sue@yahoo.com; left out: bob@acme.com (a user).",
        )
        for kind in automated.KINDS:
            text = sentence(filters.screen(["sue@yahoo.com"], filters.FilterRules(), kind))
            self.assertTrue(text.startswith("Not captured: "), kind)
        self.assertEqual(
            len({sentence(filters.screen([], filters.FilterRules(), k)) for k in automated.KINDS}),
            len(automated.KINDS),
            "each robot kind has its own sentence",
        )
