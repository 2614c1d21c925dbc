"""Trusted senders (tools/trusted.py): entries as typed, and whom a sender's mail is credited to."""

import pytest

from mail_lead_capture.tools import filters
from mail_lead_capture.tools import trusted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sue@Agency.example", ("address", "sue@agency.example")),
        ("Sue <sue@agency.example>", ("address", "sue@agency.example")),
        ("agency.example", ("domain", "agency.example")),
        ("@Agency.example", ("domain", "agency.example")),
        ("*.agency.example", ("domain", "agency.example")),
        ("karen@gmail.com", ("address", "karen@gmail.com")),
    ],
)
def test_entries_are_read_as_typed(text, expected):
    assert filters.read_entry(text, public_domains=False) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("gmail.com", filters.PUBLIC_DOMAIN),
        ("@outlook.com", filters.PUBLIC_DOMAIN),
        ("", filters.NOT_AN_ENTRY),
        ("sue, bea@x.example", filters.NOT_AN_ENTRY),
        ("not a domain", filters.NOT_AN_ENTRY),
    ],
)
def test_public_domains_and_nonsense_are_refused(text, code):
    with pytest.raises(ValueError, match=code):
        filters.read_entry(text, public_domains=False)


def test_a_block_may_name_a_public_domain_a_trusted_sender_may_not():
    assert filters.read_entry("Gmail.com") == ("domain", "gmail.com")
    with pytest.raises(ValueError, match=filters.PUBLIC_DOMAIN):
        filters.read_entry("Gmail.com", public_domains=False)


def test_an_address_wins_over_its_domain_and_a_domain_covers_subdomains():
    by_address = {"sue@agency.example": "karen"}
    by_domain = {"agency.example": "bob", "eu.agency.example": "mia"}
    assert trusted.credited("sue@agency.example", by_address, by_domain) == "karen"
    assert trusted.credited("ann@agency.example", by_address, by_domain) == "bob"
    assert trusted.credited("ann@mail.eu.agency.example", by_address, by_domain) == "mia"
    assert trusted.credited("ann@notagency.example", by_address, by_domain) is None
    assert trusted.credited("ann@example", by_address, by_domain) is None
    assert trusted.credited(None, by_address, by_domain) is None
