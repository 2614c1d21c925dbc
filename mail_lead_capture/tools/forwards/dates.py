"""Dates as mail clients write them in forwarded header blocks, read back into aware UTC datetimes.

Clients write the original's date in their user's language and format, not RFC 5322: Gmail writes
"mer. 27 oct. 2021 à 09:31", Outlook "Dienstag, 24. November 2026 18:02", Apple Mail "26. října 2021
14:25:08 GMT+3", Thunderbird keeps the RFC 5322 header. :func:`parse_forwarded_date` reads all of
them with one small scanner instead of a pattern per client:

- the zone: a numeric offset (``+0100``, ``GMT+1``, ``UTC+01:00``) or an abbreviation from
  ``labels.ZONE_OFFSETS``; without one, the caller's ``default_offset`` (the forwarder's own
  zone, from the outer message's Date header) is used, and with neither the date stays text;
- the day, month and year: numeric (``24.11.2026``, ``2026/11/24``, ``2026年11月24日``) or with a
  month name of the block's languages (``labels.MONTHS``); a month word that means different
  months in those languages (Croatian "listopad" is October, Czech and Polish November) is not used;
- the time: ``18:02``, ``6:02:11 PM``, ``18.02`` (Danish, Finnish), ``午後6:02``.

Numeric dates with day and month both under 13 are read day first, except in English blocks, read
month first as US clients write them. Anything unreadable gives ``None``: the caller keeps the text.
Every scan is bounded (the text is cut to 200 characters) and uses patterns without nested repeats.
"""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from email.utils import parsedate_tz

from .labels import MONTHS
from .labels import ZONE_OFFSETS
from .labels import fold

__all__ = ["parse_forwarded_date"]

_MAX_CHARS = 200
_RFC_SHAPE = re.compile(
    r"^\s*(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*"
    r"(?:[+-]\d{4}|[A-Z]{1,5})(?:\s*\([^)]{0,40}\))?\s*$"
)
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s?([+-−])\s?(\d{1,2})(?::?(\d{2}))?")
_NUMERIC_OFFSET = re.compile(r"(?<![\w:.])([+-])(\d{2}):?(\d{2})\b")
_ZONE_WORD = re.compile(r"\b([A-ZČ]{1,5})\b")
_CJK_DATE = re.compile(r"(\d{4})\s?[年년]\s?(\d{1,2})\s?[月월]\s?(\d{1,2})\s?[日일]")
# Vietnamese: "24 tháng 11, 2026", "24 thg 11, 2026", "ngày 24 tháng 11 năm 2026" (month numbers)
_VIETNAMESE_DATE = re.compile(r"(\d{1,2})\s?(?i:tháng|thg)\s?(\d{1,2}),?\s?(?i:năm\s)?\s?(\d{4})")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{2,4})(?![\d:])")
_TIME = re.compile(r"(?<![\d.:])(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?![\d])")
_PM = ("pm", "p.m.", "p. m.", "μ.μ.", "μμ")
_AM = ("am", "a.m.", "a. m.", "π.μ.", "πμ")
# Words for the half of the day: before the time (Japanese, Chinese, Korean), or after it as a
# word of its own (Arabic, Hindi). Chinese "中午" (noon) moves only 1:00 to 11:00 to the afternoon.
_PM_BEFORE = ("午後", "下午", "晚上", "傍晚", "오후", "中午")
_AM_BEFORE = ("午前", "上午", "凌晨", "早上", "오전")
_PM_AFTER = frozenset({"م", "अपराह्न"})
_AM_AFTER = frozenset({"ص", "पूर्वाह्न"})
# A word: letters and the combining marks of the scripts that write vowels with them (Devanagari,
# Thai, Hebrew and Arabic points), which Python's \w does not count as letters.
_MARKS = (
    "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0900-\u0903\u093a-\u094f"
    "\u0951-\u0957\u0962\u0963\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
)
_TOKEN = re.compile(rf"\d+|[^\W\d_][^\W\d_{_MARKS}]*(?:[{_MARKS}]+[^\W\d_]*)*")
_BUDDHIST_ERA = 543  # Thai dates count years from 543 BC


def parse_forwarded_date(
    text: str,
    languages: frozenset[str] | None = None,
    default_offset: timedelta | None = None,
) -> datetime | None:
    """Return the instant ``text`` names, aware and in UTC, or ``None`` when it cannot be known.

    ``languages`` are the languages of the header block the date comes from (they choose the month
    names); ``default_offset`` is the zone to assume when the text names none.
    """
    if not text or not isinstance(text, str):
        return None
    text = " ".join(text.replace("\xa0", " ").split())[:_MAX_CHARS]
    if not text:
        return None
    rfc = _parse_rfc(text)
    if rfc is not None:
        return rfc
    text, offset = _take_zone(text)
    if offset is None:
        offset = default_offset
    if offset is None:
        return None
    text, day_month_year = _take_numeric_date(text, languages)
    text, hour_minute_second = _take_time(text)
    if day_month_year is None:
        day_month_year = _words_date(text, languages)
    if day_month_year is None or hour_minute_second is None:
        return None
    day, month, year = day_month_year
    hour, minute, second = hour_minute_second
    try:
        naive = datetime(year, month, day, hour, minute, second)
        return naive.replace(tzinfo=timezone(offset)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _parse_rfc(text: str) -> datetime | None:
    if not _RFC_SHAPE.match(text):
        return None
    parsed = parsedate_tz(text)
    if not parsed or parsed[9] is None:
        return None
    try:
        naive = datetime(*parsed[:6])
        return naive.replace(tzinfo=timezone(timedelta(seconds=parsed[9]))).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _take_zone(text: str) -> tuple[str, timedelta | None]:
    match = _GMT_OFFSET.search(text)
    if match:
        sign = -1 if match.group(1) in "-−" else 1
        hours, minutes = int(match.group(2)), int(match.group(3) or 0)
        if hours <= 14 and minutes < 60:
            return _cut(text, match), sign * timedelta(hours=hours, minutes=minutes)
    match = _NUMERIC_OFFSET.search(text)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        hours, minutes = int(match.group(2)), int(match.group(3))
        if hours <= 14 and minutes < 60:
            return _cut(text, match), sign * timedelta(hours=hours, minutes=minutes)
    for match in _ZONE_WORD.finditer(text):
        minutes = ZONE_OFFSETS.get(match.group(1))
        if minutes is not None:
            return _cut(text, match), timedelta(minutes=minutes)
    return text, None


def _take_numeric_date(
    text: str, languages: frozenset[str] | None
) -> tuple[str, tuple[int, int, int] | None]:
    match = _CJK_DATE.search(text)
    if match:
        year, month, day = (int(group) for group in match.groups())
        return _cut(text, match), (day, month, _common_era(year, languages))
    match = _VIETNAMESE_DATE.search(text) if "th" in fold(text) else None
    if match:
        day, month, year = (int(group) for group in match.groups())
        return _cut(text, match), (day, month, year)
    for match in _NUMERIC_DATE.finditer(text):
        first, separator, second, third = match.groups()
        if len(first) != 4 and len(third) != 4 and separator != "/":
            continue  # "14.25.08" is a time, not a date
        if len(first) == 4:
            year, month, day = int(first), int(second), int(third)
        else:
            day, month, year = int(first), int(second), int(third)
            if day <= 12 and month <= 12 and languages and languages <= {"en"}:
                day, month = month, day  # US clients write the month first
            elif month > 12 >= day:
                day, month = month, day
        if year < 100:
            year += 2000
        return _cut(text, match), (day, month, _common_era(year, languages))
    return text, None


def _common_era(year: int, languages: frozenset[str] | None) -> int:
    """A Thai date's Buddhist-era year as a common-era year; other years as they are."""
    if languages and "th" in languages and year > 2400:
        return year - _BUDDHIST_ERA
    return year


def _take_time(text: str) -> tuple[str, tuple[int, int, int] | None]:
    for match in _TIME.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2))
        second = int(match.group(3) or 0)
        if hour > 23 or minute > 59 or second > 60:
            continue
        after = fold(text[match.end() : match.end() + 12]).strip()
        word = after.split(" ", 1)[0] if after else ""
        before = text[: match.start()].rstrip()[-2:]
        if before == "中午":
            if hour < 11:
                hour += 12
        elif (after.startswith(_PM) or word in _PM_AFTER or before in _PM_BEFORE) and hour < 12:
            hour += 12
        elif (after.startswith(_AM) or word in _AM_AFTER or before in _AM_BEFORE) and hour == 12:
            hour = 0
        return _cut(text, match), (hour, minute, min(second, 59))
    return text, None


def _words_date(text: str, languages: frozenset[str] | None) -> tuple[int, int, int] | None:
    tokens = _TOKEN.findall(text)
    year_index = next(
        (
            index
            for index, token in enumerate(tokens)
            if token.isdecimal()
            and len(token) == 4
            and 1900 < _common_era(int(token), languages) < 2200
        ),
        None,
    )
    if year_index is None:
        return None
    month_index, month = _month_token(tokens, languages)
    if month is None:
        return None
    day = None
    best_distance = 4
    for index, token in enumerate(tokens):
        if index == year_index or not token.isdecimal() or len(token) > 2:
            continue
        distance = abs(index - month_index)
        if 1 <= int(token) <= 31 and distance < best_distance:
            day, best_distance = int(token), distance
    if day is None:
        return None
    return day, month, _common_era(int(tokens[year_index]), languages)


def _month_token(tokens: list[str], languages: frozenset[str] | None) -> tuple[int, int | None]:
    """Return the index and number of the month word: the last one next to a number."""
    tables = [MONTHS[language] for language in (languages or MONTHS) if language in MONTHS]
    if not tables:
        tables = list(MONTHS.values())
    found: tuple[int, int | None] = (-1, None)
    for index, token in enumerate(tokens):
        if token.isdecimal():
            continue
        numbers = {table[key] for table in tables if (key := fold(token)) in table}
        if len(numbers) != 1:
            continue
        near = tokens[max(0, index - 2) : index + 3]
        if any(other.isdecimal() for other in near):
            found = (index, numbers.pop())
    return found


def _cut(text: str, match: re.Match[str]) -> str:
    return f"{text[: match.start()]} {text[match.end() :]}"
