"""Subpoenas and court papers accepted at the desk, and the civil officer-subpoena deposit.

Kinds: civil, criminal, records. A CIVIL subpoena naming a peace officer takes a deposit of
`civil_deposit_per_day` per day to appear (Gov. Code 68097.2(b): $275), paid by the party who
served it, into TRUST (item kind `fd_subpoena`, reference SUB + number, book "trust"). After
the appearance the actual cost is reconciled (`reconcile`):
- what the appearance cost moves from trust to revenue;
- any excess goes back to the party: in cash from the clerk's drawer or by city check
  (accounts payable), within the clerk's `refund` limit in authority.toml (above it a
  supervisor approves) — the cashier's refund rules, applied to a trust balance;
- a shortfall is billed: the balance becomes payable (item `fd_subpoena`, reference
  SUB + number + `-BAL`, revenue).
Criminal and records subpoenas are logged without a fee. A per-officer court calendar lists
appearances. Subpoenas are police records: only a cleared clerk sees or changes them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.rules import rules as cashier_rules
from clerk_tui.domain.cashier.sessions import cash_on_hand, require_open
from clerk_tui.domain.errors import NotFound, NotThisKind, StateError, ValidationError
from clerk_tui.domain.frontdesk import access
from clerk_tui.domain.frontdesk.rules import money, rule_set
from clerk_tui.domain.money import check_cents, format_money
from clerk_tui.domain.text import clean_text

KINDS = ("civil", "criminal", "records")
_REF = re.compile(r"\s*SUB(\d{1,9})(-BAL)?\s*", re.I)


@dataclass(frozen=True)
class Subpoena:
    id: int
    kind: str
    named: str
    case_number: str
    court: str
    appear_at: dt.datetime
    days: int
    served_by: str
    served_at: dt.datetime
    deposit_cents: int
    deposit_receipt_id: int | None
    actual_cents: int | None
    settled: str | None

    @property
    def reference(self) -> str:
        return f"SUB{self.id:06d}"

    @property
    def balance_due_cents(self) -> int:
        """What the party still owes after reconciliation (0 when nothing)."""
        if self.actual_cents is None or self.settled not in ("billed",):
            return 0
        return max(self.actual_cents - self.deposit_cents, 0)


@dataclass(frozen=True)
class Settlement:
    subpoena: Subpoena
    kept_cents: int
    refunded_cents: int
    billed_cents: int
    method: str | None
    override_by: str | None


def _when(value: str | dt.datetime, what: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    try:
        return dt.datetime.fromisoformat(str(value).strip().replace(" ", "T"))
    except ValueError:
        raise ValidationError(f"{what} {value!r} is not a date and time "
                              "(YYYY-MM-DD HH:MM).") from None


_COLS = ("id, kind, named, case_number, court, appear_at, days, served_by, served_at, "
         "deposit_cents, deposit_receipt_id, actual_cents, settled")


def _sub(r: dict) -> Subpoena:
    return Subpoena(r["id"], r["kind"], r["named"], r["case_number"], r["court"],
                    dt.datetime.fromisoformat(r["appear_at"]), r["days"], r["served_by"],
                    dt.datetime.fromisoformat(r["served_at"]), r["deposit_cents"],
                    r["deposit_receipt_id"], r["actual_cents"], r["settled"])


def _get(db: Database, sid: int) -> Subpoena:
    r = db.one(f"SELECT {_COLS} FROM fd_subpoenas WHERE id = ?", [sid])
    if r is None:
        raise NotFound(f"No subpoena #{sid}.")
    return _sub(r)


def parse_reference(reference: str) -> tuple[int, bool]:
    """'SUB000001' -> (1, False) the deposit; 'SUB000001-BAL' -> (1, True) the balance."""
    m = _REF.fullmatch(reference or "")
    if not m:
        raise NotThisKind(f"{reference!r} is not a subpoena (SUB + number).")
    return int(m.group(1)), bool(m.group(2))


def deposit_for(kind: str, days: int, on: dt.date) -> int:
    return days * money("subpoenas", "civil_deposit_per_day", on) if kind == "civil" else 0


def accept(db: Database, actor: Actor, kind: str, named: str, case_number: str, court: str,
           appear_at: str | dt.datetime, served_by: str, served_at: str | dt.datetime | None = None,
           days: int = 1) -> Subpoena:
    """Accept service. A civil officer subpoena's deposit is then taken on Payments."""
    access.require_records(db, actor)
    if kind not in KINDS:
        raise ValidationError(f"Kind is one of {', '.join(KINDS)}.")
    named = clean_text(named, field="Officer or custodian", max_len=80, required=True)
    case_number = clean_text(case_number, field="Case", max_len=40, required=True)
    court = clean_text(court, field="Court", max_len=80, required=True)
    served_by = clean_text(served_by, field="Served by", max_len=80, required=True)
    appear = _when(appear_at, "Appear at")
    served = _when(served_at, "Served at") if served_at else clock.now().replace(microsecond=0)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 30:
        raise ValidationError("Days to appear: 1 to 30.")
    if appear < served:
        raise ValidationError("The appearance cannot be before the service.")
    deposit = deposit_for(kind, days, served.date())
    with db.write():
        sid = db.insert("fd_subpoenas", {
            "kind": kind, "named": named, "case_number": case_number, "court": court,
            "appear_at": appear.isoformat(), "days": days, "served_by": served_by,
            "served_at": served.isoformat(), "deposit_cents": deposit,
            "settled": None if deposit else "no_fee",
            "created_by": actor.username, "created_at": clock.stamp()})
        audit.record(db, actor, "frontdesk.subpoena_accept", f"subpoena:{sid}",
                     after={"kind": kind, "named": named, "deposit_cents": deposit})
        return _get(db, sid)


def mark_deposit(db: Database, sid: int, receipt_id: int | None) -> None:
    sub = _get(db, sid)
    if receipt_id is None and sub.settled not in (None,):
        raise StateError(f"{sub.reference} was reconciled: its deposit cannot be undone.")
    db.execute("UPDATE fd_subpoenas SET deposit_receipt_id = ? WHERE id = ?", [receipt_id, sid])


def mark_balance_paid(db: Database, sid: int, paid: bool) -> None:
    db.execute("UPDATE fd_subpoenas SET settled = ? WHERE id = ?",
               ["balance_paid" if paid else "billed", sid])


def reconcile(db: Database, actor: Actor, sid: int, actual_cents: int, *,
              method: str = "cash", override: Override | None = None) -> Settlement:
    """After the appearance: keep what it cost, hand back the excess or bill the rest."""
    access.require_records(db, actor)
    check_cents(actual_cents, "The actual cost")
    if actual_cents < 0:
        raise ValidationError("The actual cost cannot be negative.")
    if method not in ("cash", "check"):
        raise ValidationError("Refund by cash or by city check.")
    sub = _get(db, sid)
    if sub.kind != "civil" or not sub.deposit_cents:
        raise StateError(f"{sub.reference} has no deposit to reconcile.")
    if sub.deposit_receipt_id is None:
        raise StateError(f"{sub.reference}: the deposit was never paid.")
    if sub.settled is not None:
        raise StateError(f"{sub.reference} was reconciled already ({sub.settled}).")
    excess = max(sub.deposit_cents - actual_cents, 0)
    approver = None
    if excess:
        approver = authority().require(actor, "refund.credit", amount_cents=excess,
                                       limit="refund", override=override,
                                       what="refund a subpoena deposit")
    r = rule_set("subpoenas", sub.served_at.date())
    fund, trust_gl, revenue_gl = str(r["fund"]), str(r["gl_trust"]), str(r["gl_revenue"])
    memo = f"subpoena {sub.reference} {sub.case_number}"
    with db.write():
        sub = _get(db, sid)
        if sub.settled is not None:
            raise StateError(f"{sub.reference} was reconciled already ({sub.settled}).")
        kept = min(actual_cents, sub.deposit_cents)
        if kept:
            ledger.post(db, actor, "subpoena_fee", [
                ledger.Entry(book="trust", kind="subpoena_fee", amount_cents=kept, fund=fund,
                             gl_code=trust_gl, memo=memo),
                ledger.Entry(book="revenue", kind="subpoena_fee", amount_cents=-kept, fund=fund,
                             gl_code=revenue_gl, memo=memo)], memo=memo)
        if excess:
            if method == "cash":
                session = require_open(db, actor)
                if excess > cash_on_hand(db, session):
                    raise ValidationError("Not enough cash in the drawer; refund by check.")
                out = ledger.Entry(book="drawer", kind="refund", amount_cents=-excess,
                                   drawer_session_id=session.id, tender="cash", memo=memo)
            else:
                out = ledger.Entry(book="clearing", kind="refund", amount_cents=-excess,
                                   gl_code=cashier_rules().gl["refunds_payable"], memo=memo)
            ledger.post(db, actor, "refund", [
                ledger.Entry(book="trust", kind="refund", amount_cents=excess, fund=fund,
                             gl_code=trust_gl, memo=memo), out], memo=memo)
        billed = max(actual_cents - sub.deposit_cents, 0)
        settled = "billed" if billed else ("refunded" if excess else "kept")
        db.execute("UPDATE fd_subpoenas SET actual_cents = ?, settled = ? WHERE id = ?",
                   [actual_cents, settled, sid])
        done = Settlement(_get(db, sid), kept, excess, billed, method if excess else None,
                          approver)
        audit.record(db, actor, "frontdesk.subpoena_reconcile", f"subpoena:{sid}",
                     before={"deposit_cents": sub.deposit_cents},
                     after={**asdict(done), "subpoena": sub.reference}, override_by=approver)
    return done


def calendar(db: Database, actor: Actor, named: str | None = None,
             start: dt.date | None = None) -> list[Subpoena]:
    """Appearances from `start` on (today), by officer then time; nothing if uncleared."""
    if not access.may_see_records(db, actor):
        return []
    start = start or clock.today()
    sql = f"SELECT {_COLS} FROM fd_subpoenas WHERE appear_at >= ?"
    args: list[object] = [start.isoformat()]
    if named:
        sql += " AND named = ?"
        args.append(named.strip())
    return [_sub(r) for r in db.all(sql + " ORDER BY named COLLATE NOCASE, appear_at", args)]


def all_open(db: Database, actor: Actor) -> list[Subpoena]:
    if not access.may_see_records(db, actor):
        return []
    return [_sub(r) for r in db.all(
        f"SELECT {_COLS} FROM fd_subpoenas ORDER BY appear_at DESC, id DESC LIMIT 200")]


def format_calendar(rows: list[Subpoena], start: dt.date) -> str:
    out = [f"COURT CALENDAR BY OFFICER  from {start.isoformat()}", ""]
    last = None
    for s in rows:
        if s.named != last:
            out += ["", s.named]
            last = s.named
        out.append(f"  {s.appear_at.isoformat(' ', 'minutes')}  {s.kind:<9}{s.case_number[:14]:<15}"
                   f"{s.court[:30]}")
    if not rows:
        out.append("No appearances.")
    return "\n".join(out)


def format_deposits(rows: list[Subpoena]) -> str:
    out = ["SUBPOENA DEPOSITS HELD AND RECONCILED", "",
           f"{'Ref':<11}{'Officer':<19}{'Case':<13}{'Deposit':>10}{'Actual':>10}  Status"]
    held = 0
    for s in rows:
        if not s.deposit_cents:
            continue
        status = s.settled or ("held" if s.deposit_receipt_id else "deposit due")
        if s.deposit_receipt_id and s.settled is None:
            held += s.deposit_cents
        out.append(f"{s.reference:<11}{s.named[:18]:<19}{s.case_number[:12]:<13}"
                   f"{format_money(s.deposit_cents):>10}"
                   f"{format_money(s.actual_cents) if s.actual_cents is not None else '':>10}"
                   f"  {status}")
    out += ["", f"Held in trust now: {format_money(held)}"]
    return "\n".join(out)
