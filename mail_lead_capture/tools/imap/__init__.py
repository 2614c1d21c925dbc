"""Mailbox sync over IMAP: the adapter that talks to the server, and the protocol that drives it.

The package's public surface is what this module exports; the modules inside are its parts:

- ``session``: :class:`ImapSession`, the only code of the addon that talks to an IMAP server;
- ``presets``: connection presets of the common providers, and which one an address belongs to;
- ``folders``: each folder's role (Inbox, Sent, Trash, All Mail...) and the folders a pass reads;
- ``summaries``: what a mail's header says, read before its body is downloaded;
- ``sync``: where each folder's sync stands (checkpoints), what its next pass does (plans), and the
  driver that reads it in UID batches.
"""

from . import folders
from .folders import *  # noqa: F403  (its __all__, listed once there)
from .presets import GENERIC
from .presets import PRESETS
from .presets import SMTP_SUBMISSION
from .presets import ImapPreset
from .presets import preset_for_address
from .presets import preset_selection
from .session import DEFAULT_TIMEOUT
from .session import ERROR_KINDS
from .session import NEEDS_USER_ACTION
from .session import SECURITIES
from .session import Credentials
from .session import FetchedBody
from .session import FetchedHeader
from .session import Folder
from .session import FolderStatus
from .session import ImapError
from .session import ImapSession
from .session import classify_exception
from .session import classify_login_failure
from .session import fetch_certificate_fingerprint
from .session import security_allowed
from .summaries import SYNC_HEADER_FIELDS
from .summaries import HeaderSummary
from .summaries import summarize_header
from .sync import DEFAULT_BATCH_SIZE
from .sync import DEFAULT_BODY_CHUNK_BYTES
from .sync import INCREMENTAL
from .sync import INITIAL
from .sync import RESCAN
from .sync import UP_TO_DATE
from .sync import Checkpoint
from .sync import FolderPlan
from .sync import HeaderBatch
from .sync import HeaderMessage
from .sync import PassResult
from .sync import history_batches
from .sync import iter_batches
from .sync import messages_at
from .sync import plan_folder
from .sync import plan_pass
from .sync import sync_folder

__all__ = [
    *folders.__all__,
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_BODY_CHUNK_BYTES",
    "DEFAULT_TIMEOUT",
    "ERROR_KINDS",
    "GENERIC",
    "INCREMENTAL",
    "INITIAL",
    "NEEDS_USER_ACTION",
    "PRESETS",
    "RESCAN",
    "SECURITIES",
    "SMTP_SUBMISSION",
    "SYNC_HEADER_FIELDS",
    "UP_TO_DATE",
    "Checkpoint",
    "Credentials",
    "FetchedBody",
    "FetchedHeader",
    "Folder",
    "FolderPlan",
    "FolderStatus",
    "HeaderBatch",
    "HeaderMessage",
    "HeaderSummary",
    "ImapError",
    "ImapPreset",
    "ImapSession",
    "PassResult",
    "classify_exception",
    "classify_login_failure",
    "fetch_certificate_fingerprint",
    "history_batches",
    "iter_batches",
    "messages_at",
    "plan_folder",
    "plan_pass",
    "preset_for_address",
    "preset_selection",
    "security_allowed",
    "summarize_header",
    "sync_folder",
]
