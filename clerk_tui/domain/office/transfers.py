"""Misapplied payments: move a payment (or one item of it) to where it belongs, or apply money
a reversal left in suspense.

Why one journal per moved item, and not a void and a new receipt: the customer's receipt is
what they hold; its number must keep meaning "this money, paid that day". A transfer writes one
balanced journal on the original receipt: the entry that reverses the item where it was
(`reverses_entry_id` = the original entry) and the entry that applies it where it belongs, and
a `payment_transfers` row pointing at both entries, the journal and the receipt. The drawer is
not touched (the money stays counted and deposited). The item kinds' hooks run in the same
transaction (`after_reverse(..., "transfer")` where it was, `after_post` where it goes), so a
citation or license is marked unpaid/paid as if the payment had been taken there.

From suspense: a payment reversed after its drawer closed (`reverse_receipt`) left its drawer
side in the suspense GL (money in the bank, applied to nothing). `apply_suspense` takes that
amount out of suspense and applies it to an account, citation or license, once.

Role-limited (`payment.transfer` in data/authority.toml: a supervisor, or a CSR II/III with a
supervisor's override); a reason is required; each is audited in its transaction.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.items import get_kind
from clerk_tui.domain.cashier.receipts import receipt_id_for_number
from clerk_tui.domain.cashier.rules import rules
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import clean_text, refuse_card_number

PERMISSION = "payment.transfer"
TARGET_KINDS = ("account", "citation", "license")
"""Where a payment can be moved: what a customer owes on (not a fee or a sale)."""
WIDTH = 78


@dataclass(frozen=True)
class Transfer:
    id: int
    receipt_number: int
    line: int | None
    source: str  # item | suspense
    from_kind: str
    from_reference: str
    to_kind: str
    to_reference: str
    to_description: str
    amount_cents: int
    journal_id: int
    reason: str
    at: str
    clerk: str
    override_by: str | None


@dataclass(frozen=True)
class Movable:
    """One item of a receipt as the transfer screen lists it."""

    line: int
    kind: str
    reference: str
    description: str
    amount_cents: int
    transferred_to: str  # '' = still where it was paid


@dataclass(frozen=True)
class ReceiptState:
    """What can be moved from a receipt: its items, or (reversed) what sits in suspense."""

    number: int
    business_date: str
    total_cents: int
    payer: str
    undone: str  # '' | void | reversal | nsf
    items: tuple[Movable, ...]
    suspense_cents: int
    suspense_applied: str  # '' or where the suspense money went


def _reason(reason: str) -> str:
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    refuse_card_number(reason, field="Reason")
    return reason


def _receipt(db: Database, number: int) -> dict[str, Any]:
    rid = receipt_id_for_number(db, number)
    row = db.one("SELECT r.*, v.kind AS undone, v.journal_id AS undo_journal_id "
                 "FROM receipts r LEFT JOIN receipt_voids v ON v.receipt_id = r.id "
                 "WHERE r.id = ?", [rid])
    assert row is not None
    return row


def _item_entries(db: Database, receipt: dict[str, Any]) -> list[tuple[dict, dict]]:
    """Each item with its credit entry (one per item, in line order: items.py)."""
    items = db.all("SELECT * FROM receipt_items WHERE receipt_id = ? ORDER BY line",
                   [receipt["id"]])
    credits = db.all("SELECT * FROM ledger_entries WHERE journal_id = ? AND book <> 'drawer' "
                     "ORDER BY id", [receipt["journal_id"]])
    if len(credits) != len(items):
        raise StateError(f"Receipt {receipt['number']} cannot be matched to its entries.")
    return list(zip(items, credits, strict=True))


def _suspense_entries(db: Database, receipt: dict[str, Any]) -> list[dict]:
    if receipt["undone"] != "reversal":
        return []
    return db.all("SELECT * FROM ledger_entries WHERE journal_id = ? AND book = 'clearing' "
                  "AND gl_code = ? ORDER BY id",
                  [receipt["undo_journal_id"], rules().gl["suspense"]])


def receipt_state(db: Database, number: int) -> ReceiptState:
    """What the transfer screen shows before anything moves (a read)."""
    r = _receipt(db, number)
    moved = {t["line"]: f"{t['to_kind']} {t['to_reference']}" for t in db.all(
        "SELECT * FROM payment_transfers WHERE receipt_id = ?", [r["id"]])}
    items = tuple(Movable(i["line"], i["kind"], i["reference"], i["description"],
                          i["amount_cents"], moved.get(i["line"], ""))
                  for i, _e in _item_entries(db, r))
    suspense = -sum(e["amount_cents"] for e in _suspense_entries(db, r))
    return ReceiptState(r["number"], r["business_date"], r["total_cents"], r["payer"],
                        r["undone"] or "", items, suspense, moved.get(None, ""))


def _check_target(db: Database, to_kind: str, to_reference: str) -> None:
    """Refuse an unknown target before a supervisor is asked to approve (a read)."""
    to_kind = (to_kind or "").strip().lower()
    if to_kind not in TARGET_KINDS:
        raise ValidationError(f"A payment moves to an {', '.join(TARGET_KINDS[:-1])} or "
                              f"{TARGET_KINDS[-1]}, not {to_kind[:20]!r}.")
    get_kind(to_kind).quote(db, to_reference, clock.today())


def _target(db: Database, to_kind: str, to_reference: str, amount_cents: int):
    """The target's quote and kind; the kind's own amount rules apply (a fixed fee)."""
    _check_target(db, to_kind, to_reference)
    kind = get_kind(to_kind.strip().lower())
    quote = kind.quote(db, to_reference, clock.today())
    kind.check_amount(quote, amount_cents)
    return kind, quote


def _post(db: Database, actor: Actor, receipt: dict[str, Any], *, line: int | None,
          source: str, reversed_entry: dict, from_kind: str, from_reference: str,
          amount_cents: int, to_kind: str, to_reference: str, reason: str,
          approver: str | None) -> Transfer:
    """The journal (reversal where it was + application where it belongs), the hooks, the
    transfers row and the audit row: inside the caller's write."""
    kind, quote = _target(db, to_kind, to_reference, amount_cents)
    if source == "item" and quote.kind == from_kind and quote.reference == from_reference:
        raise ValidationError(f"That item is already on {from_reference}.")
    number = receipt["number"]
    back = ledger.Entry(
        book=reversed_entry["book"], kind="transfer", amount_cents=-reversed_entry["amount_cents"],
        account_id=reversed_entry["account_id"], fund=reversed_entry["fund"],
        gl_code=reversed_entry["gl_code"], receipt_id=receipt["id"], tender=reversed_entry["tender"],
        reverses_entry_id=reversed_entry["id"],
        memo=f"transfer to {quote.kind} {quote.reference}"[:120])
    if source == "suspense":  # the whole amount comes out of suspense in one entry
        back = dataclasses.replace(back, amount_cents=amount_cents)
    applied = dataclasses.replace(kind.entry(quote, amount_cents), kind="transfer",
                                  receipt_id=receipt["id"],
                                  memo=f"transfer from {from_kind} {from_reference}, "
                                       f"receipt {number}"[:120])
    posted = ledger.post(db, actor, "transfer", [back, applied],
                         business_date=clock.today().isoformat(),
                         memo=f"transfer, receipt {number}",
                         reverses_journal_id=(receipt["journal_id"] if source == "item"
                                              else receipt["undo_journal_id"]))
    if source == "item":
        item = db.one("SELECT * FROM receipt_items WHERE receipt_id = ? AND line = ?",
                      [receipt["id"], line])
        assert item is not None
        get_kind(item["kind"]).after_reverse(db, actor, item, "transfer")
    kind.after_post(db, actor, quote, amount_cents, receipt["id"])
    at = clock.stamp()
    tid = db.insert("payment_transfers", {
        "receipt_id": receipt["id"], "line": line, "source": source, "from_kind": from_kind,
        "from_reference": from_reference, "to_kind": quote.kind,
        "to_reference": quote.reference, "to_account_id": quote.account_id,
        "amount_cents": amount_cents, "journal_id": posted.journal_id,
        "reversed_entry_id": reversed_entry["id"], "reversing_entry_id": posted.entry_ids[0],
        "applied_entry_id": posted.entry_ids[1], "reason": reason, "at": at,
        "clerk": actor.username, "override_by": approver})
    audit.record(db, actor, "payment.transfer", f"receipt:{number}",
                 before={"line": line, "source": source, "kind": from_kind,
                         "reference": from_reference},
                 after={"transfer_id": tid, "kind": quote.kind, "reference": quote.reference,
                        "amount_cents": amount_cents, "journal_id": posted.journal_id,
                        "reason": reason}, override_by=approver)
    return Transfer(tid, number, line, source, from_kind, from_reference, quote.kind,
                    quote.reference, quote.description, amount_cents, posted.journal_id,
                    reason, at, actor.username, approver)


def _closed(e: IntegrityError) -> Exception:
    if "business day is closed" in str(e):
        return StateError("Today's business day is closed; nothing more can be posted to it.")
    return e


def transfer_items(db: Database, actor: Actor, number: int, lines: list[int] | None,
                   to_kind: str, to_reference: str, reason: str, *,
                   override: Override | None = None) -> list[Transfer]:
    """Move receipt `number`'s items `lines` (None = every item not moved yet) to
    `to_kind`/`to_reference`, all in one transaction (one journal per item)."""
    reason = _reason(reason)
    _check_target(db, to_kind, to_reference)
    approver = authority().require(actor, PERMISSION, override=override,
                                   what="transfer a misapplied payment")
    try:
        with db.write():
            receipt = _receipt(db, number)
            if receipt["undone"]:
                word = {"void": "voided", "reversal": "reversed", "nsf": "returned (NSF)"}
                extra = (": apply its money from suspense instead"
                         if receipt["undone"] == "reversal" else "")
                raise StateError(f"Receipt {number} was {word[receipt['undone']]}{extra}.")
            moved = {r["line"] for r in db.all(
                "SELECT line FROM payment_transfers WHERE receipt_id = ?", [receipt["id"]])}
            pairs = _item_entries(db, receipt)
            if lines is not None:
                known = {i["line"] for i, _e in pairs}
                bad = [n for n in lines if n not in known]
                if bad or not lines:
                    raise ValidationError(f"Receipt {number} has no item {bad[0] if bad else ''}"
                                          .strip() + ".")
                again = [n for n in lines if n in moved]
                if again:
                    raise StateError(f"Item {again[0]} of receipt {number} was transferred "
                                     "already.")
            todo = [(i, e) for i, e in pairs
                    if (lines is None and i["line"] not in moved)
                    or (lines is not None and i["line"] in lines)]
            if not todo:
                raise StateError(f"Every item of receipt {number} was transferred already.")
            return [_post(db, actor, receipt, line=i["line"], source="item", reversed_entry=e,
                          from_kind=i["kind"], from_reference=i["reference"],
                          amount_cents=i["amount_cents"], to_kind=to_kind,
                          to_reference=to_reference, reason=reason, approver=approver)
                    for i, e in todo]
    except IntegrityError as e:
        raise _closed(e) from None


def apply_suspense(db: Database, actor: Actor, number: int, to_kind: str, to_reference: str,
                   reason: str, *, override: Override | None = None) -> Transfer:
    """Apply the money receipt `number`'s reversal left in suspense (once)."""
    reason = _reason(reason)
    _check_target(db, to_kind, to_reference)
    approver = authority().require(actor, PERMISSION, override=override,
                                   what="apply a payment from suspense")
    try:
        with db.write():
            receipt = _receipt(db, number)
            entries = _suspense_entries(db, receipt)
            if not entries:
                raise StateError(f"Receipt {number} left no money in suspense (only a reversal"
                                 " to suspense does).")
            done = db.one("SELECT to_kind, to_reference FROM payment_transfers "
                          "WHERE receipt_id = ? AND source = 'suspense'", [receipt["id"]])
            if done:
                raise StateError(f"The suspense money of receipt {number} was applied already "
                                 f"({done['to_kind']} {done['to_reference']}).")
            amount = -sum(e["amount_cents"] for e in entries)
            if amount <= 0:
                raise StateError(f"Receipt {number} left nothing in suspense.")
            return _post(db, actor, receipt, line=None, source="suspense",
                         reversed_entry=entries[0], from_kind="suspense",
                         from_reference=rules().gl["suspense"], amount_cents=amount,
                         to_kind=to_kind, to_reference=to_reference, reason=reason,
                         approver=approver)
    except IntegrityError as e:
        raise _closed(e) from None


def transfers_for(db: Database, number: int) -> list[Transfer]:
    """Receipt `number`'s transfers, oldest first (its receipt-number history)."""
    rid = receipt_id_for_number(db, number)
    return [Transfer(t["id"], number, t["line"], t["source"], t["from_kind"],
                     t["from_reference"], t["to_kind"], t["to_reference"], "",
                     t["amount_cents"], t["journal_id"], t["reason"], t["at"], t["clerk"],
                     t["override_by"])
            for t in db.all("SELECT * FROM payment_transfers WHERE receipt_id = ? ORDER BY id",
                            [rid])]


def has_transfers(db: Database, receipt_id: int) -> bool:
    """True when part of the receipt was moved (a void/reversal of it would undo it twice)."""
    return bool(db.scalar("SELECT 1 FROM payment_transfers WHERE receipt_id = ? LIMIT 1",
                          [receipt_id]))


def transfer_notice(transfers: list[Transfer], city: str = "") -> str:
    """The printed transfer notice (at most 78 columns): what moved, from where, to where."""
    if not transfers:
        return ""
    t0 = transfers[0]
    lines = [f"{city}".strip() or "PAYMENT TRANSFER NOTICE"]
    if city:
        lines.append("PAYMENT TRANSFER NOTICE")
    lines += [f"Receipt {t0.receipt_number} (the original receipt stands)",
              f"{t0.at[:16].replace('T', ' ')}  clerk {t0.clerk}"
              + (f"  approved by {t0.override_by}" if t0.override_by else ""), ""]
    for t in transfers:
        what = "suspense" if t.source == "suspense" else f"item {t.line}"
        lines.append(f"Transfer {t.id}  ({what})  {format_money(t.amount_cents)}  "
                     f"journal {t.journal_id}")
        lines.append(f"  from {t.from_kind} {t.from_reference}")
        lines.append(f"  to   {t.to_kind} {t.to_reference}")
        if t.to_description:
            lines.append(f"       {t.to_description}")
    lines += ["", f"Reason: {t0.reason}"]
    total = sum(t.amount_cents for t in transfers)
    lines.append(f"Total moved: {format_money(total)}")
    return "\n".join(line[:WIDTH] for line in lines) + "\n"
