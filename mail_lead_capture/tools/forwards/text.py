"""Forwarded header blocks in the lines of a message body, and the mailboxes and subjects in them.

A forwarded message shows up in its forwarder's body as a separator line, a block of "Label: value"
lines in the forwarder's language, then the original body. :func:`find_levels` walks the lines once
and returns every nested forward (outermost first); the tables it reads are in labels.py.

A body is read as :class:`Lines`: most lines of a long mail cannot start or hold a header block, so
the search visits only the candidates, lines with a colon or starting with "-", "_" or "=", which
one pattern finds in the whole text; a :class:`Line` object is made only for the lines looked at.

Rules that keep false forwards out (a wrong sender files mail on the wrong customer):

- a block needs a From line and at least a date or a subject; under no separator (Outlook writes
  none) or under a separator that replies use too ("-----Original Message-----", Outlook's rule),
  it must start with From, carry a date and a subject or To, *and* the subject of the message that
  contains it must say "forward" in the block's language ("FW:", "TR:", "WG:"...);
- a sender shown by name only under such a separator counts only when the block's subject is the
  subject of the message that contains it (without its prefixes);
- a reply attribution line ("On ... wrote:", "Le ... a écrit :") met before any forward ends the
  search: what follows is a quoted reply, unless the subject says "forward", the line holds one
  address and the text below it is quoted or indented (Outlook for Mac forwards that way);
- a block listing "When:"/"Where:" is a forwarded meeting, not a forward.

How a block may be written (the evidence above is asked of each): its labels in any order (Outlook
starts with From, Thunderbird with the subject, GMX and web.de with the date, La Poste with "Objet
:"), a date line without a colon ("Message du 24/11/26 18:02", Orange), folded (indented) lines,
header lines copied from the original that it passes over ("Message-ID:", "Sender:"), up to two
blank lines between header lines while it has no subject yet (BlackBerry), and, under a separator
only forwards write, a single "<date>, <name> <address>:" line instead of labels (Yandex).

Every loop is bounded (lines scanned per level, lines per block, characters per header value), so
the cost stays linear in the body size whatever it holds.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from ..addresses import normalize_address
from .labels import AMBIGUOUS_SEPARATORS
from .labels import ATTRIBUTION_NAME_LEADS
from .labels import CALENDAR_LABELS
from .labels import DATE_LEADS
from .labels import FIELD_BCC
from .labels import FIELD_CC
from .labels import FIELD_DATE
from .labels import FIELD_FROM
from .labels import FIELD_IGNORED
from .labels import FIELD_REPLY_TO
from .labels import FIELD_SUBJECT
from .labels import FIELD_TO
from .labels import FORWARD_SEPARATORS
from .labels import HEADER_LABELS
from .labels import LABELS_BY_LANGUAGE
from .labels import ON_BEHALF_WORDS
from .labels import REPLY_ATTRIBUTION_WORDS
from .labels import SUBJECT_FORWARD_PREFIXES
from .labels import SUBJECT_REPLY_PREFIXES
from .labels import fold

__all__ = [
    "ATTRIBUTION",
    "Block",
    "Level",
    "Line",
    "Lines",
    "clear_caches",
    "find_levels",
    "html_lines",
    "is_reply_token",
    "may_hold_block",
    "parse_recipients",
    "parse_sender",
    "plain_lines",
    "strip_forward_prefixes",
    "subject_prefixes",
    "unquote",
]

MAX_SCAN_LINES = 3000  # lines searched for the next forward, per level
MAX_LEVELS = 64  # nested forwards followed
MAX_BLOCK_LINES = 40
MAX_VALUE_CHARS = 2000
MAX_LABEL_CHARS = 40
_ADDRESS_FIELDS = frozenset({FIELD_FROM, FIELD_TO, FIELD_CC, FIELD_BCC, FIELD_REPLY_TO})
# The labels a block under no separator may start with: Outlook starts with From, GMX and web.de
# with "Gesendet:" (the date), La Poste with "Objet :" (the subject).
_FIRST_FIELDS = frozenset({FIELD_FROM, FIELD_DATE, FIELD_SUBJECT, FIELD_TO})
_MAX_BLANKS_IN_BLOCK = 2  # blank lines between two header lines (BlackBerry, older mobile clients)
_ADDRESS_STOP = frozenset(" \t<>[]()\"',;:«»“”„")
_BRACKETED = re.compile(r"<[^<>]*>|\[[^\[\]]*\]|\([^()]*\)")
_NAME_TRIM = " \t\"'«»„“”‘’<>[]()*,;:"
_SUBJECT_PREFIX = re.compile(r"\s*([^\W\d_]{1,15}\.?)\s?(?:\[\d{1,3}\]|\(\d{1,3}\))?\s?[:：]\s*")
_SUBJECT_TAG = re.compile(r"\s*[\[(][^\[\]()]{1,20}[\])]\s*")
_CALENDAR = "calendar"
ATTRIBUTION = "attribution"  # Block.separator of an attribution-line forward (Outlook for Mac)
_ATTRIBUTION_DATE = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\.?,?(?:\s{1,3}[^\W\d_]{1,5}\.?)?\s{1,3}\d{1,2}[:.]\d{2}"
    r"(?:\s?[AaPp]\.?[Mm]\.?)?"
)
_normalized = lru_cache(maxsize=4096)(normalize_address)  # the same addresses recur in a message
# A line whose text starts with a separator character, after its quote markers and spaces. The
# possessive prefix cannot backtrack; the leading newline lets the search skip to line starts fast.
_SEPARATOR_START = re.compile(r"\n(?:[^\S\n]|>)*+[-_=]")
_NOWHERE = 1 << 62  # "not found" for the next-candidate positions
# Quote markers as plain_lines counts them ("> ", ">>", "> >", " >"), each pattern after a newline:
# a line with text and no marker; one with text under no marker or one; a line's first marker.
_UNQUOTED = re.compile(r"\n(?! ?>)[^\S\n]*\S")
_SHALLOW = re.compile(r"\n(?: ?>(?! ?>)[^\n]*?\S|(?! ?>)[^\S\n]*\S)")
_FIRST_MARKER = re.compile(r"\n ?> ?")
# The last word of every From label: a header block needs one before a colon (may_hold_block)
_FROM_ENDINGS = tuple(
    sorted({label.split()[-1] for label, (name, _) in HEADER_LABELS.items() if name == FIELD_FROM})
)
_MAX_COLONS = 5000  # colons may_hold_block looks at before it gives up (and says "maybe")


@dataclass(slots=True)
class Line:
    """A body line: ``text`` without its quote markers, ``depth`` the number of markers."""

    raw: str
    text: str
    depth: int


@dataclass(slots=True)
class Block:
    """A forwarded header block found in the lines."""

    fields: dict[str, str]
    start: int  # index of its first line (the separator when there is one)
    end: int  # index of the first line after it
    depth: int
    languages: frozenset[str]
    from_line: int  # index of the line holding the From label
    separator: str | None  # the folded phrase, "" for a rule, ATTRIBUTION, None for none
    ambiguous: bool  # no separator, or one that replies use too
    client: str | None
    indent: int = 0  # spaces before each body line (Outlook for Mac indents what it forwards)


@dataclass(frozen=True, slots=True)
class _Subject:
    """The subject of the message a block is searched in: its prefixes, and itself without them."""

    tokens: tuple[str, ...]
    text: str
    bare: str

    @staticmethod
    @lru_cache(maxsize=256)  # a message's subject is read once per search for its blocks
    def of(subject: str) -> _Subject:
        text = strip_forward_prefixes(subject)
        return _Subject(tuple(subject_prefixes(subject)), text, fold(text))


@dataclass(slots=True)
class Level:
    """One forward in a chain of nested forwards: its block and the lines of its body."""

    block: Block
    body_start: int
    body_end: int = -1


# -- lines --------------------------------------------------------------------------------------


class Lines:
    """The lines of a body; a :class:`Line` is made only for a line that is looked at.

    ``raws`` are the lines as written (text/plain: with their quote markers). :meth:`candidates`
    gives the lines that can start or hold a header block, found by one pattern over the text and
    only as far as the search asks; :meth:`text` joins a run of lines back into text.
    """

    __slots__ = ("_cache", "_depths", "_found", "_joined", "_next", "_scan", "raws")

    def __init__(self, raws: list[str], joined: str, depths: list[int] | None = None):
        self.raws = raws
        self._joined = "\n" + joined  # the newline before the first line starts its candidates
        self._depths = depths  # blockquote depths of HTML lines; None for text/plain lines
        self._cache: list[Line | None] = [None] * len(raws)
        self._found: list[int] = []  # candidate lines found so far, in order
        # where the search goes on from (a newline, -1 when done), the line of the last candidate
        # and the offset its newlines were counted to
        self._scan = [0, -1, 0]
        # the next colon, full-width colon and separator start found ahead of the search
        self._next = [-1, -1 if "：" in joined else _NOWHERE, -1]

    def __len__(self) -> int:
        return len(self.raws)

    def __getitem__(self, index: int) -> Line:
        line = self._cache[index]
        if line is None:
            raw = self.raws[index]
            if self._depths is None:
                line = _plain_line(raw)
            else:
                line = Line(raw, raw, self._depths[index])
            self._cache[index] = line
        return line

    def candidates(self, start: int, stop: int) -> list[int]:
        """The lines from ``start`` to before ``stop`` that can start or hold a header block.

        Any other line holds no colon and does not start with a separator character: the block
        search would pass over it without a look. The text is searched only as far as asked.
        """
        found, joined, scan, ahead = self._found, self._joined, self._scan, self._next
        while scan[0] >= 0 and (not found or found[-1] < stop):
            position = scan[0]
            if ahead[0] < position:
                ahead[0] = _position(joined.find(":", position))
            if ahead[1] < position:
                ahead[1] = _position(joined.find("：", position))
            if ahead[2] < position:
                match = _SEPARATOR_START.search(joined, position)
                ahead[2] = match.end() - 1 if match else _NOWHERE
            anchor = min(ahead)
            if anchor == _NOWHERE:
                scan[0] = -1
                break
            scan[1] += joined.count("\n", scan[2], anchor)
            scan[2] = anchor
            found.append(scan[1])
            scan[0] = joined.find("\n", anchor)  # the rest of the line is a candidate already
        return found[bisect_left(found, start) : bisect_left(found, stop)]

    def text(self, start: int, end: int, depth: int = 0, indent: int = 0) -> str:
        """The text of lines ``start`` to ``end``, without the quote markers of the first ``depth``
        levels (more when every line is quoted deeper) and ``indent`` leading spaces."""
        segment = self.raws[start:end]
        if self._depths is not None:
            return "\n".join(segment).strip()
        rows = self._rows(segment, depth)
        if rows is None:
            rows = self._rows_line_by_line(start, segment, depth)
        if indent:
            rows = [row[indent:] if row[:indent].isspace() else row.lstrip() for row in rows]
        return "\n".join(rows).strip()

    @staticmethod
    def _rows(segment: list[str], depth: int) -> list[str] | None:
        """The lines less their trailing spaces and the markers to drop, in a few passes over the
        text, when no marker or only each line's first is dropped; ``None`` in other cases."""
        text = "\n".join(segment)
        if not (text.startswith((">", " >")) or "\n>" in text or "\n >" in text):
            return [raw.rstrip() for raw in segment]  # no line is quoted
        joined = "\n" + text
        if depth == 0 and _UNQUOTED.search(joined):  # a line with text is not quoted: none goes
            return [raw.rstrip() for raw in segment]
        if depth <= 1 and _SHALLOW.search(joined):  # a line with text has one marker at most
            return [row.rstrip() for row in _FIRST_MARKER.sub("\n", joined)[1:].split("\n")]
        return None

    def _rows_line_by_line(self, start: int, segment: list[str], depth: int) -> list[str]:
        quoted = {
            index: self[start + index]
            for index, raw in enumerate(segment)
            if raw.startswith((">", " >"))
        }  # the other lines have no quote markers
        depths = [line.depth for line in quoted.values() if line.text.strip()]
        if any(raw.strip() for index, raw in enumerate(segment) if index not in quoted):
            depths.append(0)
        levels = max(depth, min(depths) if depths else 0)
        return [
            unquote(quoted[index], min(levels, quoted[index].depth)).rstrip()
            if index in quoted
            else raw.rstrip()
            for index, raw in enumerate(segment)
        ]


def plain_lines(text: str) -> Lines:
    """The lines of a text/plain body (a byte-order mark before the first is dropped)."""
    text = text.removeprefix("\ufeff")
    return Lines(text.split("\n"), text)


def html_lines(texts: list[str], depths: list[int]) -> Lines:
    """The displayed lines of an HTML body (html.py), with their blockquote depths."""
    return Lines(texts, "\n".join(texts), depths)


def _position(found: int) -> int:
    return _NOWHERE if found < 0 else found


def clear_caches() -> None:
    """Forget the values read in a message: those caches serve one message at a time.

    The same values recur within a message (in its text and its HTML, when a block is checked and
    then read); kept across messages, they would make a benchmark that repeats its mail look
    faster than a stream of new mail is. Normalised addresses, which do recur across mail, stay.
    """
    for cached in (parse_sender, _recipients, _Subject.of):
        cached.cache_clear()


def may_hold_block(text: str) -> bool:
    """Tell whether ``text`` can hold the From line of a forwarded header block.

    ``False`` when no From label of any language stands before a colon: then :func:`find_levels`
    finds no header block in lines made of this text, whatever their breaks, spaces or quote
    markers (an attribution line aside: that needs a forward subject). One pass over the colons;
    ``True`` (look closer) when there are too many of them to look at each.
    """
    folded = fold(text)
    looked = 0
    for colon in (":", "："):
        position = folded.find(colon)
        while position >= 0:
            looked += 1
            if looked > _MAX_COLONS:
                return True
            end = position
            while end > 0 and (folded[end - 1] == "*" or folded[end - 1].isspace()):
                end -= 1  # "From :", "**From:**"
                if position - end > MAX_VALUE_CHARS:
                    return True
            if folded.endswith(_FROM_ENDINGS, 0, end):
                return True
            position = folded.find(colon, position + 1)
    return False


def _plain_line(raw: str) -> Line:
    """A text/plain line with its ``>`` quote markers counted and taken off its text."""
    raw = raw.rstrip("\r")
    depth, index, size = 0, 0, len(raw)
    if raw.startswith(" >"):
        index = 1
    while index < size:
        if raw[index] == ">":
            depth += 1
            index += 1
        elif depth and raw[index] == " " and raw[index + 1 : index + 2] == ">":
            index += 1
        else:
            break
    content = raw[index:]
    if depth and content.startswith(" "):
        content = content[1:]
    return Line(raw, content, depth)


def unquote(line: Line, levels: int) -> str:
    """Return ``line`` with its first ``levels`` quote markers removed."""
    if levels <= 0 or not line.depth:
        return line.raw
    if levels >= line.depth:
        return line.text
    raw, index, seen = line.raw, 0, 0
    while index < len(raw) and seen < levels:
        if raw[index] == ">":
            seen += 1
        index += 1
    return raw[index + 1 :] if raw[index : index + 1] == " " else raw[index:]


# -- subjects ------------------------------------------------------------------------------------


def subject_prefixes(subject: str) -> list[str]:
    """Return the folded reply/forward prefixes a subject starts with ("Fwd: RE: x" gives fwd, re)."""
    found: list[str] = []
    rest = subject or ""
    for _ in range(20):
        tag = _SUBJECT_TAG.match(rest)
        if tag and not found:
            rest = rest[tag.end() :]  # "[EXT] FW: ..." tags added by gateways
        match = _SUBJECT_PREFIX.match(rest)
        if not match:
            break
        token = fold(match.group(1))
        if token not in SUBJECT_FORWARD_PREFIXES and token not in SUBJECT_REPLY_PREFIXES:
            break
        found.append(token)
        rest = rest[match.end() :]
    return found


def strip_forward_prefixes(subject: str, *, replies: bool = False) -> str:
    """Return ``subject`` without its leading forward prefixes ("Fwd: TR: x" gives "x").

    With ``replies``, reply prefixes ("Re:", "AW:", "SV:"...) go too, to compare the subjects of a
    mail and of its replies or forwards ("Re: Fwd: x" gives "x").
    """
    subject = " ".join((subject or "").split())
    for _ in range(20):
        if subject[:5].casefold() == "[fwd:" and subject.endswith("]"):
            subject = subject[5:-1].strip()
            continue
        match = _SUBJECT_PREFIX.match(subject)
        if not match:
            break
        token = fold(match.group(1))
        if replies:
            known = token in SUBJECT_FORWARD_PREFIXES or token in SUBJECT_REPLY_PREFIXES
        else:
            known = token in SUBJECT_FORWARD_PREFIXES and token not in SUBJECT_REPLY_PREFIXES
        if not known:
            break
        subject = subject[match.end() :]
    return subject.strip()


def _is_forward_token(token: str | None, languages: frozenset[str]) -> bool:
    if token is None or token not in SUBJECT_FORWARD_PREFIXES:
        return False
    forward_languages = SUBJECT_FORWARD_PREFIXES[token]
    reply_languages = SUBJECT_REPLY_PREFIXES.get(token, frozenset())
    if forward_languages is None or forward_languages & languages:
        return True
    if reply_languages is None or reply_languages & languages:
        return False
    return not reply_languages


def is_reply_token(token: str | None, languages: frozenset[str]) -> bool:
    """Tell whether a subject prefix is a reply one for a block in ``languages``."""
    if token is None or token not in SUBJECT_REPLY_PREFIXES:
        return False
    return not _is_forward_token(token, languages)


# -- separators and labels ------------------------------------------------------------------------


def _separator(text: str) -> tuple[str, bool, str | None, str] | None:
    """Return (phrase, ambiguous, client, rest of line) when ``text`` is a forward separator."""
    stripped = text.strip()
    if len(stripped) < 3:
        return None
    first = stripped[0]
    if first == "_" and len(stripped) >= 20 and not stripped.strip("_"):
        return "", True, "outlook", ""
    if first == "=" and len(stripped) >= 10 and not stripped.strip("="):
        return "", True, None, ""  # Orange's and SFR's webmail write a line of "=" signs
    core, rest, lead = None, "", 0
    if first in "-=":
        lead = len(stripped) - len(stripped.lstrip(first))
        if lead < 2:
            return None
        inner = stripped[lead:]
        close = inner.find(first * 2, 0, 120)
        if close < 0:
            core = inner[:120]
        else:
            core = inner[:close]
            rest = inner[close:].lstrip(first).strip()
    elif stripped[-1] in ":：" and len(stripped) <= 80:
        core = stripped[:-1]
    if core is None:
        return None
    key = fold(" ".join(core.replace("--", " ").split())).strip(" -_:*")
    if key in FORWARD_SEPARATORS:
        return key, False, _separator_client(key, stripped, rest), rest
    if key in AMBIGUOUS_SEPARATORS:
        if stripped.startswith("-" * 10 + " "):
            return key, True, "ionos", rest
        return key, True, "outlook" if stripped.startswith("-----") and lead == 5 else None, rest
    return None


def _separator_client(key: str, line: str, rest: str) -> str | None:
    client = FORWARD_SEPARATORS[key]
    if client:
        return client
    if line.startswith("-------- ") and line.endswith(" --------"):
        return "thunderbird"
    if line.startswith("----- ") and rest:
        return "yahoo"
    if key == "forwarded message" and line.endswith(":"):
        return "mailmate"
    return None


def _label(text: str) -> tuple[str, frozenset[str], str] | None:
    """Return (field, languages, value) when ``text`` is a "Label: value" header line."""
    stripped = text.strip().lstrip("*").lstrip()
    colon = stripped.find(":", 0, MAX_LABEL_CHARS)
    wide = stripped.find("：", 0, MAX_LABEL_CHARS)
    if colon < 0 or 0 <= wide < colon:
        colon = wide
    if colon < 1:
        return None
    key = fold(stripped[:colon].strip(" *\t\xa0"))
    entry = HEADER_LABELS.get(key)
    if entry is None and key not in CALENDAR_LABELS:
        for lead, languages in DATE_LEADS.items():
            if key.startswith(lead) and key[len(lead) : len(lead) + 1] in (" ", "\xa0"):
                value = stripped[len(lead) : len(lead) + MAX_VALUE_CHARS].strip(" :*\t\xa0")
                if value[:1].isdigit():  # "Message du 24/11/26 18:02", not "Message du chef :"
                    return FIELD_DATE, languages, value
        return None
    value = stripped[colon + 1 : colon + 1 + MAX_VALUE_CHARS].strip(" *\t\xa0")
    return (_CALENDAR, frozenset(), value) if entry is None else (entry[0], entry[1], value)


def _reply_attribution(text: str, previous: str) -> frozenset[str] | None:
    """The languages of ``text`` if it is an "On <date>, <name> <address> wrote:" line, else None.

    The verb alone is not enough ("see what the customer wrote:" is a note): the line, or the one
    before it when a client wrapped "wrote:" onto its own line, must hold a date or an address.
    """
    if len(text) > 400 or not text.endswith((":", "：")):
        return None
    folded = fold(text)
    languages = frozenset().union(
        *(found for word, found in REPLY_ATTRIBUTION_WORDS.items() if word in folded)
    )
    if not languages:
        return None
    evidence = text if len(text) > 16 else f"{previous} {text}"
    if "@" in evidence or any(char.isdigit() for char in evidence):
        return languages
    return None


def _attribution_block(
    lines: Lines, index: int, languages: frozenset[str], subject: _Subject
) -> Block | None:
    """Outlook for Mac forwards with an attribution line over the indented original.

    Only under a forward subject, with exactly one address on the line, and with the original
    quoted or indented below it; otherwise the line is a reply's.
    """
    token = subject.tokens[0] if subject.tokens else None
    if not _is_forward_token(token, languages):
        return None
    line = lines[index]
    text = line.text.strip()
    addresses = _addresses(text)
    if len(addresses) != 1:
        return None
    following = index + 1
    while following < min(len(lines), index + 3) and not lines[following].text.strip():
        following += 1
    if following >= len(lines) or not lines[following].text.strip():
        return None
    body = lines[following]
    indent = 0
    if body.depth <= line.depth:
        indent = len(body.text) - len(body.text.lstrip(" \t"))
        if indent < 2:
            return None
    name = _attribution_name(text)
    date = _ATTRIBUTION_DATE.search(text)
    fields = {
        FIELD_FROM: f"{name} <{addresses[0]}>" if name else addresses[0],
        FIELD_DATE: date.group(0) if date else "",
        FIELD_SUBJECT: subject.text,
    }
    client = "outlook" if indent else None
    return Block(
        fields, index, index + 1, line.depth, languages, index, ATTRIBUTION, True, client, indent
    )


def _attribution_name(text: str) -> str:
    """The name written just before the address of an attribution line."""
    at = text.find("@")
    bracket = max(text.rfind("<", 0, at), text.rfind("(", 0, at), text.rfind("[", 0, at))
    if bracket < 0:
        bracket = text.rfind(" ", 0, at) + 1
    before = text[:bracket].rstrip(" ,(")
    if before[-1:] in ('"', "»", "”", "“", "'"):
        closing = before[-1]
        opening = {"»": "«", "”": "„“", "“": "„“"}.get(closing, closing)
        start = max(before.rfind(char, 0, len(before) - 1) for char in opening)
        name = before[start + 1 : -1] if start >= 0 else ""
    else:
        folded = fold(before)
        cut = before.rfind(", ") + 1
        for word in ATTRIBUTION_NAME_LEADS:
            position = folded.rfind(f"{word} ")
            if position >= 0:
                cut = max(cut, position + len(word) + 1)
        name = before[cut:]
    name = " ".join(name.strip(_NAME_TRIM).split())
    return "" if len(name) > 80 or any(char.isdigit() for char in name) else name


# -- blocks --------------------------------------------------------------------------------------


def _parse_block(
    lines: Lines | list[Line], start: int, bare: bool
) -> tuple[dict[str, str], dict[str, frozenset[str]], int, int, int, bool] | None:
    """Read "Label: value" lines from ``start``: (fields, languages, end, depth, from line, calendar)."""
    fields: dict[str, str] = {}
    languages: dict[str, frozenset[str]] = {}
    last: str | None = None
    depth = 0
    from_line = start
    calendar = False
    index = start
    blanks = 0
    limit = min(len(lines), start + MAX_BLOCK_LINES)
    while index < limit:
        line = lines[index]
        stripped = line.text.strip()
        if not stripped:
            if not fields and blanks < 2 and not bare:
                blanks += 1
                index += 1
                continue
            if fields and _block_goes_on(lines, index, limit, fields, depth):
                index += 1
                continue
            break
        if fields and line.depth != depth:
            break
        hit = _label(stripped)
        if hit is not None:
            name, name_languages, value = hit
            if not fields:
                if bare and name not in _FIRST_FIELDS:
                    return None
                depth = line.depth
            if name == _CALENDAR:
                calendar = True
            elif name == FIELD_IGNORED:
                pass
            elif name in fields:
                break
            else:
                fields[name] = value
                languages[name] = name_languages
                if name == FIELD_FROM:
                    from_line = index
            last = name
        elif not _continues(line, stripped, last, fields):
            break
        index += 1
    if not fields:
        return None
    return fields, languages, index, depth, from_line, calendar


def _continues(line: Line, stripped: str, last: str | None, fields: dict[str, str]) -> bool:
    """Add ``line`` to the value of the field above it if it continues it; tell whether it does.

    A folded header line (indented) continues any field; an address list also goes on over a
    line that starts or ends like one ("<sue@...>", "Tom Baker <tom@...>,").
    """
    if last is None:
        return False
    if line.text[:1] in (" ", "\t"):
        if last in fields:  # an ignored field's folded lines are passed over
            fields[last] = f"{fields[last]} {stripped}"[:MAX_VALUE_CHARS]
        return True
    if last in _ADDRESS_FIELDS and _continues_addresses(stripped, fields[last]):
        fields[last] = f"{fields[last]} {stripped}"[:MAX_VALUE_CHARS]
        return True
    return False


def _block_goes_on(
    lines: Lines | list[Line], index: int, limit: int, fields: dict[str, str], depth: int
) -> bool:
    """Tell whether the header block goes on after the blank line at ``index``.

    Some clients (BlackBerry, older mobile ones) leave a blank line between header lines. A block
    goes on over at most two blank lines to a header line of a field it does not have yet (or one
    it ignores, "Sender:", "Importance:"), and only while it has no subject: every client writes
    the subject last or before the date, so a block with a subject is over at its first blank
    line, and a body starting "To: ..." stays a body.
    """
    if FIELD_SUBJECT in fields:
        return False
    following = index
    while following < limit and following - index < _MAX_BLANKS_IN_BLOCK:
        line = lines[following]
        text = line.text.strip()
        if text:
            if line.depth != depth:
                return False
            hit = _label(text)
            return hit is not None and hit[0] != _CALENDAR and hit[0] not in fields
        following += 1
    return False


def _continues_addresses(text: str, value: str) -> bool:
    return (
        text[0] in "<([\"'"
        or text.endswith((">", ",", ";", "]", ")"))
        or value.endswith((",", ";"))
        or ("@" in text and " " not in text.strip())
    )


def _block_languages(languages: dict[str, frozenset[str]]) -> frozenset[str]:
    """The languages of a block: those of its From label, narrowed by the other labels if they agree.

    Gmail writes a localised "From" with English "Date/Subject/To": an English label in a block whose
    From is not English says nothing of its language, and neither does a label agreeing with none
    of the languages seen so far.
    """
    result = languages.get(FIELD_FROM, frozenset())
    for name, name_languages in languages.items():
        if name == FIELD_FROM or ("en" in name_languages and result and "en" not in result):
            continue
        narrowed = result & name_languages if result else name_languages
        if narrowed:
            result = narrowed
    return result


def _split_collapsed(rest: str, depth: int) -> list[Line] | None:
    """Split Yahoo's one-line block ("From: a <a@x>To: b <b@x>Sent: ...Subject: s") into lines."""
    rest = rest[: MAX_VALUE_CHARS * 2]
    first = _label(rest)
    if first is None or first[0] == _CALENDAR:
        return None
    candidates = {"Cc", "CC"}
    for language in first[1]:
        for labels in LABELS_BY_LANGUAGE[language].values():
            candidates.update(labels)
    cuts: dict[int, str] = {}
    for label in candidates:
        for suffix in (":", " :", "："):
            needle = label + suffix
            position = rest.find(needle, 1)
            while position > 0:
                if len(label) > 2 or not rest[position - 1].isalnum():
                    if len(needle) > len(cuts.get(position, "")):
                        cuts[position] = needle
                position = rest.find(needle, position + 1)
    pieces: list[str] = []
    previous = covered = 0
    for position in sorted(cuts):
        if position < covered:
            continue
        segment = rest[previous:position]
        hit = _label(segment)
        if hit is not None and hit[0] == FIELD_SUBJECT:
            break  # Yahoo writes the subject last: it runs to the end of the line
        pieces.append(segment)
        previous, covered = position, position + len(cuts[position])
    pieces.append(rest[previous:])
    return [Line(piece, piece.strip(), depth) for piece in pieces if piece.strip()]


def _find_block(lines: Lines, start: int, subject: _Subject) -> Block | str | None:
    """Find the next forwarded header block from ``start``; "reply" when a reply comes first."""
    limit = min(len(lines), start + MAX_SCAN_LINES)
    for index in lines.candidates(start, limit):
        stripped = lines[index].text.strip()
        if not stripped:
            continue
        separator = _separator(stripped) if stripped[0] in "-_=" or stripped[-1] in ":：" else None
        if separator is not None:
            block = _block_after_separator(lines, index, separator, subject)
            if block is not None:
                return block
        elif languages := _reply_attribution(stripped, lines[index - 1].text if index else ""):
            return _attribution_block(lines, index, languages, subject) or "reply"
        else:
            hit = _label(stripped) if stripped.find(":", 0, MAX_LABEL_CHARS) > 0 else None
            if hit is None and "：" in stripped[:MAX_LABEL_CHARS]:
                hit = _label(stripped)
            if hit is not None and hit[0] in _FIRST_FIELDS and subject.tokens:
                block = _block_from(lines, index, index, None, True, None, subject)
                if block is not None:
                    return block
    return None


def _block_after_separator(
    lines: Lines,
    index: int,
    separator: tuple[str, bool, str | None, str],
    subject: _Subject,
) -> Block | None:
    phrase, ambiguous, client, rest = separator
    if rest:
        virtual = _split_collapsed(rest, lines[index].depth)
        if virtual:
            parsed = _parse_block(virtual, 0, bare=ambiguous)
            if parsed is not None:
                fields, languages, _end, depth, _from, calendar = parsed
                return _validate(
                    fields, languages, index, index + 1, depth, index, phrase, ambiguous,
                    client or "yahoo", calendar, subject,
                )  # fmt: skip
    block = _block_from(lines, index + 1, index, phrase, ambiguous, client, subject)
    if block is None and not ambiguous:
        block = _attribution_after_separator(lines, index, phrase, client)
    return block


def _attribution_after_separator(
    lines: Lines, index: int, phrase: str, client: str | None
) -> Block | None:
    """Yandex's forwards: the separator, then one line "24.11.2026, 18:02, "Name" <address>:".

    Under a separator that only forwards write, a line ending with a colon that holds exactly one
    address and a date names the original's sender; no reply writes that separator.
    """
    following = index + 1
    limit = min(len(lines), index + 4)
    while following < limit and not lines[following].text.strip():
        following += 1
    if following >= limit:
        return None
    line = lines[following]
    text = line.text.strip()
    if len(text) > 400 or not text.endswith((":", "：")):
        return None
    addresses = _addresses(text)
    if len(addresses) != 1:
        return None
    name = _attribution_name(text)
    cut = text.find(name) if name else -1
    if cut < 0:
        cut = max(text.rfind("<", 0, text.find("@")), 0)
    date = text[:cut].strip(" ,\"'«»„“”<(")
    if not any(char.isdigit() for char in date):
        return None
    fields = {FIELD_FROM: f"{name} <{addresses[0]}>" if name else addresses[0], FIELD_DATE: date}
    return Block(
        fields, index, following + 1, line.depth, frozenset(), following, phrase, False, client
    )


def _block_from(
    lines: Lines,
    first: int,
    start: int,
    phrase: str | None,
    ambiguous: bool,
    client: str | None,
    subject: _Subject,
) -> Block | None:
    parsed = _parse_block(lines, first, bare=phrase is None)
    if parsed is None:
        return None
    fields, languages, end, depth, from_line, calendar = parsed
    if phrase is None:
        client = "outlook"
    return _validate(
        fields, languages, start, end, depth, from_line, phrase, ambiguous, client, calendar,
        subject,
    )  # fmt: skip


def _validate(
    fields: dict[str, str],
    languages: dict[str, frozenset[str]],
    start: int,
    end: int,
    depth: int,
    from_line: int,
    phrase: str | None,
    ambiguous: bool,
    client: str | None,
    calendar: bool,
    subject: _Subject,
) -> Block | None:
    if calendar or not fields.get(FIELD_FROM):
        return None
    if FIELD_DATE not in fields and FIELD_SUBJECT not in fields:
        return None
    block_languages = _block_languages(languages)
    if ambiguous:
        if FIELD_DATE not in fields or (FIELD_SUBJECT not in fields and FIELD_TO not in fields):
            return None
        token = subject.tokens[0] if subject.tokens else None
        if not _is_forward_token(token, block_languages):
            return None
    sender = parse_sender(fields[FIELD_FROM])
    if sender is None:
        return None
    if ambiguous and sender[1] is None:
        # a name alone under no separator: only when the subjects agree ("FW: x" over "Subject: x")
        if fold(strip_forward_prefixes(fields.get(FIELD_SUBJECT, ""))) != subject.bare:
            return None
    return Block(fields, start, end, depth, block_languages, from_line, phrase, ambiguous, client)


def find_levels(lines: Lines, subject: str) -> list[Level] | None:
    """Return the nested forwards in ``lines``, outermost first; ``None`` when it is a reply.

    ``subject`` is the subject of the message the lines belong to: it decides whether blocks under
    no separator, or under a reply-or-forward one, count.
    """
    levels: list[Level] = []
    context = _Subject.of(subject)
    position = 0
    while len(levels) < MAX_LEVELS:
        found = _find_block(lines, position, context)
        if found == "reply":
            if not levels:
                return None
            break
        if not isinstance(found, Block):
            break
        if levels:
            levels[-1].body_end = found.start
        if not levels and context.tokens and is_reply_token(context.tokens[0], found.languages):
            return None
        levels.append(Level(found, found.end))
        position = found.end
        context = _Subject.of(found.fields.get(FIELD_SUBJECT, ""))
    for level in levels:
        if level.body_end < 0:
            level.body_end = len(lines)
    return levels


# -- mailboxes -----------------------------------------------------------------------------------


def _addresses(text: str) -> list[str]:
    """Return the normalised addresses written in ``text``, in order, without repeats."""
    found: list[str] = []
    at = text.find("@")
    while at > 0:
        left = at
        while left > 0 and text[left - 1] not in _ADDRESS_STOP:
            left -= 1
        right = at + 1
        while right < len(text) and text[right] not in _ADDRESS_STOP:
            right += 1
        candidate = text[left:right].removeprefix("mailto:").strip(".")
        address = _normalized(candidate) if 3 <= len(candidate) <= 320 else None
        if address and address not in found:
            found.append(address)
        at = text.find("@", right)
    return found


def _name(text: str) -> str:
    for _ in range(3):
        text = _BRACKETED.sub(
            lambda match: " " if "@" in match.group(0) or ":" in match.group(0) else match.group(0),
            text,
        )
    words = [word for word in text.split() if "@" not in word and not word.startswith("mailto:")]
    return " ".join(" ".join(words).strip(_NAME_TRIM).split())


@lru_cache(maxsize=512)  # the same values are read when a block is checked, then kept
def parse_sender(value: str) -> tuple[str, str | None] | None:
    """Return (name, address) of a From value; the address is ``None`` when only a name is written.

    "X on behalf of Y" gives Y. ``None`` when the value holds neither a usable name nor an address.
    """
    value = " ".join(value[:MAX_VALUE_CHARS].split())
    folded = value.casefold()
    for words in ON_BEHALF_WORDS:
        cut = folded.find(words)
        if cut > 0:
            value = value[cut + len(words) :]
            break
    addresses = _addresses(value)
    name = _name(value)
    if addresses:
        if fold(name) == addresses[0] or "@" in name:
            name = ""
        return name, addresses[0]
    if not name or len(name) > 100 or len(name.split()) > 8 or ":" in value:
        return None
    return name, None


def parse_recipients(value: str) -> list[tuple[str, str | None]]:
    """Return the (name, address) pairs of a To or Cc value ("; " or ", " separated)."""
    return list(_recipients(value))


@lru_cache(maxsize=256)  # the text and HTML blocks of a forward hold the same values
def _recipients(value: str) -> tuple[tuple[str, str | None], ...]:
    value = value[:MAX_VALUE_CHARS]
    separator = ";" if _top_level_split(value, ";") != [value] else ","
    parts = _top_level_split(value, separator)
    result: list[tuple[str, str | None]] = []
    pending = ""
    seen: set[str] = set()
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if pending:
            part = f"{pending}, {part}"
            pending = ""
        if "@" not in part and separator == "," and " " not in part and len(parts) > 1:
            pending = part  # "Miller, Sue <sue@...>": the surname before the comma
            continue
        parsed = parse_sender(part)
        if parsed is None:
            continue
        if parsed[1] and parsed[1] in seen:
            continue
        if parsed[1]:
            seen.add(parsed[1])
        result.append(parsed)
    if pending:
        parsed = parse_sender(pending)
        if parsed is not None:
            result.append(parsed)
    return tuple(result[:200])


def _top_level_split(value: str, separator: str) -> list[str]:
    parts, depth, quoted, current = [], 0, False, 0
    for index, char in enumerate(value):
        if char == '"':
            quoted = not quoted
        elif char in "<([":
            depth += 1
        elif char in ">)]":
            depth = max(0, depth - 1)
        elif char == separator and not quoted and not depth:
            parts.append(value[current:index])
            current = index + 1
    parts.append(value[current:])
    return parts
