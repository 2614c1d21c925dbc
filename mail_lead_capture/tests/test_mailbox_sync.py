from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import mailbox_sync_pass as sync_pass_module
from ..models.mailbox_sync_pass import MailboxPass
from ..tools import imap
from . import dovecot_server
from .mailbox_common import SYNC_LOGGERS
from .mailbox_common import MailboxCase


class SimulatedCrash(Exception):
    """Stands for the worker being killed: nothing after it is committed."""


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxSync(MailboxCase):
    """What a sync pass files, and what it leaves alone, against a real Dovecot."""

    # ------------------------------------------------------------
    # WHAT IS FILED
    # ------------------------------------------------------------

    def test_first_sync_files_mail_with_lead_contacts_headers_first(self):
        self.append(sender="Hana Sato <hana@client.example>", to=self.bob.email, subject="Quote")
        self.append(sender="stranger@nowhere.example", to=self.bob.email, subject="Unknown")
        self.append(
            sender="hana@client.example",
            to=self.bob.email,
            subject="Out of office",
            headers={"Auto-Submitted": "auto-replied"},
        )
        self.append("Sent", sender=self.bob.email, to="hana@client.example", subject="Re: Quote")
        self.append("Projects", sender="omar@other.example", to=self.bob.email, subject="Plans")
        self.append("Trash", sender="hana@client.example", to=self.bob.email, subject="Binned")
        self.append("Junk", sender="hana@client.example", to=self.bob.email, subject="Spam")
        self.append("Drafts", sender=self.bob.email, to="hana@client.example", subject="Draft")
        flags_before = {
            folder: self.dovecot.flags(self.login, folder) for folder in ("INBOX", "Sent")
        }
        mailbox = self.make_mailbox()
        self.assertEqual(mailbox.state, "syncing", "the first import is pending")
        self.assertEqual(
            sorted(mailbox.folder_ids.filtered("synced").mapped("name")),
            ["Archive", "INBOX", "Projects", "Sent"],
            "Trash, Junk and Drafts are never synced",
        )
        result = self.sync(mailbox)
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(mailbox.import_progress, 100.0)
        self.assertEqual(self.subjects(self.lead), ["Quote", "Re: Quote"])
        self.assertEqual(self.subjects(self.lead_omar), ["Plans"])
        directions = {m.subject: m.lead_capture_direction for m in self.lead_messages(self.lead)}
        self.assertEqual(directions, {"Quote": "incoming", "Re: Quote": "outgoing"})
        self.assertFalse(
            self.env["mail.capture.unmatched"].search([("user_id", "=", self.bob.id)]),
            "mail of no lead is skipped, not queued",
        )
        # Only the three filed mails were downloaded whole; every other mail, its header only.
        transfer = self.dovecot.transfer_counts(self.login, sessions=2)
        self.assertEqual(transfer["body_count"], 3, transfer)
        # \Seen is never read nor changed
        for folder, flags in flags_before.items():
            self.assertEqual(self.dovecot.flags(self.login, folder), flags)

    def test_filed_mail_keeps_its_imap_location_and_is_private_by_default(self):
        uid = self.append(sender="hana@client.example", to=self.bob.email, subject="Where")
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        message = self.lead_messages(self.lead)
        self.assertEqual(message.lead_capture_private_user_id, self.bob)
        location = message.sudo().lead_capture_location_ids
        self.assertEqual(
            (location.mailbox_id, location.folder, location.uid), (mailbox, "INBOX", uid)
        )
        self.assertEqual(
            location.uidvalidity, self.dovecot.status(self.login, "INBOX")["uidvalidity"]
        )

    def test_incremental_pass_costs_one_round_trip_per_folder(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="First")
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        report = self.pass_report(mailbox)
        synced = len(mailbox.folder_ids.filtered("synced"))
        self.assertEqual((report.examined, report.stored), (0, 0))
        self.assertEqual(report.round_trips, synced, "one STATUS per folder, nothing else")
        self.append(sender="hana@client.example", to=self.bob.email, subject="Second")
        report = self.pass_report(mailbox)
        self.assertEqual((report.examined, report.stored), (1, 1))
        self.assertEqual(self.subjects(self.lead), ["First", "Second"])

    def test_a_large_first_import_goes_on_in_the_background_with_its_progress(self):
        for n in range(8):
            self.append(sender="hana@client.example", to=self.bob.email, subject=f"Old {n}")
        mailbox = self.make_mailbox()
        checks = []

        def time_is_up(pass_):
            checks.append(1)
            return len(checks) > 3  # the time box ends a few mails into the pass

        with patch.object(MailboxPass, "should_stop", time_is_up):
            self.sync(mailbox)
        self.assertEqual(mailbox.state, "syncing")
        self.assertTrue(0 < mailbox.import_progress < 100, mailbox.import_progress)
        self.assertEqual(mailbox.import_total, 8)
        filed = len(self.lead_messages(self.lead))
        self.assertTrue(0 < filed < 8)
        self.assertIn(mailbox, self.Mailbox.search(self.Mailbox._due_domain()))
        self.run_cron()  # the scheduled action carries on where the pass stopped
        self.assertEqual(mailbox.state, "connected")
        self.assertEqual((mailbox.import_progress, mailbox.import_done), (100.0, 8))
        self.assertEqual(self.subjects(self.lead), sorted(f"Old {n}" for n in range(8)))

    def test_same_mail_in_two_folders_is_filed_once(self):
        raw = self.build_mail(sender=self.bob.email, to="hana@client.example", subject="Twice")
        self.dovecot.append(self.login, "Sent", raw)
        self.dovecot.append(self.login, "Projects", raw)
        self.sync(self.make_mailbox())
        self.assertEqual(self.subjects(self.lead), ["Twice"])

    def test_a_mail_moved_away_during_a_pass_is_filed_from_where_it_went(self):
        raw = self.build_mail(sender=self.bob.email, to="hana@client.example", subject="Moved")
        self.dovecot.append(self.login, "Sent", raw)
        self.dovecot.append(self.login, "Projects", raw)
        wants, moved = MailboxPass.wants, []

        def owner_moves_it_meanwhile(pass_, message):
            wanted = wants(pass_, message)
            if wanted and not moved:  # gone from Sent between its header and its body
                self.dovecot.doveadm("expunge", "-u", self.login, "mailbox", "Sent", "all")
                moved.append(message.uid)
            return wanted

        with patch.object(MailboxPass, "wants", owner_moves_it_meanwhile):
            self.sync(self.make_mailbox())
        self.assertEqual(moved, [1], "the Sent copy was wanted, then vanished")
        self.assertEqual(self.subjects(self.lead), ["Moved"], "filed from Projects")

    def test_header_stage_decides_without_loading_records(self):
        rules = self.company._lead_capture_filter_rules(self.bob)
        original = self.message_id("filed")
        self.lead.message_post(body="filed", message_type="email").message_id = original
        sync_pass = MailboxPass(self.make_mailbox(connect=False), None, 0, 1)
        sync_pass._rules = rules

        def wants(
            participants,
            thread_ids=(),
            direction="incoming",
            *,
            automated_kind=None,
            auto_create=False,
            known=None,
            pending_ids=frozenset(),
            lead_addresses=None,
        ):
            sync_pass.auto_create = auto_create
            sync_pass.known = {} if known is None else known
            sync_pass.pending_ids = set(pending_ids)
            sync_pass._lead_addresses = lead_addresses  # None: asked address by address
            return sync_pass.wants_header(
                participants, thread_ids, direction=direction, automated_kind=automated_kind
            )

        everyone = sync_pass.lead_participants(limit=100)
        self.assertIn("hana@client.example", everyone)
        self.assertIsNone(sync_pass.lead_participants(limit=1))
        for mode in ({}, {"lead_addresses": everyone}):
            with self.subTest(preloaded=bool(mode)):
                self.assertTrue(wants(["HANA@client.example".lower(), self.bob.email], **mode))
                self.assertFalse(wants(["nobody@nowhere.example", self.bob.email], **mode))
                self.assertFalse(
                    wants(["hana@client.example"], automated_kind="auto_reply", **mode),
                    "robot mail never",
                )
                self.assertFalse(wants([self.bob.email, self.karen.email], **mode), "colleagues")
                self.assertTrue(wants(["ken@new.example"], (original,), **mode), "a reply")
                self.assertTrue(
                    wants(["ken@new.example"], ("<soon@x>",), pending_ids={"<soon@x>"}, **mode)
                )
                self.assertFalse(wants([self.bob.email, "ken@new.example"], direction="outgoing"))
                self.assertTrue(
                    wants(
                        [self.bob.email, "ken@new.example"],
                        direction="outgoing",
                        auto_create=True,
                        **mode,
                    )
                )
        known = {}
        with self.assertQueryCount(1):
            self.assertTrue(wants(["hana@client.example", "zed@z.example"], known=known))
        with self.assertQueryCount(0):
            self.assertFalse(wants(["zed@z.example"], known=known), "remembered")
        with self.assertQueryCount(0):
            self.assertTrue(wants(["omar@other.example"], lead_addresses=everyone))

    def test_a_large_crm_is_asked_address_by_address(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="Large CRM")
        self.append(sender="stranger@nowhere.example", to=self.bob.email, subject="Unknown")
        with patch.object(sync_pass_module, "KNOWN_CACHE_SIZE", 1):
            self.sync(self.make_mailbox())
        self.assertEqual(self.subjects(self.lead), ["Large CRM"])

    # ------------------------------------------------------------
    # THREADS AND OPTIONS
    # ------------------------------------------------------------

    def test_reply_from_an_unknown_address_joins_the_lead_of_the_mail_it_answers(self):
        original = self.message_id("proposal")
        self.append(
            sender=self.bob.email, to="hana@client.example", subject="Proposal", message_id=original
        )
        self.append(
            sender="Ken Ito <ken@client.example>",
            to=self.bob.email,
            subject="Re: Proposal",
            headers={"In-Reply-To": original, "References": original},
        )
        self.sync(self.make_mailbox())
        self.assertEqual(self.subjects(self.lead), ["Proposal", "Re: Proposal"])
        trace = self.lead_messages(self.lead).filtered(lambda m: m.subject == "Re: Proposal")
        self.assertIn("replies to a mail already filed", trace.lead_capture_trace)

    def test_reply_to_mail_filed_on_two_leads_follows_no_thread(self):
        original = self.message_id("both")
        self.append(
            sender=self.bob.email,
            to="hana@client.example, omar@other.example",
            subject="To both",
            message_id=original,
        )
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        # the same mail on the other lead too, as a forward to the capture address could put it
        message = self.env["mail.message"].search([("message_id", "=", original)])
        other = self.lead_omar if message.res_id == self.lead.id else self.lead
        other.message_post(
            body="copy", message_type="email", subtype_xmlid="mail.mt_comment"
        ).sudo().message_id = original
        self.append(
            sender="Ken Ito <ken@client.example>",
            to=self.bob.email,
            subject="Re: To both",
            headers={"In-Reply-To": original},
        )
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)  # the pass did run
        self.assertEqual(int(mailbox.folder_ids.filtered(lambda f: f.name == "INBOX").last_uid), 2)
        filed = self.env["mail.message"].search([("subject", "=", "Re: To both")])
        self.assertFalse(filed, "the thread is ambiguous and Ken is on no lead: skipped")

    def test_outgoing_mail_to_new_people_creates_a_lead_only_with_auto_create(self):
        self.append("Sent", sender=self.bob.email, to="Lea Roy <lea@new.example>", subject="Hi Lea")
        self.append(sender="max@new.example", to=self.bob.email, subject="Incoming stays out")
        Lead = self.env["crm.lead"]
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        self.assertFalse(Lead.search([("partner_id.email_normalized", "=", "lea@new.example")]))
        login, password = self.dovecot.add_user()
        self.dovecot.append(
            login,
            "Sent",
            self.build_mail(sender=self.karen.email, to="Lea Roy <lea@new.example>", subject="Hi"),
        )
        self.dovecot.append(
            login, "INBOX", self.build_mail(sender="max@new.example", to=self.karen.email)
        )
        karen_box = self.Mailbox.create(
            {
                "user_id": self.karen.id,
                "email": self.karen.email,
                "host": "127.0.0.1",
                "port": self.dovecot.plain_port,
                "security": "none",
                "login": login,
                "password": password,
                "auto_create": True,
            }
        )
        karen_box.with_user(self.karen).action_test_connection()
        self.sync(karen_box)
        lead = Lead.search([("partner_id.email_normalized", "=", "lea@new.example")])
        self.assertEqual((lead.name, lead.user_id), ("Lea Roy", self.karen))
        self.assertFalse(Lead.search([("partner_id.email_normalized", "=", "max@new.example")]))

    def test_chosen_folders_only(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="In inbox")
        self.append("Projects", sender="hana@client.example", to=self.bob.email, subject="In P")
        mailbox = self.make_mailbox(scope="chosen")
        chosen = mailbox.folder_ids.filtered("chosen")
        self.assertEqual(sorted(chosen.mapped("name")), ["INBOX", "Sent"], "the default choice")
        trash = mailbox.folder_ids.filtered(lambda f: f.name == "Trash")
        self.assertFalse(trash.choosable)
        chosen.filtered(lambda f: f.name == "INBOX").with_user(self.bob).chosen = False
        mailbox.folder_ids.filtered(lambda f: f.name == "Projects").with_user(
            self.bob
        ).chosen = True
        self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), ["In P"])

    def test_mail_that_breaks_the_engine_waits_in_the_owners_queue(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="Breaks")
        self.append(sender="hana@client.example", to=self.bob.email, subject="Fine")
        Engine = type(self.env["mail.capture.engine"])
        original = Engine._file_mail

        def fragile(engine, mail, *args, **kwargs):
            if mail.subject == "Breaks":
                raise ValueError("a bug in the engine")
            return original(engine, mail, *args, **kwargs)

        mailbox = self.make_mailbox()
        with patch.object(Engine, "_file_mail", fragile):
            self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), ["Fine"], "the pass went on")
        item = self.env["mail.capture.unmatched"].search([("subject", "=", "Breaks")])
        self.assertEqual((item.user_id, item.source, item.rule), (self.bob, "sync", "error"))
        self.assertIn("a bug in the engine", item.reason)
        self.assertEqual(mailbox.state, "connected")

    # ------------------------------------------------------------
    # CRASH SAFETY
    # ------------------------------------------------------------

    def test_kill_and_resume_loses_and_duplicates_nothing(self):
        for n in range(6):
            self.append(sender="hana@client.example", to=self.bob.email, subject=f"Mail {n}")
        mailbox = self.make_mailbox()
        original = MailboxPass.file
        calls = []

        def dies_after_three(pass_, folder, message, raw):
            if len(calls) == 3:
                raise SimulatedCrash("killed")
            calls.append(message.uid)
            return original(pass_, folder, message, raw)

        with patch.object(MailboxPass, "file", dies_after_three):
            self.sync(mailbox)
        self.assertEqual(mailbox.state, "error")
        self.assertIn("killed", mailbox.last_error)
        self.assertEqual(self.subjects(self.lead), ["Mail 0", "Mail 1", "Mail 2"])
        inbox = mailbox.folder_ids.filtered(lambda f: f.name == "INBOX")
        self.assertEqual(inbox.last_uid, calls[-1], "the checkpoint is the last committed mail")
        self.assertTrue(mailbox.retry_date, "retried later, with back-off")
        self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), [f"Mail {n}" for n in range(6)])
        self.assertEqual(mailbox.state, "connected")

    def test_uidvalidity_reset_rescans_without_duplicates(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="Before")
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        old = mailbox.folder_ids.filtered(lambda f: f.name == "INBOX").uidvalidity
        new = self.dovecot.reset_uidvalidity(self.login, "INBOX")
        self.append(sender="hana@client.example", to=self.bob.email, subject="After")
        self.sync(mailbox)
        inbox = mailbox.folder_ids.filtered(lambda f: f.name == "INBOX")
        self.assertNotEqual(old, new)
        self.assertEqual(inbox.uidvalidity, new)
        self.assertEqual(self.subjects(self.lead), ["After", "Before"])

    def test_connection_dropped_mid_fetch_resumes_where_it_stopped(self):
        for n in range(4):
            self.append(
                sender="hana@client.example",
                to=self.bob.email,
                subject=f"Big {n}",
                body="x" * 20_000,
            )
        proxy = dovecot_server.DroppingProxy(self.dovecot.plain_port)
        self.addCleanup(proxy.stop)
        mailbox = self.make_mailbox(port=proxy.port)
        fetch_bodies = imap.ImapSession.fetch_bodies

        def cut_in_the_middle(session, uids):
            proxy.drop_after(30_000)  # in the middle of the second mail's body
            return fetch_bodies(session, uids)

        with patch.object(imap.ImapSession, "fetch_bodies", cut_in_the_middle):
            self.sync(mailbox)
        self.assertTrue(proxy.dropped.is_set())
        self.assertEqual(mailbox.state, "error")
        self.assertIn("connection", mailbox.last_error)
        self.assertFalse(self.lead_messages(self.lead), "the batch never arrived whole")
        self.sync(mailbox)
        self.assertEqual(self.subjects(self.lead), [f"Big {n}" for n in range(4)])

    # ------------------------------------------------------------
    # HISTORY
    # ------------------------------------------------------------

    def test_adding_a_contact_imports_their_past_mail(self):
        self.append(sender="Ken Ito <ken@client.example>", to=self.bob.email, subject="Old 1")
        self.append("Sent", sender=self.bob.email, to="ken@client.example", subject="Old 2")
        self.append(sender="zed@else.example", to=self.bob.email, subject="Not Ken")
        mailbox = self.make_mailbox()
        self.sync(mailbox)
        self.assertFalse(self.lead_messages(self.lead))
        checkpoints = {folder.name: folder.last_uid for folder in mailbox.folder_ids}
        ken = self.env["res.partner"].create({"name": "Ken Ito", "email": "ken@client.example"})
        self.lead.with_user(self.bob).contact_ids = [fields.Command.link(ken.id)]
        self.assertEqual(mailbox.history_ids.mapped("address"), ["ken@client.example"])
        self.run_cron()
        self.assertEqual(self.subjects(self.lead), ["Old 1", "Old 2"])
        self.assertFalse(mailbox.history_ids, "done")
        self.assertEqual(
            {folder.name: folder.last_uid for folder in mailbox.folder_ids},
            checkpoints,
            "found by SEARCH: no rescan",
        )

    def test_a_new_address_on_several_leads_without_company_is_queued(self):
        mailbox = self.make_mailbox()
        leads = self.env["crm.lead"].create(
            [{"name": "Walk-in 1", "company_id": False}, {"name": "Walk-in 2", "company_id": False}]
        )
        leads.write({"email_from": "lin@client.example"})  # one write on both leads
        self.assertEqual(mailbox.history_ids.mapped("address"), ["lin@client.example"])

    # ------------------------------------------------------------
    # SCHEDULING
    # ------------------------------------------------------------

    def test_the_cron_entry_point_refuses_to_run_outside_its_cron(self):
        with self.assertRaises(AssertionError):
            self.Mailbox._cron_sync_mailboxes()

    def test_cron_syncs_due_mailboxes_oldest_first_and_skips_backing_off_ones(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="For Bob")
        bob_box = self.make_mailbox()
        login, password = self.dovecot.add_user()
        self.dovecot.append(
            login, "INBOX", self.build_mail(sender="omar@other.example", to=self.karen.email)
        )
        karen_box = self.make_mailbox(
            user=self.karen, connect=False, login=login, password=password
        )
        karen_box.with_user(self.karen).action_test_connection()
        karen_box.retry_date = fields.Datetime.now() + timedelta(minutes=5)
        self.run_cron()
        self.assertEqual(self.subjects(self.lead), ["For Bob"])
        self.assertEqual(bob_box.state, "connected")
        self.assertFalse(self.lead_messages(self.lead_omar), "Karen's mailbox waits its retry")
        karen_box.retry_date = False
        self.run_cron()
        self.assertEqual(len(self.lead_messages(self.lead_omar)), 1)
        self.assertGreater(bob_box.next_sync, fields.Datetime.now(), "polled again later")

    def test_errors_back_off_exponentially(self):
        mailbox = self.make_mailbox()
        self.dovecot_port = mailbox.port
        mailbox.port = dovecot_server.free_port()  # nobody listens there
        delays = []
        for _attempt in range(3):
            mailbox.retry_date = False
            with self.enter_registry_test_mode(), mute_logger(*SYNC_LOGGERS):
                mailbox.sudo()._sync_locked()
            delays.append(round((mailbox.retry_date - mailbox.error_date).total_seconds() / 60))
        self.assertEqual(delays, [1, 2, 4])
        self.assertEqual(mailbox.state, "error")
        self.assertIn("cannot be reached", mailbox.last_error)
        self.assertNotIn(mailbox, self.Mailbox.search(self.Mailbox._due_domain()))

    def test_wrong_password_asks_the_owner_at_once_and_a_fixed_one_resumes(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="Before")
        mailbox = self.make_mailbox()
        self.run_cron()
        mailbox.write({"password": "changed-on-the-server", "next_sync": False})
        self.append(sender="hana@client.example", to=self.bob.email, subject="During")
        self.run_cron()
        self.assertEqual(mailbox.state, "reauth")
        self.assertIn("refused the login", mailbox.last_error)
        notice_domain = [
            ("model", "=", "mail.capture.mailbox"),
            ("res_id", "=", mailbox.id),
            ("partner_ids", "in", self.bob.partner_id.ids),
        ]
        notices = self.env["mail.message"].search(notice_domain)
        self.assertEqual(len(notices), 1)
        self.assertIn("needs your password", notices.subject)
        mailbox.next_sync = False
        self.assertTrue(
            self.env["mail.notification"].search(
                [
                    ("mail_message_id", "=", notices.id),
                    ("res_partner_id", "=", self.bob.partner_id.id),
                ]
            ),
            "in Bob's inbox",
        )
        self.run_cron()
        self.assertEqual(
            self.env["mail.message"].search_count(notice_domain), 1, "told once, not every run"
        )
        mailbox.password = self.password
        result = mailbox.with_user(self.bob).action_test_connection()
        self.assertEqual(result["params"]["type"], "success")
        self.run_cron()
        self.assertEqual(self.subjects(self.lead), ["Before", "During"])
        self.assertEqual(mailbox.state, "connected")


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxFolderFailure(MailboxCase):
    """A folder the server refuses shows on the mailbox within one pass, and Sync Now says so."""

    dovecot_options = {"acl": True}

    def test_a_refused_folder_puts_the_mailbox_in_error_with_the_folder_and_reason(self):
        self.append(sender="hana@client.example", to=self.bob.email, subject="In the inbox")
        self.append("Projects", sender="omar@other.example", to=self.bob.email, subject="Plans")
        mailbox = self.make_mailbox()
        # the server lists Projects but no longer lets the user open it
        self.dovecot.refuse_folder(self.login, "Projects")
        with self.assertLogs(
            "odoo.addons.mail_lead_capture.models.mailbox_sync_pass", "WARNING"
        ) as logs:
            result = self.sync(mailbox)
        self.assertIn("folder Projects: sync failed", "\n".join(logs.output))
        self.assertEqual(result["params"]["type"], "danger", "Sync Now does not say up to date")
        self.assertIn("Projects", result["params"]["message"])
        self.assertEqual(mailbox.state, "error")
        self.assertIn("Folder Projects could not be synced", mailbox.last_error)
        self.assertTrue(mailbox.retry_date, "backs off")
        self.assertEqual(self.subjects(self.lead), ["In the inbox"], "the other folders synced")
        # once the server opens the folder again, the next pass files its mail and clears it
        self.dovecot.refuse_folder(self.login, "Projects", refuse=False)
        mailbox.sudo().retry_date = False
        result = self.sync(mailbox)
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.assertEqual(mailbox.state, "connected")
        self.assertFalse(mailbox.last_error)
        self.assertEqual(self.subjects(self.lead_omar), ["Plans"])
