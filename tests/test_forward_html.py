"""HTML bodies turned into lines with their places in the markup (forward_html.py)."""

from mail_lead_capture.tools.forwards.html import SEPARATOR_RULE
from mail_lead_capture.tools.forwards.html import client_markers
from mail_lead_capture.tools.forwards.html import html_fragment
from mail_lead_capture.tools.forwards.html import parse_html


def texts(markup, **kwargs):
    return [line.text for line in parse_html(markup, **kwargs).lines]


def test_blocks_and_breaks_make_lines():
    markup = "<div>one</div><div>two<br>three<br><br></div><p>four <b>bold</b></p>"
    assert texts(markup) == ["one", "two", "three", "", "four bold"]


def test_entities_spaces_and_skipped_content():
    markup = (
        "<html><head><title>t</title><style>p {color:red}</style></head><body>"
        "<!-- a comment --><script>var x = '<div>';</script><p>De&nbsp;:  Sue &lt;s@x.example&gt;</p>"
        "<![endif]><?xml version='1.0'?><p>end</p></body></html>"
    )
    assert texts(markup) == ["De : Sue <s@x.example>", "end"]


def test_table_cells_share_a_line():
    markup = "<table><tr><th>Subject: </th><td>Menu</td></tr><tr><th>From: </th><td>Sue</td></tr></table>"
    assert texts(markup) == ["Subject: Menu", "From: Sue"]


def test_rule_blockquote_depth_and_mailto_links():
    markup = (
        '<div>note</div><hr><div><b>From:</b> <a href="mailto:Sue%40x@x.example">Sue</a></div>'
        '<blockquote type="cite"><div>quoted</div><blockquote><div>deeper</div></blockquote></blockquote>'
        "<div>after</div>"
    )
    lines = parse_html(markup).lines
    assert [line.text for line in lines] == [
        "note",
        SEPARATOR_RULE,
        "From: Sue",
        "quoted",
        "deeper",
        "after",
    ]
    assert [line.depth for line in lines] == [0, 0, 0, 1, 2, 0]
    assert lines[2].mailtos == [("Sue%40x@x.example", "Sue")]


def test_lone_and_unterminated_angle_brackets():
    assert texts("<p>a < b and c<d</p><p>x") == ["a < b and c<d", "x"]
    assert texts("<p>text</p><a href='x") == ["text", "<a href='x"]  # never closed: shown as text


def test_reading_can_stop_after_some_lines():
    markup = "".join(f"<div>{index}</div>" for index in range(100))
    document = parse_html(markup, max_lines=10)
    assert len(document.lines) == 10
    assert document.body_end == len(markup)


def test_line_offsets_cut_fragments_that_are_balanced():
    markup = (
        '<html><body><div dir="ltr">Note<br><br><div class="gmail_quote"><div class="gmail_attr">'
        "---------- Forwarded message ---------<br>From: Sue<br></div><br><br>"
        '<div dir="ltr">Hello<br>there</div></div></div></body></html>'
    )
    document = parse_html(markup)
    texts_ = [line.text for line in document.lines]
    separator = texts_.index("---------- Forwarded message ---------")
    hello = texts_.index("Hello")
    note = html_fragment(document, document.body_start, document.lines[separator].start)
    original = html_fragment(document, document.lines[hello].start, document.body_end)
    assert note == '<div dir="ltr">Note</div>'
    assert original == '<div dir="ltr">Hello<br>there</div>'
    assert (
        client_markers(document, document.lines[separator].start, document.lines[hello].end)
        == "gmail"
    )


def test_empty_fragments_are_none():
    document = parse_html("<div><br></div><div>&nbsp;</div>")
    assert html_fragment(document, 0, len(document.markup)) is None
    assert html_fragment(document, 5, 2) is None


def test_word_paragraph_marks_are_dropped():
    document = parse_html('<p class="MsoNormal">Hello<o:p></o:p></p>')
    assert html_fragment(document, 0, len(document.markup)) == '<p class="MsoNormal">Hello</p>'


def test_empty_spacers_above_the_text_are_dropped():
    markup = (
        '<div>&nbsp;</div>\n</div><p class="MsoNormal">&nbsp;</p>'
        '<div><img src="cid:logo"></div><p>Hello</p>'
    )
    document = parse_html(markup)
    assert html_fragment(document, 0, len(markup)) == '<div><img src="cid:logo"></div><p>Hello</p>'


def test_inline_tags_join_their_text_and_only_line_tags_end_lines():
    markup = (
        '<P CLASS="MsoNormal"><SPAN lang=EN>Fr<b>om</b>:<o:p></o:p></SPAN> Sue</P>'
        "<abbr>a</abbr><div-x>b</div-x><pre>c</pre><BR>d<Hr>e<TD>f"
    )
    assert texts(markup) == ["From: Sue", "ab", "c", "", "d", SEPARATOR_RULE, "e f"]


def test_entities_are_not_read_across_tags():
    assert texts("<p>&am<b></b>p; &a<i>m</i>p;x &amp;<b>lt;</b></p>") == ["&amp; &amp;x &lt;"]


def test_comments_and_skipped_elements_hide_line_tags():
    markup = "<p>a<!-- <br> --><script><br></script>b<StYlE>p{}<br></sTyLe>c</p><?x?>d"
    assert texts(markup) == ["abc", "d"]
