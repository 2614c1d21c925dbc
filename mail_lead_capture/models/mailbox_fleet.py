"""Syncing many mailboxes in one Odoo worker, with others at the same time: the scheduler.

Not a model: ``mail.capture.mailbox._sync_due`` runs a :class:`MailboxFleet` when
the setting ``mail_lead_capture.sync_parallel`` (connections per worker) is above 1, else the
plain loop, one mailbox after another.

How it shares the work (every worker runs the same loop: the scheduled action and its shards,
Sync Now, other Odoo servers on the same database):

1. **Claim** a few due mailboxes in one statement (``FOR NO KEY UPDATE SKIP LOCKED``, then
   ``sync_claim_pid``/``sync_claim_until`` written and committed): other workers skip a claimed
   mailbox. A claim lapses when its worker's database connection is gone (a killed worker) or
   after ``CLAIM_SECONDS``; a worker clears its own claims as it goes.
2. **Survey** the claimed mailboxes in threads (``tools/imap/fleet.py``): connect, log in, LIST,
   STATUS, with connections capped per host and per account and back-off. No ORM in threads. The
   caps hold for every worker on the database together: each connection also holds slots that
   all share (``mailbox_slots``: PostgreSQL advisory locks on a connection of the run's own), and
   so does the back-off (rows of ``mail.capture.server.backoff``, on the same connection).
3. **Pass**, in this thread, as each survey comes back: the mailbox row is locked as the plain
   loop locks it (``try_lock_for_update``, SKIP LOCKED), checked still due, and synced by the usual
   pass (``MailboxPass``, its own cursor, a commit per mail with its checkpoint) over the
   surveyed session, whose LIST and STATUS answers it reuses. Its result is committed at once.

A mailbox is therefore never synced by two workers at once (the row lock, as before), a mailbox
whose server hangs holds one survey thread until its timeout and nothing else, and a worker
killed anywhere leaves committed checkpoints and claims that lapse with its connection.
"""

import dataclasses
import logging
import random
import time

import psycopg2

from odoo import fields
from odoo.sql_db import Cursor
from odoo.tools import SQL

from ..tools import imap
from ..tools.imap import fleet as imap_fleet
from .mailbox_slots import AdvisorySlots

_logger = logging.getLogger(__name__)

# A claim lapses after this long even when its worker's connection still exists.
CLAIM_SECONDS = 600
CLAIM_ATTEMPTS = 10
# A worker claims its share in this many slices, one per turn of its loop, with at most this
# pause (seconds, while surveys come back) before the next: workers starting together take turns.
CLAIM_SLICES = 5
CLAIM_PAUSE = 0.1
DEFAULT_PARALLEL = 50
# The filter rules (users' addresses, blocks, company domains) of an owner are read once per run
# and again when older than this (seconds): a change of settings is seen by the next run, and
# within this time in a long one (a pass reads them once too, and may last as long).
RULES_MAX_AGE = 60

# One set of connection counts and back-offs per worker process (all databases, all runs); each
# run adds the slots every process on its database shares (``gates(host_limit, slots)``).
_GATES = imap_fleet.Gates(imap_fleet.DEFAULT_HOST_LIMIT)


def gates(host_limit, slots=None):
    _GATES.host_limit = max(int(host_limit), 1)
    if slots is None:
        return _GATES
    # the same connection keeps the back-offs every process on the database shares
    return _GATES.with_slots(slots, backoffs=slots)


@dataclasses.dataclass
class IdleReport:
    """What a pass over a mailbox with nothing to do would report (see ``MailboxFleet.idle``)."""

    complete: bool = True
    importing: bool = False
    failed_folders: list = dataclasses.field(default_factory=list)
    examined: int = 0
    stored: int = 0
    server_new: bool = False
    round_trips: int = 0


class MailboxFleet:
    """One run of the scheduled action over the due mailboxes, ``parallel`` surveys at a time."""

    # how long a survey waits for a free connection slot before its mailbox is left for later
    slot_wait = imap_fleet.SLOT_WAIT

    def __init__(self, mailboxes, parallel, host_limit):
        self.Mailbox = mailboxes.sudo()
        self.env = self.Mailbox.env
        self.cr = self.env.cr
        self.parallel = max(int(parallel), 1)
        self.host_limit = host_limit
        self.gates = gates(host_limit)  # with the database's slots while it runs
        self.domain = self.Mailbox._due_domain()
        self.due_sql = None
        self.in_flight = set()
        self.seen = set()
        self.synced = 0
        self._rules = {}  # (company id, owner id) -> (FilterRules, time.monotonic() read)
        self.busy = set()  # ids sync_idle found with something to do: not asked again in sync

    # ------------------------------------------------------------ claims

    def claim(self, limit):
        """Claim up to ``limit`` due mailboxes no live worker holds; their ids, committed."""
        for attempt in range(CLAIM_ATTEMPTS):
            try:
                return self._claim(limit)
            except psycopg2.errors.SerializationFailure:
                # another worker claimed or synced one of them after this transaction's
                # snapshot: try again with a new one, a little later
                self.cr.rollback()
                self.env.invalidate_all()
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        return []

    def _claim(self, limit):
        # Read committed, for this statement's transaction only: a row another worker claimed or
        # synced meanwhile is then re-checked, not a serialization failure (repeatable read).
        self.cr.commit()  # pylint: disable=invalid-commit
        if isinstance(self.cr, Cursor):  # not a test cursor, which lives in the test's transaction
            self.cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        if self.due_sql is None:  # the domain is the run's (its "now" too): built once
            self.due_sql = self.Mailbox._search(self.domain).subselect()
        self.cr.execute(
            SQL(
                """
                UPDATE mail_capture_mailbox
                   SET sync_claim_pid = pg_backend_pid(),
                       sync_claim_until = (now() AT TIME ZONE 'UTC') + make_interval(secs => %s)
                 WHERE id IN (
                    SELECT id FROM mail_capture_mailbox
                     WHERE id IN (%s) AND id NOT IN %s
                       AND (sync_claim_until IS NULL
                            OR sync_claim_until < (now() AT TIME ZONE 'UTC')
                            OR sync_claim_pid = pg_backend_pid()
                            OR sync_claim_pid NOT IN (
                                SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL))
                     ORDER BY last_sync ASC NULLS FIRST, id
                     LIMIT %s
                       FOR NO KEY UPDATE SKIP LOCKED)
             RETURNING id
                """,
                CLAIM_SECONDS,
                self.due_sql,
                tuple(self.seen) or (0,),
                limit,
            )
        )
        ids = [row[0] for row in self.cr.fetchall()]
        self.seen.update(ids)  # once per run, as the plain loop: the next run goes on
        self.cr.commit()  # pylint: disable=invalid-commit
        self.env.invalidate_all()
        return ids

    def release(self, ids):
        """Clear this worker's claims on ``ids`` (rows not locked by another transaction)."""
        if not ids:
            return
        self.cr.execute(
            SQL(
                """
                UPDATE mail_capture_mailbox SET sync_claim_pid = NULL, sync_claim_until = NULL
                 WHERE id IN (SELECT id FROM mail_capture_mailbox WHERE id IN %s
                                 AND sync_claim_pid = pg_backend_pid()
                                 FOR NO KEY UPDATE SKIP LOCKED)
                """,
                tuple(ids),
            )
        )

    def release_left_over(self):
        """At the end of a run (time up, or an error): give back the claims not synced."""
        if not self.in_flight:
            return
        try:
            self.cr.rollback()
            self.release(list(self.in_flight))
            self.cr.commit()  # pylint: disable=invalid-commit
        except Exception:  # a lost connection: its claims lapse with it
            _logger.info("Mailbox sync: claims left to lapse", exc_info=True)

    # ------------------------------------------------------------ targets

    def target(self, mailbox):
        """What the survey needs to connect (None: let the plain pass connect and say why not)."""
        if not mailbox.host or not mailbox._port_allowed(mailbox.port or 993):
            return None
        try:
            credentials = mailbox._credentials()
        except imap.ImapError:
            return None
        return imap_fleet.Target(
            key=mailbox.id,
            host=mailbox.host,
            port=mailbox.port or 993,
            security=mailbox.security,
            credentials=credentials,
            timeout=mailbox._imap_timeout(),
            pinned_fingerprint=(mailbox.tls_fingerprint or None)
            if mailbox.security != "none"
            else None,
            scope=mailbox.scope,
            chosen=tuple(mailbox.folder_ids.filtered("chosen").mapped("name")),
            account_limit=imap_fleet.account_limit(mailbox.host),
            checkpoints={
                folder.name: folder._checkpoint()
                for folder in mailbox.folder_ids
                if folder.synced and folder.import_state == "done"
            },
        )

    def rules(self, mailbox):
        """The filter rules of ``mailbox``'s owner in its company, read once per run (see
        RULES_MAX_AGE) instead of once per pass: the same for every mailbox of the owner."""
        key = (mailbox.company_id.id, mailbox.user_id.id)
        cached = self._rules.get(key)
        if cached is None or time.monotonic() - cached[1] > RULES_MAX_AGE:
            rules = mailbox.company_id._lead_capture_filter_rules(mailbox.user_id)
            cached = self._rules[key] = (rules, time.monotonic())
        return cached[0]

    # ------------------------------------------------------------ the run

    def run(self):
        """Sync the due mailboxes until none is left or the time is up; how many were synced."""
        Cron = self.env["ir.cron"]
        remaining = self.Mailbox.search_count(self.domain)
        time_left = Cron._commit_progress(remaining=remaining)
        depth = self.parallel
        # claims in small slices, so that workers starting together share the mailboxes
        chunk = max(self.parallel // CLAIM_SLICES, 1)
        plain = []  # claimed mailboxes the survey cannot connect: the plain pass says why
        exhausted = False
        # the slots every worker on the database shares: held on a connection of this run's own,
        # closed last (after the fleet closed its sessions), which gives back any left
        slots = AdvisorySlots(self.cr.dbname)
        self.gates = gates(self.host_limit, slots)
        with slots, imap_fleet.Fleet(self.gates, self.parallel, slot_wait=self.slot_wait) as fleet:
            try:
                while time_left > 0:
                    # one slice a turn, between the passes of what came back: workers that
                    # start together take turns instead of the quickest claiming its whole depth
                    if not exhausted and len(fleet) + len(plain) < depth:
                        claimed = self.claim(min(chunk, depth - len(fleet) - len(plain)))
                        exhausted = not claimed
                        if claimed:
                            self.submit(fleet, claimed, plain)
                    if plain:
                        time_left = self.sync(plain.pop(), None, remaining, time_left)
                        remaining = max(remaining - 1, 0)
                        continue
                    if not len(fleet):
                        break
                    # room for another slice: only a short wait for surveys before claiming it
                    room = not exhausted and len(fleet) + len(plain) < depth
                    surveys = list(fleet.finished(timeout=CLAIM_PAUSE if room else 5))
                    if not surveys:
                        continue
                    if time_left <= 0:
                        for survey in surveys:
                            survey.close()
                        break
                    surveys, time_left, handled = self.sync_idle(surveys, remaining, time_left)
                    remaining = max(remaining - handled, 0)
                    for survey in surveys:
                        if time_left > 0:
                            time_left = self.sync(survey.key, survey, remaining, time_left)
                            remaining = max(remaining - 1, 0)
                        else:
                            survey.close()
            finally:
                fleet.close()  # closes the sessions of surveys left over
                self.release_left_over()
        _logger.info("Mailbox sync: %d mailboxes synced in this run", self.synced)
        return self.synced

    def submit(self, fleet, ids, plain):
        mailboxes = self.Mailbox.browse(ids)
        targets = []
        for mailbox in mailboxes:
            target = self.target(mailbox)
            if target is None:
                plain.append(mailbox.id)
            else:
                targets.append(target)
        self.in_flight.update(ids)
        # a renewed access token was written: commit it (the row is claimed, not locked)
        self.cr.commit()  # pylint: disable=invalid-commit
        fleet.submit_all(targets)

    def sync_idle(self, surveys, remaining, time_left):
        """In one transaction: write the mailboxes the surveys show idle, release those another
        worker has, synced, or whose server asks us to wait.
        ``(surveys left for a pass, time left, mailboxes handled)``."""
        by_id = {survey.key: survey for survey in surveys}
        self.env.invalidate_all()
        mailboxes = self.Mailbox.browse(list(by_id))
        locked = mailboxes.try_lock_for_update(allow_referencing=True)
        due = locked.filtered_domain(self.domain)
        idle = due.filtered(
            lambda m: (
                by_id[m.id].error is None and not by_id[m.id].deferred and self.idle(m, by_id[m.id])
            )
        )
        # nothing new on the server and nothing queued: what a pass would find, without a cursor
        # of its own; those with nothing to watch either (no stall, no trouble, no folder error)
        # in one write, the others one by one as a pass writes them
        quiet = idle.filtered(
            lambda m: (
                not (m.stalled or m.trouble_since or m.trouble_notified) and not m._health_problem()
            )
        )
        self.busy.update((due - idle).ids)
        if quiet:
            quiet.write(quiet[0]._synced_values(IdleReport(), fields.Datetime.now()))
        for mailbox in idle - quiet:
            mailbox.with_context(lead_capture_report=IdleReport())._sync_locked()
        done = (mailboxes - due) | idle
        done |= due.filtered(lambda m: by_id[m.id].deferred)
        if not done:
            self.cr.commit()  # pylint: disable=invalid-commit
            return surveys, time_left, 0
        for survey in (by_id[mailbox_id] for mailbox_id in done.ids):
            survey.close()
            if survey.deferred and survey.busy:
                self.seen.discard(survey.key)  # no slot in time: may be claimed again
        self.release(done.ids)
        self.in_flight.difference_update(done.ids)
        self.synced += len(idle)
        self.cr.commit()  # pylint: disable=invalid-commit
        self.env.invalidate_all()
        time_left = self.env["ir.cron"]._commit_progress(
            len(idle), remaining=max(remaining - len(done), 0)
        )
        handled = set(done.ids)
        return [by_id[key] for key in by_id if key not in handled], time_left, len(handled)

    def sync(self, mailbox_id, survey, remaining, time_left):
        """Lock and sync one claimed mailbox over its survey; the cron's time left."""
        Cron = self.env["ir.cron"]
        self.env.invalidate_all()
        mailbox = self.Mailbox.browse(mailbox_id).try_lock_for_update(allow_referencing=True)
        try:
            if not mailbox.filtered_domain(self.domain) or (survey and survey.deferred):
                # another worker has it, synced it meanwhile, or its server asks us to wait
                self.release([mailbox_id])
                self.in_flight.discard(mailbox_id)
                self.cr.commit()  # pylint: disable=invalid-commit
                return Cron._commit_progress(remaining=remaining)
            if (
                survey is not None
                and survey.error is not None
                and not (survey.error.kind == "auth" and mailbox._oauth_provider())
            ):
                # as the plain pass records it (an OAuth refusal takes the plain pass: it renews
                # the token once)
                _logger.info("Mailbox %s: sync failed (%s)", mailbox.id, survey.error.kind)
                mailbox._sync_failed(survey.error)
            elif survey is not None and mailbox.id not in self.busy and self.idle(mailbox, survey):
                # nothing new on the server and nothing queued: what the pass would find, without
                # a cursor of its own
                mailbox.with_context(lead_capture_report=IdleReport())._sync_locked()
            else:
                session = survey.session if survey is not None else None
                mailbox.with_context(
                    lead_capture_session=session, lead_capture_rules=self.rules(mailbox)
                )._sync_locked(remaining=remaining, time_left=time_left)
        finally:
            if survey is not None:
                survey.close()
        self.release([mailbox_id])
        self.in_flight.discard(mailbox_id)
        self.synced += 1
        # commit the mailbox (its lock) before the progress, which the pass's cursor updated
        self.cr.commit()  # pylint: disable=invalid-commit
        self.env.invalidate_all()
        return Cron._commit_progress(1, remaining=max(remaining - 1, 0))

    # ------------------------------------------------------------ nothing to do?

    def idle(self, mailbox, survey):
        """True when the survey shows that a pass would do nothing: the same folders, each synced
        one imported, without error, and up to date by its STATUS (no new UID, no new
        UIDVALIDITY or HIGHESTMODSEQ to save), and nothing queued (history, moves, replies)."""
        if survey.session is None or mailbox.history_ids:
            return False
        if mailbox.direction == "two_way" and self.env["mail.capture.mailbox.message"].search_count(
            [("mailbox_id", "=", mailbox.id), ("server_action", "!=", False)], limit=1
        ):
            return False
        folders = mailbox.folder_ids
        if self.folders_changed(folders, survey.folders):
            return False
        by_name = {folder.name: folder for folder in folders}
        chosen = folders.filtered("chosen").mapped("name")
        for name in imap.folders_to_sync(survey.folders, mailbox.scope, chosen).names:
            folder, status = by_name.get(name), survey.statuses.get(name)
            if (
                not folder
                or not status
                or folder.import_state != "done"
                or folder.error_message
                or (folder.waiting_replies or {}).get("items")
            ):
                return False
            plan = imap.plan_folder(status, folder._checkpoint())
            if plan.action != imap.UP_TO_DATE or plan.save_now is not None:
                return False
        return True

    @staticmethod
    def folders_changed(records, folders):
        """Would ``_update_folders`` change a folder record, other than its place
        in the list? (read-only; some servers, Dovecot among them, list folders in a different
        order each time: the order is only shown, it changes nothing in the sync)"""
        existing = {folder.name: folder for folder in records}
        seen = set()
        for choice in imap.describe_folders(folders):
            seen.add(choice.name)
            folder = existing.get(choice.name)
            if (
                folder is None
                or folder.missing
                or folder.role != choice.role
                or folder.choosable != choice.choosable
                or folder.in_all_scope != choice.in_all_scope
                or (folder.reason or False) != (choice.reason or False)
            ):
                return True
        return any(not folder.missing for name, folder in existing.items() if name not in seen)
