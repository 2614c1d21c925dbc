import email
import email.policy
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from mail_lead_capture.tools import capture
from mail_lead_capture.tools import raw_mail
from mail_lead_capture.tools.envelope import envelope_recipients


def mail(*headers: bytes, body: bytes = b"Hello\r\n") -> bytes:
    return b"\r\n".join(headers) + b"\r\n\r\n" + body


def test_a_normal_mail_is_not_oversized():
    raw = mail(b"From: bob@acme.example", b"To: " + b", ".join([b"x@y.example"] * 5000))
    assert raw_mail.oversized_header(raw) is None, "address lists may take the whole block"


def test_one_field_over_its_cap_is_named_with_its_size():
    raw = mail(b"From: bob@acme.example", b"Subject: " + b"x" * 70_000, b"To: a@b.example")
    assert raw_mail.oversized_header(raw) == ("subject", 70_000)


def test_folded_lines_count_for_their_field():
    folded = b"References: " + b"\r\n ".join([b"<id-%d@example>" % i for i in range(5000)])
    name, size = raw_mail.oversized_header(mail(folded))
    assert name == "references" and size > raw_mail.MAX_FIELD_BYTES


def test_a_header_block_over_the_total_cap_is_reported():
    to = b"To: " + b", ".join([b"someone@example.com"] * 60_000)
    assert raw_mail.oversized_header(mail(to))[0] == ""
    assert raw_mail.oversized_header(mail(to), total=2_000_000) is None


def test_a_mail_with_no_body_is_read_whole():
    assert raw_mail.oversized_header(b"Subject: hi\r\nFrom: a@b.example") is None
    assert raw_mail.light_message(b"Subject: hi\r\nFrom: a@b.example")["subject"] == "hi"


def test_light_message_reads_a_few_headers_cleaned_and_never_raises():
    raw = mail(
        b"Delivered-To: capture-x@acme.example",
        b"From: Bob \x00Builder <bob@acme.example>",
        b"To: Nadia\r\n <nadia@client.example>",
        b"Subject: =?x-unknown?q?caf=E9?= and =?utf-8?q?caf=C3=A9?=",
        b"Subject-Extra: not read",
        b"Message-ID: <>",
        b"\x00garbage line without a colon",
        b"Date: Fri, 20 Nov 2026 09:30:00 +0000",
        body=b"--no boundary\r\n",
    )
    message = raw_mail.light_message(raw)
    assert message["from"] == "Bob Builder <bob@acme.example>"
    assert message["to"] == "Nadia <nadia@client.example>"
    assert "caf" in message["subject"]
    assert message["message-id"] is None, "an empty Message-Id is no Message-Id"
    assert message["subject-extra"] is None
    assert envelope_recipients(message) == ["capture-x@acme.example"]
    captured = capture.captured_mail(message, None, text="")
    assert captured.author.address == "bob@acme.example"
    assert captured.date == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def test_light_message_of_garbage():
    for raw in (b"", b"\x00\x01\x02", b"\xff" * 1000, b":\r\n\r\n"):
        assert raw_mail.light_message(raw).keys() == []


def test_nul_bytes_leave_the_header_block_only():
    raw = mail(b"Subject: a\x00b", b"From: c\x00@d.example", body=b"body \x00 kept")
    assert raw_mail.without_header_nul(raw) == mail(
        b"Subject: ab", b"From: c@d.example", body=b"body \x00 kept"
    )
    clean = mail(b"Subject: ab")
    assert raw_mail.without_header_nul(clean) is clean


def test_captured_mail_has_no_nul_in_subject_names_or_message_id():
    message = email.message_from_string(
        "From: Bob\x00 <bob@acme.example>\nSubject: Quote\x00 for you\n"
        "Message-ID: <a\x00b@acme.example>\n\nHello\x00\n",
        policy=email.policy.compat32,
    )
    captured = capture.captured_mail(message, None)
    assert captured.subject == "Quote for you"
    assert captured.author.name == "Bob"
    assert captured.message_id == "<ab@acme.example>"
    assert "\x00" not in captured.text


def test_references_keep_the_newest_and_read_only_the_tail():
    ids = " ".join(f"<ref-{i}@example>" for i in range(100_000))
    message = email.message_from_string(
        f"References: {ids}\nIn-Reply-To: <parent@example>\n\nx\n", policy=email.policy.compat32
    )
    refs = capture._references(message)
    assert len(refs) == 32
    assert refs[-1] == "<parent@example>"
    assert refs[-2] == "<ref-99999@example>"


def test_dates_far_in_the_future_become_the_time_received():
    received = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert capture.plausible_date(datetime(2200, 1, 1, tzinfo=UTC), received) == received
    soon = received + timedelta(hours=23)
    assert capture.plausible_date(soon, received) == soon
    assert capture.plausible_date(None, received) is None
    message = email.message_from_string(
        "From: a@b.example\nDate: Wed, 01 Jan 2200 00:00:00 +0000\n\nx\n",
        policy=email.policy.SMTP,
    )
    assert capture.captured_mail(message, None, received=received).date == received


def test_address_headers_are_read_raw_with_names_decoded():
    raw = (
        b"From: =?utf-8?q?Ren=C3=A9e?= <Renee@Example.COM>\r\n"
        b"To: Nadia <nadia@client.example>,\r\n =?iso-8859-1?q?J=F6rg?= <jorg@x.example>\r\n"
        b"To: second@header.example\r\n"
        b'Cc: "Doe, John" <john@doe.example>, broken@\r\n'
        b"Subject: hi\r\n\r\nbody\r\n"
    )
    for policy in (email.policy.SMTP, email.policy.compat32):
        captured = capture.captured_mail(email.message_from_bytes(raw, policy=policy), None)
        assert captured.author == capture.Mailbox("Renée", "renee@example.com")
        assert [(m.name, m.address) for m in captured.to] == [
            ("Nadia", "nadia@client.example"),
            ("Jörg", "jorg@x.example"),
            ("", "second@header.example"),
        ]
        assert [(m.name, m.address) for m in captured.cc] == [("Doe, John", "john@doe.example")]


def test_four_thousand_recipients_are_read():
    to = ",\r\n ".join(f"Person {i} <person{i}@company{i}.example>" for i in range(4000))
    raw = f"From: bob@acme.example\r\nTo: {to}\r\n\r\nx\r\n".encode()
    captured = capture.captured_mail(email.message_from_bytes(raw, policy=email.policy.SMTP), None)
    assert len(captured.recipients) == 4000
