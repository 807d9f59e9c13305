"""US currency and coin as a drawer is counted: loose coin, rolled coin, bills.

A count is entered as quantities per denomination (never as a total) so the count itself can be
checked and reprinted, and so the deposit slip can split currency from coin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from clerk_tui.domain import money
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.text import refuse_card_number


@dataclass(frozen=True)
class Denomination:
    code: str
    label: str
    unit_cents: int
    coin: bool


DENOMINATIONS: tuple[Denomination, ...] = (
    Denomination("pennies", "Pennies", 1, True),
    Denomination("nickels", "Nickels", 5, True),
    Denomination("dimes", "Dimes", 10, True),
    Denomination("quarters", "Quarters", 25, True),
    Denomination("halves", "Half dollars", 50, True),
    Denomination("dollar_coins", "Dollar coins", 100, True),
    Denomination("penny_rolls", "Rolled pennies ($0.50)", 50, True),
    Denomination("nickel_rolls", "Rolled nickels ($2)", 200, True),
    Denomination("dime_rolls", "Rolled dimes ($5)", 500, True),
    Denomination("quarter_rolls", "Rolled quarters ($10)", 1000, True),
    Denomination("ones", "$1 bills", 100, False),
    Denomination("twos", "$2 bills", 200, False),
    Denomination("fives", "$5 bills", 500, False),
    Denomination("tens", "$10 bills", 1000, False),
    Denomination("twenties", "$20 bills", 2000, False),
    Denomination("fifties", "$50 bills", 5000, False),
    Denomination("hundreds", "$100 bills", 10000, False),
)
BY_CODE = {d.code: d for d in DENOMINATIONS}


@dataclass(frozen=True)
class CountedItem:
    """A check or money order found in the drawer, listed by number."""

    number: str
    amount_cents: int


@dataclass(frozen=True)
class DrawerCount:
    """What the clerk counted: quantities by denomination, plus checks and money orders."""

    denominations: Mapping[str, int] = field(default_factory=dict)
    checks: Sequence[CountedItem] = ()
    money_orders: Sequence[CountedItem] = ()

    def validate(self) -> None:
        for code, qty in self.denominations.items():
            if code not in BY_CODE:
                raise ValidationError(f"Unknown denomination {code!r}.")
            if not isinstance(qty, int) or isinstance(qty, bool) or qty < 0 or qty > 100_000:
                raise ValidationError(f"{BY_CODE[code].label}: enter a count from 0 up.")
        for label, items in (("Check", self.checks), ("Money order", self.money_orders)):
            for it in items:
                if not (it.number or "").strip():
                    raise ValidationError(f"{label}: enter its number.")
                refuse_card_number(it.number, field=f"{label} number")
                if not isinstance(it.amount_cents, int) or isinstance(it.amount_cents, bool):
                    raise ValidationError(f"{label} {it.number}: enter its amount.")
                money.check_cents(it.amount_cents, f"{label} {it.number.strip()}")
                if it.amount_cents <= 0:
                    raise ValidationError(f"{label} {it.number}: enter its amount.")
        for what, cents in (("The cash counted", self.cash_cents),
                            ("The checks counted", self.check_cents),
                            ("The money orders counted", self.money_order_cents),
                            ("The drawer count", self.cash_cents + self.check_cents
                             + self.money_order_cents)):
            money.check_cents(cents, what)

    def _sum(self, coin: bool) -> int:
        return sum(BY_CODE[c].unit_cents * q for c, q in self.denominations.items()
                   if BY_CODE[c].coin is coin)

    @property
    def coin_cents(self) -> int:
        return self._sum(True)

    @property
    def currency_cents(self) -> int:
        return self._sum(False)

    @property
    def cash_cents(self) -> int:
        return self.coin_cents + self.currency_cents

    @property
    def check_cents(self) -> int:
        return sum(i.amount_cents for i in self.checks)

    @property
    def money_order_cents(self) -> int:
        return sum(i.amount_cents for i in self.money_orders)


def make_change(cents: int) -> dict[str, int]:
    """A plain count adding up to `cents` (largest bills first): the default opening bank."""
    out: dict[str, int] = {}
    left = cents
    for d in sorted((d for d in DENOMINATIONS if "rolls" not in d.code and d.code not in
                     ("halves", "dollar_coins", "twos")), key=lambda d: -d.unit_cents):
        q, left = divmod(left, d.unit_cents)
        if q:
            out[d.code] = q
    return out
