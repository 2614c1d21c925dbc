"""How forward_text.py reads a body: the lines it looks at, the text it joins, the look at labels.

The block search visits only candidate lines and a whole HTML body is first looked at for labels;
these tests hold those shortcuts to what the plain reading of every line gives, on drawn bodies.
"""

from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from mail_lead_capture.tools.forwards import text as forward_text
from mail_lead_capture.tools.forwards.html import parse_html
from mail_lead_capture.tools.forwards.html import visible_text
from mail_lead_capture.tools.forwards.labels import LABELS_BY_LANGUAGE
from mail_lead_capture.tools.forwards.text import find_levels
from mail_lead_capture.tools.forwards.text import html_lines
from mail_lead_capture.tools.forwards.text import may_hold_block
from mail_lead_capture.tools.forwards.text import plain_lines
from mail_lead_capture.tools.forwards.text import unquote

LINE_PIECES = [
    "\n", "\r\n", "\n\n", " ", "  ", "\t", "\xa0", "\u3000", ">", "> ", " >", ">>", "> > ", "-", "--",
    "-----", "_" * 32, "=", ":", "：", "From: Sue <sue@x.example>", "Date: Tue, Nov 24, 2026 6:02 PM",
    "Subject: x", "To: a@b.example", "---------- Forwarded message ---------", "Begin forwarded message:",
    "-----Original Message-----", "Hello", "at 10:30", "wrote:", "\ufeff", "*", "**From:**", "Von:",
]  # fmt: skip
bodies = st.lists(st.sampled_from(LINE_PIECES) | st.text(max_size=8), max_size=50).map("".join)


def acted_on(line) -> bool:
    """Whether the block search reads this line (what it checked on every line before)."""
    stripped = line.text.strip()
    return bool(stripped) and (stripped[0] in "-_=" or ":" in stripped or "：" in stripped)


@settings(max_examples=300, deadline=None)
@given(bodies, st.integers(0, 60), st.integers(0, 60))
def test_candidates_hold_every_line_the_search_reads(body, start, stop):
    lines = plain_lines(body)
    partial = lines.candidates(start, stop)  # asked first for a part, as the search does
    everything = lines.candidates(0, len(lines))
    assert everything == sorted(set(everything))
    assert partial == [index for index in everything if start <= index < stop]
    assert {i for i in range(len(lines)) if acted_on(lines[i])} <= set(everything)


def joined_line_by_line(lines, start, end, depth, indent) -> str:
    """The text of lines start..end as it was made before: every line unquoted on its own."""
    segment = [lines[index] for index in range(start, min(end, len(lines)))]
    depths = [line.depth for line in segment if line.text.strip()]
    levels = max(depth, min(depths) if depths else 0)
    rows = [unquote(line, min(levels, line.depth)).rstrip() for line in segment]
    if indent:
        rows = [row[indent:] if row[:indent].isspace() else row.lstrip() for row in rows]
    return "\n".join(rows).strip()


@settings(max_examples=400, deadline=None)
@given(
    bodies,
    st.integers(0, 12),
    st.integers(0, 40),
    st.integers(0, 3),
    st.integers(0, 4) | st.just(0),
)
def test_text_of_lines_is_what_unquoting_each_line_gives(body, start, end, depth, indent):
    lines = plain_lines(body)
    expected = joined_line_by_line(lines, start, end, depth, indent)
    assert lines.text(start, end, depth, indent) == expected


def test_text_keeps_lines_and_drops_quote_markers_to_the_blocks_depth():
    assert plain_lines("a  \nb\t\r\n\nc").text(0, 4) == "a\nb\n\nc"
    lines = plain_lines("note\n> Hello  \n>\n> > quoted deeper\nend")
    assert lines.text(0, 1) == "note"
    assert lines.text(1, 4, depth=1) == "Hello\n\n> quoted deeper"
    assert lines.text(0, 5) == "note\n> Hello\n>\n> > quoted deeper\nend"
    assert html_lines(["a", "", "b"], [0, 1, 1]).text(0, 3) == "a\n\nb"


FROM_LABELS = sorted({label for fields in LABELS_BY_LANGUAGE.values() for label in fields["from"]})
SPLITTERS = ["<b>", "</b>", "<span>", "</span>", "<!-- x -->", "<o:p></o:p>", "<?x?>", "<font>"]


@st.composite
def header_blocks(draw) -> str:
    """An HTML header block whose labels are spelled as clients and converters spell them."""

    def spelled(label: str) -> str:
        if draw(st.booleans()):
            label = label.upper()
        out = ""
        for char in label:
            kind = draw(st.sampled_from(["plain", "plain", "entity", "tag"]))
            out += f"&#{ord(char)};" if kind == "entity" else char
            if kind == "tag":
                out += draw(st.sampled_from(SPLITTERS))
        return out

    language = draw(st.sampled_from(sorted(LABELS_BY_LANGUAGE)))
    labels = LABELS_BY_LANGUAGE[language]
    gap = draw(st.sampled_from(["", " ", "&nbsp;", "</b> ", " *", "\n"]))
    colon = draw(st.sampled_from([":", "：", "&#58;"]))
    rows = [
        spelled(draw(st.sampled_from(labels["from"]))) + gap + colon + " Sue <sue@x.example>",
        spelled(labels["date"][0]) + gap + colon + " Tue, Nov 24, 2026 6:02 PM",
        spelled(labels["subject"][0]) + gap + colon + " x",
    ]
    separators = ["---------- Forwarded message ---------", "<hr>", "Begin forwarded message:"]
    separator = draw(st.sampled_from(separators))
    brk = draw(st.sampled_from(["<br>", "</div><div>", "</p><p>"]))
    return f"<div>note</div><div>{separator}{brk}{brk.join(rows)}{brk}Hello</div>"


@settings(max_examples=400, deadline=None)
@given(header_blocks(), st.sampled_from(["Catering", "", "Question"]))
def test_a_block_found_in_html_always_passes_the_look_at_labels(markup, subject):
    document = parse_html(markup)
    lines = html_lines([line.text for line in document.lines], [0] * len(document.lines))
    if find_levels(lines, subject):
        assert may_hold_block(visible_text(markup))


@st.composite
def text_header_blocks(draw):
    """A plain-text forward block in any language, plain or quoted, after some noise."""
    labels = LABELS_BY_LANGUAGE[draw(st.sampled_from(sorted(LABELS_BY_LANGUAGE)))]
    quote = draw(st.sampled_from(["", "> ", ">"]))
    colon = draw(st.sampled_from([":", " :", "："]))
    rows = [
        draw(st.sampled_from(labels["from"])) + colon + " Sue <sue@x.example>",
        labels["date"][0] + colon + " Tue, Nov 24, 2026 6:02 PM",
        labels["subject"][0] + colon + " x",
    ]
    separators = ["---------- Forwarded message ---------", "Begin forwarded message:", ""]
    separator = draw(st.sampled_from(separators))
    return "\n".join([draw(bodies), separator, *(quote + row for row in rows), "", quote + "Hi"])


@settings(max_examples=300, deadline=None)
@given(text_header_blocks(), st.sampled_from(["Catering", "", "Question"]))
def test_a_block_found_in_text_always_passes_the_look_at_labels(body, subject):
    # about half of these bodies hold a block find_levels accepts; only those say anything here
    assume(find_levels(plain_lines(body), subject))
    assert may_hold_block(body)


def test_the_look_at_labels():
    assert not may_hold_block("Menu options: three courses, at 10:30. Note: bring the wine list.")
    assert not may_hold_block("")
    for text in ("From: Sue", "von :x", "Expéditeur\xa0: Sue", "差出人：スー", "KİMDEN: x", "**De** : x",
                 "Від кого: x", "de\n la: x"):  # fmt: skip
        assert may_hold_block(text), text


def test_visible_text_keeps_text_and_drops_markup():
    markup = (
        "<head><style>p:after {content: 'From:'}</style></head><!-- From: x -->"
        "<b>Exp&eacute;diteur</b>&nbsp;: Sue<script>var From = 1;</script><p>a &lt; b</p>"
    )
    assert visible_text(markup) == "Expéditeur\xa0: Suea  b"


def test_caches_serve_one_message():
    forward_text.parse_sender("Sue <sue@x.example>")
    assert forward_text.parse_sender.cache_info().currsize
    forward_text.clear_caches()
    assert not forward_text.parse_sender.cache_info().currsize


def test_recipients_are_a_new_list_each_time():
    first = forward_text.parse_recipients("a@x.example, Sue <b@x.example>")
    assert first == [("", "a@x.example"), ("Sue", "b@x.example")]
    first.clear()  # the caller's to change: the cached value behind it is not
    assert forward_text.parse_recipients("a@x.example, Sue <b@x.example>") != first


# -- header layouts other than Outlook's From-first block (issue 18) ----------------------------------


def fields_of(body: str, subject: str) -> list[dict[str, str]] | None:
    levels = find_levels(plain_lines(body), subject)
    return None if levels is None else [level.block.fields for level in levels]


def test_a_block_under_no_separator_may_start_with_the_date_or_the_subject():
    gmx = ("Hi\n\nGesendet: Dienstag, 24. November 2026 um 18:02 Uhr\nVon: Sue <sue@x.example>\n"
           "An: a@b.example\nBetreff: x\n\nHallo\n")  # fmt: skip
    laposte = ("Hi\n\nObjet : x\nDe : Sue <sue@x.example>\nDate : mardi 24 novembre 2026 18:02\n"
               "À : a@b.example\n\nBonjour\n")  # fmt: skip
    for body, subject in ((gmx, "WG: x"), (laposte, "TR: x")):
        assert fields_of(body, subject)[0]["from"] == "Sue <sue@x.example>"
        assert fields_of(body, "x") == []  # no separator, no forward subject: no forward
        assert not fields_of(body, "Re: x")  # nor under a reply subject


def test_blank_lines_between_header_lines_stay_in_the_block_until_the_subject():
    body = ("-----Original Message-----\nFrom: Sue <sue@x.example>\n\nSender: sue@x.example\n\n"
            "Date: Tue, 24 Nov 2026 18:02:11\n\nTo: <a@b.example>\n\nSubject: x\n\n"
            "To: whom it may concern\n")  # fmt: skip
    (fields,) = fields_of(body, "FW: x")
    assert fields == {"from": "Sue <sue@x.example>", "date": "Tue, 24 Nov 2026 18:02:11",
                      "to": "<a@b.example>", "subject": "x"}  # fmt: skip
    # without a subject yet, a blank line followed by prose ends the block
    body = ("---------- Forwarded message ---------\nFrom: Sue <sue@x.example>\nDate: today 18:02\n"
            "\nHello\nTo: you\n")  # fmt: skip
    assert fields_of(body, "Fwd: x")[0] == {"from": "Sue <sue@x.example>", "date": "today 18:02"}


def test_folded_header_lines_and_copied_header_lines():
    body = ("---------- Forwarded message ---------\nDate: Tue, 24 Nov 2026 18:02:11 +0100\n"
            "Message-ID: <abc@x.example>\nFrom: Sue <sue@x.example>\nTo: a@b.example\n"
            "Cc: Tom <tom@x.example>,\n\tAnn\n  <ann@x.example>\nSubject: a long\n subject\n"
            "\nHello\n")  # fmt: skip
    (fields,) = fields_of(body, "x")
    assert fields["cc"] == "Tom <tom@x.example>, Ann <ann@x.example>"
    assert fields["subject"] == "a long subject"
    assert fields["from"] == "Sue <sue@x.example>"


def test_orange_rule_and_message_du_line_need_a_forward_subject():
    body = ("Voir ci-dessous\n\n========================================\nMessage du 24/11/26 18:02\n"
            "De : Sue <sue@x.example>\nA : a@b.example\nCopie à : \nSujet : x\n"
            "========================================\n\nBonjour\n")  # fmt: skip
    (fields,) = fields_of(body, "TR : x")
    assert fields["date"] == "24/11/26 18:02"
    assert fields["from"] == "Sue <sue@x.example>"
    assert fields_of(body, "x") == []  # the rule is written above replies too
    assert forward_text._label("Message du chef : 24/11/26") is None  # prose, not a date line


def test_yandex_attribution_counts_only_under_a_forward_separator():
    line = '24.11.2026, 18:02, "Sue Miller" <sue@x.example>:\n\nHello\n'
    (fields,) = fields_of(f"FYI\n\n-------- Пересылаемое сообщение --------\n{line}", "x")
    assert fields == {"from": "Sue Miller <sue@x.example>", "date": "24.11.2026, 18:02"}
    assert fields_of(f"FYI\n\n-----Original Message-----\n{line}", "FW: x") == []
    assert fields_of(f"FYI\n\n{line}", "Fwd: x") == []
    two = '24.11.2026, "Sue" <sue@x.example>, "Tom" <tom@x.example>:\n'
    assert fields_of(f"-------- Пересылаемое сообщение --------\n{two}", "x") == []
