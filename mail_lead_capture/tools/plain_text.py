"""Plain-text mail as HTML that reads like the mail in the chatter.

Odoo's gateway keeps a text/plain body as one ``<pre>`` block: every line unwrapped, in a monospace
font, with a horizontal scrollbar where a line is longer than the chatter is wide (and many mail
clients send a whole paragraph as one line). :func:`text_to_html` renders the text as Odoo's own
``plaintext2html`` does, and a little more:

- paragraphs (separated by blank lines) become ``<p>``, the line breaks inside them ``<br>``, so
  that long lines wrap like any text;
- ``http(s)://`` and ``www.`` addresses become links opening in a new tab;
- a run of ``>``-quoted lines becomes a ``<blockquote>`` (nested for ``>>``), which Odoo's HTML
  sanitizer marks as a quote: the chatter folds it behind its "..." button, as it folds the quotes of
  HTML mail; a ``-- `` signature stays the first line of its paragraph, which Odoo folds too;
- the spaces that indent a line are kept (as no-break spaces).

Standard library only; the result is a ``str`` of escaped, safe HTML.
"""

from __future__ import annotations

import html
import re

QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""
MAX_DEPTH = 20  # deeper quotes are shown as they are, with their ">" markers


def quote_depth(line: str) -> int:
    """How many ``>`` markers quote ``line`` ("> > x" and ">> x" are both two deep)."""
    depth = 0
    while depth < MAX_DEPTH and (match := QUOTE.match(line)):
        line = line[match.end() :]
        depth += 1
    return depth


def unquote(line: str) -> str:
    """``line`` without its first ``>`` marker (and the space after it)."""
    match = QUOTE.match(line)
    return line[match.end() :] if match else line


def linkify(text: str) -> str:
    """Escape ``text`` and turn its web addresses into links."""
    out, position = [], 0
    for match in URL.finditer(text):
        url = match.group(0)
        while url and url[-1] in TRAILING_PUNCTUATION:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break  # a Wikipedia-style address keeps its closing parenthesis
            url = url[:-1]
        end = match.start() + len(url)
        href = url if "://" in url else "http://" + url
        out.append(html.escape(text[position : match.start()], quote=False))
        out.append(
            f'<a href="{html.escape(href)}" target="_blank" rel="noreferrer noopener">'
            f"{html.escape(url, quote=False)}</a>"
        )
        position = end
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


def _line_html(line: str) -> str:
    stripped = line.lstrip(" \t")
    indent = len(line) - len(stripped)
    return "\u00a0" * indent + linkify(stripped.rstrip())


def _paragraphs(lines: list[str]) -> list[str]:
    blocks, current = [], []
    for line in [*lines, ""]:
        if line.strip():
            current.append(_line_html(line))
        elif current:
            blocks.append("<p>" + "<br>".join(current) + "</p>")
            current = []
    return blocks


def _render(lines: list[str], depth: int) -> str:
    """HTML of ``lines``: unquoted runs as paragraphs, quoted runs as (nested) blockquotes."""
    blocks: list[str] = []
    run: list[str] = []
    quoted = False
    for line in [*lines, None]:
        is_quote = line is not None and depth < MAX_DEPTH and quote_depth(line) > 0
        if line is not None and (is_quote == quoted or not run):
            quoted = is_quote
            run.append(line)
            continue
        if quoted:
            inner = _render([unquote(item) for item in run], depth + 1)
            blocks.append(f"<blockquote>{inner}</blockquote>")
        else:
            blocks.extend(_paragraphs(run))
        run, quoted = ([line], is_quote) if line is not None else ([], False)
    return "".join(blocks)


def text_to_html(text: str) -> str:
    """Render a plain-text mail body as HTML paragraphs (see the module's documentation)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _render(text.split("\n"), 0)
