"""Mail a mailbox's sync left alone, counted by reason: one definition for the folder and the mailbox.

Not a model. Each reason is a pair of fields: a folder's own count (``skipped_<reason>``, written by
the sync with the checkpoint that goes past the mail, see ``mailbox_sync_pass``) and the mailbox's
sum over its folders (same name, computed). :func:`folder_count` and :func:`mailbox_total` build
them from :data:`SKIP_REASONS`, so that labels and help are written once; the fields are still
declared one per line in each class body, where Odoo (and a reader) finds them.
"""

from odoo import fields

# (reason, label, help): the field is ``skipped_<reason>``. The folder's label reads "Skipped: ..."
# (a column among the folder's others), the mailbox's the label alone (under "Mail Left Alone").
SKIP_REASONS = (
    (
        "no_contact",
        "No Known Contact",
        "Mail sync left alone: no participant is on a lead, and it answers no filed mail.",
    ),
    (
        "robot",
        "Robot Mail",
        "Mail sync left alone: auto-replies, bounces, newsletters, no-reply senders.",
    ),
    (
        "colleagues",
        "Between Colleagues",
        "Mail sync left alone: only the company's own users and domains take part.",
    ),
    (
        "blocked",
        "Blocked",
        "Mail sync left alone: every outside participant is blocked.",
    ),
)
SKIP_FIELDS = tuple(f"skipped_{reason}" for reason, _label, _help in SKIP_REASONS)
_BY_REASON = {reason: (label, help_) for reason, label, help_ in SKIP_REASONS}


def folder_count(reason: str) -> fields.Integer:
    """The folder's count of mail left alone for ``reason`` (written by the sync only)."""
    label, help_ = _BY_REASON[reason]
    return fields.Integer(string=f"Skipped: {label}", readonly=True, help=help_)


def mailbox_total(reason: str) -> fields.Integer:
    """The mailbox's count for ``reason``: the sum over its folders (``_compute_skipped``)."""
    label, help_ = _BY_REASON[reason]
    return fields.Integer(string=label, compute="_compute_skipped", help=help_)
