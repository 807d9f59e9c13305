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

A posted mail, drop-box or lockbox batch has a session of its own (workstation `batch:<id>`,
see clerk_tui.domain.batches) whose receipts land in the drawer book. It is no drawer: it was
never counted, so it has no over/short line; its money is a source of its own ("batch") and
"no drawer" by tender (once, like any money taken without a drawer), and each batch gets a line
(number, kind, payments, total, approved or not). A deposit names its drawers and its batches
apart, as the slip does.
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
from clerk_tui.domain.cashier.sessions import BATCH_WORKSTATION
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
    batch: bool = False  # taken by a mail/drop-box/lockbox batch (so: no drawer)


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
class BatchLine:
    batch_id: int
    kind: str  # mail | dropbox | lockbox
    session_id: int
    state: str  # posted (awaiting approval) | approved
    approved_by: str | None
    payments: int  # receipts the batch posted
    total_cents: int  # the money of its session this day (voids of its receipts net out)


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
    sessions: str  # the drawers in the bag
    total_cents: int  # the slip's total: drawers and batches
    card_cents: int
    batches: str = ""  # the batches in the bag, by their own numbers


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
    batches: tuple[BatchLine, ...]
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


def _session_rows(db: Database, day: str, ids: set[int]) -> dict[int, dict]:
    """The day's sessions (drawers and batches) and any other session the day's money used."""
    sessions = {r["id"]: r for r in db.all(
        "SELECT id, clerk, workstation, state FROM drawer_sessions WHERE business_date = ?",
        [day])}
    for sid in ids - set(sessions):
        row = db.one("SELECT id, clerk, workstation, state FROM drawer_sessions WHERE id = ?",
                     [sid])
        if row:
            sessions[sid] = row
    return sessions


def _is_batch(session: dict | None) -> bool:
    return bool(session) and str(session["workstation"]).startswith(BATCH_WORKSTATION)


def _batches(db: Database, sessions: dict[int, dict], taken: dict[int, list[int]]
             ) -> tuple[BatchLine, ...]:
    """One line per batch whose session is among the day's (posted that day, or whose money
    moved that day)."""
    ids = [sid for sid, s in sorted(sessions.items()) if _is_batch(s)]
    if not ids:
        return ()
    marks = ",".join("?" * len(ids))
    rows = db.all(
        "SELECT b.id, b.kind, b.state, b.approved_by, b.drawer_session_id AS sid, "
        "(SELECT count(*) FROM batch_receipts br WHERE br.batch_id = b.id) AS payments "
        f"FROM batches b WHERE b.drawer_session_id IN ({marks}) ORDER BY b.id", ids)
    return tuple(BatchLine(r["id"], r["kind"], r["sid"], r["state"], r["approved_by"],
                           r["payments"], sum(taken.get(r["sid"], [0, 0]))) for r in rows)


def _build(db: Database, day: str) -> dict:
    """Everything but the anchor, from one pass over the day's entries."""
    batch_sids = {r["id"] for r in db.all(
        "SELECT id FROM drawer_sessions WHERE workstation LIKE ?", [BATCH_WORKSTATION + "%"])}
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
    sources: dict[tuple[str, bool, bool], list[int]] = defaultdict(lambda: [0, 0])
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
        through_drawer = any(e["book"] == "drawer" and e["drawer_session_id"] not in batch_sids
                             for e in money)
        by_batch = any(e["drawer_session_id"] in batch_sids for e in money)
        line = sources[(kind, through_drawer, by_batch and not through_drawer)]
        line[0] += 1
        line[1] += cents
        if rows[0]["rev"] is not None and rows[0]["journal_id"] not in void_journals:
            others[kind][0] += 1
            others[kind][1] += cents
        for e in rows:
            if _is_money(e):
                in_drawer = e["book"] == "drawer" and e["drawer_session_id"] not in batch_sids
                t = tenders[e["tender"] or "cash"]
                t[0 if in_drawer else 1] += e["amount_cents"]
                if e["book"] == "drawer":
                    d = drawers[e["drawer_session_id"]]
                    d[1 if e["kind"] in OVER_SHORT_KINDS else 0] += e["amount_cents"]
            else:
                funds[(e["book"], e["fund"], e["gl_code"])] -= e["amount_cents"]
    sessions = _session_rows(db, day, set(drawers))
    return {
        "by_source": tuple(SourceLine(k, d, v[0], v[1], b)
                           for (k, d, b), v in sorted(sources.items(), key=lambda kv: (
                               not kv[0][1], kv[0][2], kv[0][0]))),
        "by_fund": tuple(FundLine(b, f, g, c) for (b, f, g), c in sorted(funds.items()) if c),
        "by_tender": tuple(TenderLine(t, v[0], v[1]) for t, v in sorted(tenders.items())),
        "drawers": tuple(DrawerLine(sid, s["clerk"], s["workstation"], s["state"],
                                    drawers.get(sid, [0, 0])[0], drawers.get(sid, [0, 0])[1])
                         for sid, s in sorted(sessions.items()) if not _is_batch(s)),
        "batches": _batches(db, sessions, drawers),
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
        rows = db.all(
            "SELECT ds.drawer_session_id AS sid, s.workstation FROM deposit_sessions ds "
            "JOIN drawer_sessions s ON s.id = ds.drawer_session_id WHERE ds.deposit_id = ? "
            "ORDER BY ds.drawer_session_id", [d["id"]])
        ids = [str(r["sid"]) for r in rows if not _is_batch(r)]
        batches = [r["workstation"][len(BATCH_WORKSTATION):] for r in rows if _is_batch(r)]
        card = int(db.scalar("SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries "
                             "WHERE journal_id = ? AND book = 'clearing' AND tender = 'card'",
                             [d["journal_id"]]))
        out.append(DepositLine(d["id"], ", ".join(ids), d["total_cents"], card,
                               ", ".join(batches)))
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
    rows: list[list[object]] = [[_clip(s.source, 28), "drawer" if s.drawer else
                                 "batch" if s.batch else "no drawer",
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
    out.append("Batches: mail, drop box, lockbox (no drawer, no count)")
    if r.batches:
        rows = [[b.batch_id, _clip(b.kind, 8), b.payments, m(b.total_cents),
                 f"approved {_clip(b.approved_by or '', 14)}" if b.state == "approved"
                 else "NOT approved"] for b in r.batches]
        rows.append(["Total", "", sum(b.payments for b in r.batches),
                     m(sum(b.total_cents for b in r.batches)), ""])
        out += [_table(rows, ["Batch", "Kind", "Payments", "Amount", "Approval"],
                       ("left", "left", "right", "right", "left")), ""]
    else:
        out += ["  none", ""]
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
        rows = [[d.id, _clip(d.sessions, 20), _clip(d.batches, 16), m(d.total_cents),
                 m(d.card_cents)] for d in r.deposits]
        out.append(_table(rows, ["Deposit", "Drawers", "Batches", "In the bag", "Card"],
                          ("left", "left", "left", "right", "right")))
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
