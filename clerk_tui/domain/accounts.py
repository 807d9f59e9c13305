"""Utility accounts as the counter sees them: who, where, what they owe and since when.

`load_account` returns one `AccountView` with everything the account screen shows: customer,
service address, status, services, balance due with aging, last payment, the first page of the
ledger, recent bills, notes and alerts. Balance, aging, last payment and history are all computed
from ONE read of the account's ledger entries, so the numbers on the screen agree with each other
even while other clerks post.

Aging method (documented because collections and SB 998 shutoff notices rely on it):
payments and credits pay the OLDEST charges first (first in, first out). So whatever is still
owed is made of the NEWEST charges. We walk the account's charges (positive entries: bills, fees,
returned payments, balance forwards) from newest to oldest, assigning the balance due to each
until it is used up, and put each assigned amount in a bucket by the charge's age in days on
the day of the lookup (the charge's business date, i.e. the bill date for a bill):
0-29 current, 30-59 "30", 60-89 "60", 90 and over "90+". Anything left over after the oldest
charge (e.g. a negative charge history) goes to 90+. A zero or credit balance has no aging.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import account_numbers, audit, clock
from clerk_tui.domain.account_numbers import format_number
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import clean_text

FIRST_ACCOUNT_BASE = account_numbers.FIRST_BASE
PAYMENT_KINDS = frozenset({"payment"})  # account-book entry kinds that are a customer payment
STATUSES = ("pending", "active", "closed", "inactive")

_KIND_LABELS = {
    "bill": "Bill", "payment": "Payment", "balance_forward": "Balance forward",
    "adjustment": "Adjustment", "void": "Void", "reversal": "Reversal", "nsf": "Returned payment",
    "fee": "Fee", "refund": "Refund", "deposit": "Deposit", "penalty": "Late fee",
}


# ---- data --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Account:
    """An account and its customer, as stored."""

    id: int
    number: str  # 8 digits
    display_number: str  # 1234567-8
    customer_id: int
    customer_name: str
    phone: str
    email: str
    mailing_address: str
    service_address: str
    service_city: str
    service_zip: str
    status: str
    rate_class: str
    services: tuple[str, ...]
    cycle: int
    no_checks: bool
    opened_on: str
    closed_on: str | None


@dataclass(frozen=True)
class Aging:
    """Balance due split by the age of the charges it is made of (see module docstring)."""

    current: int = 0
    days_30: int = 0
    days_60: int = 0
    days_90_plus: int = 0

    @property
    def total(self) -> int:
        return self.current + self.days_30 + self.days_60 + self.days_90_plus

    @property
    def past_60(self) -> int:
        return self.days_60 + self.days_90_plus


@dataclass(frozen=True)
class Payment:
    date: str
    amount_cents: int  # positive: what the customer paid
    receipt_number: int | None
    journal_id: int


@dataclass(frozen=True)
class LedgerLine:
    entry_id: int
    journal_id: int
    date: str  # business date
    kind: str
    description: str
    amount_cents: int  # + charge, - payment/credit
    balance_after_cents: int
    receipt_number: int | None
    reversed: bool  # a later entry reverses this one


@dataclass(frozen=True)
class LedgerPage:
    lines: list[LedgerLine]
    page: int
    page_size: int
    total_lines: int

    @property
    def has_more(self) -> bool:
        return (self.page + 1) * self.page_size < self.total_lines

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_lines // self.page_size))


@dataclass(frozen=True)
class Bill:
    id: int
    bill_date: str
    due_date: str
    period_start: str
    period_end: str
    consumption: int
    amount_cents: int


@dataclass(frozen=True)
class Note:
    id: int
    at: str
    clerk: str
    text: str


@dataclass(frozen=True)
class Alert:
    code: str  # stable id, e.g. 'no_checks', 'delinquent'
    level: str  # 'info' | 'warn' | 'stop'
    message: str


@dataclass(frozen=True)
class AccountView:
    account: Account
    balance_cents: int  # what the customer owes; negative = credit
    aging: Aging
    last_payment: Payment | None
    history: LedgerPage
    bills: list[Bill]
    notes: list[Note]
    alerts: list[Alert] = field(default_factory=list)

    @property
    def amount_due_cents(self) -> int:
        """What Enter pays on the payment screen: the balance, never below zero."""
        return max(0, self.balance_cents)


# ---- account numbers ---------------------------------------------------------------------------


# ---- reading -----------------------------------------------------------------------------------
_ACCOUNT_SQL = (
    "SELECT a.*, c.name AS customer_name, coalesce(c.phone, '') AS phone, "
    "coalesce(c.email, '') AS email, coalesce(c.mailing_address, '') AS mailing_address "
    "FROM accounts a JOIN customers c ON c.id = a.customer_id "
)


def _account(row: dict) -> Account:
    return Account(
        id=row["id"], number=row["number"], display_number=format_number(row["number"]),
        customer_id=row["customer_id"], customer_name=row["customer_name"], phone=row["phone"],
        email=row["email"], mailing_address=row["mailing_address"],
        service_address=row["service_address"], service_city=row["service_city"],
        service_zip=row["service_zip"], status=row["status"], rate_class=row["rate_class"],
        services=tuple(s for s in row["services"].split(",") if s), cycle=row["cycle"],
        no_checks=bool(row["no_checks"]), opened_on=row["opened_on"], closed_on=row["closed_on"],
    )


def get_account(db: Database, account_id: int) -> Account:
    row = db.one(_ACCOUNT_SQL + "WHERE a.id = ?", [account_id])
    if not row:
        raise NotFound(f"No account with id {account_id}.")
    return _account(row)


def find_by_number(db: Database, text: str) -> Account | None:
    """The account a clerk typed or scanned: '1234567-8', '12345678' or '1234567'.

    None when the text is not an account number or no such account exists; ValidationError
    when the check digit is wrong (see `account_numbers.normalize_number`).
    """
    number = account_numbers.normalize_number(text)
    if number is None:
        return None
    row = db.one(_ACCOUNT_SQL + "WHERE a.number = ?", [number])
    return _account(row) if row else None


def _entries(db: Database, account_id: int) -> list[dict]:
    """All of an account's ledger entries, oldest first (one read: a consistent picture)."""
    return db.all(
        "SELECT le.id, le.journal_id, le.kind, le.amount_cents, le.memo, le.receipt_id, "
        "le.reverses_entry_id, j.business_date, r.number AS receipt_number "
        "FROM ledger_entries le JOIN journals j ON j.id = le.journal_id "
        "LEFT JOIN receipts r ON r.id = le.receipt_id "
        "WHERE le.book = 'account' AND le.account_id = ? "
        "ORDER BY j.business_date, le.id",
        [account_id],
    )


def _age_days(date_text: str, today: dt.date) -> int:
    try:
        return (today - dt.date.fromisoformat(date_text[:10])).days
    except ValueError:
        return 0


def compute_aging(charges: list[tuple[str, int]], balance_cents: int,
                  today: dt.date | None = None) -> Aging:
    """Split `balance_cents` over `charges` [(date, cents>0)] newest first (FIFO payments)."""
    if balance_cents <= 0:
        return Aging()
    today = today or clock.today()
    buckets = [0, 0, 0, 0]
    remaining = balance_cents
    for date_text, cents in sorted(charges, key=lambda c: c[0], reverse=True):
        if remaining <= 0:
            break
        take = min(remaining, cents)
        days = _age_days(date_text, today)
        buckets[0 if days < 30 else 1 if days < 60 else 2 if days < 90 else 3] += take
        remaining -= take
    buckets[3] += max(0, remaining)
    return Aging(*buckets)


def _describe(row: dict) -> str:
    label = _KIND_LABELS.get(row["kind"], row["kind"].replace("_", " ").capitalize())
    memo = row["memo"] or ""
    return f"{label}: {memo}" if memo and memo != label else label


def _lines(entries: list[dict]) -> list[LedgerLine]:
    """Ledger lines newest first, each with the running balance after it."""
    reversed_ids = {e["reverses_entry_id"] for e in entries if e["reverses_entry_id"]}
    out = []
    running = 0
    for e in entries:
        running += e["amount_cents"]
        out.append(LedgerLine(
            entry_id=e["id"], journal_id=e["journal_id"], date=e["business_date"],
            kind=e["kind"], description=_describe(e), amount_cents=e["amount_cents"],
            balance_after_cents=running, receipt_number=e["receipt_number"],
            reversed=e["id"] in reversed_ids,
        ))
    out.reverse()
    return out


def ledger_history(db: Database, account_id: int, page: int = 0,
                   page_size: int = 20) -> LedgerPage:
    """One page of the account's ledger, newest first (page 0 is the newest)."""
    page = max(0, page)
    page_size = max(1, min(page_size, 500))
    lines = _lines(_entries(db, account_id))
    start = page * page_size
    return LedgerPage(lines[start:start + page_size], page, page_size, len(lines))


def list_bills(db: Database, account_id: int, limit: int = 13) -> list[Bill]:
    rows = db.all("SELECT * FROM bills WHERE account_id = ? ORDER BY bill_date DESC, id DESC "
                  "LIMIT ?", [account_id, limit])
    return [Bill(r["id"], r["bill_date"], r["due_date"], r["period_start"], r["period_end"],
                 r["consumption"], r["amount_cents"]) for r in rows]


def list_notes(db: Database, account_id: int, limit: int = 20) -> list[Note]:
    rows = db.all("SELECT * FROM account_notes WHERE account_id = ? ORDER BY id DESC LIMIT ?",
                  [account_id, limit])
    return [Note(r["id"], r["at"], r["clerk"], r["text"]) for r in rows]


# ---- alerts ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AlertContext:
    """What an alert rule may look at (plus the database for its own tables)."""

    account: Account
    balance_cents: int
    aging: Aging
    last_payment: Payment | None


AlertRule = Callable[[Database, AlertContext], list[Alert]]
_ALERT_RULES: list[AlertRule] = []


def register_alert_rule(rule: AlertRule) -> AlertRule:
    """Add an alert source (payment plans, pending shutoff, deposits plug in here).

    Why a registry: each later counter owns its own tables and rules; the account screen shows
    whatever they report without knowing about them. Counters declare their rules in their
    manifest (`alert_rules`), loaded with every account view; this adds one by hand (tests).
    """
    if rule not in _ALERT_RULES:
        _ALERT_RULES.append(rule)
    return rule


def _core_alerts(db: Database, ctx: AlertContext) -> list[Alert]:
    out: list[Alert] = []
    a = ctx.account
    if a.no_checks:
        out.append(Alert("no_checks", "stop", "NO CHECKS: cash, money order or card only."))
    if a.status == "closed":
        out.append(Alert("closed", "warn", f"Account closed{' on ' + a.closed_on if a.closed_on else ''}."))
    elif a.status in ("pending", "inactive"):
        out.append(Alert(a.status, "info", f"Account is {a.status}."))
    if ctx.balance_cents < 0:
        out.append(Alert("credit", "info", f"Credit balance of {format_money(-ctx.balance_cents)}."))
    if ctx.aging.past_60 > 0:
        out.append(Alert("delinquent", "warn",
                         f"Delinquent: {format_money(ctx.aging.past_60)} unpaid 60+ days."))
    elif ctx.aging.days_30 > 0:
        out.append(Alert("past_due", "info",
                         f"Past due: {format_money(ctx.aging.days_30)} unpaid 30+ days."))
    return out


_manifest_rules: list[AlertRule] = []


def _core_rules_and_manifests() -> list[AlertRule]:
    """The core rule, then every loaded counter manifest's rules (resolved once, in order)."""
    if not _manifest_rules:
        from clerk_tui.counters import registry
        from clerk_tui.counters.manifest import resolve

        found = [_core_alerts] + [resolve(spec) for spec in registry().alert_rules]
        if not _manifest_rules:
            _manifest_rules.extend(found)
    return list(_manifest_rules)


def _alerts(db: Database, ctx: AlertContext) -> list[Alert]:
    out: list[Alert] = []
    for rule in _core_rules_and_manifests() + _ALERT_RULES:
        out.extend(rule(db, ctx))
    order = {"stop": 0, "warn": 1, "info": 2}
    return sorted(out, key=lambda al: order.get(al.level, 3))


# ---- the account view --------------------------------------------------------------------------
def load_account(db: Database, account_id: int, *, page_size: int = 20, bills: int = 13,
                 notes: int = 20) -> AccountView:
    """Everything the account screen shows, from one read of the ledger."""
    account = get_account(db, account_id)
    entries = _entries(db, account_id)
    balance = sum(e["amount_cents"] for e in entries)
    aging = compute_aging([(e["business_date"], e["amount_cents"]) for e in entries
                           if e["amount_cents"] > 0], balance)
    reversed_ids = {e["reverses_entry_id"] for e in entries if e["reverses_entry_id"]}
    last = None
    for e in reversed(entries):
        if (e["amount_cents"] < 0 and e["id"] not in reversed_ids
                and (e["kind"] in PAYMENT_KINDS or e["receipt_id"] is not None)
                and not e["reverses_entry_id"]):
            last = Payment(e["business_date"], -e["amount_cents"], e["receipt_number"],
                           e["journal_id"])
            break
    lines = _lines(entries)
    history = LedgerPage(lines[:page_size], 0, page_size, len(lines))
    ctx = AlertContext(account, balance, aging, last)
    return AccountView(account, balance, aging, last, history, list_bills(db, account_id, bills),
                       list_notes(db, account_id, notes), _alerts(db, ctx))


# ---- changes -----------------------------------------------------------------------------------
def add_note(db: Database, actor: Actor, account_id: int, text: str) -> Note:
    """Append a note (notes are append-only: a correction is another note), audited."""
    authority().require(actor, "account.note", what="add account notes")
    body = clean_text(text, field="Note", max_len=1000, required=True, multiline=True)
    with db.write():
        account = get_account(db, account_id)
        at = clock.stamp()
        note_id = db.insert("account_notes", {"account_id": account_id, "at": at,
                                              "clerk": actor.username, "text": body})
        audit.record(db, actor, "account.note", f"account:{account.number}",
                     after={"note_id": note_id, "text": body})
    return Note(note_id, at, actor.username, body)


def _clean_phone(phone: str | None) -> str | None:
    p = clean_text(phone or "", field="Phone", max_len=24)
    if not p:
        return None
    digits = sum(ch.isdigit() for ch in p)
    if not 7 <= digits <= 15 or any(not (ch.isdigit() or ch in " ()+-.x") for ch in p):
        raise ValidationError(f"{p!r} is not a phone number (digits, spaces, ( ) - + only).")
    return p


def _clean_email(email: str | None) -> str | None:
    e = clean_text(email or "", field="Email", max_len=120)
    if not e:
        return None
    local, _, domain = e.partition("@")
    if not local or "." not in domain or " " in e:
        raise ValidationError(f"{e!r} is not an email address.")
    return e


def open_account(db: Database, actor: Actor, *, name: str, service_address: str,
                 phone: str | None = None, email: str | None = None,
                 mailing_address: str | None = None, service_city: str = "",
                 service_zip: str = "", rate_class: str = "residential",
                 services: str = "water,sewer,refuse", cycle: int = 1,
                 customer_id: int | None = None, opened_on: str | None = None,
                 override: Override | None = None) -> Account:
    """Create a customer (or reuse `customer_id`) and a new account with a fresh number.

    The number is the next 7-digit base after the highest in use, plus its Luhn check digit,
    chosen inside the same BEGIN IMMEDIATE as the insert so two clerks cannot take the same one.
    """
    authority().require(actor, "account.open", override=override, what="open an account")
    service_address = clean_text(service_address, field="Service address", max_len=120,
                                 required=True)
    service_city = clean_text(service_city, field="City", max_len=60)
    service_zip = clean_text(service_zip, field="ZIP", max_len=10)
    rate_class = clean_text(rate_class, field="Rate class", max_len=30, required=True)
    services = ",".join(s.strip() for s in services.split(",") if s.strip())
    if not services:
        raise ValidationError("An account needs at least one service.")
    if not 1 <= int(cycle) <= 31:
        raise ValidationError("Billing cycle must be between 1 and 31.")
    if customer_id is None:
        name = clean_text(name, field="Customer name", max_len=80, required=True)
        phone = _clean_phone(phone)
        email = _clean_email(email)
        mailing_address = clean_text(mailing_address or "", field="Mailing address",
                                     max_len=200, multiline=True) or None
    opened = opened_on or clock.today().isoformat()
    with db.write():
        if customer_id is None:
            customer_id = db.insert("customers", {
                "name": name, "phone": phone, "email": email,
                "mailing_address": mailing_address, "created_at": clock.stamp()})
        elif not db.scalar("SELECT 1 FROM customers WHERE id = ?", [customer_id]):
            raise NotFound(f"No customer with id {customer_id}.")
        top = db.scalar("SELECT max(number) FROM accounts")
        base = int(top[:7]) + 1 if top else FIRST_ACCOUNT_BASE
        try:
            account_id = db.insert("accounts", {
                "number": account_numbers.make_number(base), "customer_id": customer_id,
                "service_address": service_address, "service_city": service_city,
                "service_zip": service_zip, "rate_class": rate_class, "services": services,
                "cycle": int(cycle), "opened_on": opened})
        except IntegrityError as e:  # pragma: no cover - guarded by the lock above
            raise ValidationError(f"Could not open the account: {e}") from None
        account = get_account(db, account_id)
        audit.record(db, actor, "account.open", f"account:{account.number}",
                     after={"number": account.number, "customer_id": customer_id,
                            "name": account.customer_name,
                            "service_address": service_address, "services": services})
    return account
