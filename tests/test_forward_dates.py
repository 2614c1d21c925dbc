"""Dates as clients write them in forwarded header blocks (forward_dates.py)."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from mail_lead_capture.tools.forwards.dates import parse_forwarded_date

PARIS = timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        # Gmail: the forwarder's local time, no zone
        ("Tue, Nov 24, 2026 at 6:02 PM", {"en"}, datetime(2026, 11, 24, 17, 2)),
        (
            "mar. 24 nov. 2026 à 18:02",
            {"fr", "es", "pt", "pt-BR", "ro"},
            datetime(2026, 11, 24, 17, 2),
        ),
        ("Di., 24. Nov. 2026 um 18:02 Uhr", {"de"}, datetime(2026, 11, 24, 17, 2)),
        ("mar, 24 mar 2026 a las 18:02", {"es"}, datetime(2026, 3, 24, 17, 2)),
        ("ter., 24 de nov. de 2026 às 18:02", {"pt-BR"}, datetime(2026, 11, 24, 17, 2)),
        ("út 24. 11. 2026 v 18:02", {"cs", "pl", "sk", "hr"}, datetime(2026, 11, 24, 17, 2)),
        ("2026. nov. 24., K, 18:02", {"hu"}, datetime(2026, 11, 24, 17, 2)),
        ("ti 24. marrask. 2026 klo 18.02", {"fi"}, datetime(2026, 11, 24, 17, 2)),
        ("tir. 24. nov. 2026 kl. 18.02", {"da"}, datetime(2026, 11, 24, 17, 2)),
        (
            "uto, 24. lis 2026. u 18:02",
            {"hr"},
            datetime(2026, 10, 24, 17, 2),
        ),  # "lis" is October in Croatian
        (
            "wt., 24 lis 2026 o 18:02",
            {"pl"},
            datetime(2026, 11, 24, 17, 2),
        ),  # and November in Polish
        ("24 Kas 2026 Sal, 18:02", {"tr"}, datetime(2026, 11, 24, 17, 2)),
        ("вт, 24 нояб. 2026 г. в 18:02", {"ru"}, datetime(2026, 11, 24, 17, 2)),
        ("вт, 24 лист. 2026 о 18:02", {"uk"}, datetime(2026, 11, 24, 17, 2)),
        ("2026年11月24日(火) 午後6:02", {"ja"}, datetime(2026, 11, 24, 17, 2)),
        # Outlook: long date and short time
        ("Tuesday, November 24, 2026 6:02 PM", {"en"}, datetime(2026, 11, 24, 17, 2)),
        ("Dienstag, 24. November 2026 18:02", {"de"}, datetime(2026, 11, 24, 17, 2)),
        ("martes, 24 de noviembre de 2026 18:02", {"es"}, datetime(2026, 11, 24, 17, 2)),
        ("wtorek, 24 listopada 2026 18:02", {"pl"}, datetime(2026, 11, 24, 17, 2)),
        ("úterý 24. listopadu 2026 18:02", {"cs"}, datetime(2026, 11, 24, 17, 2)),
        ("utorak, 24. studenoga 2026. 18:02", {"hr"}, datetime(2026, 11, 24, 17, 2)),
        ("вторник, 24 ноября 2026 г. 18:02", {"ru"}, datetime(2026, 11, 24, 17, 2)),
        ("2026年11月24日 18:02", {"ja"}, datetime(2026, 11, 24, 17, 2)),
        # written zones: the forwarder's zone is not used
        ("26. října 2021 14:25:08 GMT+3", {"cs"}, datetime(2021, 10, 26, 11, 25, 8)),
        ("26. Oktober 2021 um 14:25:08 OESZ", {"de"}, datetime(2021, 10, 26, 11, 25, 8)),
        ("26 octobre 2021 à 14:25:08 UTC+3", {"fr"}, datetime(2021, 10, 26, 11, 25, 8)),
        ("úterý 2. listopadu 2021 09:26:50 SEČ", {"cs"}, datetime(2021, 11, 2, 8, 26, 50)),
        ("Monday, September 19, 2022, 5:55:44 PM -0400", {"en"}, datetime(2022, 9, 19, 21, 55, 44)),
        ("2022年9月19日月曜日 17:55:44 -0400", {"ja"}, datetime(2022, 9, 19, 21, 55, 44)),
        ("Wed, 3 Nov 2021 15:51:30 +0100", None, datetime(2021, 11, 3, 14, 51, 30)),
        ("02/10/2023 4:52 PM EST", {"en"}, datetime(2023, 2, 10, 21, 52)),  # US month first
        ("28/10/2021 12:46", {"en"}, datetime(2021, 10, 28, 11, 46)),  # 28 cannot be a month
        ("05/10/2023 16:52", {"fr"}, datetime(2023, 10, 5, 15, 52)),  # day first elsewhere
        # the languages added for issue 18: half-day words before or after the time, month
        # numbers (Chinese, Korean, Vietnamese), Buddhist years (Thai), words with vowel marks
        ("2026年11月24日 星期二 下午 6:02", {"zh"}, datetime(2026, 11, 24, 17, 2)),
        ("2026年11月24日(星期二) 晚上6:02", {"zh"}, datetime(2026, 11, 24, 17, 2)),
        ("2026年11月24日 星期二 中午 12:30", {"zh-TW"}, datetime(2026, 11, 24, 11, 30)),
        ("2026년 11월 24일 화요일 오후 6:02", {"ko"}, datetime(2026, 11, 24, 17, 2)),
        ("2026년 11월 24일 (화) 오전 12:10", {"ko"}, datetime(2026, 11, 23, 23, 10)),
        ("Thứ Ba, 24 tháng 11, 2026 18:02", {"vi"}, datetime(2026, 11, 24, 17, 2)),
        ("Th 3, 24 thg 11, 2026 vào lúc 18:02", {"vi"}, datetime(2026, 11, 24, 17, 2)),
        ("วันอังคารที่ 24 พฤศจิกายน 2569 18:02", {"th"}, datetime(2026, 11, 24, 17, 2)),
        ("मंगलवार, 24 नवंबर 2026 6:02 अपराह्न", {"hi"}, datetime(2026, 11, 24, 17, 2)),
        ("الثلاثاء، 24 نوفمبر 2026 6:02 م", {"ar"}, datetime(2026, 11, 24, 17, 2)),
        ("יום שלישי 24 בנובמבר 2026 18:02", {"he"}, datetime(2026, 11, 24, 17, 2)),
        ("Τρίτη, 24 Νοεμβρίου 2026 6:02 μ.μ.", {"el"}, datetime(2026, 11, 24, 17, 2)),
        ("вторник, 24 ноември 2026 г. 18:02 ч.", {"bg"}, datetime(2026, 11, 24, 17, 2)),
        ("уторак, 24. новембар 2026. 18:02", {"sr"}, datetime(2026, 11, 24, 17, 2)),
        ("2026 m. lapkričio 24 d., antradienis 18:02", {"lt"}, datetime(2026, 11, 24, 17, 2)),
        ("otrdiena, 2026. gada 24. novembris 18:02", {"lv"}, datetime(2026, 11, 24, 17, 2)),
        ("teisipäev, 24. november 2026 18:02", {"et"}, datetime(2026, 11, 24, 17, 2)),
        ("Selasa, 24 November 2026 18.02", {"id"}, datetime(2026, 11, 24, 17, 2)),
        ("torek, 24. november 2026 18:02", {"sl"}, datetime(2026, 11, 24, 17, 2)),
        ("dimarts, 24 d'octubre de 2026 18:02", {"ca"}, datetime(2026, 10, 24, 17, 2)),
    ],
)
def test_client_dates(text, languages, expected):
    languages = frozenset(languages) if languages else None
    assert parse_forwarded_date(text, languages, PARIS) == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "Tue, Nov 24, 2026 at 6:02 PM",  # no zone written, none known
        "8 May 2026 08:43",  # an RFC 5322 shape without a zone is not UTC
    ],
)
def test_no_zone_and_no_default_gives_none(text):
    assert parse_forwarded_date(text, frozenset({"en"}), None) is None


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("24. listopad 2026 18:02", {"cs", "hr"}),  # November in Czech, October in Croatian
        ("sometime last week", {"en"}),
        ("31 February 2026 10:00", {"en"}),
        ("", None),
    ],
)
def test_unreadable_or_ambiguous_dates_give_none(text, languages):
    languages = frozenset(languages) if languages else None
    assert parse_forwarded_date(text, languages, PARIS) is None


def test_superscript_digits_are_not_numbers():
    # found by the hypothesis run: "¹".isdigit() is true but int("¹") fails
    expected = datetime(2026, 11, 24, 17, 2, tzinfo=UTC)
    assert parse_forwarded_date("Tue, Nov 24, 2026 at 6:02 PM0¹", None, PARIS) == expected


def test_very_long_text_is_cut():
    assert parse_forwarded_date("x " * 1_000_000 + "24 November 2026 18:02", None, PARIS) is None
