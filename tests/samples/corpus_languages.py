# ruff: noqa: E501 - data tables: one person or one message per line
"""Language data for the forward corpus generator (make_forward_corpus.py): people, mail content,
and how each client writes dates in each language.

These tables are written independently of the parser's own tables (mail_lead_capture/tools/
forward_labels.py): they format, the parser reads. Formats follow what the clients emit: Gmail's
localised short dates ("mer. 27 oct. 2021 à 09:31"), Outlook's long date and short time ("Dienstag,
24. November 2026 18:02"), Apple Mail's long date with seconds and zone ("26. října 2021 14:25:08
GMT+3"), Yahoo's full date with zone, HubSpot's full date with numeric offset.
"""

from __future__ import annotations

from datetime import datetime

LANGUAGES = (
    "en", "fr", "de", "es", "it", "nl", "pt", "pt-BR", "sv", "da", "no", "fi", "pl", "cs", "sk",
    "hu", "ro", "hr", "tr", "ru", "uk", "ja",
)  # fmt: skip

# language -> (customer name, customer address, colleague name, colleague address)
PEOPLE = {
    "en": ("Sue Miller", "Sue.Miller@harbourfoods.example", "Tom Baker", "tom.baker@harbourfoods.example"),
    "fr": ("Élodie Marchand", "elodie.marchand@boulangerie-lyon.example", "Luc Fabre", "luc.fabre@boulangerie-lyon.example"),
    "de": ("Jürgen Weiß", "juergen.weiss@baeckerei-koeln.example", "Anna Schäfer", "anna.schaefer@baeckerei-koeln.example"),
    "es": ("María José García", "mariajose.garcia@conservas-vigo.example", "Pablo Ruiz", "pablo.ruiz@conservas-vigo.example"),
    "it": ("Giulia Bianchi", "giulia.bianchi@pastificio-torino.example", "Marco Rossi", "marco.rossi@pastificio-torino.example"),
    "nl": ("Sanne de Vries", "sanne.devries@kaashandel-gouda.example", "Pieter Jansen", "pieter.jansen@kaashandel-gouda.example"),
    "pt": ("João Sousa", "joao.sousa@vinhos-porto.example", "Inês Costa", "ines.costa@vinhos-porto.example"),
    "pt-BR": ("Ana Carolina Souza", "ana.souza@cafe-santos.example", "Rafael Lima", "rafael.lima@cafe-santos.example"),
    "sv": ("Åsa Lindqvist", "asa.lindqvist@bageri-uppsala.example", "Erik Nyström", "erik.nystrom@bageri-uppsala.example"),
    "da": ("Søren Kjærgaard", "soeren.kjaergaard@mejeri-aarhus.example", "Mette Holm", "mette.holm@mejeri-aarhus.example"),
    "no": ("Ingrid Bøe", "ingrid.boe@fiskeri-bergen.example", "Lars Haugen", "lars.haugen@fiskeri-bergen.example"),
    "fi": ("Mikko Järvinen", "mikko.jarvinen@leipomo-tampere.example", "Aino Virtanen", "aino.virtanen@leipomo-tampere.example"),
    "pl": ("Małgorzata Wójcik", "malgorzata.wojcik@piekarnia-krakow.example", "Piotr Zieliński", "piotr.zielinski@piekarnia-krakow.example"),
    "cs": ("Tereza Dvořáková", "tereza.dvorakova@pivovar-brno.example", "Jan Novák", "jan.novak@pivovar-brno.example"),
    "sk": ("Ľubica Horváthová", "lubica.horvathova@vinarstvo-nitra.example", "Martin Kováč", "martin.kovac@vinarstvo-nitra.example"),
    "hu": ("Szabó Eszter", "eszter.szabo@cukraszda-pecs.example", "Kovács Gábor", "gabor.kovacs@cukraszda-pecs.example"),
    "ro": ("Ioana Popescu", "ioana.popescu@patiserie-cluj.example", "Andrei Ionescu", "andrei.ionescu@patiserie-cluj.example"),
    "hr": ("Ivana Horvat", "ivana.horvat@vinarija-split.example", "Luka Kovačević", "luka.kovacevic@vinarija-split.example"),
    "tr": ("Ayşe Yılmaz", "ayse.yilmaz@lokum-istanbul.example", "Mehmet Demir", "mehmet.demir@lokum-istanbul.example"),
    "ru": ("Ольга Смирнова", "olga.smirnova@konditer-spb.example", "Дмитрий Орлов", "dmitry.orlov@konditer-spb.example"),
    "uk": ("Олена Коваленко", "olena.kovalenko@pekarnia-lviv.example", "Андрій Шевченко", "andriy.shevchenko@pekarnia-lviv.example"),
    "ja": ("山田 花子", "hanako.yamada@wagashi-kyoto.example", "佐藤 健", "ken.sato@wagashi-kyoto.example"),
}  # fmt: skip

# language -> (subject, body lines, the forwarder's note)
CONTENT = {
    "en": ("Catering for 40 people on 12 December", ("Hello Ines,", "We would like the same menu as last year, for 40 people this time.", "Could you send us a quote by Friday?", "Thanks, Sue"), "Sue is back, can you quote?"),
    "fr": ("Devis pour 40 couverts le 12 décembre", ("Bonjour Ines,", "Nous souhaitons reprendre le menu de l'an dernier, pour 40 personnes cette fois.", "Pourriez-vous nous envoyer un devis d'ici vendredi ?", "Merci, Élodie"), "Peux-tu faire le devis ?"),
    "de": ("Angebot für 40 Personen am 12. Dezember", ("Hallo Ines,", "wir möchten das gleiche Menü wie letztes Jahr, diesmal für 40 Personen.", "Könnten Sie uns bis Freitag ein Angebot schicken?", "Viele Grüße, Jürgen"), "Kannst du ein Angebot machen?"),
    "es": ("Presupuesto para 40 personas el 12 de diciembre", ("Hola Ines,", "Queremos el mismo menú del año pasado, esta vez para 40 personas.", "¿Podría enviarnos un presupuesto antes del viernes?", "Gracias, María José"), "¿Puedes preparar el presupuesto?"),
    "it": ("Preventivo per 40 persone il 12 dicembre", ("Ciao Ines,", "vorremmo lo stesso menù dell'anno scorso, questa volta per 40 persone.", "Può inviarci un preventivo entro venerdì?", "Grazie, Giulia"), "Puoi preparare il preventivo?"),
    "nl": ("Offerte voor 40 personen op 12 december", ("Hallo Ines,", "We willen graag hetzelfde menu als vorig jaar, dit keer voor 40 personen.", "Kunt u ons vóór vrijdag een offerte sturen?", "Bedankt, Sanne"), "Kun jij een offerte maken?"),
    "pt": ("Orçamento para 40 pessoas a 12 de dezembro", ("Olá Ines,", "Gostaríamos do mesmo menu do ano passado, desta vez para 40 pessoas.", "Pode enviar-nos um orçamento até sexta-feira?", "Obrigado, João"), "Podes fazer o orçamento?"),
    "pt-BR": ("Orçamento para 40 pessoas no dia 12 de dezembro", ("Oi Ines,", "Queremos o mesmo cardápio do ano passado, agora para 40 pessoas.", "Você pode nos mandar um orçamento até sexta?", "Obrigada, Ana Carolina"), "Você consegue fazer o orçamento?"),
    "sv": ("Offert för 40 personer den 12 december", ("Hej Ines,", "Vi vill ha samma meny som förra året, den här gången för 40 personer.", "Kan du skicka en offert före fredag?", "Tack, Åsa"), "Kan du ta fram en offert?"),
    "da": ("Tilbud på 40 personer den 12. december", ("Hej Ines,", "Vi vil gerne have samme menu som sidste år, denne gang til 40 personer.", "Kan du sende et tilbud inden fredag?", "Tak, Søren"), "Kan du lave et tilbud?"),
    "no": ("Tilbud for 40 personer 12. desember", ("Hei Ines,", "Vi ønsker den samme menyen som i fjor, denne gangen for 40 personer.", "Kan du sende oss et tilbud innen fredag?", "Takk, Ingrid"), "Kan du lage et tilbud?"),
    "fi": ("Tarjous 40 hengelle 12. joulukuuta", ("Hei Ines,", "Haluaisimme saman menun kuin viime vuonna, tällä kertaa 40 hengelle.", "Voisitteko lähettää tarjouksen perjantaihin mennessä?", "Kiitos, Mikko"), "Voitko tehdä tarjouksen?"),
    "pl": ("Oferta dla 40 osób na 12 grudnia", ("Dzień dobry Ines,", "Chcielibyśmy to samo menu co w zeszłym roku, tym razem dla 40 osób.", "Czy może Pani przesłać ofertę do piątku?", "Dziękuję, Małgorzata"), "Możesz przygotować ofertę?"),
    "cs": ("Nabídka pro 40 osob na 12. prosince", ("Dobrý den, Ines,", "rádi bychom stejné menu jako loni, tentokrát pro 40 osob.", "Můžete nám poslat nabídku do pátku?", "Děkuji, Tereza"), "Můžeš připravit nabídku?"),
    "sk": ("Ponuka pre 40 osôb na 12. decembra", ("Dobrý deň, Ines,", "radi by sme rovnaké menu ako minulý rok, tentoraz pre 40 osôb.", "Môžete nám poslať ponuku do piatku?", "Ďakujem, Ľubica"), "Môžeš pripraviť ponuku?"),
    "hu": ("Árajánlat 40 főre december 12-re", ("Kedves Ines!", "Ugyanazt a menüt szeretnénk, mint tavaly, ezúttal 40 főre.", "Küldene árajánlatot péntekig?", "Köszönöm, Eszter"), "Tudnál árajánlatot készíteni?"),
    "ro": ("Ofertă pentru 40 de persoane pe 12 decembrie", ("Bună ziua Ines,", "Ne-ar plăcea același meniu ca anul trecut, de data aceasta pentru 40 de persoane.", "Ne puteți trimite o ofertă până vineri?", "Mulțumesc, Ioana"), "Poți pregăti oferta?"),
    "hr": ("Ponuda za 40 osoba 12. prosinca", ("Poštovana Ines,", "željeli bismo isti jelovnik kao prošle godine, ovaj put za 40 osoba.", "Možete li nam poslati ponudu do petka?", "Hvala, Ivana"), "Možeš li pripremiti ponudu?"),
    "tr": ("12 Aralık için 40 kişilik teklif", ("Merhaba Ines,", "Geçen yılki menünün aynısını bu kez 40 kişi için istiyoruz.", "Cuma gününe kadar bize bir teklif gönderebilir misiniz?", "Teşekkürler, Ayşe"), "Teklif hazırlayabilir misin?"),
    "ru": ("Предложение на 40 человек на 12 декабря", ("Здравствуйте, Инес!", "Мы хотели бы то же меню, что и в прошлом году, на этот раз на 40 человек.", "Не могли бы вы прислать предложение до пятницы?", "Спасибо, Ольга"), "Сможешь подготовить предложение?"),
    "uk": ("Пропозиція на 40 осіб на 12 грудня", ("Добрий день, Інес!", "Ми хотіли б таке саме меню, як торік, цього разу на 40 осіб.", "Чи могли б ви надіслати пропозицію до пʼятниці?", "Дякую, Олена"), "Можеш підготувати пропозицію?"),
    "ja": ("12月12日 40名様分のお見積もり", ("Ines様", "昨年と同じメニューを、今回は40名分お願いしたいと考えております。", "金曜日までにお見積もりをお送りいただけますでしょうか。", "よろしくお願いいたします。山田"), "見積もりをお願いできますか？"),
}  # fmt: skip

# The forwarder's zone (minutes east of UTC) in winter and in summer.
ZONES = {
    "en": (-300, -240), "pt": (0, 60), "pt-BR": (-180, -180), "fi": (120, 180), "ro": (120, 180),
    "uk": (120, 180), "tr": (180, 180), "ru": (180, 180), "ja": (540, 540),
}  # fmt: skip
ZONE_DEFAULT = (60, 120)

# Zone abbreviations Apple Mail and Yahoo write, per language and offset.
ZONE_NAMES = {
    "de": {60: "MEZ", 120: "MESZ"},
    "cs": {60: "SEČ", 120: "SELČ"},
    "sk": {60: "SEČ", 120: "SELČ"},
    "en": {-300: "EST", -240: "EDT"},
    "pt": {0: "WET", 60: "WEST"},
    "fi": {120: "EET", 180: "EEST"},
    "ro": {120: "EET", 180: "EEST"},
}
ZONE_NAMES_DEFAULT = {60: "CET", 120: "CEST"}

WEEKDAYS = {  # Monday first
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    "sv": "måndag tisdag onsdag torsdag fredag lördag söndag",
    "da": "mandag tirsdag onsdag torsdag fredag lørdag søndag",
    "no": "mandag tirsdag onsdag torsdag fredag lørdag søndag",
    "fi": "maanantai tiistai keskiviikko torstai perjantai lauantai sunnuntai",
    "pl": "poniedziałek wtorek środa czwartek piątek sobota niedziela",
    "cs": "pondělí úterý středa čtvrtek pátek sobota neděle",
    "sk": "pondelok utorok streda štvrtok piatok sobota nedeľa",
    "hu": "hétfő kedd szerda csütörtök péntek szombat vasárnap",
    "ro": "luni marți miercuri joi vineri sâmbătă duminică",
    "hr": "ponedjeljak utorak srijeda četvrtak petak subota nedjelja",
    "tr": "Pazartesi Salı Çarşamba Perşembe Cuma Cumartesi Pazar",
    "ru": "понедельник вторник среда четверг пятница суббота воскресенье",
    "uk": "понеділок вівторок середа четвер пʼятниця субота неділя",
    "ja": "月 火 水 木 金 土 日",
}
WEEKDAYS["pt-BR"] = WEEKDAYS["pt"]

MONTHS = {  # as written inside a date (genitive where the language declines)
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "no": "januar februar mars april mai juni juli august september oktober november desember",
    "fi": "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta "
    "syyskuuta lokakuuta marraskuuta joulukuuta",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
    "listopada grudnia",
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince",
    "sk": "januára februára marca apríla mája júna júla augusta septembra októbra novembra decembra",
    "hu": "január február március április május június július augusztus szeptember október "
    "november december",
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie "
    "decembrie",
    "hr": "siječnja veljače ožujka travnja svibnja lipnja srpnja kolovoza rujna listopada studenoga "
    "prosinca",
    "tr": "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
}
MONTHS["pt-BR"] = MONTHS["pt"]

# Gmail's short weekday and month names (CLDR "abbreviated", as Gmail prints them).
GMAIL_WEEKDAYS = {
    "en": "Mon Tue Wed Thu Fri Sat Sun",
    "fr": "lun. mar. mer. jeu. ven. sam. dim.",
    "de": "Mo. Di. Mi. Do. Fr. Sa. So.",
    "es": "lun mar mié jue vie sáb dom",
    "it": "lun mar mer gio ven sab dom",
    "nl": "ma di wo do vr za zo",
    "pt": "segunda terça quarta quinta sexta sábado domingo",
    "pt-BR": "seg. ter. qua. qui. sex. sáb. dom.",
    "sv": "mån tis ons tors fre lör sön",
    "da": "man. tirs. ons. tors. fre. lør. søn.",
    "no": "man. tir. ons. tor. fre. lør. søn.",
    "fi": "ma ti ke to pe la su",
    "pl": "pon. wt. śr. czw. pt. sob. niedz.",
    "cs": "po út st čt pá so ne",
    "sk": "po ut st št pi so ne",
    "hu": "H K Sze Cs P Szo V",
    "ro": "lun. mar. mie. joi vin. sâm. dum.",
    "hr": "pon uto sri čet pet sub ned",
    "tr": "Pzt Sal Çar Per Cum Cmt Paz",
    "ru": "пн вт ср чт пт сб вс",
    "uk": "пн вт ср чт пт сб нд",
    "ja": "月 火 水 木 金 土 日",
}
GMAIL_MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "fr": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
    "de": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.",
    "es": "ene feb mar abr may jun jul ago sept oct nov dic",
    "it": "gen feb mar apr mag giu lug ago set ott nov dic",
    "nl": "jan. feb. mrt. apr. mei jun. jul. aug. sep. okt. nov. dec.",
    "pt-BR": "jan. fev. mar. abr. mai. jun. jul. ago. set. out. nov. dez.",
    "sv": "jan. feb. mars apr. maj juni juli aug. sep. okt. nov. dec.",
    "da": "jan. feb. mar. apr. maj jun. jul. aug. sep. okt. nov. dec.",
    "no": "jan. feb. mar. apr. mai jun. jul. aug. sep. okt. nov. des.",
    "fi": "tammik. helmik. maalisk. huhtik. toukok. kesäk. heinäk. elok. syysk. lokak. marrask. "
    "jouluk.",
    "pl": "sty lut mar kwi maj cze lip sie wrz paź lis gru",
    "hu": "jan. febr. márc. ápr. máj. jún. júl. aug. szept. okt. nov. dec.",
    "ro": "ian. feb. mar. apr. mai iun. iul. aug. sept. oct. nov. dec.",
    "hr": "sij velj ožu tra svi lip srp kol ruj lis stu pro",
    "tr": "Oca Şub Mar Nis May Haz Tem Ağu Eyl Eki Kas Ara",
    "ru": "янв. февр. мар. апр. мая июн. июл. авг. сент. окт. нояб. дек.",
    "uk": "січ. лют. бер. квіт. трав. черв. лип. серп. вер. жовт. лист. груд.",
}

# Gmail's "Date:" value per language ({wd} {mon}: the names above; {H} hour without padding).
GMAIL_DATE = {
    "en": "{wd}, {mon} {d}, {Y} at {h}:{MM} {AP}",
    "fr": "{wd} {d} {mon} {Y} à {HH}:{MM}",
    "de": "{wd}, {d}. {mon} {Y} um {HH}:{MM} Uhr",
    "es": "{wd}, {d} {mon} {Y} a las {H}:{MM}",
    "it": "{wd} {d} {mon} {Y} alle ore {HH}:{MM}",
    "nl": "{wd} {d} {mon} {Y} om {HH}:{MM}",
    "pt": "{wd}, {dd}/{mm}/{Y} à(s) {HH}:{MM}",
    "pt-BR": "{wd}, {d} de {mon} de {Y} às {HH}:{MM}",
    "sv": "{wd} {d} {mon} {Y} kl {HH}:{MM}",
    "da": "{wd} {d}. {mon} {Y} kl. {HH}.{MM}",
    "no": "{wd} {d}. {mon} {Y} kl. {HH}:{MM}",
    "fi": "{wd} {d}. {mon} {Y} klo {H}.{MM}",
    "pl": "{wd}, {d} {mon} {Y} o {HH}:{MM}",
    "cs": "{wd} {d}. {m}. {Y} v {H}:{MM}",
    "sk": "{wd} {d}. {m}. {Y} o {H}:{MM}",
    "hu": "{Y}. {mon} {d}., {wd}, {H}:{MM}",
    "ro": "{wd}, {d} {mon} {Y} la {HH}:{MM}",
    "hr": "{wd}, {d}. {mon} {Y}. u {HH}:{MM}",
    "tr": "{d} {mon} {Y} {wd}, {HH}:{MM}",
    "ru": "{wd}, {d} {mon} {Y} г. в {HH}:{MM}",
    "uk": "{wd}, {d} {mon} {Y} о {HH}:{MM}",
    "ja": "{Y}年{m}月{d}日({wd}) {H}:{MM}",
}

# Outlook's long date and short time ({W} weekday, {M} month: the full names above).
OUTLOOK_DATE = {
    "en": "{W}, {M} {d}, {Y} {h}:{MM} {AP}",
    "fr": "{W} {d} {M} {Y} {HH}:{MM}",
    "de": "{W}, {d}. {M} {Y} {HH}:{MM}",
    "es": "{W}, {d} de {M} de {Y} {H}:{MM}",
    "it": "{W} {d} {M} {Y} {HH}:{MM}",
    "nl": "{W} {d} {M} {Y} {HH}:{MM}",
    "pt": "{W}, {d} de {M} de {Y} {HH}:{MM}",
    "pt-BR": "{W}, {d} de {M} de {Y} {HH}:{MM}",
    "sv": "den {d} {M} {Y} {HH}:{MM}",
    "da": "{W} den {d}. {M} {Y} {HH}:{MM}",
    "no": "{W} {d}. {M} {Y} {HH}:{MM}",
    "fi": "{W} {d}. {M} {Y} {H}.{MM}",
    "pl": "{W}, {d} {M} {Y} {HH}:{MM}",
    "cs": "{W} {d}. {M} {Y} {H}:{MM}",
    "sk": "{W} {d}. {M} {Y} {H}:{MM}",
    "hu": "{Y}. {M} {d}., {W} {H}:{MM}",
    "ro": "{W}, {d} {M} {Y} {HH}:{MM}",
    "hr": "{W}, {d}. {M} {Y}. {H}:{MM}",
    "tr": "{d} {M} {Y} {W} {HH}:{MM}",
    "ru": "{W}, {d} {M} {Y} г. {H}:{MM}",
    "uk": "{W}, {d} {M} {Y} р. {H}:{MM}",
    "ja": "{Y}年{m}月{d}日 {H}:{MM}",
}

# Apple Mail's date ({Z}: zone) and Yahoo's.
APPLE_DATE = {
    "en": "{d} {M} {Y} at {HH}:{MM}:{SS} {Z}",
    "fr": "{d} {M} {Y} à {HH}:{MM}:{SS} {Z}",
    "de": "{d}. {M} {Y} um {HH}:{MM}:{SS} {Z}",
    "es": "{d} de {M} de {Y}, {HH}:{MM}:{SS} {Z}",
    "it": "{d} {M} {Y} {HH}:{MM}:{SS} {Z}",
    "nl": "{d} {M} {Y} om {HH}:{MM}:{SS} {Z}",
    "pt": "{d} de {M} de {Y}, {HH}:{MM}:{SS} {Z}",
    "pt-BR": "{d} de {M} de {Y}, {HH}:{MM}:{SS} {Z}",
    "sv": "{d} {M} {Y} {HH}:{MM}:{SS} {Z}",
    "da": "{d}. {M} {Y} kl. {HH}.{MM}.{SS} {Z}",
    "no": "{d}. {M} {Y} kl. {HH}:{MM}:{SS} {Z}",
    "fi": "{d}. {M} {Y} klo {HH}.{MM}.{SS} {Z}",
    "pl": "{d} {M} {Y} o {HH}:{MM}:{SS} {Z}",
    "cs": "{d}. {M} {Y} {HH}:{MM}:{SS} {Z}",
    "sk": "{d}. {M} {Y}, {HH}:{MM}:{SS} {Z}",
    "hu": "{Y}. {M} {d}. {HH}:{MM}:{SS} {Z}",
    "ro": "{d} {M} {Y}, {HH}:{MM}:{SS} {Z}",
    "hr": "{d}. {M} {Y}. u {HH}:{MM}:{SS} {Z}",
    "tr": "{d} {M} {Y} {HH}:{MM}:{SS} {Z}",
    "ru": "{d} {M} {Y} г. в {HH}:{MM}:{SS} {Z}",
    "uk": "{d} {M} {Y} р. о {HH}:{MM}:{SS} {Z}",
    "ja": "{Y}年{m}月{d}日 {HH}:{MM}:{SS} {Z}",
}
APPLE_ZONE_STYLE = {"fr": "UTC", "fi": "UTC", "cs": "GMT", "ru": "GMT", "sk": "GMT", "tr": "GMT",
                    "uk": "GMT", "ja": "GMT"}  # fmt: skip

YAHOO_DATE = {
    "en": "{W}, {M} {d}, {Y}, {hh}:{MM}:{SS} {AP} {Z}",
    "fr": "{W} {d} {M} {Y}, {HH}:{MM}:{SS} {Z}",
    "de": "{W}, {d}. {M} {Y}, {HH}:{MM}:{SS} {Z}",
    "es": "{W}, {d} de {M} de {Y} {HH}:{MM}:{SS} {Z}",
    "it": "{W} {d} {M} {Y}, {HH}:{MM}:{SS} {Z}",
    "nl": "{W} {d} {M} {Y} {HH}:{MM}:{SS} {Z}",
    "pt": "{W}, {d} de {M} de {Y}, {HH}:{MM}:{SS} {Z}",
    "pt-BR": "{W}, {d} de {M} de {Y} {HH}:{MM}:{SS} {Z}",
    "sv": "{W} {d} {M} {Y} {HH}:{MM}:{SS} {Z}",
    "da": "{W} den {d}. {M} {Y} {HH}.{MM}.{SS} {Z}",
    "no": "{W} {d}. {M} {Y}, {HH}:{MM}:{SS} {Z}",
    "fi": "{W}na {d}. {M} {Y} klo {HH}.{MM}.{SS} {Z}",
    "pl": "{W}, {d} {M} {Y}, {HH}:{MM}:{SS} {Z}",
    "cs": "{W} {d}. {M} {Y} {HH}:{MM}:{SS} {Z}",
    "sk": "{W} {d}. {M} {Y}, {HH}:{MM}:{SS} {Z}",
    "hu": "{Y}. {M} {d}., {W} {HH}:{MM}:{SS} {Z}",
    "ro": "{W}, {d} {M} {Y}, {HH}:{MM}:{SS} {Z}",
    "tr": "{d} {M} {Y} {W} {HH}:{MM}:{SS} {Z}",
    "ru": "{W}, {d} {M} {Y} г., {HH}:{MM}:{SS} {Z}",
    "uk": "{W}, {d} {M} {Y} р., {HH}:{MM}:{SS} {Z}",
}
YAHOO_ZONE_STYLE = {"en": "GMT", "fr": "UTC", "fi": "UTC", "pt-BR": "GMT", "ru": "GMT",
                    "tr": "GMT", "uk": "GMT"}  # fmt: skip


def format_date(
    pattern: str, language: str, local: datetime, zone: str = "", *, gmail=False
) -> str:
    """Fill a date pattern with ``local`` (a naive local time) written in ``language``."""
    weekday = local.weekday()
    hour12 = local.hour % 12 or 12
    values = {
        "d": str(local.day),
        "dd": f"{local.day:02d}",
        "m": str(local.month),
        "mm": f"{local.month:02d}",
        "Y": str(local.year),
        "yy": f"{local.year % 100:02d}",
        "H": str(local.hour),
        "HH": f"{local.hour:02d}",
        "h": str(hour12),
        "hh": f"{hour12:02d}",
        "MM": f"{local.minute:02d}",
        "SS": f"{local.second:02d}",
        "AP": "AM" if local.hour < 12 else "PM",
        "Z": zone,
        "W": _names(WEEKDAYS.get(language, WEEKDAYS["en"]))[weekday],
        "M": MONTHS.get(language, MONTHS["en"]).split()[local.month - 1],
        "BY": str(local.year + 543),  # Thai: the Buddhist era
        "APzh": "上午" if local.hour < 12 else "下午",
        "APko": "오전" if local.hour < 12 else "오후",
        "APel": "π.μ." if local.hour < 12 else "μ.μ.",
        "APar": "ص" if local.hour < 12 else "م",
        "APhi": "पूर्वाह्न" if local.hour < 12 else "अपराह्न",
    }
    values["W3"], values["M3"] = values["W"][:3], values["M"][:3]
    values["deM"] = _catalan_de(values["M"])
    if gmail:
        values["wd"] = _names(GMAIL_WEEKDAYS[language])[weekday]
        if language in GMAIL_MONTHS:
            values["mon"] = GMAIL_MONTHS[language].split()[local.month - 1]
            values["demon"] = _catalan_de(values["mon"])
    return pattern.format(**values)


def _names(names: str) -> list[str]:
    return names.split("|") if "|" in names else names.split()


def _catalan_de(month: str) -> str:
    """Catalan writes "de novembre" but "d'abril", "d'agost", "d'octubre"."""
    return f"d'{month}" if month[:1].lower() in "aeiou" else f"de {month}"


def zone_text(language: str, minutes: int, style: str | None) -> str:
    """Write a zone as Apple Mail or Yahoo would: "GMT+1", "UTC+1", or an abbreviation."""
    if style is None:
        name = ZONE_NAMES.get(language, ZONE_NAMES_DEFAULT).get(minutes)
        if name:
            return name
        style = "GMT"
    if minutes == 0:
        return style
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes > 0 else "-"
    return f"{style}{sign}{hours}" + (f":{rest:02d}" if rest else "")


# -- the rest of the world (issue 18): languages added after the first 22 --------------------------
# Kept apart, and generated after every earlier sample, so that the earlier samples stay unchanged.

WORLD_LANGUAGES = (
    "zh", "zh-TW", "ko", "el", "he", "ar", "hi", "th", "vi", "id", "et", "bg", "sr", "sr-Latn",
    "lt", "lv", "sl", "ca",
)  # fmt: skip

PEOPLE.update({
    "zh": ("王伟", "wang.wei@chaye-hangzhou.example", "李娜", "li.na@chaye-hangzhou.example"),
    "zh-TW": ("陳怡君", "chen.yijun@chaye-taipei.example", "林志明", "lin.zhiming@chaye-taipei.example"),
    "ko": ("김민지", "minji.kim@tteok-seoul.example", "박준호", "junho.park@tteok-seoul.example"),
    "el": ("Ελένη Παπαδοπούλου", "eleni.papadopoulou@fournos-athina.example", "Γιώργος Νικολάου", "giorgos.nikolaou@fournos-athina.example"),
    "he": ("נועה כהן", "noa.cohen@maafiya-haifa.example", "יוסי לוי", "yossi.levi@maafiya-haifa.example"),
    "ar": ("ليلى حداد", "layla.haddad@halawiyat-amman.example", "عمر خليل", "omar.khalil@halawiyat-amman.example"),
    "hi": ("प्रिया शर्मा", "priya.sharma@mithai-jaipur.example", "राहुल वर्मा", "rahul.verma@mithai-jaipur.example"),
    "th": ("สมศรี ใจดี", "somsri.jaidee@khanom-chiangmai.example", "ประเสริฐ ทองดี", "prasert.thongdee@khanom-chiangmai.example"),
    "vi": ("Nguyễn Thị Lan", "lan.nguyen@banhmi-hanoi.example", "Trần Văn Minh", "minh.tran@banhmi-hanoi.example"),
    "id": ("Siti Rahmawati", "siti.rahmawati@kue-bandung.example", "Budi Santoso", "budi.santoso@kue-bandung.example"),
    "et": ("Kadri Tamm", "kadri.tamm@pagar-tartu.example", "Märt Kask", "mart.kask@pagar-tartu.example"),
    "bg": ("Мария Иванова", "maria.ivanova@sladkarnitsa-sofia.example", "Георги Петров", "georgi.petrov@sladkarnitsa-sofia.example"),
    "sr": ("Јелена Јовановић", "jelena.jovanovic@pekara-beograd.example", "Марко Петровић", "marko.petrovic@pekara-beograd.example"),
    "sr-Latn": ("Milica Stojanović", "milica.stojanovic@poslasticarnica-novisad.example", "Nikola Ilić", "nikola.ilic@poslasticarnica-novisad.example"),
    "lt": ("Rūta Kazlauskienė", "ruta.kazlauskiene@kepykla-vilnius.example", "Tomas Petrauskas", "tomas.petrauskas@kepykla-vilnius.example"),
    "lv": ("Ilze Bērziņa", "ilze.berzina@maiznica-riga.example", "Jānis Ozols", "janis.ozols@maiznica-riga.example"),
    "sl": ("Maja Novak", "maja.novak@slascicarna-ljubljana.example", "Luka Horvat", "luka.horvat@slascicarna-ljubljana.example"),
    "ca": ("Montserrat Puig", "montserrat.puig@forn-girona.example", "Jordi Vila", "jordi.vila@forn-girona.example"),
})  # fmt: skip

CONTENT.update({
    "zh": ("12月12日40人餐饮报价", ("Ines您好，", "我们希望订购与去年相同的菜单，这次是40人。", "能否在周五前发给我们报价？", "谢谢，王伟"), "你能报个价吗？"),
    "zh-TW": ("12月12日40人餐點報價", ("Ines 您好：", "我們想訂和去年一樣的菜單，這次是40人。", "可以在星期五前寄報價給我們嗎？", "謝謝，陳怡君"), "可以幫忙報價嗎？"),
    "ko": ("12월 12일 40인분 견적 요청", ("Ines님 안녕하세요,", "작년과 같은 메뉴로 이번에는 40명분을 주문하고 싶습니다.", "금요일까지 견적서를 보내주실 수 있을까요?", "감사합니다, 김민지"), "견적 부탁해도 될까요?"),
    "el": ("Προσφορά για 40 άτομα στις 12 Δεκεμβρίου", ("Γεια σας Ines,", "Θα θέλαμε το ίδιο μενού με πέρσι, αυτή τη φορά για 40 άτομα.", "Μπορείτε να μας στείλετε προσφορά έως την Παρασκευή;", "Ευχαριστώ, Ελένη"), "Μπορείς να ετοιμάσεις την προσφορά;"),
    "he": ("הצעת מחיר ל-40 איש ב-12 בדצמבר", ("שלום Ines,", "נשמח לקבל את אותו תפריט כמו בשנה שעברה, הפעם ל-40 איש.", "האם תוכלי לשלוח לנו הצעת מחיר עד יום שישי?", "תודה, נועה"), "תוכלי להכין הצעת מחיר?"),
    "ar": ("عرض سعر لـ 40 شخصًا يوم 12 ديسمبر", ("مرحبًا Ines،", "نود الحصول على نفس قائمة الطعام مثل العام الماضي، هذه المرة لـ 40 شخصًا.", "هل يمكنك إرسال عرض سعر قبل يوم الجمعة؟", "شكرًا، ليلى"), "هل يمكنك إعداد العرض؟"),
    "hi": ("12 दिसंबर को 40 लोगों के लिए कोटेशन", ("नमस्ते Ines,", "हम पिछले साल वाला ही मेन्यू चाहते हैं, इस बार 40 लोगों के लिए।", "क्या आप शुक्रवार तक हमें कोटेशन भेज सकती हैं?", "धन्यवाद, प्रिया"), "क्या तुम कोटेशन बना सकती हो?"),
    "th": ("ใบเสนอราคาสำหรับ 40 ท่าน วันที่ 12 ธันวาคม", ("เรียน คุณ Ines", "เราต้องการเมนูเดียวกับปีที่แล้ว ครั้งนี้สำหรับ 40 ท่าน", "รบกวนส่งใบเสนอราคาภายในวันศุกร์ได้ไหมคะ", "ขอบคุณค่ะ สมศรี"), "ช่วยทำใบเสนอราคาได้ไหม"),
    "vi": ("Báo giá cho 40 người ngày 12 tháng 12", ("Chào Ines,", "Chúng tôi muốn đặt thực đơn giống năm ngoái, lần này cho 40 người.", "Bạn có thể gửi báo giá trước thứ Sáu không?", "Cảm ơn, Lan"), "Bạn làm báo giá giúp nhé?"),
    "id": ("Penawaran untuk 40 orang pada 12 Desember", ("Halo Ines,", "Kami ingin menu yang sama seperti tahun lalu, kali ini untuk 40 orang.", "Bisakah Anda mengirimkan penawaran sebelum hari Jumat?", "Terima kasih, Siti"), "Bisa buatkan penawarannya?"),
    "et": ("Pakkumine 40 inimesele 12. detsembriks", ("Tere Ines,", "Soovime sama menüüd kui eelmisel aastal, seekord 40 inimesele.", "Kas saaksite meile reedeks pakkumise saata?", "Aitäh, Kadri"), "Kas saad pakkumise teha?"),
    "bg": ("Оферта за 40 души за 12 декември", ("Здравейте, Инес,", "Бихме искали същото меню като миналата година, този път за 40 души.", "Можете ли да ни изпратите оферта до петък?", "Благодаря, Мария"), "Можеш ли да подготвиш офертата?"),
    "sr": ("Понуда за 40 особа за 12. децембар", ("Поштована Инес,", "желели бисмо исти мени као прошле године, овога пута за 40 особа.", "Можете ли да нам пошаљете понуду до петка?", "Хвала, Јелена"), "Можеш ли да припремиш понуду?"),
    "sr-Latn": ("Ponuda za 40 osoba za 12. decembar", ("Poštovana Ines,", "želeli bismo isti meni kao prošle godine, ovoga puta za 40 osoba.", "Možete li da nam pošaljete ponudu do petka?", "Hvala, Milica"), "Možeš li da pripremiš ponudu?"),
    "lt": ("Pasiūlymas 40 asmenų gruodžio 12 d.", ("Sveiki, Ines,", "norėtume to paties meniu kaip pernai, šį kartą 40 asmenų.", "Ar galėtumėte atsiųsti pasiūlymą iki penktadienio?", "Ačiū, Rūta"), "Ar gali paruošti pasiūlymą?"),
    "lv": ("Piedāvājums 40 personām 12. decembrī", ("Labdien, Ines!", "Mēs vēlētos to pašu ēdienkarti kā pagājušajā gadā, šoreiz 40 personām.", "Vai varat atsūtīt piedāvājumu līdz piektdienai?", "Paldies, Ilze"), "Vai vari sagatavot piedāvājumu?"),
    "sl": ("Ponudba za 40 oseb za 12. december", ("Pozdravljeni, Ines,", "želeli bi enak meni kot lani, tokrat za 40 oseb.", "Nam lahko pošljete ponudbo do petka?", "Hvala, Maja"), "Lahko pripraviš ponudbo?"),
    "ca": ("Pressupost per a 40 persones el 12 de desembre", ("Hola Ines,", "Voldríem el mateix menú que l'any passat, aquesta vegada per a 40 persones.", "Ens podríeu enviar un pressupost abans de divendres?", "Gràcies, Montserrat"), "Pots preparar el pressupost?"),
})  # fmt: skip

ZONES.update({
    "zh": (480, 480), "zh-TW": (480, 480), "ko": (540, 540), "el": (120, 180), "he": (120, 180),
    "ar": (180, 180), "hi": (330, 330), "th": (420, 420), "vi": (420, 420), "id": (420, 420),
    "et": (120, 180), "bg": (120, 180), "lt": (120, 180), "lv": (120, 180),
})  # fmt: skip

# "|" separates names of several words
WEEKDAYS.update(
    {
        "zh": "星期一 星期二 星期三 星期四 星期五 星期六 星期日",
        "zh-TW": "星期一 星期二 星期三 星期四 星期五 星期六 星期日",
        "ko": "월요일 화요일 수요일 목요일 금요일 토요일 일요일",
        "el": "Δευτέρα Τρίτη Τετάρτη Πέμπτη Παρασκευή Σάββατο Κυριακή",
        "he": "שני שלישי רביעי חמישי שישי שבת ראשון",
        "ar": "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد",
        "hi": "सोमवार मंगलवार बुधवार गुरुवार शुक्रवार शनिवार रविवार",
        "th": "จันทร์ อังคาร พุธ พฤหัสบดี ศุกร์ เสาร์ อาทิตย์",
        "vi": "Thứ Hai|Thứ Ba|Thứ Tư|Thứ Năm|Thứ Sáu|Thứ Bảy|Chủ Nhật",
        "id": "Senin Selasa Rabu Kamis Jumat Sabtu Minggu",
        "et": "esmaspäev teisipäev kolmapäev neljapäev reede laupäev pühapäev",
        "bg": "понеделник вторник сряда четвъртък петък събота неделя",
        "sr": "понедељак уторак среда четвртак петак субота недеља",
        "sr-Latn": "ponedeljak utorak sreda četvrtak petak subota nedelja",
        "lt": "pirmadienis antradienis trečiadienis ketvirtadienis penktadienis šeštadienis sekmadienis",
        "lv": "pirmdiena otrdiena trešdiena ceturtdiena piektdiena sestdiena svētdiena",
        "sl": "ponedeljek torek sreda četrtek petek sobota nedelja",
        "ca": "dilluns dimarts dimecres dijous divendres dissabte diumenge",
    }
)
MONTHS.update(
    {
        "el": "Ιανουαρίου Φεβρουαρίου Μαρτίου Απριλίου Μαΐου Ιουνίου Ιουλίου Αυγούστου Σεπτεμβρίου "
        "Οκτωβρίου Νοεμβρίου Δεκεμβρίου",
        "he": "ינואר פברואר מרץ אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר",
        "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
        "hi": "जनवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्टूबर नवंबर दिसंबर",
        "th": "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม "
        "พฤศจิกายน ธันวาคม",
        "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
        "et": "jaanuar veebruar märts aprill mai juuni juuli august september oktoober november detsember",
        "bg": "януари февруари март април май юни юли август септември октомври ноември декември",
        "sr": "јануар фебруар март април мај јун јул август септембар октобар новембар децембар",
        "sr-Latn": "januar februar mart april maj jun jul avgust septembar oktobar novembar decembar",
        "lt": "sausio vasario kovo balandžio gegužės birželio liepos rugpjūčio rugsėjo spalio lapkričio "
        "gruodžio",
        "lv": "janvāris februāris marts aprīlis maijs jūnijs jūlijs augusts septembris oktobris "
        "novembris decembris",
        "sl": "januar februar marec april maj junij julij avgust september oktober november december",
        "ca": "gener febrer març abril maig juny juliol agost setembre octubre novembre desembre",
    }
)
GMAIL_WEEKDAYS.update({
    "zh": "一 二 三 四 五 六 日", "zh-TW": "一 二 三 四 五 六 日", "ko": "월 화 수 목 금 토 일",
    "el": "Δευ Τρί Τετ Πέμ Παρ Σάβ Κυρ", "he": "ב׳ ג׳ ד׳ ה׳ ו׳ ש׳ א׳",
    "ar": "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد",
    "hi": "सोम मंगल बुध गुरु शुक्र शनि रवि", "th": "จ. อ. พ. พฤ. ศ. ส. อา.",
    "vi": "Th 2|Th 3|Th 4|Th 5|Th 6|Th 7|CN", "id": "Sen Sel Rab Kam Jum Sab Min",
    "et": "E T K N R L P", "bg": "пн вт ср чт пт сб нд", "sr": "пон уто сре чет пет суб нед",
    "sr-Latn": "pon uto sre čet pet sub ned", "lt": "pr an tr kt pn št sk",
    "lv": "pirmd. otrd. trešd. ceturtd. piektd. sestd. svētd.",
    "sl": "pon. tor. sre. čet. pet. sob. ned.", "ca": "dl. dt. dc. dj. dv. ds. dg.",
})  # fmt: skip
GMAIL_MONTHS.update({
    "el": "Ιαν Φεβ Μαρ Απρ Μαΐ Ιουν Ιουλ Αυγ Σεπ Οκτ Νοε Δεκ",
    "id": "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des",
    "et": "jaan veebr märts apr mai juuni juuli aug sept okt nov dets",
    "sr": "јан феб мар апр мај јун јул авг сеп окт нов дец",
    "sr-Latn": "jan feb mar apr maj jun jul avg sep okt nov dec",
    "lv": "janv. febr. marts apr. maijs jūn. jūl. aug. sept. okt. nov. dec.",
    "sl": "jan. feb. mar. apr. maj jun. jul. avg. sep. okt. nov. dec.",
    "ca": "gen. febr. març abr. maig juny jul. ag. set. oct. nov. des.",
})  # fmt: skip
GMAIL_DATE.update(
    {
        "zh": "{Y}年{m}月{d}日周{wd} {APzh}{h}:{MM}",
        "zh-TW": "{Y}年{m}月{d}日 週{wd} {APzh}{h}:{MM}",
        "ko": "{Y}년 {m}월 {d}일 ({wd}) {APko} {h}:{MM}",
        "el": "{wd}, {d} {mon} {Y} στις {h}:{MM} {APel}",
        "he": "יום {wd}, {d} ב{M} {Y} ב-{H}:{MM}",
        "ar": "{wd}، {d} {M} {Y} في {h}:{MM} {APar}",
        "hi": "{wd}, {d} {M} {Y}, {h}:{MM} {APhi}",
        "th": "{wd} {d} {M} {BY} เวลา {H}:{MM}",
        "vi": "{wd}, {d} thg {m}, {Y} vào lúc {H}:{MM}",
        "id": "{wd}, {d} {mon} {Y} pukul {HH}.{MM}",
        "et": "{wd}, {d}. {mon} {Y} kell {H}:{MM}",
        "bg": "{wd}, {d}.{mm}.{Y} г. в {H}:{MM}",
        "sr": "{wd}, {d}. {mon} {Y}. у {HH}:{MM}",
        "sr-Latn": "{wd}, {d}. {mon} {Y}. u {HH}:{MM}",
        "lt": "{Y}-{mm}-{dd}, {wd}, {HH}:{MM}",
        "lv": "{wd}, {Y}. gada {d}. {mon}, plkst. {HH}:{MM}",
        "sl": "{wd}, {d}. {mon} {Y} ob {H}:{MM}",
        "ca": "{wd}, {d} {demon} {Y} a les {H}:{MM}",
    }
)
OUTLOOK_DATE.update(
    {
        "zh": "{Y}年{m}月{d}日 {W} {H}:{MM}",
        "zh-TW": "{Y}年{m}月{d}日 {W} {APzh} {h}:{MM}",
        "ko": "{Y}년 {m}월 {d}일 {W} {APko} {h}:{MM}",
        "el": "{W}, {d} {M} {Y} {h}:{MM} {APel}",
        "he": "יום {W} {d} {M} {Y} {H}:{MM}",
        "ar": "{W}، {d} {M} {Y} {h}:{MM} {APar}",
        "hi": "{W}, {d} {M} {Y} {h}:{MM} {APhi}",
        "th": "วัน{W}ที่ {d} {M} {BY} {H}:{MM}",
        "vi": "{W}, {d} tháng {m}, {Y} {H}:{MM}",
        "id": "{W}, {d} {M} {Y} {HH}.{MM}",
        "et": "{W}, {d}. {M} {Y} {H}:{MM}",
        "bg": "{W}, {d} {M} {Y} г. {H}:{MM} ч.",
        "sr": "{W}, {d}. {M} {Y}. {H}:{MM}",
        "sr-Latn": "{W}, {d}. {M} {Y}. {H}:{MM}",
        "lt": "{Y} m. {M} {d} d., {W} {H}:{MM}",
        "lv": "{W}, {Y}. gada {d}. {M} {H}:{MM}",
        "sl": "{W}, {d}. {M} {Y} {H}:{MM}",
        "ca": "{W}, {d} {deM} {Y} {H}:{MM}",
    }
)
APPLE_DATE.update(
    {
        "zh": "{Y}年{m}月{d}日 {HH}:{MM}:{SS} {Z}",
        "zh-TW": "{Y}年{m}月{d}日 {APzh}{h}:{MM}:{SS} {Z}",
        "ko": "{Y}년 {m}월 {d}일 {APko} {h}:{MM}:{SS} {Z}",
        "el": "{d} {M} {Y} - {HH}:{MM}:{SS} {Z}",
        "he": "{d} ב{M} {Y} בשעה {HH}:{MM}:{SS} {Z}",
        "ar": "{d} {M} {Y} في {HH}:{MM}:{SS} {Z}",
        "hi": "{d} {M} {Y} को {HH}:{MM}:{SS} {Z}",
        "th": "{d} {M} {BY} เวลา {HH}:{MM}:{SS} {Z}",
        "vi": "{d} tháng {m}, {Y} lúc {HH}:{MM}:{SS} {Z}",
        "id": "{d} {M} {Y} pukul {HH}.{MM}.{SS} {Z}",
        "et": "{d}. {M} {Y} kell {HH}:{MM}:{SS} {Z}",
        "bg": "{d} {M} {Y} г., в {HH}:{MM}:{SS} {Z}",
        "sr": "{d}. {M} {Y}. у {HH}:{MM}:{SS} {Z}",
        "sr-Latn": "{d}. {M} {Y}. u {HH}:{MM}:{SS} {Z}",
        "lt": "{Y} m. {M} {d} d. {HH}:{MM}:{SS} {Z}",
        "lv": "{Y}. gada {d}. {M} {HH}:{MM}:{SS} {Z}",
        "sl": "{d}. {M} {Y} ob {HH}:{MM}:{SS} {Z}",
        "ca": "{d} {deM} {Y} a les {HH}:{MM}:{SS} {Z}",
    }
)
APPLE_ZONE_STYLE.update(dict.fromkeys(WORLD_LANGUAGES, "GMT"))
