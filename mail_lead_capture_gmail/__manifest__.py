{
    "name": "Mail Lead Capture: Sign in with Google",
    "summary": "Synced mailboxes sign in with Google (OAuth, XOAUTH2) through Odoo's Gmail module",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "mail_lead_capture developers",
    "website": "https://github.com/mail-lead-capture/mail_lead_capture",
    "depends": ["mail_lead_capture", "google_gmail"],
    "data": [
        "views/mail_capture_mailbox_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "mail_lead_capture_gmail/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
