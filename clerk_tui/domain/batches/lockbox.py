"""The bank's lockbox remittance file: imported once, posted as a lockbox batch, bad rows set
aside as exceptions a clerk works through.

The file is CSV with a header row naming these columns (any order, more columns ignored):

    account   the account number (1234567-8 or 12345678) or the stub's 18-digit scanline
    amount    the check amount in dollars (45.12)
    check     the check number (digits, at most 10)
    date      the bank's deposit date (YYYY-MM-DD)
    batch     the bank's batch number (letters and digits, at most 20)

Idempotent: the file's bytes are hashed and a file seen before adds nothing; a row already
posted from an earlier file (same account, check number and amount) is an exception, not a
second payment. The good rows become one lockbox batch (its control is those rows), posted
through `post_batch` in the same transaction as the file's record, so the file, its receipts
and its exceptions are written together or not at all. The rule that holds (and the table's
CHECK keeps): the file's total = what was posted + the exceptions' total. A row whose amount
cannot be read counts $0.00 toward both.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.account_numbers import format_number, normalize_number
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.batches.control import _open, add_line, post_batch
from clerk_tui.domain.batches.rules import batch_rules
from clerk_tui.domain.cashier.items import quote_item
from clerk_tui.domain.errors import ClerkError, NotFound, StateError, ValidationError
from clerk_tui.domain.money import MoneyError, format_money, parse_money
from clerk_tui.domain.text import clean_text

COLUMNS = ("account", "amount", "check", "date", "batch")
MAX_FILE_BYTES = 5_000_000
_STUB = re.compile(r"^([0-9]{7}-?[0-9])[ ]?[0-9]{9}[ ]?[0-9]$")
_CHECK = re.compile(r"^[0-9]{1,10}$")
_BANK_BATCH = re.compile(r"^[A-Za-z0-9-]{1,20}$")


@dataclass(frozen=True)
class LockboxException:
    id: int
    file_id: int
    row_no: int
    raw: str
    reason: str
    amount_cents: int
    check_number: str
    resolution: str | None = None


@dataclass(frozen=True)
class LockboxImport:
    file_id: int
    duplicate: bool  # True: this file was imported before; nothing was added
    rows: int
    file_cents: int
    posted_cents: int
    exception_cents: int
    batch_id: int | None
    receipt_numbers: tuple[int, ...]
    exceptions: tuple[LockboxException, ...]


@dataclass(frozen=True)
class _Row:
    row_no: int
    raw: str
    account: str | None
    amount_cents: int
    check: str
    problem: str


def _check_row(db: Database, row_no: int, row: dict[str, str], raw: str,
               seen: set[tuple[str, str, int]]) -> _Row:
    """One row, read; `problem` says why it cannot be posted ('' when it can)."""
    text = {k: (row.get(k) or "").strip() for k in COLUMNS}
    try:
        amount = parse_money(text["amount"])
        if amount <= 0:
            raise MoneyError("the amount must be more than $0.00")
    except MoneyError as e:
        return _Row(row_no, raw, None, 0, text["check"][:20], f"amount: {e}")
    check, problems = text["check"], []
    acct = None
    m = _STUB.match(text["account"])
    try:
        acct = normalize_number(m.group(1) if m else text["account"])
    except ClerkError as e:
        problems.append(str(e))
    if acct is None and not problems:
        problems.append("no account number or stub scanline")
    if not _CHECK.match(check):
        problems.append("check number missing or not digits")
    try:
        dt.date.fromisoformat(text["date"])
    except ValueError:
        problems.append(f"date {text['date'][:20]!r} is not YYYY-MM-DD")
    if not _BANK_BATCH.match(text["batch"]):
        problems.append("bank batch missing or not letters and digits")
    if acct and not problems:
        try:
            q = quote_item(db, "account", acct)
            if q.no_checks:
                problems.append(f"account {format_number(acct)} takes no checks")
        except ClerkError as e:
            problems.append(str(e))
    if acct and not problems:
        key = (acct, check, amount)
        if key in seen:
            problems.append("the same payment twice in this file")
        elif db.scalar("SELECT 1 FROM batch_lines bl JOIN batches b ON b.id = bl.batch_id "
                       "JOIN batch_receipts br ON br.batch_id = b.id AND br.line = bl.line "
                       "WHERE b.kind = 'lockbox' AND bl.account_number = ? AND bl.number = ? "
                       "AND bl.amount_cents = ? AND bl.removed = 0 LIMIT 1",
                       [acct, check, amount]):
            problems.append("already posted from an earlier file")
        seen.add(key)
    return _Row(row_no, raw, acct, amount, check[:20], "; ".join(problems))


def import_lockbox(db: Database, actor: Actor, filename: str, data: bytes) -> LockboxImport:
    """Import the bank's file once: post the good rows as a lockbox batch, list the rest."""
    authority().require(actor, "payment.take", what="import the lockbox file")
    filename = clean_text(filename, field="File name", max_len=120, required=True)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError("That file is too large for a lockbox file.")
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{filename} is not a text (UTF-8) CSV file.") from None
    lines = text.splitlines()
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValidationError(f"{filename}: the header lacks {', '.join(missing)} (columns: "
                              f"{', '.join(COLUMNS)}).")
    reader.fieldnames = header
    with db.write():
        old = db.one("SELECT * FROM lockbox_files WHERE sha256 = ?", [digest])
        if old:
            return _result(db, old, duplicate=True)
        seen: set[tuple[str, str, int]] = set()
        rows = []
        for i, row in enumerate(reader, start=2):
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            raw = lines[i - 1][:300] if i - 1 < len(lines) else ""
            rows.append(_check_row(db, i, row, raw, seen))
        if not rows:
            raise ValidationError(f"{filename} has no payment rows.")
        if len(rows) > batch_rules().max_file_rows:
            raise ValidationError(f"{filename} has more than {batch_rules().max_file_rows} rows.")
        good = [r for r in rows if not r.problem]
        bad = [r for r in rows if r.problem]
        batch_id, numbers = None, ()
        if good:
            b = _open(db, actor, "lockbox", len(good), sum(r.amount_cents for r in good))
            for r in good:
                add_line(db, actor, b.id, r.account or "", r.amount_cents, tender="check",
                         number=r.check)
            posted = post_batch(db, actor, b.id, payer=f"Lockbox {filename}"[:80])
            batch_id, numbers = b.id, posted.receipt_numbers
        posted_cents = sum(r.amount_cents for r in good)
        exc_cents = sum(r.amount_cents for r in bad)
        fid = db.insert("lockbox_files", {
            "sha256": digest, "filename": filename, "imported_at": clock.stamp(),
            "clerk": actor.username, "row_count": len(rows),
            "file_cents": posted_cents + exc_cents, "posted_cents": posted_cents,
            "exception_cents": exc_cents, "batch_id": batch_id})
        for r in bad:
            db.insert("lockbox_exceptions", {
                "file_id": fid, "row_no": r.row_no, "raw": r.raw, "reason": r.problem[:300],
                "amount_cents": r.amount_cents, "check_number": r.check})
        audit.record(db, actor, "lockbox.import", f"lockbox_file:{fid}", after={
            "filename": filename, "sha256": digest, "rows": len(rows),
            "posted_cents": posted_cents, "exception_cents": exc_cents, "batch": batch_id})
        res = _result(db, db.one("SELECT * FROM lockbox_files WHERE id = ?", [fid]),
                      duplicate=False)
        return LockboxImport(**{**res.__dict__, "receipt_numbers": numbers})


def _result(db: Database, f: dict, *, duplicate: bool) -> LockboxImport:
    return LockboxImport(f["id"], duplicate, f["row_count"], f["file_cents"], f["posted_cents"],
                         f["exception_cents"], f["batch_id"], (),
                         tuple(exceptions(db, file_id=f["id"], open_only=False)))


def exceptions(db: Database, *, file_id: int | None = None,
               open_only: bool = True) -> list[LockboxException]:
    """The exceptions list a clerk works through (oldest first)."""
    sql = ("SELECT e.*, r.action FROM lockbox_exceptions e LEFT JOIN lockbox_resolutions r "
           "ON r.exception_id = e.id WHERE 1=1")
    args: list[object] = []
    if file_id is not None:
        sql += " AND e.file_id = ?"
        args.append(file_id)
    if open_only:
        sql += " AND r.action IS NULL"
    return [LockboxException(r["id"], r["file_id"], r["row_no"], r["raw"], r["reason"],
                             r["amount_cents"], r["check_number"], r["action"])
            for r in db.all(sql + " ORDER BY e.id", args)]


def _open_exception(db: Database, exception_id: int) -> dict:
    row = db.one("SELECT e.*, r.action FROM lockbox_exceptions e LEFT JOIN lockbox_resolutions "
                 "r ON r.exception_id = e.id WHERE e.id = ?", [exception_id])
    if not row:
        raise NotFound(f"No lockbox exception {exception_id}.")
    if row["action"]:
        raise StateError(f"Exception {exception_id} was already {row['action']}.")
    return row


def apply_exception(db: Database, actor: Actor, exception_id: int, account: str, *,
                    amount_cents: int | None = None, check_number: str | None = None
                    ) -> int:
    """Post an exception to the account it belongs to (a one-line lockbox batch, posted now);
    returns the receipt number. An unreadable amount is keyed from the check image."""
    authority().require(actor, "payment.take", what="work lockbox exceptions")
    with db.write():
        e = _open_exception(db, exception_id)
        amount = amount_cents if amount_cents is not None else e["amount_cents"]
        if e["amount_cents"] and amount != e["amount_cents"]:
            raise ValidationError(f"The bank credited {format_money(e['amount_cents'])} for "
                                  "this row; apply that amount.")
        if amount <= 0:
            raise ValidationError("Key the check's amount (the bank's row had none).")
        number = (check_number if check_number is not None else e["check_number"]).strip()
        b = _open(db, actor, "lockbox", 1, amount)
        add_line(db, actor, b.id, account, amount, tender="check", number=number)
        posted = post_batch(db, actor, b.id, payer="Lockbox exception")
        db.insert("lockbox_resolutions", {
            "exception_id": exception_id, "action": "applied", "batch_id": b.id,
            "note": f"receipt {posted.receipt_numbers[0]}", "at": clock.stamp(),
            "clerk": actor.username})
        audit.record(db, actor, "lockbox.apply", f"lockbox_exception:{exception_id}",
                     after={"batch": b.id, "receipt": posted.receipt_numbers[0]})
        return posted.receipt_numbers[0]


def return_exception(db: Database, actor: Actor, exception_id: int, note: str) -> None:
    """The check goes back to the payer (no account found, not ours): nothing is posted."""
    authority().require(actor, "payment.take", what="work lockbox exceptions")
    note = clean_text(note, field="Reason", max_len=200, required=True)
    with db.write():
        _open_exception(db, exception_id)
        db.insert("lockbox_resolutions", {
            "exception_id": exception_id, "action": "returned", "note": note,
            "at": clock.stamp(), "clerk": actor.username})
        audit.record(db, actor, "lockbox.return", f"lockbox_exception:{exception_id}",
                     after={"note": note})
