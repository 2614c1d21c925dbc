"""What mail clients write when they forward a message, per language: the data behind recovery.py.

This module holds tables only, no logic. Each table says which client writes it; a phrase is listed
once per language even when several clients share it. Keys are compared after :func:`fold`
(case-folded, Turkish dotted capitals undone), so the tables are written the way the clients spell
them.

- ``HEADER_LABELS``: the labels of the header block a client writes above the forwarded message
  ("From:", "De :", "Von:", "Kimden:", "差出人:" ...) and the field each one names.
- ``FORWARD_SEPARATORS``: the line a client writes above that block ("---------- Forwarded message
  ---------", "Begin forwarded message:", "-------- Message transféré --------" ...).
- ``AMBIGUOUS_SEPARATORS``: lines clients write above both replies and forwards ("-----Original
  Message-----", Outlook's rule): they only count when the subject says "forward".
- ``SUBJECT_FORWARD_PREFIXES`` / ``SUBJECT_REPLY_PREFIXES``: "Fwd:", "TR:", "WG:", "RV:" ... and
  "Re:", "AW:", "SV:" ... with the languages that use them ("VS:" forwards in Danish and Norwegian
  but replies in Finnish).
- ``REPLY_ATTRIBUTION_WORDS``: the verb of a reply's "On <date>, <name> wrote:" line, which
  Outlook for Mac also writes above forwards; ``ATTRIBUTION_NAME_LEADS``: words before the name.
- ``MONTHS`` and ``ZONE_OFFSETS``: month names as written in dates, and time-zone abbreviations.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "AMBIGUOUS_SEPARATORS",
    "ATTRIBUTION_NAME_LEADS",
    "CALENDAR_LABELS",
    "DATE_LEADS",
    "FIELD_BCC",
    "FIELD_CC",
    "FIELD_DATE",
    "FIELD_FROM",
    "FIELD_IGNORED",
    "FIELD_REPLY_TO",
    "FIELD_SUBJECT",
    "FIELD_TO",
    "FORWARD_SEPARATORS",
    "HEADER_LABELS",
    "LABELS_BY_LANGUAGE",
    "MONTHS",
    "ON_BEHALF_WORDS",
    "REPLY_ATTRIBUTION_WORDS",
    "SUBJECT_FORWARD_PREFIXES",
    "SUBJECT_REPLY_PREFIXES",
    "ZONE_OFFSETS",
    "fold",
]

FIELD_FROM = "from"
FIELD_TO = "to"
FIELD_CC = "cc"
FIELD_BCC = "bcc"
FIELD_DATE = "date"
FIELD_SUBJECT = "subject"
FIELD_REPLY_TO = "reply_to"
FIELD_IGNORED = "ignored"  # Outlook's "Importance:", "Attachments:" lines: part of the block


def fold(text: str) -> str:
    """Return ``text`` case-folded, in NFC, with Turkish dotted capitals folded to plain letters."""
    if text.isascii():  # the same, faster: ASCII text is in NFC and folds to its lower case
        return text.lower()
    return unicodedata.normalize("NFC", text.casefold().replace("i\u0307", "i"))


# Header block labels per language. Sources: Outlook desktop and Outlook on the web/new Outlook
# (From/Sent/To/Cc/Subject, localised), Apple Mail, Thunderbird, Yahoo Mail, HubSpot, Zimbra, and
# Gmail, which localises only the "From" label and keeps "Date/Subject/To/Cc" in English.
LABELS_BY_LANGUAGE: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        FIELD_FROM: ("From",),
        FIELD_TO: ("To",),
        FIELD_CC: ("Cc",),
        FIELD_BCC: ("Bcc",),
        FIELD_DATE: ("Date", "Sent"),
        FIELD_SUBJECT: ("Subject",),
        FIELD_REPLY_TO: ("Reply-To", "Reply To"),
        # header lines some clients copy from the original (K-9, Gmail's "show original" paste)
        FIELD_IGNORED: (
            "Importance",
            "Attachments",
            "Sender",
            "Message-ID",
            "Message-Id",
            "In-Reply-To",
            "References",
            "Organization",
            "User-Agent",
            "X-Mailer",
            "MIME-Version",
        ),
    },
    "fr": {
        FIELD_FROM: ("De", "Expéditeur"),
        FIELD_TO: ("À", "A", "Pour", "Destinataire"),
        FIELD_CC: ("Cc", "Copie à", "Copie"),
        FIELD_BCC: ("Cci",),
        FIELD_DATE: ("Date", "Envoyé", "Envoyé le", "Message du"),
        FIELD_SUBJECT: ("Objet", "Sujet"),
        FIELD_REPLY_TO: ("Répondre à",),
        FIELD_IGNORED: ("Importance", "Pièces jointes"),
    },
    "de": {
        FIELD_FROM: ("Von",),
        FIELD_TO: ("An",),
        FIELD_CC: ("Cc", "Kopie", "Kopie (CC)"),
        FIELD_BCC: ("Bcc", "Blindkopie", "Kopie (BCC)"),
        FIELD_DATE: ("Datum", "Gesendet"),
        FIELD_SUBJECT: ("Betreff",),
        FIELD_REPLY_TO: ("Antwort an",),
        FIELD_IGNORED: ("Wichtigkeit", "Anlagen", "Priorität"),
    },
    "es": {
        FIELD_FROM: ("De",),
        FIELD_TO: ("Para", "A"),
        FIELD_CC: ("Cc",),
        FIELD_BCC: ("CCO",),
        FIELD_DATE: ("Fecha", "Enviado", "Enviado el"),
        FIELD_SUBJECT: ("Asunto",),
        FIELD_REPLY_TO: ("Responder a",),
        FIELD_IGNORED: ("Importancia", "Datos adjuntos"),
    },
    "it": {
        FIELD_FROM: ("Da", "Mittente"),
        FIELD_TO: ("A",),
        FIELD_CC: ("Cc",),
        FIELD_BCC: ("Ccn",),
        FIELD_DATE: ("Data", "Inviato", "Inviato il"),
        FIELD_SUBJECT: ("Oggetto",),
        FIELD_REPLY_TO: ("Rispondi a", "Risposta", "Risposta a"),
        FIELD_IGNORED: ("Priorità", "Allegati", "Importanza"),
    },
    "nl": {
        FIELD_FROM: ("Van",),
        FIELD_TO: ("Aan",),
        FIELD_CC: ("CC", "Kopie"),
        FIELD_BCC: ("BCC",),
        FIELD_DATE: ("Datum", "Verzonden", "Verzonden op"),
        FIELD_SUBJECT: ("Onderwerp",),
        FIELD_REPLY_TO: ("Antwoord aan",),
        FIELD_IGNORED: ("Urgentie", "Bijlagen", "Prioriteit"),
    },
    "pt": {
        FIELD_FROM: ("De",),
        FIELD_TO: ("Para",),
        FIELD_CC: ("Cc",),
        FIELD_BCC: ("Bcc", "Cco"),
        FIELD_DATE: ("Data", "Enviada", "Enviado", "Enviada em", "Enviado em"),
        FIELD_SUBJECT: ("Assunto",),
        FIELD_REPLY_TO: ("Responder A", "Responder a"),
        FIELD_IGNORED: ("Importância", "Anexos"),
    },
    "pt-BR": {
        FIELD_FROM: ("De",),
        FIELD_TO: ("Para",),
        FIELD_CC: ("Cc",),
        FIELD_BCC: ("Cco",),
        FIELD_DATE: ("Data", "Enviado", "Enviado em"),
        FIELD_SUBJECT: ("Assunto",),
        FIELD_REPLY_TO: ("Responder a",),
        FIELD_IGNORED: ("Importância", "Anexos"),
    },
    "sv": {
        FIELD_FROM: ("Från",),
        FIELD_TO: ("Till",),
        FIELD_CC: ("Kopia", "Cc"),
        FIELD_BCC: ("Hemlig kopia",),
        FIELD_DATE: ("Datum", "Skickat", "Skickat den"),
        FIELD_SUBJECT: ("Ämne",),
        FIELD_REPLY_TO: ("Svara till",),
        FIELD_IGNORED: ("Prioritet", "Bifogade filer", "Bilagor"),
    },
    "da": {
        FIELD_FROM: ("Fra",),
        FIELD_TO: ("Til",),
        FIELD_CC: ("Cc",),
        FIELD_BCC: ("Bcc",),
        FIELD_DATE: ("Dato", "Sendt"),
        FIELD_SUBJECT: ("Emne",),
        FIELD_REPLY_TO: ("Svar til",),
        FIELD_IGNORED: ("Prioritet", "Vedhæftede filer"),
    },
    "no": {
        FIELD_FROM: ("Fra",),
        FIELD_TO: ("Til",),
        FIELD_CC: ("Kopi", "Cc"),
        FIELD_BCC: ("Blindkopi",),
        FIELD_DATE: ("Dato", "Sendt"),
        FIELD_SUBJECT: ("Emne",),
        FIELD_REPLY_TO: ("Svar til",),
        FIELD_IGNORED: ("Prioritet", "Vedlegg"),
    },
    "fi": {
        FIELD_FROM: ("Lähettäjä",),
        FIELD_TO: ("Vastaanottaja",),
        FIELD_CC: ("Kopio", "Cc"),
        FIELD_BCC: ("Piilokopio",),
        FIELD_DATE: ("Päivämäärä", "Päiväys", "Lähetetty"),
        FIELD_SUBJECT: ("Aihe",),
        FIELD_REPLY_TO: ("Vastausosoite",),
        FIELD_IGNORED: ("Tärkeys", "Liitteet"),
    },
    "pl": {
        FIELD_FROM: ("Od", "Nadawca"),
        FIELD_TO: ("Do", "Adresat"),
        FIELD_CC: ("DW", "Kopia"),
        FIELD_BCC: ("UDW",),
        FIELD_DATE: ("Data", "Wysłano", "Wysłane"),
        FIELD_SUBJECT: ("Temat",),
        FIELD_REPLY_TO: ("Odpowiedź-do",),
        FIELD_IGNORED: ("Priorytet", "Ważność", "Załączniki"),
    },
    "cs": {
        FIELD_FROM: ("Od",),
        FIELD_TO: ("Komu",),
        FIELD_CC: ("Kopie", "Cc"),
        FIELD_BCC: ("Skrytá kopie",),
        FIELD_DATE: ("Datum", "Odesláno"),
        FIELD_SUBJECT: ("Předmět",),
        FIELD_REPLY_TO: ("Odpověď na",),
        FIELD_IGNORED: ("Důležitost", "Přílohy"),
    },
    "sk": {
        FIELD_FROM: ("Od",),
        FIELD_TO: ("Komu", "Pre"),
        FIELD_CC: ("Kópia", "Cc"),
        FIELD_BCC: ("Skrytá kópia",),
        FIELD_DATE: ("Dátum", "Odoslané"),
        FIELD_SUBJECT: ("Predmet",),
        FIELD_REPLY_TO: ("Odpovedať-Pre",),
        FIELD_IGNORED: ("Dôležitosť", "Prílohy"),
    },
    "hu": {
        FIELD_FROM: ("Feladó",),
        FIELD_TO: ("Címzett",),
        FIELD_CC: ("Másolat", "Másolatot kap", "Cc"),
        FIELD_BCC: ("Titkos másolat",),
        FIELD_DATE: ("Dátum", "Küldve", "Elküldve"),
        FIELD_SUBJECT: ("Tárgy",),
        FIELD_REPLY_TO: ("Válaszcím",),
        FIELD_IGNORED: ("Fontosság", "Mellékletek"),
    },
    "ro": {
        FIELD_FROM: ("De la", "Expeditorul", "De"),
        FIELD_TO: ("Către", "Destinatarul", "Pentru"),
        FIELD_CC: ("Cc",),
        FIELD_BCC: ("Bcc",),
        FIELD_DATE: ("Dată", "Data", "Trimis"),
        FIELD_SUBJECT: ("Subiect", "Subiectul"),
        FIELD_REPLY_TO: ("Răspuns către",),
        FIELD_IGNORED: ("Importanță", "Atașări", "Atașamente"),
    },
    "hr": {
        FIELD_FROM: ("Šalje", "Od"),
        FIELD_TO: ("Prima", "Za"),
        FIELD_CC: ("Kopija", "Cc"),
        FIELD_BCC: ("Skrivena kopija",),
        FIELD_DATE: ("Datum", "Poslano"),
        FIELD_SUBJECT: ("Predmet", "Naslov"),
        FIELD_REPLY_TO: ("Odgovori na",),
        FIELD_IGNORED: ("Važnost", "Privici"),
    },
    "tr": {
        FIELD_FROM: ("Kimden", "Gönderen"),
        FIELD_TO: ("Kime",),
        FIELD_CC: ("Bilgi", "Cc"),
        FIELD_BCC: ("Gizli",),
        FIELD_DATE: ("Tarih", "Gönderildi", "Gönderilen", "Gönderme tarihi"),
        FIELD_SUBJECT: ("Konu",),
        FIELD_REPLY_TO: ("Yanıt Adresi",),
        FIELD_IGNORED: ("Önem", "Ekler"),
    },
    "ru": {
        FIELD_FROM: ("От", "Отправитель", "От кого"),
        FIELD_TO: ("Кому",),
        FIELD_CC: ("Копия", "Cc"),
        FIELD_BCC: ("Скрытая копия",),
        FIELD_DATE: ("Дата", "Отправлено"),
        FIELD_SUBJECT: ("Тема",),
        FIELD_REPLY_TO: ("Ответ-Кому",),
        FIELD_IGNORED: ("Важность", "Вложения"),
    },
    "uk": {
        FIELD_FROM: ("Від", "Від кого"),
        FIELD_TO: ("Кому",),
        FIELD_CC: ("Копія", "Cc"),
        FIELD_BCC: ("Прихована копія",),
        FIELD_DATE: ("Дата", "Надіслано", "Відправлено"),
        FIELD_SUBJECT: ("Тема",),
        FIELD_REPLY_TO: ("Кому відповісти",),
        FIELD_IGNORED: ("Важливість", "Вкладення"),
    },
    "ja": {
        FIELD_FROM: ("差出人", "送信者", "送信元"),
        FIELD_TO: ("宛先", "送信先"),
        FIELD_CC: ("CC",),
        FIELD_BCC: ("BCC",),
        FIELD_DATE: ("送信日時", "日付"),
        FIELD_SUBJECT: ("件名",),
        FIELD_REPLY_TO: ("返信先",),
        FIELD_IGNORED: ("重要度", "添付ファイル"),
    },
    "zh": {
        FIELD_FROM: ("发件人", "寄件人"),
        FIELD_TO: ("收件人",),
        FIELD_CC: ("抄送", "抄送人"),
        FIELD_BCC: ("密送",),
        FIELD_DATE: ("发送时间", "发送日期", "日期"),
        FIELD_SUBJECT: ("主题",),
        FIELD_REPLY_TO: ("答复至", "回复至"),
        FIELD_IGNORED: ("重要性", "附件"),
    },
    "zh-TW": {
        FIELD_FROM: ("寄件者",),
        FIELD_TO: ("收件者",),
        FIELD_CC: ("副本",),
        FIELD_BCC: ("密件副本",),
        FIELD_DATE: ("寄件日期", "傳送時間", "日期"),
        FIELD_SUBJECT: ("主旨",),
        FIELD_REPLY_TO: ("回覆至",),
        FIELD_IGNORED: ("重要性", "附件"),
    },
    "ko": {
        FIELD_FROM: ("보낸 사람", "보낸사람"),
        FIELD_TO: ("받는 사람", "받는사람"),
        FIELD_CC: ("참조",),
        FIELD_BCC: ("숨은 참조",),
        FIELD_DATE: ("보낸 날짜", "보낸날짜", "날짜"),
        FIELD_SUBJECT: ("제목",),
        FIELD_REPLY_TO: ("회신 주소",),
        FIELD_IGNORED: ("중요도", "첨부 파일"),
    },
    "el": {
        FIELD_FROM: ("Από",),
        FIELD_TO: ("Προς",),
        FIELD_CC: ("Κοιν.", "Κοιν", "Cc"),
        FIELD_BCC: ("Κρυφή κοιν.",),
        FIELD_DATE: ("Ημερομηνία", "Στάλθηκε", "Εστάλη"),
        FIELD_SUBJECT: ("Θέμα",),
        FIELD_REPLY_TO: ("Απάντηση σε",),
        FIELD_IGNORED: ("Σημασία", "Συνημμένα"),
    },
    "he": {
        FIELD_FROM: ("מאת",),
        FIELD_TO: ("אל",),
        FIELD_CC: ("עותק",),
        FIELD_BCC: ("עותק מוסתר",),
        FIELD_DATE: ("תאריך", "נשלח"),
        FIELD_SUBJECT: ("נושא",),
        FIELD_REPLY_TO: ("השב אל",),
        FIELD_IGNORED: ("חשיבות", "קבצים מצורפים"),
    },
    "ar": {
        FIELD_FROM: ("من", "المرسل"),
        FIELD_TO: ("إلى", "الى"),
        FIELD_CC: ("نسخة", "نسخة إلى"),
        FIELD_BCC: ("نسخة مخفية",),
        FIELD_DATE: ("التاريخ", "تاريخ الإرسال", "أُرسل", "أرسل", "تم الإرسال"),
        FIELD_SUBJECT: ("الموضوع",),
        FIELD_REPLY_TO: ("الرد إلى",),
        FIELD_IGNORED: ("الأهمية", "المرفقات"),
    },
    "hi": {
        FIELD_FROM: ("प्रेषक",),
        FIELD_TO: ("प्रति", "प्राप्तकर्ता"),
        FIELD_CC: ("प्रतिलिपि", "सीसी"),
        FIELD_BCC: ("गुप्त प्रतिलिपि",),
        FIELD_DATE: ("दिनांक", "तारीख", "भेजा गया"),
        FIELD_SUBJECT: ("विषय",),
        FIELD_REPLY_TO: ("इसे उत्तर दें",),
        FIELD_IGNORED: ("महत्व", "अनुलग्नक"),
    },
    "th": {
        FIELD_FROM: ("จาก", "ผู้ส่ง"),
        FIELD_TO: ("ถึง", "ผู้รับ"),
        FIELD_CC: ("สำเนาถึง", "สำเนา"),
        FIELD_BCC: ("สำเนาลับถึง",),
        FIELD_DATE: ("วันที่", "ส่ง", "ส่งเมื่อ"),
        FIELD_SUBJECT: ("เรื่อง", "หัวเรื่อง"),
        FIELD_REPLY_TO: ("ตอบกลับไปยัง",),
        FIELD_IGNORED: ("ความสำคัญ", "สิ่งที่แนบมา"),
    },
    "vi": {
        FIELD_FROM: ("Từ", "Người gửi"),
        FIELD_TO: ("Đến", "Tới", "Người nhận"),
        FIELD_CC: ("Cc", "Đồng gửi"),
        FIELD_BCC: ("Bcc",),
        FIELD_DATE: ("Ngày", "Đã gửi", "Thời gian"),
        FIELD_SUBJECT: ("Chủ đề", "Tiêu đề"),
        FIELD_REPLY_TO: ("Trả lời tới",),
        FIELD_IGNORED: ("Mức độ quan trọng", "Tệp đính kèm"),
    },
    "id": {
        FIELD_FROM: ("Dari", "Pengirim"),
        FIELD_TO: ("Kepada", "Ke", "Penerima"),
        FIELD_CC: ("Cc", "Tembusan"),
        FIELD_BCC: ("Bcc",),
        FIELD_DATE: ("Tanggal", "Dikirim", "Terkirim"),
        FIELD_SUBJECT: ("Subjek", "Perihal"),
        FIELD_REPLY_TO: ("Balas Ke",),
        FIELD_IGNORED: ("Kepentingan", "Lampiran"),
    },
    "et": {
        FIELD_FROM: ("Saatja", "Kellelt"),
        FIELD_TO: ("Adressaat", "Kellele", "Saaja"),
        FIELD_CC: ("Koopia", "Cc"),
        FIELD_BCC: ("Pimekoopia",),
        FIELD_DATE: ("Kuupäev", "Saadetud", "Saatmisaeg"),
        FIELD_SUBJECT: ("Teema",),
        FIELD_REPLY_TO: ("Vastus aadressile",),
        FIELD_IGNORED: ("Olulisus", "Manused"),
    },
    "bg": {
        FIELD_FROM: ("От", "Подател"),
        FIELD_TO: ("До", "Получател"),
        FIELD_CC: ("Копие", "Cc"),
        FIELD_BCC: ("Скрито копие",),
        FIELD_DATE: ("Дата", "Изпратено"),
        FIELD_SUBJECT: ("Тема", "Относно"),
        FIELD_REPLY_TO: ("Отговор до",),
        FIELD_IGNORED: ("Важност", "Прикачени файлове"),
    },
    "sr": {
        FIELD_FROM: ("Од", "Пошиљалац"),
        FIELD_TO: ("За", "Прима", "Прималац"),
        FIELD_CC: ("Копија", "Cc"),
        FIELD_BCC: ("Скривена копија",),
        FIELD_DATE: ("Датум", "Послато", "Послата"),
        FIELD_SUBJECT: ("Тема", "Предмет"),
        FIELD_REPLY_TO: ("Одговор на",),
        FIELD_IGNORED: ("Важност", "Прилози"),
    },
    "sr-Latn": {
        FIELD_FROM: ("Od", "Pošiljalac"),
        FIELD_TO: ("Za", "Prima", "Primalac"),
        FIELD_CC: ("Kopija", "Cc"),
        FIELD_BCC: ("Skrivena kopija",),
        FIELD_DATE: ("Datum", "Poslato"),
        FIELD_SUBJECT: ("Tema", "Predmet"),
        FIELD_REPLY_TO: ("Odgovor na",),
        FIELD_IGNORED: ("Važnost", "Prilozi"),
    },
    "lt": {
        FIELD_FROM: ("Nuo", "Siuntėjas"),
        FIELD_TO: ("Kam", "Gavėjas"),
        FIELD_CC: ("Kopija", "Cc"),
        FIELD_BCC: ("Nematoma kopija",),
        FIELD_DATE: ("Data", "Išsiųsta"),
        FIELD_SUBJECT: ("Tema",),
        FIELD_REPLY_TO: ("Atsakyti",),
        FIELD_IGNORED: ("Svarba", "Priedai"),
    },
    "lv": {
        FIELD_FROM: ("No", "Sūtītājs"),
        FIELD_TO: ("Kam", "Adresāts"),
        FIELD_CC: ("Kopija", "Cc"),
        FIELD_BCC: ("Diskrētā kopija",),
        FIELD_DATE: ("Datums", "Nosūtīts"),
        FIELD_SUBJECT: ("Tēma",),
        FIELD_REPLY_TO: ("Atbildēt uz",),
        FIELD_IGNORED: ("Svarīgums", "Pielikumi"),
    },
    "sl": {
        FIELD_FROM: ("Od", "Pošiljatelj"),
        FIELD_TO: ("Za", "Prejemnik"),
        FIELD_CC: ("Kp", "Kopija", "Cc"),
        FIELD_BCC: ("Skp",),
        FIELD_DATE: ("Datum", "Poslano"),
        FIELD_SUBJECT: ("Zadeva",),
        FIELD_REPLY_TO: ("Odgovori",),
        FIELD_IGNORED: ("Pomembnost", "Priloge"),
    },
    "ca": {
        FIELD_FROM: ("De",),
        FIELD_TO: ("A", "Per a", "Per"),
        FIELD_CC: ("A/c", "Cc"),
        FIELD_BCC: ("C/o", "Cco"),
        FIELD_DATE: ("Data", "Enviat", "Enviat el"),
        FIELD_SUBJECT: ("Assumpte",),
        FIELD_REPLY_TO: ("Respon a",),
        FIELD_IGNORED: ("Importància", "Fitxers adjunts"),
    },
}


def _build_header_labels() -> dict[str, tuple[str, frozenset[str]]]:
    table: dict[str, tuple[str, set[str]]] = {}
    for language, fields in LABELS_BY_LANGUAGE.items():
        for field, labels in fields.items():
            for label in labels:
                key = fold(label)
                known_field, languages = table.setdefault(key, (field, set()))
                if known_field != field:  # pragma: no cover - a data error, caught by the tests
                    raise ValueError(f"label {label!r} names two fields")
                languages.add(language)
    return {key: (field, frozenset(languages)) for key, (field, languages) in table.items()}


# folded label -> (field, languages that use it)
HEADER_LABELS: dict[str, tuple[str, frozenset[str]]] = _build_header_labels()

# Phrases that lead a date with no colon between them, as a header line of their own: Orange's and
# SFR's webmail write "Message du 24/11/26 18:02" above "De :", "A :", "Copie à :", "Objet :".
DATE_LEADS: dict[str, frozenset[str]] = {fold("Message du"): frozenset({"fr"})}

# Labels of a forwarded meeting ("-----Original Appointment-----" blocks): such a block is a calendar
# invitation, not a forward.
CALENDAR_LABELS = frozenset(
    fold(label)
    for label in (
        "When", "Where", "Quand", "Où", "Wann", "Wo", "Ort", "Cuándo", "Dónde", "Ubicación",
        "Quando", "Dove", "Luogo", "Wanneer", "Waar", "Locatie", "Onde", "Local", "När", "Plats",
        "Hvornår", "Hvor", "Sted", "Når", "Milloin", "Missä", "Sijainti", "Kiedy", "Gdzie",
        "Miejsce", "Kdy", "Kde", "Umístění", "Kedy", "Miesto", "Időpont", "Hely", "Helyszín",
        "Când", "Unde", "Locație", "Kada", "Gdje", "Mjesto", "Ne zaman", "Nerede", "Konum",
        "Когда", "Где", "Место", "Коли", "Де", "Місце", "日時", "場所",
    )
)  # fmt: skip

# The line written above a forwarded header block, as folded phrases (dashes, underscores and a final
# colon removed). Value: the client family that writes it, when only one does.
FORWARD_SEPARATORS: dict[str, str | None] = {
    # Gmail (all locales), Missive, HubSpot (en), Front, Spark; Thunderbird, Yahoo and Zimbra (en)
    "forwarded message": None,
    "begin forwarded message": "apple",  # Apple Mail (en), also Spark
    "forwarded mail": None,
    # French: Thunderbird and HubSpot, Apple Mail (macOS, iOS), Yahoo, Zimbra
    "message transféré": None,
    "début du message réexpédié": "apple",
    "début du message transféré": "apple",
    "message transmis": "yahoo",
    "mail transféré": "zimbra",
    "courriel transféré": None,
    # German: Thunderbird, Yahoo, HubSpot; Apple Mail; Zimbra
    "weitergeleitete nachricht": None,
    "anfang der weitergeleiteten nachricht": "apple",
    "anfang der weitergeleiteten e-mail": "apple",
    "weitergeleitete e-mail": None,
    "weitergeleitete mail": "zimbra",
    # Spanish
    "mensaje reenviado": None,
    "inicio del mensaje reenviado": "apple",
    "correo reenviado": None,
    # Italian
    "messaggio inoltrato": None,
    "inizio messaggio inoltrato": "apple",
    # Dutch
    "doorgestuurd bericht": None,
    "begin doorgestuurd bericht": "apple",
    # Portuguese (Portugal) and Portuguese (Brazil)
    "mensagem reencaminhada": None,
    "início da mensagem reencaminhada": "apple",
    "mensagem encaminhada": None,
    "início da mensagem encaminhada": "apple",
    # Swedish
    "vidarebefordrat meddelande": None,
    "vidarebefordrat mejl": "apple",
    "vidarebefordrat e-postmeddelande": None,
    # Danish
    "videresendt meddelelse": None,
    "start på videresendt besked": "apple",
    "videresendt besked": None,
    # Norwegian
    "videresendt melding": None,
    "videresendt e-post": None,
    # Finnish
    "välitetty viesti": None,
    "välitetty viesti alkaa": "apple",
    "välitetty viesti / fwd.msg": "thunderbird",
    "edelleenlähetetty viesti": None,
    # Polish
    "przekazana wiadomość": "yahoo",
    "wiadomość przekazana dalej": None,
    "wiadomość przesłana dalej": None,
    "treść przekazanej wiadomości": "thunderbird",
    "początek przekazywanej wiadomości": "apple",
    # Czech
    "přeposlaná zpráva": None,
    "začátek přeposílané zprávy": "apple",
    # Slovak
    "preposlaná správa": None,
    "preposlaná správa forwarded message": "thunderbird",
    "začiatok preposlanej správy": "apple",
    # Hungarian
    "továbbított üzenet": None,
    "továbbított levél kezdete": "apple",
    "továbbított levél": None,
    # Romanian (with and without the comma below)
    "mesaj redirecționat": None,
    "mesaj redirecţionat": None,
    "începe mesajul redirecționat": "apple",
    "mesaj transmis": None,
    # Croatian
    "proslijeđena poruka": None,
    "započni proslijeđenu poruku": "apple",
    "proslijeđena pošta": None,
    # Turkish
    "iletilen ileti": "thunderbird",
    "ileti başlangıcı": "apple",
    "iletilmiş mesaj": "yahoo",
    "iletilen mesaj": None,
    # Russian
    "пересылаемое сообщение": None,
    "перенаправленное сообщение": "thunderbird",
    "начало переадресованного сообщения": "apple",
    "пересланное сообщение": None,
    # Ukrainian
    "переслане повідомлення": "thunderbird",
    "перенаправлене повідомлення": "yahoo",
    "початок листа, що пересилається": "apple",
    # Japanese: Thunderbird, Apple Mail, HubSpot
    "転送メッセージ": None,  # Thunderbird ("-------- x --------"), Yahoo! JAPAN ("----- x -----")
    "転送されたメッセージ": "apple",
    "メッセージを転送": None,
    "転送済みメッセージ": None,
    # Chinese: NetEase (163/126 mail), Apple Mail, Thunderbird; Traditional Chinese
    "转发邮件信息": "netease",
    "转发的邮件": "apple",
    "转发的消息": None,
    "轉寄的郵件": "apple",
    "轉寄訊息": None,
    "轉寄的訊息": None,
    # Korean: Apple Mail, Thunderbird, Naver and Daum
    "전달된 메시지": None,
    "전달된 메일": None,
    # Greek
    "προωθημένο μήνυμα": None,
    "έναρξη προωθημένου μηνύματος": "apple",
    # Hebrew
    "הודעה שהועברה": None,
    "תחילת הודעה שהועברה": "apple",
    # Arabic
    "رسالة معاد توجيهها": None,
    "رسالة محولة": None,
    "بداية الرسالة المعاد توجيهها": "apple",
    # Hindi
    "अग्रेषित संदेश": None,
    "अग्रेषित संदेश की शुरुआत": "apple",
    # Thai
    "ข้อความที่ส่งต่อ": None,
    "เริ่มข้อความที่ส่งต่อ": "apple",
    # Vietnamese
    "thư được chuyển tiếp": None,
    "tin nhắn đã chuyển tiếp": None,
    "bắt đầu tin nhắn được chuyển tiếp": "apple",
    # Indonesian
    "pesan yang diteruskan": None,
    "pesan terusan": None,
    "awal pesan yang diteruskan": "apple",
    # Estonian
    "edastatud kiri": None,
    "edastatud sõnum": None,
    "edastatud kirja algus": "apple",
    # Bulgarian
    "препратено съобщение": None,
    "начало на препратеното съобщение": "apple",
    # Serbian (Cyrillic and Latin)
    "прослеђена порука": None,
    "почетак прослеђене поруке": "apple",
    "prosleđena poruka": None,
    "početak prosleđene poruke": "apple",
    # Lithuanian
    "persiųstas laiškas": None,
    "persiųsto laiško pradžia": "apple",
    # Latvian
    "pārsūtīts ziņojums": None,
    "pārsūtītā ziņojuma sākums": "apple",
    # Slovenian
    "posredovano sporočilo": None,
    "začetek posredovanega sporočila": "apple",
    # Catalan
    "missatge reenviat": None,
    "inici del missatge reenviat": "apple",
}

# written as the clients spell them; folded here (Greek's final sigma folds to a plain one)
FORWARD_SEPARATORS = {fold(phrase): client for phrase, client in FORWARD_SEPARATORS.items()}

# Lines written above replies as well as forwards (Outlook's "-----Original Message-----", IONOS,
# Zimbra): a block under them is a forward only when the subject says so.
AMBIGUOUS_SEPARATORS = frozenset(
    {
        "original message",
        "ursprüngliche nachricht",
        "message d'origine",
        "message d’origine",
        "message original",
        "mail original",
        "mensaje original",
        "messaggio originale",
        "oorspronkelijk bericht",
        "origineel bericht",
        "mensagem original",
        "ursprungligt meddelande",
        "oprindelig meddelelse",
        "opprinnelig melding",
        "alkuperäinen viesti",
        "oryginalna wiadomość",
        "wiadomość oryginalna",
        "původní zpráva",
        "pôvodná správa",
        "eredeti üzenet",
        "mesaj original",
        "izvorna poruka",
        "orijinal ileti",
        "özgün ileti",
        "исходное сообщение",
        "оригинальное сообщение",
        "оригінальне повідомлення",
        "元のメッセージ",
        "原始邮件",  # QQ Mail, Outlook (zh), above replies and forwards alike
        "原始郵件",
        "원본 메시지",
        "αρχικό μήνυμα",
        "הודעה מקורית",
        "الرسالة الأصلية",
        "मूल संदेश",
        "ข้อความต้นฉบับ",
        "thư gốc",
        "tin nhắn gốc",
        "pesan asli",
        "algne kiri",
        "algne sõnum",
        "оригинално съобщение",
        "оригинална порука",
        "originalna poruka",
        "originalus laiškas",
        "sākotnējais ziņojums",
        "izvirno sporočilo",
        "missatge original",
    }
)

# Subject prefixes, folded and without the colon -> languages (None: every language). Outlook writes
# the localised ones ("TR:" fr, "WG:" de, "RV:" es, "I:" it, "VS:" da/no, "VB:" sv, "VL:" fi, "PD:" pl,
# "ENC:" pt-BR, "Redir.:" ro, "İLT:" tr, "TOV:" hu); Gmail, Thunderbird and Apple write "Fwd:".
SUBJECT_FORWARD_PREFIXES: dict[str, frozenset[str] | None] = {
    "fwd": None,
    "fw": None,
    "tr": frozenset({"fr"}),
    "trs": frozenset({"fr"}),
    "wg": frozenset({"de"}),
    "rv": frozenset({"es", "ca"}),
    "i": frozenset({"it"}),
    "inoltro": frozenset({"it"}),
    "doorst": frozenset({"nl"}),
    "enc": frozenset({"pt", "pt-BR"}),
    "vb": frozenset({"sv"}),
    "vs": frozenset({"da", "no"}),
    "videresend": frozenset({"no", "da"}),
    "vl": frozenset({"fi"}),
    "pd": frozenset({"pl"}),
    "přep": frozenset({"cs"}),
    "tov": frozenset({"hu"}),
    "redir.": frozenset({"ro"}),
    "redir": frozenset({"ro"}),
    "prosl": frozenset({"hr", "sr-Latn"}),
    "просл": frozenset({"sr"}),
    "ilt": frozenset({"tr"}),
    "пересл": frozenset({"ru", "uk"}),
    "переслать": frozenset({"ru"}),
    "転送": frozenset({"ja"}),
    "转发": frozenset({"zh"}),
    "轉寄": frozenset({"zh-TW"}),
    "轉發": frozenset({"zh-TW"}),
    "전달": frozenset({"ko"}),
    "πρθ": frozenset({"el"}),
    "prs": frozenset({"lt"}),
    "pārs": frozenset({"lv"}),
    "posl": frozenset({"sl"}),
}

SUBJECT_REPLY_PREFIXES: dict[str, frozenset[str] | None] = {
    "re": None,
    "aw": frozenset({"de"}),
    "antw": frozenset({"nl"}),
    "r": frozenset({"it"}),
    "rif": frozenset({"it"}),
    "res": frozenset({"pt", "pt-BR"}),
    "sv": frozenset({"sv", "da", "no"}),
    "vs": frozenset({"fi", "et"}),
    "odp": frozenset({"pl", "cs", "sk"}),
    "odg": frozenset({"hr", "sl", "sr-Latn"}),
    "одг": frozenset({"sr"}),
    "отг": frozenset({"bg"}),
    "vá": frozenset({"hu"}),
    "răsp": frozenset({"ro"}),
    "ynt": frozenset({"tr"}),
    "отв": frozenset({"ru"}),
    "ответ": frozenset({"ru"}),
    "відп": frozenset({"uk"}),
    "返信": frozenset({"ja"}),
    "回复": frozenset({"zh"}),
    "答复": frozenset({"zh"}),
    "回覆": frozenset({"zh-TW"}),
    "答覆": frozenset({"zh-TW"}),
    "회신": frozenset({"ko"}),
    "답장": frozenset({"ko"}),
    "απ": frozenset({"el"}),
    "השב": frozenset({"he"}),
    "رد": frozenset({"ar"}),
    "tl": frozenset({"vi"}),
    "bls": frozenset({"id"}),
    "atb": frozenset({"lv"}),
    "ats": frozenset({"lt"}),
}

# Verbs of attribution lines ("On ..., Sue <sue@...> wrote:", "Le ... a écrit :") -> languages.
# Replies write them; Outlook for Mac also writes them above a forwarded message.
REPLY_ATTRIBUTION_WORDS: dict[str, frozenset[str]] = {
    fold(word): frozenset(languages.split())
    for word, languages in (
        ("wrote", "en"), ("a écrit", "fr"), ("schrieb", "de"), ("escribió", "es"),
        ("ha scritto", "it"), ("scrisse", "it"), ("schreef", "nl"), ("geschreven", "nl"),
        ("escreveu", "pt pt-BR"), ("skrev", "sv da no"), ("kirjoitti", "fi"), ("napisał", "pl"),
        ("napisała", "pl"), ("napsal", "cs"), ("napsala", "cs"), ("napísal", "sk"), ("napísala", "sk"),
        ("írta", "hu"), ("a scris", "ro"), ("napisao", "hr"), ("napisala", "hr"), ("yazdı", "tr"),
        ("написал", "ru"), ("написала", "ru"), ("написав", "uk"), ("のメッセージ", "ja"),
        ("書きました", "ja"), ("写道", "zh"), ("寫道", "zh-TW"), ("작성", "ko"),
        ("έγραψε", "el"), ("כתב", "he"), ("كتب", "ar"), ("लिखा", "hi"), ("เขียนว่า", "th"),
        ("đã viết", "vi"), ("menulis", "id"), ("kirjutas", "et"), ("написа", "bg"),
        ("написао", "sr"), ("napisao", "sr-Latn"), ("rašė", "lt"), ("rakstīja", "lv"),
        ("napisal", "sl"), ("va escriure", "ca"),
    )
}  # fmt: skip

# Words written just before the name in an attribution line ("Op <date> heeft <name> <address>").
ATTRIBUTION_NAME_LEADS = tuple(
    fold(word)
    for word in (
        "schrieb", "skrev", "heeft", "schreef", "időpontban", "používateľ", "používateľka",
        "użytkownik", "пользователь", "користувач", "uživatel",
    )
)  # fmt: skip

# "X on behalf of Y" in an Outlook From line: Y is the mailbox the message is from.
ON_BEHALF_WORDS = (
    " on behalf of ",
    " im auftrag von ",
    " de la part de ",
    " en nombre de ",
    " per conto di ",
    " namens ",
    " em nome de ",
    " för ",
    " på vegne af ",
    " på vegne av ",
)

# Month names as dates write them (nominative, genitive, abbreviations), folded, without dots.
_MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "january jan", "february feb", "march mar", "april apr", "may", "june jun",
        "july jul", "august aug", "september sep sept", "october oct", "november nov",
        "december dec",
    ),
    "fr": (
        "janvier janv", "février févr fév", "mars", "avril avr", "mai", "juin",
        "juillet juil", "août", "septembre sept", "octobre oct", "novembre nov",
        "décembre déc",
    ),
    "de": (
        "januar jan jänner", "februar feb", "märz mär mrz", "april apr", "mai", "juni jun",
        "juli jul", "august aug", "september sep sept", "oktober okt", "november nov",
        "dezember dez",
    ),
    "es": (
        "enero ene", "febrero feb", "marzo mar", "abril abr", "mayo may", "junio jun",
        "julio jul", "agosto ago", "septiembre setiembre sep sept", "octubre oct",
        "noviembre nov", "diciembre dic",
    ),
    "it": (
        "gennaio gen", "febbraio feb", "marzo mar", "aprile apr", "maggio mag", "giugno giu",
        "luglio lug", "agosto ago", "settembre set", "ottobre ott", "novembre nov",
        "dicembre dic",
    ),
    "nl": (
        "januari jan", "februari feb", "maart mrt mar", "april apr", "mei", "juni jun",
        "juli jul", "augustus aug", "september sep sept", "oktober okt", "november nov",
        "december dec",
    ),
    "pt": (
        "janeiro jan", "fevereiro fev", "março mar", "abril abr", "maio mai", "junho jun",
        "julho jul", "agosto ago", "setembro set", "outubro out", "novembro nov",
        "dezembro dez",
    ),
    "sv": (
        "januari jan", "februari feb", "mars mar", "april apr", "maj", "juni jun",
        "juli jul", "augusti aug", "september sep sept", "oktober okt", "november nov",
        "december dec",
    ),
    "da": (
        "januar jan", "februar feb", "marts mar", "april apr", "maj", "juni jun", "juli jul",
        "august aug", "september sep sept", "oktober okt", "november nov", "december dec",
    ),
    "no": (
        "januar jan", "februar feb", "mars mar", "april apr", "mai", "juni jun", "juli jul",
        "august aug", "september sep sept", "oktober okt", "november nov", "desember des",
    ),
    "fi": (
        "tammikuu tammikuuta tammik", "helmikuu helmikuuta helmik",
        "maaliskuu maaliskuuta maalisk", "huhtikuu huhtikuuta huhtik",
        "toukokuu toukokuuta toukok", "kesäkuu kesäkuuta kesäk", "heinäkuu heinäkuuta heinäk",
        "elokuu elokuuta elok", "syyskuu syyskuuta syysk", "lokakuu lokakuuta lokak",
        "marraskuu marraskuuta marrask", "joulukuu joulukuuta jouluk",
    ),
    "pl": (
        "styczeń stycznia sty", "luty lutego lut", "marzec marca mar", "kwiecień kwietnia kwi",
        "maj maja", "czerwiec czerwca cze", "lipiec lipca lip", "sierpień sierpnia sie",
        "wrzesień września wrz", "październik października paź", "listopad listopada lis",
        "grudzień grudnia gru",
    ),
    "cs": (
        "leden ledna led", "únor února úno", "březen března bře", "duben dubna dub",
        "květen května kvě", "červen června čvn", "červenec července čvc", "srpen srpna srp",
        "září zář", "říjen října říj", "listopad listopadu lis", "prosinec prosince pro",
    ),
    "sk": (
        "január januára jan", "február februára feb", "marec marca mar", "apríl apríla apr",
        "máj mája", "jún júna", "júl júla", "august augusta aug", "september septembra sep",
        "október októbra okt", "november novembra nov", "december decembra dec",
    ),
    "hu": (
        "január jan", "február febr feb", "március márc", "április ápr", "május máj",
        "június jún", "július júl", "augusztus aug", "szeptember szept", "október okt",
        "november nov", "december dec",
    ),
    "ro": (
        "ianuarie ian", "februarie feb", "martie mar", "aprilie apr", "mai", "iunie iun",
        "iulie iul", "august aug", "septembrie sept sep", "octombrie oct", "noiembrie nov",
        "decembrie dec",
    ),
    "hr": (
        "siječanj siječnja sij", "veljača veljače velj vel", "ožujak ožujka ožu",
        "travanj travnja tra", "svibanj svibnja svi", "lipanj lipnja lip", "srpanj srpnja srp",
        "kolovoz kolovoza kol", "rujan rujna ruj", "listopad listopada lis",
        "studeni studenoga studenog stu", "prosinac prosinca pro",
    ),
    "tr": (
        "ocak oca", "şubat şub", "mart mar", "nisan nis", "mayıs may", "haziran haz",
        "temmuz tem", "ağustos ağu", "eylül eyl", "ekim eki", "kasım kas", "aralık ara",
    ),
    "ru": (
        "январь января янв", "февраль февраля фев февр", "март марта мар",
        "апрель апреля апр", "май мая", "июнь июня июн", "июль июля июл",
        "август августа авг", "сентябрь сентября сен сент", "октябрь октября окт",
        "ноябрь ноября ноя нояб", "декабрь декабря дек",
    ),
    "uk": (
        "січень січня січ", "лютий лютого лют", "березень березня бер",
        "квітень квітня квіт кві", "травень травня трав тра", "червень червня черв чер",
        "липень липня лип", "серпень серпня серп сер", "вересень вересня вер",
        "жовтень жовтня жовт жов", "листопад листопада лист лис", "грудень грудня груд гру",
    ),
    "el": (
        "ιανουαρίου ιανουάριος ιαν", "φεβρουαρίου φεβρουάριος φεβ", "μαρτίου μάρτιος μαρ",
        "απριλίου απρίλιος απρ", "μαΐου μάιος μαΐ μαι", "ιουνίου ιούνιος ιουν",
        "ιουλίου ιούλιος ιουλ", "αυγούστου αύγουστος αυγ", "σεπτεμβρίου σεπτέμβριος σεπ",
        "οκτωβρίου οκτώβριος οκτ", "νοεμβρίου νοέμβριος νοε", "δεκεμβρίου δεκέμβριος δεκ",
    ),
    "bg": (
        "януари яну", "февруари фев", "март мар", "април апр", "май", "юни", "юли",
        "август авг", "септември сеп", "октомври окт", "ноември ное", "декември дек",
    ),
    "sr": (
        "јануар јануара јан", "фебруар фебруара феб", "март марта мар", "април априла апр",
        "мај маја", "јун јуна", "јул јула", "август августа авг", "септембар септембра сеп",
        "октобар октобра окт", "новембар новембра нов", "децембар децембра дец",
    ),
    "sr-Latn": (
        "januar januara jan", "februar februara feb", "mart marta mar", "april aprila apr",
        "maj maja", "jun juna", "jul jula", "avgust avgusta avg", "septembar septembra sep",
        "oktobar oktobra okt", "novembar novembra nov", "decembar decembra dec",
    ),
    "sl": (
        "januar januarja jan", "februar februarja feb", "marec marca mar", "april aprila apr",
        "maj maja", "junij junija jun", "julij julija jul", "avgust avgusta avg",
        "september septembra sep", "oktober oktobra okt", "november novembra nov",
        "december decembra dec",
    ),
    "lt": (
        "sausio sausis saus", "vasario vasaris vas", "kovo kovas kov",
        "balandžio balandis bal", "gegužės gegužė geg", "birželio birželis birž",
        "liepos liepa liep", "rugpjūčio rugpjūtis rugp", "rugsėjo rugsėjis rugs",
        "spalio spalis spal", "lapkričio lapkritis lapkr", "gruodžio gruodis gruod",
    ),
    "lv": (
        "janvāris janvārī janv", "februāris februārī febr", "marts martā",
        "aprīlis aprīlī apr", "maijs maijā", "jūnijs jūnijā jūn", "jūlijs jūlijā jūl",
        "augusts augustā aug", "septembris septembrī sept", "oktobris oktobrī okt",
        "novembris novembrī nov", "decembris decembrī dec",
    ),
    "et": (
        "jaanuar jaan", "veebruar veebr", "märts", "aprill apr", "mai", "juuni", "juuli",
        "august aug", "september sept", "oktoober okt", "november nov", "detsember dets",
    ),
    "id": (
        "januari jan", "februari feb", "maret mar", "april apr", "mei", "juni jun", "juli jul",
        "agustus agu ags", "september sep", "oktober okt", "november nov", "desember des",
    ),
    "ca": (
        "gener gen", "febrer febr", "març", "abril abr", "maig", "juny", "juliol jul",
        "agost ag", "setembre set", "octubre oct", "novembre nov", "desembre des",
    ),
    "he": (
        "ינואר בינואר", "פברואר בפברואר", "מרץ במרץ", "אפריל באפריל", "מאי במאי",
        "יוני ביוני", "יולי ביולי", "אוגוסט באוגוסט", "ספטמבר בספטמבר", "אוקטובר באוקטובר",
        "נובמבר בנובמבר", "דצמבר בדצמבר",
    ),
    "ar": (
        "يناير", "فبراير", "مارس", "أبريل ابريل", "مايو", "يونيو", "يوليو", "أغسطس اغسطس",
        "سبتمبر", "أكتوبر اكتوبر", "نوفمبر", "ديسمبر",
    ),
    "hi": (
        "जनवरी", "फ़रवरी फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त",
        "सितंबर सितम्बर", "अक्टूबर", "नवंबर नवम्बर", "दिसंबर दिसम्बर",
    ),
    "th": (
        "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
        "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
    ),
}  # fmt: skip
_MONTH_NAMES["pt-BR"] = _MONTH_NAMES["pt"]

# language -> {folded month word -> month number}
MONTHS: dict[str, dict[str, int]] = {
    language: {
        fold(word): number for number, words in enumerate(names, 1) for word in words.split()
    }
    for language, names in _MONTH_NAMES.items()
}

# Time-zone abbreviations dates carry, in minutes east of UTC. Ambiguous ones (IST, CST in Asia...)
# are left out on purpose: an unknown zone leaves the date as text rather than a wrong instant.
ZONE_OFFSETS: dict[str, int] = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEZ": 0, "WEST": 60, "WESZ": 60, "BST": 60,
    "CET": 60, "MEZ": 60, "SEČ": 60, "CEST": 120, "MESZ": 120, "SELČ": 120, "EET": 120,
    "OEZ": 120, "EEST": 180, "OESZ": 180, "MSK": 180, "TRT": 180, "EST": -300, "EDT": -240,
    "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480,
    "WIB": 420, "ICT": 420, "IDT": 180, "AEST": 600, "AEDT": 660,
}  # fmt: skip
