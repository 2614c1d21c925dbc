# ruff: noqa: E501 - templates reproduce client markup line for line
"""Write the forward corpus: tests/samples/forwards/*.eml, tests/samples/not_forwards/*.eml and the
expectations of each sample in a manifest.json next to them.

Run from anywhere: ``python3 tests/samples/make_forward_corpus.py``. The output is deterministic
(fixed dates, boundaries and message ids), so re-running it leaves the committed files unchanged
unless a template changed.

Each sample is built from a scenario (who wrote what to whom, when, in which language) and a client
template that writes the forward the way that client does: its separator, its localised header
labels and label order, its date format, its HTML structure (Gmail's ``gmail_quote``, Outlook's
bold block under a border or ``divRplyFwdMsg``, Apple Mail's ``blockquote type="cite"``,
Thunderbird's ``moz-forward-container`` table, Yahoo's one-line text rendering...). The
expectations come from the scenario, never from the parser: the tests compare the two.

Dates written without a zone (Gmail, Outlook) are written in the forwarder's zone, which is the
zone of the outer Date header; the expected instant is the scenario's, so the tests check that the
parser reads such dates in the forwarder's zone, as documented.
"""

from __future__ import annotations

import json
import sys
import zlib
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime
from email.utils import formataddr
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus_languages import APPLE_DATE  # noqa: E402 - the sibling data module
from corpus_languages import APPLE_ZONE_STYLE  # noqa: E402 - the sibling data module
from corpus_languages import CONTENT  # noqa: E402 - the sibling data module
from corpus_languages import GMAIL_DATE  # noqa: E402 - the sibling data module
from corpus_languages import LANGUAGES  # noqa: E402 - the sibling data module
from corpus_languages import OUTLOOK_DATE  # noqa: E402 - the sibling data module
from corpus_languages import PEOPLE  # noqa: E402 - the sibling data module
from corpus_languages import WORLD_LANGUAGES  # noqa: E402 - the sibling data module
from corpus_languages import YAHOO_DATE  # noqa: E402 - the sibling data module
from corpus_languages import YAHOO_ZONE_STYLE  # noqa: E402 - the sibling data module
from corpus_languages import ZONE_DEFAULT  # noqa: E402 - the sibling data module
from corpus_languages import ZONES  # noqa: E402 - the sibling data module
from corpus_languages import format_date  # noqa: E402 - the sibling data module
from corpus_languages import zone_text  # noqa: E402 - the sibling data module

FORWARDS_DIR = HERE / "forwards"
NOT_FORWARDS_DIR = HERE / "not_forwards"
CAPTURE = "capture@northwind.example"


@dataclass
class Person:
    name: str
    address: str

    def text(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address

    def html(self, link: bool = True) -> str:
        address = f'<a href="mailto:{self.address}">{self.address}</a>' if link else self.address
        return f"{escape(self.name)} &lt;{address}&gt;" if self.name else address


FORWARDER = Person("Ines Alvarez", "ines@northwind.example")
COLLEAGUE = Person("Marco Bellini", "marco@northwind.example")


@dataclass
class Scenario:
    key: str
    language: str
    sender: Person
    to: list[Person]
    cc: list[Person]
    subject: str
    body: tuple[str, ...]
    note: str
    sent: datetime  # aware, UTC
    offset: int  # the forwarder's zone, minutes east of UTC
    verbatim: bool = False  # the body is a whole message text (a nested forward): keep its lines

    @property
    def zone(self) -> timezone:
        return timezone(timedelta(minutes=self.offset))

    @property
    def local(self) -> datetime:
        return self.sent.astimezone(self.zone).replace(tzinfo=None)

    @property
    def forwarded(self) -> datetime:
        return (self.sent + timedelta(hours=3, minutes=17)).astimezone(self.zone)

    def body_text(self, quote: str = "") -> str:
        if self.verbatim:
            return "\n".join(
                (quote + line).rstrip() if line else quote.rstrip() for line in self.body
            )
        lines = []
        for index, line in enumerate(self.body):
            lines.append(quote + line)
            if index in (0, len(self.body) - 2):
                lines.append(quote.rstrip())
        return "\n".join(lines)

    def body_html(self) -> str:
        return "".join(f"<div>{escape(line)}</div>" for line in self.body)


_counter = {"n": 0}


def scenario(language: str, key: str, **changes) -> Scenario:
    """The scenario for ``key``: dates spread over two years, summer and winter, varied times."""
    _counter["n"] += 1
    n = _counter["n"]
    name, address, cc_name, cc_address = PEOPLE[language]
    subject, body, note = CONTENT[language]
    sent = datetime(2025, 1, 6, 7, 4, 9, tzinfo=UTC) + timedelta(
        days=(11 * n) % 730, hours=(5 * n) % 11, minutes=(7 * n) % 60, seconds=(13 * n) % 60
    )
    winter, summer = ZONES.get(language, ZONE_DEFAULT)
    offset = summer if 4 <= sent.month <= 10 else winter
    values = {
        "key": key,
        "language": language,
        "sender": Person(name, address),
        "to": [FORWARDER],
        "cc": [Person(cc_name, cc_address)] if n % 3 else [],
        "subject": subject,
        "body": body,
        "note": note,
        "sent": sent,
        "offset": offset,
    }
    values.update(changes)
    return Scenario(**values)


@dataclass
class Sample:
    """A written forward: the outer message parts and what the parser must find in them."""

    subject: str
    text: str | None
    html: str | None
    date_text: str
    seconds: bool  # whether the written date shows seconds
    client: str | None = None  # the client the parser must name, when it must
    headers: dict[str, str] = field(default_factory=dict)
    charset: str = "utf-8"
    sender_address: str | bool | None = True  # True: the scenario's; None: none recoverable
    note: bool = True


# -- client templates ---------------------------------------------------------------------------

GMAIL_FROM = {
    "en": "From", "fr": "De", "de": "Von", "es": "De", "it": "Da", "nl": "Van", "pt": "De",
    "pt-BR": "De", "sv": "Från", "da": "Fra", "no": "Fra", "fi": "Lähettäjä", "pl": "Od",
    "cs": "Od", "sk": "Od", "hu": "Feladó", "ro": "De la", "hr": "Šalje", "tr": "Gönderen",
    "ru": "От", "uk": "Від", "ja": "From",
    "zh": "发件人", "zh-TW": "寄件者", "ko": "보낸사람", "el": "Από", "he": "מאת", "ar": "من",
    "hi": "प्रेषक", "th": "จาก", "vi": "Từ", "id": "Dari", "et": "Saatja", "bg": "От", "sr": "Од",
    "sr-Latn": "Od", "lt": "Nuo", "lv": "No", "sl": "Od", "ca": "De",
}  # fmt: skip


def colon(language: str, label: str, html: bool = False) -> str:
    """A label and its colon: French puts a (no-break) space before it."""
    if language == "fr":
        return f"{label}&nbsp;:" if html else f"{label} :"
    return f"{label}:"


def gmail(s: Scenario) -> Sample:
    language = s.language
    date = format_date(GMAIL_DATE[language], language, s.local, gmail=True)
    label = colon(language, GMAIL_FROM[language])
    to = ", ".join(person.text() for person in s.to)
    cc = ", ".join(person.text() for person in s.cc)
    text = (
        f"{s.note}\n\n---------- Forwarded message ---------\n{label} {s.sender.text()}\n"
        f"Date: {date}\nSubject: {s.subject}\nTo: {to}\n"
        + (f"Cc: {cc}\n" if cc else "")
        + f"\n\n{s.body_text()}\n"
    )
    to_html = ", ".join(person.html() for person in s.to)
    cc_html = ", ".join(person.html() for person in s.cc)
    html = (
        f'<div dir="ltr">{escape(s.note)}<br><br><div class="gmail_quote gmail_quote_container">'
        f'<div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>'
        f'{colon(language, GMAIL_FROM[language], True)} <strong class="gmail_sendername" dir="auto">'
        f'{escape(s.sender.name)}</strong> <span dir="auto">&lt;<a href="mailto:{s.sender.address}">'
        f"{s.sender.address}</a>&gt;</span><br>Date: {escape(date)}<br>Subject: {escape(s.subject)}<br>"
        f"To: {to_html}<br>"
        + (f"Cc: {cc_html}<br>" if cc_html else "")
        + f'</div><br><br><div dir="ltr">{"<br>".join(escape(line) for line in s.body)}</div>\n'
        "</div></div>\n"
    )
    return Sample(f"Fwd: {s.subject}", text, html, date, False, "gmail",
                  {"X-Gm-Message-State": f"AOJu0Y{zlib.crc32(s.key.encode()):08x}"})  # fmt: skip


OUTLOOK_LABELS = {  # From, Sent, To, Cc, Subject, subject prefix
    "en": ("From", "Sent", "To", "Cc", "Subject", "FW"),
    "fr": ("De", "Envoyé", "À", "Cc", "Objet", "TR"),
    "de": ("Von", "Gesendet", "An", "Cc", "Betreff", "WG"),
    "es": ("De", "Enviado el", "Para", "CC", "Asunto", "RV"),
    "it": ("Da", "Inviato", "A", "Cc", "Oggetto", "I"),
    "nl": ("Van", "Verzonden", "Aan", "CC", "Onderwerp", "FW"),
    "pt": ("De", "Enviada", "Para", "Cc", "Assunto", "FW"),
    "pt-BR": ("De", "Enviado", "Para", "Cc", "Assunto", "ENC"),
    "sv": ("Från", "Skickat", "Till", "Kopia", "Ämne", "VB"),
    "da": ("Fra", "Sendt", "Til", "Cc", "Emne", "VS"),
    "no": ("Fra", "Sendt", "Til", "Kopi", "Emne", "VS"),
    "fi": ("Lähettäjä", "Lähetetty", "Vastaanottaja", "Kopio", "Aihe", "VL"),
    "pl": ("Od", "Wysłano", "Do", "DW", "Temat", "PD"),
    "cs": ("Od", "Odesláno", "Komu", "Kopie", "Předmět", "FW"),
    "sk": ("Od", "Odoslané", "Komu", "Kópia", "Predmet", "FW"),
    "hu": ("Feladó", "Küldve", "Címzett", "Másolatot kap", "Tárgy", "TOV"),
    "ro": ("De la", "Trimis", "Către", "Cc", "Subiect", "FW"),
    "hr": ("Šalje", "Poslano", "Prima", "Kopija", "Predmet", "FW"),
    "tr": ("Kimden", "Gönderildi", "Kime", "Bilgi", "Konu", "İLT"),
    "ru": ("От", "Отправлено", "Кому", "Копия", "Тема", "FW"),
    "uk": ("Від", "Надіслано", "Кому", "Копія", "Тема", "FW"),
    "ja": ("差出人", "送信日時", "宛先", "CC", "件名", "FW"),
    "zh": ("发件人", "发送时间", "收件人", "抄送", "主题", "转发"),
    "zh-TW": ("寄件者", "寄件日期", "收件者", "副本", "主旨", "轉寄"),
    "ko": ("보낸 사람", "보낸 날짜", "받는 사람", "참조", "제목", "전달"),
    "el": ("Από", "Στάλθηκε", "Προς", "Κοιν.", "Θέμα", "ΠΡΘ"),
    "he": ("מאת", "נשלח", "אל", "עותק", "נושא", "FW"),
    "ar": ("من", "تاريخ الإرسال", "إلى", "نسخة", "الموضوع", "FW"),
    "hi": ("प्रेषक", "भेजा गया", "प्रति", "प्रतिलिपि", "विषय", "FW"),
    "th": ("จาก", "ส่ง", "ถึง", "สำเนาถึง", "เรื่อง", "FW"),
    "vi": ("Từ", "Đã gửi", "Đến", "Cc", "Chủ đề", "FW"),
    "id": ("Dari", "Dikirim", "Kepada", "Cc", "Subjek", "FW"),
    "et": ("Saatja", "Saadetud", "Adressaat", "Koopia", "Teema", "FW"),
    "bg": ("От", "Изпратено", "До", "Копие", "Тема", "FW"),
    "sr": ("Од", "Послато", "За", "Копија", "Тема", "FW"),
    "sr-Latn": ("Od", "Poslato", "Za", "Kopija", "Tema", "FW"),
    "lt": ("Nuo", "Išsiųsta", "Kam", "Kopija", "Tema", "PRS"),
    "lv": ("No", "Nosūtīts", "Kam", "Kopija", "Tēma", "PĀRS"),
    "sl": ("Od", "Poslano", "Za", "Kp", "Zadeva", "FW"),
    "ca": ("De", "Enviat el", "Per a", "A/c", "Assumpte", "RV"),
}
OWA_PREFIX = {
    "en": "Fw",
    "cs": "Fw",
    "hr": "Fw",
    "hu": "Fw",
    "sk": "Fw",
    "no": "Vs",
    "ro": "Redir.",
}
# Classic Outlook writes text in the Windows code page of its language.
OUTLOOK_CHARSETS = {"ru": "windows-1251", "de": "iso-8859-1", "fr": "windows-1252",
                    "pl": "iso-8859-2", "cs": "windows-1250", "ja": "iso-2022-jp", "tr": "iso-8859-9",
                    "zh": "gb2312", "zh-TW": "big5", "ko": "ks_c_5601-1987", "el": "windows-1253",
                    "he": "windows-1255", "ar": "windows-1256", "th": "windows-874", "bg": "windows-1251",
                    "sr": "windows-1251", "et": "windows-1257", "lt": "windows-1257", "lv": "windows-1257",
                    "sl": "windows-1250", "sr-Latn": "windows-1250", "ca": "windows-1252"}  # fmt: skip
WORD_HEAD = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
    'xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv="Content-Type" content="text/html; '
    'charset={charset}"><meta name="Generator" content="Microsoft Word 15 (filtered medium)"><style><!--\n'
    '/* Font Definitions */\n@font-face\n\t{{font-family:"Cambria Math";\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}}\n'
    "p.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{{margin:0cm;\n\tfont-size:11.0pt;\n\t"
    'font-family:"Calibri",sans-serif;}}\n--></style><!--[if gte mso 9]><xml>\n<o:shapedefaults v:ext="edit" '
    'spidmax="1026" />\n</xml><![endif]--></head><body lang="{lang}" link="#0563C1" vlink="#954F72" '
    'style="word-wrap:break-word"><div class="WordSection1">'
)


def _outlook_fields(s: Scenario, html: bool, mailto: bool, from_value: str | None = None):
    """The (label, value) pairs of Outlook's block, in Outlook's order."""
    labels = OUTLOOK_LABELS[s.language]
    date = format_date(OUTLOOK_DATE[s.language], s.language, s.local)
    if html:
        sender = from_value if from_value is not None else s.sender.html(mailto)
        to = "; ".join(person.html(mailto) for person in s.to)
        cc = "; ".join(person.html(mailto) for person in s.cc)
        subject = escape(s.subject)
    else:
        sender = from_value if from_value is not None else s.sender.text()
        to = "; ".join(person.text() for person in s.to)
        cc = "; ".join(person.text() for person in s.cc)
        subject = s.subject
    fields = [(labels[0], sender), (labels[1], date), (labels[2], to)]
    if cc:
        fields.append((labels[3], cc))
    fields.append((labels[4], subject))
    return fields, date


def outlook_desktop(s: Scenario, *, html_from=None, text_from=None, mailto=False, old=False,
                    text_part=True, sender_address=True) -> Sample:  # fmt: skip
    """Classic Outlook for Windows: no separator, the block under a grey rule (HTML)."""
    language = s.language
    prefix = OUTLOOK_LABELS[language][5]
    fields, date = _outlook_fields(s, False, False, text_from)
    if old and text_from is None:
        fields[0] = (fields[0][0], f"{s.sender.name} [mailto:{s.sender.address}] ")
    text = f"{s.note}\n\n" + "\n".join(
        f"{colon(language, label)} {value}" for label, value in fields
    )
    text += f"\n\n{s.body_text()}\n"
    html_fields, _date = _outlook_fields(s, True, mailto, html_from)
    if old and html_from is None:
        html_fields[0] = (
            html_fields[0][0],
            f"{escape(s.sender.name)} [mailto:{s.sender.address}] ",
        )
    rule = "#B5C4DF" if old else "#E1E1E1"
    charset = OUTLOOK_CHARSETS.get(language, "utf-8")
    block = "<br>\n".join(
        f"<b>{colon(language, label, True)}</b> {value}" for label, value in html_fields
    )
    html = (
        WORD_HEAD.format(charset=charset, lang=language.upper())
        + f'<p class="MsoNormal">{escape(s.note)}<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
        + f'<div><div style="border:none;border-top:solid {rule} 1.0pt;padding:3.0pt 0cm 0cm 0cm">\n'
        + f'<p class="MsoNormal"><b></b>{block}<o:p></o:p></p>\n</div></div>\n'
        + '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
        + "".join(f'<p class="MsoNormal">{escape(line)}<o:p></o:p></p>\n' for line in s.body)
        + "</div></body></html>\n"
    )
    return Sample(
        f"{prefix}: {s.subject}", text if text_part else None, html, date, False, "outlook",
        {"X-Mailer": "Microsoft Outlook 16.0", "Thread-Index": "AdsQ4f2h8Zb1kLmNRk2Y3aGhJX0pLw=="},
        charset=charset, sender_address=sender_address,
    )  # fmt: skip


def outlook_web(s: Scenario, *, html_from=None, text_from=None, text_part=True,
                sender_address=True) -> Sample:  # fmt: skip
    """New Outlook, Outlook on the web, Microsoft 365: a rule, then the block in divRplyFwdMsg."""
    language = s.language
    prefix = OWA_PREFIX.get(language, OUTLOOK_LABELS[language][5])
    fields, date = _outlook_fields(s, False, False, text_from)
    text = f"{s.note}\n\n________________________________\n"
    text += "\n".join(f"{colon(language, label)} {value}" for label, value in fields)
    text += f"\n\n{s.body_text()}\n"
    html_fields, _date = _outlook_fields(s, True, False, html_from)
    block = "<br>\n".join(
        f"<b>{colon(language, label, True)}</b> {value}" for label, value in html_fields
    )
    html = (
        '<html><head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\n'
        '</head>\n<body dir="ltr">\n<div class="elementToProof" style="font-family: Aptos, Aptos_EmbeddedFont, '
        f'Aptos_MSFontService, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">\n{escape(s.note)}</div>\n'
        '<div id="appendonsend"></div>\n<hr style="display:inline-block;width:98%" tabindex="-1">\n'
        '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">'
        f"{block}</font>\n<div>&nbsp;</div>\n</div>\n"
        '<div class="elementToProof" style="font-size: 12pt;">\n'
        + "".join(f"<div>{escape(line)}</div>\n" for line in s.body)
        + "</div>\n</body>\n</html>\n"
    )
    return Sample(
        f"{prefix}: {s.subject}", text if text_part else None, html, date, False, "outlook",
        {"X-MS-Has-Attach": "", "X-MS-TNEF-Correlator": "", "msip_labels": ""},
        sender_address=sender_address,
    )  # fmt: skip


OUTLOOK_MAC = {  # From, Date, To, Cc, Subject, prefix, date pattern
    "en": ("From", "Date", "To", "Cc", "Subject", "FW", "{W}, {d} {M} {Y} at {HH}:{MM}"),
    "fr": ("De", "Date", "À", "Cc", "Objet", "TR", "{W}, {d} {M} {Y} à {HH}:{MM}"),
    "de": ("Von", "Datum", "An", "Cc", "Betreff", "WG", "{W}, {d}. {M} {Y} um {HH}:{MM}"),
    "es": ("De", "Fecha", "Para", "CC", "Asunto", "RV", "{W}, {d} de {M} de {Y}, {HH}:{MM}"),
    "it": ("Da", "Data", "A", "Cc", "Oggetto", "I", "{W}, {d} {M} {Y} {HH}:{MM}"),
    "nl": ("Van", "Datum", "Aan", "CC", "Onderwerp", "FW", "{W}, {d} {M} {Y} om {HH}:{MM}"),
    "cs": ("Od", "Datum", "Komu", "Kopie", "Předmět", "FW", "{W}, {d}. {M} {Y} {HH}:{MM}"),
    "pl": ("Od", "Data", "Do", "DW", "Temat", "PD", "{W}, {d} {M} {Y} o {HH}:{MM}"),
    "hu": (
        "Feladó",
        "Dátum",
        "Címzett",
        "Másolatot kap",
        "Tárgy",
        "FW",
        "{W}, {Y}. {M} {d}. {HH}:{MM}",
    ),
    "ru": ("От", "Дата", "Кому", "Копия", "Тема", "FW", "{W}, {d} {M} {Y} г. в {HH}:{MM}"),
    "tr": ("Kimden", "Tarih", "Kime", "Bilgi", "Konu", "İLT", "{W}, {d} {M} {Y} {HH}:{MM}"),
}


def outlook_mac(s: Scenario, labels: tuple[str, ...] | None = None) -> Sample:
    """Outlook for Mac: no separator, "Date:" label, the body right under the subject line.

    ``labels`` may add an eighth label: a Reply-To line written under the From line.
    """
    language = s.language
    labels = labels or OUTLOOK_MAC[language]
    date = format_date(labels[6], language, s.local)
    to = ", ".join(f"{p.address} <{p.address}>" for p in s.to)
    fields = [(labels[0], s.sender.text()), (labels[1], date), (labels[2], to)]
    if s.cc:
        fields.append((labels[3], ", ".join(p.text() for p in s.cc)))
    if len(labels) > 7:
        fields.insert(1, (labels[7], f"{s.sender.name} <{s.sender.address}>"))
    fields.append((labels[4], s.subject))
    text = f"{s.note}\n\n" + "\n".join(f"{colon(language, k)} {v}" for k, v in fields)
    text += "\n" + "\n".join(s.body) + "\n"
    spans = "".join(
        f'<b><span style="font-size:12.0pt;color:black">{colon(language, k, True)} </span></b>'
        f'<span style="font-size:12.0pt;color:black">{escape(v)}<br></span>'
        for k, v in fields
    )
    html = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" '
        'content="text/html; charset=utf-8"></head><body lang="EN-US" style="word-wrap:break-word">'
        f'<div class="WordSection1"><p class="MsoNormal">{escape(s.note)}<o:p></o:p></p>'
        '<div style="border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0in 0in 0in">'
        f'<p class="MsoNormal" style="margin-bottom:12.0pt">{spans}</p></div>'
        + "".join(f'<p class="MsoNormal">{escape(line)}<o:p></o:p></p>' for line in s.body)
        + "</div></body></html>\n"
    )
    return Sample(f"{labels[5]}: {s.subject}", text, html, date, False, "outlook",
                  {"User-Agent": "Microsoft-MacOutlook/16.78.23091003"})  # fmt: skip


APPLE = {  # separator, From, Subject, Date, To, Cc
    "en": ("Begin forwarded message:", "From", "Subject", "Date", "To", "Cc"),
    "fr": ("Début du message réexpédié :", "De", "Objet", "Date", "À", "Cc"),
    "de": ("Anfang der weitergeleiteten Nachricht:", "Von", "Betreff", "Datum", "An", "Kopie"),
    "es": ("Inicio del mensaje reenviado:", "De", "Asunto", "Fecha", "Para", "Cc"),
    "it": ("Inizio messaggio inoltrato:", "Da", "Oggetto", "Data", "A", "Cc"),
    "nl": ("Begin doorgestuurd bericht:", "Van", "Onderwerp", "Datum", "Aan", "Kopie"),
    "pt": ("Início da mensagem reencaminhada:", "De", "Assunto", "Data", "Para", "Cc"),
    "pt-BR": ("Início da mensagem encaminhada:", "De", "Assunto", "Data", "Para", "Cc"),
    "sv": ("Vidarebefordrat mejl:", "Från", "Ämne", "Datum", "Till", "Kopia"),
    "da": ("Start på videresendt besked:", "Fra", "Emne", "Dato", "Til", "Cc"),
    "no": ("Videresendt melding:", "Fra", "Emne", "Dato", "Til", "Kopi"),
    "fi": ("Välitetty viesti alkaa:", "Lähettäjä", "Aihe", "Päivämäärä", "Vastaanottaja", "Kopio"),
    "pl": ("Początek przekazywanej wiadomości:", "Od", "Temat", "Data", "Do", "Dw"),
    "cs": ("Začátek přeposílané zprávy:", "Od", "Předmět", "Datum", "Komu", "Kopie"),
    "sk": ("Začiatok preposlanej správy:", "Od", "Predmet", "Dátum", "Pre", "Cc"),
    "hu": ("Továbbított levél kezdete:", "Feladó", "Tárgy", "Dátum", "Címzett", "Másolat"),
    "ro": (
        "Începe mesajul redirecționat:",
        "Expeditorul",
        "Subiectul",
        "Dată",
        "Destinatarul",
        "Cc",
    ),
    "hr": ("Započni proslijeđenu poruku:", "Šalje", "Predmet", "Datum", "Prima", "Cc"),
    "tr": ("İleti başlangıcı:", "Kimden", "Konu", "Tarih", "Kime", "Bilgi"),
    "ru": ("Начало переадресованного сообщения:", "Отправитель", "Тема", "Дата", "Кому", "Копия"),
    "uk": ("Початок листа, що пересилається:", "Від кого", "Тема", "Дата", "Кому", "Копія"),
    "ja": ("転送されたメッセージ:", "差出人", "件名", "日付", "宛先", "Cc"),
    "zh": ("转发的邮件：", "发件人", "主题", "日期", "收件人", "抄送"),
    "zh-TW": ("轉寄的郵件：", "寄件者", "主旨", "日期", "收件者", "副本"),
    "ko": ("전달된 메시지:", "보낸 사람", "제목", "날짜", "받는 사람", "참조"),
    "el": ("Έναρξη προωθημένου μηνύματος:", "Από", "Θέμα", "Ημερομηνία", "Προς", "Κοιν."),
    "he": ("תחילת הודעה שהועברה:", "מאת", "נושא", "תאריך", "אל", "עותק"),
    "ar": ("بداية الرسالة المعاد توجيهها:", "من", "الموضوع", "التاريخ", "إلى", "نسخة"),
    "hi": ("अग्रेषित संदेश की शुरुआत:", "प्रेषक", "विषय", "दिनांक", "प्रति", "प्रतिलिपि"),
    "th": ("เริ่มข้อความที่ส่งต่อ:", "จาก", "เรื่อง", "วันที่", "ถึง", "สำเนาถึง"),
    "vi": ("Bắt đầu tin nhắn được chuyển tiếp:", "Từ", "Chủ đề", "Ngày", "Đến", "Cc"),
    "id": ("Awal pesan yang diteruskan:", "Dari", "Subjek", "Tanggal", "Kepada", "Cc"),
    "et": ("Edastatud kirja algus:", "Saatja", "Teema", "Kuupäev", "Adressaat", "Koopia"),
    "bg": ("Начало на препратеното съобщение:", "От", "Тема", "Дата", "До", "Копие"),
    "sr": ("Почетак прослеђене поруке:", "Од", "Тема", "Датум", "За", "Копија"),
    "sr-Latn": ("Početak prosleđene poruke:", "Od", "Tema", "Datum", "Za", "Kopija"),
    "lt": ("Persiųsto laiško pradžia:", "Nuo", "Tema", "Data", "Kam", "Kopija"),
    "lv": ("Pārsūtītā ziņojuma sākums:", "No", "Tēma", "Datums", "Kam", "Kopija"),
    "sl": ("Začetek posredovanega sporočila:", "Od", "Zadeva", "Datum", "Za", "Kp"),
    "ca": ("Inici del missatge reenviat:", "De", "Assumpte", "Data", "Per a", "A/c"),
}
APPLE_SPAN = "font-family: -webkit-system-font, Helvetica Neue, Helvetica, sans-serif;"


def apple(s: Scenario, style: int = 0, text_part: bool = True) -> Sample:
    """Apple Mail: "Begin forwarded message:", the block and body in a blockquote (">" in text).

    ``style`` 0 quotes everything, 1 nothing, 2 the block and body but not the separator line.
    """
    language = s.language
    separator, *labels = APPLE[language]
    zone = zone_text(language, s.offset, APPLE_ZONE_STYLE.get(language))
    date = format_date(APPLE_DATE[language], language, s.local, zone)
    fields = [(labels[0], s.sender.text()), (labels[1], s.subject), (labels[2], date),
              (labels[3], ", ".join(p.text() for p in s.to))]  # fmt: skip
    if s.cc:
        fields.append((labels[4], ", ".join(p.text() for p in s.cc)))
    quote = "" if style == 1 else "> "
    first = "" if style in (1, 2) else "> "
    text = f"{s.note}\n\n{first}{separator}\n{quote.rstrip()}\n"
    text += "\n".join(f"{quote}{label}: {value}" for label, value in fields)
    text += f"\n{quote.rstrip()}\n{s.body_text(quote)}\n"
    html_values = [s.sender.html(), f"<b>{escape(s.subject)}</b>", escape(date),
                   ", ".join(p.html() for p in s.to)]  # fmt: skip
    if s.cc:
        html_values.append(", ".join(p.html() for p in s.cc))
    blocks = "".join(
        '<div style="margin-top: 0px; margin-right: 0px; margin-bottom: 0px; margin-left: 0px;">'
        f'<span style="{APPLE_SPAN} color:rgba(0, 0, 0, 1.0);"><b>{escape(label)}: </b></span>'
        f'<span style="{APPLE_SPAN}">{value}<br></span></div>'
        for (label, _v), value in zip(fields, html_values, strict=True)
    )
    html = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
        '<body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">'
        f'{escape(s.note)}<br id="lineBreakAtBeginningOfMessage"><div><br><blockquote type="cite">'
        f'<div>{escape(separator)}</div><br class="Apple-interchange-newline">{blocks}<br>'
        f"<div>{s.body_html()}</div></blockquote></div><br></body></html>"
    )
    return Sample("Fwd: " + s.subject, text if text_part else None, html, date, True, "apple",
                  {"X-Mailer": "Apple Mail (2.3774.600.62)"})  # fmt: skip


THUNDERBIRD = {  # separator, Subject, Date, From, To, CC
    "en": ("-------- Forwarded Message --------", "Subject", "Date", "From", "To", "CC"),
    "fr": ("-------- Message transféré --------", "Sujet", "Date", "De", "Pour", "Copie à"),
    "de": (
        "-------- Weitergeleitete Nachricht --------",
        "Betreff",
        "Datum",
        "Von",
        "An",
        "Kopie (CC)",
    ),
    "es": ("-------- Mensaje reenviado --------", "Asunto", "Fecha", "De", "Para", "CC"),
    "it": ("-------- Messaggio Inoltrato --------", "Oggetto", "Data", "Mittente", "A", "CC"),
    "nl": ("-------- Doorgestuurd bericht --------", "Onderwerp", "Datum", "Van", "Aan", "CC"),
    "pt": ("-------- Mensagem reencaminhada --------", "Assunto", "Data", "De", "Para", "CC"),
    "pt-BR": ("-------- Mensagem encaminhada --------", "Assunto", "Data", "De", "Para", "CC"),
    "sv": (
        "-------- Vidarebefordrat meddelande --------",
        "Ämne",
        "Datum",
        "Från",
        "Till",
        "Kopia",
    ),
    "da": ("-------- Videresendt meddelelse --------", "Subject", "Date", "From", "To", "CC"),
    "no": ("-------- Videresendt melding --------", "Emne", "Dato", "Fra", "Til", "CC"),
    "fi": (
        "-------- Välitetty viesti / Fwd.Msg --------",
        "Aihe",
        "Päiväys",
        "Lähettäjä",
        "Vastaanottaja",
        "CC",
    ),
    "pl": ("--- Treść przekazanej wiadomości ---", "Temat", "Data", "Nadawca", "Adresat", "Kopia"),
    "cs": ("-------- Přeposlaná zpráva --------", "Předmět", "Datum", "Od", "Komu", "Kopie"),
    "sk": (
        "-------- Preposlaná správa --- Forwarded Message --------",
        "Predmet",
        "Dátum",
        "Od",
        "Pre",
        "Kópia",
    ),
    "hu": ("-------- Továbbított üzenet --------", "Tárgy", "Dátum", "Feladó", "Címzett", "CC"),
    "ro": ("-------- Mesaj redirecționat --------", "Subiect", "Dată", "de la", "Către", "CC"),
    "hr": ("-------- Proslijeđena poruka --------", "Naslov", "Datum", "Šalje", "Prima", "CC"),
    "tr": ("-------- İletilen İleti --------", "Konu", "Tarih", "Kimden", "Kime", "CC"),
    "ru": ("-------- Перенаправленное сообщение --------", "Тема", "Дата", "От", "Кому", "Копия"),
    "uk": ("-------- Переслане повідомлення --------", "Тема", "Дата", "Від", "Кому", "CC"),
    "ja": ("-------- 転送メッセージ --------", "件名", "日付", "差出人", "宛先", "CC"),
    "zh": ("-------- 转发的消息 --------", "主题", "日期", "发件人", "收件人", "抄送"),
    "zh-TW": ("-------- 轉寄訊息 --------", "主旨", "日期", "寄件者", "收件者", "副本"),
    "ko": ("-------- 전달된 메시지 --------", "제목", "날짜", "보낸 사람", "받는 사람", "참조"),
    "el": ("-------- Προωθημένο μήνυμα --------", "Θέμα", "Ημερομηνία", "Από", "Προς", "Κοιν."),
    "he": ("-------- הודעה שהועברה --------", "נושא", "תאריך", "מאת", "אל", "עותק"),
    "ar": ("-------- رسالة معاد توجيهها --------", "الموضوع", "التاريخ", "من", "إلى", "نسخة"),
    "hi": ("-------- अग्रेषित संदेश --------", "विषय", "दिनांक", "प्रेषक", "प्रति", "प्रतिलिपि"),
    "th": ("-------- ข้อความที่ส่งต่อ --------", "เรื่อง", "วันที่", "จาก", "ถึง", "สำเนาถึง"),
    "vi": ("-------- Thư được chuyển tiếp --------", "Chủ đề", "Ngày", "Từ", "Đến", "Cc"),
    "id": (
        "-------- Pesan yang Diteruskan --------",
        "Subjek",
        "Tanggal",
        "Dari",
        "Kepada",
        "Tembusan",
    ),
    "et": ("-------- Edastatud kiri --------", "Teema", "Kuupäev", "Saatja", "Adressaat", "Koopia"),
    "bg": ("-------- Препратено съобщение --------", "Тема", "Дата", "От", "До", "Копие"),
    "sr": ("-------- Прослеђена порука --------", "Тема", "Датум", "Од", "За", "Копија"),
    "sr-Latn": ("-------- Prosleđena poruka --------", "Tema", "Datum", "Od", "Za", "Kopija"),
    "lt": ("-------- Persiųstas laiškas --------", "Tema", "Data", "Nuo", "Kam", "Kopija"),
    "lv": ("-------- Pārsūtīts ziņojums --------", "Tēma", "Datums", "No", "Kam", "Kopija"),
    "sl": ("-------- Posredovano sporočilo --------", "Zadeva", "Datum", "Od", "Za", "Kopija"),
    "ca": ("-------- Missatge reenviat --------", "Assumpte", "Data", "De", "Per a", "A/c"),
}


def thunderbird(s: Scenario, text_part: bool = True) -> Sample:
    """Thunderbird: a localised separator and a table of headers; the RFC 5322 date as written."""
    language = s.language
    separator, *labels = THUNDERBIRD[language]
    date = format_datetime(s.sent.astimezone(s.zone))
    values = [s.subject, date, s.sender.text(), ", ".join(p.text() for p in s.to)]
    if s.cc:
        values.append(", ".join(p.text() for p in s.cc))
    pairs = list(zip(labels, values, strict=False))
    text = f"{s.note}\n\n\n{separator}\n"
    text += "\n".join(f"{colon(language, label)} \t{value}" for label, value in pairs)
    text += f"\n\n\n\n{s.body_text()}\n"

    def cell(value: str, index: int) -> str:
        if index < 2:
            return escape(value)
        people = s.to if index == 3 else s.cc
        if index == 2:
            people = [s.sender]
        return ", ".join(
            f'{escape(p.name)} <a class="moz-txt-link-rfc2396E" href="mailto:{p.address}">&lt;{p.address}&gt;</a>'
            for p in people
        )

    rows = "".join(
        f'<tr><th valign="BASELINE" nowrap="nowrap" align="RIGHT">{colon(language, label, True)} </th>'
        f"<td>{cell(value, index)}</td></tr>\n"
        for index, (label, value) in enumerate(pairs)
    )
    html = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=UTF-8"></head><body>\n'
        f'<p>{escape(s.note)}</p>\n<div class="moz-forward-container"><br>\n<br>\n{escape(separator)}\n'
        '<table class="moz-email-headers-table" cellspacing="0" cellpadding="0" border="0">\n'
        f"<tbody>\n{rows}</tbody>\n</table>\n<br>\n<br>\n"
        + "".join(f"{escape(line)}<br>\n" for line in s.body)
        + "</div>\n</body>\n</html>\n"
    )
    return Sample("Fwd: " + s.subject, text if text_part else None, html, date, True, "thunderbird",
                  {"User-Agent": "Mozilla Thunderbird"})  # fmt: skip


YAHOO = {  # separator, From, To, Cc, Sent, Subject
    "en": ("Forwarded Message", "From", "To", "Cc", "Sent", "Subject"),
    "fr": ("Message transmis", "De", "À", "Cc", "Envoyé", "Objet"),
    "de": ("Weitergeleitete Nachricht", "Von", "An", "CC", "Gesendet", "Betreff"),
    "es": ("Mensaje reenviado", "De", "Para", "CC", "Enviado", "Asunto"),
    "it": ("Messaggio inoltrato", "Da", "A", "Cc", "Inviato", "Oggetto"),
    "nl": ("Doorgestuurd bericht", "Van", "Aan", "Cc", "Verzonden", "Onderwerp"),
    "pt": ("Mensagem reencaminhada", "De", "Para", "Cc", "Enviado", "Assunto"),
    "pt-BR": ("Mensagem encaminhada", "De", "Para", "Cc", "Enviado", "Assunto"),
    "sv": ("Vidarebefordrat meddelande", "Från", "Till", "Kopia", "Skickat", "Ämne"),
    "da": ("Videresendt meddelelse", "Fra", "Til", "Cc", "Sendt", "Emne"),
    "no": ("Videresendt melding", "Fra", "Til", "Kopi", "Sendt", "Emne"),
    "fi": ("Edelleenlähetetty viesti", "Lähettäjä", "Vastaanottaja", "Kopio", "Lähetetty", "Aihe"),
    "pl": ("Przekazana wiadomość", "Od", "Do", "DW", "Wysłano", "Temat"),
    "cs": ("Přeposlaná zpráva", "Od", "Komu", "Kopie", "Datum", "Předmět"),
    "sk": ("Preposlaná správa", "Od", "Komu", "Kópia", "Odoslané", "Predmet"),
    "hu": ("Továbbított üzenet", "Feladó", "Címzett", "Másolat", "Elküldve", "Tárgy"),
    "ro": ("Mesaj redirecționat", "De la", "Către", "Cc", "Trimis", "Subiect"),
    "tr": ("İletilmiş Mesaj", "Kimden", "Kime", "Cc", "Gönderilen", "Konu"),
    "ru": ("Пересылаемое сообщение", "От", "Кому", "Копия", "Отправлено", "Тема"),
    "uk": ("Перенаправлене повідомлення", "Від", "Кому", "Копія", "Відправлено", "Тема"),
}


def yahoo(s: Scenario) -> Sample:
    """Yahoo Mail: HTML divs; its text part runs the whole block on one line."""
    language = s.language
    separator, *labels = YAHOO[language]
    zone = zone_text(language, s.offset, YAHOO_ZONE_STYLE.get(language))
    date = format_date(YAHOO_DATE[language], language, s.local, zone)
    values = [s.sender.text(), "; ".join(f'"{p.address}" <{p.address}>' for p in s.to)]
    keys = [labels[0], labels[1]]
    if s.cc:
        values.append("; ".join(p.text() for p in s.cc))
        keys.append(labels[2])
    values += [date, s.subject]
    keys += [labels[3], labels[4]]
    collapsed = "".join(f"{colon(language, k)} {v}" for k, v in zip(keys, values, strict=True))
    text = f"{s.note}\n\n   ----- {separator} ----- {collapsed}\n {s.body_text()}\n"
    divs = "".join(
        f"<div><b>{colon(language, k, True)}</b> {escape(v)}</div>"
        for k, v in zip(keys, values, strict=True)
    )
    html = (
        '<html><head></head><body><div class="ydp3f2a1b9cyahoo-style-wrap" style="font-family:Helvetica Neue, '
        f'Helvetica, Arial, sans-serif;font-size:13px;"><div dir="ltr" data-setdir="false">{escape(s.note)}</div>'
        '<div><br></div><div id="yahoo_quoted_4417203958" class="yahoo_quoted"><div style="font-family:\'Helvetica '
        "Neue', Helvetica, Arial, sans-serif;font-size:13px;color:#26282a;\">"
        f"<div>----- {escape(separator)} -----</div>{divs}<div><br></div><div><br></div>"
        f'<div><div dir="ltr">{"<br>".join(escape(line) for line in s.body)}</div></div>'
        "</div></div></div></body></html>"
    )
    return Sample("Fwd: " + s.subject, text, html, date, True, "yahoo",
                  {"X-Mailer": "WebService/1.1.21797 YMailNorrin"})  # fmt: skip


HUBSPOT = {  # separator, From, Date, Subject, To, Cc, date pattern (+ offset)
    "en": (
        "Forwarded message",
        "From",
        "Date",
        "Subject",
        "To",
        "Cc",
        "{W}, {M} {d}, {Y}, {h}:{MM}:{SS} {AP} {O}",
    ),
    "de": (
        "Weitergeleitete Nachricht",
        "Von",
        "Datum",
        "Betreff",
        "An",
        "Cc",
        "{W}, {d}. {M} {Y}, {HH}:{MM}:{SS} {O}",
    ),
    "es": (
        "Mensaje reenviado",
        "De",
        "Fecha",
        "Asunto",
        "A",
        "Cc",
        "{W}, {d} de {M} de {Y} {HH}:{MM}:{SS} {O}",
    ),
    "fi": (
        "Edelleenlähetetty viesti",
        "Lähettäjä",
        "Päivämäärä",
        "Aihe",
        "Vastaanottaja",
        "Kopio",
        "{W} {d}. {M} {Y} klo {HH}.{MM}.{SS} {O}",
    ),
    "fr": (
        "Message transféré",
        "De",
        "Date",
        "Objet",
        "À",
        "Cc",
        "{W} {d} {M} {Y} à {HH}:{MM}:{SS} {O}",
    ),
    "it": (
        "Messaggio inoltrato",
        "Da",
        "Data",
        "Oggetto",
        "A",
        "Cc",
        "{W} {d} {M} {Y}, {HH}:{MM}:{SS} {O}",
    ),
    "ja": (
        "メッセージを転送",
        "送信元",
        "日付",
        "件名",
        "送信先",
        "CC",
        "{Y}年{m}月{d}日{W}曜日 {HH}:{MM}:{SS} {O}",
    ),
    "nl": (
        "Doorgestuurd bericht",
        "Van",
        "Datum",
        "Onderwerp",
        "Aan",
        "Cc",
        "{W} {d} {M} {Y} {HH}:{MM}:{SS} {O}",
    ),
    "pl": (
        "Wiadomość przesłana dalej",
        "Od",
        "Data",
        "Temat",
        "Do",
        "DW",
        "{W}, {d} {M} {Y}, {HH}:{MM}:{SS} {O}",
    ),
    "pt-BR": (
        "Mensagem encaminhada",
        "De",
        "Data",
        "Assunto",
        "Para",
        "Cc",
        "{W}, {d} de {M} de {Y} {HH}:{MM}:{SS} {O}",
    ),
    "sv": (
        "Vidarebefordrat meddelande",
        "Från",
        "Datum",
        "Ämne",
        "Till",
        "Kopia",
        "{W} {d} {M} {Y} {HH}:{MM}:{SS} {O}",
    ),
}


def hubspot(s: Scenario) -> Sample:
    language = s.language
    separator, *labels, pattern = HUBSPOT[language]
    sign = "+" if s.offset >= 0 else "-"
    offset = f"{sign}{abs(s.offset) // 60:02d}{abs(s.offset) % 60:02d}"
    date = format_date(pattern.replace("{O}", offset), language, s.local)
    fields = [(labels[0], s.sender.text()), (labels[1], date), (labels[2], s.subject),
              (labels[3], ", ".join(p.address for p in s.to))]  # fmt: skip
    if s.cc:
        fields.append((labels[4], ", ".join(p.text() for p in s.cc)))

    def line(label: str, value: str) -> str:
        return f"{label}：{value}" if language == "ja" else f"{colon(language, label)} {value}"

    text = f"{s.note}\n\n---------- {separator} ---------\n"
    text += "\n".join(line(k, v) for k, v in fields) + f"\n\n{s.body_text()}\n"
    html = (
        f'<html><body><div>{escape(s.note)}</div><br><div class="hs_reply"><div>---------- '
        f"{escape(separator)} ---------<br>"
        + "<br>".join(escape(line(k, v)) for k, v in fields)
        + "</div><br>"
        + "<br>".join(escape(row) for row in s.body)
        + "</div></body></html>"
    )
    return Sample("Fwd: " + s.subject, text, html, date, True, None,
                  {"X-HubSpot-Conversations": "forward"})  # fmt: skip


def missive(s: Scenario) -> Sample:
    date = format_date("{M} {d}, {Y} at {h}:{MM} {AP}", "en", s.local)
    text = (
        f"{s.note}\n\n---------- Forwarded message ----------\nFrom: {s.sender.text()}\n"
        f"Date: {date}\nTo: {', '.join(p.address for p in s.to)}\n"
        + (f"Cc: {', '.join(p.text() for p in s.cc)}\n" if s.cc else "")
        + f"Subject: {s.subject}\n\n{s.body_text('> ')}\n"
    )
    return Sample("Fwd: " + s.subject, text, None, date, False, None, {"X-Mailer": "Missive"})


def mailmate(s: Scenario) -> Sample:
    date = format_datetime(s.sent.astimezone(s.zone))
    text = (
        f"{s.note}\n\nForwarded message:\n\n> From: {s.sender.text()}\n"
        f"> To: {', '.join(p.address for p in s.to)}\n"
        + (f"> Cc: {', '.join(p.text() for p in s.cc)}\n" if s.cc else "")
        + f"> Subject: {s.subject}\n> Date: {date}\n>\n{s.body_text('> ')}\n"
    )
    return Sample("Fwd: " + s.subject, text, None, date, True, "mailmate",
                  {"User-Agent": "MailMate (1.14r5964)"})  # fmt: skip


def ionos(s: Scenario) -> Sample:
    zone = "EST" if s.offset == -300 else ("EDT" if s.offset == -240 else "")
    date = format_date("{mm}/{dd}/{Y} {h}:{MM} {AP} {Z}", "en", s.local, zone).strip()
    to = ", ".join(f'"{p.address}" <{p.address}>' for p in s.to)
    text = (
        f"{s.note}\n \n> ---------- Original Message ----------\n> From: {s.sender.text()}\n"
        f"> To: {to}\n> Date: {date}\n> Subject: {s.subject}\n>  \n>  \n{s.body_text('> ')}\n"
    )
    return Sample("Fwd: " + s.subject, text, None, date, False, "ionos",
                  {"X-Mailer": "Open-Xchange Mailer v7.10.6-Rev41"})  # fmt: skip


ZIMBRA = {  # separator, From, To, Cc, Sent, Subject
    "en": ("Forwarded Message", "From", "To", "Cc", "Sent", "Subject"),
    "fr": ("Mail transféré", "De", "À", "Cc", "Envoyé", "Objet"),
}


def zimbra(s: Scenario) -> Sample:
    language = s.language
    separator, *labels = ZIMBRA[language]
    pattern = (
        "{W}, {M} {d}, {Y} {h}:{MM}:{SS} {AP}"
        if language == "en"
        else "{W} {d} {M} {Y} {HH}:{MM}:{SS}"
    )
    date = format_date(pattern, language, s.local)
    fields = [(labels[0], f'"{s.sender.name}" <{s.sender.address}>'),
              (labels[1], ", ".join(f'"{p.name}" <{p.address}>' for p in s.to))]  # fmt: skip
    if s.cc:
        fields.append((labels[2], ", ".join(f'"{p.name}" <{p.address}>' for p in s.cc)))
    fields += [(labels[3], date), (labels[4], s.subject)]
    text = f"{s.note}\n\n----- {separator} -----\n"
    text += "\n".join(f"{k}: {v}" for k, v in fields) + f"\n\n{s.body_text()}\n"
    html = (
        '<html><body><div style="font-family: arial, helvetica, sans-serif; font-size: 12pt; color: #000000">'
        f'<div>{escape(s.note)}</div><br><hr id="zwchr" data-marker="__DIVIDER__"><div data-marker="__HEADERS__">'
        + "".join(f"<b>{escape(k)}: </b>{escape(v)}<br>" for k, v in fields)
        + '</div><br><div data-marker="__QUOTED_TEXT__">'
        + "".join(f"<div>{escape(line)}</div>" for line in s.body)
        + "</div></div></body></html>"
    )
    return Sample("Fwd: " + s.subject, text, html, date, True, "zimbra",
                  {"X-Mailer": "Zimbra 9.0.0_GA_4518 (ZimbraWebClient - FF119 (Linux)/9.0.0_GA_4518)"})  # fmt: skip


def front(s: Scenario) -> Sample:
    date = format_date("{W3}, {M3} {d}, {Y} at {h}:{MM} {AP}", "en", s.local)
    text = (
        f"{s.note}\n\n---------- Forwarded message ---------\nFrom: {s.sender.text()}\nDate: {date}\n"
        f"Subject: {s.subject}\nTo: {', '.join(p.text() for p in s.to)}\n\n{s.body_text()}\n"
    )
    html = (
        f'<div>{escape(s.note)}</div><div class="front-blockquote"><br>---------- Forwarded message ---------<br>'
        f"From: {s.sender.html()}<br>Date: {escape(date)}<br>Subject: {escape(s.subject)}<br>"
        f"To: {', '.join(p.html() for p in s.to)}<br><br>"
        + "<br>".join(escape(line) for line in s.body)
        + "</div>"
    )
    return Sample(
        "Fwd: " + s.subject,
        text,
        html,
        date,
        False,
        None,
        {"X-Mailer": "Front (1.0; +https://frontapp.com)"},
    )


def spark(s: Scenario) -> Sample:
    sign = "+" if s.offset >= 0 else "-"
    offset = f"{sign}{abs(s.offset) // 60:02d}{abs(s.offset) % 60:02d}"
    date = format_date("{d} {M3} {Y} at {HH}:{MM} " + offset, "en", s.local)
    text = (
        f"{s.note}\n\n---------- Forwarded message ----------\nFrom: {s.sender.text()}\nDate: {date}\n"
        f"To: {', '.join(p.text() for p in s.to)}\nSubject: {s.subject}\n\n{s.body_text('> ')}\n"
    )
    return Sample(
        "Fwd: " + s.subject,
        text,
        None,
        date,
        False,
        None,
        {"X-Readdle-Message-ID": "7d1e9a02-5c11-4a0e-9e1f-spark"},
    )


# -- writing messages ----------------------------------------------------------------------------


def build(key: str, subject: str, text: str | None, html: str | None, when: datetime, *,
          sender: Person = FORWARDER, to: str = CAPTURE, headers: dict[str, str] | None = None,
          charset: str = "utf-8", attachments: list | None = None) -> EmailMessage:  # fmt: skip
    message = EmailMessage(policy=default)
    message["From"] = formataddr((sender.name, sender.address))
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<{key}.{int(when.timestamp())}@northwind.example>"
    for name, value in (headers or {}).items():
        if value and name != "Message-ID":
            message[name] = value
    cte = "quoted-printable" if charset not in ("utf-8", "iso-2022-jp") else None
    if charset == "iso-2022-jp":
        cte = "7bit"
    label, charset = charset, PYTHON_CODECS.get(charset, charset)
    if text is not None:
        message.set_content(text, charset=charset, cte=cte)
        if html is not None:
            message.add_alternative(html, subtype="html", charset=charset, cte=cte)
    elif html is not None:
        message.set_content(html, subtype="html", charset=charset, cte=cte)
    if label != charset:  # the name the client writes, which Python's codecs do not know
        for part in message.walk():
            if part.get_content_maintype() == "text":
                part.set_param("charset", label)
    for attachment in attachments or []:
        if isinstance(attachment, EmailMessage):
            message.add_attachment(attachment, filename=f"{attachment['Subject']}.eml")
        else:
            filename, maintype, subtype, data = attachment
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


PYTHON_CODECS = {"windows-874": "cp874"}  # Outlook's name for Thai -> Python's


def fixed_boundaries(message: EmailMessage, name: str) -> EmailMessage:
    """Give every multipart a boundary derived from ``name``, so that files are reproducible."""
    for index, part in enumerate(message.walk()):
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            part.set_boundary(f"=_{name}_{index}_7f3a")
    return message


def write(folder: Path, name: str, message: EmailMessage) -> None:
    fixed_boundaries(message, name)
    (folder / f"{name}.eml").write_bytes(message.as_bytes(policy=default))


def expected_date(s: Scenario, seconds: bool) -> str:
    instant = s.sent if seconds else s.sent.replace(second=0)
    return instant.isoformat()


def expectation(s: Scenario, sample: Sample, **extra) -> dict:
    address = s.sender.address.lower() if sample.sender_address is True else sample.sender_address
    result = {
        "language": s.language,
        "kind": "inline",
        "sender_name": s.sender.name,
        "sender_address": address,
        "subject": s.subject,
        "date": expected_date(s, sample.seconds),
        "date_text": sample.date_text,
        "to": [p.address.lower() for p in s.to],
        "cc": [p.address.lower() for p in s.cc],
        "body_contains": s.body[1],
        "note_contains": s.note if sample.note else "",
        "chain_length": 1,
        "attachments": [],
        "client": sample.client,
        "html": sample.html is not None,
    }
    result.update(extra)
    return result


def emit(manifest: dict, s: Scenario, sample: Sample, files=None, **extra) -> None:
    message = build(s.key, sample.subject, sample.text, sample.html, s.forwarded,
                    headers=sample.headers, charset=sample.charset, attachments=files)  # fmt: skip
    write(FORWARDS_DIR, s.key, message)
    manifest[f"{s.key}.eml"] = expectation(s, sample, **extra)


# -- the forwards ---------------------------------------------------------------------------------


def inline_forwards(manifest: dict) -> None:
    for template, languages, name in (
        (gmail, LANGUAGES, "gmail"),
        (outlook_desktop, LANGUAGES, "outlook-desktop"),
        (outlook_web, LANGUAGES, "outlook-web"),
        (thunderbird, LANGUAGES, "thunderbird"),
        (yahoo, tuple(YAHOO), "yahoo"),
        (hubspot, tuple(HUBSPOT), "hubspot"),
        (outlook_mac, tuple(OUTLOOK_MAC), "outlook-mac"),
    ):
        for language in languages:
            s = scenario(language, f"{name}-{language}")
            emit(manifest, s, template(s))
    for index, language in enumerate(LANGUAGES):
        s = scenario(language, f"apple-{language}")
        emit(manifest, s, apple(s, style=index % 3))
    for template, language, name in (
        (missive, "en", "missive-en"),
        (mailmate, "en", "mailmate-en"),
        (ionos, "en", "ionos-en"),
        (zimbra, "en", "zimbra-en"),
        (zimbra, "fr", "zimbra-fr"),
        (front, "en", "front-en"),
        (spark, "en", "spark-en"),
    ):
        s = scenario(language, name)
        if template in (ionos, front, spark, missive):
            s.cc = []  # these templates are written without a Cc line
        emit(manifest, s, template(s))


def special_forwards(manifest: dict) -> None:
    # Outlook 2010-2013: "[mailto:...]" addresses, the older blue rule
    for language in ("en", "de", "fr"):
        s = scenario(language, f"outlook-2010-{language}")
        emit(manifest, s, outlook_desktop(s, old=True))
    # HTML only (no text/plain alternative)
    for template, language in ((outlook_desktop, "fr"), (outlook_web, "de"), (thunderbird, "it"),
                               (apple, "es")):  # fmt: skip
        s = scenario(language, f"html-only-{template.__name__.replace('_', '-')}-{language}")
        emit(manifest, s, template(s, text_part=False))
    # Outlook From lines with a display name only
    s = scenario(
        "en",
        "outlook-name-only-mailto-en",
        sender=Person("Miller, Sue", "Sue.Miller@harbourfoods.example"),
    )
    link = '<a href="mailto:Sue.Miller@harbourfoods.example">Miller, Sue</a>'
    emit(manifest, s, outlook_desktop(s, text_from="Miller, Sue", html_from=link))
    s = scenario(
        "de",
        "outlook-name-only-de",
        sender=Person("Weiß, Jürgen", "juergen.weiss@baeckerei-koeln.example"),
    )
    emit(
        manifest,
        s,
        outlook_desktop(s, text_from="Weiß, Jürgen", html_from="Weiß, Jürgen", sender_address=None),
    )
    s = scenario("en", "outlook-web-name-only-en", sender=Person("Sue Miller", "x@x.example"))
    emit(
        manifest,
        s,
        outlook_web(s, text_from="Sue Miller", html_from="Sue Miller", sender_address=None),
    )
    s = scenario("fr", "outlook-web-name-only-mailto-fr")
    link = f'<a href="mailto:{s.sender.address}" title="{s.sender.address}">{escape(s.sender.name)}</a>'
    emit(manifest, s, outlook_web(s, text_from=s.sender.name, html_from=link))
    plain_outlook(manifest)
    on_behalf(manifest)
    wrapped_and_quoted(manifest)


ORIGINAL_MESSAGE = {
    "en": "-----Original Message-----", "de": "-----Ursprüngliche Nachricht-----",
    "fr": "-----Message d'origine-----", "es": "-----Mensaje original-----",
    "it": "-----Messaggio originale-----", "nl": "-----Oorspronkelijk bericht-----",
}  # fmt: skip


def plain_outlook(manifest: dict) -> None:
    """Outlook composing in plain text: "-----Original Message-----" above the block."""
    for language, separator in ORIGINAL_MESSAGE.items():
        s = scenario(language, f"outlook-plain-{language}")
        fields, date = _outlook_fields(s, False, False)
        text = (
            f"{s.note}\n\n{separator}\n"
            + "\n".join(f"{colon(language, k)} {v}" for k, v in fields)
            + f"\n\n{s.body_text()}\n"
        )
        prefix = OUTLOOK_LABELS[language][5]
        emit(manifest, s, Sample(f"{prefix}: {s.subject}", text, None, date, False, "outlook",
                                 {"X-Mailer": "Microsoft Outlook 16.0"}, charset=OUTLOOK_CHARSETS.get(language, "utf-8")))  # fmt: skip
    # display names only, as Exchange writes internal senders
    s = scenario("en", "outlook-plain-name-only-en", sender=Person("John Doe", "x@x.example"),
                 to=[Person("Bessie Berry", "y@y.example")], cc=[])  # fmt: skip
    date = format_date("{d} {M} {Y} {HH}:{MM}", "en", s.local)
    text = (f"-----Original Message-----\nFrom: John Doe\nSent: {date}\nTo: Bessie Berry\n"
            f"Subject: {s.subject}\n\n{s.body_text()}\n")  # fmt: skip
    sample = Sample(
        f"FW: {s.subject}", text, None, date, False, "outlook", sender_address=None, note=False
    )
    emit(manifest, s, sample, to=[None], to_names=["Bessie Berry"], cc=[])


def on_behalf(manifest: dict) -> None:
    s = scenario(
        "en",
        "outlook-web-on-behalf-en",
        sender=Person("Harbour Foods Orders", "orders@harbourfoods.example"),
    )
    delegate = "Tom Baker <tom.baker@harbourfoods.example> on behalf of Harbour Foods Orders <orders@harbourfoods.example>"
    html_delegate = ('Tom Baker &lt;<a href="mailto:tom.baker@harbourfoods.example">tom.baker@harbourfoods.example</a>&gt; '
                     'on behalf of Harbour Foods Orders &lt;<a href="mailto:orders@harbourfoods.example">'
                     "orders@harbourfoods.example</a>&gt;")  # fmt: skip
    emit(manifest, s, outlook_web(s, text_from=delegate, html_from=html_delegate))
    s = scenario("en", "outlook-web-mailto-text-en")
    text_from = f"{s.sender.name}<mailto:{s.sender.address}> <{s.sender.address}<mailto:{s.sender.address}>>"
    emit(manifest, s, outlook_web(s, text_from=text_from))


def wrapped_and_quoted(manifest: dict) -> None:
    # a long recipient list wrapped onto a second line
    s = scenario("en", "gmail-wrapped-to-en", to=[FORWARDER, Person("Customer Desk", "desk@harbourfoods.example"),
                                                  Person("Accounts Payable Team", "ap@harbourfoods.example")])  # fmt: skip
    sample = gmail(s)
    sample.text = sample.text.replace(", Customer Desk", ",\n Customer Desk")
    emit(manifest, s, sample)
    # a forward quoted by the forwarder's client (">" before every line)
    s = scenario("de", "gmail-quoted-de")
    sample = gmail(s)
    head, _sep, rest = sample.text.partition("\n\n")
    sample.text = (
        head + "\n\n" + "\n".join(f"> {line}" if line else ">" for line in rest.splitlines()) + "\n"
    )
    emit(manifest, s, sample)
    # Windows line endings and a byte-order mark in the text part
    s = scenario("nl", "outlook-crlf-nl")
    sample = outlook_desktop(s)
    sample.text = "\ufeff" + sample.text.replace("\n", "\r\n")
    emit(manifest, s, sample)


def attached_message(s: Scenario, charset: str = "utf-8") -> EmailMessage:
    """The original as its sender's client sent it."""
    inner = EmailMessage(policy=default)
    inner["From"] = formataddr((s.sender.name, s.sender.address))
    inner["To"] = ", ".join(formataddr((p.name, p.address)) for p in s.to)
    if s.cc:
        inner["Cc"] = ", ".join(formataddr((p.name, p.address)) for p in s.cc)
    inner["Subject"] = s.subject
    inner["Date"] = format_datetime(s.sent.astimezone(timezone(timedelta(minutes=s.offset))))
    inner["Message-ID"] = f"<{s.key}.original@{s.sender.address.split('@')[1].lower()}>"
    inner["References"] = f"<{s.key}.earlier@northwind.example>"
    inner["In-Reply-To"] = f"<{s.key}.earlier@northwind.example>"
    inner.set_content(s.body_text() + "\n", charset=charset)
    inner.add_alternative(
        f"<html><body>{s.body_html()}</body></html>", subtype="html", charset=charset
    )
    return inner


def attachment_forwards(manifest: dict) -> None:
    cases = (
        ("attached-outlook-en", "en", "FW", "rfc822"),
        ("attached-gmail-fr", "fr", "Fwd", "rfc822"),
        ("attached-thunderbird-de", "de", "[Fwd", "rfc822"),
        ("attached-octet-stream-es", "es", "Fwd", "octet"),
        ("attached-apple-ja", "ja", "Fwd", "rfc822"),
        ("attached-outlook-pl", "pl", "PD", "rfc822"),
        ("attached-gmail-ru", "ru", "Fwd", "octet"),
        ("attached-webmail-sv", "sv", "VB", "rfc822"),
    )
    for key, language, prefix, how in cases:
        s = scenario(language, key)
        inner = attached_message(s)
        subject = f"[Fwd: {s.subject}]" if prefix == "[Fwd" else f"{prefix}: {s.subject}"
        attachment = (
            inner
            if how == "rfc822"
            else (
                f"{s.subject}.eml",
                "application",
                "octet-stream",
                fixed_boundaries(inner, f"{key}-inner").as_bytes(policy=default),
            )
        )
        message = build(key, subject, s.note + "\n", f"<div>{escape(s.note)}</div>", s.forwarded,
                        attachments=[attachment])  # fmt: skip
        write(FORWARDS_DIR, key, message)
        manifest[f"{key}.eml"] = {
            "language": language, "kind": "attachment", "sender_name": s.sender.name,
            "sender_address": s.sender.address.lower(), "subject": s.subject,
            "date": s.sent.isoformat(), "date_text": inner["Date"],
            "to": [p.address.lower() for p in s.to], "cc": [p.address.lower() for p in s.cc],
            "body_contains": s.body[1], "note_contains": s.note, "chain_length": 1,
            "attachments": [], "client": None, "html": True,
            "message_id": inner["Message-ID"], "in_reply_to": inner["In-Reply-To"],
        }  # fmt: skip


def nested_forwards(manifest: dict) -> None:
    """Forwards of forwards: the colleague forwarded the customer's mail, Ines forwards that."""

    def relay(s: Scenario) -> Scenario:
        return replace_scenario(s, sender=COLLEAGUE, to=[FORWARDER], cc=[], verbatim=True,
                                subject=f"FW: {s.subject}", sent=s.sent + timedelta(minutes=40))  # fmt: skip

    # Gmail forwarding an Outlook forward
    s = scenario("en", "nested-gmail-outlook-en")
    inner = outlook_desktop(s)
    r = relay(s)
    r.body = tuple(inner.text.splitlines())
    outer = gmail(r)
    outer.subject = f"Fwd: FW: {s.subject}"
    _emit_nested(manifest, s, r, outer, inner)
    # Outlook forwarding an Outlook forward (FW: FW:)
    s = scenario("fr", "nested-outlook-outlook-fr")
    inner = outlook_desktop(s)
    r = relay(s)
    r.subject = f"TR: {s.subject}"
    r.body = tuple(inner.text.splitlines())
    outer = outlook_desktop(r)
    outer.html = None
    _emit_nested(manifest, s, r, outer, inner)
    # Apple Mail forwarding an Apple Mail forward (nested ">")
    s = scenario("de", "nested-apple-apple-de")
    inner = apple(s, style=0)
    r = relay(s)
    r.subject = f"Fwd: {s.subject}"
    r.body = tuple(inner.text.splitlines())
    outer = apple(r, style=0)
    outer.html = None
    _emit_nested(manifest, s, r, outer, inner)
    # Thunderbird forwarding a Gmail forward
    s = scenario("es", "nested-thunderbird-gmail-es")
    inner = gmail(s)
    r = relay(s)
    r.subject = f"Fwd: {s.subject}"
    r.body = tuple(inner.text.splitlines())
    outer = thunderbird(r)
    outer.html = None
    _emit_nested(manifest, s, r, outer, inner)
    # forward as attachment of an inline Gmail forward
    s = scenario("it", "nested-attached-gmail-it")
    inner = gmail(s)
    attached = build(f"{s.key}-inner", inner.subject, inner.text, inner.html,
                     (s.sent + timedelta(minutes=40)).astimezone(s.zone), sender=COLLEAGUE,
                     to=FORWARDER.address)  # fmt: skip
    message = build(
        s.key, f"I: {inner.subject}", "Vedi sotto.\n", None, s.forwarded, attachments=[attached]
    )
    write(FORWARDS_DIR, s.key, message)
    manifest[f"{s.key}.eml"] = expectation(s, inner, kind="attachment", chain_length=2, note_contains="Vedi sotto.",
                                           client=None, chain_senders=[s.sender.address.lower(), COLLEAGUE.address])  # fmt: skip
    # an inline forward whose original carried a file
    s = scenario("en", "gmail-with-attachment-en")
    pdf = (
        "menu-2026.pdf",
        "application",
        "pdf",
        b"%PDF-1.4\n% menu\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    )
    emit(manifest, s, gmail(s), files=[pdf], attachments=["menu-2026.pdf"])


def replace_scenario(s: Scenario, **changes) -> Scenario:
    values = {name: getattr(s, name) for name in s.__dataclass_fields__}
    values.update(changes)
    return Scenario(**values)


def _emit_nested(
    manifest: dict, s: Scenario, relay: Scenario, outer: Sample, inner: Sample
) -> None:
    message = build(s.key, outer.subject, outer.text, outer.html, s.forwarded + timedelta(hours=1),
                    headers=outer.headers, charset=outer.charset)  # fmt: skip
    write(FORWARDS_DIR, s.key, message)
    manifest[f"{s.key}.eml"] = expectation(
        s, inner, chain_length=2, note_contains=relay.note, client=outer.client,
        chain_senders=[s.sender.address.lower(), COLLEAGUE.address], html=outer.html is not None,
    )  # fmt: skip


# -- not forwards --------------------------------------------------------------------------------

GMAIL_REPLY = {
    "en": "On {date} {name} <{address}> wrote:",
    "fr": "Le {date}, {name} <{address}> a écrit :",
    "de": "Am {date} schrieb {name} <{address}>:",
    "es": "El {date}, {name} (<{address}>) escribió:",
    "it": "Il giorno {date} {name} <{address}> ha scritto:",
    "nl": "Op {date} schreef {name} <{address}>:",
    "pt-BR": "Em {date}, {name} <{address}> escreveu:",
    "pl": "{date} {name} <{address}> napisał(a):",
}
REPLY_PREFIX = {"en": "RE", "fr": "RE", "de": "AW", "es": "RE", "it": "R", "nl": "RE", "pt": "RES",
                "pt-BR": "RES", "sv": "SV", "da": "SV", "no": "SV", "fi": "VS", "pl": "Odp", "cs": "RE",
                "ja": "RE", "ru": "RE", "tr": "YNT", "hu": "VÁ"}  # fmt: skip


def not_forwards(manifest: dict) -> None:
    def save(key: str, message: EmailMessage, why: str) -> None:
        write(NOT_FORWARDS_DIR, key, message)
        manifest[f"{key}.eml"] = {"why": why}

    for language, pattern in GMAIL_REPLY.items():
        s = scenario(language, f"reply-gmail-{language}")
        date = format_date(GMAIL_DATE[language], language, s.local, gmail=True)
        text = (f"{s.note}\n\n{pattern.format(date=date, name=s.sender.name, address=s.sender.address)}\n\n"
                f"{s.body_text('> ')}\n")  # fmt: skip
        save(s.key, build(s.key, f"Re: {s.subject}", text, None, s.forwarded, sender=FORWARDER,
                          to=s.sender.address), f"Gmail reply ({language})")  # fmt: skip
    for language, prefix in REPLY_PREFIX.items():
        if language not in OUTLOOK_LABELS:
            continue
        s = scenario(language, f"reply-outlook-{language}")
        sample = outlook_desktop(s)
        save(s.key, build(s.key, f"{prefix}: {s.subject}", sample.text, sample.html, s.forwarded,
                          to=s.sender.address, charset=sample.charset),
             f"Outlook reply ({language}): the same block as a forward, under a reply subject")  # fmt: skip
    s = scenario("en", "reply-outlook-web-en")
    sample = outlook_web(s)
    save(
        s.key,
        build(s.key, f"RE: {s.subject}", sample.text, sample.html, s.forwarded),
        "Outlook on the web reply",
    )
    s = scenario("en", "reply-apple-en")
    text = f"Yes, 40 is fine.\n\n> On 24 Nov 2026, at 18:02, {s.sender.text()} wrote:\n> \n{s.body_text('> ')}\n"
    save(s.key, build(s.key, f"Re: {s.subject}", text, None, s.forwarded), "Apple Mail reply")
    s = scenario("en", "reply-thunderbird-en")
    text = f"Yes, 40 is fine.\n\nOn 24/11/2026 18:02, {s.sender.name} wrote:\n{s.body_text('> ')}\n"
    save(s.key, build(s.key, f"Re: {s.subject}", text, None, s.forwarded), "Thunderbird reply")
    s = scenario("en", "reply-to-forward-en")
    forwarded = gmail(s)
    quoted = "\n".join(f"> {line}" if line else ">" for line in forwarded.text.splitlines())
    text = f"Done, quote sent.\n\nOn Wed, Nov 25, 2026 at 9:12 AM Ines Alvarez <ines@northwind.example> wrote:\n\n{quoted}\n"
    save(s.key, build(s.key, f"Re: Fwd: {s.subject}", text, None, s.forwarded, sender=COLLEAGUE),
         "a reply to a forward: it quotes the forward")  # fmt: skip
    s = scenario("en", "reply-unprefixed-quoting-forward-en")
    save(s.key, build(s.key, "Catering quote", text, None, s.forwarded, sender=COLLEAGUE),
         "a reply whose subject was edited: the reply line comes before the quoted forward")  # fmt: skip
    s = scenario("en", "fwd-attribution-without-address-en")
    text = f"FYI\n\nOn Tuesday, {s.sender.name} wrote:\n{s.body_text('> ')}\n"
    save(s.key, build(s.key, f"Fwd: {s.subject}", text, None, s.forwarded),
         "a forward subject over a quote whose line names no address: nobody to credit")  # fmt: skip
    newsletters(save)
    header_lines(save)
    calendar(save)
    robots(save)


def newsletters(save) -> None:
    bulk = {"List-Unsubscribe": "<https://news.harbourfoods.example/u/8812>, <mailto:unsubscribe@news.harbourfoods.example>",
            "List-Id": "Harbour Foods news <news.harbourfoods.example>", "Precedence": "bulk"}  # fmt: skip
    sender = Person("Harbour Foods", "news@harbourfoods.example")
    when = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    text = ("Our December menu is out!\n\nFrom: The Harbour Foods kitchen\nTo: all our customers\n"
            "Date: 20 November 2026\nSubject: Winter specials\n\nTry the new chestnut soup.\n")  # fmt: skip
    save("newsletter-quoting-headers-en", build("newsletter-quoting-headers-en", "Winter specials", text, None, when,
                                                sender=sender, headers=bulk), "a newsletter quoting headers")  # fmt: skip
    text = ("In case you missed it:\n\n---------- Forwarded message ---------\nFrom: Chef Anna <anna@harbourfoods.example>\n"
            "Date: Mon, Nov 16, 2026 at 10:00 AM\nSubject: Chestnut season\nTo: news@harbourfoods.example\n\n"
            "Chestnuts are here.\n")  # fmt: skip
    save("newsletter-with-separator-en", build("newsletter-with-separator-en", "This week at Harbour Foods", text, None,
                                               when, sender=sender, headers=bulk),
         "a newsletter that pastes a forwarded block, without a forward subject")  # fmt: skip
    text = ("________________________________\nFrom: Chef Anna <anna@harbourfoods.example>\nSent: Monday, November 16, 2026 10:00 AM\n"
            "To: news@harbourfoods.example\nSubject: Chestnut season\n\nChestnuts are here.\n")  # fmt: skip
    save("newsletter-fw-subject-en", build("newsletter-fw-subject-en", "FW: Chestnut season", text, None, when,
                                           sender=sender, headers=bulk),
         "bulk mail with a forward subject but only Outlook's reply-or-forward rule")  # fmt: skip
    text = ("Bonjour,\n\nDe : l'équipe commerciale\nÀ : nos clients\nObjet : nouveaux tarifs\n\n"
            "Nos tarifs changent au 1er janvier.\n")  # fmt: skip
    save("newsletter-quoting-headers-fr", build("newsletter-quoting-headers-fr", "Nouveaux tarifs 2027", text, None,
                                                when, sender=sender, headers=bulk), "une lettre d'information")  # fmt: skip


def header_lines(save) -> None:
    when = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    customer = Person("Sue Miller", "sue.miller@harbourfoods.example")
    cases = (
        ("delivery-note-en", "Delivery note 4411",
         "From: Warehouse Lyon\nTo: Harbour Foods\nDate: 24/11/2026\nSubject: Delivery note 4411\n\n12 boxes, 3 pallets.\n"),
        ("transfer-form-en", "Transfer form",
         "Please fill in and return:\n\nFrom: ______________\nTo: ______________\nDate: ______________\n"),
        ("signature-from-line-de", "Rückfrage zum Angebot",
         "Hallo Ines,\n\nkurze Rückfrage zum Angebot.\n\nVon: Jürgen Weiß\nBetreff: Ihr Angebot vom 20.11.\n\nGrüße\n"),
        ("log-paste-en", "Mail server log",
         "Here is the log:\n\nFrom: <bounce@mx.example> size=4411\nTo: <sue@harbourfoods.example>\nDate: Tue Nov 24 18:02:11 2026\n"),
        ("direct-mail-en", "Catering for 40 people", "Hello Ines,\n\nCould you quote catering for 40 people?\n\nSue\n"),
        ("direct-mail-ja", "お見積もりのお願い", "Ines様\n\n40名分のお見積もりをお願いいたします。\n\n山田\n"),
        ("direct-mail-fr", "Demande de devis", "Bonjour,\n\nDe : notre côté, tout est prêt.\nÀ bientôt,\nÉlodie\n"),
        ("header-lines-only-en", "FW: notes",
         "From: a\nFrom: b\nFrom: c\nTo: d\nTo: e\nSubject:\nDate:\nFrom:\n" * 20),
        ("fwd-without-block-en", "Fwd: Catering for 40 people",
         "See below.\n\nHello Ines,\nWe would like the same menu as last year.\nSue\n"),
        ("begin-forwarded-prose-en", "Fwd: the menu",
         "Begin forwarded message:\n\nsorry, I deleted the original, it asked for a quote for 40 people.\n"),
        ("mentions-forwarded-message-en", "Question",
         "Did you get my forwarded message? ---------- Forwarded message --------- was in the subject.\n"),
    )  # fmt: skip
    for key, subject, text in cases:
        save(
            key, build(key, subject, text, None, when, sender=customer), f"not a forward: {subject}"
        )


ICS = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:{method}
BEGIN:VEVENT
ORGANIZER;CN="Sue Miller":mailto:sue.miller@harbourfoods.example
ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:ines@northwind.example
DTSTART:20261203T140000Z
DTEND:20261203T150000Z
SUMMARY:Tasting
UID:040000008200E00074C5B7101A82E00800000000
END:VEVENT
END:VCALENDAR
"""


def calendar(save) -> None:
    when = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    customer = Person("Sue Miller", "sue.miller@harbourfoods.example")
    invitation = build("invitation-outlook-en", "Tasting", "When: Thursday, December 3, 2026 3:00 PM\n", None, when,
                       sender=customer)  # fmt: skip
    invitation.add_alternative(
        ICS.format(method="REQUEST"), subtype="calendar", params={"method": "REQUEST"}
    )
    save("invitation-outlook-en", invitation, "an Outlook meeting request")
    text = ("-----Original Appointment-----\nFrom: Sue Miller <sue.miller@harbourfoods.example>\n"
            "Sent: Tuesday, November 24, 2026 4:30 PM\nTo: Ines Alvarez\nSubject: Tasting\n"
            "When: Thursday, December 3, 2026 3:00 PM-4:00 PM (UTC+01:00) Brussels, Copenhagen, Madrid, Paris.\n"
            "Where: Harbour Foods, Lyon\n\nLet's taste the menu.\n")  # fmt: skip
    forwarded = build("invitation-forwarded-en", "FW: Tasting", text, None, when)
    forwarded.add_alternative(
        ICS.format(method="REQUEST"), subtype="calendar", params={"method": "REQUEST"}
    )
    save("invitation-forwarded-en", forwarded, "a forwarded meeting request (text/calendar)")
    save("invitation-forwarded-block-en", build("invitation-forwarded-block-en", "FW: Tasting", text, None, when),
         "a forwarded appointment block (When/Where), no calendar part")  # fmt: skip
    google = build("invitation-google-fr", "Invitation: Dégustation @ jeu. 3 déc. 2026 15:00 - 16:00 (CET)",
                   "Vous avez été invité à l'événement suivant.\n\nDe : Sue Miller\nQuand : jeu. 3 déc. 2026\n", None, when,
                   sender=customer)  # fmt: skip
    google.add_alternative(
        ICS.format(method="REQUEST"), subtype="calendar", params={"method": "REQUEST"}
    )
    google.add_attachment(ICS.format(method="REQUEST").encode(), maintype="application", subtype="ics",
                          filename="invite.ics")  # fmt: skip
    save("invitation-google-fr", google, "a Google Calendar invitation")


def robots(save) -> None:
    when = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    original = build("bounced", "Fwd: Catering", "see below\n", None, when)
    report = EmailMessage(policy=default)
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.northwind.example>"
    report["To"] = FORWARDER.address
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Date"] = format_datetime(when)
    report["Message-ID"] = "<dsn.1@mx.northwind.example>"
    report.set_content(
        "This is the mail system at host mx.northwind.example.\n\nI'm sorry to have to inform you...\n"
    )
    report.make_mixed()
    report.add_attachment(original)
    report.replace_header(
        "Content-Type", report["Content-Type"].replace("multipart/mixed", "multipart/report")
    )
    save(
        "bounce-with-forward-en",
        report,
        "a delivery status notification carrying the bounced forward",
    )
    auto = build("auto-reply-en", "Automatic reply: Catering for 40 people",
                 "I am out of the office until Monday.\n", None, when,
                 headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"})  # fmt: skip
    save("auto-reply-en", auto, "an out-of-office reply")
    digest = build("digest-en", "Harbour Foods customers digest, Vol 3, Issue 12", "Today's topics:\n", None, when,
                   headers={"List-Id": "<customers.harbourfoods.example>", "Precedence": "list",
                            "List-Unsubscribe": "<mailto:customers-leave@harbourfoods.example>"})  # fmt: skip
    digest.add_attachment(build("digest-1", "Opening hours", "We open at 8.\n", None, when))
    save("digest-en", digest, "a mailing-list digest of messages")
    s = scenario("en", "list-post-original-message-en")
    text = ("Forwarding for the group.\n\n-----Original Message-----\nFrom: Chef Anna <anna@harbourfoods.example>\n"
            "Sent: Monday, November 16, 2026 10:00 AM\nTo: team@harbourfoods.example\nSubject: Rota\n\nRota attached.\n")  # fmt: skip
    save(s.key, build(s.key, "Rota", text, None, when, headers={"List-Id": "<team.harbourfoods.example>",
                                                             "List-Unsubscribe": "<mailto:leave@harbourfoods.example>"}),
         "a list post quoting an Original Message block without a forward subject")  # fmt: skip


OUTLOOK_MAC_2019 = {  # Outlook for Mac 2019: an attribution line over the indented original
    "en": ('On {date}, "{name}" <{address}> wrote:', "{mm}/{dd}/{yy}, {h}:{MM} {AP}"),
    "cs": ("Dne {date}, {name} <{address}> napsal(a):", "{dd}/{mm}/{Y} {HH}:{MM}"),
    "da": ('D. {date} skrev "{name}" <{address}>:', "{dd}/{mm}/{Y} {HH}.{MM}"),
    "de": ('Am {date} schrieb "{name}" <{address}>:', "{dd}/{mm}/{Y}, {HH}:{MM}"),
    "es": ('El {date}, "{name}" <{address}> escribió:', "{dd}/{mm}/{Y} {HH}:{MM}"),
    "fi": ("{name} <{address}> kirjoitti {date}:", "{dd}/{mm}/{Y} {HH}.{MM}"),
    "fr": ("Le {date}, « {name} » <{address}> a écrit :", "{dd}/{mm}/{Y} {HH}:{MM}"),
    "hu": ("{date} időpontban {name} ({address}) ezt írta:", "{dd}/{mm}/{Y} {HH}:{MM}"),
    "it": ('Il giorno {date} "{name}" <{address}> ha scritto:', "{dd}/{mm}/{Y}, {HH}:{MM}"),
    "nl": ("Op {date} heeft {name} <{address}> geschreven:", "{dd}/{mm}/{Y} {HH}:{MM}"),
    "no": ("{name} <{address}> skrev følgende den {date}:", "{dd}/{mm}/{Y}, {HH}:{MM}"),
    "pl": ("Dnia {date} użytkownik „{name}” <{address}> napisał:", "{dd}/{mm}/{Y}, {HH}:{MM}"),
    "pt": ('Em {date}, "{name}" <{address}> escreveu:', "{dd}/{mm}/{yy}, {HH}:{MM}"),
    "ru": ('{date} пользователь "{name}" <{address}> написал:', "{dd}/{mm}/{Y}, {HH}:{MM}"),
    "sk": ("{date} používateľ {name} (<{address}>) napísal:", "{dd}/{mm}/{Y} {HH}:{MM}"),
    "sv": ('Den {date} skrev "{name}" <{address}> följande:', "{dd}/{mm}/{Y} {HH}:{MM}"),
    "tr": ('"{name}" <{address}>, {date} tarihinde şunu yazdı:', "{dd}/{mm}/{Y} {HH}:{MM}"),
}


def attribution_forwards(manifest: dict, others: dict) -> None:
    """Forwards whose original sits under an attribution line, as Outlook for Mac 2019 writes."""
    for language in OUTLOOK_MAC_2019:
        s = scenario(language, f"outlook-mac-2019-{language}")
        template, date_pattern = OUTLOOK_MAC_2019[language]
        date = format_date(date_pattern, language, s.local)
        line = template.format(date=date, name=s.sender.name, address=s.sender.address)
        prefix = OUTLOOK_MAC.get(language, ("", "", "", "", "", "FW"))[5]
        text = (
            f"{s.note}\n\n{line}\n\n"
            + "\n".join(f"    {row}" if row else "" for row in s.body_text().splitlines())
            + "\n"
        )
        sample = Sample(f"{prefix}: {s.subject}", text, None, date, False, "outlook",
                        {"User-Agent": "Microsoft-MacOutlook/16.54.21101001"})  # fmt: skip
        emit(manifest, s, sample, to=[], cc=[])
    # a forward of a quoted reply: Apple Mail's "Am ... schrieb ...:" over the quote
    s = scenario("de", "quoted-reply-forwarded-de")
    date = format_date("{dd}.{mm}.{Y} um {HH}:{MM}", "de", s.local)
    text = f"Zur Info.\n\nAm {date} schrieb {s.sender.text()}:\n\n{s.body_text('> ')}\n"
    sample = Sample(f"WG: {s.subject}", text, None, date, False, None)
    emit(manifest, s, sample, to=[], cc=[], note_contains="Zur Info.")
    # the same line over text that is neither quoted nor indented: a reply pasted, not a forward
    s = scenario("de", "attribution-unquoted-de")
    text = f"Zur Info.\n\nAm {date} schrieb {s.sender.text()}:\n{s.body_text()}\n"
    write(NOT_FORWARDS_DIR, s.key, build(s.key, f"WG: {s.subject}", text, None, s.forwarded))
    others[f"{s.key}.eml"] = {
        "why": "an attribution line over text that is neither quoted nor indented"
    }
    (NOT_FORWARDS_DIR / "manifest.json").unlink(missing_ok=True)


# -- the rest of the world (issue 18) ---------------------------------------------------------------
# Generated after every earlier sample (the scenario counter runs on), so that those stay unchanged.


def world_forwards(manifest: dict) -> None:
    """The common clients in 18 more languages, then the families of mail seen in the wild."""
    for template, name in ((gmail, "gmail"), (outlook_desktop, "outlook-desktop"),
                           (outlook_web, "outlook-web"), (thunderbird, "thunderbird")):  # fmt: skip
        for language in WORLD_LANGUAGES:
            s = scenario(language, f"{name}-{language}")
            emit(manifest, s, template(s))
    for index, language in enumerate(WORLD_LANGUAGES):
        s = scenario(language, f"apple-{language}")
        emit(manifest, s, apple(s, style=index % 3))
    # Outlook and Windows Mail in Cyrillic: the From line names the sender, the link holds the address
    for language in ("ru", "uk", "bg", "sr"):
        s = scenario(language, f"outlook-name-only-mailto-{language}")
        link = f'<a href="mailto:{s.sender.address}">{escape(s.sender.name)}</a>'
        emit(manifest, s, outlook_desktop(s, text_from=s.sender.name, html_from=link))
    for language in ("ru", "en", "uk"):
        s = scenario(language, f"windows-mail-{language}", cc=[])
        emit(manifest, s, windows_mail(s), to=[None], to_names=[FORWARDER.name])
    for language in ("fr", "fr-quoted"):
        s = scenario("fr", f"orange-{language}")
        emit(manifest, s, orange(s, quoted=language == "fr-quoted"))
    s = scenario("fr", "laposte-fr")
    emit(manifest, s, laposte(s))
    for brand, language in (("gmx", "de"), ("webde", "de"), ("gmx", "en")):
        s = scenario(language, f"{brand}-{language}")
        emit(manifest, s, gmx(s, brand))
    for language in ("it", "es", "pt", "pt-BR"):
        s = scenario(language, f"outlook-mac-reply-to-{language}")
        emit(manifest, s, outlook_mac(s, OUTLOOK_MAC_REPLY_TO[language]))
    for language, key in (("en", "blackberry-en"), ("de", "blackberry-de"), ("fr", "mobile-fr")):
        s = scenario(language, key, cc=[])
        emit(manifest, s, blackberry(s))
    s = scenario("en", "date-first-unreadable-en", cc=[])
    sample = date_first_unreadable(s)
    emit(manifest, s, sample, date=None, body_contains="")
    s = scenario("en", "gmail-message-id-folded-cc-en",
                 cc=[Person("Tom Baker", "tom.baker@harbourfoods.example"),
                     Person("Ann Miller", "ann.miller@harbourfoods.example")])  # fmt: skip
    emit(manifest, s, gmail_header_dump(s))
    s = scenario("ja", "yahoo-japan-ja")
    emit(manifest, s, yahoo_japan(s))
    s = scenario("zh", "qq-zh")
    emit(manifest, s, qq(s))
    s = scenario("zh", "netease-163-zh", cc=[])
    emit(manifest, s, netease(s))
    s = scenario("ru", "mailru-ru", cc=[])
    emit(manifest, s, mailru(s))
    s = scenario("ru", "yandex-ru")
    emit(manifest, s, yandex(s), to=[], cc=[])
    s = scenario("ko", "naver-ko")
    emit(manifest, s, naver(s))
    # the webmails' HTML alone (no text/plain part): their markup is all there is to read
    for name, language, template in (("gmx", "de", lambda s: gmx(s, "gmx")), ("qq", "zh", qq),
                                     ("yandex", "ru", yandex), ("orange", "fr", orange),
                                     ("windows-mail", "ru", windows_mail)):  # fmt: skip
        s = scenario(language, f"html-only-{name}-{language}", cc=[])
        sample = template(s)
        sample.text = None
        extra = {"to": [], "cc": []} if name == "yandex" else {}
        if name == "windows-mail":
            extra = {"to": [None], "to_names": [FORWARDER.name]}
        emit(manifest, s, sample, **extra)


def windows_mail(s: Scenario) -> Sample:
    """Windows Mail (Windows 10/11): names only in the block, each a mailto: link in the HTML."""
    labels = {"ru": ("От", "Отправлено", "Кому", "Тема", "{d} {M} {Y} г. в {H}:{MM}"),
              "uk": ("Від", "Надіслано", "Кому", "Тема", "{d} {M} {Y} р. о {H}:{MM}"),
              "en": ("From", "Sent", "To", "Subject", "{W}, {M} {d}, {Y} {h}:{MM} {AP}")}[s.language]  # fmt: skip
    date = format_date(labels[4], s.language, s.local)
    to = s.to[0]
    text = (f"{s.note}\n\n{labels[0]}: {s.sender.name}\n{labels[1]}: {date}\n{labels[2]}: {to.name}\n"
            f"{labels[3]}: {s.subject}\n\n{s.body_text()}\n")  # fmt: skip

    def link(person: Person) -> str:
        return f'<a href="mailto:{person.address}">{escape(person.name)}</a>'

    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>'
        '<body lang="RU" link="blue" vlink="#954F72"><div class="WordSection1">'
        f'<p class="MsoNormal">{escape(s.note)}</p><p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        '<div style="mso-element:para-border-div;border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
        f'<p class="MsoNormal" style="border:none;padding:0cm"><b>{labels[0]}: </b>{link(s.sender)}<br>'
        f"<b>{labels[1]}: </b>{escape(date)}<br><b>{labels[2]}: </b>{link(to)}<br>"
        f"<b>{labels[3]}: </b>{escape(s.subject)}</p></div>"
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        + "".join(f'<p class="MsoNormal">{escape(line)}</p>' for line in s.body)
        + "</div></body></html>\n"
    )
    return Sample(f"FW: {s.subject}", text, html, date, False, "outlook",
                  {"X-Mailer": "Microsoft Windows Mail 16.0"})  # fmt: skip


def orange(s: Scenario, quoted: bool = False) -> Sample:
    """Orange's and SFR's webmail: a line of "=" signs, "Message du <date>", De / A / Copie à / Sujet."""
    date = format_date("{dd}/{mm}/{yy} {HH}:{MM}", "fr", s.local)
    cc = ", ".join(p.text() for p in s.cc)
    rows = [f"Message du {date}", f"De : {s.sender.text()}",
            f"A : {', '.join(p.address for p in s.to)}", f"Copie à : {cc}", f"Sujet : {s.subject}"]  # fmt: skip
    rule = "=" * 40
    quote = "> " if quoted else ""
    text = f"{s.note}\n\n{rule}\n" + "\n".join(f"{quote}{row}".rstrip() for row in rows)
    text += f"\n{rule}\n\n{s.body_text(quote)}\n"
    html = (
        f'<html><body><p>{escape(s.note)}</p><br><div class="orange-webmail-forward">{rule}<br>'
        '<blockquote style="border-left: 2px solid #ff7900; padding-left: 8px; margin-left: 4px;">'
        + "<br>".join(escape(row) for row in rows)
        + f"<br></blockquote>{rule}<br><br>"
        + "<br>".join(escape(line) for line in s.body)
        + "</div></body></html>"
    )
    return Sample(f"TR : {s.subject}", text, html, date, False, None,
                  {"X-Mailer": "Orange Messagerie"})  # fmt: skip


def laposte(s: Scenario) -> Sample:
    """La Poste's webmail: the block starts with "Objet :", no separator line."""
    date = format_date("{W} {d} {M} {Y} {HH}:{MM}", "fr", s.local)
    rows = [f"Objet : {s.subject}", f"De : {s.sender.text()}", f"Date : {date}",
            f"À : {', '.join(p.text() for p in s.to)}"]  # fmt: skip
    if s.cc:
        rows.append(f"Cc : {', '.join(p.text() for p in s.cc)}")
    text = f"{s.note}\n\n" + "\n".join(rows) + f"\n\n{s.body_text()}\n"
    html = (
        f'<html><body><div>{escape(s.note)}</div><br><div style="border-left: 2px solid #003da5; '
        'padding: 0 8px; margin: 0 0 0 4px;"><div class="quote-header">'
        + "".join(f"<div>{escape(row)}</div>" for row in rows)
        + "</div><br>"
        + "".join(f"<div>{escape(line)}</div>" for line in s.body)
        + "</div></body></html>"
    )
    return Sample(f"TR: {s.subject}", text, html, date, False, None,
                  {"X-Mailer": "Webmail La Poste"})  # fmt: skip


GMX = {  # Sent, From, To, Cc, Subject, date pattern
    "de": ("Gesendet", "Von", "An", "Cc", "Betreff", "{W}, {d}. {M} {Y} um {HH}:{MM} Uhr"),
    "en": ("Sent", "From", "To", "Cc", "Subject", "{W}, {M} {d}, {Y} at {h}:{MM} {AP}"),
}


def gmx(s: Scenario, brand: str) -> Sample:
    """GMX and web.de: Sent / From / To / Subject, in that order, in the provider's quote markup."""
    sent, sender, to, cc, subject, pattern = GMX[s.language]
    date = format_date(pattern, s.language, s.local)
    rows = [(sent, date), (sender, s.sender.text()), (to, ", ".join(p.address for p in s.to))]
    if s.cc:
        rows.append((cc, ", ".join(p.text() for p in s.cc)))
    rows.append((subject, s.subject))
    text = (
        f"{s.note}\n \n \n\n" + "\n".join(f"{k}: {v}" for k, v in rows) + f"\n\n{s.body_text()}\n"
    )
    quote = ('<div name="quote" style="margin:10px 5px 5px 10px; padding: 10px 0 10px 10px; '
             'border-left:2px solid #C3D9E5; word-wrap: break-word;">' if brand == "webde" else
             '<div style="margin: 10.0px 5.0px 5.0px 10.0px;padding: 10.0px 0 10.0px 10.0px;'
             'border-left: 2.0px solid rgb(195,217,229);word-wrap: break-word;">')  # fmt: skip
    html = (
        '<html><head></head><body><div style="font-family: Verdana;font-size: 12.0px;">'
        f"<div>{escape(s.note)}</div><div>&nbsp;</div><div>&nbsp;<div>&nbsp;{quote}"
        '<div style="margin:0 0 10px 0;">'
        + "<br/>\n".join(f"<b>{k}:</b>&nbsp;{escape(v)}" for k, v in rows)
        + '</div><div name="quoted-content">'
        + "<br/>\n".join(escape(line) for line in s.body)
        + "</div></div></div></div></div></body></html>"
    )
    mailer = "GMX Freemail" if brand == "gmx" else "WEB.DE Freemail"
    return Sample(f"Fwd: {s.subject}", text, html, date, False, None,
                  {"X-UI-Message-Type": "mail", "X-Provags-ID": f"V03:K1:{brand}", "X-Mailer": mailer})  # fmt: skip


OUTLOOK_MAC_REPLY_TO = {  # Outlook for Mac with a Reply-To line under the From line
    "it": ("Da", "Data", "A", "Cc", "Oggetto", "I", "{W}, {d} {M} {Y} {HH}:{MM}", "Risposta"),
    "es": (
        "De",
        "Fecha",
        "Para",
        "CC",
        "Asunto",
        "RV",
        "{W}, {d} de {M} de {Y}, {HH}:{MM}",
        "Responder a",
    ),
    "pt": (
        "De",
        "Data",
        "Para",
        "Cc",
        "Assunto",
        "FW",
        "{W}, {d} de {M} de {Y} às {HH}:{MM}",
        "Responder A",
    ),
    "pt-BR": (
        "De",
        "Data",
        "Para",
        "Cc",
        "Assunto",
        "ENC",
        "{W}, {d} de {M} de {Y} às {HH}:{MM}",
        "Responder a",
    ),
}


def blackberry(s: Scenario) -> Sample:
    """BlackBerry and older mobile clients: "-----Original Message-----", blank lines between lines."""
    separator = {"en": "-----Original Message-----", "de": "-----Ursprüngliche Nachricht-----",
                 "fr": "-----Message d'origine-----"}[s.language]  # fmt: skip
    labels = {"en": ("From", "Sender", "Date", "To", "Subject", "FW"),
              "de": ("Von", "Sender", "Datum", "An", "Betreff", "WG"),
              "fr": ("De", "Sender", "Date", "À", "Objet", "TR")}[s.language]  # fmt: skip
    if s.language == "en":  # the device's zone is not written: the forwarder's is assumed
        date = format_date("{W3}, {d} {M3} {Y} {HH}:{MM}:{SS}", "en", s.local)
    else:
        date = format_datetime(s.sent.astimezone(s.zone))
    rows = [(labels[0], s.sender.text()), (labels[1], s.sender.address), (labels[2], date),
            (labels[3], ", ".join(f"<{p.address}>" for p in s.to)), (labels[4], s.subject)]  # fmt: skip
    note = f"{s.note}\nSent from my BlackBerry® smartphone"
    text = f"{note}\n\n{separator}\n" + "\n\n".join(f"{colon(s.language, k)} {v}" for k, v in rows)
    text += f"\n\n{s.body_text()}\n"
    return Sample(f"{labels[5]}: {s.subject}", text, None, date, True, None,
                  {"X-Mailer": "BlackBerry Email (10.3.3.3216)"})  # fmt: skip


def date_first_unreadable(s: Scenario) -> Sample:
    """A block that starts with Date:, holds a date no parser can read, and ends the mail."""
    date = "Tuesday evening, week 48"
    text = (f"{s.note}\n\n---------- Forwarded message ---------\nDate: {date}\n"
            f"From: {s.sender.text()}\nSubject: {s.subject}\nTo: {', '.join(p.text() for p in s.to)}\n")  # fmt: skip
    return Sample(f"Fwd: {s.subject}", text, None, date, False, None, {"X-Mailer": "K-9 Mail"})


def gmail_header_dump(s: Scenario) -> Sample:
    """A Gmail separator over Date: and Message-ID: before From:, the Cc folded over two lines."""
    date = format_datetime(s.sent.astimezone(s.zone))
    first, second = s.cc
    text = (f"{s.note}\n\n---------- Forwarded message ---------\nDate: {date}\n"
            f"Message-ID: <CAK{zlib.crc32(s.key.encode()):08x}@mail.harbourfoods.example>\n"
            f"From: {s.sender.text()}\nTo: {', '.join(p.text() for p in s.to)}\n"
            f"Cc: {first.text()},\n\t{second.text()}\nSubject: {s.subject}\n\n\n{s.body_text()}\n")  # fmt: skip
    return Sample(f"Fwd: {s.subject}", text, None, date, True, None)


def yahoo_japan(s: Scenario) -> Sample:
    """Yahoo! JAPAN mail: "----- 転送メッセージ -----" and Japanese labels."""
    weekday = "月火水木金土日"[s.local.weekday()]
    date = format_date(f"{{Y}}/{{mm}}/{{dd}} ({weekday}) {{HH}}:{{MM}}", "ja", s.local)
    rows = [("差出人", f'"{s.sender.name}" <{s.sender.address}>'),
            ("宛先", ", ".join(p.address for p in s.to))]  # fmt: skip
    if s.cc:
        rows.append(("CC", ", ".join(p.address for p in s.cc)))
    rows += [("送信日時", date), ("件名", s.subject)]
    text = f"{s.note}\n\n----- 転送メッセージ -----\n" + "\n".join(f"{k}: {v}" for k, v in rows)
    text += f"\n\n{s.body_text()}\n"
    html = (
        f'<html><body><div>{escape(s.note)}</div><br><div class="yj-forward">'
        "<div>----- 転送メッセージ -----</div>"
        '<blockquote style="margin: 0 0 0 4px; padding-left: 8px; border-left: 2px solid #ff0033;">'
        + "".join(f"<div><b>{k}:</b> {escape(v)}</div>" for k, v in rows)
        + "<br>"
        + "".join(f"<div>{escape(line)}</div>" for line in s.body)
        + "</blockquote></div></body></html>"
    )
    return Sample(f"Fw: {s.subject}", text, html, date, False, None,
                  {"X-Mailer": "Yahoo! JAPAN Mail"}, charset="iso-2022-jp")  # fmt: skip


def _qq_time(local: datetime) -> str:
    part = "上午" if local.hour < 12 else ("下午" if local.hour < 18 else "晚上")
    weekday = "一二三四五六日"[local.weekday()]
    return f"{local.year}年{local.month}月{local.day}日(星期{weekday}) {part}{local.hour % 12 or 12}:{local.minute:02d}"


def qq(s: Scenario) -> Sample:
    """QQ Mail: "原始邮件" between rules of dashes (replies write it too), labels in Chinese."""
    date = _qq_time(s.local)
    rows = [("发件人", f'"{s.sender.name}"<{s.sender.address}>;'), ("发送时间", date),
            ("收件人", "".join(f'"{p.name}"<{p.address}>;' for p in s.to))]  # fmt: skip
    if s.cc:
        rows.append(("抄送", "".join(f'"{p.name}"<{p.address}>;' for p in s.cc)))
    rows.append(("主题", s.subject))
    rule = "-" * 18
    text = f"{s.note}\n\n\n{rule} 原始邮件 {rule}\n" + "\n".join(f"{k}: {v}" for k, v in rows)
    text += f"\n\n\n{s.body_text()}\n"
    html = (
        f"<div>{escape(s.note)}</div><div><br></div><div><br></div>"
        '<div style="font-size: 12px;font-family: Arial Narrow;padding:2px 0 2px 0;">'
        f"{rule}&nbsp;原始邮件&nbsp;{rule}</div>"
        '<div style="font-size: 12px;background:#efefef;padding:8px;">'
        + "".join(f"<div><b>{k}:</b>&nbsp;{escape(v)}</div>" for k, v in rows)
        + "</div><div><br></div>"
        + "".join(f"<div>{escape(line)}</div>" for line in s.body)
    )
    return Sample(f"转发：{s.subject}", text, html, date, False, None,
                  {"X-QQ-Mailer": "QQMail 2.x", "X-QQ-mid": "xmsezb3t1764583337"}, charset="gb18030")  # fmt: skip


def netease(s: Scenario) -> Sample:
    """163 and 126 mail (NetEase): "转发邮件信息", full-width colons."""
    date = format_date("{Y}-{mm}-{dd} {HH}:{MM}:{SS}", "zh", s.local)
    rows = [("发件人", f'"{s.sender.name}" <{s.sender.address}>'), ("发送日期", date),
            ("收件人", ", ".join(f'"{p.name}" <{p.address}>' for p in s.to)), ("主题", s.subject)]  # fmt: skip
    text = f"{s.note}\n\n-------- 转发邮件信息 --------\n" + "\n".join(f"{k}：{v}" for k, v in rows)
    text += f"\n\n{s.body_text()}\n"
    html = (
        f'<div style="line-height:1.7;font-size:14px;font-family:Arial"><div>{escape(s.note)}</div>'
        '<div id="isForwardContent"><div style="font-size:14px;padding:2px 0 2px 0;">-------- 转发邮件信息 --------</div>'
        '<div style="font-size:12px;background:#efefef;padding:8px;">'
        + "".join(f"<div><b>{k}：</b>{escape(v)}</div>" for k, v in rows)
        + "</div><br>"
        + "".join(f"<div>{escape(line)}</div>" for line in s.body)
        + "</div></div>"
    )
    return Sample(f"Fw:{s.subject}", text, html, date, True, "netease",
                  {"X-Mailer": "Coremail Webmail Server Version XT5.0.14"})  # fmt: skip


def _offset_text(s: Scenario) -> str:
    sign = "+" if s.offset >= 0 else "-"
    return f"{sign}{abs(s.offset) // 60:02d}:{abs(s.offset) % 60:02d}"


def mailru(s: Scenario) -> Sample:
    """Mail.ru: "Пересылаемое сообщение", "От кого:", the body in its blue-ruled blockquote."""
    weekday = format_date("{W}", "ru", s.local).capitalize()
    date = format_date(
        f"{weekday}, {{d}} {{M}} {{Y}}, {{HH}}:{{MM}} {_offset_text(s)}", "ru", s.local
    )
    rows = [("От кого", s.sender.text()), ("Кому", ", ".join(p.address for p in s.to)),
            ("Дата", date), ("Тема", s.subject)]  # fmt: skip
    text = f"{s.note}\n\n\n-------- Пересылаемое сообщение --------\n"
    text += "\n".join(f"{k}: {v}" for k, v in rows) + f"\n\n{s.body_text()}\n"
    html = (
        f"<HTML><BODY><div>{escape(s.note)}</div><div>&nbsp;</div><div>&nbsp;</div>"
        "<div>-------- Пересылаемое сообщение --------<br>"
        + "<br>".join(f"{k}: {escape(v)}" for k, v in rows)
        + '<br>&nbsp;<blockquote style="border-left:1px solid #0857A6; margin:10px; padding:0 0 0 10px;">'
        '<div id=""><div class="js-helper js-readmsg-msg"><div id="style_17645833370000000000_BODY">'
        + "<br>".join(escape(line) for line in s.body)
        + "</div></div></div></blockquote></div></BODY></HTML>"
    )
    return Sample(f"Fwd: {s.subject}", text, html, date, False, None,
                  {"X-Mailer": "Mail.Ru Mailer 1.0"})  # fmt: skip


def yandex(s: Scenario) -> Sample:
    """Yandex Mail: the separator, then one line "<date>, "<name>" <address>:" over the original."""
    date = format_date("{dd}.{mm}.{Y}, {HH}:{MM}", "ru", s.local)
    line = f'{date}, "{s.sender.name}" <{s.sender.address}>:'
    text = (f"{s.note}\n\n-------- Пересылаемое сообщение --------\n{line}\n\n{s.body_text()}\n\n"
            "-------- Конец пересылаемого сообщения --------\n")  # fmt: skip
    html = (
        f"<div>{escape(s.note)}</div><div>&nbsp;</div><div>-------- Пересылаемое сообщение --------</div>"
        f"<div>{escape(line)}</div><div>&nbsp;</div><blockquote>"
        + "".join(f"<div>{escape(row)}</div>" for row in s.body)
        + "</blockquote><div>&nbsp;</div><div>-------- Конец пересылаемого сообщения --------</div>"
    )
    return Sample(f"Fwd: {s.subject}", text, html, date, False, None,
                  {"X-Yandex-Forward": "4a1b5c0e8d7f6a2b", "X-Mailer": "Yamail [ http://yandex.ru ] 5.0"})  # fmt: skip


def naver(s: Scenario) -> Sample:
    """Naver Mail: "-----Original Message-----" (replies write it too), English labels, "(화)" dates."""
    weekday = "월화수목금토일"[s.local.weekday()]
    date = format_date(f"{{Y}}-{{mm}}-{{dd}} ({weekday}) {{HH}}:{{MM}}:{{SS}}", "ko", s.local)
    rows = [("From", f'"{s.sender.name}"<{s.sender.address}>'),
            ("To", "".join(f'"{p.name}"<{p.address}>;' for p in s.to)),
            ("Cc", "".join(f'"{p.name}"<{p.address}>;' for p in s.cc)),
            ("Sent", date), ("Subject", s.subject)]  # fmt: skip
    text = f"{s.note}\n\n-----Original Message-----\n" + "\n".join(
        f"{k}: {v}".rstrip() for k, v in rows
    )
    text += f"\n\n{s.body_text()}\n"
    html = (
        f'<div class="__aU">{escape(s.note)}</div><br><blockquote style="border-left: 2px solid #03c75a; '
        'margin: 0 0 0 0.8ex; padding-left: 1ex;"><div>-----Original Message-----</div>'
        + "".join(f"<div><b>{k}:</b> {escape(v)}</div>" for k, v in rows)
        + "<br>"
        + "".join(f"<div>{escape(line)}</div>" for line in s.body)
        + "</blockquote>"
    )
    return Sample(f"FW: {s.subject}", text, html, date, True, None,
                  {"X-Mailer": "NaverMail"})  # fmt: skip


WORLD_REPLY_PREFIX = {"zh": "答复", "zh-TW": "回覆", "ko": "회신", "el": "ΑΠ", "et": "Vs", "lt": "ATS",
                      "lv": "ATB", "bg": "Отг", "sr": "Одг", "sl": "Odg"}  # fmt: skip
WORLD_GMAIL_REPLY = {
    "zh": "{name} <{address}> 于{date}写道：",
    "zh-TW": "{name} <{address}> 於 {date} 寫道：",
    "ko": "{date}, {name} <{address}>님이 작성:",
    "el": "Στις {date}, ο χρήστης {name} <{address}> έγραψε:",
    "he": "בתאריך {date}, {name} <{address}> כתב:",
    "ar": "في {date}، كتب {name} <{address}>:",
    "hi": "{date} को {name} <{address}> ने लिखा:",
    "th": "เมื่อ {date} {name} <{address}> เขียนว่า:",
    "vi": "Vào {date}, {name} <{address}> đã viết:",
    "id": "Pada {date} {name} <{address}> menulis:",
    "et": "{date} kirjutas {name} <{address}>:",
    "bg": "На {date} {name} <{address}> написа:",
    "sr": "{date} {name} <{address}> је написао:",
    "sr-Latn": "{date} {name} <{address}> je napisao:",
    "lt": "{date} {name} <{address}> rašė:",
    "lv": "{date} {name} <{address}> rakstīja:",
    "sl": "{date} je {name} <{address}> napisal:",
    "ca": "El {date}, {name} <{address}> va escriure:",
}


def world_not_forwards(manifest: dict) -> None:
    """Replies, newsletters and digests that look like forwards, in the added languages and webmails."""

    def save(key: str, message: EmailMessage, why: str) -> None:
        write(NOT_FORWARDS_DIR, key, message)
        manifest[f"{key}.eml"] = {"why": why}

    for language in WORLD_LANGUAGES:  # Outlook's block under a reply subject
        s = scenario(language, f"reply-outlook-{language}")
        sample = outlook_desktop(s)
        prefix = WORLD_REPLY_PREFIX.get(language, "RE")
        save(s.key, build(s.key, f"{prefix}: {s.subject}", sample.text, sample.html, s.forwarded,
                          to=s.sender.address, charset=sample.charset),
             f"Outlook reply ({language}): the same block as a forward, under a reply subject")  # fmt: skip
    for language in WORLD_LANGUAGES:  # a reply whose subject lost its prefix, quoting a forward
        s = scenario(language, f"reply-unprefixed-quoting-forward-{language}")
        date = format_date(GMAIL_DATE[language], language, s.local, gmail=True)
        line = WORLD_GMAIL_REPLY[language].format(
            date=date, name=FORWARDER.name, address=FORWARDER.address
        )
        quoted = "\n".join(f"> {row}" if row else ">" for row in gmail(s).text.splitlines())
        save(s.key, build(s.key, s.subject, f"{s.note}\n\n{line}\n\n{quoted}\n", None, s.forwarded,
                          sender=COLLEAGUE),
             f"a reply ({language}) without a prefix: its attribution line comes before the quoted forward")  # fmt: skip
    webmail_replies(save)
    world_newsletters(save)
    digests(save)
    reply_with_attached_mail(save)


def webmail_replies(save) -> None:
    """The webmails' own quote markup under a reply subject: replies, whatever they quote."""
    for key, language, template, prefix in (
        ("reply-qq-zh", "zh", qq, "回复："), ("reply-naver-ko", "ko", naver, "RE: "),
        ("reply-mailru-ru", "ru", mailru, "Re: "), ("reply-yandex-ru", "ru", yandex, "Re: "),
        ("reply-gmx-de", "de", lambda s: gmx(s, "gmx"), "AW: "), ("reply-orange-fr", "fr", orange, "RE : "),
        ("reply-laposte-fr", "fr", laposte, "Re: "), ("reply-yahoo-japan-ja", "ja", yahoo_japan, "Re: "),
        ("reply-blackberry-en", "en", blackberry, "RE: "), ("reply-windows-mail-ru", "ru", windows_mail, "RE: "),
    ):  # fmt: skip
        s = scenario(language, key)
        sample = template(s)
        save(key, build(key, f"{prefix}{s.subject}", sample.text, sample.html, s.forwarded,
                        to=s.sender.address, charset=sample.charset),
             f"a reply written by the webmail of {key.split('-')[1]}: its quote looks like its forwards")  # fmt: skip
    # the quote markup without any forward or reply subject: no evidence of a forward
    for key, language, template in (("quoted-block-no-prefix-gmx-de", "de", lambda s: gmx(s, "gmx")),
                                    ("quoted-block-no-prefix-qq-zh", "zh", qq),
                                    ("quoted-block-no-prefix-naver-ko", "ko", naver),
                                    ("quoted-block-no-prefix-orange-fr", "fr", orange),
                                    ("quoted-block-no-prefix-laposte-fr", "fr", laposte)):  # fmt: skip
        s = scenario(language, key)
        sample = template(s)
        save(key, build(key, s.subject, sample.text, sample.html, s.forwarded, to=s.sender.address,
                        charset=sample.charset),
             "a header block under no separator of its own and no forward subject")  # fmt: skip


def world_newsletters(save) -> None:
    bulk = {"List-Unsubscribe": "<https://news.example/u/1>, <mailto:leave@news.example>",
            "List-Id": "News <news.example>", "Precedence": "bulk"}  # fmt: skip
    when = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    for language, intro in (("zh", "本周精选："), ("ru", "Новости недели:"), ("ko", "이번 주 소식:"),
                            ("ar", "أخبار الأسبوع:"), ("el", "Τα νέα της εβδομάδας:"), ("de", "Die Woche:")):  # fmt: skip
        s = scenario(language, f"newsletter-quoting-headers-{language}")
        labels = OUTLOOK_LABELS.get(language, OUTLOOK_LABELS["en"])
        date = format_date(OUTLOOK_DATE[language], language, s.local)
        text = (f"{intro}\n\n---------- Forwarded message ---------\n{labels[0]}: {s.sender.text()}\n"
                f"{labels[1]}: {date}\n{labels[2]}: news@news.example\n{labels[4]}: {s.subject}\n\n"
                f"{s.body_text()}\n")  # fmt: skip
        save(s.key, build(s.key, s.subject, text, None, when, sender=Person("News", "news@news.example"),
                          headers=bulk),
             f"a newsletter ({language}) pasting a forwarded block, without a forward subject")  # fmt: skip


def digests(save) -> None:
    """Mailing-list digests: header blocks of many messages, in the text or as attached mail."""
    when = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    lists = {"List-Id": "<bakers.lists.example>", "Precedence": "list",
             "List-Unsubscribe": "<mailto:bakers-leave@lists.example>"}  # fmt: skip
    for language in ("en", "ru", "zh"):
        rows = []
        for number, other in enumerate(("en", "de", language), 1):
            s = scenario(other, f"digest-part-{language}-{number}")
            rows.append(f"------------------------------\n\nMessage: {number}\n"
                        f"Date: {format_datetime(s.sent)}\nFrom: {s.sender.text()}\n"
                        f"To: bakers@lists.example\nSubject: {s.subject}\n\n{s.body_text()}\n")  # fmt: skip
        key = f"digest-text-{language}"
        text = "Today's Topics:\n\n   1. Menus\n   2. Prices\n   3. Orders\n\n" + "\n".join(rows)
        save(key, build(key, f"Bakers Digest, Vol 12, Issue {len(rows)}", text, None, when, headers=lists),
             "a plain-text digest: one header block per message")  # fmt: skip
    key = "digest-mime-fwd-subject-ko"
    s = scenario("ko", key)
    digest = build(key, "Fwd: 제빵사 다이제스트 12호", "오늘의 주제:\n", None, when, headers=lists)
    digest.add_attachment(attached_message(s))
    save(key, digest, "a list digest of attached mail, even under a forward subject")


def reply_with_attached_mail(save) -> None:
    """Issue 19: a "Re:" mail carrying an attached mail is a reply with an attachment, not a forward."""
    for key, language, prefix in (("reply-with-attached-mail-en", "en", "Re"),
                                  ("reply-with-attached-mail-de", "de", "AW"),
                                  ("reply-with-attached-mail-zh", "zh", "回复")):  # fmt: skip
        s = scenario(language, key)
        message = build(key, f"{prefix}: {s.subject}", f"{s.note}\n", None, s.forwarded,
                        attachments=[attached_message(s)])  # fmt: skip
        save(key, message, "a reply that carries an attached mail (message/rfc822)")


def main() -> None:
    for folder in (FORWARDS_DIR, NOT_FORWARDS_DIR):
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.eml"):
            old.unlink()
    forwards: dict = {}
    inline_forwards(forwards)
    special_forwards(forwards)
    attachment_forwards(forwards)
    nested_forwards(forwards)
    others: dict = {}
    not_forwards(others)
    attribution_forwards(forwards, others)
    world_forwards(forwards)
    world_not_forwards(others)
    for folder, manifest in ((FORWARDS_DIR, forwards), (NOT_FORWARDS_DIR, others)):
        text = json.dumps(dict(sorted(manifest.items())), ensure_ascii=False, indent=1)
        (folder / "manifest.json").write_text(text + "\n", encoding="utf-8")
    languages = {entry["language"] for entry in forwards.values()}
    print(f"{len(forwards)} forwards in {len(languages)} languages, {len(others)} non-forwards")


if __name__ == "__main__":
    main()
