"""Refunding what was paid for a license that never was (a denied application) or that closed:
the cashier's refund rules — the clerk's role `refund` limit in authority.toml (a supervisor's
override above it), cash only from the clerk's own open drawer and only what it holds, a city
check posted to refunds payable — applied to license money, which is not an account credit.

Each part comes back out of the book it went into (the tax out of revenue, the state's CASp
share out of trust), as a negative payment line naming the refund's journal, all in one
transaction with one audit row.
"""

from __future__ import annotations

from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.rules import rules as cashier_rules
from clerk_tui.domain.cashier.sessions import cash_on_hand, require_open
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.licenses import records
from clerk_tui.domain.text import clean_text

REFUNDABLE = ("denied", "closed")
BOOK = {"CASPS": "trust", "BID": "trust"}


@dataclass(frozen=True)
class LicenseRefund:
    number: str
    amount_cents: int
    method: str
    journal_id: int
    override_by: str | None


def refundable(db: Database, license_id: int) -> list[dict]:
    """Net paid per term part through this ledger (receipts and earlier refunds), > 0."""
    return db.all("SELECT term_id, part, fund, gl_code, sum(amount_cents) AS cents "
                  "FROM license_payments WHERE license_id = ? AND term_id IS NOT NULL AND "
                  "(receipt_id IS NOT NULL OR journal_id IS NOT NULL) "
                  "GROUP BY term_id, part, fund, gl_code HAVING sum(amount_cents) > 0 "
                  "ORDER BY term_id, part", [license_id])


def refund_license(db: Database, actor: Actor, number: str, method: str, reason: str, *,
                   override: Override | None = None) -> LicenseRefund:
    """Refund everything paid here for a denied or closed license (cash or city check)."""
    if method not in ("cash", "check"):
        raise ValidationError("Refund by cash or by city check.")
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    lid = records.license_id_for(db, number)
    lic = records.get_license(db, lid)
    if lic.status not in REFUNDABLE:
        raise StateError(f"License {lic.number} is {lic.status}: only a denied application or "
                         "a closed license is refunded.")
    total = sum(r["cents"] for r in refundable(db, lid))
    if total <= 0:
        raise StateError(f"Nothing was paid here for license {lic.number}.")
    approver = authority().require(actor, "license.refund", amount_cents=total, limit="refund",
                                   override=override, what="refund license fees")
    memo = f"license refund {lic.number}: {reason}"
    with db.write():
        rows = refundable(db, lid)
        if sum(r["cents"] for r in rows) != total:
            raise StateError("The payments changed meanwhile: look again.")
        entries = [ledger.Entry(book=BOOK.get(r["part"], "revenue"), kind="refund",
                                amount_cents=r["cents"], fund=r["fund"], gl_code=r["gl_code"],
                                memo=memo) for r in rows]
        if method == "cash":
            session = require_open(db, actor)
            if total > cash_on_hand(db, session):
                raise ValidationError("Not enough cash in the drawer; refund by check.")
            entries.append(ledger.Entry(book="drawer", kind="refund", amount_cents=-total,
                                        drawer_session_id=session.id, tender="cash", memo=memo))
        else:
            entries.append(ledger.Entry(book="clearing", kind="refund", amount_cents=-total,
                                        gl_code=cashier_rules().gl["refunds_payable"],
                                        memo=memo))
        posted = ledger.post(db, actor, "license_refund", entries, memo=memo)
        for r in rows:
            db.insert("license_payments", {
                "license_id": lid, "term_id": r["term_id"], "part": r["part"],
                "amount_cents": -r["cents"], "fund": r["fund"], "gl_code": r["gl_code"],
                "receipt_id": None, "journal_id": posted.journal_id,
                "paid_on": clock.today().isoformat(), "created_at": clock.stamp()})
        records.history(db, actor, lid, f"refund {method}", f"{total / 100:,.2f}: {reason}")
        audit.record(db, actor, "license.refund", f"license:{lid}",
                     after={"amount_cents": total, "method": method,
                            "journal_id": posted.journal_id}, override_by=approver)
    return LicenseRefund(lic.number, total, method, posted.journal_id, approver)
