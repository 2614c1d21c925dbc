"""Which participants count and which mails are screened (tools/filters.py), without a database."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from mail_lead_capture.tools import filters
from mail_lead_capture.tools.filters import Exclusion
from mail_lead_capture.tools.filters import FilterRules

RULES = FilterRules(
    company_domains={"acme.example"},
    user_addresses={"bob@acme.example", "karen@gmail.com"},
    blocked_addresses={"spam@globex.example"},
    blocked_domains={"initech.example"},
)


def test_external_participant_counts():
    result = filters.screen(["bob@acme.example", "sue@yahoo.com"], RULES)
    assert result.screened is None
    assert result.captured
    assert result.kept == ("sue@yahoo.com",)
    assert result.excluded == (Exclusion("bob@acme.example", filters.USER),)


def test_mail_between_colleagues_is_internal():
    result = filters.screen(["bob@acme.example", "karen@gmail.com", "sue@acme.example"], RULES)
    assert result.screened == filters.INTERNAL
    assert not result.captured
    assert result.kept == ()
    assert [(item.address, item.rule, item.detail) for item in result.excluded] == [
        ("bob@acme.example", "user", None),
        ("karen@gmail.com", "user", None),
        ("sue@acme.example", "company_domain", "acme.example"),
    ]


def test_mail_only_with_blocked_outsiders_is_blocked():
    result = filters.screen(
        ["bob@acme.example", "spam@globex.example", "bill@initech.example"], RULES
    )
    assert result.screened == filters.BLOCKED
    assert [(item.rule, item.detail) for item in result.excluded[1:]] == [
        ("blocked_address", "spam@globex.example"),
        ("blocked_domain", "initech.example"),
    ]


def test_pipedrive_rule_one_real_outsider_is_enough_and_only_it_counts():
    result = filters.screen(
        ["spam@globex.example", "bob@acme.example", "hank@globex.example", "bill@initech.example"],
        RULES,
    )
    assert result.screened is None
    assert result.kept == ("hank@globex.example",)
    assert {item.address for item in result.excluded} == {
        "spam@globex.example",
        "bob@acme.example",
        "bill@initech.example",
    }


def test_blocked_address_does_not_block_its_domain():
    assert RULES.exclusion("hank@globex.example") is None
    assert RULES.exclusion("spam@globex.example").rule == filters.BLOCKED_ADDRESS


@pytest.mark.parametrize(
    ("address", "rule", "detail"),
    [
        ("sue@mail.acme.example", "company_domain", "acme.example"),
        ("sue@eu.sales.acme.example", "company_domain", "acme.example"),
        ("bill@printers.initech.example", "blocked_domain", "initech.example"),
    ],
)
def test_domain_rules_cover_subdomains(address, rule, detail):
    assert RULES.exclusion(address) == Exclusion(address, rule, detail)


@pytest.mark.parametrize(
    "address",
    ["sue@notacme.example", "sue@acme.example.org", "sue@acme-example.com", "sue@example"],
)
def test_domain_rules_do_not_cover_look_alikes(address):
    assert RULES.exclusion(address) is None


def test_subdomain_rule_does_not_cover_its_parent():
    rules = FilterRules(blocked_domains={"news.globex.example"})
    assert rules.exclusion("hank@globex.example") is None
    assert rules.exclusion("a@news.globex.example").rule == filters.BLOCKED_DOMAIN


def test_user_wins_over_company_domain_and_blocks():
    rules = FilterRules(
        company_domains={"acme.example"},
        user_addresses={"bob@acme.example"},
        blocked_addresses={"bob@acme.example"},
        blocked_domains={"acme.example"},
    )
    assert rules.exclusion("bob@acme.example").rule == filters.USER
    assert rules.exclusion("sue@acme.example").rule == filters.COMPANY_DOMAIN


def test_repeats_and_empty_values_are_skipped_and_order_kept():
    result = filters.screen(
        ["z@globex.example", None, "", "a@globex.example", "z@globex.example"], RULES
    )
    assert result.kept == ("z@globex.example", "a@globex.example")


def test_no_participants():
    assert filters.screen([], RULES).screened == filters.NO_PARTICIPANTS
    assert filters.screen([None, ""], RULES).screened == filters.NO_PARTICIPANTS


def test_automated_mail_is_screened_whoever_takes_part():
    result = filters.screen(["hank@globex.example"], RULES, automated="auto_reply")
    assert result.screened == filters.SCREENED_AUTOMATED
    assert result.automated == "auto_reply"
    assert result.kept == ("hank@globex.example",)
    assert filters.screen(["hank@globex.example"], RULES, automated="").screened is None


def test_rules_are_frozen_sets_whatever_iterable_is_given():
    rules = FilterRules(company_domains=["acme.example"], user_addresses=("bob@acme.example",))
    assert rules.company_domains == frozenset({"acme.example"})
    assert isinstance(rules.user_addresses, frozenset)
    assert FilterRules().blocked_domains == frozenset()
    with pytest.raises(AttributeError):
        rules.company_domains = frozenset()


@pytest.mark.parametrize(
    ("domain", "domains", "expected"),
    [
        ("a.b.acme.example", {"acme.example"}, "acme.example"),
        ("a.b.acme.example", {"b.acme.example", "acme.example"}, "b.acme.example"),
        ("acme.example", {"example"}, None),
        ("acme.example", frozenset(), None),
        ("", {"acme.example"}, None),
    ],
)
def test_matching_domain(domain, domains, expected):
    assert filters.matching_domain(domain, frozenset(domains)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sue@example.com", ("address", "sue@example.com")),
        ("  SUE@Example.COM ", ("address", "sue@example.com")),
        ("Sue Miller <Sue@Example.com>", ("address", "sue@example.com")),
        ("info@XN--BCHER-KVA.example", ("address", "info@bücher.example")),
        ("Example.COM", ("domain", "example.com")),
        ("@example.com", ("domain", "example.com")),
        ("*@example.com", ("domain", "example.com")),
        ("*.example.com", ("domain", "example.com")),
        ("BÜCHER.example", ("domain", "bücher.example")),
        ("xn--bcher-kva.example.", ("domain", "bücher.example")),
        ("mail.example.co.uk", ("domain", "mail.example.co.uk")),
    ],
)
def test_read_entry(text, expected):
    assert filters.read_entry(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "example",
        "not a domain",
        "sue@example.com junk",
        "sue@example.com, bob@example.com",
        "sue@example.com; bob@example.com",
        "sue@",
        "@",
        "*@",
        "sue@@example.com",
        "exa_mple.com",
        "192.168.0.1",
        "sue@192.168.0.1",
        "<sue@example.com",
        "**.example.com",
        42,
    ],
)
def test_read_entry_refuses_what_is_neither(text):
    with pytest.raises(ValueError, match=filters.NOT_AN_ENTRY):
        filters.read_entry(text)


_labels = st.sampled_from(["acme", "globex", "mail", "eu", "initech", "example", "news"])
_domains = st.lists(_labels, min_size=2, max_size=4).map(".".join)
_addresses = st.tuples(st.sampled_from(["sue", "bob", "a", "spam"]), _domains).map("@".join)


@settings(max_examples=200, deadline=None)
@given(
    participants=st.lists(_addresses, max_size=12),
    company=st.frozensets(_domains, max_size=3),
    users=st.frozensets(_addresses, max_size=3),
    blocked=st.frozensets(_addresses, max_size=3),
    blocked_domains=st.frozensets(_domains, max_size=3),
)
def test_screen_properties(participants, company, users, blocked, blocked_domains):
    rules = FilterRules(company, users, blocked, blocked_domains)
    result = filters.screen(participants, rules)
    excluded = [item.address for item in result.excluded]
    # every distinct participant is either kept or excluded, once
    assert sorted([*result.kept, *excluded]) == sorted(set(participants))
    # a kept address is matched by no rule, even through a parent domain (naive check)
    for address in result.kept:
        domain = address.split("@")[1]
        assert address not in users and address not in blocked
        assert not any(domain == d or domain.endswith("." + d) for d in company | blocked_domains)
    # screened only when nothing is kept
    assert (result.screened is None) == bool(result.kept)
