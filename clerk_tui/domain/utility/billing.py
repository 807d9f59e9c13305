"""Billing runs, final bills and late fees: charges from reads, posted as balanced journals.

A run is two steps so a person looks before money moves:
1. `create_run` prices every active account of a cycle into `billing_run_lines` (the
   preliminary register: use, water, sewer, refuse, discount, total; or why it was skipped).
   Nothing is posted; a run can be cancelled and made again after rereads come in.
2. `finalize_run` (permission billing.finalize: supervisor, csr3 by override) re-prices each
   line, refuses if anything changed since the register was printed (rates, a closed account),
   and then writes the bills, bill lines and journals in chunks of `BILL_CHUNK` bills, each
   chunk ONE transaction with ONE journal (one account entry (+) per bill, one revenue entry
   (-) per fund/GL) and its audit row; the run turns final when every line has its bill. So
   the register total equals the account entries of the run's journals (`run_journals`) and
   minus their revenue entries, by construction and by test.

Both steps, and the late fees, price outside the write lock and write in short transactions
that re-check each account's stamp and can be run again after an interruption without doing
anything twice (jobs.py: a payment at the counter never waits seconds behind a billing run).

Rates are those in effect on the bill's period end (the date of the read billed up to).
Bills carry the stub scanline of the amount due after the bill (the account balance, not below
zero), the same 18 digits the payment screen reads back from a scan.

Late fees (`assess_late_fees`): FIFO like the account aging (payments pay the oldest charges
first), a bill's unpaid part is what is left of it after the balance is spread over the newer
charges; the fee rule is in data/utility/rates.toml [[late_fee]], once per bill (late_fees).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from tabulate import tabulate

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.account_numbers import format_number
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.money import format_money, format_plain
from clerk_tui.domain.scanlines import make_stub_scanline
from clerk_tui.domain.text import refuse_card_number
from clerk_tui.domain.utility import jobs, rates, reads

BILL_KINDS = ("regular", "final")


# ---- data --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Priced:
    """An account's bill as it would be: reads, use and charges (or why it is skipped)."""

    account_id: int
    reads: reads.BillingReads
    charges: list[rates.Charge]
    skipped: str | None

    def part(self, service: str) -> int:
        return sum(c.amount_cents for c in self.charges if c.service == service)

    @property
    def total_cents(self) -> int:
        return sum(c.amount_cents for c in self.charges)


@dataclass(frozen=True)
class BillingRun:
    id: int
    cycle: int
    period_end: str
    bill_date: str
    due_date: str
    status: str
    created_by: str
    finalized_by: str | None
    journal_id: int | None
    total_cents: int


@dataclass(frozen=True)
class RunLine:
    account_id: int
    account_number: str
    customer_name: str
    service_address: str
    consumption: int
    water_cents: int
    sewer_cents: int
    refuse_cents: int
    discount_cents: int
    total_cents: int
    skipped: str | None


@dataclass(frozen=True)
class Register:
    run: BillingRun
    lines: list[RunLine]

    @property
    def billed(self) -> list[RunLine]:
        return [ln for ln in self.lines if ln.skipped is None]

    @property
    def skipped(self) -> list[RunLine]:
        return [ln for ln in self.lines if ln.skipped is not None]

    @property
    def total_cents(self) -> int:
        return sum(ln.total_cents for ln in self.billed)

    def totals(self) -> dict[str, int]:
        b = self.billed
        return {"water": sum(ln.water_cents for ln in b), "sewer": sum(ln.sewer_cents for ln in b),
                "refuse": sum(ln.refuse_cents for ln in b),
                "discount": sum(ln.discount_cents for ln in b), "total": self.total_cents}


@dataclass(frozen=True)
class PostedBill:
    bill_id: int
    account_id: int
    amount_cents: int
    scanline: str
    journal_id: int


@dataclass(frozen=True)
class LateFee:
    bill_id: int
    account_id: int
    account_number: str
    unpaid_cents: int
    fee_cents: int


@dataclass(frozen=True)
class LateFeeRun:
    on: str
    journal_id: int | None  # the first of `journal_ids`
    fees: list[LateFee] = field(default_factory=list)
    journal_ids: tuple[int, ...] = ()  # one journal per chunk of fees (FEE_CHUNK)

    @property
    def total_cents(self) -> int:
        return sum(f.fee_cents for f in self.fees)


# ---- pricing -----------------------------------------------------------------------------------
def programs_on(db: Database, account_id: int, on: str) -> tuple[str, ...]:
    """Assistance programmes approved for the account and not expired on `on`."""
    rows = db.all("SELECT DISTINCT program FROM assistance_enrollments WHERE account_id = ? "
                  "AND status = 'approved' AND (expires_on IS NULL OR expires_on >= ?) "
                  "AND coalesce(decided_on, applied_on) <= ? ORDER BY program",
                  [account_id, on, on])
    return tuple(r["program"] for r in rows)


def price_account(db: Database, account: dict, period_end: str) -> Priced:
    """Price one account's bill up to `period_end` (account: a row of `accounts`)."""
    br = reads.billing_reads(db, account["id"], period_end)
    if br.skipped:
        return Priced(account["id"], br, [], br.skipped)
    assert br.to_read is not None and br.meter is not None
    on = br.to_read.read_on
    try:
        charges = rates.charges(br.consumption, br.meter.size, account["rate_class"],
                                tuple(s for s in account["services"].split(",") if s), on,
                                programs_on(db, account["id"], on))
    except ValidationError as e:
        return Priced(account["id"], br, [], str(e)[:120])
    if sum(c.amount_cents for c in charges) <= 0:
        return Priced(account["id"], br, charges, "nothing to bill")
    return Priced(account["id"], br, charges, None)


# ---- runs --------------------------------------------------------------------------------------
def _day(value: str | dt.date | None, field_name: str, default: dt.date) -> dt.date:
    if value is None or value == "":
        return default
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{field_name} {value!r} is not a date (YYYY-MM-DD).") from None


def _run(r: dict) -> BillingRun:
    return BillingRun(r["id"], r["cycle"], r["period_end"], r["bill_date"], r["due_date"],
                      r["status"], r["created_by"], r["finalized_by"], r["journal_id"],
                      r["total_cents"])


def get_run(db: Database, run_id: int) -> BillingRun:
    r = db.one("SELECT * FROM billing_runs WHERE id = ?", [run_id])
    if not r:
        raise NotFound(f"No billing run {run_id}.")
    return _run(r)


def list_runs(db: Database, limit: int = 20) -> list[BillingRun]:
    return [_run(r) for r in db.all("SELECT * FROM billing_runs ORDER BY id DESC LIMIT ?",
                                    [limit])]


def cycles(db: Database) -> list[int]:
    """Billing cycles with active accounts (what the run screen offers)."""
    return [r["cycle"] for r in db.all("SELECT DISTINCT cycle FROM accounts "
                                       "WHERE status = 'active' ORDER BY cycle")]


REGISTER_CHUNK = 500  # register lines per write transaction of create_run
BILL_CHUNK = 250  # bills per write transaction (and journal) of finalize_run
FEE_CHUNK = 250  # late fees per write transaction (and journal) of assess_late_fees


def _register_complete(db: Database, run_id: int) -> bool:
    """False for a run whose register was interrupted while being written (its opening audit
    row has no closing one); runs made before registers were written in chunks count as
    complete."""
    return jobs.finished(db, f"billing_run:{run_id}", "billing.preliminary.start",
                         "billing.preliminary") is not False


def _line_row(run_id: int, account_id: int, p: Priced) -> dict:
    return {"run_id": run_id, "account_id": account_id,
            "from_read_id": p.reads.from_read.id if p.reads.from_read else None,
            "to_read_id": p.reads.to_read.id if p.reads.to_read else None,
            "consumption": p.reads.consumption, "water_cents": p.part("water"),
            "sewer_cents": p.part("sewer"), "refuse_cents": p.part("refuse"),
            "discount_cents": p.part("discount"),
            "total_cents": p.total_cents if p.skipped is None else 0, "skipped": p.skipped}


def create_run(db: Database, actor: Actor, cycle: int, *, period_end: str | dt.date | None = None,
               bill_date: str | dt.date | None = None,
               due_date: str | dt.date | None = None, chunk_size: int | None = None,
               progress: jobs.Progress | None = None) -> Register:
    """Price a cycle into a preliminary register (no money moves; permission billing.run).

    Priced outside the write lock and written `chunk_size` lines per short transaction; an
    account whose pricing stamp (status, meters, reads, assistance) moved meanwhile is priced
    again inside its chunk. A run interrupted while its register was written is finished by
    running the same cycle and dates again (finalize refuses it until then); for a run whose
    finalize was interrupted (bills posted, still preliminary) it returns that run's register,
    so the desk offers to finalize it again and finish it.
    """
    authority().require(actor, "billing.run", what="run billing")
    if not isinstance(cycle, int) or isinstance(cycle, bool) or not 1 <= cycle <= 31:
        raise ValidationError("Billing cycle must be between 1 and 31.")
    today = clock.today()
    end = _day(period_end, "Period end", today)
    bdate = _day(bill_date, "Bill date", max(today, end))
    if bdate < end:
        raise ValidationError("The bill date cannot be before the period end.")
    due = _day(due_date, "Due date", bdate + dt.timedelta(days=rates.due_days(bdate)))
    if due <= bdate:
        raise ValidationError("The due date must be after the bill date.")
    live_sql = ("SELECT * FROM billing_runs WHERE cycle = ? AND period_end = ? "
                "AND status IN ('preliminary','final')")
    # Read before taking the lock (the audit scan may be long for an old run); re-read inside.
    seen = db.one(live_sql, [cycle, end.isoformat()])
    complete = seen is not None and _register_complete(db, seen["id"])
    with db.write():
        live = db.one(live_sql, [cycle, end.isoformat()])
        if live is None:
            complete = False
        elif seen is None or live["id"] != seen["id"]:
            complete = _register_complete(db, live["id"])  # a run made a moment ago
        posted = live is not None and bool(db.scalar(
            "SELECT count(*) FROM bills WHERE billing_run_id = ?", [live["id"]]))
        if live and (live["status"] != "preliminary" or (complete and not posted)):
            raise StateError(f"Cycle {cycle} for {end.isoformat()} already has a {live['status']} "
                             f"run (#{live['id']}); cancel it first to run again.")
        if live:  # interrupted (register or finalize): finish it, with the dates it began with
            if (live["bill_date"], live["due_date"]) != (bdate.isoformat(), due.isoformat()):
                raise StateError(
                    f"Run #{live['id']} for cycle {cycle} was interrupted; run it again with its "
                    f"bill date {live['bill_date']} and due date {live['due_date']}"
                    f"{'' if posted else ', or cancel it first'}.")
            run_id = live["id"]
        else:
            run_id = db.insert("billing_runs", {
                "cycle": cycle, "period_end": end.isoformat(), "bill_date": bdate.isoformat(),
                "due_date": due.isoformat(), "created_at": clock.stamp(),
                "created_by": actor.username})
            audit.record(db, actor, "billing.preliminary.start", f"billing_run:{run_id}",
                         after={"cycle": cycle, "period_end": end.isoformat()})
    if complete:  # a finalize was interrupted: its register, to finalize again
        return register(db, run_id)
    # ---- compute (no write lock): stamps first, then the prices they vouch for
    have = {r["account_id"] for r in db.all(
        "SELECT account_id FROM billing_run_lines WHERE run_id = ?", [run_id])}
    accounts = [a for a in db.all("SELECT * FROM accounts WHERE cycle = ? AND status = 'active' "
                                  "ORDER BY number", [cycle]) if a["id"] not in have]
    stamps = jobs.pricing_stamps(db, [a["id"] for a in accounts])
    priced = [(a, price_account(db, a, end.isoformat())) for a in accounts]
    # ---- write, chunk by chunk
    parts = jobs.chunked(priced, chunk_size or REGISTER_CHUNK)
    chunks = jobs.Chunks(db, len(parts), progress)
    for part in parts:
        with chunks.write():
            ids = [a["id"] for a, _ in part]
            now = jobs.pricing_stamps(db, ids)
            done = {r["account_id"] for r in db.all(
                f"SELECT account_id FROM billing_run_lines WHERE run_id = ? AND account_id IN "
                f"({','.join('?' * len(ids))})", [run_id, *ids])}
            for a, p in part:
                if a["id"] in done:
                    continue
                if now[a["id"]] != stamps[a["id"]]:
                    fresh = db.one("SELECT * FROM accounts WHERE id = ?", [a["id"]])
                    if fresh is None or fresh["status"] != "active" or fresh["cycle"] != cycle:
                        continue  # closed or moved meanwhile: not in this cycle's run
                    p = price_account(db, fresh, end.isoformat())
                db.insert("billing_run_lines", _line_row(run_id, a["id"], p))
    with db.write():
        t = db.one("SELECT count(*) AS n, coalesce(sum(CASE WHEN skipped IS NULL THEN total_cents "
                   "END), 0) AS total, count(skipped) AS skipped FROM billing_run_lines "
                   "WHERE run_id = ?", [run_id]) or {}
        db.execute("UPDATE billing_runs SET total_cents = ? WHERE id = ?", [t["total"], run_id])
        audit.record(db, actor, "billing.preliminary", f"billing_run:{run_id}", after={
            "cycle": cycle, "period_end": end.isoformat(), "bill_date": bdate.isoformat(),
            "due_date": due.isoformat(), "accounts": t["n"], "skipped": t["skipped"],
            "total_cents": t["total"], "chunks": len(parts)})
    return register(db, run_id)


def register(db: Database, run_id: int) -> Register:
    run = get_run(db, run_id)
    rows = db.all("SELECT l.*, a.number, a.service_address, c.name AS customer_name "
                  "FROM billing_run_lines l JOIN accounts a ON a.id = l.account_id "
                  "JOIN customers c ON c.id = a.customer_id WHERE l.run_id = ? "
                  "ORDER BY a.number", [run_id])
    return Register(run, [RunLine(r["account_id"], format_number(r["number"]),
                                  r["customer_name"], r["service_address"], r["consumption"],
                                  r["water_cents"], r["sewer_cents"], r["refuse_cents"],
                                  r["discount_cents"], r["total_cents"], r["skipped"])
                          for r in rows])


def format_register(reg: Register) -> str:
    """The register as plain text (tabulate), 78 columns: billed lines, totals, skipped."""
    run = reg.run
    title = "PRELIMINARY BILLING REGISTER" if run.status == "preliminary" else (
        "BILLING REGISTER (FINAL)" if run.status == "final" else "BILLING REGISTER (CANCELLED)")
    head = [f"{title}  run #{run.id}",
            f"Cycle {run.cycle}  period end {run.period_end}  bill date {run.bill_date}  "
            f"due {run.due_date}"]
    rows = [[ln.account_number, ln.customer_name[:16], ln.consumption,
             format_plain(ln.water_cents), format_plain(ln.sewer_cents),
             format_plain(ln.refuse_cents), format_plain(ln.discount_cents),
             format_plain(ln.total_cents)] for ln in reg.billed]
    t = reg.totals()
    rows.append(["TOTAL", f"{len(reg.billed)} bills", sum(ln.consumption for ln in reg.billed),
                 format_plain(t["water"]), format_plain(t["sewer"]), format_plain(t["refuse"]),
                 format_plain(t["discount"]), format_plain(t["total"])])
    body = tabulate(rows, headers=["Account", "Customer", "HCF", "Water", "Sewer", "Refuse",
                                   "Disc", "Total"], tablefmt="simple", disable_numparse=True,
                    colalign=("left", "left", "right", "right", "right", "right", "right",
                              "right"))
    out = [*head, "", body, "", f"Total to bill: {format_money(t['total'])} on "
           f"{len(reg.billed)} account(s); {len(reg.skipped)} skipped."]
    if reg.skipped:
        out += ["", "SKIPPED (not billed in this run)",
                tabulate([[ln.account_number, ln.customer_name[:22], (ln.skipped or "")[:44]]
                          for ln in reg.skipped], headers=["Account", "Customer", "Why"],
                         tablefmt="simple", disable_numparse=True)]
    return "\n".join(out)


def cancel_run(db: Database, actor: Actor, run_id: int, reason: str = "") -> BillingRun:
    """Drop a preliminary run (nothing was posted) so the cycle can be run again."""
    authority().require(actor, "billing.run", what="cancel billing runs")
    refuse_card_number(reason, field="Reason")
    with db.write():
        run = get_run(db, run_id)
        if run.status != "preliminary":
            raise StateError(f"Run #{run_id} is {run.status}: only a preliminary run can be "
                             "cancelled (a final run is corrected by adjustments).")
        posted = db.scalar("SELECT count(*) FROM bills WHERE billing_run_id = ?", [run_id])
        if posted:
            raise StateError(f"Run #{run_id} was partly finalized ({posted} bill(s) posted): "
                             "finalize it again to finish it; it cannot be cancelled.")
        db.execute("UPDATE billing_runs SET status = 'cancelled' WHERE id = ?", [run_id])
        audit.record(db, actor, "billing.cancel", f"billing_run:{run_id}",
                     before={"status": "preliminary"},
                     after={"status": "cancelled", "reason": reason[:200]})
        return get_run(db, run_id)


def _post_bills(db: Database, actor: Actor, items: list[tuple[dict, Priced]], *, kind: str,
                bill_date: str, due_date: str, run_id: int | None, memo: str,
                journal_kind: str = "billing") -> tuple[int, list[PostedBill]]:
    """Write one journal for `items` and a bill (+ lines, scanline) per account."""
    entries: list[ledger.Entry] = []
    revenue: dict[tuple[str, str], int] = defaultdict(int)
    for account, p in items:
        entries.append(ledger.Entry(book="account", kind="bill", amount_cents=p.total_cents,
                                    account_id=account["id"], memo=memo))
        for c in p.charges:
            revenue[(c.fund, c.gl_code)] += c.amount_cents
    for (fund, gl), cents in sorted(revenue.items()):
        if cents:
            entries.append(ledger.Entry(book="revenue", kind="bill", amount_cents=-cents,
                                        fund=fund, gl_code=gl, memo=f"{memo}: {fund}"))
    posted = ledger.post(db, actor, journal_kind, entries, business_date=bill_date, memo=memo)
    ids = [a["id"] for a, _ in items]
    balances: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in db.all("SELECT account_id, sum(amount_cents) AS bal FROM ledger_entries "
                        f"WHERE book = 'account' AND account_id IN ({','.join('?' * len(chunk))})"
                        " GROUP BY account_id", chunk):
            balances[r["account_id"]] = r["bal"]
    out = []
    for account, p in items:
        due = max(0, balances.get(account["id"], 0))
        scanline = make_stub_scanline(account["number"], due)
        assert p.reads.from_read is not None and p.reads.to_read is not None
        bill_id = db.insert("bills", {
            "account_id": account["id"], "journal_id": posted.journal_id,
            "bill_date": bill_date, "due_date": due_date,
            "period_start": p.reads.from_read.read_on, "period_end": p.reads.to_read.read_on,
            "consumption": p.reads.consumption, "amount_cents": p.total_cents,
            "billing_run_id": run_id, "kind": kind, "scanline": scanline})
        for c in p.charges:
            db.insert("bill_lines", {"bill_id": bill_id, "service": c.service,
                                     "description": c.description,
                                     "amount_cents": c.amount_cents, "fund": c.fund,
                                     "gl_code": c.gl_code})
        out.append(PostedBill(bill_id, account["id"], p.total_cents, scanline,
                              posted.journal_id))
    return posted.journal_id, out


def run_journals(db: Database, run_id: int) -> list[int]:
    """Every journal a run posted, oldest first: one per chunk of bills (`BILL_CHUNK`), so a
    large run is several journals; `BillingRun.journal_id` is the first of them."""
    return [r["journal_id"] for r in db.all(
        "SELECT DISTINCT journal_id FROM bills WHERE billing_run_id = ? ORDER BY journal_id",
        [run_id])]


def _same(account: dict, p: Priced, ln: dict) -> bool:
    """Whether the account prices today as its register line says."""
    return (account["status"] == "active" and p.skipped is None
            and p.reads.to_read is not None and p.reads.to_read.id == ln["to_read_id"]
            and p.total_cents == ln["total_cents"] and p.part("water") == ln["water_cents"]
            and p.part("sewer") == ln["sewer_cents"] and p.part("refuse") == ln["refuse_cents"])


def finalize_run(db: Database, actor: Actor, run_id: int, *,
                 override: Override | None = None, chunk_size: int | None = None,
                 progress: jobs.Progress | None = None) -> Register:
    """Post the reviewed register: bills, bill lines and journals.

    Every line is re-priced first, outside the write lock; if any account changed since the
    register was made nothing is posted. Then the bills are written `chunk_size` per short
    transaction, each chunk whole (its journal, bills, bill lines and audit row). The run turns
    'final' only when every line has its bill; a finalize interrupted half-way is finished by
    finalizing again, which bills only the lines that have no bill yet. An account that
    changes between the re-pricing and its chunk (closed, a new read) is left out of the run:
    its line is marked skipped with why, so the register still equals the ledger, and the
    next run bills its use.
    """
    approver = authority().require(actor, "billing.finalize", override=override,
                                   what="finalize a billing run")
    run = get_run(db, run_id)
    if run.status != "preliminary":
        raise StateError(f"Run #{run_id} is {run.status}: only a preliminary run can "
                         "be finalized.")
    if not _register_complete(db, run_id):
        raise StateError(f"Run #{run_id}'s register was interrupted before it was complete: "
                         f"run cycle {run.cycle} again to finish it, then finalize.")
    # ---- compute (no write lock): stamps first, then the prices they vouch for
    lines = db.all("SELECT l.*, a.number FROM billing_run_lines l JOIN accounts a "
                   "ON a.id = l.account_id WHERE l.run_id = ? AND l.skipped IS NULL "
                   "ORDER BY a.number", [run_id])
    if not lines:
        raise StateError("Nothing to bill in this run (every account was skipped).")
    billed = {r["account_id"] for r in db.all(
        "SELECT account_id FROM bills WHERE billing_run_id = ?", [run_id])}
    todo = [ln for ln in lines if ln["account_id"] not in billed]
    stamps = jobs.pricing_stamps(db, [ln["account_id"] for ln in todo])
    items: list[tuple[dict, Priced, dict]] = []
    changed: list[str] = []
    for ln in todo:
        account = db.one("SELECT * FROM accounts WHERE id = ?", [ln["account_id"]])
        assert account is not None
        p = price_account(db, account, run.period_end)
        if not _same(account, p, ln):
            changed.append(format_number(account["number"]))
        items.append((account, p, ln))
    if changed:
        raise StateError(
            f"{len(changed)} account(s) changed since the register was made "
            f"({', '.join(changed[:3])}{'…' if len(changed) > 3 else ''}): cancel "
            "this run and run the cycle again.")
    memo = f"Billing cycle {run.cycle} {run.period_end}"
    parts = jobs.chunked(items, chunk_size or BILL_CHUNK)
    chunks = jobs.Chunks(db, len(parts), progress)
    try:
        for part in parts:
            with chunks.write():
                _finalize_chunk(db, actor, run_id, part, stamps, memo, approver)
        with db.write():
            now = get_run(db, run_id)
            if now.status != "preliminary":  # another clerk finished it meanwhile
                raise StateError(f"Run #{run_id} is {now.status}: only a preliminary run can "
                                 "be finalized.")
            open_lines = db.scalar(
                "SELECT count(*) FROM billing_run_lines l WHERE l.run_id = ? AND l.skipped IS "
                "NULL AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.billing_run_id = l.run_id "
                "AND b.account_id = l.account_id)", [run_id])
            if open_lines:
                raise StateError(f"Run #{run_id}: {open_lines} line(s) still have no bill; "
                                 "finalize again to finish.")
            journals = run_journals(db, run_id)
            t = db.one("SELECT count(*) AS n, coalesce(sum(amount_cents), 0) AS total "
                       "FROM bills WHERE billing_run_id = ?", [run_id]) or {}
            db.execute("UPDATE billing_runs SET status = 'final', finalized_at = ?, "
                       "finalized_by = ?, journal_id = ?, total_cents = ? WHERE id = ?",
                       [clock.stamp(), actor.username, journals[0] if journals else None,
                        t["total"], run_id])
            audit.record(db, actor, "billing.finalize", f"billing_run:{run_id}",
                         before={"status": "preliminary", "total_cents": run.total_cents},
                         after={"status": "final", "journal_id": journals[0] if journals
                                else None, "journals": len(journals), "bills": t["n"],
                                "total_cents": t["total"]},
                         override_by=approver)
    except IntegrityError as e:
        if "business day is closed" in str(e):
            raise StateError("The bill date's business day is closed; use an open day.") from None
        raise
    return register(db, run_id)


def _finalize_chunk(db: Database, actor: Actor, run_id: int,
                    part: Sequence[tuple[dict, Priced, dict]], stamps: dict[int, tuple],
                    memo: str, approver: str | None) -> None:
    """One chunk of a finalize, inside its transaction: re-check, then post and audit."""
    run = get_run(db, run_id)
    if run.status != "preliminary":
        raise StateError(f"Run #{run_id} is {run.status}: only a preliminary run can be "
                         "finalized.")
    ids = [a["id"] for a, _, _ in part]
    now = jobs.pricing_stamps(db, ids)
    billed = {r["account_id"] for r in db.all(
        "SELECT account_id FROM bills WHERE billing_run_id = ? AND account_id IN "
        f"({','.join('?' * len(ids))})", [run_id, *ids])}
    post: list[tuple[dict, Priced]] = []
    for account, p, ln in part:
        if account["id"] in billed:  # a second finalize of the same run got here first
            continue
        if now[account["id"]] != stamps[account["id"]]:
            fresh = db.one("SELECT * FROM accounts WHERE id = ?", [account["id"]])
            assert fresh is not None
            p = price_account(db, fresh, run.period_end)
            if not _same(fresh, p, ln):
                why = (f"changed while the run was finalized ({fresh['status']}"
                       f"{', ' + p.skipped if p.skipped else ''}): billed next run")[:120]
                db.execute("UPDATE billing_run_lines SET skipped = ?, total_cents = 0 "
                           "WHERE run_id = ? AND account_id = ?", [why, run_id, account["id"]])
                audit.record(db, actor, "billing.line_left_out", f"billing_run:{run_id}",
                             before={"account_id": account["id"],
                                     "total_cents": ln["total_cents"]},
                             after={"skipped": why})
                continue
            account = fresh
        post.append((account, p))
    if not post:
        return
    journal_id, bills = _post_bills(db, actor, post, kind="regular", bill_date=run.bill_date,
                                    due_date=run.due_date, run_id=run_id, memo=memo)
    audit.record(db, actor, "billing.finalize.chunk", f"billing_run:{run_id}",
                 after={"journal_id": journal_id, "bills": len(bills),
                        "total_cents": sum(b.amount_cents for b in bills)},
                 override_by=approver)


def final_bill_in_write(db: Database, actor: Actor, account_id: int, *,
                        bill_date: str) -> PostedBill | None:
    """The closing bill up to the account's final read (inside the caller's transaction).

    Returns None when there is nothing new to bill (the final read equals the last billed one
    and no fixed charges are due because the last bill already covered the period).
    """
    account = db.one("SELECT * FROM accounts WHERE id = ?", [account_id])
    if account is None:
        raise NotFound(f"No account with id {account_id}.")
    p = price_account(db, account, bill_date)
    if p.skipped is not None:
        if p.skipped.startswith("no new read"):
            return None
        raise StateError(f"Cannot make the final bill: {p.skipped}.")
    due = (dt.date.fromisoformat(bill_date) + dt.timedelta(days=rates.due_days(bill_date)))
    _, bills = _post_bills(db, actor, [(account, p)], kind="final", bill_date=bill_date,
                           due_date=due.isoformat(), run_id=None,
                           memo=f"Final bill {format_number(account['number'])}")
    return bills[0]


def bill_lines(db: Database, bill_id: int) -> list[dict]:
    return db.all("SELECT service, description, amount_cents, fund, gl_code FROM bill_lines "
                  "WHERE bill_id = ? ORDER BY id", [bill_id])


# ---- FIFO: what is left unpaid of a charge ------------------------------------------------------
def unpaid_of(entries: list[dict], entry_id: int, amount_cents: int) -> int:
    """The unpaid part of one charge, given the account's entries (FIFO, like the aging).

    entries: dicts with id, amount_cents, business_date, in any order. Payments and credits pay
    the oldest charges first, so what is still owed is made of the newest charges: the charge's
    unpaid part is the balance minus every charge posted after it, between 0 and its amount.
    """
    key = {e["id"]: (e["business_date"], e["id"]) for e in entries}
    me = key.get(entry_id)
    if me is None:
        return 0
    balance = sum(e["amount_cents"] for e in entries)
    newer = sum(e["amount_cents"] for e in entries
                if e["amount_cents"] > 0 and key[e["id"]] > me)
    return max(0, min(amount_cents, balance - newer))


def account_entries(db: Database, account_id: int, up_to: str | None = None) -> list[dict]:
    sql = ("SELECT le.id, le.journal_id, le.kind, le.amount_cents, j.business_date "
           "FROM ledger_entries le JOIN journals j ON j.id = le.journal_id "
           "WHERE le.book = 'account' AND le.account_id = ?")
    params: list = [account_id]
    if up_to:
        sql += " AND j.business_date <= ?"
        params.append(up_to)
    return db.all(sql + " ORDER BY j.business_date, le.id", params)


def bill_entry_id(db: Database, bill: dict) -> int | None:
    """The account entry a bill posted (its journal's entry for its account)."""
    return db.scalar("SELECT id FROM ledger_entries WHERE journal_id = ? AND book = 'account' "
                     "AND account_id = ? ORDER BY id LIMIT 1",
                     [bill["journal_id"], bill["account_id"]])


# ---- late fees ---------------------------------------------------------------------------------
def late_fee_candidates(db: Database, on: str | dt.date, *,
                        account_ids: Sequence[int] | None = None) -> list[LateFee]:
    """The fees a run on `on` would assess (read-only; the run screen shows it first).

    `account_ids` limits it to those accounts (a late-fee chunk re-checks an account whose
    ledger moved since the fees were computed)."""
    day = _day(on, "Date", clock.today())
    rule = rates.late_fee_rule(day)
    oldest = (day - dt.timedelta(days=rule.max_days_past_due)).isoformat()
    sql = ("SELECT b.*, a.number FROM bills b JOIN accounts a ON a.id = b.account_id "
           "LEFT JOIN late_fees lf ON lf.bill_id = b.id "
           "WHERE lf.bill_id IS NULL AND b.due_date < ? AND b.due_date >= ? "
           "AND b.amount_cents > 0")
    args: list = [day.isoformat(), oldest]
    if account_ids is not None:
        if not account_ids:
            return []
        sql += f" AND b.account_id IN ({','.join('?' * len(account_ids))})"
        args += list(account_ids)
    bills = db.all(sql + " ORDER BY a.number, b.id", args)
    on_plan: set[int] = set()
    if rule.exempt_payment_plan:
        on_plan = {r["account_id"] for r in db.all(
            "SELECT account_id FROM payment_plans WHERE status = 'active'")}
    out: list[LateFee] = []
    cache: dict[int, list[dict]] = {}
    for b in bills:
        if b["account_id"] in on_plan:
            continue
        entries = cache.get(b["account_id"])
        if entries is None:
            entries = cache[b["account_id"]] = account_entries(db, b["account_id"],
                                                               day.isoformat())
        eid = bill_entry_id(db, b)
        if eid is None:
            continue
        unpaid = unpaid_of(entries, eid, b["amount_cents"])
        if unpaid < max(1, rule.min_past_due_cents):
            continue
        fee = max(rule.minimum_cents, unpaid * rule.percent // 100)
        out.append(LateFee(b["id"], b["account_id"], format_number(b["number"]), unpaid, fee))
    return out


def assess_late_fees(db: Database, actor: Actor, on: str | dt.date | None = None, *,
                     chunk_size: int | None = None,
                     progress: jobs.Progress | None = None) -> LateFeeRun:
    """Charge the late fee on every bill past due and unpaid (once per bill; billing.run).

    Computed outside the write lock, posted about `chunk_size` fees per short transaction, each
    chunk whole (its journal, late_fees rows and audit row). Inside a chunk an account whose
    ledger moved since (a payment) is computed again, and a bill that already has its fee is
    passed over, so a run interrupted half-way and run again charges no bill twice.
    """
    authority().require(actor, "billing.run", what="assess late fees")
    day = _day(on, "Date", clock.today())
    rule = rates.late_fee_rule(day)
    mark = jobs.ledger_mark(db)
    fees = late_fee_candidates(db, day)
    by_account: dict[int, list[LateFee]] = defaultdict(list)
    for f in fees:
        by_account[f.account_id].append(f)
    # Whole accounts per chunk (the ledger mark is checked per account).
    parts: list[list[int]] = [[]]
    count = 0
    for account_id in dict.fromkeys(f.account_id for f in fees):
        if count >= (chunk_size or FEE_CHUNK):
            parts.append([])
            count = 0
        parts[-1].append(account_id)
        count += len(by_account[account_id])
    parts = [p for p in parts if p]
    memo = f"Late fees {day.isoformat()}"
    done: list[LateFee] = []
    journals: list[int] = []
    chunks = jobs.Chunks(db, len(parts), progress)
    try:
        for ids in parts:
            with chunks.write():
                moved = jobs.moved_since(db, mark, ids)
                plan_now = {r["account_id"] for r in db.all(
                    "SELECT account_id FROM payment_plans WHERE status = 'active' AND "
                    f"account_id IN ({','.join('?' * len(ids))})", ids)
                    } if rule.exempt_payment_plan else set()
                again = {f.bill_id: f for f in late_fee_candidates(db, day,
                                                                   account_ids=sorted(moved))}
                charged = {r["bill_id"] for r in db.all(
                    "SELECT bill_id FROM late_fees WHERE bill_id IN (SELECT id FROM bills "
                    f"WHERE account_id IN ({','.join('?' * len(ids))}))", ids)}
                mine: list[LateFee] = []
                for account_id in ids:
                    if account_id in plan_now:
                        continue
                    if account_id in moved:
                        mine += [f for f in again.values() if f.account_id == account_id]
                    else:
                        mine += [f for f in by_account[account_id] if f.bill_id not in charged]
                if not mine:
                    continue
                entries = [ledger.Entry(book="account", kind="penalty", amount_cents=f.fee_cents,
                                        account_id=f.account_id,
                                        memo=f"Late fee on bill {f.bill_id}") for f in mine]
                total = sum(f.fee_cents for f in mine)
                entries.append(ledger.Entry(book="revenue", kind="penalty", amount_cents=-total,
                                            fund=rule.fund, gl_code=rule.gl_code, memo=memo))
                posted = ledger.post(db, actor, "late_fee", entries,
                                     business_date=day.isoformat(), memo=memo)
                for f in mine:
                    db.insert("late_fees", {"bill_id": f.bill_id,
                                            "journal_id": posted.journal_id,
                                            "amount_cents": f.fee_cents,
                                            "assessed_on": day.isoformat()})
                audit.record(db, actor, "billing.late_fees.chunk",
                             f"late_fees:{day.isoformat()}",
                             after={"fees": len(mine), "total_cents": total,
                                    "journal_id": posted.journal_id})
                done += mine
                journals.append(posted.journal_id)
        run = LateFeeRun(day.isoformat(), journals[0] if journals else None, done,
                         tuple(journals))
        with db.write():
            audit.record(db, actor, "billing.late_fees", f"late_fees:{day.isoformat()}",
                         after={"fees": len(done), "total_cents": run.total_cents,
                                "journal_id": run.journal_id, "journals": len(journals)})
        return run
    except IntegrityError as e:
        if "business day is closed" in str(e):
            raise StateError("That business day is closed; assess on an open day.") from None
        raise


def format_late_fees(run: LateFeeRun, *, preview: bool = False) -> str:
    title = "LATE FEES TO ASSESS" if preview else "LATE FEES ASSESSED"
    head = f"{title} on {run.on}: {len(run.fees)} bill(s), {format_money(run.total_cents)}"
    if not run.fees:
        return head + "\n(no bill is past due and unpaid)"
    rows = [[f.account_number, f.bill_id, format_plain(f.unpaid_cents), format_plain(f.fee_cents)]
            for f in run.fees]
    return head + "\n" + tabulate(rows, headers=["Account", "Bill", "Unpaid", "Fee"],
                                  tablefmt="simple", disable_numparse=True,
                                  colalign=("left", "right", "right", "right"))
