"""tools/headers.py: the one reading of decoded header text, dates, Message-Ids."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from email import message_from_bytes
from email.policy import compat32

from mail_lead_capture.tools.headers import MESSAGE_ID
from mail_lead_capture.tools.headers import date_offset
from mail_lead_capture.tools.headers import decode_words
from mail_lead_capture.tools.headers import header_line
from mail_lead_capture.tools.headers import header_text
from mail_lead_capture.tools.headers import message_ids
from mail_lead_capture.tools.headers import parse_date


def test_encoded_words_are_decoded_and_malformed_ones_kept_as_written():
    assert decode_words("=?utf-8?q?Caf=C3=A9?= menu") == "Café menu"
    assert decode_words("=?x-unknown?q?abc?=") == "=?x-unknown?q?abc?="
    assert decode_words("=?utf-8?b?Q?=") == "=?utf-8?b?Q?="  # a broken base64 word
    assert decode_words("=?utf-8?q?=FF?=") == "=?utf-8?q?=FF?="  # not UTF-8
    assert decode_words("plain text") == "plain text"


def test_header_line_folds_whitespace_and_replaces_bytes_that_are_not_utf8():
    raw = b"Subject: =?utf-8?q?Caf=C3=A9?=\r\n  for\t40\r\nX-Raw: caf\xe9\r\n\r\nbody"
    message = message_from_bytes(raw, policy=compat32)
    assert header_line(message, "Subject") == "Café for 40"
    assert header_line(message, "X-Raw") == "caf\ufffd"
    assert header_line(message, "Missing") == ""


def test_header_text_reads_raw_8bit_as_utf8():
    message = message_from_bytes("Subject: Réponse automatique\r\n\r\n".encode(), policy=compat32)
    assert header_text(message, "Subject") == "Réponse automatique"
    assert header_text(message, "Missing") == ""


def test_dates_are_aware_utc_and_a_zoneless_date_is_utc_unless_asked_otherwise():
    assert parse_date("Wed, 25 Nov 2026 10:14:03 +0100") == datetime(
        2026, 11, 25, 9, 14, 3, tzinfo=UTC
    )
    zoneless = "Wed, 25 Nov 2026 10:14:03 -0000"
    assert parse_date(zoneless) == datetime(2026, 11, 25, 10, 14, 3, tzinfo=UTC)
    assert parse_date(zoneless, zoneless_as_utc=False) is None
    assert parse_date("next Tuesday") is None
    assert parse_date(None) is None
    assert parse_date("") is None


def test_date_offset_is_the_zone_as_written():
    assert date_offset("Wed, 25 Nov 2026 10:14:03 +0530") == timedelta(hours=5, minutes=30)
    assert date_offset("Wed, 25 Nov 2026 10:14:03 -0000") is None
    assert date_offset("garbage") is None


def test_message_ids_have_brackets_no_space_and_at_most_250_characters():
    long_id = "<" + "a" * 251 + "@x>"
    assert message_ids("<a@x> junk <b c@x> <d@y>") == ["<a@x>", "<d@y>"]
    assert message_ids(long_id) == []
    assert message_ids(None) == []
    assert MESSAGE_ID.fullmatch("<" + "a" * 248 + "@x>")
