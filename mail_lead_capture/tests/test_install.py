import importlib.util
from pathlib import Path

from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestInstall(TransactionCase):
    """The addon's models, settings and menus are loaded in a real database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.alias_domain = cls.env["mail.alias.domain"].create({"name": "acme.example"})
        cls.company.write({"alias_domain_id": cls.alias_domain.id, "email": "info@acme.example"})

    def test_settings_view_shows_company_domains(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        block = etree.fromstring(arch).xpath("//block[@name='mail_lead_capture_setting_container']")
        self.assertTrue(block, "the Email Capture block is missing from the CRM settings")
        self.assertTrue(block[0].xpath(".//field[@name='lead_capture_extra_domains']"))

    def test_settings_write_company_domains(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.lead_capture_extra_domains = "Acme-Group.EXAMPLE;  xn--bcher-kva.example"
        settings.save().execute()
        self.assertEqual(
            self.company.lead_capture_extra_domains, "acme-group.example, bücher.example"
        )

    def test_company_domains_exclude_public_mail_providers(self):
        self.company.lead_capture_extra_domains = "acme-group.example, gmail.com"
        self.assertEqual(
            self.company._lead_capture_company_domains(),
            frozenset({"acme.example", "acme-group.example"}),
        )
        self.company.email = "acme.shop@gmail.com"
        self.assertEqual(
            self.company._lead_capture_company_domains(),
            frozenset({"acme.example", "acme-group.example"}),
        )

    def test_invalid_company_domain_is_refused_with_its_name(self):
        with self.assertRaisesRegex(ValidationError, "not-a-domain"):
            self.company.lead_capture_extra_domains = "acme-group.example, not-a-domain"

    def test_configuration_menu_is_under_crm(self):
        menu = self.env.ref("mail_lead_capture.mail_lead_capture_config_menu")
        self.assertEqual(menu.parent_id, self.env.ref("crm.crm_menu_config"))

    def test_french_translation_covers_menus_and_messages(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["mail_lead_capture"], ["fr_FR"])
        menu = self.env.ref("mail_lead_capture.mail_capture_unmatched_menu")
        self.assertEqual(menu.with_context(lang="fr_FR").name, "E-mails non classés")
        french = self.env(context={"lang": "fr_FR"})
        sentence = french._(
            "%(host)s did not answer in time: check the port and the security, or try "
            "again later if the server is busy.",
            host="imap.example.com",
        )
        self.assertTrue(sentence.startswith("imap.example.com n'a pas répondu à temps"), sentence)

    def test_upgrade_from_1_0_hides_private_decisions_from_managers(self):
        """An upgrade does not rewrite noupdate rules: the migration to 19.0.1.1.0 narrows the
        sales managers' Capture Log rule that an earlier version installed."""
        rule = self.env.ref("mail_lead_capture.mail_capture_log_rule_manager")
        fresh_domain = rule.domain_force
        rule.domain_force = "[(1, '=', 1)]"  # as 19.0.1.0.0 installed it
        path = Path(__file__).parents[1] / "migrations" / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("mlc_migration_19_0_1_1_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.0.0")
        rule.invalidate_recordset()
        self.assertEqual(rule.domain_force, fresh_domain)
        self.assertIn("private_user_id", rule.domain_force)
