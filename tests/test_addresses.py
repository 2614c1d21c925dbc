import pytest

from mail_lead_capture.tools import addresses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sue@example.com", "sue@example.com"),
        ("  Sue Miller <SUE@Example.COM> ", "sue@example.com"),
        ('"Miller, Sue" <Sue.Miller@EXAMPLE.com>', "sue.miller@example.com"),
        ("jürgen@BÜCHER.example", "jürgen@bücher.example"),
        ("Jürgen@bücher.example", "Jürgen@bücher.example"),
        ("info@XN--BCHER-KVA.example", "info@bücher.example"),
        ("first@example.com, second@example.com", "first@example.com"),
        ("sue@example.com.", "sue@example.com"),
    ],
)
def test_normalize_address(text, expected):
    assert addresses.normalize_address(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "not an address",
        "@example.com",
        "sue@",
        "sue@localhost",
        "sue@@example.com",
        "sue@-example.com",
        "sue@192.168.0.1",
        "a" * 400 + "@example.com",
        42,
    ],
)
def test_normalize_address_rejects(text):
    assert addresses.normalize_address(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Example.COM", "example.com"),
        ("@example.com", "example.com"),
        (" mail.example.co.uk. ", "mail.example.co.uk"),
        ("xn--bcher-kva.example", "bücher.example"),
        ("BÜCHER.example", "bücher.example"),
    ],
)
def test_normalize_domain(text, expected):
    assert addresses.normalize_domain(text) == expected


@pytest.mark.parametrize(
    "text",
    [None, "", "example", "sue@example.com", "exa_mple.com", "-example.com", "1.2.3.4", "a..b"],
)
def test_normalize_domain_rejects(text):
    assert addresses.normalize_domain(text) is None


def test_split_addresses_keeps_order_names_and_drops_repeats_and_junk():
    pairs = addresses.split_addresses(
        '"Sue Miller" <SUE@example.com>, bob@example.org',
        "sue@EXAMPLE.com, garbage, Ann <ann@x.example>",
    )
    assert pairs == [
        ("Sue Miller", "sue@example.com"),
        ("", "bob@example.org"),
        ("Ann", "ann@x.example"),
    ]


def test_address_variants_give_unicode_and_punycode_spellings():
    assert addresses.address_variants("info@bücher.example") == {
        "info@bücher.example",
        "info@xn--bcher-kva.example",
    }
    assert addresses.address_variants("sue@example.com") == {"sue@example.com"}


def test_parse_domain_list_reports_what_is_wrong():
    domains, rejected = addresses.parse_domain_list(
        "Acme.example; acme.example,\nfoo.example bad_entry  "
    )
    assert domains == ["acme.example", "foo.example"]
    assert rejected == ["bad_entry"]


def test_company_domains_never_include_public_mail_providers():
    # Close's rule: the company's own domain is excluded; a company living on gmail.com owns no domain.
    assert addresses.company_domains(
        alias_domains=["Acme.example", None],
        company_emails=["Info <info@acme-mail.example>", "acme@gmail.com", None],
        extra_domains=["acme.example", "yahoo.com", "bad domain"],
    ) == frozenset({"acme.example", "acme-mail.example"})
    assert addresses.is_public_mail_domain("GMAIL.com")
    assert not addresses.is_public_mail_domain("acme.example")
    assert not addresses.is_public_mail_domain(None)
