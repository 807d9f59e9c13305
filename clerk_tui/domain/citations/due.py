"""What a citation owes on a day, and its status: a PURE function of its facts, its history
(events) and the date. No SQL, no clock: the same history and date always give the same answer,
so every penalty and deadline boundary is tested directly (tests/domain/citations/test_due.py).

Rules (numbers from data/citations/rules.toml, by the citation's issue date):
- the base is the violation's fine, or a review/hearing/appeal's reduced amount, or the
  correction amount (CVC 40225) once a proof of correction is signed off (no penalties then);
- a penalty step is owed from the day after its deadline (issue date or notice date + days,
  rolled to a business day) if the base was not paid in full by the end of that day;
- a review or hearing hold freezes the clock: its days are added to every deadline not yet
  passed when it began; an open hold keeps them from ever being reached;
- a plan waives the penalties while it stands; a default reinstates them; its processing
  fee (CVC 40220, capped in the data) is owed on the plan's first citation;
- a dismissal or a void owes nothing; payments (less undone and refunded ones) come off the
  total; paid beyond the total is an overpayment (refunds.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from clerk_tui.domain.citations.rules import CitationRules, Deadlines, Penalty

RESULTS = ("UPHELD", "DISMISSED", "REDUCED")

STATUS_LABELS = {
    "open": "Open", "partial": "Partly paid", "paid": "Paid", "review": "On review (frozen)",
    "hearing": "On hearing (frozen)", "plan": "On a plan", "hold": "DMV hold",
    "dismissed": "Dismissed", "voided": "Voided",
}


@dataclass(frozen=True)
class Facts:
    """The citation as written (what the due amount depends on)."""

    id: int
    number: str
    issued_on: dt.date
    violation_code: str
    fine_cents: int


@dataclass(frozen=True)
class Event:
    kind: str
    on: dt.date
    amount_cents: int = 0
    ref: str = ""
    reason_code: str = ""
    receipt_id: int | None = None
    id: int = 0


@dataclass(frozen=True)
class Due:
    status: str
    base_cents: int
    penalties: tuple[tuple[str, int], ...]
    paid_cents: int
    due_cents: int
    overpaid_cents: int
    notice_on: dt.date | None
    on_plan: bool
    held: bool
    """A DMV hold was placed and not released."""
    frozen: bool
    in_collections: bool
    deadlines: dict[str, dt.date | None] = field(default_factory=dict)

    @property
    def penalty_cents(self) -> int:
        return sum(a for _, a in self.penalties)

    @property
    def total_cents(self) -> int:
        return self.base_cents + self.penalty_cents

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def closed(self) -> bool:
        return self.status in ("paid", "dismissed", "voided")


Roll = Callable[[dt.date], dt.date]


def no_roll(d: dt.date) -> dt.date:
    return d


def weekend_roll(d: dt.date) -> dt.date:
    """A deadline on a Saturday or Sunday moves to Monday (no holiday list)."""
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def _holds(events: Sequence[Event], on: dt.date) -> list[tuple[dt.date, dt.date | None, str]]:
    """Review and hearing holds as [start, end) intervals with their kind (end None = still
    open on `on`)."""
    out: list[tuple[dt.date, dt.date | None, str]] = []
    for kind, start_kind, end_kinds in (
            ("review", "review_requested", ("review_result",)),
            ("hearing", "hearing_requested", ("hearing_result", "hearing_withdrawn"))):
        start: dt.date | None = None
        for e in events:
            if e.kind == start_kind and start is None:
                start = e.on
            elif e.kind in end_kinds and start is not None:
                out.append((start, e.on, kind))
                start = None
        if start is not None:
            out.append((start, None, kind))
    return sorted(out, key=lambda h: h[0])


def frozen_deadline(start: dt.date, days: int, holds: Sequence[tuple[dt.date, dt.date | None]]
                    | Sequence[tuple[dt.date, dt.date | None, str]],
                    roll: Roll = no_roll) -> dt.date | None:
    """`start + days`, pushed on by the days of every hold that began by then (None: a hold
    that began by then is still open, so the deadline is not reached)."""
    d = start + dt.timedelta(days=days)
    for s, e, *_ in holds:
        if s > d:
            break
        if e is None:
            return None
        if e <= start:
            continue
        d += e - max(s, start)
    return roll(d)


def _paid_by(events: Sequence[Event], day: dt.date) -> int:
    total = 0
    for e in events:
        if e.on > day:
            continue
        if e.kind == "payment":
            total += e.amount_cents
        elif e.kind in ("payment_undone", "refund"):
            total -= e.amount_cents
    return total


def _result(events: Sequence[Event]) -> Event | None:
    """The latest review/hearing/appeal result."""
    found = [e for e in events if e.kind in ("review_result", "hearing_result", "appeal_result")]
    return found[-1] if found else None


def penalty_deadline(p: Penalty, facts: Facts, notice_on: dt.date | None,
                     holds: Sequence[tuple[dt.date, dt.date | None, str]],
                     roll: Roll) -> dt.date | None:
    start = facts.issued_on if p.after == "issue" else notice_on
    if start is None:
        return None
    return frozen_deadline(start, p.days, holds, roll)


def amount_due(facts: Facts, history: Sequence[Event], on: dt.date, rules: CitationRules,
               roll: Roll = weekend_roll) -> Due:
    """The citation's status and what it owes at the end of day `on` (see module docstring)."""
    events = sorted((e for e in history if e.on <= on), key=lambda e: (e.on, e.id))
    kinds = {e.kind for e in events}
    notices = [e.on for e in events if e.kind == "notice"]
    notice_on = notices[0] if notices else None
    holds = _holds(events, on)
    base = facts.fine_cents
    result = _result(events)
    if result is not None and result.reason_code == "REDUCED":
        base = result.amount_cents
    corrected = [e for e in events if e.kind == "corrected"]
    if corrected:
        base = min(base, corrected[-1].amount_cents)
    dismissed = "dismissed" in kinds or (result is not None and result.reason_code == "DISMISSED")
    voided = "voided" in kinds
    enrolled = [e for e in events if e.kind == "plan_enrolled"]
    defaulted = [e for e in events if e.kind == "plan_defaulted"]
    on_plan = bool(enrolled) and (not defaulted or defaulted[-1].on < enrolled[-1].on)
    penalties: list[tuple[str, int]] = []
    steps = rules.penalty_steps(facts.issued_on)
    if not rules.deadlines(facts.issued_on).roll_to_business_day:
        roll = no_roll
    if not corrected and not dismissed and not voided and not on_plan:
        for p in steps:
            deadline = penalty_deadline(p, facts, notice_on, holds, roll)
            if deadline is not None and on > deadline and _paid_by(events, deadline) < base:
                penalties.append((p.label, p.amount_for(base)))
    if not dismissed and not voided:  # the plan's processing fee rides on its first citation
        penalties += [("Plan processing fee", e.amount_cents) for e in enrolled
                      if e.amount_cents > 0]
    paid = _paid_by(events, on)
    total = 0 if (dismissed or voided) else base + sum(a for _, a in penalties)
    due = max(0, total - paid)
    holds_placed = sum(1 for e in events if e.kind == "hold_placed")
    held = holds_placed > sum(1 for e in events if e.kind == "hold_released")
    open_kinds = [k for _, e, k in holds if e is None or e > on]
    frozen = bool(open_kinds)
    open_kind = open_kinds[-1] if open_kinds else None
    if voided:
        status = "voided"
    elif dismissed:
        status = "dismissed"
    elif due == 0:
        status = "paid"
    elif open_kind:
        status = open_kind
    elif on_plan:
        status = "plan"
    elif held:
        status = "hold"
    elif paid > 0:
        status = "partial"
    else:
        status = "open"
    return Due(status, base, tuple(penalties), paid, due, max(0, paid - total), notice_on,
               on_plan, held, frozen, "collections" in kinds,
               deadlines(facts, events, rules, roll))


def deadlines(facts: Facts, events: Sequence[Event], rules: CitationRules,
              roll: Roll = weekend_roll) -> dict[str, dt.date | None]:
    """The contest deadlines as they stand: review_by, hearing_by, appeal_by (None = not open)."""
    d: Deadlines = rules.deadlines(facts.issued_on)
    r = roll if d.roll_to_business_day else no_roll
    review_by = r(facts.issued_on + dt.timedelta(days=d.review_from_issue_days))
    notices = [e.on for e in events if e.kind == "notice"]
    if notices:
        review_by = max(review_by,
                        r(notices[0] + dt.timedelta(days=d.review_from_notice_days)))
    reviews = [e for e in events if e.kind == "review_result"]
    hearings = [e for e in events if e.kind == "hearing_result"]
    return {
        "review_by": review_by,
        "hearing_by": r(reviews[-1].on + dt.timedelta(days=d.hearing_from_review_days))
        if reviews else None,
        "appeal_by": r(hearings[-1].on + dt.timedelta(days=d.appeal_from_hearing_days))
        if hearings else None,
    }
