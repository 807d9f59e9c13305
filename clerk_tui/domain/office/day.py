"""The day report: every drawer, batch and counter of one business day, read from the ledger.

Why over the ledger and not over each counter's tables: a journal is the one thing every
counter (and the coming mail/lockbox batches) writes, so a report built on journals of the
business day shows a new counter or a new kind of posting without a line of code here.

What counts as money collected (the "money side" of a journal): its drawer entries, plus its
clearing entries that carry a tender (money received without a drawer, e.g. a batch of mailed
checks). Everything else in the same journal is the "fund side" (accounts, revenue, trust and
tender-less clearing such as the safe or petty cash), shown by book, fund and GL with income
positive. Journals balance, so the fund side's total is the money side's total, and both are
the sum of the lines by tender and by source. Deposit journals are left out (they move
collected money to the bank; they are listed as deposits) and so are journals that move no
money at all (bills, adjustments, refunds by city check: counted at the end).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from tabulate import tabulate

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.rules import rules as cashier_rules
from clerk_tui.domain.cashier.tenders import LABELS
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import visible

OVER_SHORT_KINDS = ("over_short", "over_short.reopen")
"""Drawer entry kinds of a count's over/short (as the cashier's X/Z report)."""
WIDTH = 78


@dataclass(frozen=True)
class SourceLine:
    source: str  # the journal kind
    drawer: bool  # posted through a drawer (else: money taken without one, e.g. a batch)
    journals: int
    amount_cents: int


@dataclass(frozen=True)
class FundLine:
    book: str
    fund: str
    gl_code: str
    amount_cents: int  # income positive


@dataclass(frozen=True)
class TenderLine:
    tender: str
    drawer_cents: int
    other_cents: int

    @property
    def total_cents(self) -> int:
        return self.drawer_cents + self.other_cents


@dataclass(frozen=True)
class DrawerLine:
    session_id: int
    clerk: str
    workstation: str
    state: str
    taken_cents: int  # what the drawer took this day, without the count's over/short
    over_short_cents: int


@dataclass(frozen=True)
class VoidLine:
    receipt: int
    kind: str  # void | reversal | nsf
    amount_cents: int
    reason_code: str
    clerk: str
    override_by: str | None


@dataclass(frozen=True)
class OtherReversal:
    kind: str
    journals: int
    amount_cents: int  # the money side of the reversing journals


@dataclass(frozen=True)
class DepositLine:
    id: int
    sessions: str
    total_cents: int
    card_cents: int


@dataclass(frozen=True)
class DayReport:
    business_date: str
    closed_at: str | None
    generated_at: str
    generated_by: str
    by_source: tuple[SourceLine, ...]
    by_fund: tuple[FundLine, ...]
    by_tender: tuple[TenderLine, ...]
    drawers: tuple[DrawerLine, ...]
    voids: tuple[VoidLine, ...]
    other_reversals: tuple[OtherReversal, ...]
    deposits: tuple[DepositLine, ...]
    city_checks: int
    city_checks_cents: int
    no_money: tuple[tuple[str, int], ...]  # journal kind, how many
    audit_seq: int
    audit_hash: str

    @property
    def collected_cents(self) -> int:
        return sum(s.amount_cents for s in self.by_source)


def check_day(text: str) -> str:
    """A business date typed by a person: YYYY-MM-DD, or a clear refusal."""
    value = (text or "").strip()
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValidationError(f"{visible(value[:20])!r} is not a date: type it as YYYY-MM-DD."
                              ) from None


def _is_money(e: dict) -> bool:
    return e["book"] == "drawer" or (e["book"] == "clearing" and e["tender"] is not None)


def _build(db: Database, day: str) -> dict:
    """Everything but the anchor, from one pass over the day's entries."""
    entries = db.all(
        "SELECT e.journal_id, j.kind AS jkind, j.reverses_journal_id AS rev, e.book, e.kind, "
        "e.amount_cents, e.fund, e.gl_code, e.tender, e.drawer_session_id "
        "FROM journals j JOIN ledger_entries e ON e.journal_id = j.id "
        "WHERE j.business_date = ? AND j.kind <> 'deposit' ORDER BY e.id", [day])
    journals: dict[int, list[dict]] = defaultdict(list)
    for e in entries:
        journals[e["journal_id"]].append(e)
    void_journals = {r["journal_id"] for r in db.all(
        "SELECT v.journal_id FROM receipt_voids v JOIN journals j ON j.id = v.journal_id "
        "WHERE j.business_date = ?", [day])}
    sources: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0])
    funds: dict[tuple[str, str, str], int] = defaultdict(int)
    tenders: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    drawers: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    others: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    no_money: dict[str, int] = defaultdict(int)
    payable = cashier_rules().gl["refunds_payable"]
    checks = [0, 0]
    for rows in journals.values():
        kind = rows[0]["jkind"]
        for e in rows:
            if e["book"] == "clearing" and e["gl_code"] == payable and e["tender"] is None:
                checks[0] += 1 if e["amount_cents"] < 0 else -1
                checks[1] -= e["amount_cents"]
        money = [e for e in rows if _is_money(e)]
        if not money:
            no_money[kind] += 1
            continue
        cents = sum(e["amount_cents"] for e in money)
        through_drawer = any(e["book"] == "drawer" for e in money)
        line = sources[(kind, through_drawer)]
        line[0] += 1
        line[1] += cents
        if rows[0]["rev"] is not None and rows[0]["journal_id"] not in void_journals:
            others[kind][0] += 1
            others[kind][1] += cents
        for e in rows:
            if _is_money(e):
                t = tenders[e["tender"] or "cash"]
                t[0 if e["book"] == "drawer" else 1] += e["amount_cents"]
                if e["book"] == "drawer":
                    d = drawers[e["drawer_session_id"]]
                    d[1 if e["kind"] in OVER_SHORT_KINDS else 0] += e["amount_cents"]
            else:
                funds[(e["book"], e["fund"], e["gl_code"])] -= e["amount_cents"]
    sessions = {r["id"]: r for r in db.all(
        "SELECT id, clerk, workstation, state FROM drawer_sessions WHERE business_date = ?",
        [day])}
    for sid in set(drawers) - set(sessions):
        row = db.one("SELECT id, clerk, workstation, state FROM drawer_sessions WHERE id = ?",
                     [sid])
        if row:
            sessions[sid] = row
    return {
        "by_source": tuple(SourceLine(k, d, v[0], v[1])
                           for (k, d), v in sorted(sources.items(), key=lambda kv: (
                               not kv[0][1], kv[0][0]))),
        "by_fund": tuple(FundLine(b, f, g, c) for (b, f, g), c in sorted(funds.items()) if c),
        "by_tender": tuple(TenderLine(t, v[0], v[1]) for t, v in sorted(tenders.items())),
        "drawers": tuple(DrawerLine(sid, s["clerk"], s["workstation"], s["state"],
                                    drawers.get(sid, [0, 0])[0], drawers.get(sid, [0, 0])[1])
                         for sid, s in sorted(sessions.items())),
        "other_reversals": tuple(OtherReversal(k, v[0], v[1]) for k, v in sorted(others.items())),
        "city_checks": checks[0], "city_checks_cents": checks[1],
        "no_money": tuple(sorted(no_money.items())),
    }


def _voids(db: Database, day: str) -> tuple[VoidLine, ...]:
    return tuple(VoidLine(r["number"], r["kind"], r["total_cents"], r["reason_code"],
                          r["clerk"], r["override_by"]) for r in db.all(
        "SELECT r.number, v.kind, r.total_cents, v.reason_code, v.clerk, v.override_by "
        "FROM receipt_voids v JOIN journals j ON j.id = v.journal_id "
        "JOIN receipts r ON r.id = v.receipt_id WHERE j.business_date = ? "
        "ORDER BY r.number", [day]))


def _deposits(db: Database, day: str) -> tuple[DepositLine, ...]:
    out = []
    for d in db.all("SELECT id, total_cents, journal_id FROM deposits WHERE business_date = ? "
                    "ORDER BY id", [day]):
        ids = [str(r["drawer_session_id"]) for r in db.all(
            "SELECT drawer_session_id FROM deposit_sessions WHERE deposit_id = ? "
            "ORDER BY drawer_session_id", [d["id"]])]
        card = int(db.scalar("SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries "
                             "WHERE journal_id = ? AND book = 'clearing' AND tender = 'card'",
                             [d["journal_id"]]))
        out.append(DepositLine(d["id"], ", ".join(ids), d["total_cents"], card))
    return tuple(out)


def day_report(db: Database, actor: Actor, business_date: str | None = None) -> DayReport:
    """The day's collections (role `day.report`); records that it was run and ends with the
    audit chain's head, like a Z report, so the printed day can be checked later."""
    authority().require(actor, "day.report", what="see the day report")
    day = check_day(business_date) if business_date else clock.today().isoformat()
    with db.write():
        parts = _build(db, day)
        closed = db.scalar("SELECT closed_at FROM closed_business_days WHERE business_date = ?",
                           [day])
        voids, deposits = _voids(db, day), _deposits(db, day)
        collected = sum(s.amount_cents for s in parts["by_source"])
        audit.record(db, actor, "report.day", f"business_day:{day}",
                     after={"collected_cents": collected, "closed": bool(closed)})
        anchor = audit.anchor(db)
    return DayReport(day, closed, clock.stamp(), actor.username, voids=voids,
                     deposits=deposits, audit_seq=anchor.seq, audit_hash=anchor.hash, **parts)


def _table(rows: list[list[object]], headers: list[str], align: tuple[str, ...]) -> str:
    return tabulate(rows, headers=headers, tablefmt="simple", colalign=align)


def _clip(text: str, n: int) -> str:
    text = visible(str(text))
    return text if len(text) <= n else text[: n - 1] + "~"


def format_day_report(r: DayReport) -> str:
    """Plain text, at most 78 columns (tabulate; names clipped), for the screen or printer."""
    m = format_money
    out = [f"DAY REPORT  business day {r.business_date}",
           f"{'Closed ' + r.closed_at if r.closed_at else 'Day still open'}",
           f"Printed {r.generated_at} by {_clip(r.generated_by, 30)}",
           f"Collected: {m(r.collected_cents)}", ""]
    out.append("Collections by source")
    rows: list[list[object]] = [[_clip(s.source, 28), "drawer" if s.drawer else "no drawer",
                                 s.journals, m(s.amount_cents)] for s in r.by_source]
    rows.append(["Total", "", sum(s.journals for s in r.by_source), m(r.collected_cents)])
    out += [_table(rows, ["Source", "Via", "Postings", "Amount"],
                   ("left", "left", "right", "right")), ""]
    out.append("Collections by tender")
    rows = [[_clip(LABELS.get(t.tender, t.tender), 20), m(t.drawer_cents), m(t.other_cents),
             m(t.total_cents)] for t in r.by_tender]
    rows.append(["Total", m(sum(t.drawer_cents for t in r.by_tender)),
                 m(sum(t.other_cents for t in r.by_tender)),
                 m(sum(t.total_cents for t in r.by_tender))])
    out += [_table(rows, ["Tender", "Drawers", "No drawer", "Total"],
                   ("left", "right", "right", "right")), ""]
    out.append("Collections by fund and GL (income positive)")
    rows = [[f.book, _clip(f.fund, 8), _clip(f.gl_code, 24), m(f.amount_cents)]
            for f in r.by_fund]
    rows.append(["Total", "", "", m(sum(f.amount_cents for f in r.by_fund))])
    out += [_table(rows, ["Book", "Fund", "GL", "Amount"], ("left", "left", "left", "right")),
            ""]
    out.append("Drawers: taken and over/short")
    rows = [[d.session_id, _clip(d.clerk, 14), _clip(d.workstation, 12), d.state,
             m(d.taken_cents), m(d.over_short_cents)] for d in r.drawers]
    rows.append(["Total", "", "", "", m(sum(d.taken_cents for d in r.drawers)),
                 m(sum(d.over_short_cents for d in r.drawers))])
    out += [_table(rows, ["Drawer", "Clerk", "Station", "State", "Taken", "Over/short"],
                   ("left", "left", "left", "left", "right", "right")), ""]
    out.append("Voids and reversals")
    if r.voids or r.other_reversals:
        rows = [[v.receipt, v.kind, m(v.amount_cents), _clip(v.reason_code, 10),
                 _clip(v.clerk, 12), _clip(v.override_by or "", 12)] for v in r.voids]
        rows += [["", _clip(o.kind, 16), m(o.amount_cents), f"{o.journals} posted", "", ""]
                 for o in r.other_reversals]
        out.append(_table(rows, ["Receipt", "Kind", "Amount", "Reason", "Clerk", "Approved"],
                          ("left", "left", "right", "left", "left", "left")))
    else:
        out.append("  none")
    out += ["", "Deposits"]
    if r.deposits:
        rows = [[d.id, _clip(d.sessions, 30), m(d.total_cents), m(d.card_cents)]
                for d in r.deposits]
        out.append(_table(rows, ["Deposit", "Drawers", "In the bag", "Card"],
                          ("left", "left", "right", "right")))
    else:
        out.append("  none")
    out += ["", f"City checks to issue (refunds payable): {r.city_checks}  "
            f"{m(r.city_checks_cents)}"]
    if r.no_money:
        out.append("Postings that moved no money: " + ", ".join(
            f"{_clip(k, 20)} {n}" for k, n in r.no_money))
    out += ["", *audit.anchor_lines(r.audit_seq, r.audit_hash)]
    return "\n".join(_wrap(line) for line in "\n".join(out).splitlines())


def _wrap(line: str) -> str:
    """A line longer than the page (a long list of postings) folds at a comma or space."""
    import textwrap

    if len(line) <= WIDTH:
        return line
    return "\n".join(textwrap.wrap(line, WIDTH, subsequent_indent="  "))
