"""The tables of forward_labels.py: complete for every language we promise, and consistent."""

from mail_lead_capture.tools.forwards import labels
from mail_lead_capture.tools.forwards.labels import FIELD_DATE
from mail_lead_capture.tools.forwards.labels import FIELD_FROM
from mail_lead_capture.tools.forwards.labels import FIELD_SUBJECT
from mail_lead_capture.tools.forwards.labels import FIELD_TO
from mail_lead_capture.tools.forwards.labels import HEADER_LABELS
from mail_lead_capture.tools.forwards.labels import LABELS_BY_LANGUAGE
from mail_lead_capture.tools.forwards.labels import MONTHS
from mail_lead_capture.tools.forwards.labels import fold

PROMISED = {"en", "fr", "de", "es", "it", "nl", "pt", "pt-BR", "sv", "da", "no", "fi", "pl", "cs",
            "sk", "hu", "ro", "hr", "tr", "ru", "uk", "ja",
            # issue 18: 18 more
            "zh", "zh-TW", "ko", "el", "he", "ar", "hi", "th", "vi", "id", "et", "bg", "sr", "sr-Latn",
            "lt", "lv", "sl", "ca"}  # fmt: skip
NUMERIC_MONTHS = {"ja", "zh", "zh-TW", "ko", "vi"}  # dates write the month as a number


def test_every_promised_language_has_the_essential_labels():
    assert set(LABELS_BY_LANGUAGE) >= PROMISED
    for fields in LABELS_BY_LANGUAGE.values():
        for field in (FIELD_FROM, FIELD_TO, FIELD_DATE, FIELD_SUBJECT):
            assert fields[field]


def test_a_label_names_one_field_and_knows_its_languages():
    assert HEADER_LABELS[fold("De")] == (
        FIELD_FROM,
        frozenset({"fr", "es", "pt", "pt-BR", "ro", "ca"}),
    )
    assert HEADER_LABELS[fold("Envoyé")][0] == FIELD_DATE
    assert HEADER_LABELS[fold("差出人")][0] == FIELD_FROM
    for language, fields in LABELS_BY_LANGUAGE.items():
        for field, written in fields.items():
            for label in written:
                assert HEADER_LABELS[fold(label)] == (field, HEADER_LABELS[fold(label)][1])
                assert language in HEADER_LABELS[fold(label)][1]


def test_phrases_are_stored_folded():
    for table in (labels.FORWARD_SEPARATORS, labels.AMBIGUOUS_SEPARATORS, labels.SUBJECT_FORWARD_PREFIXES,
                  labels.SUBJECT_REPLY_PREFIXES):  # fmt: skip
        for phrase in table:
            assert phrase == fold(phrase)
    assert not set(labels.FORWARD_SEPARATORS) & labels.AMBIGUOUS_SEPARATORS


def test_months_cover_every_language_with_month_names():
    assert set(MONTHS) >= PROMISED - NUMERIC_MONTHS
    for table in MONTHS.values():
        assert sorted(set(table.values())) == list(range(1, 13))


def test_fold_undoes_turkish_capitals():
    assert fold("İLETİLEN İLETİ") == "iletilen ileti"
