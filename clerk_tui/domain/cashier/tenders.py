"""Tenders: how a sale is paid, split across cash, checks, money orders and cards.

Pure arithmetic and validation, no database: the payment posts whatever `plan()` returns, so
every rule about change and over-tender lives here and is tested exhaustively. Non-cash tenders
are applied first (a check cannot be "broken" into change), cash last; only cash gives change,
and a non-cash tender over the total is refused unless `data/cashier.toml` allows it up to a
limit (the excess then comes back as cash). Card tenders keep the last four digits and the
external terminal's authorisation code only: a full card number is never accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clerk_tui.domain import ledger
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import check_cents, format_money
from clerk_tui.domain.text import card_number_message, find_card_number

KINDS = ("cash", "check", "money_order", "card")
LABELS = {"cash": "Cash", "check": "Check", "money_order": "Money order", "card": "Card"}
DRAWER_KINDS = ("cash", "check", "money_order")  # what physically goes into the drawer

_CHECK_NO = re.compile(r"^\d{1,10}$")
_MO_NO = re.compile(r"^[A-Za-z0-9-]{1,24}$")
_LAST4 = re.compile(r"^\d{4}$")
_AUTH = re.compile(r"^[A-Za-z0-9]{1,12}$")
_LONG_DIGITS = re.compile(r"\d[\d\s-]{11,}\d")
_NUMBER_LABELS = {"check": "Check number", "money_order": "Money order serial"}


@dataclass(frozen=True)
class Tender:
    """One tender as the clerk entered it; `amount_cents` is what the customer handed over."""

    kind: str
    amount_cents: int
    number: str = ""
    card_last4: str = ""
    auth_code: str = ""


@dataclass(frozen=True)
class TenderLine:
    kind: str
    tendered_cents: int
    applied_cents: int
    number: str | None = None
    card_last4: str | None = None
    auth_code: str | None = None


@dataclass(frozen=True)
class TenderPlan:
    total_cents: int
    tendered_cents: int
    change_cents: int
    lines: tuple[TenderLine, ...]

    @property
    def opens_drawer(self) -> bool:
        """Cash, a check or a money order goes in (or change comes out): kick the drawer."""
        return self.change_cents > 0 or any(t.kind in DRAWER_KINDS for t in self.lines)

    def drawer_entries(self, drawer_session_id: int) -> list[ledger.Entry]:
        """Drawer side of the receipt: each non-cash tender in full, cash net of all change."""
        out = []
        for t in self.lines:
            if t.kind != "cash":
                out.append(ledger.Entry(book="drawer", kind=f"tender.{t.kind}",
                                        amount_cents=t.tendered_cents,
                                        drawer_session_id=drawer_session_id, tender=t.kind,
                                        memo=t.number or t.card_last4 or ""))
        cash = sum(t.tendered_cents for t in self.lines if t.kind == "cash") - self.change_cents
        if cash:
            out.append(ledger.Entry(book="drawer", kind="tender.cash", amount_cents=cash,
                                    drawer_session_id=drawer_session_id, tender="cash"))
        return out


def looks_like_card_number(text: str) -> bool:
    """A card number by the rule every free-text field uses (`text.find_card_number`), or
    12+ digits in a row (spaces/dashes allowed): no tender number is that long, so in a tender
    field even a number that fails the card check is refused rather than stored."""
    return bool(_LONG_DIGITS.search(text or "")) or find_card_number(text or "") is not None


def clean_tender(t: Tender) -> Tender:
    """Validate one tender's fields for its kind; returns it with numbers trimmed."""
    if t.kind not in KINDS:
        raise ValidationError(f"Unknown tender {t.kind!r}.")
    if not isinstance(t.amount_cents, int) or isinstance(t.amount_cents, bool):
        raise ValidationError("Tender amounts are whole cents.")
    label = LABELS[t.kind]
    if t.amount_cents <= 0:
        raise ValidationError(f"{label}: the amount must be more than $0.00.")
    check_cents(t.amount_cents, f"{label} tendered")
    number, last4, auth = (t.number or "").strip(), (t.card_last4 or "").strip(), \
        (t.auth_code or "").strip()
    if sum(ch.isdigit() for ch in last4) > 4:
        raise ValidationError("Card: the last 4 field takes the last four digits only, never "
                              "more: a longer number looks like a card number; never type a "
                              "full card number.")
    for value, what in ((number, _NUMBER_LABELS.get(t.kind, "Number")), (last4, "Card last 4"),
                        (auth, "Approval code")):
        if looks_like_card_number(value):
            raise ValidationError(card_number_message(what))
    if t.kind == "cash":
        if number or last4 or auth:
            raise ValidationError("Cash takes no number.")
    elif t.kind == "check":
        if not _CHECK_NO.match(number):
            raise ValidationError("Check: enter the check number (digits).")
    elif t.kind == "money_order":
        if not _MO_NO.match(number):
            raise ValidationError("Money order: enter its serial number.")
    elif t.kind == "card":
        if not _LAST4.match(last4):
            raise ValidationError("Card: enter the last four digits of the card, nothing more.")
        if not _AUTH.match(auth):
            raise ValidationError("Card: enter the approval code from the card terminal.")
        if number:
            raise ValidationError("Card: only the last four digits and approval code are kept.")
    return Tender(t.kind, t.amount_cents, number, last4, auth.upper())


def plan(total_cents: int, tenders: Sequence[Tender], *,
         over_tender_limits: Mapping[str, int] | None = None, no_checks: bool = False,
         allowed: Sequence[str] = ()) -> TenderPlan:
    """Split `total_cents` across the tenders and work out the change, or refuse.

    `no_checks` refuses checks (an account flagged after a returned check); `allowed`, when
    not empty, is the only tenders the items accept (State Dept. passport fees: check or money
    order). `over_tender_limits` is how far each non-cash kind may exceed what is left to pay.
    """
    check_cents(total_cents, "The sale total")
    if total_cents <= 0:
        raise ValidationError("There is nothing to pay.")
    if not tenders:
        raise ValidationError("Enter how the customer is paying.")
    limits = dict(over_tender_limits or {})
    cleaned = [clean_tender(t) for t in tenders]
    for t in cleaned:
        if t.kind == "check" and no_checks:
            raise ValidationError("This account takes no checks (a check was returned unpaid): "
                                  "ask for cash, a money order or a card.")
        if allowed and t.kind not in allowed:
            raise ValidationError(f"{LABELS[t.kind]} is not accepted for this item "
                                  f"(only {', '.join(LABELS[k].lower() for k in allowed)}).")
    tendered = check_cents(sum(t.amount_cents for t in cleaned), "The amount tendered")
    if tendered < total_cents:
        raise ValidationError(f"{format_money(total_cents - tendered)} is still due.")
    remaining = total_cents
    applied: dict[int, int] = {}
    for i, t in enumerate(cleaned):
        if t.kind == "cash":
            continue
        use = min(t.amount_cents, remaining)
        excess = t.amount_cents - use
        if excess > limits.get(t.kind, 0):
            raise ValidationError(
                f"{LABELS[t.kind]} for {format_money(t.amount_cents)} is more than the "
                f"{format_money(remaining)} left to pay; a {LABELS[t.kind].lower()} cannot be "
                "over-tendered. Enter it for the amount due.")
        applied[i] = use
        remaining -= use
    for i, t in enumerate(cleaned):
        if t.kind == "cash":
            applied[i] = min(t.amount_cents, remaining)
            remaining -= applied[i]
    lines = tuple(
        TenderLine(t.kind, t.amount_cents, applied[i], t.number or None, t.card_last4 or None,
                   t.auth_code or None)
        for i, t in enumerate(cleaned))
    return TenderPlan(total_cents, tendered, tendered - total_cents, lines)
