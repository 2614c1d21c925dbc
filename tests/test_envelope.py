import email
import email.policy

from mail_lead_capture.tools.envelope import envelope_recipients


def parse(headers: str):
    return email.message_from_string(headers + "\n\nbody\n", policy=email.policy.SMTP)


def test_every_envelope_header_is_read_and_normalised():
    message = parse(
        "Delivered-To: Capture-X1@Acme.example\n"
        "X-Original-To: capture-x2@acme.example\n"
        "Envelope-To: capture-x3@acme.example\n"
        "X-Envelope-To: <capture-x4@acme.example>\n"
        "X-Original-Recipient: rfc822;capture-x5@acme.example\n"
        "From: bob@acme.example\nTo: sue@customer.example"
    )
    assert envelope_recipients(message) == [f"capture-x{i}@acme.example" for i in range(1, 6)]


def test_received_for_clause_is_read():
    message = parse(
        "Received: from mx.example (mx.example [192.0.2.1])\n"
        "\tby mail.acme.example (Postfix) with ESMTPS id 4F1\n"
        "\tfor <capture-x@acme.example>; Wed, 25 Nov 2026 10:00:00 +0000\n"
        "Received: from laptop by mx.example with ESMTPSA; Wed, 25 Nov 2026 09:59:59 +0000\n"
        "From: bob@acme.example"
    )
    assert envelope_recipients(message) == ["capture-x@acme.example"]


def test_visible_recipients_are_not_envelope_recipients():
    message = parse("From: bob@acme.example\nTo: sue@customer.example\nCc: ann@customer.example")
    assert envelope_recipients(message) == []


def test_hostile_received_header_stays_cheap_and_harmless():
    message = parse("Received: " + "for " * 50_000 + "\nFrom: bob@acme.example")
    assert envelope_recipients(message) == []
