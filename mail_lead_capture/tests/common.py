"""Shared setup of the filter tests: Close's company acme.com with its users Bob and Karen."""

from odoo.tests import TransactionCase, new_test_user


class LeadCaptureFilterCase(TransactionCase):
    """Company acme.com (alias domain and company email), Bob (bob@acme.com), Karen (karen@gmail.com).

    Bob and Karen are salespeople; Sue, who is not a user, writes from sue@acme.com and
    sue@yahoo.com. A second company, Globex, has its own user and blocks.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "alias_domain_id": cls.env["mail.alias.domain"].create({"name": "acme.com"}).id,
                "email": "info@acme.com",
                "lead_capture_extra_domains": False,
            }
        )
        cls.other_company = cls.env["res.company"].create(
            {"name": "Globex", "email": "info@globex.example"}
        )
        cls.bob = cls._user("bob", "bob@acme.com", "sales_team.group_sale_salesman")
        cls.karen = cls._user("karen", "karen@gmail.com", "sales_team.group_sale_salesman")
        cls.manager = cls._user("mia", "mia@acme.com", "sales_team.group_sale_manager")
        cls.globex_user = new_test_user(
            cls.env,
            login="gus",
            email="gus@gus-home.example",
            groups="sales_team.group_sale_salesman",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        cls.Block = cls.env["mail.capture.block"]

    @classmethod
    def _user(cls, login, email, group):
        return new_test_user(
            cls.env,
            login=login,
            email=email,
            groups=group,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
