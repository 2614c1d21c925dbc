"""HTML bodies of forwarded mail: their text lines, where each line sits in the markup, and fragments.

Forward detection works on lines of text (text.py). An HTML body is turned into such lines
the way a mail client displays it: block elements (``div``, ``p``, ``tr``, ``blockquote`` ...) and
``<br>`` end lines, ``<hr>`` becomes a line of underscores (Outlook on the web and Zimbra draw their
separator with it), table cells on one row are joined with a space. Each line keeps:

- where it starts and ends in the markup, so that once a header block is found the forwarder's note
  and the original's HTML can be cut out of the markup (:func:`html_fragment`);
- how deep it sits in ``<blockquote>`` elements (Apple Mail quotes forwards with one);
- the ``mailto:`` links written on it, so that an Outlook "From: Sue Miller" line whose address is
  only in a link still yields the address.

The scanner is a single pass: tags are found with a pattern that cannot run past the next ``<``
(no backtracking over the markup) and comments with ``str.find``: its cost is linear in the size of
the HTML. Only the tags that end lines, hold links or hide content are tokens of its loop; the
others (``span``, ``b``, ``font``, Word's ``o:p`` ...) are taken out of the text between two tokens
in one C pass, which is most of the markup of Outlook's mail. Script, style and head contents and
comments are skipped. :func:`client_markers` names the client whose markup surrounds a place in the
HTML (Gmail's ``gmail_quote``, Outlook's ``divRplyFwdMsg`` ...). The fragments are re-balanced by
lxml, whose parse of the original's markup is most of what a long HTML forward costs.

:func:`visible_text` is the cheap look before that scan: all the text the markup can show, in one
string, made by a few passes in C, so that mail with no header block anywhere is let go unscanned.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache

from lxml import etree

__all__ = [
    "HtmlDocument",
    "HtmlLine",
    "client_markers",
    "html_fragment",
    "parse_html",
    "visible_text",
]

SEPARATOR_RULE = "_" * 32  # the text line an <hr> stands for

_BLOCK_TAGS = frozenset(
    "address article aside blockquote center dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header li main nav ol p pre section table tbody tfoot thead tr ul".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "xml"})
_MAILTO = re.compile(r"""href\s*=\s*["']?\s*mailto:([^"'\s>?]{1,320})""", re.IGNORECASE)
_MAX_TRIMS = 200
_TAGS_AND_SPACES = re.compile(r"(?:<[^<>]*>|\s)*")
_IMAGE = re.compile("<img", re.IGNORECASE | re.ASCII)
_PARSER = etree.HTMLParser(remove_comments=False, recover=True)


def _names_pattern(names: Iterable[str]) -> str:
    """A pattern matching any of ``names`` (lowercase) in any ASCII case, as a tree of letters.

    A flat alternation, or one under IGNORECASE, costs a try of every name at every "<"; as a tree
    of ``[dD]``-style letters each step rules out all names but those sharing the letter.
    """
    by_letter: dict[str, list[str]] = {}
    for name in sorted(names):
        by_letter.setdefault(name[0], []).append(name[1:])
    branches = []
    for letter, rests in by_letter.items():
        tails = [rest for rest in rests if rest]
        tail = _names_pattern(tails) if tails else ""
        if tails and "" in rests:
            tail = f"(?:{tail})?"
        first = f"[{letter}{letter.upper()}]" if letter.isalpha() else re.escape(letter)
        branches.append(first + tail)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


# A tag that matters to the lines (name in group 2; a "<" inside it ends the attempt, so a stray "<"
# costs nothing more), or the start of a comment, declaration or processing instruction. Other tags
# (span, b, font, o:p ...) change nothing but where text pieces meet: _OTHER_TAG takes them out of
# the text between two tokens, in C, instead of one loop turn each.
_LINE_TAGS = _BLOCK_TAGS | _CELL_TAGS | _SKIPPED_TAGS | {"a", "body", "br", "hr"}
_TOKEN = re.compile(  # the name is atomic: a shorter one would be followed by a name character
    r"<(?:(/?)((?>" + _names_pattern(_LINE_TAGS) + r"))(?![a-zA-Z0-9:-])[^<>]*+>|!--|!|\?)"
)
_OTHER_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*[^<>]*>")

# What visible_text removes, token for token as parse_html reads them: the content of a skipped
# element (its end tag stays, as a tag), a tag, a comment, a declaration or processing instruction.
_HIDDEN = re.compile(
    r"<(?:(" + _names_pattern(_SKIPPED_TAGS) + r")(?![a-zA-Z0-9:-])[^<>]*>(?s:.*?)(?=(?i:</\1)|\Z)"
    r"|/?[a-zA-Z][a-zA-Z0-9:-]*[^<>]*>|!--(?s:.*?)(?:-->|\Z)|[!?][^>]*(?:>|\Z))"
)

# Markup that says which client wrote a forward (searched near the forwarded header block).
_MARKERS: tuple[tuple[str, str], ...] = (
    ("moz-forward-container", "thunderbird"),
    ("moz-email-headers-table", "thunderbird"),
    ("yahoo_quoted", "yahoo"),
    ('data-marker="__headers__"', "zimbra"),
    ('id="zwchr"', "zimbra"),
    ("gmail_quote", "gmail"),
    ("gmail_attr", "gmail"),
    ("divrplyfwdmsg", "outlook"),
    ("border-top:solid #e1e1e1 1.0pt", "outlook"),
    ("border-top:solid #b5c4df 1.0pt", "outlook"),
    ("apple-interchange-newline", "apple"),
)


@dataclass(slots=True)
class HtmlLine:
    """One displayed line of an HTML body."""

    text: str
    start: int  # offset in the markup just after the previous line's break
    end: int  # offset of the token that ends the line
    depth: int  # blockquote nesting
    mailtos: list[tuple[str, str]] = field(default_factory=list)  # (address, link text)


@dataclass(slots=True)
class HtmlDocument:
    """An HTML body and its displayed lines."""

    markup: str
    lines: list[HtmlLine]
    body_start: int
    body_end: int


class _Scanner:
    """Builds the lines of a document while its tokens are read, in one pass."""

    def __init__(self, markup: str):
        self.markup = markup
        self.lines: list[HtmlLine] = []
        self.chunks: list[str] = []
        self.start = 0
        self.depth = 0
        self.line_depth: int | None = None
        self.mailtos: list[tuple[str, str]] = []
        self.link: str | None = None
        self.link_chunks: list[str] = []

    def text(self, raw: str) -> None:
        """Add the text between two tokens, without the other tags in it."""
        if "<" in raw:
            if "&" in raw:  # entities are read between the tags, each piece apart
                pieces = _OTHER_TAG.split(raw)
                raw = "".join(
                    html_lib.unescape(piece) if "&" in piece else piece for piece in pieces
                )
            else:
                raw = _OTHER_TAG.sub("", raw)
        elif "&" in raw:
            raw = html_lib.unescape(raw)
        if self.line_depth is None and raw.strip():
            self.line_depth = self.depth
        self.chunks.append(raw)
        if self.link is not None:
            self.link_chunks.append(raw)

    def end_line(self, at: int, after: int, hard: bool) -> None:
        if not self.chunks and not hard:
            return  # nothing to end: a block closed right after another
        text = " ".join("".join(self.chunks).replace("\xa0", " ").split())
        if text or hard:
            depth = self.depth if self.line_depth is None else self.line_depth
            self.lines.append(HtmlLine(text, self.start, at, depth, self.mailtos))
            self.chunks, self.mailtos, self.line_depth = [], [], None
            self.start = after

    def tag(self, name: str, closing: bool, lt: int, after: int) -> None:
        """Apply the tag ``name`` found at ``lt`` (``after`` is just past it)."""
        if name == "br":
            self.end_line(lt, after, hard=True)
        elif name == "hr":
            self.end_line(lt, lt, hard=False)
            self.chunks = [SEPARATOR_RULE]
            self.line_depth = self.depth
            self.end_line(lt, after, hard=True)
        elif name in _BLOCK_TAGS:
            self.end_line(lt, after if closing else lt, hard=False)
            if name == "blockquote":
                self.depth = max(0, self.depth + (-1 if closing else 1))
        elif name in _CELL_TAGS and not closing:
            self.text(" ")
        elif name == "a":
            if closing:
                self.close_link()
            else:
                self.open_link(self.markup[lt:after])

    def open_link(self, tag: str) -> None:
        match = _MAILTO.search(tag)
        self.link = html_lib.unescape(match.group(1)) if match else None
        self.link_chunks = []

    def close_link(self) -> None:
        if self.link is not None:
            self.mailtos.append((self.link, " ".join("".join(self.link_chunks).split())))
        self.link = None


def parse_html(markup: str, max_lines: int | None = None) -> HtmlDocument:
    """Return the displayed lines of ``markup``, with their places in it.

    With ``max_lines``, reading stops once that many lines are found: a caller that knows where
    the forwarded blocks are (from the text part) does not pay for the rest of a long body.
    """
    scanner = _Scanner(markup)
    lines, add_text, apply_tag, search = scanner.lines, scanner.text, scanner.tag, _TOKEN.search
    size = len(markup)
    body_start = 0
    body_end = max(markup.rfind("</body"), markup.rfind("</BODY"), markup.rfind("</Body"))
    if body_end < 0:
        body_end = size
    pos = 0
    while pos < size:
        if max_lines is not None and len(lines) >= max_lines:
            return HtmlDocument(markup, lines, body_start, max(body_start, body_end))
        match = search(markup, pos)
        if match is None:
            add_text(markup[pos:])
            break
        lt = match.start()
        if lt > pos:
            add_text(markup[pos:lt])
        closing, name = match.groups()
        if name is None:  # a comment, a declaration or a processing instruction
            end = markup.find("-->" if match.group(0) == "<!--" else ">", lt + 2)
            pos = size if end < 0 else end + (3 if match.group(0) == "<!--" else 1)
            continue
        pos = match.end()
        name = name.lower()
        closing = bool(closing)
        if not closing and name in _SKIPPED_TAGS:
            end = _closing_tag(name).search(markup, pos)
            pos = size if end is None else end.start()
        elif name == "body":
            if not closing:
                body_start = pos
        else:
            apply_tag(name, closing, lt, pos)
    scanner.end_line(size, size, hard=False)
    return HtmlDocument(markup, lines, body_start, max(body_start, body_end))


def visible_text(markup: str) -> str:
    """All the text ``markup`` shows, lines run together: what a look for words needs, cheaply.

    Every displayed line of :func:`parse_html` is in it (its words may be glued to the previous
    line's, and a "<" in the text is dropped), so a word missing here is on no line.
    """
    # "<" where each token was stops an entity from running across it, as in parse_html
    return html_lib.unescape(_HIDDEN.sub("<", markup)).replace("<", "")


@lru_cache(maxsize=16)
def _closing_tag(name: str) -> re.Pattern[str]:
    return re.compile(f"</{name}", re.IGNORECASE)


def client_markers(document: HtmlDocument, start: int, end: int) -> str | None:
    """Return the client whose forward markup is found between ``start`` and ``end`` (widened)."""
    window = document.markup[max(0, start - 600) : min(len(document.markup), end + 200)].lower()
    window = window.replace("\n", "").replace("\r", "").replace("; ", ";")
    for marker, client in _MARKERS:
        if marker in window:
            return client
    return None


def html_fragment(document: HtmlDocument, start: int, end: int) -> str | None:
    """Return the markup between two offsets as a well-formed fragment, or ``None`` if empty.

    Closing tags and line breaks left dangling at the start, and opening tags left dangling at the
    end, are dropped; what remains is re-balanced by lxml's HTML parser.
    """
    start = max(start, document.body_start)
    end = min(end, document.body_end)
    if end <= start:
        return None
    fragment = _trim(document.markup[start:end])
    if not fragment or not _has_content(fragment):
        return None
    return _balance(fragment)


def _trim(fragment: str) -> str:
    for _ in range(_MAX_TRIMS):
        fragment = fragment.lstrip()
        lowered = fragment[:4].lower()
        if not (lowered.startswith(("</", "<br", "<hr"))):
            break
        gt = fragment.find(">")
        if gt < 0:
            break
        fragment = fragment[gt + 1 :]
    for _ in range(_MAX_TRIMS):
        fragment = fragment.rstrip()
        if not fragment.endswith(">"):
            break
        lt = fragment.rfind("<")
        if lt < 0:
            break
        tag = fragment[lt + 1 : lt + 8].lower()
        if tag.startswith(("/", "img", "!")):
            break
        fragment = fragment[:lt]
    return fragment


def _has_content(fragment: str) -> bool:
    """Tell whether a piece of markup shows an image or any text other than spaces.

    Tags and spaces are skipped by one pattern; the first other character ends the search unless
    it starts an entity, which counts only if it is not a space (``&nbsp;``).
    """
    position, size = 0, len(fragment)
    while position < size:
        position = _TAGS_AND_SPACES.match(fragment, position).end()
        if position >= size:
            break
        if fragment[position] != "&":
            return True
        run_end = fragment.find("<", position)
        run_end = size if run_end < 0 else run_end
        if html_lib.unescape(fragment[position:run_end]).replace("\xa0", " ").strip():
            return True
        position = run_end
    return _IMAGE.search(fragment) is not None


def _balance(fragment: str) -> str:
    """Re-balance a cut-out piece of markup: what lxml's HTML parser puts in the body, as HTML."""
    fragment = fragment.replace("<o:p>", "").replace("</o:p>", "")  # Word's empty paragraph marks
    try:
        root = etree.fromstring(fragment, _PARSER)
        body = root.find("body") if root is not None else None
        if body is None:
            return fragment
        while (
            len(body)
            and not (body.text or "").strip()
            and not "".join(body[0].itertext()).replace("\xa0", " ").strip()
            and body[0].find(".//img") is None
            and body[0].tag != "img"
            and not (body[0].tail or "").strip()
        ):
            body.remove(body[0])  # an empty paragraph left above the text (Outlook's spacers)
        body.attrib.clear()
        markup = etree.tostring(body, encoding="unicode", method="html", with_tail=False)
    except (etree.LxmlError, ValueError, TypeError):
        return fragment
    # the body's content, serialised at once: "<body>" and "</body>" around it are dropped
    return markup.removeprefix("<body>").removesuffix("</body>").strip()
