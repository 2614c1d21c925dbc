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
        "security/mail_capture_block_security.xml",
        "security/ir.model.access.csv",
        "views/mail_capture_block_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/mail_lead_capture_demo.xml",
    ],
}
