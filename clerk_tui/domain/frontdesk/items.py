"""The front desk's item kinds: what the payment screen sells for it.

- `fd_copy`: a records request's copy fee, reference = the request number (PRA26-00001);
  pages x the per-page cost in force when the request was received; a victim's copies are
  free (Family Code 6228) so there is nothing to pay.
- `fd_release`: a stored vehicle's release fee, reference VEH + number.
- `fd_repo`: the repossession fee, reference REPO + number; refused until a debtor-side payer
  is recorded (never the repossession agency, Gov. Code 41612).
- `fd_subpoena`: a civil officer subpoena's deposit into trust (SUB + number), or the balance
  billed after reconciliation (SUB + number + -BAL), revenue.
- `fd_letter`: a clearance letter's fee (LTR + number).
- `fd_reg`: a registrant's registration fee (Pen. Code 290.012) for the current visit,
  REG + registrant number + -YYYYMMDD of the registration; only a cleared clerk takes it.
Each marks its record paid in `after_post` and unpaid in `after_reverse`, inside the payment's
(or the void's) transaction. A second payment of the same record is refused when repriced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier.items import ItemKind, ItemQuote
from clerk_tui.domain.errors import StateError
from clerk_tui.domain.frontdesk import desk, records, registrants, repos, subpoenas, vehicles
from clerk_tui.domain.frontdesk.rules import money, rule_set

COPY, RELEASE, REPO, SUBPOENA, LETTER = "fd_copy", "fd_release", "fd_repo", "fd_subpoena", "fd_letter"
REGISTRATION = "fd_reg"


class CopyFeeItem(ItemKind):
    code = COPY
    label = "Records copies"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        req = records.by_number(db, reference)
        if req.victim:
            raise StateError(f"{req.number}: a victim's copies are free (Family Code 6228).")
        if req.status != "ready":
            raise StateError(f"{req.number} is {req.status_label.lower()}: no copies to pay.")
        if req.fee_receipt_id is not None:
            raise StateError(f"{req.number}: the copy fee is paid already.")
        fee = records.copy_fee(req)
        if fee <= 0:
            raise StateError(f"{req.number}: no pages, nothing to pay.")
        r = rule_set("cpra", req.received_on)
        return ItemQuote(kind=self.code, reference=req.number,
                         description=f"Copies {req.number}, {req.pages} page(s)",
                         default_amount_cents=fee, fund=str(r["copy_fund"]),
                         gl_code=str(r["copy_gl"]), book="revenue", fixed_amount=True)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        records.mark_paid(db, quote.reference, receipt_id)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        records.mark_paid(db, item["reference"], None)


class ReleaseFeeItem(ItemKind):
    code = RELEASE
    label = "Vehicle release fee"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        v = vehicles._get(db, vehicles.parse_reference(reference))
        if v.status == "released" or v.fee_receipt_id is not None:
            raise StateError(f"{v.plate}: the release fee is paid already.")
        r = rule_set("vehicles", on)
        return ItemQuote(kind=self.code, reference=v.reference,
                         description=f"Vehicle release {v.plate} ({v.reason_code})",
                         default_amount_cents=money("vehicles", "release_fee", on),
                         fund=str(r["release_fund"]), gl_code=str(r["release_gl"]),
                         book="revenue", fixed_amount=True)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        vehicles.mark_paid(db, vehicles.parse_reference(quote.reference), receipt_id)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        vehicles.mark_paid(db, vehicles.parse_reference(item["reference"]), None)


class RepoFeeItem(ItemKind):
    code = REPO
    label = "Repossession fee"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        repo = repos.get(db, repos.parse_reference(reference))
        if repo.fee_receipt_id is not None:
            raise StateError(f"{repo.plate}: the repossession fee is paid already.")
        if not repo.payer:
            raise StateError(f"{repo.plate}: record who pays (the debtor) first.")
        r = rule_set("repossessions", on)
        return ItemQuote(kind=self.code, reference=repo.reference,
                         description=f"Repossession fee {repo.plate} ({repo.payer})"[:60],
                         default_amount_cents=money("repossessions", "fee", on),
                         fund=str(r["fund"]), gl_code=str(r["gl"]), book="revenue",
                         fixed_amount=True, customer=repo.debtor)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        repos.mark_paid(db, repos.parse_reference(quote.reference), receipt_id)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        repos.mark_paid(db, repos.parse_reference(item["reference"]), None)


class SubpoenaItem(ItemKind):
    """A civil officer subpoena's deposit (SUB…, into trust) or, after reconciliation, the
    balance billed (SUB…-BAL, revenue)."""

    code = SUBPOENA
    label = "Subpoena deposit"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        sid, balance = subpoenas.parse_reference(reference)
        sub = subpoenas._get(db, sid)
        r = rule_set("subpoenas", sub.served_at.date())
        if balance:
            if sub.balance_due_cents <= 0:
                raise StateError(f"{sub.reference}: no balance is due.")
            return ItemQuote(kind=self.code, reference=f"{sub.reference}-BAL",
                             description=f"Subpoena {sub.case_number} balance"[:60],
                             default_amount_cents=sub.balance_due_cents, fund=str(r["fund"]),
                             gl_code=str(r["gl_revenue"]), book="revenue", fixed_amount=True)
        if not sub.deposit_cents:
            raise StateError(f"{sub.reference}: a {sub.kind} subpoena takes no deposit.")
        if sub.deposit_receipt_id is not None:
            raise StateError(f"{sub.reference}: the deposit is paid already.")
        return ItemQuote(kind=self.code, reference=sub.reference,
                         description=f"Subpoena deposit {sub.case_number}, {sub.days} day(s)"[:60],
                         default_amount_cents=sub.deposit_cents, fund=str(r["fund"]),
                         gl_code=str(r["gl_trust"]), book="trust", fixed_amount=True)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        sid, balance = subpoenas.parse_reference(quote.reference)
        if balance:
            subpoenas.mark_balance_paid(db, sid, True)
        else:
            subpoenas.mark_deposit(db, sid, receipt_id)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        sid, balance = subpoenas.parse_reference(item["reference"])
        if balance:
            subpoenas.mark_balance_paid(db, sid, False)
        else:
            subpoenas.mark_deposit(db, sid, None)


class LetterFeeItem(ItemKind):
    """A clearance / reference letter's fee (LTR + number)."""

    code = LETTER
    label = "Clearance letter"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        letter = desk.get_letter(db, desk.parse_letter_reference(reference))
        if letter.fee_receipt_id is not None:
            raise StateError(f"{letter.reference}: the fee is paid already.")
        r = rule_set("letters", on)
        return ItemQuote(kind=self.code, reference=letter.reference,
                         description=f"Clearance letter {letter.name}"[:60],
                         default_amount_cents=desk.letter_fee(on), fund=str(r["fund"]),
                         gl_code=str(r["gl"]), book="revenue", fixed_amount=True,
                         customer=letter.name)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        desk.mark_letter_paid(db, desk.parse_letter_reference(quote.reference), receipt_id)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        desk.mark_letter_paid(db, desk.parse_letter_reference(item["reference"]), None)


class RegistrationFeeItem(ItemKind):
    """A registrant's registration fee (REG + number + -YYYYMMDD of the visit). The quote has
    no clerk, so the clearance is checked in `after_post`: an uncleared clerk's payment fails
    and rolls back whole."""

    code = REGISTRATION
    label = "Registration fee"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        reg = registrants.fee_due(db, reference)
        r = rule_set("registrants", reg.last_registered_on)
        return ItemQuote(kind=self.code, reference=reg.fee_reference,
                         description=f"Registration fee PC {reg.type} "
                                     f"{reg.last_registered_on}"[:60],
                         default_amount_cents=money("registrants", "registration_fee",
                                                    reg.last_registered_on),
                         fund=str(r["fee_fund"]), gl_code=str(r["fee_gl"]), book="revenue",
                         fixed_amount=True)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        registrants.mark_fee_paid(db, actor, quote.reference, receipt_id)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        registrants.mark_fee_paid(db, actor, item["reference"], None)
