"""The pure parts of the sync protocol: plans, folder choice, header summaries."""

from datetime import UTC
from datetime import datetime

import pytest

from mail_lead_capture.tools.imap import Checkpoint
from mail_lead_capture.tools.imap import describe_folders
from mail_lead_capture.tools.imap import find_folder
from mail_lead_capture.tools.imap import folder_role
from mail_lead_capture.tools.imap import folders_to_sync
from mail_lead_capture.tools.imap import plan_folder
from mail_lead_capture.tools.imap import summarize_header
from mail_lead_capture.tools.imap.session import Folder
from mail_lead_capture.tools.imap.session import FolderStatus
from mail_lead_capture.tools.imap.summaries import header_addresses


def status(uidvalidity=7, uidnext=101, messages=100, modseq=None):
    return FolderStatus("INBOX", uidvalidity, uidnext, messages, modseq)


# ------------------------------------------------------------------------------ plans


def test_first_sight_of_a_folder_reads_it_all():
    plan = plan_folder(status(), None)
    assert plan.action == "initial"
    assert (plan.first_uid, plan.last_uid, plan.estimated) == (1, 100, 100)
    assert plan.start == Checkpoint(7, 0, None)
    assert plan.save_now is None


def test_new_uids_are_read_from_the_checkpoint_on():
    plan = plan_folder(status(uidnext=131, messages=120), Checkpoint(7, 100, 5))
    assert plan.action == "incremental"
    assert (plan.first_uid, plan.last_uid, plan.estimated) == (101, 130, 30)
    assert plan.start == Checkpoint(7, 100, 5)


def test_nothing_new_is_up_to_date_and_saves_nothing():
    plan = plan_folder(status(modseq=9), Checkpoint(7, 100, 9))
    assert plan.action == "up_to_date"
    assert plan.save_now is None
    assert plan.estimated == 0


def test_a_flag_change_only_moves_highestmodseq():
    plan = plan_folder(status(modseq=12), Checkpoint(7, 100, 9))
    assert plan.action == "up_to_date"
    assert plan.save_now == Checkpoint(7, 100, 12)


def test_a_new_uidvalidity_rescans_from_uid_one():
    plan = plan_folder(status(uidvalidity=8), Checkpoint(7, 100, 9))
    assert plan.action == "rescan"
    assert plan.start == Checkpoint(8, 0, None)
    assert (plan.first_uid, plan.last_uid) == (1, 100)


def test_a_uidnext_that_went_backwards_rescans():
    plan = plan_folder(status(uidnext=50, messages=49), Checkpoint(7, 100, 9))
    assert plan.action == "rescan"
    assert plan.first_uid == 1


@pytest.mark.parametrize("checkpoint", [None, Checkpoint(6, 40)])
def test_an_empty_folder_saves_a_checkpoint_once(checkpoint):
    plan = plan_folder(status(uidnext=1, messages=0, modseq=3), checkpoint)
    assert plan.action == "up_to_date"
    assert plan.save_now == Checkpoint(7, 0, 3)
    assert plan_folder(status(uidnext=1, messages=0, modseq=3), plan.save_now).save_now is None


def test_a_folder_whose_mail_was_all_deleted_jumps_to_uidnext():
    plan = plan_folder(status(uidnext=500, messages=0), Checkpoint(7, 100))
    assert plan.action == "up_to_date"
    assert plan.save_now == Checkpoint(7, 499, None)


# ------------------------------------------------------------------------------ folders


def folder(name, *flags, delimiter="/"):
    special = next((f for f in flags if f not in ("\\HasNoChildren", "\\Noselect")), None)
    return Folder(name, delimiter, frozenset(flags), special)


DOVECOT_LIKE = [
    folder("INBOX"),
    folder("Sent", "\\Sent"),
    folder("Drafts", "\\Drafts"),
    folder("Trash", "\\Trash"),
    folder("Junk", "\\Junk"),
    folder("Archive", "\\Archive"),
    folder("Clients"),
    folder("Clients/Spam"),  # a client called Spam, not the junk folder
]

GMAIL_LIKE = [
    folder("INBOX"),
    folder("[Gmail]", "\\Noselect"),
    folder("[Gmail]/All Mail", "\\All"),
    folder("[Gmail]/Drafts", "\\Drafts"),
    folder("[Gmail]/Important", "\\Important"),
    folder("[Gmail]/Sent Mail", "\\Sent"),
    folder("[Gmail]/Spam", "\\Junk"),
    folder("[Gmail]/Starred", "\\Flagged"),
    folder("[Gmail]/Trash", "\\Trash"),
    folder("Customers"),
]

# An old server without SPECIAL-USE, in German, with Courier's "INBOX." prefix.
NAMES_ONLY = [
    folder("INBOX", delimiter="."),
    folder("INBOX.Gesendet", delimiter="."),
    folder("INBOX.Entwürfe", delimiter="."),
    folder("INBOX.Papierkorb", delimiter="."),
    folder("INBOX.Spamverdacht", delimiter="."),
    folder("INBOX.Kunden", delimiter="."),
    folder("INBOX.Kunden.Gesendet", delimiter="."),  # a customer's sub-folder: no role
]


def test_scope_all_skips_trash_junk_and_drafts():
    assert folders_to_sync(DOVECOT_LIKE).names == (
        "INBOX",
        "Sent",
        "Archive",
        "Clients",
        "Clients/Spam",
    )


def test_scope_all_on_gmail_syncs_all_mail_only():
    selection = folders_to_sync(GMAIL_LIKE)
    assert selection.names == ("[Gmail]/All Mail",)
    reasons = {choice.name: choice.reason for choice in describe_folders(GMAIL_LIKE)}
    assert reasons["INBOX"] == "covered_by_all_mail"
    assert reasons["[Gmail]/Sent Mail"] == "covered_by_all_mail"
    assert reasons["[Gmail]/Spam"] == "junk"
    assert reasons["[Gmail]/Starred"] == "virtual_view"
    assert reasons["[Gmail]"] == "not_selectable"


def test_folder_roles_by_name_when_there_is_no_special_use():
    roles = {f.name: folder_role(f) for f in NAMES_ONLY}
    assert roles == {
        "INBOX": "inbox",
        "INBOX.Gesendet": "sent",
        "INBOX.Entwürfe": "drafts",
        "INBOX.Papierkorb": "trash",
        "INBOX.Spamverdacht": "junk",
        "INBOX.Kunden": "other",
        "INBOX.Kunden.Gesendet": "other",
    }
    assert folders_to_sync(NAMES_ONLY).names == (
        "INBOX",
        "INBOX.Gesendet",
        "INBOX.Kunden",
        "INBOX.Kunden.Gesendet",
    )


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Sent Items", "sent"),
        ("Sent Messages", "sent"),
        ("[Gmail]/Sent Mail", "sent"),
        ("Envoyés", "sent"),
        ("Éléments envoyés", "sent"),
        ("Elementos enviados", "sent"),
        ("Posta inviata", "sent"),
        ("Deleted Items", "trash"),
        ("Corbeille", "trash"),
        ("Junk E-mail", "junk"),
        ("Bulk Mail", "junk"),
        ("Courrier indésirable", "junk"),
        ("Brouillons", "drafts"),
        ("Outbox", "not_mail"),
        ("Projects", "other"),
    ],
)
def test_usual_names_in_several_languages(name, role):
    assert folder_role(folder(name)) == role


def test_chosen_scope_refuses_trash_and_reports_missing_folders():
    selection = folders_to_sync(
        DOVECOT_LIKE, "chosen", ["Clients", "Trash", "Gone", "INBOX", "Clients"]
    )
    assert selection.names == ("INBOX", "Clients")
    assert selection.refused == ("Trash",)
    assert selection.missing == ("Gone",)
    with pytest.raises(ValueError, match="scope"):
        folders_to_sync(DOVECOT_LIKE, "some")


def test_chosen_scope_may_pick_gmail_labels():
    selection = folders_to_sync(GMAIL_LIKE, "chosen", ["Customers", "[Gmail]/Sent Mail"])
    assert selection.names == ("[Gmail]/Sent Mail", "Customers")


def test_finds_archive_and_trash_for_two_way_sync():
    assert find_folder(DOVECOT_LIKE, "archive") == "Archive"
    assert find_folder(GMAIL_LIKE, "trash") == "[Gmail]/Trash"
    assert find_folder(NAMES_ONLY, "trash") == "INBOX.Papierkorb"
    assert find_folder(NAMES_ONLY, "archive") is None


# ------------------------------------------------------------------------------ headers

HEADER = (
    "From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <Juergen@Client.Example>\r\n"
    "Sender: list-bounces@lists.example\r\n"
    "To: Owner <owner@mycompany.example>, sue@client.example\r\n"
    "Cc: SUE@client.example, Bob <bob@partner.example>\r\n"
    "Bcc: secret@partner.example\r\n"
    "Reply-To: juergen.private@mail.example\r\n"
    "Subject: =?utf-8?q?Angebot_f=C3=BCr?= 2026\r\n"
    "Date: Tue, 3 Mar 2026 14:05:00 +0100\r\n"
    "Message-ID: <abc.123@client.example>\r\n"
    "In-Reply-To: <parent@mycompany.example>\r\n"
    "References: <root@client.example>\r\n <parent@mycompany.example>\r\n"
    "\r\n"
)


def test_header_summary_reads_participants_threading_date_and_subject():
    summary = summarize_header(HEADER.encode())
    assert summary.sender == "juergen@client.example"
    assert summary.to == ("owner@mycompany.example", "sue@client.example")
    assert summary.cc == ("sue@client.example", "bob@partner.example")
    assert summary.bcc == ("secret@partner.example",)
    assert summary.reply_to == ("juergen.private@mail.example",)
    assert summary.participants == (
        "juergen@client.example",
        "owner@mycompany.example",
        "sue@client.example",
        "bob@partner.example",
        "secret@partner.example",
        "juergen.private@mail.example",
    )
    assert "list-bounces@lists.example" not in summary.participants
    assert summary.subject == "Angebot für 2026"
    assert summary.date == datetime(2026, 3, 3, 13, 5, tzinfo=UTC)
    assert summary.message_id == summary.dedupe_key == "<abc.123@client.example>"
    assert summary.in_reply_to == "<parent@mycompany.example>"
    assert summary.references == ("<root@client.example>", "<parent@mycompany.example>")
    assert summary.thread_ids == ("<parent@mycompany.example>", "<root@client.example>")


def test_mail_without_message_id_gets_a_stable_key():
    header = "From: a@example.org\r\nTo: b@example.org\r\nSubject: x\r\nDate: nonsense\r\n\r\n"
    first, again = summarize_header(header.encode()), summarize_header(header)
    other = summarize_header(header.replace("Subject: x", "Subject: y"))
    assert first.message_id is None
    assert first.date is None
    assert first.dedupe_key.startswith("sha256:")
    assert first.dedupe_key == again.dedupe_key != other.dedupe_key


def test_raw_utf8_and_broken_headers_do_not_break_the_summary():
    header = "From: Zoë <zoë@bücher.example>\r\nTo: not an address\r\nMessage-ID: bare-id@x\r\n\r\n"
    summary = summarize_header(header.encode("utf-8"))
    assert summary.sender == "zoë@bücher.example"
    assert summary.to == ()
    assert summary.message_id == "bare-id@x"
    assert summarize_header(b"").participants == ()


def test_header_addresses_reads_only_the_fields_named():
    header = (
        "From: Sue <Sue@Client.Example>\r\n"
        "To: a@x.example, B <b@x.example>\r\n"
        "Cc: =?utf-8?q?J=C3=B6rg?= <jorg@bücher.example>\r\n"
        "Reply-To: other@y.example\r\n"
        "Subject: sue@elsewhere.example\r\n\r\n"
    )
    assert header_addresses(header.encode(), ("FROM", "TO", "CC", "BCC")) == {
        "sue@client.example",
        "a@x.example",
        "b@x.example",
        "jorg@bücher.example",
    }
    assert header_addresses(header, ("Reply-To",)) == {"other@y.example"}
    assert header_addresses(b"", ("FROM",)) == set()
