from mail_lead_capture.tools.direction import INCOMING
from mail_lead_capture.tools.direction import OUTGOING
from mail_lead_capture.tools.direction import counterparts
from mail_lead_capture.tools.direction import mail_direction

OWN = {"bob@acme.example", "karen@gmail.com"}


def test_direction_follows_the_author():
    assert mail_direction("bob@acme.example", OWN) == OUTGOING
    assert (
        mail_direction("karen@gmail.com", OWN) == OUTGOING
    )  # a user's address, whatever its domain
    assert mail_direction("sue@yahoo.com", OWN) == INCOMING
    assert mail_direction(None, OWN) == INCOMING


def test_counterparts_of_outgoing_mail_are_its_external_recipients_in_order():
    got = counterparts(
        OUTGOING,
        "bob@acme.example",
        ["tom@wayne.example", "karen@gmail.com", "priya@wayne.example", "tom@wayne.example"],
        external={"priya@wayne.example", "tom@wayne.example"},
    )
    assert got == ["tom@wayne.example", "priya@wayne.example"]


def test_counterparts_of_incoming_mail_start_with_the_sender():
    got = counterparts(
        INCOMING,
        "sue@yahoo.com",
        ["bob@acme.example", "ann@yahoo.com"],
        external={"sue@yahoo.com", "ann@yahoo.com"},
    )
    assert got == ["sue@yahoo.com", "ann@yahoo.com"]
