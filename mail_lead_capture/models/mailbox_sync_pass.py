"""One sync pass over one synced mailbox: the glue between the ORM and ``tools/imap_sync.py``.

Not a model: ``mail.capture.mailbox`` creates a :class:`MailboxPass` in a cursor of its own for
every pass. The protocol (what to fetch, checkpoints, UIDVALIDITY, history searches) is decided by
the ORM-free ``imap_sync``; this class reads the records that protocol needs and stores what it
hands back through ``mail.capture.engine``.
"""

import bisect
import dataclasses
import email
import email.policy
import logging
import time

from odoo import fields
from odoo.fields import Command

from ..tools import automated
from ..tools import capture
from ..tools import filters
from ..tools import imap_session
from ..tools import imap_sync
from ..tools.direction import OUTGOING
from ..tools.direction import mail_direction

_logger = logging.getLogger(__name__)

# Addresses whose "on a lead?" answer a pass remembers; cleared when full (memory stays flat).
KNOWN_CACHE_SIZE = 5_000
# Replies that answer mail no lead holds yet are remembered per folder (the newest ones, this many
# at most, each with its first Message-Ids of In-Reply-To/References) for this many days: filed
# when their original is, at the end of the same pass or of a later one.
WAITING_REPLIES_MAX = 500
WAITING_REPLY_IDS = 5
WAITING_REPLY_DAYS = 14


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
        self.round_trips = 0

    @property
    def rules(self):
        """The filter rules, built once per pass, when the first mail needs them."""
        if self._rules is None:
            rules = self.company._lead_capture_filter_rules(self.owner)
            # In its own mailbox, the mailbox's address is the owner's side of the conversation,
            # confirmed or not; everywhere else it is theirs only once confirmed.
            if self.mailbox.email and self.mailbox.email not in rules.user_addresses:
                rules = dataclasses.replace(
                    rules, user_addresses=rules.user_addresses | {self.mailbox.email}
                )
            self._rules = rules
        return self._rules

    @property
    def lead_addresses(self):
        """Every address on the company's leads, loaded once per pass when there are not too many."""
        if self._lead_addresses is False:
            self._lead_addresses = self.engine._lead_capture_lead_addresses(
                self.company, limit=KNOWN_CACHE_SIZE
            )
        return self._lead_addresses

    # ------------------------------------------------------------ time box and commits

    def should_stop(self):
        if self.time_left <= 0:
            return True
        return self.deadline is not None and time.monotonic() >= self.deadline

    def commit(self, processed=0):
        """Commit what was written (a mail and its checkpoint), counting it in the cron's progress."""
        self.time_left = self.env["ir.cron"]._commit_progress(processed, remaining=self.remaining)

    # ------------------------------------------------------------ the pass

    def run(self):
        mailbox = self.mailbox
        with mailbox._lead_capture_connect() as session:
            self.session = session
            folders = session.list_folders()
            if mailbox._lead_capture_update_folders(folders):
                self.commit()
            if self.two_way:
                self.apply_server_moves(folders)
            self.import_history()
            chosen = mailbox.folder_ids.filtered("chosen").mapped("name")
            selection = imap_sync.folders_to_sync(folders, self.scope, chosen)
            by_name = {folder.name: folder for folder in mailbox.folder_ids}
            # Sent first: a reply in the inbox then finds the mail it answers already filed.
            names = sorted(
                selection.names, key=lambda name: by_name[name].role != imap_sync.ROLE_SENT
            )
            before = session.round_trips
            for name in names:
                if self.should_stop():
                    self.complete = False
                    break
                self.sync_folder(by_name[name])
            if not self.should_stop():
                self.file_waiting_replies(by_name[name] for name in names)
            self.round_trips = session.round_trips - before
        self.importing = mailbox._lead_capture_importing()
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
        checkpoint = folder._lead_capture_checkpoint()
        importing = folder.import_state != "done"
        # Progress counts the mails handled (at or before the checkpoint), not those whose header
        # was read: a batch is judged whole before any of it is stored.
        handled = folder.import_done if importing else 0
        progress = {"handled": handled, "pending": []}  # pending: examined UIDs, ascending

        def wants_body(message):
            progress["pending"].append(message.uid)
            self.examined += 1
            wanted = self.wants(message)
            if not wanted:
                self.remember_reply(folder, message)
            return wanted

        def with_progress(values, last_uid):
            values.update(self.waiting_values(folder))
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
            values = folder._lead_capture_checkpoint_values(message.checkpoint)
            folder.write(with_progress(values, message.uid))
            self.stored += 1
            self.commit(1)
            settle(message.uid)
            self.pending_ids.discard(message.summary.message_id)  # now found in the database

        def save_checkpoint(new_checkpoint):
            values = folder._lead_capture_checkpoint_values(new_checkpoint)
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
            sentence = self.mailbox._lead_capture_error_sentence(error)
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
        wanted = self.engine._lead_capture_wants(
            summary.participants,
            summary.thread_ids,
            company=self.company,
            owner=self.owner,
            auto_create=self.auto_create,
            direction=mail_direction(summary.sender, self.rules.user_addresses),
            rules=self.rules,
            automated_kind=robot,
            known=self.known,
            pending_ids=self.pending_ids,
            lead_addresses=self.lead_addresses,
        )
        if not wanted or not summary.message_id:
            return wanted
        # Already filed (the same mail in another folder or mailbox, or a folder rescanned after
        # a UIDVALIDITY change): no need to download it again.
        # A colleague's private copy does not count: this owner cannot see it.
        if summary.message_id in self.pending_ids or self.env["mail.message"].sudo().search_count(
            [
                ("message_id", "=", summary.message_id),
                ("model", "=", "crm.lead"),
                ("lead_capture_private_user_id", "in", [False, self.owner.id]),
            ],
            limit=1,
        ):
            return False
        self.pending_ids.add(summary.message_id)
        return True

    def file(self, folder, message, raw):
        """File one downloaded mail; a mail that breaks the engine waits in the owner's queue."""
        env = self.env
        parsed = email.message_from_bytes(raw, policy=email.policy.SMTP)
        engine = self.engine.with_context(lead_capture_raw=raw)
        mail = None
        try:
            with env.cr.savepoint():
                message_dict = env["mail.thread"].sudo().message_parse(parsed)
                mail, body, attachments, robot = engine._lead_capture_prepare(
                    parsed, message_dict, with_forward=False
                )
                author = mail.author.address if mail.author else None
                outgoing = mail_direction(author, self.rules.user_addresses) == OUTGOING
                lead_id = engine._lead_capture_file(
                    mail,
                    body,
                    attachments,
                    company=self.company,
                    owner=self.owner,
                    source="sync",
                    automated_kind=robot,
                    raw=raw,
                    message=parsed,
                    no_match="create" if self.auto_create and outgoing else "skip",
                    keep_screened=False,
                    rules=self.rules,
                    message_values=self.message_values(folder, message),
                )
        except Exception as error:  # a mail that breaks the engine must not be lost
            mail = mail or capture.captured_mail(parsed, None)
            _logger.warning(
                "Mailbox %s: mail %s could not be filed; kept for review",
                self.mailbox.id,
                mail.message_id,
                exc_info=True,
            )
            with env.cr.savepoint():
                engine._lead_capture_keep_failed(mail, raw, self.owner, self.company, "sync", error)
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

    def message_values(self, folder, message):

        return {
            "lead_capture_private_user_id": self.owner.id if self.private else False,
            "lead_capture_location_ids": [
                Command.create(
                    {
                        "mailbox_id": self.mailbox.id,
                        "folder": folder.name,
                        "uidvalidity": message.uidvalidity,
                        "uid": message.uid,
                        "message_ref": message.summary.message_id,
                    }
                )
            ],
        }

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
            filed = set(
                self.env["mail.message"]
                .sudo()
                .search([("message_id", "in", list(ids)), ("model", "=", "crm.lead")])
                .mapped("message_id")
            )
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
            todo = pending.filtered(lambda h, folder=folder: folder not in h.done_folder_ids)
            if not todo:
                continue
            checkpoint = folder._lead_capture_checkpoint()
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
                        "server_error": self.mailbox._lead_capture_error_sentence(error),
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
