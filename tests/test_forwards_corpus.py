"""The forward corpus (tests/samples/forwards, tests/samples/not_forwards) through recover_forward.

Each sample's expectations are in the manifest.json written with it by make_forward_corpus.py, from
the scenario the sample was built from (who wrote it, when, in which language), not from the
parser's output.
"""

import json
from datetime import datetime
from pathlib import Path

import pytest

from mail_lead_capture.tools.forwards import recover_forward

SAMPLES = Path(__file__).resolve().parent / "samples"
FORWARDS = json.loads((SAMPLES / "forwards" / "manifest.json").read_text(encoding="utf-8"))
NOT_FORWARDS = json.loads((SAMPLES / "not_forwards" / "manifest.json").read_text(encoding="utf-8"))


def test_corpus_is_as_large_and_varied_as_promised():
    assert len(FORWARDS) >= 150
    assert len(NOT_FORWARDS) >= 40
    languages = {entry["language"] for entry in FORWARDS.values()}
    assert len(languages) >= 22
    assert {"en", "fr", "de", "es", "it", "nl", "pt", "pt-BR", "sv", "da", "no", "fi", "pl", "cs",
            "sk", "hu", "ro", "hr", "tr", "ru", "uk", "ja"} <= languages  # fmt: skip
    files = {path.name for path in (SAMPLES / "forwards").glob("*.eml")}
    assert files == set(FORWARDS)
    assert {path.name for path in (SAMPLES / "not_forwards").glob("*.eml")} == set(NOT_FORWARDS)


@pytest.mark.parametrize("name", sorted(FORWARDS))
def test_forward_is_recovered(name):
    expected = FORWARDS[name]
    forward = recover_forward((SAMPLES / "forwards" / name).read_bytes())

    assert forward is not None, name
    original = forward.original
    assert forward.kind == expected["kind"]
    assert forward.chain[0] is original
    assert len(forward.chain) == expected["chain_length"]
    assert original.sender is not None
    assert original.sender.address == expected["sender_address"]
    assert original.sender.name == expected["sender_name"]
    assert original.subject == expected["subject"]
    if expected["date"] is None:  # a date no one can read: kept as text only
        assert original.date is None
    else:
        assert original.date == datetime.fromisoformat(expected["date"])
    assert original.date_text == expected["date_text"]
    assert [mailbox.address for mailbox in original.to] == expected["to"]
    assert [mailbox.address for mailbox in original.cc] == expected["cc"]
    assert expected["body_contains"] in original.text
    if expected["html"]:
        assert original.html and expected["body_contains"].split()[0] in original.html
    assert expected["note_contains"] in forward.note_text
    assert [attachment.filename for attachment in original.attachments] == expected["attachments"]
    if expected["client"]:
        assert forward.client == expected["client"]
    if "chain_senders" in expected:
        assert [message.sender.address for message in forward.chain] == expected["chain_senders"]
    if "message_id" in expected:
        assert original.message_id == expected["message_id"]
        assert original.in_reply_to == expected["in_reply_to"]


@pytest.mark.parametrize("name", sorted(NOT_FORWARDS))
def test_not_a_forward(name):
    assert recover_forward((SAMPLES / "not_forwards" / name).read_bytes()) is None, NOT_FORWARDS[
        name
    ]["why"]
