"""Mailbox sync through the model against IMAP servers other than Dovecot, from their Debian
packages (``stdio_imap_servers``): Courier-IMAP, whose SELECT has no UIDNEXT (with it, nothing was
ever filed while the mailbox said "Sync is up to date"), and Cyrus IMAP with its '/' separator.

The same mailbox on each: folders named outside ASCII, first import, an incremental pass, a mail
the user moved in their own mail program before a two-way "Archive", and one archived from Odoo.
What is filed is checked by Message-Id. Without the server the class is skipped, except in CI
(``CI=true``), where that is an error.
"""

import os
import unittest
import uuid

from odoo.tests import tagged

from . import stdio_imap_servers
from .mailbox_common import MailboxCase


class OtherServerMixin:
    """The class's IMAP server is ``make_server()`` instead of Dovecot (same helpers)."""

    @classmethod
    def make_server(cls):
        raise NotImplementedError

    @classmethod
    def start_imap_server(cls):
        try:
            return cls.make_server()
        except stdio_imap_servers.ServerUnavailable as exc:
            if os.environ.get("CI", "").lower() == "true":
                raise RuntimeError(f"CI needs this IMAP server: {exc}") from exc
            raise unittest.SkipTest(str(exc)) from exc

    def put(self, folder, **values):
        """One mail in a folder of the mailbox; its Message-Id."""
        message_id = f"<{uuid.uuid4().hex}@test.invalid>"
        self.dovecot.append(self.login, folder, self.build_mail(message_id=message_id, **values))
        return message_id

    def filed(self, lead):
        """Message-Ids of the mail filed on a lead, each as many times as it is there."""
        return sorted(self.lead_messages(lead).mapped("message_id"))

    def move_in_mail_program(self, source, destination, message_id):
        """What the user's own mail program does: COPY, flag deleted, EXPUNGE."""
        server = self.dovecot
        with server.imap(self.login) as client:
            client.select(stdio_imap_servers.wire(source))
            typ, data = client.search(None, "HEADER", "Message-ID", message_id)
            self.assertEqual((typ, len(data[0].split())), ("OK", 1), data)
            self.assertEqual(client.copy(data[0], stdio_imap_servers.wire(destination))[0], "OK")
            client.store(data[0], "+FLAGS", "(\\Deleted)")
            client.expunge()

    def test_files_exactly_the_expected_mail_through_import_increments_and_moves(self):
        server = self.dovecot
        inbox, sent = "INBOX", server.folder("Sent")
        ete, archive = server.folder("Été"), server.folder("Archive")
        hana, omar = "Hana Sato <hana@client.example>", "Omar Haddad <omar@other.example>"
        quote = self.put(inbox, sender=hana, to=self.bob.email, subject="Quote")
        self.put(inbox, sender="stranger@nowhere.example", to=self.bob.email, subject="Unknown")
        reply = self.put(sent, sender=self.bob.email, to="hana@client.example", subject="Re: Quote")
        plans = self.put(ete, sender=omar, to=self.bob.email, subject="Plans d'été")
        self.put(ete, sender="someone@nowhere.example", to=self.bob.email, subject="Été")
        server.create_folder(self.login, archive)

        folders = {inbox, sent, ete, archive}
        if not server.prefix:
            folders.add("Projects")  # made by setUp (Courier keeps folders under INBOX.)
        mailbox = self.make_mailbox(direction="two_way")
        self.assertEqual(
            sorted(mailbox.folder_ids.filtered("synced").mapped("name")),
            sorted(folders),
            "every folder, named as the user reads it",
        )
        result = self.sync(mailbox)
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(mailbox.import_progress, 100.0)
        self.assertFalse(mailbox.folder_ids.filtered("error_message"), "no folder failed")
        self.assertEqual(self.filed(self.lead), sorted([quote, reply]))
        self.assertEqual(self.filed(self.lead_omar), [plans])

        # incremental: the new mail of INBOX and of the non-ASCII folder, nothing twice
        followup = self.put(inbox, sender=hana, to=self.bob.email, subject="Follow-up")
        plans_2 = self.put(ete, sender=omar, to=self.bob.email, subject="Plans, suite")
        self.sync(mailbox)
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)
        self.assertEqual(self.filed(self.lead), sorted([quote, reply, followup]))
        self.assertEqual(self.filed(self.lead_omar), sorted([plans, plans_2]))

        # Bob files the quote in Été in his mail program, then archives it from Odoo: the pass
        # notices it is no longer where it was filed from and leaves it where Bob put it
        self.move_in_mail_program(inbox, ete, quote)
        message = self.lead_messages(self.lead).filtered(lambda m: m.message_id == quote)
        message.with_user(self.bob).action_lead_capture_archive()
        self.sync(mailbox)
        self.assertNotIn(quote, server.message_ids(self.login, archive), "nothing was archived")
        self.assertIn(quote, server.message_ids(self.login, ete), "left where Bob put it")
        location = mailbox.location_ids.filtered(lambda loc: loc.message_ref == quote)
        self.assertFalse(location.server_action)
        self.assertIn("no longer in INBOX", location.server_error)
        self.assertEqual(self.filed(self.lead), sorted([quote, reply, followup]), "not twice")

        # the follow-up, still in INBOX, is archived from Odoo: it is in Archive on the server
        message = self.lead_messages(self.lead).filtered(lambda m: m.message_id == followup)
        message.with_user(self.bob).action_lead_capture_archive()
        self.sync(mailbox)
        self.assertEqual(server.message_ids(self.login, archive), [followup])
        self.assertNotIn(followup, server.message_ids(self.login, inbox))
        location = mailbox.location_ids.filtered(lambda loc: loc.message_ref == followup)
        self.assertEqual((location.folder, location.server_error), (archive, False))
        self.assertEqual(self.filed(self.lead), sorted([quote, reply, followup]), "not twice")
        self.assertEqual(mailbox.state, "connected", mailbox.last_error)


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxCourier(OtherServerMixin, MailboxCase):
    """Courier-IMAP: folders under ``INBOX.``, no UIDNEXT in SELECT, no MOVE."""

    @classmethod
    def make_server(cls):
        return stdio_imap_servers.CourierServer()


@tagged("post_install", "-at_install", "mail_lead_capture")
class TestMailboxCyrus(OtherServerMixin, MailboxCase):
    """Cyrus IMAP with its current default namespace: '/' and folders beside INBOX."""

    @classmethod
    def make_server(cls):
        return stdio_imap_servers.CyrusServer("/")
