import psycopg2

from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LeadCaptureFilterCase


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestCaptureBlock(LeadCaptureFilterCase):
    """The block list: normalised entries, refused bad input and duplicates, CSV import, access."""

    # Normalisation and bad input -------------------------------------------------------------

    def test_entries_are_normalised_and_classified(self):
        blocks = self.Block.create(
            [
                {"entry": "  Spam.King@Globex.EXAMPLE ", "user_id": False},
                {"entry": "XN--BCHER-KVA.example", "user_id": False},
                {"entry": "*@Initech.example", "user_id": False},
                {"entry": "Sue Miller <Sue@Yahoo.com>", "user_id": False},
            ]
        )
        self.assertEqual(
            [(b.entry, b.kind) for b in blocks],
            [
                ("spam.king@globex.example", "address"),
                ("bücher.example", "domain"),
                ("initech.example", "domain"),
                ("sue@yahoo.com", "address"),
            ],
        )
        blocks[0].entry = "Globex.example"
        self.assertEqual((blocks[0].entry, blocks[0].kind), ("globex.example", "domain"))

    def test_entry_that_is_neither_address_nor_domain_is_refused_saying_what_is_expected(self):
        for text in ("not a domain", "spam", "a@globex.example, b@globex.example", "sue@", "   "):
            with self.subTest(text=text), self.assertRaises(ValidationError) as caught:
                self.Block.create({"entry": text, "user_id": False})
            self.assertIn("is neither an email address nor a domain", str(caught.exception))
            self.assertIn("someone@example.com", str(caught.exception))
        block = self.Block.create({"entry": "globex.example", "user_id": False})
        with self.assertRaisesRegex(ValidationError, "“globex” is neither"):
            block.entry = "globex"

    def test_duplicates_per_company_are_refused_after_normalisation(self):
        self.Block.create({"entry": "globex.example", "user_id": False})
        with self.assertRaisesRegex(ValidationError, "globex.example is already blocked for"):
            self.Block.create({"entry": "GLOBEX.example.", "user_id": False})
        with self.assertRaisesRegex(ValidationError, "already blocked"):
            self.Block.create(
                [
                    {"entry": "a@x.example", "user_id": False},
                    {"entry": "A@X.example", "user_id": False},
                ]
            )
        other = self.Block.create({"entry": "initech.example", "user_id": False})
        with self.assertRaisesRegex(ValidationError, "already blocked"):
            other.entry = "Globex.Example"
        # Allowed: the same entry in another company, and as someone's personal block.
        self.Block.create(
            {"entry": "globex.example", "user_id": False, "company_id": self.other_company.id}
        )
        self.Block.create({"entry": "globex.example", "user_id": self.bob.id})

    def test_duplicate_personal_blocks_are_refused_per_user(self):
        self.Block.create({"entry": "ex@yahoo.com", "user_id": self.bob.id})
        self.Block.create({"entry": "ex@yahoo.com", "user_id": self.karen.id})
        with self.assertRaisesRegex(ValidationError, "already in .*bob.*personal blocks"):
            self.Block.create({"entry": "EX@yahoo.com", "user_id": self.bob.id})

    def test_database_refuses_duplicates_that_bypass_the_orm(self):
        self.Block.create({"entry": "globex.example", "user_id": False})
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "INSERT INTO mail_capture_block (entry, kind, company_id) VALUES (%s, %s, %s)",
                ("globex.example", "domain", self.company.id),
            )

    # Import ----------------------------------------------------------------------------------

    def test_import_through_load(self):
        result = self.Block.load(
            ["entry", "note"],
            [
                ["Spam@Globex.example", "sends spam"],
                ["INITECH.example", ""],
                ["*.umbrella.example", ""],
            ],
        )
        self.assertFalse(result["messages"])
        blocks = self.Block.browse(result["ids"])
        self.assertEqual(
            blocks.mapped("entry"), ["spam@globex.example", "initech.example", "umbrella.example"]
        )
        self.assertEqual(blocks.mapped("kind"), ["address", "domain", "domain"])
        self.assertEqual(blocks.company_id, self.company)

    def test_import_through_load_reports_each_bad_row(self):
        self.Block.create({"entry": "globex.example", "user_id": False})
        result = self.Block.load(
            ["entry"], [["ok@initech.example"], ["not a domain"], ["Globex.example"]]
        )
        self.assertFalse(result["ids"], "a file with errors imports nothing")
        # Odoo first reports why the whole batch failed, then each failing row with its position.
        batch, *rows = result["messages"]
        self.assertIn("is neither an email address nor a domain", batch["message"])
        self.assertEqual(
            [(m["type"], m["rows"]["from"]) for m in rows], [("error", 1), ("error", 2)]
        )
        self.assertIn("“not a domain” is neither an email address nor a domain", rows[0]["message"])
        self.assertIn("globex.example is already blocked", rows[1]["message"])

    def test_import_csv_file_as_the_list_view_does(self):
        if "base_import.import" not in self.env:
            self.skipTest("base_import is not installed")
        csv = "Address or Domain,Note\nSpam@Globex.example,spam\nUmbrella.example,competitor\n"
        wizard = self.env["base_import.import"].create(
            {"res_model": "mail.capture.block", "file": csv.encode(), "file_type": "text/csv"}
        )
        options = {"has_headers": True, "separator": ",", "quoting": '"', "encoding": "utf-8"}
        preview = wizard.parse_preview(options)
        self.assertFalse(preview.get("error"))
        fields = ["/".join(match) for match in preview["matches"].values()]
        self.assertEqual(fields, ["entry", "note"])
        result = wizard.execute_import(fields, preview["headers"], options)
        self.assertFalse(result["messages"])
        self.assertEqual(
            self.Block.browse(result["ids"]).mapped("entry"),
            ["spam@globex.example", "umbrella.example"],
        )

    # Views -----------------------------------------------------------------------------------

    def test_form_normalises_and_menu_is_under_email_capture(self):
        with Form(self.Block.with_user(self.bob)) as form:
            form.entry = "  Ex.Partner@YAHOO.com "
        block = form.save()
        self.assertEqual(
            (block.entry, block.kind, block.user_id), ("ex.partner@yahoo.com", "address", self.bob)
        )
        menu = self.env.ref("mail_lead_capture.mail_capture_block_menu")
        self.assertEqual(
            menu.parent_id, self.env.ref("mail_lead_capture.mail_lead_capture_config_menu")
        )
        self.assertEqual(menu.action, self.env.ref("mail_lead_capture.mail_capture_block_action"))
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids())

    # Access ----------------------------------------------------------------------------------

    def test_salesperson_manages_own_personal_blocks_and_reads_company_ones(self):
        company_block = self.Block.create({"entry": "globex.example", "user_id": False})
        karens = self.Block.create({"entry": "karen-ex@yahoo.com", "user_id": self.karen.id})
        as_bob = self.Block.with_user(self.bob)

        mine = as_bob.create({"entry": "bob-ex@yahoo.com"})
        self.assertEqual(mine.user_id, self.bob, "a salesperson's new block is personal")
        mine.note = "private"
        visible = as_bob.search([])
        self.assertIn(company_block, visible)
        self.assertIn(mine, visible)
        self.assertNotIn(karens, visible, "another salesperson's personal block stays private")

        with self.assertRaises(AccessError):
            as_bob.create({"entry": "initech.example", "user_id": False})
        with self.assertRaises(AccessError):
            company_block.with_user(self.bob).note = "not mine"
        with self.assertRaises(AccessError):
            karens.with_user(self.bob).read(["entry"])
        with self.assertRaises(AccessError):
            as_bob.create({"entry": "x@yahoo.com", "user_id": self.karen.id})
        mine.unlink()

    def test_sales_manager_manages_company_blocks(self):
        as_manager = self.Block.with_user(self.manager)
        block = as_manager.create({"entry": "initech.example"})
        self.assertFalse(block.user_id, "a manager's new block is company-wide")
        block.note = "competitor"
        bobs = self.Block.create({"entry": "bob-ex@yahoo.com", "user_id": self.bob.id})
        self.assertNotIn(bobs, as_manager.search([]))
        block.unlink()

    def test_blocks_of_another_company_are_invisible(self):
        globex_block = self.Block.create(
            {"entry": "nosy.example", "user_id": False, "company_id": self.other_company.id}
        )
        self.assertNotIn(globex_block, self.Block.with_user(self.manager).search([]))
        self.assertIn(globex_block, self.Block.with_user(self.globex_user).search([]))

    def test_users_without_sales_rights_have_no_access(self):
        employee = self._user("emma", "emma@acme.com", "base.group_user")
        with self.assertRaises(AccessError):
            self.Block.with_user(employee).search([])
