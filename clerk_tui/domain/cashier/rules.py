"""Cashier rules read from `data/cashier.toml` and `data/reason_codes.toml`.

Over-tender limits, the GL codes on the other side of drawer movements and the void/reversal
reason codes are the city's to change, so they live in files, not in code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import parse_money
from clerk_tui.paths import reference_data_dir

NON_CASH = ("check", "money_order", "card")
GL_KEYS = ("paid_in", "paid_out", "pickup", "bank_deposit", "returned_items", "refunds_payable",
           "suspense", "card_settlement", "over_short_fund", "over_short")


@dataclass(frozen=True)
class CashierRules:
    over_tender_limits: dict[str, int]
    account_fund: str
    account_gl: str
    gl: dict[str, str]
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)

    def reason_codes(self, kind: str) -> dict[str, str]:
        """Codes and descriptions for a picker ('void' or 'reversal')."""
        return dict(self.reasons.get(kind, {}))

    def reason(self, kind: str, code: str) -> str:
        """Validate a reason code for `kind` ('void' or 'reversal'); returns its description."""
        codes = self.reasons.get(kind, {})
        c = (code or "").strip().upper()
        if c not in codes:
            listed = ", ".join(sorted(codes)) or "none configured"
            raise ValidationError(f"Pick a {kind} reason code ({listed}).")
        return codes[c]


def _read(path: Path) -> dict:
    return rulefile.load_rules(path)


def load_rules(folder: Path | None = None) -> CashierRules:
    folder = folder or reference_data_dir()
    raw = _read(folder / "cashier.toml")
    reasons_raw = _read(folder / "reason_codes.toml")
    limits = {}
    for kind in NON_CASH:
        value = raw.get("tenders", {}).get(kind, {}).get("over_tender_limit", "0.00")
        limits[kind] = parse_money(str(value))
    gl = {k: str(v) for k, v in raw.get("gl", {}).items()}
    missing = [k for k in GL_KEYS if k not in gl]
    if missing:
        raise ValidationError(f"{folder / 'cashier.toml'}: [gl] is missing {', '.join(missing)}.")
    acct = raw.get("items", {}).get("account", {})
    reasons = {kind: {str(k).upper(): str(v) for k, v in table.items()}
               for kind, table in reasons_raw.items() if isinstance(table, dict)}
    return CashierRules(limits, str(acct.get("fund", "")), str(acct.get("gl_code", "")), gl,
                        reasons)


@functools.cache
def rules() -> CashierRules:
    """The rules in force (loaded once per process)."""
    return load_rules()
