"""Benchmark of forward recovery against the two libraries we evaluated, on the forward corpus.

Run from the repository root: ``python3 bench/forwards.py`` (about a minute). It prints:

1. For mail_lead_capture's ``recover_forward``, email-forward-parser 0.1.3 and quotequail 0.5.4, in
   the same run, over tests/samples/forwards and tests/samples/not_forwards: the original sender's
   address recovered (% of the forwards whose sender has an address), the display name recovered
   when the forward shows only a name (%), wrong sender addresses (count: a forward credited to
   someone else), false forwards (count of non-forwards said to be forwards), errors (exceptions),
   and messages per second. The libraries get what they need: email-forward-parser the raw mail as
   text, quotequail the text (or HTML) body taken out by Python's email package, whose parsing is
   counted in its time as it is in ours.
2. Messages per second for forwards grown to 10, 50 and 100 KB, with the time of Python's own MIME
   parsing of the same bytes (measured in the same run) as the baseline.
3. Pathological bodies of 1 MB and 10 MB: the time ratio shows the cost is linear (about 10).

Timings are ratios against baselines measured in the same run, never lone absolute figures to
compare across machines: this machine is shared and its speed varies.
"""

from __future__ import annotations

import argparse
import email
import importlib.util
import json
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


def grown(raw: bytes, size: int) -> bytes:
    """The same forward with a longer original body (text and HTML), about ``size`` bytes."""
    message = email.message_from_bytes(raw, policy=default)
    line = "We would also like a vegetarian option and a dessert buffet for the same evening.\n"
    block = '<div class="elementToProof">We would also like a vegetarian option and <b>a dessert</b>.</div>\n'
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_content()
            part.set_content(text + line * (size // 2 // len(line)), charset="utf-8")
        elif part.get_content_type() == "text/html":
            html = part.get_content()
            extra = block * (size // 2 // len(block))
            html = html.replace("</body>", extra + "</body>") if "</body>" in html else html + extra
            part.set_content(html, subtype="html", charset="utf-8")
    return message.as_bytes()


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
    "unclosed tags": ("html", "<a<b<div<p "),
    "unclosed comments": ("html", "<!--<!--"),
    "nested blockquotes and links": (
        "html",
        '<blockquote><div><b>From:</b> <a href="mailto:s@x.example">Sue</a><br>',
    ),
}


def pathological_ratios() -> list[tuple[str, float, float]]:
    results = []
    for name, (kind, unit) in PATHOLOGICAL.items():
        timings = []
        for size in (1_000_000, 10_000_000):
            body = unit * (size // len(unit))
            raw = mail(text=body) if kind == "text" else mail(html=body)
            started = time.perf_counter()
            forwards.recover_forward(raw)
            timings.append(time.perf_counter() - started)
        results.append((name, timings[0], timings[1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="timing per contender (default 3)"
    )
    args = parser.parse_args()
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

    print("\nLonger forwards: recover_forward against Python's MIME parsing of the same bytes")
    print(f"{'size':>8} {'recover_forward msg/s':>22} {'email parse msg/s':>18} {'time ratio':>11}")
    bases = [raw for raw, entry in positives if entry["kind"] == "inline" and entry["html"]][::12]
    for size in (10_000, 50_000, 100_000):
        messages = [grown(raw, size) for raw in bases]
        average = sum(map(len, messages)) // len(messages)
        ours_rate = rate(forwards.recover_forward, messages, args.seconds / 2)
        parse_rate = rate(
            lambda raw: email.message_from_bytes(raw, policy=compat32), messages, args.seconds / 2
        )
        print(
            f"{average:>8} {ours_rate:>22.0f} {parse_rate:>18.0f} {parse_rate / ours_rate:>11.1f}"
        )

    print("\nPathological bodies: 1 MB against 10 MB (linear cost gives a ratio near 10)")
    for name, small, large in pathological_ratios():
        print(f"{name:30} 1 MB {small:6.2f} s   10 MB {large:6.2f} s   ratio {large / small:5.1f}")


if __name__ == "__main__":
    main()
