import dataclasses
from email.message import EmailMessage

import pytest

from mail_lead_capture.tools.filing import CREATE
from mail_lead_capture.tools.filing import DEFAULT
from mail_lead_capture.tools.filing import QUEUE
from mail_lead_capture.tools.filing import Content
from mail_lead_capture.tools.filing import Filing
from mail_lead_capture.tools.filing import Location
from mail_lead_capture.tools.filing import attachment_files


def test_a_filing_is_a_frozen_value_with_the_gateways_defaults():
    filing = Filing(1, 7, "capture", forwarder=("Bob", "bob@example.com"))
    assert (filing.on_refusal, filing.no_match, filing.keep_screened) == (QUEUE, DEFAULT, True)
    assert (filing.lead_id, filing.force_create, filing.private, filing.location) == (
        None,
        False,
        False,
        None,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        filing.owner_id = 8
    # an entry point derives a variant instead of changing it
    outgoing = dataclasses.replace(filing, no_match=CREATE)
    assert (outgoing.no_match, filing.no_match) == (CREATE, DEFAULT)
    assert outgoing == Filing(
        1, 7, "capture", forwarder=("Bob", "bob@example.com"), no_match=CREATE
    )


def test_a_filing_with_a_location_compares_by_value():
    where = Location(3, "INBOX", 1700000000, 42, "<a@b>")
    assert Filing(1, 7, "sync", location=where) == Filing(
        1, 7, "sync", location=Location(3, "INBOX", 1700000000, 42, "<a@b>")
    )
    assert hash(where) == hash(Location(3, "INBOX", 1700000000, 42, "<a@b>"))


def test_empty_content_is_what_a_mail_kept_unread_carries():
    content = Content(raw=b"From: x@y\r\n\r\nhi")
    assert (content.body, content.attachments, content.automated, content.message) == (
        "",
        (),
        None,
        None,
    )


def test_attachment_files_turns_every_gateway_shape_into_bytes():
    inner = EmailMessage()
    inner["Subject"] = "Attached mail"
    inner.set_content("body")
    files = attachment_files(
        [
            ("a.txt", "text é", {}),
            ("b.bin", b"\x00\x01"),
            ("c.eml", inner, {"content_type": "message/rfc822"}),
            ("", None),
        ]
    )
    assert files[0] == ("a.txt", "text é".encode())
    assert files[1] == ("b.bin", b"\x00\x01")
    assert files[2][0] == "c.eml" and b"Subject: Attached mail" in files[2][1]
    assert files[3] == ("attachment", b"")
