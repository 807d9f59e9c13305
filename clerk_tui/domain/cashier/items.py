"""What can be sold at the counter: a registry of item kinds.

The payment screen knows nothing about utility accounts, fees, citations or passports; it asks
the registry to `quote` a reference the clerk typed or scanned and posts whatever comes back.
A counter declares its kinds in its manifest (`ItemKindSpec`, clerk_tui/counters/); the kind
is built on first use, in any process (a void in a process that never opened a screen finds
it too), and its items can then be paid, split-tendered, voided and reported without touching
the payment code. Each item becomes exactly one ledger entry on the credit side (the drawer side is
the tenders), which keeps a receipt's journal easy to read and to reverse.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain import account_numbers, clock, ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier.rules import rules
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.fees import fee_schedule
from clerk_tui.domain.money import check_cents, format_money

CREDIT_BOOKS = ("account", "revenue", "trust", "clearing")


@dataclass(frozen=True)
class ItemQuote:
    """What the screen shows once a reference is recognised, before the amount is confirmed."""

    kind: str
    reference: str
    description: str
    default_amount_cents: int | None
    fund: str
    gl_code: str
    book: str
    account_id: int | None = None
    balance_cents: int | None = None
    no_checks: bool = False
    fixed_amount: bool = False
    tenders: tuple[str, ...] = ()
    customer: str = ""
    """Whose account it is (an account payment): the clerk reads it back to the payer."""


@dataclass(frozen=True)
class SaleItem:
    """One line of a sale as the screen submits it; `amount_cents=None` takes the default."""

    kind: str
    reference: str
    amount_cents: int | None = None


class ItemKind:
    """Base for item kinds; subclasses set `code`/`label` and implement `quote`."""

    code: str = ""
    label: str = ""
    priced_before_lock: bool = False
    """True when `quote` reads nothing another clerk's posting can change between pricing and
    the write lock (fees from the schedule), or nothing but a balance that `post_payment`
    checks after posting (`new_balance`: utility accounts). Then a sale of only such kinds is
    priced before the lock (issue 12); any other kind (a citation paid once, a permit issued
    once) keeps being priced under the lock, where its refusals see every posting."""

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        raise NotImplementedError

    def check_amount(self, quote: ItemQuote, amount_cents: int) -> None:
        """Refuse an amount this kind cannot take (fixed-price fees, zero, negative)."""
        if not isinstance(amount_cents, int) or isinstance(amount_cents, bool):
            raise ValidationError("Amounts are whole cents.")
        check_cents(amount_cents, f"{quote.description}: the amount")
        if amount_cents <= 0:
            raise ValidationError(f"{quote.description}: the amount must be more than $0.00.")
        if quote.fixed_amount and amount_cents != quote.default_amount_cents:
            raise ValidationError(
                f"{quote.description} is {format_money(quote.default_amount_cents or 0)}; "
                "the amount cannot be changed.")

    def entry(self, quote: ItemQuote, amount_cents: int) -> ledger.Entry:
        """The credit side of this item (payments reduce what the customer owes)."""
        if quote.book not in CREDIT_BOOKS:
            raise ValidationError(f"Item kind {self.code!r} posts to unknown book {quote.book!r}.")
        return ledger.Entry(book=quote.book, kind="payment",
                            amount_cents=-amount_cents, account_id=quote.account_id,
                            fund=quote.fund, gl_code=quote.gl_code, memo=quote.reference)

    def new_balance(self, db: Database, quote: ItemQuote) -> int | None:
        """Balance printed on the receipt after posting (None when there is none)."""
        return None

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        """Hook for kinds that mark something paid (a citation); runs in the same transaction."""

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        """Hook run when a receipt holding this item is voided/reversed/returned NSF."""


class AccountItem(ItemKind):
    """A utility account payment: defaults to the amount due; any positive amount is taken
    (a partial payment leaves a balance, an over-payment becomes a credit)."""

    code = "account"
    label = "Utility account"
    priced_before_lock = True

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        number = account_numbers.parse_number(reference)
        # The account and its balance (ledger.account_balance's sum) in one statement.
        row = db.one("SELECT a.id, a.number, a.service_address, a.status, a.no_checks, "
                     "c.name AS customer, (SELECT coalesce(sum(e.amount_cents), 0) "
                     "FROM ledger_entries e WHERE e.book = 'account' AND e.account_id = a.id) "
                     "AS balance FROM accounts a "
                     "LEFT JOIN customers c ON c.id = a.customer_id WHERE a.number = ?",
                     [number])
        if not row:
            raise NotFound(f"No account {account_numbers.format_number(number)}.")
        balance = int(row["balance"] or 0)
        r = rules()
        return ItemQuote(
            kind=self.code, reference=account_numbers.format_number(number),
            description=f"Utility account {account_numbers.format_number(number)} {row['service_address']}",
            default_amount_cents=balance if balance > 0 else None,
            fund=r.account_fund, gl_code=r.account_gl, book="account", account_id=row["id"],
            balance_cents=balance, no_checks=bool(row["no_checks"]),
            customer=row["customer"] or "",
        )

    def new_balance(self, db: Database, quote: ItemQuote) -> int | None:
        return ledger.account_balance(db, quote.account_id) if quote.account_id else None


class FeeItem(ItemKind):
    """A fee from the effective-dated schedule in `data/fees.toml` (reference = fee code)."""

    code = "fee"
    label = "Fee"
    priced_before_lock = True  # the effective-dated schedule only

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        fee = fee_schedule().get(reference, on)
        return ItemQuote(
            kind=self.code, reference=fee.code, description=fee.description,
            default_amount_cents=fee.amount_cents, fund=fee.fund, gl_code=fee.gl_code,
            book=fee.book, fixed_amount=not fee.variable, tenders=fee.tenders,
        )


_KINDS: dict[str, ItemKind] = {}
"""Kinds built so far: from the manifests on first use, or `register()`ed (tests)."""


def register(kind: ItemKind, *, replace: bool = False) -> None:
    """Add an item kind by hand (tests); counters declare theirs in their manifest."""
    if not kind.code or not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", kind.code):
        raise ValueError(f"bad item kind code {kind.code!r}")
    if kind.code in _KINDS and not replace:
        raise ValueError(f"item kind {kind.code!r} is already registered")
    _KINDS[kind.code] = kind


def _from_manifest(code: str) -> ItemKind | None:
    from clerk_tui.counters import registry
    from clerk_tui.counters.manifest import resolve

    spec = registry().item_kinds.get(code)
    if spec is None:
        return None
    kind = resolve(spec.factory)()
    if not isinstance(kind, ItemKind) or kind.code != code:
        raise TypeError(f"{spec.factory} did not build item kind {code!r}")
    return _KINDS.setdefault(code, kind)


def get_kind(code: str) -> ItemKind:
    kind = _KINDS.get(code) or _from_manifest(code)
    if kind is None:
        raise ValidationError(f"Unknown item kind {code!r}.")
    return kind


def kinds() -> list[ItemKind]:
    """Every item kind, in manifest order (then any registered by hand), whatever was built
    first: the payment screen offers a typed code to each in turn, so the order decides that
    `COPY` is the cashier's fee before it is a misc. sale."""
    from clerk_tui.counters import registry

    declared = [get_kind(code) for code in registry().item_kinds]
    return declared + [k for code, k in _KINDS.items() if code not in registry().item_kinds]


def quote_item(db: Database, kind: str, reference: str, on: dt.date | None = None) -> ItemQuote:
    """Recognise a typed or scanned reference: what it is, and what it would cost."""
    return get_kind(kind).quote(db, reference, on or clock.today())
