{
    "name": "Mail Lead Capture",
    "summary": "Forward, BCC or sync your email and it lands on the right CRM lead",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "mail_lead_capture developers",
    "website": "https://github.com/mail-lead-capture/mail_lead_capture",
    "depends": ["crm", "mail"],
    "external_dependencies": {"python": ["imapclient", "lxml"]},
    "data": [
        "security/mail_lead_capture_security.xml",
        "security/mail_capture_block_security.xml",
        "security/ir.model.access.csv",
        "data/mail_lead_capture_data.xml",
        "data/mail_templates.xml",
        "wizard/mail_capture_unmatched_link_views.xml",
        "views/crm_lead_views.xml",
        "views/mail_capture_address_views.xml",
        "views/mail_capture_block_views.xml",
        "views/mail_capture_log_views.xml",
        "views/mail_capture_unmatched_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "mail_lead_capture/static/src/**/*",
        ],
        "web.assets_tests": [
            "mail_lead_capture/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/mail_lead_capture_demo.xml",
    ],
}
