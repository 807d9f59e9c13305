"""Indigent payment plans (CVC 40220, as amended by AB 503; AB 1299 changes go in the data).

- Eligibility as the clerk records it: public benefits, or income at or under `fpg_percent` of
  the federal poverty guideline for the household size (both in rules.toml).
- The plan takes every owed citation of the plate; late penalties are waived on enrolment
  (due.py) and reinstated on default. Monthly installments of at most the data's cap for the
  total (e.g. $25 up to $500), paid off within `max_months`; a processing fee no higher than
  the cap is owed on the plan's first citation (paid with it, its fund/GL).
- A plan protects its citations from notices and DMV holds and releases existing holds.
- One missed installment gets one `cure_days` cure; not caught up by then, or a second miss,
  is a default (`plan_state`, pure; `check_plans` records defaults).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.citations import dmv
from clerk_tui.domain.citations.rules import PlanRules, citation_rules
from clerk_tui.domain.citations.store import (
    add_event,
    by_plate,
    clean_plate,
    clean_state,
    due_of,
    events_for,
)
from clerk_tui.domain.clock import add_months
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import clean_text


@dataclass(frozen=True)
class Terms:
    total_cents: int
    fee_cents: int
    monthly_cents: int
    months: int
    max_monthly_cents: int


def terms(total_cents: int, r: PlanRules, monthly_cents: int | None = None) -> Terms:
    """The plan for a total (penalties already waived): the monthly cap by the total, the
    months it takes, refused past `max_months` or over the cap."""
    if total_cents <= 0:
        raise ValidationError("Nothing is owed: no plan needed.")
    cap = r.small_monthly_max_cents if total_cents <= r.small_total_max_cents \
        else r.large_monthly_max_cents
    owed = total_cents + r.fee_cents
    monthly = cap if monthly_cents is None else monthly_cents
    if monthly <= 0:
        raise ValidationError("The monthly installment must be more than $0.00.")
    if monthly > cap:
        raise ValidationError(f"At most {format_money(cap)} a month for a total of "
                              f"{format_money(total_cents)} (CVC 40220).")
    monthly = min(monthly, owed)
    months = -(-owed // monthly)
    if months > r.max_months:
        raise ValidationError(f"{format_money(monthly)} a month takes {months} months; the "
                              f"plan must be paid off within {r.max_months}.")
    return Terms(total_cents, r.fee_cents, monthly, months, cap)


def eligible(basis: str, household: int, income_cents: int | None, on: dt.date) -> None:
    """Refuse a person who does not qualify (basis as recorded by the clerk)."""
    r = citation_rules()
    if basis not in ("benefits", "income"):
        raise ValidationError("Eligibility: public benefits or income.")
    if not 1 <= household <= 20:
        raise ValidationError("Household size: 1 to 20.")
    if basis == "income":
        if income_cents is None or income_cents < 0:
            raise ValidationError("Enter the household's yearly income.")
        limit = r.poverty(on).guideline(household) * r.plans(on).fpg_percent // 100
        if income_cents > limit:
            raise ValidationError(f"Income {format_money(income_cents)} is over "
                                  f"{r.plans(on).fpg_percent}% of the poverty guideline for "
                                  f"{household} ({format_money(limit)}).")


def plan_state(enrolled_on: dt.date, t: Terms, payments: Sequence[tuple[dt.date, int]],
               on: dt.date, r: PlanRules) -> tuple[str, dt.date | None]:
    """('current' | 'cure' | 'default' | 'complete', the date that state started or ends).

    Installment k is due k months after enrolment; paid is everything paid on the plan's
    citations since enrolment. Pure: tested at every boundary."""
    owed = t.total_cents + t.fee_cents
    paid_on = sum(a for d, a in payments if d <= on)
    if paid_on >= owed:
        return "complete", None
    cum, cures = 0, 0
    for k in range(1, t.months + 1):
        due_k = add_months(enrolled_on, k)
        if due_k > on:
            break
        cum = min(owed, cum + t.monthly_cents)
        if sum(a for d, a in payments if d <= due_k) >= cum:
            continue
        if cures >= r.cures_allowed:
            return "default", due_k + dt.timedelta(days=1)
        cure_end = due_k + dt.timedelta(days=r.cure_days)
        caught_up = sum(a for d, a in payments if d <= cure_end) >= cum
        if not caught_up:
            if on <= cure_end:
                return "cure", cure_end
            return "default", cure_end + dt.timedelta(days=1)
        cures += 1
    return "current", None


@dataclass(frozen=True)
class PlanMade:
    id: int
    terms: Terms
    numbers: tuple[str, ...]
    released: int

    @property
    def message(self) -> str:
        t = self.terms
        return (f"Plan {self.id}: {len(self.numbers)} citation(s), "
                f"{format_money(t.total_cents)} + fee {format_money(t.fee_cents)}, "
                f"{format_money(t.monthly_cents)} a month for {t.months} month(s); "
                f"{self.released} DMV hold(s) released.")


def create_plan(db: Database, actor: Actor, plate: str, state: str, person: str, basis: str,
                household: int, income_cents: int | None = None,
                monthly_cents: int | None = None, *,
                override: Override | None = None) -> PlanMade:
    on = clock.today()
    person = clean_text(person, field="Name", max_len=80, required=True)
    plate, state = clean_plate(plate), clean_state(state)
    eligible(basis, household, income_cents, on)
    r = citation_rules().plans(on)
    views = [v for v in by_plate(db, plate, state, on)
             if v.due.due_cents > 0 and v.due.status in ("open", "partial", "hold")]
    if not views:
        raise StateError(f"{plate} {state} has no owed citation that a plan can take.")
    total = sum(max(0, v.due.base_cents - v.due.paid_cents) for v in views)
    t = terms(total, r, monthly_cents)
    approver = authority().require(actor, "citation.plan", amount_cents=total,
                                   limit="payment_plan", override=override,
                                   what="approve a citation payment plan")
    with db.write():
        pid = db.insert("citation_plans", {
            "person": person, "basis": basis, "household": household,
            "income_cents": income_cents, "total_cents": t.total_cents,
            "monthly_cents": t.monthly_cents, "months": t.months, "fee_cents": t.fee_cents,
            "enrolled_on": on.isoformat(), "at": clock.stamp(), "clerk": actor.username,
            "override_by": approver})
        released = 0
        for k, v in enumerate(views):
            db.insert("citation_plan_items", {"plan_id": pid, "citation_id": v.id})
            add_event(db, actor, v.id, "plan_enrolled", on, ref=str(pid),
                      amount_cents=t.fee_cents if k == 0 else 0)
            released += dmv.release_if_held(db, actor, v.id, "plan", on)
        audit.record(db, actor, "citation.plan", f"citation_plan:{pid}",
                     after={"plate": plate, "state": state, "basis": basis,
                            "household": household, "total_cents": t.total_cents,
                            "monthly_cents": t.monthly_cents, "months": t.months,
                            "numbers": [v.number for v in views]}, override_by=approver)
    return PlanMade(pid, t, tuple(v.number for v in views), released)


def check_plans(db: Database, actor: Actor, on: dt.date | None = None) -> list[int]:
    """Record a default on every plan whose cure ran out (penalties come back); returns the
    plans defaulted."""
    on = on or clock.today()
    done: list[int] = []
    with db.write():
        for p in db.all("SELECT * FROM citation_plans ORDER BY id"):
            ids = [r["citation_id"] for r in db.all(
                "SELECT citation_id FROM citation_plan_items WHERE plan_id = ?", [p["id"]])]
            evs = events_for(db, ids)
            if any(e.kind == "plan_defaulted" and e.ref == str(p["id"])
                   for es in evs.values() for e in es):
                continue
            enrolled = dt.date.fromisoformat(p["enrolled_on"])
            pays = [(e.on, e.amount_cents if e.kind == "payment" else -e.amount_cents)
                    for es in evs.values() for e in es
                    if e.kind in ("payment", "payment_undone") and e.on >= enrolled]
            t = Terms(p["total_cents"], p["fee_cents"], p["monthly_cents"], p["months"], 0)
            state, since = plan_state(enrolled, t, pays, on, citation_rules().plans(enrolled))
            if state == "default":
                for cid in ids:
                    add_event(db, actor, cid, "plan_defaulted", since or on, ref=str(p["id"]))
                done.append(p["id"])
        audit.record(db, actor, "citation.plan_check", f"citation_plans:{on}",
                     after={"defaulted": done})
    return done


def owed_on_plan(db: Database, plate: str, state: str, on: dt.date | None = None) -> int:
    rows = db.all("SELECT * FROM citations WHERE plate = ? AND state = ?", [plate, state])
    evs = events_for(db, [r["id"] for r in rows])
    return sum(d.due_cents for r in rows if (d := due_of(r, evs[r["id"]], on or clock.today()))
               .on_plan)
