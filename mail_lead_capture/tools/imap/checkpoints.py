"""Where a folder's sync stands, and what the next pass does in it.

:class:`Checkpoint`: per folder ``(uidvalidity, last_uid, highestmodseq)``. ``last_uid`` means "every
message with a UID up to this one is handled (stored and committed, or judged not worth storing)".
:func:`plan_folder` / :func:`plan_pass`: a new UIDVALIDITY, or a server whose UIDNEXT went
backwards, plans a ``rescan`` from UID 1: the caller de-duplicates by
:attr:`~.summaries.HeaderSummary.dedupe_key` (the Message-Id). A folder with nothing new is told by
one STATUS command; a server that only renumbered its UIDs is recognised by the anchor mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace

from .session import FolderStatus
from .session import ImapSession
from .summaries import SYNC_HEADER_FIELDS
from .summaries import summarize_header

__all__ = [
    "INCREMENTAL",
    "INITIAL",
    "RESCAN",
    "UP_TO_DATE",
    "Checkpoint",
    "FolderPlan",
    "adopted_checkpoint",
    "plan_folder",
    "plan_pass",
]

UP_TO_DATE = "up_to_date"
INITIAL = "initial"
INCREMENTAL = "incremental"
RESCAN = "rescan"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """How far a folder is synced: every UID up to ``last_uid`` under ``uidvalidity`` is handled.

    ``highestmodseq`` is the folder's HIGHESTMODSEQ when the last pass reached its end (None
    without CONDSTORE, or in the middle of a pass).
    """

    uidvalidity: int
    last_uid: int = 0
    highestmodseq: int | None = None
    # The last message examined (its UID and de-duplication key): when UIDVALIDITY changes but
    # the same mail still has that UID, the server only renamed its numbering (GNU Mailutils does
    # on every read-only open of an mbox that received mail) and the checkpoint still holds.
    anchor_uid: int = 0
    anchor_key: str = ""
    # Set once UIDVALIDITY changed while the anchor mail kept its UID: the next such change is
    # taken for a renumbering only, and the folder is not read again (the first one is).
    renumbered: bool = False


def _anchor_holds(session: ImapSession, folder: str, checkpoint: Checkpoint | None) -> bool:
    """True when the checkpoint's anchor mail is still at its UID (one header fetched)."""
    if checkpoint is None or not checkpoint.anchor_uid or not checkpoint.anchor_key:
        return False
    if session.selected != folder:
        session.select(folder)
    fetched = session.fetch_headers([checkpoint.anchor_uid], SYNC_HEADER_FIELDS)
    if not fetched or fetched[0].uid != checkpoint.anchor_uid:
        return False
    return summarize_header(fetched[0].header).dedupe_key == checkpoint.anchor_key


def adopted_checkpoint(
    session: ImapSession, folder: str, status: FolderStatus, checkpoint: Checkpoint | None
) -> tuple[Checkpoint | None, bool]:
    """``(checkpoint, renumbered)`` for a folder whose UIDVALIDITY may have changed.

    When it changed but the anchor mail is still at its UID, the server only renumbered: the
    first time, the folder is read again all the same (``renumbered`` True marks the new
    checkpoints); when it happens again, the checkpoint is moved to the new UIDVALIDITY.
    """
    if checkpoint is None or checkpoint.uidvalidity == status.uidvalidity:
        return checkpoint, bool(checkpoint and checkpoint.renumbered)
    if status.uidnext > checkpoint.last_uid and _anchor_holds(session, folder, checkpoint):
        session.quirks.add("uidvalidity_unstable")
        if checkpoint.renumbered:
            return replace(checkpoint, uidvalidity=status.uidvalidity), True
        return checkpoint, True
    return checkpoint, False


@dataclass(frozen=True, slots=True)
class FolderPlan:
    """What one pass does in one folder.

    ``action``: ``up_to_date`` (nothing to fetch), ``initial`` (no checkpoint yet), ``incremental``
    (new UIDs) or ``rescan`` (UIDVALIDITY changed: everything again, the caller de-duplicates).
    ``start`` is the checkpoint fetching continues from (reset for initial and rescan).
    ``save_now`` is a checkpoint to save at once although nothing is fetched (a new HIGHESTMODSEQ),
    or None.
    """

    folder: str
    action: str
    status: FolderStatus
    start: Checkpoint
    save_now: Checkpoint | None = None

    @property
    def first_uid(self) -> int:
        return self.start.last_uid + 1

    @property
    def last_uid(self) -> int:
        """The highest UID that can exist now (UIDNEXT - 1)."""
        return self.status.uidnext - 1

    @property
    def estimated(self) -> int:
        """At most how many messages this pass looks at (for progress)."""
        if self.action == UP_TO_DATE:
            return 0
        return min(self.status.messages, max(self.last_uid - self.start.last_uid, 0))


def plan_folder(
    status: FolderStatus, checkpoint: Checkpoint | None, *, renumbered: bool = False
) -> FolderPlan:
    """Decide one folder's pass from its STATUS (or SELECT) and its saved checkpoint.

    When there is nothing to fetch (no new UID, or an empty folder), the action is ``up_to_date``
    and ``save_now`` carries any checkpoint worth saving (first sight of a folder, a new
    UIDVALIDITY or HIGHESTMODSEQ), so that the next pass costs a single STATUS again.
    ``renumbered`` marks the checkpoints of a rescan (see :class:`Checkpoint`).
    """
    if checkpoint is None:
        action, start = INITIAL, Checkpoint(status.uidvalidity)
    elif checkpoint.uidvalidity != status.uidvalidity or status.uidnext <= checkpoint.last_uid:
        # new UIDVALIDITY; or UIDNEXT went backwards (a restored or broken server), so that new
        # mail could get UIDs at or below last_uid and be skipped for ever: rescan either way
        action, start = RESCAN, Checkpoint(status.uidvalidity, renumbered=renumbered)
    else:
        action, start = INCREMENTAL, checkpoint
    top = status.uidnext - 1
    if top <= start.last_uid or status.messages == 0:
        done = Checkpoint(
            status.uidvalidity,
            max(top, start.last_uid) if status.messages == 0 else start.last_uid,
            status.highestmodseq,
            start.anchor_uid,
            start.anchor_key,
            start.renumbered,
        )
        save_now = done if done != checkpoint else None
        return FolderPlan(status.name, UP_TO_DATE, status, done, save_now)
    return FolderPlan(status.name, action, status, start)


def plan_pass(session: ImapSession, folder: str, checkpoint: Checkpoint | None) -> FolderPlan:
    """Plan one folder's pass with a single STATUS command (no SELECT).

    When UIDVALIDITY changed, the mail at the checkpoint's anchor UID is looked at (one header):
    if it is the same mail, the numbering did not really change and the pass goes on from the
    checkpoint instead of reading the whole folder again.
    """
    status = session.status(folder)
    adopted, renumbered = adopted_checkpoint(session, folder, status, checkpoint)
    plan = plan_folder(status, adopted, renumbered=renumbered)
    if adopted is not checkpoint and plan.action == UP_TO_DATE and plan.save_now is None:
        plan = replace(plan, save_now=plan.start)  # remember the new UIDVALIDITY
    return plan
