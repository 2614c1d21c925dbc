"""Which lead a mail goes on.

The models find the candidate leads (those whose email, customer or contacts match an external
participant, and those holding the mail a reply answers) and hand them over as plain
:class:`Candidate` values; this module decides, and says why in a :class:`Decision` that the models
turn into the decision trace.

Rules, in order:

1. **Thread.** A reply to mail already filed follows it to its lead, even from an address the lead
   does not know, unless the earlier mail sits on two or more leads (then the thread says nothing).
2. **Contacts.** Among the leads whose contacts appear in the mail, open leads win over won ones
   (lost leads are archived and never candidates); then the most recently active one. With the
   ``ask`` policy, several candidates are left for a person to choose; with the ``every`` policy,
   the mail also goes on every other matching open lead (``Decision.also``).
3. **None** when nothing matches: the caller creates a lead or queues the mail.

A user's own bulk send (``tools.automated.own_bulk_send``) is not one conversation but one per
recipient: :func:`choose_per_recipient` decides for each recipient alone, by rule 2 without asking
(open leads first, then the most recently active), and never by the thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Literal

__all__ = ["Candidate", "Decision", "choose_lead", "choose_per_recipient"]

Policy = Literal["most_recent", "every", "ask"]


@dataclass(frozen=True)
class Candidate:
    """A lead that could receive the mail."""

    lead_id: int
    last_activity: datetime
    is_open: bool = True
    matched: tuple[str, ...] = ()  # participant addresses found on the lead
    in_thread: bool = False  # holds a mail this one replies to


@dataclass(frozen=True)
class Decision:
    """The outcome: ``kind`` is "thread", "contact", "ambiguous" or "none"."""

    kind: Literal["thread", "contact", "ambiguous", "none"]
    lead_id: int | None = None
    address: str | None = None  # the address the lead was found by
    others: tuple[int, ...] = field(default=())  # other matching leads, for the trace
    also: tuple[int, ...] = field(default=())  # other open leads the mail goes on too ("every")


def _rank(candidate: Candidate) -> tuple[bool, datetime, int]:
    return (candidate.is_open, candidate.last_activity, candidate.lead_id)


def choose_lead(candidates: Iterable[Candidate], policy: Policy = "most_recent") -> Decision:
    """Decide which lead the mail goes on (see the module's rules)."""
    candidates = list({c.lead_id: c for c in candidates}.values())
    thread = [c for c in candidates if c.in_thread]
    if len(thread) == 1:
        return Decision(
            "thread", thread[0].lead_id, thread[0].matched[0] if thread[0].matched else None
        )
    by_contact = sorted((c for c in candidates if c.matched), key=_rank, reverse=True)
    if not by_contact:
        return Decision("none")
    best, others = by_contact[0], tuple(c.lead_id for c in by_contact[1:])
    if others and policy == "ask":
        return Decision("ambiguous", None, None, tuple(c.lead_id for c in by_contact))
    if others and policy == "every":
        also = tuple(c.lead_id for c in by_contact[1:] if c.is_open)
        return Decision("contact", best.lead_id, best.matched[0], others, also)
    return Decision("contact", best.lead_id, best.matched[0], others)


def choose_per_recipient(
    recipients: Iterable[str], candidates: Iterable[Candidate]
) -> dict[str, Decision]:
    """Decide, for each recipient address of a bulk send, which lead gets its copy.

    ``candidates`` are every lead matching any recipient (``matched`` naming which ones). Each
    recipient gets the decision :func:`choose_lead` makes with the leads matching that recipient
    alone ("none" when there is none). A lead matching several recipients gets the mail once:
    the later recipients that would choose it again are left out of the result.
    """
    candidates = list(candidates)
    taken: set[int] = set()
    result: dict[str, Decision] = {}
    for address in dict.fromkeys(recipients):
        own = [
            Candidate(c.lead_id, c.last_activity, c.is_open, (address,))
            for c in candidates
            if address in c.matched
        ]
        decision = choose_lead(own)
        if decision.kind == "contact" and decision.lead_id in taken:
            continue
        if decision.lead_id:
            taken.add(decision.lead_id)
        result[address] = Decision(decision.kind, decision.lead_id, decision.address)
    return result
