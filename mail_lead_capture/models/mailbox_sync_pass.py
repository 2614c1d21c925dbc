"""One sync pass over one synced mailbox: the glue between the ORM and ``tools/imap_sync.py``.

Not a model: ``mail.capture.mailbox`` creates a :class:`MailboxPass` in a cursor of its own for
every pass. The protocol (what to fetch, checkpoints, UIDVALIDITY, history searches) is decided by
the ORM-free ``imap_sync``; this class reads the records that protocol needs, decides from a mail's
header whether to download it (the header stage: :meth:`MailboxPass.wants`), and files what it
downloads through ``mail.capture.engine`` with a ``tools.filing.Filing`` of its own.
"""

import bisect
import dataclasses
import email
import email.policy
import logging
import time

from odoo import fields
from odoo.tools import SQL

from ..tools import addresses
from ..tools import automated
from ..tools import capture
from ..tools import filing as filings
from ..tools import filters
from ..tools import imap as imap_sync  # the package's public surface, under this file's old name
from ..tools.direction import INCOMING
from ..tools.direction import OUTGOING
from ..tools.direction import mail_direction
from ..tools.imap import session as imap_session

_logger = logging.getLogger(__name__)

# Addresses whose "on a lead?" answer a pass remembers; cleared when full (memory stays flat).
KNOWN_CACHE_SIZE = 5_000
# Replies that answer mail no lead holds yet are remembered per folder (the newest ones, this many
# at most, each with its first Message-Ids of In-Reply-To/References) for this many days: filed
# when their original is, at the end of the same pass or of a later one.
WAITING_REPLIES_MAX = 500
WAITING_REPLY_IDS = 5
WAITING_REPLY_DAYS = 14
# Why the pass left a mail alone, from the filters' verdict on its header: the folder field that
# counts it (anything the filters keep but that is on no lead counts as "no known contact").
SKIP_FIELDS = {
    filters.SCREENED_AUTOMATED: "skipped_robot",
    filters.INTERNAL: "skipped_colleagues",
    filters.BLOCKED: "skipped_blocked",
}
SKIP_NO_CONTACT = "skipped_no_contact"
# One pass stores at most PASS_STORED_MAX mails, then ends as when its time box is reached: the
# mailbox stays due and the next pass goes on at once. The transaction holding the mailbox's lock
# stays open for the whole pass, and until it ends PostgreSQL keeps every version of the rows the
# pass rewrites (the folder's checkpoint with each mail, the leads' last email date): every
# look-up of such a row reads them all, so one pass over a whole big mailbox cost the square of
# its size.
PASS_STORED_MAX = 500


class MailboxPass:
    """One sync pass over one mailbox, in the cursor of ``mailbox.env``.

    Holds what the pass reads once (filter rules, owner, options) and the counters; every mail is
    stored and committed with its folder's checkpoint (``store``), as ``imap_sync.sync_folder``
    requires.
    """

    def __init__(self, mailbox, deadline, remaining, time_left):
        self.mailbox = mailbox
        self.env = mailbox.env
        self.deadline = deadline
        self.remaining = max(remaining, 0)
        self.time_left = time_left
        self.owner = mailbox.user_id
        self.company = mailbox.company_id
        self.auto_create = mailbox.auto_create
        self.private = mailbox.privacy == "private"
        self.two_way = mailbox.direction == "two_way"
        self.scope = mailbox.scope
        self.email = mailbox.email  # read with the others: after a commit it would cost a query
        self._rules = None
        self._lead_addresses = False  # not loaded yet; None: too many to keep, ask per address
        # Records the sync creates (contacts, the capture log, leads) get no "created" note and
        # no follower: the synced mail and its decision trace say it all.
        self.engine = (
            self.env["mail.capture.engine"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        )
        self.known = {}
        self.pending_ids = set()
        self.waiting = {}  # folder id -> {uid: [ordinal day, [Message-Ids]]}, see waiting_of
        self.waiting_changed = set()  # folder ids whose waiting replies must be saved
        self.complete = True
        self.failed_folders = []  # (folder name, sentence) of the folders this pass could not sync
        self.server_new = False  # a folder's STATUS showed mail past its checkpoint
        self.stored = 0
        self.examined = 0
        self.last_skip = None  # the folder field counting the last mail ``wants`` declined
        self.round_trips = 0
        self.imports_done = False  # a folder finished its first import in this pass

    @property
    def rules(self):
        """The filter rules, built once per pass, when the first mail needs them (or those the
        fleet read for the owner in this run: ``lead_capture_rules``, see mailbox_fleet)."""
        if self._rules is None:
            rules = self.env.context.get(
                "lead_capture_rules"
            ) or self.company._lead_capture_filter_rules(self.owner)
            # In its own mailbox, the mailbox's address is the owner's side of the conversation,
            # confirmed or not; everywhere else it is theirs only once confirmed.
            if self.email and self.email not in rules.user_addresses:
                rules = dataclasses.replace(
                    rules, user_addresses=rules.user_addresses | {self.email}
                )
            self._rules = rules
        return self._rules

    @property
    def lead_addresses(self):
        """Every address on the company's leads, loaded once per pass when there are not too many."""
        if self._lead_addresses is False:
            self._lead_addresses = self.lead_participants(limit=KNOWN_CACHE_SIZE)
        return self._lead_addresses

    # ------------------------------------------------------------ time box and commits

    def should_stop(self):
        if self.time_left <= 0:
            return True
        if self.stored >= PASS_STORED_MAX:
            return True
        return self.deadline is not None and time.monotonic() >= self.deadline

    def commit(self, processed=0):
        """Commit what was written (a mail and its checkpoint), counting it in the cron's progress."""
        self.time_left = self.env["ir.cron"]._commit_progress(processed, remaining=self.remaining)

    # ------------------------------------------------------------ the pass

    def run(self):
        mailbox = self.mailbox
        with mailbox._connect_imap() as session:
            self.session = session
            folders = session.list_folders()
            if mailbox._update_folders(folders):
                self.commit()
            # The INBOX watcher's pass (mail_capture_mailbox._sync_inbox): the
            # INBOX alone; moves, history and the other folders are the scheduled action's.
            inbox_only = self.env.context.get("lead_capture_inbox_only")
            if self.two_way and not inbox_only:
                self.apply_server_moves(folders)
            if not inbox_only:
                self.import_history()
            chosen = mailbox.folder_ids.filtered("chosen").mapped("name")
            selection = imap_sync.folders_to_sync(folders, self.scope, chosen)
            by_name = {folder.name: folder for folder in mailbox.folder_ids}
            # Sent first: a reply in the inbox then finds the mail it answers already filed.
            names = sorted(
                selection.names, key=lambda name: by_name[name].role != imap_sync.ROLE_SENT
            )
            if inbox_only:
                names = [name for name in names if by_name[name].role == imap_sync.ROLE_INBOX]
            before = session.round_trips
            for name in names:
                if self.should_stop():
                    self.complete = False
                    break
                self.sync_folder(by_name[name])
            if not self.should_stop():
                self.file_waiting_replies(by_name[name] for name in names)
            if self.imports_done and not inbox_only and not self.should_stop():
                self.import_history()  # what waited for the first import (import_history)
            self.round_trips = session.round_trips - before
        self.importing = mailbox._is_importing()
        _logger.info(
            "Mailbox %s: %d mails examined, %d stored%s",
            mailbox.id,
            self.examined,
            self.stored,
            "" if self.complete else " (time box reached: resumes next run)",
        )
        return self

    # ------------------------------------------------------------ folders

    def sync_folder(self, folder):
        checkpoint = folder._checkpoint()
        importing = folder.import_state != "done"
        # Progress counts the mails handled (at or before the checkpoint), not those whose header
        # was read: a batch is judged whole before any of it is stored.
        handled = folder.import_done if importing else 0
        progress = {"handled": handled, "pending": []}  # pending: examined UIDs, ascending
        skips = []  # (uid, folder field) of the examined mail left alone, ascending

        def wants_body(message):
            progress["pending"].append(message.uid)
            self.examined += 1
            wanted = self.wants(message)
            if not wanted:
                self.remember_reply(folder, message)
                skips.extend([(message.uid, self.last_skip)] if self.last_skip else [])
            return wanted

        def with_progress(values, last_uid):
            values.update(self.waiting_values(folder))
            values.update(self.skip_values(folder, skips, last_uid))
            if importing:
                done = bisect.bisect_right(progress["pending"], last_uid)
                values["import_done"] = progress["handled"] + done
            return values

        def settle(last_uid):
            pending = progress["pending"]
            done = bisect.bisect_right(pending, last_uid)
            progress["handled"] += done
            del pending[:done]

        def store(message, raw):
            self.file(folder, message, raw)
            values = folder._checkpoint_values(message.checkpoint)
            folder.write(with_progress(values, message.uid))
            self.stored += 1
            self.commit(1)
            settle(message.uid)
            self.pending_ids.discard(message.summary.message_id)  # now found in the database

        def save_checkpoint(new_checkpoint):
            values = folder._checkpoint_values(new_checkpoint)
            values["last_sync"] = fields.Datetime.now()
            folder.write(with_progress(values, new_checkpoint.last_uid))
            self.commit()
            settle(new_checkpoint.last_uid)
            # Every mail the batch wanted is now in the database, or was gone from the server
            # before its body came (moved meanwhile): a copy elsewhere must still be filed.
            self.pending_ids.clear()

        try:
            if importing:
                # only during a first import: what is left to examine, for the progress bar
                plan = imap_sync.plan_pass(self.session, folder.name, checkpoint)
                folder.write({"import_state": "running", "import_total": handled + plan.estimated})
                self.commit()
            result = imap_sync.sync_folder(
                self.session,
                folder.name,
                checkpoint,
                wants_body=wants_body,
                store=store,
                save_checkpoint=save_checkpoint,
                should_stop=self.should_stop,
            )
        except imap_session.ImapError as error:
            self.env.cr.rollback()
            if error.kind in ("dropped", "timeout") or not self.session.connected:
                raise
            sentence = self.mailbox._error_sentence(error)
            _logger.warning(
                "Mailbox %s, folder %s: sync failed (%s: %s)",
                self.mailbox.id,
                folder.name,
                error.kind,
                error.detail,
            )
            self.failed_folders.append((folder.name, sentence))
            folder.write(
                {
                    "error_message": sentence,
                    "error_date": fields.Datetime.now(),
                    "error_count": folder.error_count + 1,
                }
            )
            self.commit()
            return
        if result.action != imap_sync.UP_TO_DATE:
            self.server_new = True
        if result.action == imap_sync.UP_TO_DATE and not importing and not folder.error_message:
            return  # nothing new: one STATUS, no write
        values = {"last_sync": fields.Datetime.now()}
        if folder.error_message:
            values.update(error_message=False, error_date=False, error_count=0)
        if result.complete and importing:
            handled = progress["handled"] + len(progress["pending"])
            values.update(import_state="done", import_done=handled, import_total=handled)
            self.imports_done = True
        folder.write(values)
        self.commit()
        if not result.complete:
            self.complete = False
        _logger.info(
            "Mailbox %s, folder %s: %s, %d examined, %d stored",
            self.mailbox.id,
            folder.name,
            result.action,
            result.examined,
            result.stored,
        )

    # ------------------------------------------------------------ one mail

    def wants(self, message):
        """Download this mail? From its header: lead contacts, replies to filed mail, options."""
        summary = message.summary
        if len(self.known) > KNOWN_CACHE_SIZE:
            self.known.clear()
        if len(self.pending_ids) > KNOWN_CACHE_SIZE:
            self.pending_ids.clear()
        robot = automated.automated_kind(message.header)
        if robot and automated.own_bulk_send(
            message.header, summary.sender, self.rules.user_addresses
        ):
            robot = None  # a user's own newsletter: each recipient's lead gets it
        return self.wants_header(
            summary.participants,
            summary.thread_ids,
            direction=mail_direction(summary.sender, self.rules.user_addresses),
            automated_kind=robot,
            message_id=summary.message_id,
        )

    def wants_header(
        self,
        participants,
        thread_ids=(),
        *,
        direction=INCOMING,
        automated_kind=None,
        message_id=None,
    ):
        """Tell from a mail's header alone whether to download and file it.

        Yes when a participant the filters keep is on one of the company's leads (its email, its
        customer or one of its contacts), when the mail replies to mail already filed on a lead
        (``thread_ids``: In-Reply-To and References; or to mail this pass is about to file,
        ``pending_ids``), or when ``auto_create`` applies to an outgoing mail. Robot mail
        (``automated_kind``) and mail between colleagues never; nor mail already filed where its
        owner sees it (``message_id``: the same mail in another folder or mailbox, or a folder
        rescanned after a UIDVALIDITY change). At most two indexed queries (the addresses, unless
        :attr:`lead_addresses` holds them all or :attr:`known` remembers them; then what is filed
        already), no record loaded. A mail left alone is counted by :attr:`last_skip`'s reason.
        """
        self.last_skip = None
        screening = filters.screen(participants, self.rules, automated=automated_kind)
        if screening.screened:
            self.last_skip = SKIP_FIELDS.get(screening.screened, SKIP_NO_CONTACT)
            return False
        if message_id and message_id in self.pending_ids:
            return False  # about to be filed, from another folder
        wanted = (self.auto_create and direction == OUTGOING) or self.on_lead(screening.kept)
        if not wanted and not self.pending_ids.isdisjoint(thread_ids):
            wanted = True
        if not wanted and not thread_ids:
            self.last_skip = SKIP_NO_CONTACT
            return False
        asked = set() if wanted else set(thread_ids)
        if message_id:
            asked.add(message_id)
        filed = self.filed(asked) if asked else {}
        if not wanted and filed.keys().isdisjoint(thread_ids):
            self.last_skip = SKIP_NO_CONTACT
            return False
        if not message_id:
            return True
        # A colleague's private copy does not count: this owner cannot see it.
        if filed.get(message_id):
            return False
        self.pending_ids.add(message_id)
        return True

    def on_lead(self, kept):
        """True when one of the ``kept`` addresses is on a lead of the company (one query at most,
        none when :attr:`lead_addresses` holds every address, or :attr:`known` remembers them)."""
        lead_addresses = self.lead_addresses
        if lead_addresses is not None:
            return not lead_addresses.isdisjoint(kept)
        unknown = [address for address in kept if address not in self.known]
        if unknown:
            found = self.lead_participants(unknown)
            self.known.update((address, address in found) for address in unknown)
        return any(self.known[address] for address in kept)

    def lead_participants(self, among=None, limit=None):
        """The normalised addresses on the company's open, won and lost leads (their email,
        customer or contacts), and of its CRM contacts (``res.partner.lead_capture_crm_contact``).

        With ``among`` (normalised addresses), those of them that are on a lead, whatever their
        spelling there. Without, every one, or None when there are over ``limit``. One query.
        """
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        # Lost leads count: their contacts' mail makes a new lead naming them, or restores them
        # (the company's setting), as on the capture address. Other archived leads do not.
        leads = Lead._search(
            [
                *self.company._lead_capture_lead_domain(),
                "|",
                ("active", "=", True),
                ("won_status", "=", "lost"),
            ]
        ).subselect()
        contacts = Lead._fields["contact_ids"]
        spellings = None
        if among is not None:
            spellings = {
                variant: address
                for address in among
                for variant in addresses.address_variants(address)
            }
            if not spellings:
                return set()
            condition = SQL("IN %s", tuple(spellings))
        else:
            condition = SQL("IS NOT NULL")
        rows = self.env.execute_query(
            SQL(
                """SELECT l.email_normalized FROM crm_lead l
                    WHERE l.email_normalized %(condition)s AND l.id IN %(leads)s
                   UNION
                   SELECT p.email_normalized FROM res_partner p
                     JOIN crm_lead l ON l.partner_id = p.id
                    WHERE p.email_normalized %(condition)s AND l.id IN %(leads)s
                   UNION
                   SELECT p.email_normalized FROM res_partner p
                     JOIN %(relation)s r ON r.%(partner_column)s = p.id
                    WHERE p.email_normalized %(condition)s AND r.%(lead_column)s IN %(leads)s
                   UNION
                   SELECT p.email_normalized FROM res_partner p
                    WHERE p.email_normalized %(condition)s AND p.lead_capture_crm_contact
                      AND p.active AND (p.company_id IS NULL OR p.company_id = %(company)s)
                   %(limit)s""",
                condition=condition,
                company=self.company.id,
                leads=leads,
                relation=SQL.identifier(contacts.relation),
                partner_column=SQL.identifier(contacts.column2),
                lead_column=SQL.identifier(contacts.column1),
                limit=SQL("LIMIT %s", limit + 1) if limit is not None else SQL(),
            )
        )
        if spellings is not None:
            return {spellings[value] for (value,) in rows if value in spellings}
        if limit is not None and len(rows) > limit:
            return None
        return {addresses.normalize_address(value) for (value,) in rows} - {None}

    def filed(self, message_ids):
        """``{Message-Id: seen}`` for those of ``message_ids`` already filed on a lead: ``seen``
        when a copy is one the owner sees (not a colleague's private copy). One query."""
        Message = self.env["mail.message"].sudo()
        found = {}
        for message in Message.search_fetch(
            [("message_id", "in", list(message_ids)), ("model", "=", "crm.lead")],
            ["message_id", "lead_capture_private_user_id"],
        ):
            private = message.lead_capture_private_user_id.id
            seen = not private or private == self.owner.id
            found[message.message_id] = found.get(message.message_id, False) or seen
        return found

    @staticmethod
    def skip_values(folder, skips, last_uid):
        """The folder's skip counters with the ``skips`` ``(uid, field)`` up to ``last_uid``
        added, taken out of ``skips``: counted with the checkpoint that goes past them, so a
        kill counts nothing twice."""
        counted = bisect.bisect_right(skips, (last_uid, "~"))
        values = {}
        for _uid, field in skips[:counted]:
            values[field] = values.get(field, folder[field]) + 1
        del skips[:counted]
        return values

    def file(self, folder, message, raw):
        """File one downloaded mail; a mail that breaks the engine waits in the owner's queue."""
        env = self.env
        parsed = email.message_from_bytes(raw, policy=email.policy.SMTP)
        engine = self.engine
        filing = self.filing(folder, message)
        mail = None
        try:
            with env.cr.savepoint():
                message_dict = env["mail.thread"].sudo().message_parse(parsed)
                mail, content = engine._prepare_filing(
                    parsed, message_dict, with_forward=False, raw=raw
                )
                author = mail.author.address if mail.author else None
                if (
                    self.auto_create
                    and mail_direction(author, self.rules.user_addresses) == OUTGOING
                ):
                    filing = dataclasses.replace(filing, no_match=filings.CREATE)
                lead_id = engine._file_mail(mail, content, filing)
        except Exception as error:  # a mail that breaks the engine must not be lost
            mail = mail or capture.captured_mail(parsed, None)
            _logger.warning(
                "Mailbox %s: mail %s could not be filed; kept for review",
                self.mailbox.id,
                mail.message_id,
                exc_info=True,
            )
            with env.cr.savepoint():
                engine._keep_failed(mail, raw, filing, error)
            return False
        if lead_id:
            # its participants may have become contacts: forget what was known of them
            for address in message.summary.participants:
                self.known.pop(address, None)
            if self._lead_addresses:
                self._lead_addresses.update(mail.participants)
                if len(self._lead_addresses) > KNOWN_CACHE_SIZE:
                    self._lead_addresses = None  # too many to keep: ask per address from now on
        return lead_id

    def filing(self, folder, message):
        """How mail of this pass is filed: the owner's, privately if the mailbox is private, with
        where it sits; mail that matches no lead is left alone (``file`` lets ``auto_create``
        make a lead for outgoing mail) and screened mail is only logged."""
        return filings.Filing(
            self.company.id,
            self.owner.id,
            "sync",
            no_match=filings.SKIP,
            keep_screened=False,
            rules=self.rules,
            private=self.private,
            location=filings.Location(
                self.mailbox.id,
                folder.name,
                message.uidvalidity,
                message.uid,
                message.summary.message_id,
            ),
        )

    # ------------------------------------------------------------ waiting replies

    def waiting_of(self, folder, uidvalidity=None):
        """The folder's waiting replies ``{uid: [ordinal day, Message-Ids]}``, loaded once per
        pass; entries older than WAITING_REPLY_DAYS are dropped, and all of them when the folder's
        UIDVALIDITY is no longer theirs (``uidvalidity``: the one the pass reads now)."""
        state = self.waiting.get(folder.id)
        if state is None:
            saved = folder.waiting_replies or {}
            oldest = fields.Date.today().toordinal() - WAITING_REPLY_DAYS
            state = {
                "uidvalidity": saved.get("uidvalidity"),
                "items": {
                    int(uid): entry
                    for uid, entry in (saved.get("items") or {}).items()
                    if entry[0] >= oldest
                },
            }
            self.waiting[folder.id] = state
        if uidvalidity is not None and state["uidvalidity"] != uidvalidity:
            state.update(uidvalidity=uidvalidity, items={})
            self.waiting_changed.add(folder.id)
        return state["items"]

    def waiting_values(self, folder):
        """The folder values saving its waiting replies, when they changed (else nothing)."""
        if folder.id not in self.waiting_changed:
            return {}
        self.waiting_changed.discard(folder.id)
        state = self.waiting[folder.id]
        if not state["items"]:
            return {"waiting_replies": False}
        return {
            "waiting_replies": {
                "uidvalidity": state["uidvalidity"],
                "items": {str(uid): entry for uid, entry in state["items"].items()},
            }
        }

    def remember_reply(self, folder, message):
        """Remember a mail of the regular pass that answers mail no lead holds (yet), when the
        filters would keep it: the original may be filed later (a folder synced after this one)."""
        summary = message.summary
        if message.checkpoint is None or not summary.thread_ids:
            return
        screening = filters.screen(
            summary.participants, self.rules, automated=automated.automated_kind(message.header)
        )
        if screening.screened:
            return
        items = self.waiting_of(folder, message.uidvalidity)
        items[message.uid] = [
            fields.Date.today().toordinal(),
            list(summary.thread_ids[:WAITING_REPLY_IDS]),
        ]
        if len(items) > WAITING_REPLIES_MAX:
            for uid in sorted(items)[: len(items) - WAITING_REPLIES_MAX]:
                del items[uid]
        self.waiting_changed.add(folder.id)

    def file_waiting_replies(self, folders):
        """File the waiting replies whose original is now on a lead (one query per folder)."""
        for folder in folders:
            items = self.waiting_of(folder)
            if not items:
                continue
            ids = {message_id for _day, thread_ids in items.values() for message_id in thread_ids}
            filed = set(self.filed(ids))
            ready = [uid for uid, (_day, thread_ids) in items.items() if filed & set(thread_ids)]
            if not ready:
                if folder.id in self.waiting_changed:
                    folder.write(self.waiting_values(folder))
                    self.commit()
                continue
            batch = imap_sync.messages_at(
                self.session, folder.name, self.waiting[folder.id]["uidvalidity"], ready
            )
            wanted = [m for m in batch.messages if self.wants(m)] if batch else []
            for message, raw in batch.bodies(wanted) if batch else ():
                if raw is not None:
                    self.file(folder, message, raw)
                    self.stored += 1
                # filed and forgotten in the same transaction: a kill loses and repeats nothing
                items.pop(message.uid, None)
                self.waiting_changed.add(folder.id)
                folder.write(self.waiting_values(folder))
                self.commit(1)
            for uid in ready:  # gone from the server, or filed meanwhile by another way
                items.pop(uid, None)
            self.waiting_changed.add(folder.id)
            folder.write(self.waiting_values(folder))
            self.commit()

    # ------------------------------------------------------------ history import

    def import_history(self):
        """The past mail of addresses just added to leads, by IMAP SEARCH in synced folders."""
        self.mailbox.invalidate_recordset(["history_ids"])  # filing queues some during the pass
        pending = self.mailbox.history_ids
        if not pending:
            return
        # colleagues, company domains and blocked addresses have no past mail to import
        kept = set(filters.screen(pending.mapped("address"), self.rules).kept)
        screened = pending.filtered(lambda h: h.address not in kept)
        if screened:
            screened.unlink()
            self.commit()
            pending = self.mailbox.history_ids
            if not pending:
                return
        folders = self.mailbox.folder_ids.filtered(lambda f: f.synced and f.uidvalidity)
        for folder in folders:
            if folder.import_state != "done" and folder.last_uid:
                # Its first import goes on: its past mail is searched once, when the import is
                # done, not after every pass over what is imported so far (the square of its size).
                continue
            todo = pending.filtered(lambda h, folder=folder: folder not in h.done_folder_ids)
            if not todo:
                continue
            checkpoint = folder._checkpoint()
            for batch in imap_sync.history_batches(
                self.session, folder.name, todo.mapped("address"), checkpoint
            ):
                wanted = [message for message in batch.messages if self.wants(message)]
                for message, raw in batch.bodies(wanted):
                    if raw is None:
                        continue
                    self.file(folder, message, raw)
                    self.stored += 1
                    self.commit(1)
                    if self.should_stop():
                        self.complete = False
                        return
            todo.write({"done_folder_ids": [(4, folder.id)]})
            self.commit()
            if self.should_stop():
                self.complete = False
                return
        self.mailbox.history_ids.filtered(lambda h: not (folders - h.done_folder_ids)).unlink()
        self.commit()

    # ------------------------------------------------------------ two-way

    def apply_server_moves(self, folders):
        """Move to Archive or Trash, on the server, the mail archived or deleted in Odoo."""
        Location = self.env["mail.capture.mailbox.message"]
        pending = Location.search(
            [("mailbox_id", "=", self.mailbox.id), ("server_action", "!=", False)]
        )
        destinations = {
            "archive": imap_sync.find_folder(folders, imap_sync.ROLE_ARCHIVE)
            or imap_sync.find_folder(folders, imap_sync.ROLE_ALL),
            "trash": imap_sync.find_folder(folders, imap_sync.ROLE_TRASH),
        }
        for (source, action), group in pending.grouped(
            lambda loc: (loc.folder, loc.server_action)
        ).items():
            destination = destinations[action]
            if not destination or destination == source:
                group.write(
                    {
                        "server_action": False,
                        "server_error": self.env._(
                            "The server has no %(folder)s folder: the mail was left where it is.",
                            folder=self.env._("Archive")
                            if action == "archive"
                            else self.env._("Trash"),
                        )
                        if not destination
                        else False,
                    }
                )
                self.commit()
                continue
            try:
                status = self.session.select(source, readonly=False)
                moving, gone = self.locate(group, status.uidvalidity)
                way = self.session.move(moving.values(), destination) if moving else None
                # the server's answer is not proof: what it moved is no longer in the source
                left = set(self.session.message_ids(moving.values())) if moving else set()
                if way == "copy_flag":
                    left = set()  # copied, originals flagged deleted: the client expunges them
            except imap_session.ImapError as error:
                if error.kind in ("dropped", "timeout") or not self.session.connected:
                    raise
                group.write(
                    {
                        "server_action": False,
                        "server_error": self.mailbox._error_sentence(error),
                    }
                )
                self.commit()
                continue
            failed = group.filtered(
                lambda loc, left=left, moving=moving: moving.get(loc.id) in left
            )
            if gone:
                gone.write(
                    {
                        "server_action": False,
                        "server_error": self.env._(
                            "The mail is no longer in %(folder)s (moved or deleted in your mail "
                            "program?): it was left where it is.",
                            folder=source,
                        ),
                    }
                )
            if failed:
                _logger.warning(
                    "Mailbox %s: the server accepted moving %d mails from %s but kept them",
                    self.mailbox.id,
                    len(failed),
                    source,
                )
                failed.write(
                    {
                        "server_action": False,
                        "server_error": self.env._(
                            "The server said the mail was moved to %(destination)s, but it is "
                            "still in %(folder)s: move it in your mail program.",
                            destination=destination,
                            folder=source,
                        ),
                    }
                )
            done = group - gone - failed
            if action == "trash":
                done.unlink()
            else:
                done.write(
                    {"folder": destination, "uid": 0, "server_action": False, "server_error": False}
                )
            self.commit()

    def locate(self, group, uidvalidity):
        """Where each queued mail is now in the selected folder: ``({location id: uid}, gone)``.

        A saved UID counts only while it still holds the same Message-Id (the user may have moved
        or deleted the mail in their mail program since); otherwise the mail is searched by its
        Message-Id. Mail found nowhere in the folder is ``gone``: it is not moved.
        """
        located, gone = {}, group.browse()
        by_uid = {int(loc.uid): loc for loc in group if loc.uid and loc.uidvalidity == uidvalidity}
        present = self.session.message_ids(by_uid) if by_uid else {}
        for location in group:
            uid = int(location.uid or 0)
            if (
                uid in by_uid
                and uid in present
                and (not location.message_ref or present[uid] == location.message_ref)
            ):
                located[location.id] = uid
                continue
            found = (
                self.session.search(message_id=location.message_ref) if location.message_ref else []
            )
            if found:
                located[location.id] = found[-1]
            else:
                gone |= location
        return located, gone
