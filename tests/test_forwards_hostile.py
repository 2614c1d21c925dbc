"""Hostile input never makes forward recovery raise: a bounded hypothesis run (a few seconds).

The runs call the recovery without its safety net (``recovery._recover``), so an exception in the
parsing code itself would fail them; the net in ``recover_forward`` has its own test.
"""

from datetime import UTC

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from mail_lead_capture.tools.forwards import dates as forward_dates
from mail_lead_capture.tools.forwards import html as forward_html
from mail_lead_capture.tools.forwards import recovery

FRAGMENTS = [
    "---------- Forwarded message ---------", "-----Original Message-----", "_" * 32,
    "Begin forwarded message:", "-------- Message transféré --------", "   ----- Forwarded Message ----- ",
    "From: ", "De : ", "Von: ", "Sent: ", "Date: ", "Subject: ", "To: ", "Cc: ", "Kimden: ", "差出人: ",
    "件名：", "When: ", "Sue Miller", "<sue@harbourfoods.example>", "sue@harbourfoods.example", "Miller, Sue",
    "[mailto:sue@x.example]", " on behalf of ", "@", "@@", "<", ">", "> ", ">>", "\n", "\n\n", "\r\n", "\t",
    "\xa0", "İ", "ß", "Tue, Nov 24, 2026 at 6:02 PM", "24. listopada 2026 u 18:02", "GMT+1", "+0100",
    "2026年11月24日 18:02", "12/11/2026", "14.25.08", "On Tue, Nov 24, 2026 Sue <s@x.example> wrote:",
    "<div>", "</div>", "<br>", "<blockquote type=\"cite\">", "</blockquote>", "<hr>", "<!--", "-->",
    "<a href=\"mailto:sue@x.example\">", "</a>", "<style>", "<b>From:</b>", "&lt;", "&amp;", "<o:p>",
]  # fmt: skip
SUBJECTS = ["Fwd: x", "FW: x", "TR: x", "Re: x", "VS: x", "RE: FW: x", "[Fwd: x]", "x", ""]
CHARSETS = ["utf-8", "iso-8859-1", "windows-1251", "utf-16", "iso-2022-jp", "x-unknown", "rot13"]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "x-garbage"]

bodies = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=60).map("".join)


@st.composite
def raw_messages(draw) -> bytes:
    """A mail whose headers, structure, charset and transfer encoding are all drawn."""
    subject = draw(st.sampled_from(SUBJECTS) | st.text(max_size=20))
    charset = draw(st.sampled_from(CHARSETS))
    encoding = draw(st.sampled_from(ENCODINGS))
    kinds = draw(st.lists(st.sampled_from(["text/plain", "text/html", "message/rfc822", "text/calendar"]),
                          min_size=1, max_size=3))  # fmt: skip
    date = draw(st.sampled_from(["Wed, 25 Nov 2026 10:14:03 +0100", "garbage", ""]))
    head = f"From: Ines <ines@northwind.example>\nSubject: {subject}\nDate: {date}\n"
    parts = []
    for kind in kinds:
        body = draw(bodies)
        data = (
            body.encode("utf-8", "surrogatepass")
            if draw(st.booleans())
            else draw(st.binary(max_size=200))
        )
        if kind == "message/rfc822":
            data = b"From: " + draw(st.binary(max_size=40)) + b"\nSubject: Fwd: y\n\n" + data
        parts.append(
            f"Content-Type: {kind}; charset={charset}\nContent-Transfer-Encoding: {encoding}\n\n".encode()
            + data
        )
    if len(parts) == 1 and draw(st.booleans()):
        return head.encode("utf-8", "surrogatepass") + parts[0]
    boundary = draw(st.sampled_from(["b", "=_x", "--", ""]))
    body = b"".join(b"--" + boundary.encode() + b"\n" + part + b"\n" for part in parts)
    if draw(st.booleans()):
        body += b"--" + boundary.encode() + b"--\n"
    content_type = draw(
        st.sampled_from(["multipart/mixed", "multipart/alternative", "multipart/report"])
    )
    header = f'{head}Content-Type: {content_type}; boundary="{boundary}"\n\n'
    return header.encode("utf-8", "surrogatepass") + body


def check(result) -> None:
    assert result is None or isinstance(result, recovery.Forward)
    if result is not None:
        assert result.chain[0] is result.original
        assert result.kind in (recovery.KIND_INLINE, recovery.KIND_ATTACHMENT)
        for original in result.chain:
            assert original.date is None or original.date.tzinfo == UTC
            assert (
                original.sender is None
                or original.sender.address is None
                or "@" in original.sender.address
            )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_messages())
def test_drawn_mail_never_raises(raw):
    check(recovery._recover(recovery._as_message(raw), 0))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(raw):
    check(recovery._recover(recovery._as_message(raw), 0))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SUBJECTS), bodies)
def test_drawn_text_bodies_never_raise(subject, body):
    message = recovery.email.message_from_string(
        f"Subject: {subject}\n\n{body}", policy=recovery.compat32
    )
    check(recovery._recover(message, 0))


@settings(max_examples=200, deadline=None)
@given(bodies, st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400))
def test_html_lines_and_fragments_never_raise(markup, start, end):
    document = forward_html.parse_html(markup)
    for line in document.lines:
        assert line.start <= max(line.end, line.start) <= len(markup)
    fragment = forward_html.html_fragment(document, start, end)
    assert fragment is None or isinstance(fragment, str)


@settings(max_examples=200, deadline=None)
@given(
    bodies, st.sampled_from([None, frozenset({"en"}), frozenset({"hr", "pl"}), frozenset({"ja"})])
)
def test_dates_never_raise(text, languages):
    result = forward_dates.parse_forwarded_date(text, languages, forward_dates.timedelta(hours=1))
    assert result is None or result.tzinfo == UTC
