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


# Issue 18: the families of real mail the first corpus lacked, each with its expected sender.
WORLD_FAMILIES = {
    "Outlook in Chinese, Japanese, Korean": ["outlook-desktop-zh", "outlook-desktop-zh-TW",
                                             "outlook-web-zh", "outlook-desktop-ja", "outlook-desktop-ko"],
    "Russian Outlook and Windows Mail, address in a mailto: link only": [
        "outlook-name-only-mailto-ru", "outlook-name-only-mailto-uk", "outlook-name-only-mailto-bg",
        "outlook-name-only-mailto-sr", "windows-mail-ru", "windows-mail-uk"],
    "French consumer webmail": ["orange-fr", "orange-fr-quoted", "laposte-fr"],
    "GMX and web.de quote blocks": ["gmx-de", "webde-de", "gmx-en"],
    "Outlook for Mac, it/es/pt with a Reply-To line": [
        "outlook-mac-reply-to-it", "outlook-mac-reply-to-es", "outlook-mac-reply-to-pt",
        "outlook-mac-reply-to-pt-BR"],
    "BlackBerry and older mobile clients": ["blackberry-en", "blackberry-de", "mobile-fr"],
    "a Date-first block, unreadable date, nothing after": ["date-first-unreadable-en"],
    "Gmail separator, Date and Message-ID before From, folded Cc": ["gmail-message-id-folded-cc-en"],
    "webmail quote markup": ["yahoo-japan-ja", "qq-zh", "netease-163-zh", "mailru-ru", "yandex-ru",
                             "naver-ko"],
}  # fmt: skip
WORLD_LANGUAGES = {"zh", "zh-TW", "ko", "el", "he", "ar", "hi", "th", "vi", "id", "et", "bg", "sr",
                   "sr-Latn", "lt", "lv", "sl", "ca"}  # fmt: skip


def test_corpus_holds_the_families_and_languages_of_issue_18():
    for family, keys in WORLD_FAMILIES.items():
        for key in keys:
            assert FORWARDS[f"{key}.eml"]["sender_address"], family
    languages = {entry["language"] for entry in FORWARDS.values()}
    assert WORLD_LANGUAGES <= languages
    assert len(languages) >= 22 + 15
    for language in WORLD_LANGUAGES:  # each in the common clients, and in a reply that is not one
        for client in ("gmail", "outlook-desktop", "outlook-web", "thunderbird", "apple"):
            assert f"{client}-{language}.eml" in FORWARDS
        assert f"reply-outlook-{language}.eml" in NOT_FORWARDS
        assert f"reply-unprefixed-quoting-forward-{language}.eml" in NOT_FORWARDS
    assert len(NOT_FORWARDS) >= 56 + 40  # 56 before issue 18, and at least 40 new look-alikes
    assert "reply-with-attached-mail-en.eml" in NOT_FORWARDS  # issue 19


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
