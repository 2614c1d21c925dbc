"""Plain-text mail rendered as HTML paragraphs (tools/plain_text.py)."""

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from lxml import html

from mail_lead_capture.tools import plain_text


def tree(text):
    return html.fromstring(f"<div>{plain_text.text_to_html(text)}</div>")


def test_paragraphs_and_line_breaks_are_kept_and_long_lines_are_plain_text():
    long_line = "word " * 80
    root = tree(f"Hello Bob,\n\n{long_line.strip()}\n\nThanks,\nSue\n")
    paragraphs = root.findall("p")
    assert [p.text_content() for p in paragraphs] == ["Hello Bob,", long_line.strip(), "Thanks,Sue"]
    assert len(paragraphs[2].findall("br")) == 1
    assert not root.findall(".//pre"), "no <pre>: a long line wraps like any paragraph"


def test_links_are_clickable_without_trailing_punctuation():
    root = tree("See https://example.com/a?b=1&c=2. Or www.example.org, or (https://x.example/y).")
    assert [a.get("href") for a in root.iter("a")] == [
        "https://example.com/a?b=1&c=2",
        "http://www.example.org",
        "https://x.example/y",
    ]
    assert all(a.get("target") == "_blank" for a in root.iter("a"))
    wiki = tree("https://en.wikipedia.org/wiki/Python_(language)")
    assert wiki.find(".//a").get("href").endswith("(language)")


def test_quotes_become_nested_blockquotes_and_signature_starts_its_paragraph():
    root = tree("Yes.\n\nOn Monday, Sue wrote:\n> Shall we?\n> > Tuesday\n> Or later\n\n-- \nBob")
    outer = root.find("blockquote")
    assert [p.text_content() for p in outer.findall("p")] == ["Shall we?", "Or later"]
    assert outer.find("blockquote/p").text_content() == "Tuesday"
    assert root.findall("p")[-1].text.rstrip() == "--", "Odoo folds a paragraph starting with --"


def test_markup_is_escaped_and_indentation_kept():
    rendered = plain_text.text_to_html('<script>alert("x")</script>\n    indented & more')
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "\u00a0" * 4 + "indented &amp; more" in rendered


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab >\n\r<&:/.w-()")), max_size=200))
def test_any_text_gives_well_formed_html_with_all_its_words(text):
    """Nothing is lost or added but quote markers and spacing; lxml parses the result."""
    shown = tree(text).text_content().replace("\u00a0", "").replace(">", "")
    assert "".join(shown.split()) == "".join(text.replace(">", "").split())
