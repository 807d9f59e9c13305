"""Starting, stopping and moving water service: one transaction each, audited.

- `open_service`: customer (new or existing), account with a fresh check-digit number, status
  'pending' until the turn-on order is completed, a meter, the deposit the rule asks for
  (data/utility/service.toml; waiving it needs deposit.waive) and the turn-on order.
- `close_service`: final read (reviewed like any read: a doubtful final read refuses the close
  until the clerk confirms it), final bill, deposits applied (deposits.py), live orders
  cancelled, status 'closed'; a credit left over is refunded through the cashier's refund
  (`refund='check'` — a city check from finance — or `'cash'` from the clerk's drawer), or left
  on the account (`'leave'`).
- `transfer_service`: the same close on the old address, but the deposit moves instead of
  being applied and the old account's remaining balance (owed or credit) is carried to the new
  account (journal 'transfer': old -, new +), which is opened for the same customer and pointed
  at by the old account's transferred_to_account_id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import accounts, audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier import refunds
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility import billing, deposits, orders, rates, reads

REFUND_CHOICES = ("leave", "check", "cash")


@dataclass(frozen=True)
class OpenedService:
    account: accounts.Account
    deposit: deposits.Deposit | None
    deposit_reason: str
    turn_on_order: orders.ServiceOrder


@dataclass(frozen=True)
class ClosedService:
    account: accounts.Account
    final_read: reads.MeterRead
    final_bill: billing.PostedBill | None
    deposit_applied_cents: int
    refund: refunds.RefundResult | None
    balance_cents: int  # after everything (0 when refunded; negative = credit left)
    cancelled_orders: int


@dataclass(frozen=True)
class TransferredService:
    closed: ClosedService
    opened: OpenedService
    balance_moved_cents: int
    deposit_moved_cents: int


def _choices(services: str | tuple[str, ...] | list[str], rate_class: str, cycle: int,
             meter_size: str | None) -> tuple[str, str]:
    rule = rates.service_rule(clock.today())
    items = [s.strip() for s in (services.split(",") if isinstance(services, str) else services)
             if s.strip()]
    if not items:
        raise ValidationError("Pick at least one service (water, sewer, refuse).")
    for s in items:
        if s not in rule.services:
            raise ValidationError(f"Unknown service {s!r} (one of {', '.join(rule.services)}).")
    if rate_class not in rule.rate_classes:
        raise ValidationError(f"Rate class is one of {', '.join(rule.rate_classes)}.")
    if cycle not in rule.cycles:
        raise ValidationError(f"Billing cycle is one of {', '.join(map(str, rule.cycles))}.")
    size = meter_size or rule.meter_sizes[0]
    if size not in rule.meter_sizes:
        raise ValidationError(f"Meter size is one of {', '.join(rule.meter_sizes)}.")
    ordered = ",".join(s for s in rule.services if s in items)
    return ordered, size


def _day(value: str | dt.date | None, field: str) -> str:
    if value is None or value == "":
        return clock.today().isoformat()
    try:
        return (value if isinstance(value, dt.date) else
                dt.date.fromisoformat(str(value).strip())).isoformat()
    except ValueError:
        raise ValidationError(f"{field} {value!r} is not a date (YYYY-MM-DD).") from None


def _open_in_write(db: Database, actor: Actor, *, name: str, service_address: str,
                   mailing_address: str | None, services: str, rate_class: str, cycle: int,
                   meter_size: str, phone: str | None, email: str | None,
                   customer_id: int | None, service_city: str, service_zip: str,
                   requested_on: str, waive_deposit: bool,
                   held_deposit_cents: int = 0) -> OpenedService:
    account = accounts.open_account(
        db, actor, name=name, service_address=service_address, phone=phone, email=email,
        mailing_address=mailing_address, service_city=service_city, service_zip=service_zip,
        rate_class=rate_class, services=services, cycle=cycle, customer_id=customer_id)
    mailing = clean_text(mailing_address or "", field="Mailing address", max_len=200,
                         multiline=True) or None
    if mailing and mailing.splitlines()[0].strip().lower() == account.service_address.lower():
        mailing = None  # same as the service address (notices go to the customer there)
    db.execute("UPDATE accounts SET status = 'pending', mailing_address = ? WHERE id = ?",
               [mailing, account.id])
    db.insert("meters", {"account_id": account.id, "serial": f"N{account.number}",
                         "size": meter_size, "installed_on": requested_on})
    amount, why = deposits.required(db, rate_class, customer_id=account.customer_id
                                    if customer_id is not None else None)
    deposit = None
    if amount and held_deposit_cents >= amount:
        why = f"deposit moved from the old account ({why})"
    elif amount and waive_deposit:
        audit.record(db, actor, "deposit.waive", f"account:{account.number}",
                     after={"amount_cents": amount, "reason": why})
        why = f"waived ({why})"
    elif amount:
        deposit = deposits.charge_in_write(db, actor, account.id, amount, why)
    order = orders.insert_order(db, actor, account.id, "turn_on", priority="routine",
                                requested_on=requested_on, reason="New service")
    account = accounts.get_account(db, account.id)
    audit.record(db, actor, "service.open", f"account:{account.number}", after={
        "services": services, "rate_class": rate_class, "cycle": cycle, "meter_size": meter_size,
        "mailing_address": mailing, "deposit_cents": deposit.amount_cents if deposit else 0,
        "deposit_reason": why, "turn_on_order": order.id})
    return OpenedService(account, deposit, why, order)


def open_service(db: Database, actor: Actor, *, name: str = "", service_address: str,
                 mailing_address: str | None = None,
                 services: str | tuple[str, ...] | list[str] = "water,sewer,refuse",
                 rate_class: str = "residential", cycle: int = 1, meter_size: str | None = None,
                 phone: str | None = None, email: str | None = None,
                 customer_id: int | None = None, service_city: str = "",
                 service_zip: str = "", requested_on: str | dt.date | None = None,
                 waive_deposit: bool = False) -> OpenedService:
    """Open a new account (pending) with its meter, deposit by rule and turn-on order."""
    authority().require(actor, "account.open", what="open an account")
    if waive_deposit:
        authority().require(actor, "deposit.waive", what="waive a deposit")
    svc, size = _choices(services, rate_class, cycle, meter_size)
    requested = _day(requested_on, "Requested date")
    with db.write():
        return _open_in_write(db, actor, name=name, service_address=service_address,
                              mailing_address=mailing_address, services=svc,
                              rate_class=rate_class, cycle=cycle, meter_size=size, phone=phone,
                              email=email, customer_id=customer_id, service_city=service_city,
                              service_zip=service_zip, requested_on=requested,
                              waive_deposit=waive_deposit)


def _close_in_write(db: Database, actor: Actor, account_id: int, *, final_reading: int,
                    read_on: str | None, confirmed: bool, move_deposit: bool) -> tuple:
    account = accounts.get_account(db, account_id)
    if account.status == "closed":
        raise StateError("The account is already closed.")
    read = reads.record_in_write(db, actor, account_id, final_reading, kind="final",
                                 read_on=read_on, confirmed=confirmed)
    if read.flagged:
        raise ValidationError(f"Final read not accepted: {read.flag_reason} Check the reading "
                              "and confirm it to close.")
    bill = billing.final_bill_in_write(db, actor, account_id,
                                       bill_date=clock.today().isoformat())
    applied = 0 if move_deposit else deposits.close_in_write(db, actor, account_id)
    cancelled = 0
    for o in orders.list_orders(db, account_id=account_id):
        orders.cancel_in_write(db, actor, o.id, "Account closed")
        cancelled += 1
    db.execute("UPDATE accounts SET status = 'closed', closed_on = ? WHERE id = ?",
               [clock.today().isoformat(), account_id])
    return account, read, bill, applied, cancelled


def close_service(db: Database, actor: Actor, account_id: int, *, final_reading: int,
                  read_on: str | dt.date | None = None, refund: str = "leave",
                  confirmed: bool = False, override: Override | None = None) -> ClosedService:
    """Close an account: final read, final bill, deposit applied, credit refunded or left.

    `override` is for the refund (refund.credit above the clerk's limit): the screen catches
    OverrideRequired, gets a supervisor, and calls again with it; nothing was written before.
    """
    authority().require(actor, "account.close", what="close an account")
    if refund not in REFUND_CHOICES:
        raise ValidationError("A credit is refunded by check or cash, or left on the account.")
    day = _day(read_on, "Read date")
    try:
        with db.write():
            account, read, bill, applied, cancelled = _close_in_write(
                db, actor, account_id, final_reading=final_reading, read_on=day,
                confirmed=confirmed, move_deposit=False)
            balance = ledger.account_balance(db, account_id)
            refund_result = None
            if balance < 0 and refund != "leave":
                refund_result = refunds.refund_credit(
                    db, actor, account.number, -balance, "Final refund at close",
                    method=refund, override=override)
                balance = refund_result.new_balance_cents
            closed = accounts.get_account(db, account_id)
            audit.record(db, actor, "service.close", f"account:{account.number}",
                         before={"status": account.status},
                         after={"status": "closed", "final_read_id": read.id,
                                "final_bill_id": bill.bill_id if bill else None,
                                "deposit_applied_cents": applied,
                                "refund_cents": refund_result.amount_cents if refund_result
                                else 0, "balance_cents": balance,
                                "cancelled_orders": cancelled})
            return ClosedService(closed, read, bill, applied, refund_result, balance, cancelled)
    except IntegrityError as e:
        if "business day is closed" in str(e):
            raise StateError("Today's business day is closed.") from None
        raise


def transfer_service(db: Database, actor: Actor, account_id: int, *, final_reading: int,
                     new_service_address: str, new_mailing_address: str | None = None,
                     read_on: str | dt.date | None = None,
                     requested_on: str | dt.date | None = None, confirmed: bool = False,
                     service_city: str = "", service_zip: str = "",
                     meter_size: str | None = None, rate_class: str | None = None,
                     services: str | None = None, cycle: int | None = None) -> TransferredService:
    """Move a customer: close the old address, open the new one, carry deposit and balance."""
    authority().require(actor, "account.transfer", what="transfer service")
    old = accounts.get_account(db, account_id)
    svc, size = _choices(services or ",".join(old.services), rate_class or old.rate_class,
                         cycle or old.cycle, meter_size)
    day = _day(read_on, "Read date")
    requested = _day(requested_on, "Requested date")
    try:
        with db.write():
            account, read, bill, _, cancelled = _close_in_write(
                db, actor, account_id, final_reading=final_reading, read_on=day,
                confirmed=confirmed, move_deposit=True)
            held = sum(d.amount_cents for d in deposits.list_deposits(db, account_id)
                       if d.status in deposits.LIVE and d.paid)
            opened = _open_in_write(
                db, actor, name=old.customer_name, service_address=new_service_address,
                mailing_address=new_mailing_address, services=svc,
                rate_class=rate_class or old.rate_class, cycle=cycle or old.cycle,
                meter_size=size, phone=None, email=None, customer_id=old.customer_id,
                service_city=service_city, service_zip=service_zip, requested_on=requested,
                waive_deposit=False, held_deposit_cents=held)
            moved = deposits.transfer_in_write(db, actor, account_id, opened.account.id)
            balance = ledger.account_balance(db, account_id)
            if balance:
                memo = (f"Balance moved {old.display_number} -> "
                        f"{opened.account.display_number}")
                ledger.post(db, actor, "transfer", [
                    ledger.Entry(book="account", kind="transfer", amount_cents=-balance,
                                 account_id=account_id, memo=memo),
                    ledger.Entry(book="account", kind="transfer", amount_cents=balance,
                                 account_id=opened.account.id, memo=memo)], memo=memo)
            db.execute("UPDATE accounts SET transferred_to_account_id = ? WHERE id = ?",
                       [opened.account.id, account_id])
            closed = ClosedService(accounts.get_account(db, account_id), read, bill, 0, None,
                                   0, cancelled)
            audit.record(db, actor, "service.transfer", f"account:{old.number}",
                         before={"status": old.status},
                         after={"status": "closed", "to_account": opened.account.number,
                                "final_bill_id": bill.bill_id if bill else None,
                                "balance_moved_cents": balance, "deposit_moved_cents": moved})
            return TransferredService(closed, opened, balance, moved)
    except IntegrityError as e:
        if "business day is closed" in str(e):
            raise StateError("Today's business day is closed.") from None
        raise
