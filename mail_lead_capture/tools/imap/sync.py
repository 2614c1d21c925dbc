"""The mailbox sync protocol: from which UID each folder is read, in which batches, what to remember.

Which folders a mailbox syncs is decided in :mod:`.folders`, what a header says in :mod:`.summaries`;
this module drives an :class:`~.session.ImapSession` over them:

- :class:`Checkpoint` and :func:`plan_folder`: per folder ``(uidvalidity, last_uid,
  highestmodseq)``. ``last_uid`` means "every message with a UID up to this one is handled (stored
  and committed, or judged not worth storing)". A new UIDVALIDITY, or a server whose UIDNEXT went
  backwards, plans a ``rescan`` from UID 1: the caller de-duplicates by :attr:`HeaderSummary.
  dedupe_key` (the Message-Id). A folder with nothing new is told by one STATUS command.
- :func:`sync_folder` (driver) over :func:`plan_pass` and :func:`iter_batches` (primitives):
  headers in UID batches, bodies only for the messages the caller wants, checkpoints the caller
  saves. :func:`history_batches`: addresses' past mail in a folder, by IMAP SEARCH (or, for
  many addresses at once, one read of the folder's address headers);
  :func:`messages_at`: given UIDs of a folder, for a second look.

**Crash safety.** Messages come in ascending UID order. Each :class:`HeaderMessage` carries the
``checkpoint`` that is true once it is handled; each :class:`HeaderBatch` the one that is true once
the whole batch is. The caller stores a message and its checkpoint in the same transaction, and
saves the batch checkpoint after the batch. A kill at any moment then leaves a saved checkpoint at or
before the first message not committed: nothing is lost, and nothing committed is fetched again.
(If a caller commits the checkpoint separately, a message may come again after a kill between the
two commits; the de-duplication key then keeps it single.)

**Memory** is flat in mailbox size: at most one batch of headers, one chunk of bodies (bounded in
bytes), and one bounded window of UIDs are held at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import datetime

from ..addresses import address_variants
from ..addresses import normalize_address
from .session import FetchedHeader
from .session import FolderStatus
from .session import ImapSession
from .summaries import SYNC_HEADER_FIELDS
from .summaries import HeaderSummary
from .summaries import header_addresses
from .summaries import summarize_header

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_BODY_CHUNK_BYTES",
    "INCREMENTAL",
    "INITIAL",
    "RESCAN",
    "UP_TO_DATE",
    "Checkpoint",
    "FolderPlan",
    "HeaderBatch",
    "HeaderMessage",
    "PassResult",
    "history_batches",
    "iter_batches",
    "messages_at",
    "plan_folder",
    "plan_pass",
    "sync_folder",
]

DEFAULT_BATCH_SIZE = 200
DEFAULT_BODY_CHUNK_BYTES = 8 * 1024 * 1024
_BODY_CHUNK_COUNT = 50
# Address spellings per history SEARCH: 20 x 4 header fields = 80 keys, ORed 7 levels deep.
HISTORY_SEARCH_ADDRESSES = 20
# More spellings than this many SEARCHes would ask for (each one a read of the whole folder by the
# server, so that thousands of contacts found by a first import cost the contacts times the
# folder's size): the folder's address headers are read once instead, and matched here.
HISTORY_SEARCHES_BEFORE_SCAN = 4
# UIDs per FETCH of address headers when scanning
HISTORY_SCAN_BATCH = 1000
_MAX_SEARCH_WINDOW_FACTOR = 64  # sparse UID ranges: probe windows of up to 64 batches by SEARCH


# ---------------------------------------------------------------------------------------------
# Checkpoints and plans
# ---------------------------------------------------------------------------------------------

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


def _adopted(
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
    adopted, renumbered = _adopted(session, folder, status, checkpoint)
    plan = plan_folder(status, adopted, renumbered=renumbered)
    if adopted is not checkpoint and plan.action == UP_TO_DATE and plan.save_now is None:
        plan = replace(plan, save_now=plan.start)  # remember the new UIDVALIDITY
    return plan


# ---------------------------------------------------------------------------------------------
# Engine
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeaderMessage:
    """One message of a batch: its header, what it says, and the checkpoint once it is handled.

    ``checkpoint`` is None for history imports, which do not move checkpoints.
    """

    folder: str
    uidvalidity: int
    uid: int
    header: bytes
    summary: HeaderSummary
    size: int | None
    internaldate: datetime | None
    flags: frozenset[str]
    checkpoint: Checkpoint | None


@dataclass(slots=True)
class HeaderBatch:
    """Messages with UIDs in ``first_uid..last_uid`` of one folder, ascending.

    ``checkpoint`` (None in history imports) is true once every message of the batch is handled;
    save it after the batch. ``skipped`` counts the drafts and deleted messages left out.
    """

    session: ImapSession
    folder: str
    uidvalidity: int
    first_uid: int
    last_uid: int
    messages: tuple[HeaderMessage, ...]
    checkpoint: Checkpoint | None
    is_last: bool
    skipped: int = 0
    body_chunk_bytes: int = DEFAULT_BODY_CHUNK_BYTES

    def bodies(
        self, messages: Iterable[HeaderMessage]
    ) -> Iterator[tuple[HeaderMessage, bytes | None]]:
        """Download the given messages' bodies, in UID order, a bounded chunk at a time.

        Yields ``(message, raw)``; ``raw`` is None when the message vanished from the server since
        its header was read (nothing to store; the batch checkpoint covers it).
        """
        wanted = sorted({m.uid: m for m in messages}.values(), key=lambda m: m.uid)
        if not wanted:
            return
        if self.session.selected != self.folder:
            status = self.session.select(self.folder)
            if status.uidvalidity != self.uidvalidity:
                return  # the folder was recreated: the next pass rescans it
        for chunk in _chunks_by_size(wanted, self.body_chunk_bytes):
            found = {body.uid: body.raw for body in self.session.fetch_bodies(m.uid for m in chunk)}
            for message in chunk:
                yield message, found.pop(message.uid, None)


def _chunks_by_size(messages: list[HeaderMessage], limit: int) -> Iterator[list[HeaderMessage]]:
    chunk: list[HeaderMessage] = []
    total = 0
    for message in messages:
        size = message.size or 0
        if chunk and (total + size > limit or len(chunk) >= _BODY_CHUNK_COUNT):
            yield chunk
            chunk, total = [], 0
        chunk.append(message)
        total += size
    if chunk:
        yield chunk


def _to_messages(
    folder: str,
    uidvalidity: int,
    fetched: Iterable[FetchedHeader],
    checkpoint_of: Callable[[int, str], Checkpoint | None],
    skip_flags: frozenset[str],
) -> tuple[list[HeaderMessage], int]:
    messages, skipped = [], 0
    for item in fetched:
        if {flag.lower() for flag in item.flags} & skip_flags:
            skipped += 1
            continue
        summary = summarize_header(item.header)
        messages.append(
            HeaderMessage(
                folder=folder,
                uidvalidity=uidvalidity,
                uid=item.uid,
                header=item.header,
                summary=summary,
                size=item.size,
                internaldate=item.internaldate,
                flags=item.flags,
                checkpoint=checkpoint_of(item.uid, summary.dedupe_key),
            )
        )
    return messages, skipped


_SKIP_FLAGS = frozenset({"\\draft", "\\deleted"})


def iter_batches(
    session: ImapSession,
    plan: FolderPlan,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    header_fields: Sequence[str] | None = SYNC_HEADER_FIELDS,
    body_chunk_bytes: int = DEFAULT_BODY_CHUNK_BYTES,
    skip_flags: Iterable[str] = ("\\Draft", "\\Deleted"),
) -> Iterator[HeaderBatch]:
    """Header batches of the new mail of a planned folder, ascending by UID.

    Selects the folder read-only (the plan is redone if its UIDVALIDITY changed since STATUS), then
    fetches ``batch_size`` UIDs at a time. Where UIDs are sparse (much mail deleted), it probes
    growing windows with UID SEARCH, so that a gap costs a few commands and little memory. Drafts
    and messages marked deleted are left out (``skip_flags``) but covered by the checkpoints.
    Empty stretches yield no batch, except the last one, whose checkpoint ends the pass.
    """
    if plan.action == UP_TO_DATE:
        return
    status = session.select(plan.folder)
    if status.uidvalidity != plan.start.uidvalidity:
        start = plan.start if plan.action == INCREMENTAL else None
        start, renumbered = _adopted(session, plan.folder, status, start)
        plan = plan_folder(status, start, renumbered=renumbered or plan.start.renumbered)
    uidvalidity = status.uidvalidity
    top = status.uidnext - 1
    final_modseq = status.highestmodseq or plan.status.highestmodseq
    running_modseq = plan.start.highestmodseq if plan.action == INCREMENTAL else None
    skip = frozenset(flag.lower() for flag in skip_flags)
    anchor = (plan.start.anchor_uid, plan.start.anchor_key)
    renumbered = plan.start.renumbered
    lo = plan.first_uid
    window = batch_size
    max_window = batch_size * _MAX_SEARCH_WINDOW_FACTOR
    while lo <= top:
        hi = min(lo + window - 1, top)
        if window <= batch_size:
            fetched = session.fetch_headers(range(lo, hi + 1), header_fields)
        else:
            uids = session.search(uid_range=(lo, hi))
            if len(uids) > batch_size:
                uids = uids[:batch_size]
                hi = uids[-1]
            fetched = session.fetch_headers(uids, header_fields) if uids else []
        is_last = hi >= top
        if fetched:
            newest = fetched[-1]
            anchor = (newest.uid, summarize_header(newest.header).dedupe_key)
        batch_checkpoint = Checkpoint(
            uidvalidity, hi, final_modseq if is_last else running_modseq, *anchor, renumbered
        )

        def checkpoint_of(uid: int, key: str, last=hi, end=batch_checkpoint) -> Checkpoint:
            if uid == last:
                return end
            return Checkpoint(uidvalidity, uid, running_modseq, uid, key, renumbered)

        messages, skipped = _to_messages(plan.folder, uidvalidity, fetched, checkpoint_of, skip)
        if fetched or is_last:
            yield HeaderBatch(
                session=session,
                folder=plan.folder,
                uidvalidity=uidvalidity,
                first_uid=lo,
                last_uid=hi,
                messages=tuple(messages),
                checkpoint=batch_checkpoint,
                is_last=is_last,
                skipped=skipped,
                body_chunk_bytes=body_chunk_bytes,
            )
        lo = hi + 1
        dense = len(fetched) >= max(batch_size // 4, 1)
        window = batch_size if dense else min(window * 8, max_window)
    if plan.first_uid > top:  # the mail went away since STATUS: end the pass all the same
        yield HeaderBatch(
            session=session,
            folder=plan.folder,
            uidvalidity=uidvalidity,
            first_uid=plan.first_uid,
            last_uid=plan.first_uid - 1,
            messages=(),
            checkpoint=Checkpoint(
                uidvalidity, plan.start.last_uid, final_modseq, *anchor, renumbered
            ),
            is_last=True,
            body_chunk_bytes=body_chunk_bytes,
        )


def history_batches(
    session: ImapSession,
    folder: str,
    addresses: Iterable[str],
    checkpoint: Checkpoint | None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    header_fields: Sequence[str] | None = SYNC_HEADER_FIELDS,
    body_chunk_bytes: int = DEFAULT_BODY_CHUNK_BYTES,
    fields: Sequence[str] = ("FROM", "TO", "CC", "BCC"),
    scan_after: int = HISTORY_SEARCHES_BEFORE_SCAN,
) -> Iterator[HeaderBatch]:
    """The past mail of ``addresses`` in a folder already synced up to ``checkpoint``.

    For a new lead contact: IMAP SEARCH finds their mail among the UIDs the regular passes already
    went past (newer mail comes with the next pass), without rescanning the folder. Many addresses
    at once (the contacts a first import added: more than ``scan_after`` SEARCHes of
    :data:`HISTORY_SEARCH_ADDRESSES` spellings) are found by reading the folder's address headers
    once instead, so that the cost grows with the folder's size alone, not with the size times the
    contacts. Only messages where one of the addresses really is a participant are yielded (IMAP
    matches substrings).
    Checkpoints are not moved (``checkpoint`` of batches and messages is None): the caller
    de-duplicates by :attr:`HeaderSummary.dedupe_key`. Nothing is yielded when the folder was never
    synced or its UIDVALIDITY changed (the next pass rescans it anyway).
    """
    targets = {a for a in (normalize_address(a) for a in addresses) if a}
    if checkpoint is None or checkpoint.last_uid < 1 or not targets:
        return
    status = session.select(folder)
    if _adopted(session, folder, status, checkpoint)[0].uidvalidity != status.uidvalidity:
        return
    spellings = sorted({v for target in targets for v in address_variants(target)})
    if -(-len(spellings) // HISTORY_SEARCH_ADDRESSES) > scan_after:
        uids = _scan_for(session, targets, fields, checkpoint.last_uid)
    else:
        uids = _search_for(session, spellings, fields, checkpoint.last_uid)
    skip = _SKIP_FLAGS
    for start in range(0, len(uids), batch_size):
        chunk = uids[start : start + batch_size]
        messages, skipped = _to_messages(
            folder, status.uidvalidity, session.fetch_headers(chunk, header_fields), _none, skip
        )
        kept = tuple(m for m in messages if targets & set(m.summary.participants))
        yield HeaderBatch(
            session=session,
            folder=folder,
            uidvalidity=status.uidvalidity,
            first_uid=chunk[0],
            last_uid=chunk[-1],
            messages=kept,
            checkpoint=None,
            is_last=start + batch_size >= len(uids),
            skipped=skipped,
            body_chunk_bytes=body_chunk_bytes,
        )


def _search_for(
    session: ImapSession, spellings: list[str], fields: Sequence[str], last_uid: int
) -> list[int]:
    """UIDs up to ``last_uid`` whose ``fields`` contain one of ``spellings``, by IMAP SEARCH.

    Many addresses to one SEARCH: one round trip, and one read of each mail on the server, for
    :data:`HISTORY_SEARCH_ADDRESSES` spellings rather than one per spelling.
    """
    found: set[int] = set()
    for start in range(0, len(spellings), HISTORY_SEARCH_ADDRESSES):
        found.update(
            session.search(
                address=spellings[start : start + HISTORY_SEARCH_ADDRESSES],
                fields=fields,
                uid_range=(1, last_uid),
            )
        )
    return sorted(found)


def _scan_for(
    session: ImapSession, targets: set[str], fields: Sequence[str], last_uid: int
) -> list[int]:
    """UIDs up to ``last_uid`` with one of ``targets`` in ``fields``, by reading those header
    fields of every mail (one SEARCH for the UIDs, then a FETCH per :data:`HISTORY_SCAN_BATCH`)."""
    uids = session.search(uid_range=(1, last_uid))
    found = []
    for start in range(0, len(uids), HISTORY_SCAN_BATCH):
        for item in session.fetch_headers(uids[start : start + HISTORY_SCAN_BATCH], fields):
            if targets.intersection(header_addresses(item.header, fields)):
                found.append(item.uid)
    return found


def messages_at(
    session: ImapSession,
    folder: str,
    uidvalidity: int,
    uids: Iterable[int],
    *,
    header_fields: Sequence[str] | None = SYNC_HEADER_FIELDS,
) -> HeaderBatch | None:
    """The messages at the given UIDs of a folder, as a batch without checkpoint.

    For mail examined in an earlier pass and looked at again (a reply whose original is filed
    later). None when the folder's UIDVALIDITY is no longer ``uidvalidity`` (the UIDs are void);
    UIDs that no longer exist are left out.
    """
    wanted = sorted(set(uids))
    if not wanted:
        return None
    status = session.select(folder)
    if status.uidvalidity != uidvalidity:
        return None
    messages, skipped = _to_messages(
        folder, uidvalidity, session.fetch_headers(wanted, header_fields), _none, _SKIP_FLAGS
    )
    return HeaderBatch(
        session=session,
        folder=folder,
        uidvalidity=uidvalidity,
        first_uid=wanted[0],
        last_uid=wanted[-1],
        messages=tuple(messages),
        checkpoint=None,
        is_last=True,
        skipped=skipped,
    )


def _none(_uid: int, _key: str) -> None:
    return None


@dataclass(slots=True)
class PassResult:
    """What :func:`sync_folder` did in one folder."""

    folder: str
    action: str
    examined: int = 0
    stored: int = 0
    skipped: int = 0
    vanished: int = 0
    complete: bool = True
    checkpoint: Checkpoint | None = None
    batches: int = field(default=0)


def sync_folder(
    session: ImapSession,
    folder: str,
    checkpoint: Checkpoint | None,
    *,
    wants_body: Callable[[HeaderMessage], bool],
    store: Callable[[HeaderMessage, bytes], None],
    save_checkpoint: Callable[[Checkpoint], None],
    should_stop: Callable[[], bool] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    header_fields: Sequence[str] | None = SYNC_HEADER_FIELDS,
    body_chunk_bytes: int = DEFAULT_BODY_CHUNK_BYTES,
) -> PassResult:
    """One pass over one folder, keeping the crash-safety rule for the caller.

    - ``wants_body(message)``: decide from the header whether to download and store the mail.
    - ``store(message, raw)``: store it **and save** ``message.checkpoint`` **in the same
      transaction**, then commit. Raising stops the pass; the saved checkpoint stays before it.
    - ``save_checkpoint(checkpoint)``: save (and commit) a checkpoint; called after each batch,
      and once when the plan says so without fetching.
    - ``should_stop()``: asked after each stored message and each batch (a time box); the pass
      then ends with ``complete=False`` and the next one resumes from the saved checkpoint.

    A folder with nothing new costs one STATUS command.
    """
    plan = plan_pass(session, folder, checkpoint)
    result = PassResult(folder, plan.action)
    if plan.save_now is not None:
        save_checkpoint(plan.save_now)
        result.checkpoint = plan.save_now
    if plan.action == UP_TO_DATE:
        return result
    stop = should_stop or (lambda: False)
    for batch in iter_batches(
        session,
        plan,
        batch_size=batch_size,
        header_fields=header_fields,
        body_chunk_bytes=body_chunk_bytes,
    ):
        result.batches += 1
        result.examined += len(batch.messages)
        result.skipped += batch.skipped
        wanted = [message for message in batch.messages if wants_body(message)]
        for message, raw in batch.bodies(wanted):
            if raw is None:
                result.vanished += 1
                continue
            store(message, raw)
            result.stored += 1
            result.checkpoint = message.checkpoint
            if stop() and message.checkpoint != batch.checkpoint:
                result.complete = False
                return result
        if batch.checkpoint != result.checkpoint:
            save_checkpoint(batch.checkpoint)
            result.checkpoint = batch.checkpoint
        if not batch.is_last and stop():
            result.complete = False
            return result
    return result
