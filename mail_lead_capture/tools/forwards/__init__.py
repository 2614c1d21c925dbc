"""Forward recovery: who wrote the mail a salesperson forwarded, to whom, when, and what.

The package's public surface is what this module exports; the modules inside are its parts:

- ``recovery``: :func:`recover_forward` and the values it returns (:class:`Forward`,
  :class:`OriginalMessage`, :class:`Attachment`), from the MIME structure down;
- ``text``: the forwarded header blocks found in lines of text (and subject prefixes);
- ``html``: an HTML body turned into those lines, and the client markers it carries;
- ``labels``: the separators, header labels, month names and zones each client writes, per language;
- ``dates``: a forwarded date as written, read into an aware UTC datetime.
"""

from .recovery import KIND_ATTACHMENT
from .recovery import KIND_INLINE
from .recovery import Attachment
from .recovery import Forward
from .recovery import Mailbox
from .recovery import OriginalMessage
from .recovery import recover_forward
from .text import strip_forward_prefixes
from .text import subject_prefixes

__all__ = [
    "KIND_ATTACHMENT",
    "KIND_INLINE",
    "Attachment",
    "Forward",
    "Mailbox",
    "OriginalMessage",
    "recover_forward",
    "strip_forward_prefixes",
    "subject_prefixes",
]
