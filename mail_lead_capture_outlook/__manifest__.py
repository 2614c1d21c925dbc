{
    "name": "Mail Lead Capture: Sign in with Microsoft",
    "summary": "Synced mailboxes sign in with Microsoft 365 (OAuth) through Odoo's Outlook module",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "mail_lead_capture developers",
    "website": "https://github.com/mail-lead-capture/mail_lead_capture",
    "depends": ["mail_lead_capture", "microsoft_outlook"],
    "data": [
        "views/mail_capture_mailbox_views.xml",
    ],
    "auto_install": True,
}
