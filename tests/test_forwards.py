"""recover_forward's rules, one by one (the corpus test covers the clients and languages)."""

import logging
from datetime import UTC
from datetime import datetime
from email.message import EmailMessage
from email.policy import compat32
from email.policy import default

import pytest

from mail_lead_capture.tools.forwards import KIND_ATTACHMENT
from mail_lead_capture.tools.forwards import KIND_INLINE
from mail_lead_capture.tools.forwards import Mailbox
from mail_lead_capture.tools.forwards import recover_forward
from mail_lead_capture.tools.forwards import recovery
from mail_lead_capture.tools.forwards.text import strip_forward_prefixes
from mail_lead_capture.tools.forwards.text import subject_prefixes

GMAIL_TEXT = """Sue is back, can you quote?

---------- Forwarded message ---------
From: Sue Miller <Sue.Miller@Harbourfoods.example>
Date: Tue, Nov 24, 2026 at 6:02 PM
Subject: Catering for 40
To: Ines Alvarez <ines@northwind.example>
Cc: Tom Baker <tom@harbourfoods.example>, "Miller, Ann" <ann@harbourfoods.example>


Hello Ines,
Could you quote for 40 people?
Sue
"""

OUTLOOK_TEXT = """Can you quote?

From: Sue Miller <sue@harbourfoods.example>
Sent: Tuesday, November 24, 2026 6:02 PM
To: Ines Alvarez <ines@northwind.example>
Subject: Catering for 40

Hello Ines,
Could you quote for 40 people?
"""


def message(subject, text=None, html=None, date="Wed, 25 Nov 2026 10:14:03 +0100", headers=None,
            attachments=()) -> bytes:  # fmt: skip
    mail = EmailMessage(policy=default)
    mail["From"] = "Ines Alvarez <ines@northwind.example>"
    mail["To"] = "capture@northwind.example"
    mail["Subject"] = subject
    if date:
        mail["Date"] = date
    for name, value in (headers or {}).items():
        mail[name] = value
    if text is not None:
        mail.set_content(text)
        if html is not None:
            mail.add_alternative(html, subtype="html")
    elif html is not None:
        mail.set_content(html, subtype="html")
    for attachment in attachments:
        if isinstance(attachment, EmailMessage):
            mail.add_attachment(attachment)
        else:
            filename, maintype, subtype, data = attachment
            mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return mail.as_bytes()


def original_mail(subject="Catering for 40", sender="Sue Miller <sue@harbourfoods.example>"):
    mail = EmailMessage(policy=default)
    mail["From"] = sender
    mail["To"] = "Ines Alvarez <ines@northwind.example>"
    mail["Cc"] = "Tom Baker <tom@harbourfoods.example>"
    mail["Subject"] = subject
    mail["Date"] = "Tue, 24 Nov 2026 18:02:11 +0100"
    mail["Message-ID"] = "<original-1@harbourfoods.example>"
    mail["In-Reply-To"] = "<quote-request@northwind.example>"
    mail["References"] = "<first@northwind.example> <quote-request@northwind.example>"
    mail.set_content("Hello Ines,\nCould you quote for 40 people?\n")
    mail.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="menu.pdf")
    return mail


# -- inputs -----------------------------------------------------------------------------------------


def test_accepts_bytes_message_objects_and_text():
    raw = message("Fwd: Catering for 40", GMAIL_TEXT)
    from_bytes = recover_forward(raw)
    from_message = recover_forward(recovery.email.message_from_bytes(raw, policy=compat32))
    from_modern_message = recover_forward(recovery.email.message_from_bytes(raw, policy=default))
    from_text = recover_forward(raw.decode())
    assert from_bytes == from_message == from_modern_message == from_text
    assert from_bytes.original.sender == Mailbox("Sue Miller", "sue.miller@harbourfoods.example")


@pytest.mark.parametrize("value", [None, 42, [], b"", ""])
def test_no_message_is_not_a_forward(value):
    assert recover_forward(value) is None


# -- what is recovered ------------------------------------------------------------------------------


def test_gmail_forward_gives_every_field():
    html = (
        '<div dir="ltr">Sue is back, can you quote?<br><br><div class="gmail_quote">'
        '<div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>From: '
        '<strong class="gmail_sendername">Sue Miller</strong> <span>&lt;<a href="mailto:'
        'sue.miller@harbourfoods.example">sue.miller@harbourfoods.example</a>&gt;</span><br>'
        "Date: Tue, Nov 24, 2026 at 6:02 PM<br>Subject: Catering for 40<br>To: Ines Alvarez "
        '&lt;ines@northwind.example&gt;<br></div><br><br><div dir="ltr">Hello Ines,<br>'
        "Could you quote for 40 people?<br>Sue</div></div></div>"
    )
    forward = recover_forward(message("Fwd: Catering for 40", GMAIL_TEXT, html))

    original = forward.original
    assert forward.kind == KIND_INLINE
    assert forward.client == "gmail"
    assert forward.chain == (original,)
    assert original.sender == Mailbox("Sue Miller", "sue.miller@harbourfoods.example")
    assert original.to == (Mailbox("Ines Alvarez", "ines@northwind.example"),)
    assert original.cc == (
        Mailbox("Tom Baker", "tom@harbourfoods.example"),
        Mailbox("Miller, Ann", "ann@harbourfoods.example"),
    )
    assert original.subject == "Catering for 40"
    assert original.date == datetime(
        2026, 11, 24, 17, 2, tzinfo=UTC
    )  # 18:02 at the forwarder's +01:00
    assert original.date_text == "Tue, Nov 24, 2026 at 6:02 PM"
    assert original.text == "Hello Ines,\nCould you quote for 40 people?\nSue"
    assert (
        original.html == '<div dir="ltr">Hello Ines,<br>Could you quote for 40 people?<br>Sue</div>'
    )
    assert original.message_id is None
    assert forward.note_text == "Sue is back, can you quote?"
    assert forward.note_html == '<div dir="ltr">Sue is back, can you quote?</div>'


def test_zone_less_date_is_read_in_the_forwarders_zone():
    forward = recover_forward(message("Fwd: x", GMAIL_TEXT, date="Wed, 25 Nov 2026 10:14:03 -0500"))
    assert forward.original.date == datetime(2026, 11, 24, 23, 2, tzinfo=UTC)


def test_zone_less_date_without_outer_date_stays_text():
    forward = recover_forward(message("Fwd: x", GMAIL_TEXT, date=None))
    assert forward.original.date is None
    assert forward.original.date_text == "Tue, Nov 24, 2026 at 6:02 PM"
    assert forward.original.sender.address == "sue.miller@harbourfoods.example"


def test_written_zone_wins_over_the_forwarders():
    text = GMAIL_TEXT.replace("Tue, Nov 24, 2026 at 6:02 PM", "24 November 2026 at 18:02:11 GMT+9")
    forward = recover_forward(message("Fwd: x", text, date="Wed, 25 Nov 2026 10:14:03 -0500"))
    assert forward.original.date == datetime(2026, 11, 24, 9, 2, 11, tzinfo=UTC)


def test_unreadable_date_keeps_the_text():
    text = GMAIL_TEXT.replace("Tue, Nov 24, 2026 at 6:02 PM", "sometime last week")
    forward = recover_forward(message("Fwd: x", text))
    assert forward.original.date is None
    assert forward.original.date_text == "sometime last week"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Fwd: Catering", "Catering"),
        ("FW: TR: WG: RV: Catering", "Catering"),
        ("Fwd: Re: Catering", "Re: Catering"),
        ("I: Preventivo", "Preventivo"),
        ("ENC: Orçamento", "Orçamento"),
        ("PD: Oferta", "Oferta"),
        ("İLT: Teklif", "Teklif"),
        ("Redir.: Ofertă", "Ofertă"),
        ("Fwd[2]: Catering", "Catering"),
        ("[Fwd: Catering]", "Catering"),
        ("Re: Catering", "Re: Catering"),
        ("Catering: the menu", "Catering: the menu"),
        ("VS: Tilbud", "VS: Tilbud"),  # forward in Danish, reply in Finnish: kept
    ],
)
def test_subject_loses_forward_prefixes_only(subject, expected):
    assert strip_forward_prefixes(subject) == expected


def test_subject_prefixes_skip_gateway_tags():
    assert subject_prefixes("[EXT] FW: RE: Catering") == ["fw", "re"]
    assert subject_prefixes("Catering") == []


def test_subject_missing_from_the_block_comes_from_the_outer_subject():
    text = GMAIL_TEXT.replace("Subject: Catering for 40\n", "")
    forward = recover_forward(message("Fwd: TR: Catering for forty", text))
    assert forward.original.subject == "Catering for forty"


# -- Outlook's block without separator ----------------------------------------------------------------


def test_outlook_block_is_a_forward_under_a_forward_subject():
    forward = recover_forward(message("FW: Catering for 40", OUTLOOK_TEXT))
    assert forward.original.sender == Mailbox("Sue Miller", "sue@harbourfoods.example")
    assert forward.client == "outlook"
    assert forward.note_text == "Can you quote?"


@pytest.mark.parametrize("subject", ["Catering for 40", "RE: Catering for 40", "Re: FW: Catering"])
def test_outlook_block_is_not_a_forward_without_a_forward_subject(subject):
    assert recover_forward(message(subject, OUTLOOK_TEXT)) is None


DANISH_BLOCK = """Se nedenfor.

Fra: Søren Kjærgaard <soeren@mejeri.example>
Sendt: tirsdag den 24. november 2026 18:02
Til: Ines Alvarez <ines@northwind.example>
Emne: Tilbud

Hej Ines,
"""
FINNISH_BLOCK = """Katso alta.

Lähettäjä: Mikko Järvinen <mikko@leipomo.example>
Lähetetty: tiistai 24. marraskuuta 2026 18.02
Vastaanottaja: Ines Alvarez <ines@northwind.example>
Aihe: Tarjous

Hei Ines,
"""


def test_vs_prefix_forwards_in_danish_and_replies_in_finnish():
    danish = recover_forward(message("VS: Tilbud", DANISH_BLOCK))
    assert danish.original.sender.address == "soeren@mejeri.example"
    assert danish.original.date == datetime(2026, 11, 24, 17, 2, tzinfo=UTC)
    assert recover_forward(message("VS: Tarjous", FINNISH_BLOCK)) is None
    assert recover_forward(message("VL: Tarjous", FINNISH_BLOCK)).original.sender.address == (
        "mikko@leipomo.example"
    )


# -- attribution lines (Outlook for Mac) ------------------------------------------------------------

MAC_TEXT = """Peux-tu faire le devis ?

Le 24/11/2026 18:02, « Élodie Marchand » <elodie@boulangerie.example> a écrit :

    Bonjour Ines,

    Pourriez-vous nous envoyer un devis ?
"""


def test_outlook_for_mac_attribution_line_over_an_indented_original():
    forward = recover_forward(message("TR: Devis", MAC_TEXT))
    original = forward.original
    assert original.sender == Mailbox("Élodie Marchand", "elodie@boulangerie.example")
    assert original.date == datetime(2026, 11, 24, 17, 2, tzinfo=UTC)
    assert original.date_text == "24/11/2026 18:02"
    assert original.subject == "Devis"
    assert original.text == "Bonjour Ines,\n\nPourriez-vous nous envoyer un devis ?"
    assert forward.note_text == "Peux-tu faire le devis ?"
    assert forward.client == "outlook"


@pytest.mark.parametrize(
    ("subject", "text"),
    [
        ("RE: Devis", MAC_TEXT),  # the same lines under a reply subject
        ("Devis", MAC_TEXT),  # or under no prefix
        ("TR: Devis", MAC_TEXT.replace("    ", "")),  # the original neither quoted nor indented
        ("TR: Devis", MAC_TEXT.replace(" a écrit", " <luc@x.example> a écrit")),  # two addresses
        ("TR: Devis", MAC_TEXT.replace(" <elodie@boulangerie.example>", "")),  # no address
    ],
)
def test_attribution_lines_that_are_not_forwards(subject, text):
    assert recover_forward(message(subject, text)) is None


# -- display names only ------------------------------------------------------------------------------

NAME_ONLY_TEXT = OUTLOOK_TEXT.replace("Sue Miller <sue@harbourfoods.example>", "Miller, Sue")


def outlook_html(from_value: str) -> str:
    return (
        '<div class="WordSection1"><p class="MsoNormal">Can you quote?</p><div style="border:none;'
        'border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal">'
        f"<b>From:</b> {from_value}<br><b>Sent:</b> Tuesday, November 24, 2026 6:02 PM<br>"
        "<b>To:</b> Ines Alvarez<br><b>Subject:</b> Catering for 40</p></div>"
        '<p class="MsoNormal">Hello Ines,</p></div>'
    )


def test_display_name_only_takes_the_address_of_the_mailto_link():
    html = outlook_html('<a href="mailto:Sue.Miller@harbourfoods.example">Miller, Sue</a>')
    forward = recover_forward(message("FW: Catering for 40", NAME_ONLY_TEXT, html))
    assert forward.original.sender == Mailbox("Miller, Sue", "sue.miller@harbourfoods.example")


def test_display_name_only_without_a_link_has_no_address():
    forward = recover_forward(
        message("FW: Catering for 40", NAME_ONLY_TEXT, outlook_html("Miller, Sue"))
    )
    assert forward.original.sender == Mailbox("Miller, Sue", None)
    forward = recover_forward(message("FW: Catering for 40", NAME_ONLY_TEXT))
    assert forward.original.sender == Mailbox("Miller, Sue", None)


def test_display_name_only_with_two_different_links_invents_nothing():
    links = (
        '<a href="mailto:sue@harbourfoods.example">Sue</a> '
        '<a href="mailto:tom@harbourfoods.example">Tom</a>'
    )
    forward = recover_forward(message("FW: Catering for 40", NAME_ONLY_TEXT, outlook_html(links)))
    assert forward.original.sender.address is None


def test_on_behalf_of_gives_the_mailbox_sent_for():
    text = OUTLOOK_TEXT.replace(
        "Sue Miller <sue@harbourfoods.example>",
        "Tom Baker <tom@harbourfoods.example> on behalf of Orders <orders@harbourfoods.example>",
    )
    forward = recover_forward(message("FW: Catering for 40", text))
    assert forward.original.sender == Mailbox("Orders", "orders@harbourfoods.example")


# -- quoted and HTML-only forwards ----------------------------------------------------------------------


def test_quoted_forward_is_unquoted():
    text = "FYI\n\n" + "\n".join(
        f"> {line}" if line else ">" for line in GMAIL_TEXT.split("\n\n", 1)[1].splitlines()
    )
    forward = recover_forward(message("Fwd: Catering for 40", text))
    assert forward.original.sender.address == "sue.miller@harbourfoods.example"
    assert forward.original.text == "Hello Ines,\nCould you quote for 40 people?\nSue"
    assert forward.note_text == "FYI"


def test_html_only_apple_forward():
    html = (
        '<html><body>Look<br><div><br><blockquote type="cite"><div>Begin forwarded message:</div>'
        '<br class="Apple-interchange-newline"><div><span><b>From: </b></span><span>Sue Miller '
        '&lt;<a href="mailto:sue@harbourfoods.example">sue@harbourfoods.example</a>&gt;<br></span>'
        "</div><div><span><b>Subject: </b></span><span><b>Catering</b><br></span></div><div><span>"
        "<b>Date: </b></span><span>24 November 2026 at 18:02:11 CET<br></span></div><br><div>"
        "<div>Hello Ines,</div><div>Could you quote?</div></div></blockquote></div></body></html>"
    )
    forward = recover_forward(message("Fwd: Catering", html=html))
    assert forward.client == "apple"
    assert forward.original.sender.address == "sue@harbourfoods.example"
    assert forward.original.date == datetime(2026, 11, 24, 17, 2, 11, tzinfo=UTC)
    assert forward.original.text == "Hello Ines,\nCould you quote?"
    assert forward.original.html == "<div><div>Hello Ines,</div><div>Could you quote?</div></div>"
    assert forward.note_text == "Look"


GMAIL_HTML_BLOCK = (
    '<div dir="ltr">FYI<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
    "---------- Forwarded message ---------<br>Fr<b>om</b>: Sue Miller &lt;<a href="
    '"mailto:sue@harbourfoods.example">sue@harbourfoods.example</a>&gt;<br>Date: Tue, Nov 24, '
    "2026 at 6:02 PM<br>Subject: Catering for 40<br></div><br>"
    '<div dir="ltr">Hello Ines,<br>Could you quote?</div></div></div>'
)


@pytest.mark.parametrize("subject", ["Catering for 40", "Fwd: Catering for 40"])
def test_html_part_that_says_more_than_the_text_part(subject):
    forward = recover_forward(message(subject, "FYI, see below (HTML)", GMAIL_HTML_BLOCK))
    assert forward.original.sender == Mailbox("Sue Miller", "sue@harbourfoods.example")
    assert forward.original.text == "Hello Ines,\nCould you quote?"
    assert forward.client == "gmail"


def test_html_without_any_from_label_is_not_read_line_by_line(monkeypatch):
    read, parse_html = [], recovery.parse_html
    monkeypatch.setattr(
        recovery, "parse_html", lambda *args: read.append(args) or parse_html(*args)
    )
    html = "<div>Hello Ines,</div><div>Menu options: three courses at 10:30.</div>" * 50
    assert recover_forward(message("Catering for 40", "Hello Ines,", html)) is None
    assert read == []  # no label: the HTML was let go without its lines being made
    html_with_label = html + "<div><b>From:</b> Sue</div>"
    assert recover_forward(message("Catering for 40", "Hello Ines,", html_with_label)) is None
    assert len(read) == 1  # a label: read line by line (and found to be no block)


def test_yahoo_one_line_block():
    text = (
        "See below\n\n   ----- Forwarded Message ----- From: Sue Miller <sue@harbourfoods.example>"
        'To: "ines@northwind.example" <ines@northwind.example>Cc: Tom <tom@harbourfoods.example>'
        "Sent: Tuesday, November 24, 2026, 06:02:11 PM GMT+1Subject: Catering: menu A: 40 people\n"
        " Hello Ines,\nCould you quote?\n"
    )
    forward = recover_forward(message("Fwd: Catering", text))
    original = forward.original
    assert original.sender.address == "sue@harbourfoods.example"
    assert [mailbox.address for mailbox in original.cc] == ["tom@harbourfoods.example"]
    assert original.date == datetime(2026, 11, 24, 17, 2, 11, tzinfo=UTC)
    assert original.subject == "Catering: menu A: 40 people"
    assert original.text == "Hello Ines,\nCould you quote?"
    assert forward.client == "yahoo"


# -- forwards as attachment and chains ---------------------------------------------------------------


def test_message_rfc822_attachment_is_unwrapped():
    forward = recover_forward(
        message("Fwd: Catering for 40", "See attached.\n", attachments=[original_mail()])
    )
    original = forward.original
    assert forward.kind == KIND_ATTACHMENT
    assert forward.note_text == "See attached."
    assert original.sender == Mailbox("Sue Miller", "sue@harbourfoods.example")
    assert original.cc == (Mailbox("Tom Baker", "tom@harbourfoods.example"),)
    assert original.date == datetime(2026, 11, 24, 17, 2, 11, tzinfo=UTC)
    assert original.date_text == "Tue, 24 Nov 2026 18:02:11 +0100"
    assert original.message_id == "<original-1@harbourfoods.example>"
    assert original.in_reply_to == "<quote-request@northwind.example>"
    assert original.references == ("<first@northwind.example>", "<quote-request@northwind.example>")
    assert original.text == "Hello Ines,\nCould you quote for 40 people?"
    assert [(a.filename, a.content_type, a.data) for a in original.attachments] == [
        ("menu.pdf", "application/pdf", b"%PDF-1.4")
    ]


@pytest.mark.parametrize(
    "subject", ["Re: Catering for 40", "AW: Catering for 40", "回复：Catering"]
)
def test_reply_carrying_an_attached_mail_is_not_a_forward(subject):
    """A reply may attach an earlier mail; its author is the customer's correspondent, no one new."""
    assert (
        recover_forward(message(subject, "See the mail attached.\n", attachments=[original_mail()]))
        is None
    )


def test_eml_file_attachment_is_unwrapped():
    data = original_mail().as_bytes()
    forward = recover_forward(
        message(
            "Catering",
            "From the old system.\n",
            attachments=[("quote.eml", "application", "octet-stream", data)],
        )
    )
    assert forward.kind == KIND_ATTACHMENT
    assert forward.original.sender.address == "sue@harbourfoods.example"


def test_first_of_several_attached_messages_is_the_original():
    second = original_mail("Other", "Bob <bob@other.example>")
    forward = recover_forward(
        message("Fwd: two mails", "Two.\n", attachments=[original_mail(), second])
    )
    assert forward.original.sender.address == "sue@harbourfoods.example"


def test_inline_forward_keeps_the_files_for_the_original():
    pdf = ("menu.pdf", "application", "pdf", b"%PDF-1.4")
    forward = recover_forward(
        message("Fwd: Catering for 40", GMAIL_TEXT, attachments=[pdf, original_mail()])
    )
    assert forward.kind == KIND_INLINE
    assert [(a.filename, a.content_type) for a in forward.original.attachments] == [
        ("menu.pdf", "application/pdf"),
        ("Catering for 40.eml", "message/rfc822"),
    ]


def test_forward_of_a_forward_gives_the_innermost_original_and_the_chain():
    inner = GMAIL_TEXT.replace("Sue is back, can you quote?", "Marco here: Sue again.")
    text = (
        "Ines, for you.\n\n---------- Forwarded message ---------\n"
        "From: Marco Bellini <marco@northwind.example>\nDate: Wed, Nov 25, 2026 at 9:00 AM\n"
        f"Subject: Fwd: Catering for 40\nTo: Ines Alvarez <ines@northwind.example>\n\n\n{inner}"
    )
    forward = recover_forward(message("Fwd: Fwd: Catering for 40", text))
    innermost, relay = forward.chain
    assert forward.original is innermost
    assert innermost.sender.address == "sue.miller@harbourfoods.example"
    assert innermost.text == "Hello Ines,\nCould you quote for 40 people?\nSue"
    assert relay.sender.address == "marco@northwind.example"
    assert relay.subject == "Catering for 40"
    assert relay.text == "Marco here: Sue again."
    assert forward.note_text == "Ines, for you."


def test_attached_message_that_is_itself_a_forward():
    relay = EmailMessage(policy=default)
    relay["From"] = "Marco Bellini <marco@northwind.example>"
    relay["To"] = "ines@northwind.example"
    relay["Subject"] = "Fwd: Catering for 40"
    relay["Date"] = "Wed, 25 Nov 2026 09:00:00 +0100"
    relay.set_content(GMAIL_TEXT)
    forward = recover_forward(message("Fwd: Catering for 40", "Attached.\n", attachments=[relay]))
    innermost, attached = forward.chain
    assert forward.kind == KIND_ATTACHMENT
    assert innermost.sender.address == "sue.miller@harbourfoods.example"
    assert attached.sender.address == "marco@northwind.example"
    assert attached.text == "Sue is back, can you quote?"


def test_fifty_nested_forwards():
    text = "Hello Ines,\nThe innermost message.\n"
    for level in range(50):
        sender = (
            "Sue Miller <sue@harbourfoods.example>"
            if level == 0
            else f"Relay {level} <r{level}@x.example>"
        )
        text = (
            f"note {level}\n\n---------- Forwarded message ---------\nFrom: {sender}\n"
            f"Date: Tue, Nov 24, 2026 at 6:02 PM\nSubject: Fwd: Catering\nTo: next@x.example\n\n{text}"
        )
    forward = recover_forward(message("Fwd: Catering", text))
    assert len(forward.chain) == 50
    assert forward.original.sender.address == "sue@harbourfoods.example"
    assert forward.original.text == "Hello Ines,\nThe innermost message."
    assert forward.chain[-1].sender.address == "r49@x.example"


# -- not forwards ---------------------------------------------------------------------------------------


def test_reply_attribution_before_the_block_is_a_reply():
    text = (
        "Thanks!\n\nOn Wed, Nov 25, 2026 at 9:12 AM Ines <ines@northwind.example> wrote:\n\n"
        + "\n".join(f"> {line}" for line in GMAIL_TEXT.splitlines())
    )
    assert recover_forward(message("Catering", text)) is None


def test_note_that_mentions_writing_is_not_a_reply():
    text = "Look at what the customer wrote:\n\n" + GMAIL_TEXT
    forward = recover_forward(message("Fwd: Catering for 40", text))
    assert forward.original.sender.address == "sue.miller@harbourfoods.example"


def test_calendar_invitation_is_not_a_forward():
    mail = EmailMessage(policy=default)
    mail["Subject"] = "FW: Tasting"
    mail["From"] = "ines@northwind.example"
    mail.set_content(OUTLOOK_TEXT)
    mail.add_alternative("BEGIN:VCALENDAR\nMETHOD:REQUEST\nEND:VCALENDAR\n", subtype="calendar")
    assert recover_forward(mail.as_bytes()) is None


def test_forwarded_appointment_block_is_not_a_forward():
    text = OUTLOOK_TEXT.replace(
        "Subject: Catering for 40\n", "Subject: Tasting\nWhen: Thursday 3 December\n"
    )
    assert recover_forward(message("FW: Tasting", text)) is None


def test_bulk_mail_needs_a_forward_subject_and_a_separator():
    bulk = {"List-Unsubscribe": "<mailto:leave@news.example>"}
    assert recover_forward(message("Our news", GMAIL_TEXT, headers=bulk)) is None
    assert recover_forward(message("FW: Catering for 40", OUTLOOK_TEXT, headers=bulk)) is None
    assert recover_forward(message("Fwd: Catering for 40", GMAIL_TEXT, headers=bulk)) is not None
    assert (
        recover_forward(message("Fwd: x", "x\n", headers=bulk, attachments=[original_mail()]))
        is None
    )


def test_delivery_report_is_not_a_forward():
    report = EmailMessage(policy=default)
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content("The mail system could not deliver.\n")
    report.add_attachment(original_mail())
    raw = report.as_bytes().replace(b"multipart/mixed", b"multipart/report")
    assert recover_forward(raw) is None


@pytest.mark.parametrize(
    "text",
    [
        "From: Warehouse Lyon\nTo: Harbour Foods\nDate: 24/11/2026\nSubject: Delivery note\n",
        "From: x\nFrom: y\nFrom: z\n" * 100,
        "Begin forwarded message:\n\nthe original was deleted\n",
        "---------- Forwarded message ---------\nFrom: Sue <sue@x.example>\n\nonly a From line\n",
    ],
)
def test_header_like_lines_alone_are_not_a_forward(text):
    assert recover_forward(message("Fwd: notes", text)) is None


# -- hostile input --------------------------------------------------------------------------------------


def test_broken_mime_gives_a_partial_result():
    raw = (
        b'Subject: Fwd: x\nContent-Type: multipart/mixed; boundary="b"\n\n--b\n'
        b"Content-Type: text/plain; charset=x-unknown-charset\nContent-Transfer-Encoding: base64\n\n"
        b"!!!not base64!!!\n--b\nContent-Type: message/rfc822\n\nFrom: \xff\xfe\nSubject: =?utf-8?b?###?=\n"
        b'\nbody\n--b\nContent-Type: text/html; charset="utf-8"\n\n<div><b>From:</b> <a href=mailto:\xff>'
    )
    forward = recovery._recover(recovery._as_message(raw), 0)  # no safety net: nothing raises
    assert forward.kind == KIND_ATTACHMENT
    assert forward.original.sender.address is None
    assert forward.original.text == "body"
    assert forward.original.date is None


def test_unknown_charset_is_read_as_utf8():
    raw = message("Fwd: Catering for 40", GMAIL_TEXT).replace(
        b'charset="utf-8"', b"charset=x-klingon"
    )
    assert b"x-klingon" in raw
    assert recover_forward(raw).original.sender.address == "sue.miller@harbourfoods.example"


def test_ten_megabyte_body_is_read_without_error():
    body = GMAIL_TEXT + ("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 180_000)
    forward = recover_forward(message("Fwd: Catering for 40", body))
    assert len(forward.original.text) > 10_000_000
    assert forward.original.sender.address == "sue.miller@harbourfoods.example"


def test_an_internal_error_is_logged_and_handled_as_not_a_forward(monkeypatch, caplog):
    def broken(*_args):
        raise RuntimeError("bug")

    monkeypatch.setattr(recovery, "_recover", broken)
    with caplog.at_level(logging.WARNING, logger=recovery.__name__):
        assert recover_forward(message("Fwd: x", GMAIL_TEXT)) is None
    assert "handled as not forwarded" in caplog.text


def test_byte_order_mark_and_windows_line_ends_are_not_text():
    forward = recover_forward(
        message("FW: Catering for 40", "\ufeff" + OUTLOOK_TEXT.replace("\n", "\r\n"))
    )
    assert forward.note_text == "Can you quote?"
    assert forward.original.text == "Hello Ines,\nCould you quote for 40 people?"
