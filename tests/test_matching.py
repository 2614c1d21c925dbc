from datetime import datetime
from datetime import timedelta

from mail_lead_capture.tools.matching import Candidate
from mail_lead_capture.tools.matching import choose_lead
from mail_lead_capture.tools.matching import choose_per_recipient

NOW = datetime(2026, 11, 25, 12, 0)


def test_no_candidate_means_no_lead():
    assert choose_lead([]).kind == "none"
    assert choose_lead([Candidate(1, NOW)]).kind == "none"  # neither in the thread nor by contact


def test_single_contact_match():
    decision = choose_lead([Candidate(7, NOW, matched=("sue@yahoo.com",))])
    assert (decision.kind, decision.lead_id, decision.address, decision.others) == (
        "contact",
        7,
        "sue@yahoo.com",
        (),
    )


def test_most_recently_active_open_lead_wins_and_others_are_named():
    decision = choose_lead(
        [
            Candidate(1, NOW - timedelta(days=3), matched=("sue@yahoo.com",)),
            Candidate(2, NOW, is_open=False, matched=("sue@yahoo.com",)),  # won, newer
            Candidate(3, NOW - timedelta(hours=1), matched=("ann@yahoo.com",)),
        ]
    )
    assert (decision.kind, decision.lead_id, decision.address) == ("contact", 3, "ann@yahoo.com")
    assert decision.others == (1, 2)


def test_ask_policy_leaves_several_matches_to_a_person():
    decision = choose_lead(
        [
            Candidate(1, NOW, matched=("sue@yahoo.com",)),
            Candidate(2, NOW, matched=("sue@yahoo.com",)),
        ],
        policy="ask",
    )
    assert decision.kind == "ambiguous" and decision.lead_id is None
    assert set(decision.others) == {1, 2}
    single = choose_lead([Candidate(1, NOW, matched=("sue@yahoo.com",))], policy="ask")
    assert (single.kind, single.lead_id) == ("contact", 1)


def test_a_reply_follows_its_thread_even_from_an_unknown_address():
    decision = choose_lead(
        [
            Candidate(5, NOW - timedelta(days=9), in_thread=True),
            Candidate(6, NOW, matched=("sue@yahoo.com",)),
        ]
    )
    assert (decision.kind, decision.lead_id) == ("thread", 5)


def test_a_thread_spread_over_two_leads_says_nothing():
    decision = choose_lead(
        [
            Candidate(5, NOW, in_thread=True),
            Candidate(6, NOW, in_thread=True),
            Candidate(7, NOW - timedelta(days=1), matched=("sue@yahoo.com",)),
        ]
    )
    assert (decision.kind, decision.lead_id) == ("contact", 7)
    assert choose_lead(
        [Candidate(5, NOW, in_thread=True), Candidate(6, NOW, in_thread=True)]
    ).kind == ("none")


def test_every_policy_files_on_each_open_lead():
    decision = choose_lead(
        [
            Candidate(1, NOW - timedelta(days=3), matched=("sue@yahoo.com",)),
            Candidate(2, NOW, is_open=False, matched=("sue@yahoo.com",)),  # won: not again
            Candidate(3, NOW - timedelta(hours=1), matched=("ann@yahoo.com",)),
        ],
        policy="every",
    )
    assert (decision.kind, decision.lead_id) == ("contact", 3)
    assert decision.also == (1,)
    assert decision.others == (1, 2)
    single = choose_lead([Candidate(1, NOW, matched=("sue@yahoo.com",))], policy="every")
    assert (single.lead_id, single.also) == (1, ())


# A user's own bulk send: one decision per recipient.


def test_each_recipient_of_a_bulk_send_gets_its_own_lead():
    older, newer = NOW - timedelta(days=3), NOW
    candidates = [
        Candidate(1, older, matched=("ann@a.example",)),
        Candidate(2, newer, matched=("ann@a.example", "bea@b.example")),
        Candidate(3, newer, is_open=False, matched=("cid@c.example",)),
        Candidate(4, older, matched=("cid@c.example",)),
    ]
    result = choose_per_recipient(
        ["ann@a.example", "bea@b.example", "cid@c.example", "dan@d.example", "ann@a.example"],
        candidates,
    )
    # Ann's most recent lead; Bea is on the same lead, which gets the mail once (for Ann).
    assert result["ann@a.example"].lead_id == 2
    assert "bea@b.example" not in result
    # Cid: the open lead wins over the more recent won one.
    assert (result["cid@c.example"].kind, result["cid@c.example"].lead_id) == ("contact", 4)
    assert result["cid@c.example"].address == "cid@c.example"
    # Dan has no lead: the caller creates one or not, by the company's setting.
    assert result["dan@d.example"].kind == "none"
    assert list(result) == ["ann@a.example", "cid@c.example", "dan@d.example"]


def test_a_bulk_send_is_never_ambiguous_nor_threaded():
    candidates = [
        Candidate(1, NOW, matched=("ann@a.example",), in_thread=True),
        Candidate(2, NOW - timedelta(days=1), matched=("ann@a.example",)),
    ]
    result = choose_per_recipient(["ann@a.example"], candidates)
    assert (result["ann@a.example"].kind, result["ann@a.example"].lead_id) == ("contact", 1)
    assert result["ann@a.example"].others == ()
