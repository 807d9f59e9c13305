"""The bank deposit and the business-day close (supervisor).

A deposit gathers approved drawer sessions only (a drawer still being counted, or with an
unapproved over/short, cannot be in the bag), each exactly once. Its amounts come from the
closing counts, less each drawer's opening bank (which goes back to the safe), plus the cash
picked up to the safe during the day; checks and money orders are listed by number. The ledger
moves the counted money out of the drawer books into the bank-deposit clearing GL, so a
deposited drawer's book is back to zero. Closing a business day then stops any posting dated
in it (the database refuses journals dated in a closed day).

A mail/drop-box batch (clerk_tui.domain.batches) goes into the deposit as itself, not as a
drawer: its session (workstation `batch:<id>`) has no count and no bank, so its checks and
money orders are the tenders of its receipts (voided ones left out) and the drawer book of
its session is moved to the bank-deposit GL exactly like a drawer's. A deposit of drawers only
is what it always was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tabulate import tabulate

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.closing import current_count
from clerk_tui.domain.cashier.rules import rules
from clerk_tui.domain.cashier.sessions import drawer_totals, get_session, list_sessions
from clerk_tui.domain.errors import StateError
from clerk_tui.domain.money import format_money


@dataclass(frozen=True)
class DepositItem:
    kind: str  # check | money_order
    number: str
    amount_cents: int
    drawer_session_id: int


@dataclass(frozen=True)
class DepositSlip:
    id: int
    business_date: str
    created_at: str
    created_by: str
    session_ids: tuple[int, ...]
    currency_cents: int
    coin_cents: int
    items: tuple[DepositItem, ...]
    check_cents: int
    money_order_cents: int
    total_cents: int
    card_cents: int  # settled by the card processor, not in the bag
    journal_id: int
    audit_seq: int = 0  # the deposit's audit row: printed as the anchor verify can check
    audit_hash: str = ""
    batch_session_ids: tuple[int, ...] = ()  # batches' sessions in this deposit (not drawers)
    batch_labels: tuple[str, ...] = ()  # the batches' own numbers, for the slip


@dataclass(frozen=True)
class DayClose:
    business_date: str
    closed_at: str
    closed_by: str
    sessions: int


def depositable(db: Database) -> list[int]:
    """Approved sessions not yet in a deposit."""
    return [r["id"] for r in db.all(
        "SELECT id FROM drawer_sessions s WHERE state = 'approved' "
        "AND workstation NOT LIKE 'batch:%' AND NOT EXISTS "
        "(SELECT 1 FROM deposit_sessions d WHERE d.drawer_session_id = s.id) ORDER BY id")]


def depositable_batches(db: Database) -> list[int]:
    """Sessions of approved batches (mail, drop box) not yet in a deposit."""
    return [r["id"] for r in db.all(
        "SELECT id FROM drawer_sessions s WHERE state = 'approved' "
        "AND workstation LIKE 'batch:%' AND NOT EXISTS "
        "(SELECT 1 FROM deposit_sessions d WHERE d.drawer_session_id = s.id) ORDER BY id")]


def waiting_batches(db: Database) -> list[str]:
    """The numbers of approved batches waiting for the bank (as the deposit question says)."""
    return [r["workstation"].split(":", 1)[1] for r in db.all(
        "SELECT workstation FROM drawer_sessions s WHERE state = 'approved' "
        "AND workstation LIKE 'batch:%' AND NOT EXISTS "
        "(SELECT 1 FROM deposit_sessions d WHERE d.drawer_session_id = s.id) ORDER BY id")]


def _batch_items(db: Database, sid: int) -> list[DepositItem]:
    """A batch's checks and money orders: the tenders of its receipts not voided."""
    return [DepositItem(r["kind"], r["check_number"] or "", r["amount_cents"], sid)
            for r in db.all(
                "SELECT t.kind, t.check_number, t.amount_cents FROM tenders t "
                "JOIN receipts r ON r.id = t.receipt_id WHERE r.drawer_session_id = ? "
                "AND t.kind IN ('check','money_order') AND NOT EXISTS (SELECT 1 FROM "
                "receipt_voids v WHERE v.receipt_id = r.id AND v.kind = 'void') "
                "ORDER BY t.kind, r.number", [sid])]


def create_deposit(db: Database, actor: Actor,
                   session_ids: Sequence[int] | None = None, *,
                   batch_session_ids: Sequence[int] | None = None) -> DepositSlip:
    """Deposit approved drawers and approved batches. Without `session_ids` every approved
    drawer goes in; without `batch_session_ids`, every approved batch when `session_ids` is
    not given either, none when it is (a caller naming drawers names its batches too)."""
    authority().require(actor, "deposit.create", what="make a bank deposit")
    r = rules()
    with db.write():
        ready = depositable(db)
        ready_batches = depositable_batches(db)
        if batch_session_ids is None:
            batch_session_ids = ready_batches if session_ids is None else []
        bids = list(batch_session_ids)
        for sid in bids:
            if sid not in ready_batches:
                raise StateError(f"Batch session {sid} is not an approved batch waiting for "
                                 "the bank.")
        ids = list(session_ids) if session_ids is not None else ready
        for sid in ids:
            if sid not in ready:
                s = get_session(db, sid)
                raise StateError(f"Drawer {sid} is {s.state}"
                                 f"{' and already deposited' if s.state == 'approved' else ''}"
                                 ": only approved drawers go into a deposit.")
        if not ids and not bids:
            raise StateError("No approved drawers are waiting to be deposited.")
        currency = coin = checks = mos = cards = pickups = banks = 0
        items: list[DepositItem] = []
        entries: list[ledger.Entry] = []
        for sid in ids:
            s = get_session(db, sid)
            c = current_count(db, sid)
            assert c is not None  # approved implies counted
            currency += c["currency_cents"]
            coin += c["coin_cents"]
            banks += s.opening_bank_cents
            checks += c["check_cents"]
            mos += c["money_order_cents"]
            for it in db.all("SELECT kind, number, amount_cents FROM drawer_count_items "
                             "WHERE count_id = ? ORDER BY kind, id", [c["id"]]):
                items.append(DepositItem(it["kind"], it["number"], it["amount_cents"], sid))
            picked = int(db.scalar("SELECT coalesce(sum(amount_cents), 0) FROM cash_movements "
                                   "WHERE drawer_session_id = ? AND kind = 'pickup'", [sid]))
            pickups += picked
            book = drawer_totals(db, sid)
            cards += book.get("card", 0)
            for tender, cents in book.items():
                if cents:
                    entries.append(ledger.Entry(book="drawer", kind="deposit",
                                                amount_cents=-cents, drawer_session_id=sid,
                                                tender=tender))
        for sid in bids:
            book = drawer_totals(db, sid)
            checks += book.get("check", 0)
            mos += book.get("money_order", 0)
            items += _batch_items(db, sid)
            for tender, cents in book.items():
                if cents:
                    entries.append(ledger.Entry(book="drawer", kind="deposit",
                                                amount_cents=-cents, drawer_session_id=sid,
                                                tender=tender))
        # The banks go back to the safe out of the currency first, then the coin.
        currency += pickups
        from_currency = min(banks, currency)
        currency -= from_currency
        coin -= banks - from_currency
        if coin < 0:
            raise StateError("The counted cash is less than the drawers' opening banks.")
        total = currency + coin + checks + mos
        if cards:
            entries.append(ledger.Entry(book="clearing", kind="deposit", amount_cents=cards,
                                        gl_code=r.gl["card_settlement"], tender="card"))
        if pickups:
            entries.append(ledger.Entry(book="clearing", kind="deposit", amount_cents=-pickups,
                                        gl_code=r.gl["pickup"], tender="cash"))
        entries.append(ledger.Entry(book="clearing", kind="deposit", amount_cents=total,
                                    gl_code=r.gl["bank_deposit"]))
        today = clock.today().isoformat()
        memo = f"bank deposit of drawers {', '.join(map(str, ids))}"
        if bids:
            memo += f"; batch sessions {', '.join(map(str, bids))}"
        posted = ledger.post(db, actor, "deposit", entries, business_date=today, memo=memo)
        at = clock.stamp()
        did = db.insert("deposits", {
            "business_date": today, "created_at": at, "created_by": actor.username,
            "currency_cents": currency, "coin_cents": coin, "check_cents": checks,
            "money_order_cents": mos, "total_cents": total, "journal_id": posted.journal_id})
        for sid in ids + bids:
            db.insert("deposit_sessions", {"deposit_id": did, "drawer_session_id": sid})
        after = {"sessions": ids, "total_cents": total, "journal_id": posted.journal_id}
        if bids:
            after["batch_sessions"] = bids
        audit.record(db, actor, "deposit.create", f"deposit:{did}", after=after)
        anchor = audit.anchor(db)
        slip = DepositSlip(did, today, at, actor.username, tuple(ids), currency, coin,
                           tuple(items), checks, mos, total, cards, posted.journal_id,
                           anchor.seq, anchor.hash, tuple(bids),
                           tuple(get_session(db, b).workstation.split(":", 1)[1] for b in bids))
    return slip


def render_deposit_slip(slip: DepositSlip, *, city: str = "") -> str:
    """The slip as plain text (tabulate): currency, coin, each check/money order, total."""
    head = [f"{city}  BANK DEPOSIT #{slip.id}".strip(), f"Date {slip.business_date}  prepared by "
            f"{slip.created_by}", f"Drawers {', '.join(map(str, slip.session_ids))}", ""]
    if slip.batch_session_ids:  # a batch is named by its own number (workstation batch:<id>)
        head[-1:] = [f"Batches {', '.join(slip.batch_labels)}", ""]
    rows = [["Currency", "", format_money(slip.currency_cents)],
            ["Coin", "", format_money(slip.coin_cents)]]
    rows += [["Check" if i.kind == "check" else "Money order", i.number,
              format_money(i.amount_cents)] for i in slip.items]
    rows.append(["TOTAL DEPOSIT", f"{len(slip.items)} items", format_money(slip.total_cents)])
    body = tabulate(rows, headers=["", "Number", "Amount"], tablefmt="simple",
                    colalign=("left", "left", "right"))
    tail = ["", f"Card settlement (not in bag): {format_money(slip.card_cents)}"] \
        if slip.card_cents else []
    if slip.audit_hash:
        tail += ["", *audit.anchor_lines(slip.audit_seq, slip.audit_hash)]
    return "\n".join(head + [body] + tail)


def close_business_day(db: Database, actor: Actor, business_date: str | None = None) -> DayClose:
    """No more postings dated in this day; every drawer of the day must be approved first."""
    authority().require(actor, "day.close", what="close the business day")
    day = business_date or clock.today().isoformat()
    with db.write():
        if db.scalar("SELECT 1 FROM closed_business_days WHERE business_date = ?", [day]):
            raise StateError(f"Business day {day} is already closed.")
        sessions = list_sessions(db, business_date=day)
        pending = [s.id for s in sessions if s.state != "approved"]
        if pending:
            raise StateError(f"Drawers {', '.join(map(str, pending))} of {day} are not "
                             "approved yet.")
        batches = [r["workstation"].split(":", 1)[1] for r in db.all(
            "SELECT workstation FROM drawer_sessions WHERE business_date = ? AND workstation "
            "LIKE 'batch:%' AND state <> 'approved' ORDER BY id", [day])]
        if batches:  # a posted payment batch (clerk_tui.domain.batches) waits for approval
            raise StateError(f"Payment batches {', '.join(batches)} of {day} are not "
                             "approved yet.")
        at = clock.stamp()
        db.insert("closed_business_days", {"business_date": day, "closed_at": at,
                                           "closed_by": actor.username})
        audit.record(db, actor, "day.close", f"business_day:{day}",
                     after={"sessions": len(sessions)})
    return DayClose(day, at, actor.username, len(sessions))
