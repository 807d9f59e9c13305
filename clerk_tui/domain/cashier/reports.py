"""X and Z reports for a drawer session, computed from the ledger itself.

Totals come from ledger_entries (not from receipts) so the report is, by construction, what the
books say: by tender = the session's drawer book; by fund = the other side of the same journals
(income shown positive), so the two always add up to the same amount. An X report can be run at
any time and changes nothing; a Z report needs the closing count and ends with the audit
chain's latest hash (after recording that it was printed), so a printed day can be checked
against the database later.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tabulate import tabulate

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.closing import current_count
from clerk_tui.domain.cashier.movements import CashMovement, movements
from clerk_tui.domain.cashier.sessions import (
    SessionView,
    current_session,
    get_session,
    latest_session,
)
from clerk_tui.domain.cashier.tenders import LABELS
from clerk_tui.domain.errors import StateError
from clerk_tui.domain.money import format_money

_OVER_SHORT_KINDS = "('over_short', 'over_short.reopen')"
"""Ledger entry kinds of a count's over/short and its reversal when a drawer is reopened."""


@dataclass(frozen=True)
class TenderTotal:
    tender: str
    amount_cents: int


@dataclass(frozen=True)
class FundTotal:
    book: str
    fund: str
    gl_code: str
    amount_cents: int


@dataclass(frozen=True)
class VoidLine:
    number: int
    kind: str
    total_cents: int
    reason_code: str
    clerk: str
    override_by: str | None


@dataclass(frozen=True)
class CountSummary:
    counted: dict[str, int]
    expected_cents: int
    over_short_cents: int
    denominations: dict[str, int]
    expected: dict[str, int] = field(default_factory=dict)
    """What the drawer should hold by tender (cash includes the opening bank)."""


@dataclass(frozen=True)
class SessionReport:
    kind: str  # "X" or "Z"
    session: SessionView
    generated_at: str
    generated_by: str
    receipt_count: int
    receipts_total_cents: int
    by_tender: tuple[TenderTotal, ...]
    by_fund: tuple[FundTotal, ...]
    voids: tuple[VoidLine, ...]
    movements: tuple[CashMovement, ...]
    drawer_total_cents: int
    count: CountSummary | None = None
    audit_head: str | None = None
    audit_seq: int | None = None  # with audit_head: the anchor `audit verify --anchor` checks
    voided_count: int = 0
    """Receipts of this drawer voided in it: numbered (gapless), but no money taken."""
    voided_total_cents: int = 0
    taken: tuple[TenderTotal, ...] = ()
    """What the drawer took by tender, without the count's over/short (`by_tender` is the
    drawer book, over/short included)."""

    @property
    def kept_count(self) -> int:
        """Receipts that still stand (not voided in this drawer)."""
        return self.receipt_count - self.voided_count

    @property
    def kept_total_cents(self) -> int:
        return self.receipts_total_cents - self.voided_total_cents


def _resolve(db: Database, actor: Actor, session_id: int | None, *,
             latest: bool = False) -> SessionView:
    if session_id is None:
        s = latest_session(db, actor) if latest else current_session(db, actor)
        if s is None:
            raise StateError("You have no drawer open at this workstation.")
        return s
    s = get_session(db, session_id)
    perm = "reports.own" if s.clerk == actor.username else "reports.all"
    authority().require(actor, perm, what="see another clerk's drawer report")
    return s


# Issue 12: the report found "this drawer's journals" (a DISTINCT over 25k entries at 100k
# receipts, joined to journals) three times. Now the drawer's side is one pass over its own
# entries, giving both the book by tender and what the drawer took (the book without a count's
# over/short), and the journals are found once, for the other side of them by fund. Both read
# only the indexes of core migration 0006 (ledger_drawer, ledger_journal_totals).
# A deposit is left out by its drawer entries' kind rather than by a join to journals: only
# deposit.create_deposit writes drawer entries in a deposit journal, all of kind 'deposit', and
# no other drawer entry has that kind (tests/domain/cashier/test_cashier_deposit.py holds it).
_DRAWER_TOTALS = (
    "SELECT tender, sum(amount_cents) AS cents, "
    f"count(*) FILTER (WHERE kind NOT IN {_OVER_SHORT_KINDS}) AS taken_n, "
    f"sum(amount_cents) FILTER (WHERE kind NOT IN {_OVER_SHORT_KINDS}) AS taken "
    "FROM ledger_entries WHERE book = 'drawer' AND drawer_session_id = ? "
    "AND kind <> 'deposit' GROUP BY tender ORDER BY tender")
_FUND_TOTALS = (
    "SELECT book, fund, gl_code, sum(amount_cents) AS cents FROM ledger_entries "
    "WHERE book <> 'drawer' AND journal_id IN (SELECT journal_id FROM ledger_entries "
    "WHERE book = 'drawer' AND drawer_session_id = ? AND kind <> 'deposit') "
    "GROUP BY book, fund, gl_code ORDER BY book, fund, gl_code")


def _build(db: Database, actor: Actor, kind: str, s: SessionView) -> SessionReport:
    drawer = db.all(_DRAWER_TOTALS, [s.id])
    by_tender = tuple(TenderTotal(r["tender"] or "cash", int(r["cents"])) for r in drawer)
    taken = tuple(TenderTotal(r["tender"] or "cash", int(r["taken"]))
                  for r in drawer if r["taken_n"])
    by_fund = tuple(FundTotal(r["book"], r["fund"], r["gl_code"], -int(r["cents"]))
                    for r in db.all(_FUND_TOTALS, [s.id]))
    voids = tuple(VoidLine(r["number"], r["kind"], r["total_cents"], r["reason_code"],
                           r["clerk"], r["override_by"]) for r in db.all(
        "SELECT r.number, v.kind, r.total_cents, v.reason_code, v.clerk, v.override_by "
        "FROM receipt_voids v JOIN receipts r ON r.id = v.receipt_id "
        "WHERE r.drawer_session_id = ? ORDER BY r.number", [s.id]))
    counts = db.one("SELECT count(*) AS n, coalesce(sum(total_cents), 0) AS t FROM receipts "
                    "WHERE drawer_session_id = ?", [s.id]) or {"n": 0, "t": 0}
    voided = [v for v in voids if v.kind == "void"]
    return SessionReport(kind, s, clock.stamp(), actor.username, counts["n"], counts["t"],
                         by_tender, by_fund, voids, tuple(movements(db, s.id)),
                         sum(t.amount_cents for t in by_tender),
                         voided_count=len(voided),
                         voided_total_cents=sum(v.total_cents for v in voided), taken=taken)


def x_report(db: Database, actor: Actor, session_id: int | None = None) -> SessionReport:
    """Mid-day totals (by tender, by fund, voids); changes nothing.

    Not for the clerk's own drawer while it is being counted: that would unblind the count.
    """
    s = _resolve(db, actor, session_id)
    if s.clerk == actor.username and s.state == "balancing" and current_count(db, s.id) is None:
        raise StateError("Your drawer is being counted: reports come after the count.")
    return _build(db, actor, "X", s)


def z_report(db: Database, actor: Actor, session_id: int | None = None) -> SessionReport:
    """The closing report: totals plus the count, ending with the audit chain's head."""
    with db.write():
        s = _resolve(db, actor, session_id, latest=True)
        c = current_count(db, s.id)
        if c is None:
            raise StateError("Count the drawer first: the Z report comes after the count.")
        lines = {r["denomination"]: r["quantity"] for r in db.all(
            "SELECT denomination, quantity FROM drawer_count_lines WHERE count_id = ?",
            [c["id"]])}
        summary = CountSummary(
            {"cash": c["currency_cents"] + c["coin_cents"], "check": c["check_cents"],
             "money_order": c["money_order_cents"]},
            c["expected_cents"], c["over_short_cents"], lines)
        report = _build(db, actor, "Z", s)
        taken = {t.tender: t.amount_cents for t in report.taken}
        summary = replace(summary, expected={
            "cash": s.opening_bank_cents + taken.get("cash", 0),
            "check": taken.get("check", 0), "money_order": taken.get("money_order", 0)})
        audit.record(db, actor, "report.z", f"drawer_session:{s.id}",
                     after={"drawer_total_cents": report.drawer_total_cents,
                            "over_short_cents": c["over_short_cents"]})
        anchor = audit.anchor(db)
    return replace(report, count=summary, audit_head=anchor.hash, audit_seq=anchor.seq)


def format_report(r: SessionReport) -> str:
    """Plain text for the receipt printer or a screen (tabulate, no markup)."""
    s = r.session
    out = [f"{r.kind} REPORT  drawer {s.id}  {s.clerk} @ {s.workstation}",
           f"Opened {s.opened_at}  state {s.state}", f"Printed {r.generated_at} by {r.generated_by}",
           f"Receipts: {r.kept_count}  {format_money(r.kept_total_cents)}"]
    if r.voided_count:
        out.append(f"Voided:   {r.voided_count}  {format_money(r.voided_total_cents)}"
                   "  (not in the totals)")
    out.append("")
    # Taken = what the drawer took by tender; a count's over/short is never folded in here.
    out.append(tabulate([[LABELS.get(t.tender, t.tender), format_money(t.amount_cents)]
                         for t in r.taken] +
                        [["Total", format_money(sum(t.amount_cents for t in r.taken))]],
                        headers=["Tender", "Taken"], tablefmt="simple",
                        colalign=("left", "right")))
    out.append("")
    out.append(tabulate([[f.book, f.fund, f.gl_code, format_money(f.amount_cents)]
                         for f in r.by_fund], headers=["Book", "Fund", "GL", "Amount"],
                        tablefmt="simple", colalign=("left", "left", "left", "right")))
    if r.voids:
        out.append("")
        out.append(tabulate([[v.number, v.kind, format_money(v.total_cents), v.reason_code]
                             for v in r.voids], headers=["Receipt", "Void", "Amount", "Reason"],
                            tablefmt="simple"))
    if r.movements:
        out.append("")
        out.append(tabulate([[m.kind, format_money(m.amount_cents), m.reason] for m in
                             r.movements], headers=["Movement", "Amount", "Reason"],
                            tablefmt="simple"))
    if r.count:
        c = r.count
        rows = []
        for k in ("cash", "check", "money_order"):
            counted = c.counted.get(k, 0)
            expected = c.expected.get(k, counted)
            rows.append([LABELS.get(k, k), format_money(counted), format_money(expected),
                         format_money(counted - expected)])
        rows.append(["Total", format_money(sum(c.counted.values())),
                     format_money(sum(c.expected.values()) if c.expected
                                  else c.expected_cents), format_money(c.over_short_cents)])
        out += ["", f"Opening bank {format_money(r.session.opening_bank_cents)} "
                "(in expected cash)",
                tabulate(rows, headers=["Count", "Counted", "Expected", "Over/short"],
                         tablefmt="simple", colalign=("left", "right", "right", "right"))]
    if r.audit_head:
        out += ["", *audit.anchor_lines(r.audit_seq, r.audit_head)]
    return "\n".join(out)
