"""What the sign-in bridges' controllers do after a provider's consent page.

Each bridge subclasses its Odoo provider controller (``google_gmail``, ``microsoft_outlook``) and
calls these helpers from its overrides of the callback's last step and of the redirect.
"""

MAILBOX = "mail.capture.mailbox"


def signed_in(record, code):
    """Odoo's callback stored the tokens of provider ``code`` on ``record``: a synced mailbox
    connects at once."""
    if record._name == MAILBOX:
        record._signed_in(code)


def redirect_url(record):
    """The mailbox's form for a synced mailbox, else None (Odoo's own redirect)."""
    if record._name == MAILBOX:
        return f"/odoo/{MAILBOX}/{record.id}"
    return None
