"""Cashier test helpers: accounts with a balance, a fixed clock, clerks with open drawers."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth, clock, ledger
from clerk_tui.domain.actor import SYSTEM, Actor, Override
from clerk_tui.domain.cashier import DrawerCount, open_session
from clerk_tui.domain.checkdigit import luhn_digit
from tests.conftest import PINS

NOW = dt.datetime(2026, 3, 2, 10, 0, 0)
_seq = itertools.count(1000001)


@dataclass(frozen=True)
class Acct:
    id: int
    number: str  # 8 digits, the last a Luhn check digit


def create_account(db: Database, balance_cents: int = 0, *, no_checks: bool = False,
                   address: str = "120 N Main St") -> Acct:
    """Insert a customer and an account; a balance is billed through the ledger."""
    base = str(next(_seq))
    number = base + luhn_digit(base)
    with db.write():
        cid = db.insert("customers", {"name": "Pat Example", "created_at": clock.stamp()})
        aid = db.insert("accounts", {"number": number, "customer_id": cid,
                                     "service_address": address, "no_checks": int(no_checks),
                                     "opened_on": "2020-01-01"})
        if balance_cents:
            ledger.post(db, SYSTEM, "bill", [
                ledger.Entry(book="account", kind="bill", amount_cents=balance_cents,
                             account_id=aid, fund="510", gl_code="510-4100"),
                ledger.Entry(book="revenue", kind="bill", amount_cents=-balance_cents,
                             fund="510", gl_code="510-4100"),
            ])
        # Money rows commit only with an audit row after them (db.write refuses otherwise).
        audit.record(db, SYSTEM, "test.account", f"account:{number}")
    return Acct(aid, number)


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[dt.datetime]:
    with clock.frozen(NOW) as now:
        yield now


@pytest.fixture
def account(db: Database) -> Callable[..., Acct]:
    def make(balance_cents: int = 0, **kw: object) -> Acct:
        return create_account(db, balance_cents, **kw)  # type: ignore[arg-type]
    return make


@pytest.fixture
def clerk_with_drawer(db: Database, make_clerk: Callable[..., Actor]) -> Callable[..., Actor]:
    """A clerk of `role` with an open drawer holding the default $150.00 bank."""
    def make(role: str = "csr2", username: str | None = None, bank: dict | None = None) -> Actor:
        actor = make_clerk(role, username)
        open_session(db, actor, DrawerCount(bank) if bank else None)
        return actor
    return make


@pytest.fixture
def supervisor(make_clerk: Callable[..., Actor]) -> Actor:
    return make_clerk("supervisor", "sup")


def approve(db: Database, actor: Actor, sup: Actor, permission: str,
            amount_cents: int | None = None, limit: str | None = None) -> Override:
    return auth.authorize_override(db, actor, sup.username, PINS[sup.role], permission,
                                   amount_cents=amount_cents, limit=limit)


def counts(db: Database) -> dict[str, int]:
    """Row counts of everything a payment writes, plus the receipt counter."""
    tables = ("journals", "ledger_entries", "receipts", "receipt_items", "tenders",
              "audit_log", "receipt_voids")
    out = {t: db.scalar(f"SELECT count(*) FROM {t}") for t in tables}
    out["counter"] = db.scalar("SELECT value FROM counters WHERE name = 'receipt_number'")
    return out


def book_total(db: Database, book: str, **where: object) -> int:
    sql = "SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE book = ?"
    args: list[object] = [book]
    for k, v in where.items():
        sql += f" AND {k} = ?"
        args.append(v)
    return int(db.scalar(sql, args))
