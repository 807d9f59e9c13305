"""A payment batch: its control, its lines, posting when they match, and approval.

Payments post when the batch posts, not as each stub is keyed. The control is the whole point
of a batch: the mail room counted N envelopes worth $T, and until the keyed lines say the same,
something is wrong (a stub keyed twice, a check for another amount). Posting at entry would
put money on customers' accounts that a batch found wrong must then reverse line by line, and
a batch left unbalanced at night would have posted money without its control. Keyed lines are
working notes (append-only, audited); when count and total match, every line becomes an
ordinary receipt through `post_payment`, all in ONE transaction: the batch is posted whole
or not at all (a refused line rolls every receipt back, its numbers with it, so numbers stay
gapless). See the package docstring for how those journals are marked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.account_numbers import format_number, normalize_number
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.batches.rules import batch_rules
from clerk_tui.domain.cashier.items import SaleItem, quote_item
from clerk_tui.domain.cashier.payments import post_payment
from clerk_tui.domain.cashier.sessions import BATCH_WORKSTATION, get_session, transition
from clerk_tui.domain.cashier.tenders import Tender, clean_tender
from clerk_tui.domain.errors import NotFound, PermissionDenied, StateError, ValidationError
from clerk_tui.domain.money import check_cents, format_money
from clerk_tui.domain.text import clean_text

KINDS = {"mail": "Mail", "dropbox": "Drop box", "lockbox": "Lockbox"}


@dataclass(frozen=True)
class BatchView:
    id: int
    kind: str
    business_date: str
    opened_by: str
    control_count: int
    control_cents: int
    state: str
    drawer_session_id: int | None
    approved_by: str | None

    @property
    def label(self) -> str:
        return f"{KINDS.get(self.kind, self.kind)} batch {self.id}"


@dataclass(frozen=True)
class LineView:
    line: int
    account_number: str  # as shown: 1234567-8
    due_cents: int | None
    amount_cents: int
    tender: str
    number: str


@dataclass(frozen=True)
class Differences:
    """The batch against its control, and the lines most likely to explain a difference."""

    control_count: int
    count: int
    control_cents: int
    total_cents: int
    suspects: tuple[LineView, ...]  # lines whose check is not the stub's amount due

    @property
    def count_diff(self) -> int:
        return self.count - self.control_count

    @property
    def total_diff(self) -> int:
        return self.total_cents - self.control_cents

    @property
    def balanced(self) -> bool:
        return self.count_diff == 0 and self.total_diff == 0

    def lines(self) -> list[str]:
        """The difference, line by line, as the screen and a refusal show it."""
        out = [f"Count    control {self.control_count:>5}   keyed {self.count:>5}   "
               f"difference {self.count_diff:+d}",
               f"Total    control {format_money(self.control_cents):>12}   keyed "
               f"{format_money(self.total_cents):>12}   difference "
               f"{'-' if self.total_diff < 0 else '+'}{format_money(abs(self.total_diff))}"]
        for s in self.suspects:
            out.append(f"Line {s.line:>3}  {s.account_number}  stub "
                       f"{format_money(s.due_cents or 0)}  keyed {format_money(s.amount_cents)}")
        return out


@dataclass(frozen=True)
class PostedBatch:
    batch: BatchView
    receipt_numbers: tuple[int, ...]


def _view(row: dict) -> BatchView:
    return BatchView(row["id"], row["kind"], row["business_date"], row["opened_by"],
                     row["control_count"], row["control_cents"], row["state"],
                     row["drawer_session_id"], row["approved_by"])


def get_batch(db: Database, batch_id: int) -> BatchView:
    row = db.one("SELECT * FROM batches WHERE id = ?", [batch_id])
    if not row:
        raise NotFound(f"No batch {batch_id}.")
    return _view(row)


def list_batches(db: Database, *, state: str | None = None, limit: int = 50) -> list[BatchView]:
    """Newest first; `state` narrows to open, posted (awaiting approval) or approved."""
    sql, args = "SELECT * FROM batches", []
    if state:
        sql += " WHERE state = ?"
        args.append(state)
    return [_view(r) for r in db.all(sql + " ORDER BY id DESC LIMIT ?", [*args, limit])]


def open_batch(db: Database, actor: Actor, kind: str, control_count: int,
               control_cents: int) -> BatchView:
    """A new batch with the mail room's control (count and total)."""
    authority().require(actor, "payment.take", what="key payment batches")
    if kind not in ("mail", "dropbox"):
        raise ValidationError("A batch is mail or drop box (a lockbox batch comes from the "
                              "bank's file).")
    return _open(db, actor, kind, control_count, control_cents)


def _max_lines(kind: str, on: dt.date | None = None) -> int:
    """Keyed batches are held to the control-count guard; a lockbox file to its row limit."""
    r = batch_rules(on)
    return r.max_file_rows if kind == "lockbox" else r.max_control_count


def _open(db: Database, actor: Actor, kind: str, control_count: int,
          control_cents: int) -> BatchView:
    r = batch_rules()
    most = _max_lines(kind)
    if not isinstance(control_count, int) or not 0 < control_count <= most:
        raise ValidationError(f"The control count must be 1 to {most}.")
    check_cents(control_cents, "The control total")
    if control_cents <= 0 or (kind != "lockbox" and control_cents > r.max_control_cents):
        raise ValidationError(f"The control total must be more than $0.00 and at most "
                              f"{format_money(r.max_control_cents)}.")
    with db.write():
        bid = db.insert("batches", {
            "kind": kind, "business_date": clock.today().isoformat(),
            "opened_at": clock.stamp(), "opened_by": actor.username,
            "control_count": control_count, "control_cents": control_cents})
        audit.record(db, actor, "batch.open", f"batch:{bid}", after={
            "kind": kind, "control_count": control_count, "control_cents": control_cents})
        return get_batch(db, bid)


_CURRENT = ("SELECT * FROM batch_lines bl WHERE batch_id = ? AND removed = 0 AND NOT EXISTS "
            "(SELECT 1 FROM batch_lines n WHERE n.replaces = bl.id) ORDER BY line")


def _line(row: dict) -> LineView:
    return LineView(row["line"], format_number(row["account_number"]), row["due_cents"],
                    row["amount_cents"], row["tender"], row["number"])


def batch_lines(db: Database, batch_id: int) -> list[LineView]:
    """The batch's lines as they stand (corrections applied, removed lines left out)."""
    return [_line(r) for r in db.all(_CURRENT, [batch_id])]


def differences(db: Database, batch_id: int) -> Differences:
    b = get_batch(db, batch_id)
    lines = batch_lines(db, batch_id)
    suspects = tuple(x for x in lines if x.due_cents is not None and x.due_cents != x.amount_cents)
    return Differences(b.control_count, len(lines), b.control_cents,
                       sum(x.amount_cents for x in lines), suspects)


def _clean_line(db: Database, batch: BatchView, line: int, account: str, amount_cents: int,
                tender: str, number: str, on: dt.date) -> tuple[str, str]:
    """Refuse a bad line before it is kept; returns (8-digit account number, tender number)."""
    r = batch_rules(on)
    if tender not in r.tenders:
        raise ValidationError("A batch takes checks and money orders only.")
    acct = normalize_number((account or "").strip())
    if acct is None:
        raise ValidationError("Scan the stub or type the account number (1234567-8).")
    check_cents(amount_cents, "The amount")
    if amount_cents <= 0:
        raise ValidationError("The amount must be more than $0.00.")
    q = quote_item(db, "account", acct, on)  # NotFound for an unknown account
    if q.no_checks and tender == "check":
        raise ValidationError(f"Account {format_number(acct)} takes no checks (one was "
                              "returned unpaid): set this payment aside for a letter.")
    number = (number or "").strip()
    if not number and r.sequence_numbers:
        number = f"{batch.id:05d}{line:04d}"  # the batch sequence number endorsed on it
    t = clean_tender(Tender(tender, amount_cents, number))
    return acct, t.number


def _require_open(db: Database, batch_id: int) -> BatchView:
    b = get_batch(db, batch_id)
    if b.state != "open":
        raise StateError(f"{b.label} is {b.state}: its lines cannot change.")
    return b


def add_line(db: Database, actor: Actor, batch_id: int, account: str, amount_cents: int, *,
             due_cents: int | None = None, tender: str = "check", number: str = "") -> LineView:
    """Key one payment: the stub's account, the check's amount (the stub's `due_cents` kept to
    show a difference line by line)."""
    authority().require(actor, "payment.take", what="key payment batches")
    on = clock.today()
    with db.write():
        b = _require_open(db, batch_id)
        line = int(db.scalar("SELECT coalesce(max(line), 0) + 1 FROM batch_lines "
                             "WHERE batch_id = ?", [batch_id]))
        if line > _max_lines(b.kind, on):
            raise ValidationError("This batch is full.")
        acct, number = _clean_line(db, b, line, account, amount_cents, tender, number, on)
        db.insert("batch_lines", {
            "batch_id": batch_id, "line": line, "account_number": acct,
            "due_cents": due_cents, "amount_cents": amount_cents, "tender": tender,
            "number": number, "at": clock.stamp(), "clerk": actor.username})
        audit.record(db, actor, "batch.line", f"batch:{batch_id}", after={
            "line": line, "account": acct, "amount_cents": amount_cents, "tender": tender})
        return LineView(line, format_number(acct), due_cents, amount_cents, tender, number)


def _current_row(db: Database, batch_id: int, line: int) -> dict:
    row = db.one("SELECT * FROM batch_lines bl WHERE batch_id = ? AND line = ? AND NOT EXISTS "
                 "(SELECT 1 FROM batch_lines n WHERE n.replaces = bl.id)", [batch_id, line])
    if not row or row["removed"]:
        raise NotFound(f"Batch {batch_id} has no line {line}.")
    return row


def correct_line(db: Database, actor: Actor, batch_id: int, line: int, *,
                 amount_cents: int | None = None, account: str | None = None,
                 tender: str | None = None, number: str | None = None) -> LineView:
    """Key a line again (the old one is kept, replaced): the fix for a mismatch."""
    authority().require(actor, "payment.take", what="key payment batches")
    on = clock.today()
    with db.write():
        b = _require_open(db, batch_id)
        old = _current_row(db, batch_id, line)
        amount = old["amount_cents"] if amount_cents is None else amount_cents
        kind = tender or old["tender"]
        acct, num = _clean_line(db, b, line, account or old["account_number"], amount, kind,
                                old["number"] if number is None else number, on)
        db.insert("batch_lines", {
            "batch_id": batch_id, "line": line, "account_number": acct,
            "due_cents": old["due_cents"], "amount_cents": amount, "tender": kind,
            "number": num, "replaces": old["id"], "at": clock.stamp(),
            "clerk": actor.username})
        audit.record(db, actor, "batch.correct", f"batch:{batch_id}",
                     before={"line": line, "account": old["account_number"],
                             "amount_cents": old["amount_cents"]},
                     after={"line": line, "account": acct, "amount_cents": amount})
        return LineView(line, format_number(acct), old["due_cents"], amount, kind, num)


def remove_line(db: Database, actor: Actor, batch_id: int, line: int) -> None:
    """Take a line out (keyed twice, or not in the envelope); kept in the history."""
    authority().require(actor, "payment.take", what="key payment batches")
    with db.write():
        _require_open(db, batch_id)
        old = _current_row(db, batch_id, line)
        db.insert("batch_lines", {
            "batch_id": batch_id, "line": line, "account_number": old["account_number"],
            "due_cents": old["due_cents"], "amount_cents": old["amount_cents"],
            "tender": old["tender"], "number": old["number"], "replaces": old["id"],
            "removed": 1, "at": clock.stamp(), "clerk": actor.username})
        audit.record(db, actor, "batch.remove", f"batch:{batch_id}",
                     before={"line": line, "amount_cents": old["amount_cents"]})


def post_batch(db: Database, actor: Actor, batch_id: int, *, payer: str = "") -> PostedBatch:
    """Post every line as a receipt, only if count and total match the control; one
    transaction for the whole batch (nothing half-posted)."""
    authority().require(actor, "payment.take", what="post payment batches")
    payer = clean_text(payer, field="Payer", max_len=80)
    with db.write():
        b = _require_open(db, batch_id)
        d = differences(db, batch_id)
        if not d.balanced:
            raise ValidationError(f"{b.label} does not match its control; nothing was "
                                  "posted.\n" + "\n".join(d.lines()))
        today = clock.today().isoformat()
        sid = db.insert("drawer_sessions", {
            "clerk": actor.username, "workstation": f"{BATCH_WORKSTATION}{b.id}",
            "business_date": today, "opened_at": clock.stamp(), "opening_bank_cents": 0,
            "state": "open"})
        db.insert("drawer_session_events", {
            "drawer_session_id": sid, "at": clock.stamp(), "clerk": actor.username,
            "from_state": None, "to_state": "open", "reason": f"batch {b.id}"})
        audit.record(db, actor, "batch.session", f"drawer_session:{sid}",
                     after={"batch": b.id})
        numbers: list[int] = []
        for ln in batch_lines(db, batch_id):
            res = post_payment(
                db, actor, f"batch-{b.id}-{ln.line}",
                [SaleItem("account", ln.account_number, ln.amount_cents)],
                [Tender(ln.tender, ln.amount_cents, ln.number)], payer=payer, session_id=sid)
            db.insert("batch_receipts", {"batch_id": b.id, "line": ln.line,
                                         "receipt_id": res.receipt.id})
            numbers.append(res.receipt.number)
        transition(db, actor, get_session(db, sid), "balanced", reason=f"batch {b.id} posted")
        db.execute("UPDATE batches SET state = 'posted', drawer_session_id = ?, posted_at = ? "
                   "WHERE id = ?", [sid, clock.stamp(), b.id])
        audit.record(db, actor, "batch.post", f"batch:{b.id}", after={
            "count": d.count, "total_cents": d.total_cents, "receipts": numbers,
            "drawer_session_id": sid})
        return PostedBatch(get_batch(db, b.id), tuple(numbers))


def approve_batch(db: Database, actor: Actor, batch_id: int, note: str = "") -> BatchView:
    """A supervisor signs off a posted batch; then it may go onto the deposit slip."""
    authority().require(actor, "drawer.approve", what="approve a payment batch")
    note = clean_text(note, field="Note", max_len=200)
    with db.write():
        b = get_batch(db, batch_id)
        if b.state != "posted" or b.drawer_session_id is None:
            raise StateError(f"{b.label} is {b.state}: only a posted batch is approved.")
        s = get_session(db, b.drawer_session_id)
        if batch_rules().approver_not_poster and s.clerk == actor.username:
            raise PermissionDenied("You cannot approve a batch you posted.")
        transition(db, actor, s, "approved", reason=note or f"batch {b.id} approved")
        db.execute("UPDATE batches SET state = 'approved', approved_by = ?, approved_at = ?, "
                   "note = ? WHERE id = ?", [actor.username, clock.stamp(), note, b.id])
        audit.record(db, actor, "batch.approve", f"batch:{b.id}", after={"note": note})
        return get_batch(db, b.id)
