"""F2 lookup of receipts: by receipt number (`R` + number, the printed barcode, or plain
digits) and by the number of the check or money order that paid it.

Why these and no more: a customer at the counter holds either the receipt (its number, its
barcode) or their cancelled check; both are exact, indexed reads (receipts.number UNIQUE,
tenders_check_number of core migration 0007), so the finder keeps the lookup's per-keystroke
budget at any ledger size. A receipt's line says what it paid (account, citation, license …)
so a clerk sees the hit's kind before opening it; Enter shows it as it reprints.
"""

from __future__ import annotations

import re

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.checkdigit import luhn_ok
from clerk_tui.domain.finders import Found
from clerk_tui.domain.money import format_money

KIND = "receipt"
_RECEIPT = re.compile(r"^[Rr]\s*-?\s*(\d{1,12})$")
_DIGITS = re.compile(r"^\d{1,12}$")
_INSTRUMENT = re.compile(r"^[A-Za-z0-9-]{1,24}$")
MAX_NUMBER = 2**63 - 1
BARE_RANK = 45

def receipt_numbers(text: str) -> tuple[list[int], bool]:
    """The receipt numbers `text` may mean, and whether it was written as a receipt (R…).

    `R000012344` (the barcode: 8+ digits whose last is a valid check digit) means 1234;
    `R1234` or `1234` means 1234 itself. A barcode-shaped number whose check digit is right
    may also be a plain number, so both are tried."""
    t = text.strip()
    m = _RECEIPT.match(t)
    digits = m.group(1) if m else t if _DIGITS.match(t) else ""
    if not digits:
        return [], False
    out = [int(digits)]
    if len(digits) >= 9 and luhn_ok(digits) and int(digits[:-1]) > 0:
        out.insert(0, int(digits[:-1]))
    return [n for n in dict.fromkeys(out) if 0 < n <= MAX_NUMBER], bool(m)


_SELECT = (
    "SELECT r.id, r.number, r.business_date, r.total_cents, r.payer, "
    "EXISTS (SELECT 1 FROM receipt_voids v WHERE v.receipt_id = r.id) AS voided, "
    "(SELECT group_concat(DISTINCT i.kind) FROM receipt_items i WHERE i.receipt_id = r.id) "
    "AS kinds, "
    "(SELECT i.reference FROM receipt_items i WHERE i.receipt_id = r.id ORDER BY i.line "
    "LIMIT 1) AS reference FROM receipts r ")


def _found(row: dict, rank: int, via: str = "") -> Found:
    """Name column: what the receipt paid (its first item's kind and reference: `account
    1234567-8`, `citation …`, `license …`, `passport …`, +N more); the next column: the
    amount, then the check that paid it or the day, VOID if voided (21 columns at 80x24)."""
    kinds = [k for k in (row["kinds"] or "").split(",") if k]
    title = " ".join(p for p in (kinds[0] if kinds else "", row["reference"] or "") if p)
    if len(kinds) > 1:
        title += f" +{len(kinds) - 1}"
    bits = [format_money(row["total_cents"]), via or row["business_date"]]
    if row["voided"]:
        bits.append("VOID")
    return Found(KIND, str(row["number"]), title or f"receipt {row['number']}", " ".join(bits),
                 rank)


def find(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """Receipts for `text`: by number (rank 0 when typed as R… or scanned) and, for bare
    digits or a serial, by receipt number or check / money order number at rank 45: below every
    account match (0-40), so digits typed for an account (a number, a house number, a phone)
    still open the account on Enter. Exact matches only, every read indexed and LIMITed."""
    t = (text or "").strip()
    if not t or limit <= 0:
        return []
    out: list[Found] = []
    numbers, as_receipt = receipt_numbers(t)
    if numbers:
        rows = db.all(_SELECT + f"WHERE r.number IN ({','.join('?' * len(numbers))}) "
                      "ORDER BY r.number LIMIT ?", [*numbers, limit])
        out += [_found(r, 0 if as_receipt else BARE_RANK) for r in rows]
    if _INSTRUMENT.match(t) and not as_receipt:
        variants = list(dict.fromkeys([t, t.upper()]))
        rows = db.all(
            "SELECT r.id, r.number, r.business_date, r.total_cents, r.payer, t.kind AS tkind, "
            "t.check_number, "
            "EXISTS (SELECT 1 FROM receipt_voids v WHERE v.receipt_id = r.id) AS voided, "
            "(SELECT group_concat(DISTINCT i.kind) FROM receipt_items i "
            "WHERE i.receipt_id = r.id) AS kinds, "
            "(SELECT i.reference FROM receipt_items i WHERE i.receipt_id = r.id "
            "ORDER BY i.line LIMIT 1) AS reference "
            f"FROM tenders t JOIN receipts r ON r.id = t.receipt_id "
            f"WHERE t.check_number IN ({','.join('?' * len(variants))}) "
            "AND t.kind IN ('check', 'money_order') ORDER BY r.number DESC LIMIT ?",
            [*variants, limit])
        seen = {f.key for f in out}
        for r in rows:
            if str(r["number"]) in seen:
                continue
            word = "check" if r["tkind"] == "check" else "m.o."
            out.append(_found(r, BARE_RANK, f"{word} {r['check_number']}"))
    return out[:limit]
