"""Benchmark of forward recovery against the two libraries we evaluated, on the forward corpus.

Run from the repository root: ``python3 bench/forwards.py`` (about two minutes). It prints:

1. For mail_lead_capture's ``recover_forward``, email-forward-parser 0.1.3 and quotequail 0.5.4, in
   the same run, over tests/samples/forwards and tests/samples/not_forwards: the original sender's
   address recovered (% of the forwards whose sender has an address), the display name recovered
   when the forward shows only a name (%), wrong sender addresses (count: a forward credited to
   someone else), false forwards (count of non-forwards said to be forwards), errors (exceptions),
   and messages per second. The libraries get what they need: email-forward-parser the raw mail as
   text, quotequail the text (or HTML) body taken out by Python's email package, whose parsing is
   counted in its time as it is in ours.
2. A realistic mix of mail sizes: 300 mails whose sizes are drawn (fixed seed) from a distribution
   of typical mail, most between 2 and 30 KB and a tail up to 100 KB (``MIX_SIZES``), half forwards
   (the corpus forwards, their original bodies grown), half not (the corpus non-forwards and new
   mails and replies as Outlook, Outlook on the web, Gmail and Apple Mail write them, grown alike).
   Mail grows the way clients write it: wrapped text paragraphs, HTML paragraphs in the client's
   markup (Word's ``MsoNormal`` paragraphs for Outlook, ``<div>`` for Gmail and Apple Mail) inside
   the original. Messages per second of ``recover_forward`` and of Python's own MIME parsing of the
   same bytes (``email.message_from_bytes``, which recovery starts with), and their time ratio.
3. The same by size (2 to 100 KB), forwards and non-forwards apart: time ratio to the MIME parse,
   total and for our own work alone (total less the parse).
4. Pathological bodies of 1 MB and 10 MB (best of two timings each): the time ratio shows the cost
   is linear (about 10).

``--compare PATH`` also times another checkout of the addon (e.g. the main branch, to see what a
change does) in sections 2 and 3, in the same run. Timings are ratios against baselines measured in
the same run, never lone absolute figures to compare across machines: this machine is shared and
its speed varies. Each rate is the best of a few rounds, the contenders taking turns.
"""

from __future__ import annotations

import argparse
import codecs
import email
import importlib
import importlib.util
import json
import random
import runpy
import sys
import time
from email.message import EmailMessage
from email.policy import compat32
from email.policy import default
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
runpy.run_path(str(ROOT / "tests" / "conftest.py"))  # registers the addon package without Odoo

from mail_lead_capture.tools import forwards  # noqa: E402
from mail_lead_capture.tools.addresses import split_addresses  # noqa: E402

SAMPLES = ROOT / "tests" / "samples"


# -- the three contenders: each returns None (not a forward) or (sender name, sender address) ------


def ours(raw: bytes):
    forward = forwards.recover_forward(raw)
    if forward is None:
        return None
    sender = forward.original.sender
    return (sender.name, sender.address) if sender else ("", None)


def email_forward_parser(raw: bytes):
    from emailforwardparser.client import EmailParserClient

    client = EmailParserClient()
    # the str the library wants, with 8-bit bytes kept the way the email package keeps them
    text = raw.decode("ascii", "surrogateescape")
    metadata = client.get_original_metadata(text)
    # a forward as attachment comes back with forwarded=False and the attached mail's metadata
    if not metadata.forwarded and not client._get_eml_attachment(client._parse_message(text)):
        return None
    sender = metadata.email.from_
    pairs = split_addresses(sender.address) if sender.address else []
    return (sender.name, pairs[0][1] if pairs else None)


def quotequail_unwrap(raw: bytes):
    import quotequail

    message = email.message_from_bytes(raw, policy=default)
    body = message.get_body(("plain",))
    if body is not None:
        result = quotequail.unwrap(body.get_content())
    else:
        body = message.get_body(("html",))
        result = quotequail.unwrap_html(body.get_content()) if body is not None else None
    if not result or result.get("type") != "forward":
        return None
    written = result.get("from", "")
    pairs = split_addresses(written)
    if pairs:
        return pairs[0]
    return (written.strip().strip('"'), None)


CONTENDERS = {
    "mail_lead_capture": ours,
    "email-forward-parser 0.1.3": email_forward_parser,
    "quotequail 0.5.4": quotequail_unwrap,
}
# Not in requirements-dev.txt: the bench alone uses them, and quotequail's lxml>=6 would replace
# Odoo's lxml 4.9.3 (installed with --no-deps it runs on 4.9.3).
INSTALL = {
    "email-forward-parser 0.1.3": ("emailforwardparser", "pip install email-forward-parser==0.1.3"),
    "quotequail 0.5.4": ("quotequail", "pip install --no-deps quotequail==0.5.4"),
}


def load_corpus():
    forwards_manifest = json.loads((SAMPLES / "forwards" / "manifest.json").read_text("utf-8"))
    others = json.loads((SAMPLES / "not_forwards" / "manifest.json").read_text("utf-8"))
    positives = [
        ((SAMPLES / "forwards" / name).read_bytes(), entry)
        for name, entry in sorted(forwards_manifest.items())
    ]
    negatives = [(SAMPLES / "not_forwards" / name).read_bytes() for name in sorted(others)]
    return positives, negatives


def accuracy(function, positives, negatives) -> dict:
    counts = {
        "address": 0,
        "with_address": 0,
        "name": 0,
        "name_only": 0,
        "wrong": 0,
        "false": 0,
        "errors": 0,
    }
    for raw, expected in positives:
        try:
            found = function(raw)
        except Exception:  # a library failing on a sample is counted, not fatal
            counts["errors"] += 1
            found = None
        if expected["sender_address"]:
            counts["with_address"] += 1
            if found and found[1] == expected["sender_address"]:
                counts["address"] += 1
            elif found and found[1]:
                counts["wrong"] += 1
        else:
            counts["name_only"] += 1
            if found and found[0] == expected["sender_name"] and not found[1]:
                counts["name"] += 1
            elif found and found[1]:
                counts["wrong"] += 1
    for raw in negatives:
        try:
            found = function(raw)
        except Exception:
            counts["errors"] += 1
            found = None
        if found is not None:
            counts["false"] += 1
    return counts


def rate(function, messages, seconds: float) -> float:
    """Messages per second over ``messages``, repeated for at least ``seconds``."""
    for raw in messages[:20]:  # warm up imports and caches
        try:
            function(raw)
        except Exception:
            pass
    done, started = 0, time.perf_counter()
    while True:
        for raw in messages:
            try:
                function(raw)
            except Exception:
                pass
        done += len(messages)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed


def best_rates(functions: dict, messages, seconds: float, rounds: int = 5) -> dict[str, float]:
    """The best messages-per-second of each function, in ``rounds`` turns of ``seconds`` in all.

    Taking turns spreads the load of other work on a shared machine over every contender.
    """
    best = dict.fromkeys(functions, 0.0)
    for _round in range(rounds):
        for name, function in functions.items():
            best[name] = max(best[name], rate(function, messages, seconds / rounds))
    return best


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=compat32)


# -- realistic mail: sizes, growth, mail that is not a forward --------------------------------------

# Sizes of typical mail, in bytes: (share of mail, smallest, largest), uniform within each band.
MIX_SIZES = (
    (0.30, 2_000, 5_000),
    (0.25, 5_000, 10_000),
    (0.20, 10_000, 20_000),
    (0.10, 20_000, 30_000),
    (0.08, 30_000, 50_000),
    (0.07, 50_000, 100_000),
)
SIZES = (2_000, 5_000, 12_000, 30_000, 50_000, 100_000)
WORDS = (
    "menu guests evening dessert quote table room wine price option delivery staff buffet "
    "vegetarian invoice deposit confirm schedule kitchen allergies Friday December thanks please "
    "could would also like the a for of to and with our your we on by tasting seats terrace"
).split()
SIGNATURE = (
    "Best regards,",
    "Sue Miller",
    "Harbour Foods | Events team",
    "Tel: +44 20 7946 0000 | www.harbourfoods.example",
)
HTML_PARAGRAPHS = {  # how each client writes a paragraph
    "outlook": (
        '<p class="MsoNormal"><span lang="EN-US" style="font-size:11.0pt;font-family:'
        '&quot;Calibri&quot;,sans-serif;color:#1F497D">{}<o:p></o:p></span></p>\n'
        '<p class="MsoNormal"><span lang="EN-US"><o:p>&nbsp;</o:p></span></p>\n'
    ),
    "outlook-web": (
        '<div class="elementToProof" style="font-family: Aptos, Aptos_EmbeddedFont, Calibri, '
        'Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">{}</div>\n'
        '<div class="elementToProof"><br></div>\n'
    ),
    "gmail": "<div>{}</div><div><br></div>",
    "apple": "<div>{}</div><div><br></div>",
}


def paragraph(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(15, 60))]
    if rng.random() < 0.2:  # now and then a time or a colon, as real prose has
        words.insert(rng.randint(0, len(words)), rng.choice(["at 10:30", "options:", "note:"]))
    return " ".join(words).capitalize() + "."


def wrapped(text: str, width: int = 72) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def html_style(markup: str) -> str:
    lowered = markup.lower()
    if "msonormal" in lowered:
        return "outlook"
    if "elementtoproof" in lowered or "divrplyfwdmsg" in lowered:
        return "outlook-web"
    if "blockquote" in lowered:
        return "apple"
    return "gmail"


def _windows_874(name: str):
    """Outlook names Thai "windows-874", which Python's codecs know as cp874 only."""
    return codecs.lookup("cp874") if name.replace("_", "-") == "windows-874" else None


codecs.register(_windows_874)  # for growing the corpus's Thai mail (get_content/set_content)


def with_paragraphs(raw: bytes, paragraphs: list[str]) -> bytes:
    """``raw`` with ``paragraphs`` added at the end of each body (and of attached mail's bodies),
    in the HTML inside the innermost quote when there is one."""
    message = email.message_from_bytes(raw, policy=default)
    text = "\n\n" + "\n\n".join(wrapped(p) for p in paragraphs) + "\n\n" + "\n".join(SIGNATURE)
    for part in message.walk():
        if part.get_content_disposition() == "attachment" and part.get_content_maintype() != "text":
            continue
        if part.get_content_type() == "text/plain":
            written = part.get_content().rstrip("\n")
            last = next((line for line in reversed(written.split("\n")) if line.strip()), "")
            quote = last[: len(last) - len(last.lstrip("> "))] if last.startswith(">") else ""
            added = text
            if quote:  # a quoted original (Apple Mail, Gmail's quoted forwards) grows quoted
                rows = text[1:].split("\n")  # the first newline ends the last written line
                added = "\n" + "\n".join(f"{quote}{row}" if row else quote.rstrip() for row in rows)
            part.set_content(written + added + "\n", charset="utf-8")
        elif part.get_content_type() == "text/html":
            markup = part.get_content()
            style = HTML_PARAGRAPHS[html_style(markup)]
            extra = "".join(style.format(p) for p in (*paragraphs, "<br>".join(SIGNATURE)))
            lowered = markup.lower()
            at = lowered.rfind("</blockquote>")
            at = lowered.rfind("</body>") if at < 0 else at
            markup = markup[:at] + extra + markup[at:] if at >= 0 else markup + extra
            part.set_content(markup, subtype="html", charset="utf-8")
    return message.as_bytes()


def grown(raw: bytes, size: int, seed: int = 0) -> bytes:
    """The same mail with longer bodies (text and HTML), about ``size`` bytes in all."""
    if size <= len(raw):
        return raw
    rng = random.Random(seed)
    probe = [paragraph(rng) for _ in range(4)]
    per_paragraph = max(1.0, (len(with_paragraphs(raw, probe)) - len(raw)) / 4)
    count = max(1, round((size - len(raw)) / per_paragraph))
    return with_paragraphs(raw, [paragraph(rng) for _ in range(count)])


def written_mail(style: str, number: int, reply: bool) -> bytes:
    """A new mail or a reply as ``style``'s client writes it: text and HTML, no forward."""
    subject = f"Tasting menu for the December dinner, table {number}"
    message = EmailMessage()
    message["From"] = "Sue Miller <sue.miller@harbourfoods.example>"
    message["To"] = "Ines Alvarez <ines@northwind.example>"
    message["Subject"] = f"RE: {subject}" if reply else subject
    message["Date"] = "Wed, 25 Nov 2026 10:14:03 +0100"
    message["Message-ID"] = f"<bench-{style}-{number}-{int(reply)}@harbourfoods.example>"
    body = ["Hello Ines,", "Could we taste the menu on Friday at 11:00?", "Thanks, Sue"]
    text = "\n\n".join(body)
    paragraphs = "".join(HTML_PARAGRAPHS[style].format(line) for line in body)
    if reply:  # the quoted mail below, as each client writes it
        text += (
            "\n\nOn Tue, 24 Nov 2026 at 18:02, Ines Alvarez <ines@northwind.example> wrote:\n"
            "> Here is the menu we talked about.\n"
        )
        paragraphs += (
            "<hr><div><b>From:</b> Ines Alvarez &lt;ines@northwind.example&gt;<br>"
            "<b>Sent:</b> Tuesday, November 24, 2026 6:02 PM<br><b>Subject:</b> "
            f"{subject}</div><div>Here is the menu we talked about.</div>"
        )
    if style == "outlook":
        head = (
            '<html><head><meta name="Generator" content="Microsoft Word 15 (filtered medium)">'
            "<style><!--\np.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\t"
            'font-size:11.0pt;\n\tfont-family:"Calibri",sans-serif;}\n--></style></head>'
            '<body lang="EN-GB"><div class="WordSection1">'
        )
        markup = f"{head}{paragraphs}</div></body></html>"
    elif style == "apple":
        markup = f'<html><head></head><body style="overflow-wrap: break-word;">{paragraphs}</body></html>'
    else:
        markup = f'<html><head></head><body><div dir="ltr">{paragraphs}</div></body></html>'
    message.set_content(text)
    message.add_alternative(markup, subtype="html")
    return message.as_bytes()


def realistic_mix(
    positives, negatives, count: int = 300, seed: int = 3
) -> list[tuple[bytes, bool]]:
    """``count`` mails of sizes drawn from MIX_SIZES, half forwards, half not, in shuffled order,
    each with whether it is a forward."""
    rng = random.Random(seed)
    forwards_ = [raw for raw, _entry in positives]
    others = list(negatives)
    styles = list(HTML_PARAGRAPHS)
    others += [written_mail(style, n, reply=n % 2 == 1) for n in range(8) for style in styles]
    rng.shuffle(forwards_)
    rng.shuffle(others)
    shares = [share for share, _low, _high in MIX_SIZES]
    mails = []
    for index in range(count):
        _share, low, high = rng.choices(MIX_SIZES, weights=shares)[0]
        pool = forwards_ if index % 2 == 0 else others
        raw = grown(pool[index // 2 % len(pool)], rng.randint(low, high), seed=index)
        mails.append((raw, index % 2 == 0))
    rng.shuffle(mails)
    return mails


def load_checkout(path: Path):
    """The ``forwards`` module of another checkout of the addon, imported beside ours."""
    package = "compared_mail_lead_capture"
    addon = path.resolve() / "mail_lead_capture"
    spec = importlib.util.spec_from_file_location(
        package, addon / "__init__.py", submodule_search_locations=[str(addon)]
    )
    sys.modules[package] = importlib.util.module_from_spec(spec)  # without running its __init__
    return importlib.import_module(f"{package}.tools.forwards")


def mail(text: str | None = None, html: str | None = None, subject: str = "Fwd: Catering") -> bytes:
    message = EmailMessage()
    message["From"] = "Ines Alvarez <ines@northwind.example>"
    message["Subject"] = subject
    message["Date"] = "Wed, 25 Nov 2026 10:14:03 +0100"
    if text is not None:
        message.set_content(text)
    if html is not None:
        message.set_content(html, subtype="html") if text is None else message.add_alternative(
            html, subtype="html"
        )
    return message.as_bytes()


PATHOLOGICAL = {
    "header-like lines only": (
        "text",
        "From: Sue <sue@x.example>\nSent: Tuesday, November 24, 2026 6:02 PM\n"
        "To: a@b.example\nSubject: FW: x\n",
    ),
    "separators, no block": ("text", "---------- Forwarded message ---------\nFrom: x\n"),
    "deep quote markers": ("text", ">" * 60 + " From: a <a@x.example>\n"),
    "one line, no newline": ("text", "abcdefghij@" * 8),
    "nested forwards": (
        "text",
        "note\n---------- Forwarded message ---------\nFrom: Sue <sue@x.example>\n"
        "Date: Tue, Nov 24, 2026 at 6:02 PM\nSubject: Fwd: x\nTo: a@b.example\n\n",
    ),
    # the block reader of issue 18: blank and folded lines in blocks, Yandex's line, Orange's rule
    "blank lines between labels": ("text", "From: Sue <sue@x.example>\n\nSender: x\n\n"),
    "folded header lines": ("text", "From: Sue <sue@x.example>\n folded <a@x.example>,\n"),
    "attribution lines": (
        "text",
        "-------- Пересылаемое сообщение --------\n24.11.2026, 18:02, <a@x.example> <b@x.example>:\n",
    ),
    "rules of = signs": ("text", "=" * 40 + "\nMessage du 24/11/26 18:02\n"),
    "unclosed tags": ("html", "<a<b<div<p "),
    "unclosed comments": ("html", "<!--<!--"),
    "nested blockquotes and links": (
        "html",
        '<blockquote><div><b>From:</b> <a href="mailto:s@x.example">Sue</a><br>',
    ),
}


def pathological_ratios(rounds: int = 2) -> list[tuple[str, float, float]]:
    """The best of ``rounds`` timings of each body at 1 MB and 10 MB (this machine is shared)."""
    results = []
    for name, (kind, unit) in PATHOLOGICAL.items():
        timings = []
        for size in (1_000_000, 10_000_000):
            body = unit * (size // len(unit))
            raw = mail(text=body) if kind == "text" else mail(html=body)
            best = float("inf")
            for _round in range(rounds):
                started = time.perf_counter()
                forwards.recover_forward(raw)
                best = min(best, time.perf_counter() - started)
            timings.append(best)
        results.append((name, timings[0], timings[1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="timing per contender (default 3)"
    )
    parser.add_argument(
        "--compare", type=Path, help="another checkout of the addon to time in the same run"
    )
    args = parser.parse_args()
    compared = load_checkout(args.compare).recover_forward if args.compare else None
    positives, negatives = load_corpus()
    everything = [raw for raw, _entry in positives] + negatives
    with_address = sum(1 for _raw, entry in positives if entry["sender_address"])
    print(
        f"Corpus: {len(positives)} forwards ({with_address} with a sender address, "
        f"{len(positives) - with_address} display name only), {len(negatives)} non-forwards\n"
    )
    columns = ("address %", 10), ("name-only %", 12), ("wrong", 6), ("false fwd", 10), ("errors", 7)
    print(
        f"{'':28} " + " ".join(f"{title:>{width}}" for title, width in columns) + f" {'msg/s':>8}"
    )
    for label, function in CONTENDERS.items():
        module, command = INSTALL.get(label, (None, None))
        if module and importlib.util.find_spec(module) is None:
            print(f"{label:28} not installed: {command}")
            continue
        counts = accuracy(function, positives, negatives)
        per_second = rate(function, everything, args.seconds)
        print(
            f"{label:28} {100 * counts['address'] / counts['with_address']:>10.1f} "
            f"{100 * counts['name'] / max(1, counts['name_only']):>12.1f} {counts['wrong']:>6} "
            f"{counts['false']:>10} {counts['errors']:>7} {per_second:>8.0f}"
        )

    contenders = {"ours": forwards.recover_forward, "MIME parse": parse}
    if args.compare:
        contenders = {"ours": forwards.recover_forward, "compared": compared, "MIME parse": parse}
    labelled = realistic_mix(positives, negatives)
    mix = [raw for raw, _forward in labelled]
    sizes = sorted(map(len, mix))
    said = [(forwards.recover_forward(raw) is not None, forward) for raw, forward in labelled]
    print(
        f"\nRealistic mix: {len(mix)} mails, median {sizes[len(sizes) // 2] / 1000:.1f} KB, "
        f"mean {sum(sizes) / len(sizes) / 1000:.1f} KB, largest {sizes[-1] / 1000:.0f} KB; "
        f"forwards recovered {sum(1 for found, forward in said if found and forward)} of "
        f"{sum(1 for _found, forward in said if forward)}, false forwards "
        f"{sum(1 for found, forward in said if found and not forward)}"
    )
    best = best_rates(contenders, mix, args.seconds * len(contenders))
    for name in contenders:
        print(f"{name:>12} {best[name]:>8.0f} msg/s   time ratio to the MIME parse "
              f"{best['MIME parse'] / best[name]:5.2f}")  # fmt: skip

    print(
        "\nBy size: time against Python's MIME parsing of the same bytes (total; our own work alone)"
    )
    columns = "".join(f"{name + ' msg/s':>18}" for name in contenders)
    print(f"{'kind':12} {'size':>8}{columns} {'total ratio':>12} {'own ratio':>10}", end="")
    print(f" {'compared total':>15}" if args.compare else "")
    rng = random.Random(5)
    bases = {
        "forwards": [raw for raw, _entry in positives][::12],
        "not forwards": negatives[::6]
        + [written_mail(style, n, reply=False) for n in range(2) for style in HTML_PARAGRAPHS],
    }
    for kind, raws in bases.items():
        for size in SIZES:
            messages = [grown(raw, size, seed=rng.randrange(1000)) for raw in raws]
            average = sum(map(len, messages)) // len(messages)
            best = best_rates(contenders, messages, args.seconds / 2 * len(contenders))
            base = 1 / best["MIME parse"]
            ours_time = 1 / best["ours"]
            cells = "".join(f"{best[name]:>18.0f}" for name in contenders)
            print(
                f"{kind:12} {average:>8}{cells} {ours_time / base:>12.2f} "
                f"{(ours_time - base) / base:>10.2f}",
                end="",
            )
            print(f" {best['MIME parse'] / best['compared']:>15.2f}" if args.compare else "")

    print("\nPathological bodies: 1 MB against 10 MB (linear cost gives a ratio near 10)")
    for name, small, large in pathological_ratios():
        print(f"{name:30} 1 MB {small:6.2f} s   10 MB {large:6.2f} s   ratio {large / small:5.1f}")


if __name__ == "__main__":
    main()
