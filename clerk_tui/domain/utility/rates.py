"""Utility rules as data: rate tables and service-desk rules, effective-dated.

`data/utility/rates.toml` holds the water/sewer/refuse rates, bill due days, the late-fee rule
and assistance discounts; `data/utility/service.toml` the read-review, deposit and new-service
rules. Every section is a list of rows with an `effective` date and a lookup picks the row with
the latest `effective` on or before the day asked about, so a city changes a rate by adding a
row, never by editing history (bills before the change still price the old way).

Charges are computed here as plain functions of (HCF, meter size, rate class) so the billing
run, the final bill at close and the tests all price a bill the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import parse_money
from clerk_tui.paths import reference_data_dir

SERVICES = ("water", "sewer", "refuse")


def _date(value: object, where: str) -> dt.date:
    return rulefile.effective_date(value, where)


def _cents(value: object, where: str) -> int:
    try:
        return parse_money(str(value))
    except ValidationError as e:
        raise ValidationError(f"{where}: {e}") from None


def _as_date(on: dt.date | str) -> dt.date:
    return on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on)[:10])


def _pick(rows: list[dict[str, Any]], on: dt.date | str, what: str) -> dict[str, Any]:
    day = _as_date(on)
    found = rulefile.effective(rows, day, lambda r: r["_effective"])
    if found is None:
        raise ValidationError(f"No {what} in effect on {day.isoformat()} (check data/utility).")
    return found


def _load(name: str) -> dict[str, Any]:
    path = reference_data_dir() / "utility" / name
    raw = rulefile.load_rules(path)
    for section, rows in raw.items():
        if section == "discounts":
            for program, prows in rows.items():
                for i, r in enumerate(prows):
                    r["_effective"] = _date(r.get("effective"), f"{path}: discounts.{program}[{i}]")
            continue
        if not isinstance(rows, list):
            raise ValidationError(f"{path}: [{section}] must be a list of [[{section}]] rows.")
        for i, r in enumerate(rows):
            r["_effective"] = _date(r.get("effective"), f"{path}: {section}[{i}]")
    return raw


@cache
def _rates_raw() -> dict[str, Any]:
    return _load("rates.toml")


@cache
def _service_raw() -> dict[str, Any]:
    return _load("service.toml")


def reload() -> None:
    """Forget the cached files (tests that edit data, a city that edits rates mid-day)."""
    _rates_raw.cache_clear()
    _service_raw.cache_clear()


# ---- rate tables -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tier:
    up_to: int | None  # last HCF of the tier (None: no top)
    rate_cents: int


@dataclass(frozen=True)
class WaterRate:
    effective: dt.date
    base_cents: dict[str, int]
    tiers: tuple[Tier, ...]
    fund: str
    gl_code: str


@dataclass(frozen=True)
class SewerRate:
    effective: dt.date
    fixed_cents: dict[str, int]
    per_hcf_cents: dict[str, int]
    cap_hcf: dict[str, int]
    fund: str
    gl_code: str


@dataclass(frozen=True)
class RefuseRate:
    effective: dt.date
    flat_cents: dict[str, int]
    fund: str
    gl_code: str


@dataclass(frozen=True)
class LateFeeRule:
    effective: dt.date
    percent: int
    minimum_cents: int
    min_past_due_cents: int
    max_days_past_due: int
    exempt_payment_plan: bool
    fund: str
    gl_code: str


@dataclass(frozen=True)
class Discount:
    program: str
    label: str
    percent: int
    services: tuple[str, ...]


def water_rate(on: dt.date | str) -> WaterRate:
    r = _pick(_rates_raw().get("water", []), on, "water rate")
    where = f"rates.toml water {r['_effective']}"
    tiers = []
    for t in r["tiers"]:
        tiers.append(Tier(int(t["up_to"]) if "up_to" in t else None, _cents(t["rate"], where)))
    if any(t.up_to is None for t in tiers[:-1]) or tiers[-1].up_to is not None:
        raise ValidationError(f"{where}: only the last tier has no up_to.")
    return WaterRate(r["_effective"], {k: _cents(v, where) for k, v in r["base"].items()},
                     tuple(tiers), r.get("fund", "water"), r["gl_code"])


def sewer_rate(on: dt.date | str) -> SewerRate:
    r = _pick(_rates_raw().get("sewer", []), on, "sewer rate")
    where = f"rates.toml sewer {r['_effective']}"
    return SewerRate(r["_effective"], {k: _cents(v, where) for k, v in r["fixed"].items()},
                     {k: _cents(v, where) for k, v in r["per_hcf"].items()},
                     {k: int(v) for k, v in r["cap_hcf"].items()},
                     r.get("fund", "sewer"), r["gl_code"])


def refuse_rate(on: dt.date | str) -> RefuseRate:
    r = _pick(_rates_raw().get("refuse", []), on, "refuse rate")
    where = f"rates.toml refuse {r['_effective']}"
    return RefuseRate(r["_effective"], {k: _cents(v, where) for k, v in r["flat"].items()},
                      r.get("fund", "refuse"), r["gl_code"])


def due_days(on: dt.date | str) -> int:
    return int(_pick(_rates_raw().get("billing", []), on, "billing rule")["due_days"])


def late_fee_rule(on: dt.date | str) -> LateFeeRule:
    r = _pick(_rates_raw().get("late_fee", []), on, "late-fee rule")
    where = f"rates.toml late_fee {r['_effective']}"
    return LateFeeRule(r["_effective"], int(r["percent"]), _cents(r["minimum"], where),
                       _cents(r.get("min_past_due", "0.00"), where),
                       int(r.get("max_days_past_due", 30)),
                       bool(r.get("exempt_payment_plan", True)), r.get("fund", "water"),
                       r["gl_code"])


def discount(program: str, on: dt.date | str) -> Discount | None:
    """The bill discount of an assistance programme on a day, or None (no discount)."""
    rows = _rates_raw().get("discounts", {}).get(program)
    if not rows:
        return None
    try:
        r = _pick(rows, on, f"{program} discount")
    except ValidationError:
        return None
    if int(r.get("percent", 0)) <= 0:
        return None
    return Discount(program, str(r.get("label", program)), int(r["percent"]),
                    tuple(r.get("services", ["water", "sewer"])))


# ---- charges -----------------------------------------------------------------------------------
def water_charge(hcf: int, size: str, on: dt.date | str) -> int:
    """Base charge for the meter size plus each HCF at its tier's rate."""
    rate = water_rate(on)
    if size not in rate.base_cents:
        raise ValidationError(f"No water base charge for a {size} meter on {_as_date(on)}.")
    return rate.base_cents[size] + tier_cost(hcf, rate.tiers)


def tier_cost(units: int, tiers: tuple[Tier, ...]) -> int:
    """Cents for `units` HCF through the water tiers, volume only (the base charge for the
    meter size does not change with use): the bill and the leak adjustment price use alike."""
    cents, floor = 0, 0
    for tier in tiers:
        top = units if tier.up_to is None else min(units, tier.up_to)
        if top > floor:
            cents += (top - floor) * tier.rate_cents
        if tier.up_to is None or units <= tier.up_to:
            break
        floor = tier.up_to
    return cents


def sewer_charge(hcf: int, rate_class: str, on: dt.date | str) -> int:
    """Fixed charge plus HCF up to the class's cap; 0 for a class with no sewer rate."""
    rate = sewer_rate(on)
    if rate_class not in rate.fixed_cents:
        return 0
    billed = min(hcf, rate.cap_hcf.get(rate_class, hcf))
    return rate.fixed_cents[rate_class] + billed * rate.per_hcf_cents.get(rate_class, 0)


def refuse_charge(rate_class: str, on: dt.date | str) -> int:
    return refuse_rate(on).flat_cents.get(rate_class, 0)


@dataclass(frozen=True)
class Charge:
    service: str  # water | sewer | refuse | discount
    description: str
    amount_cents: int
    fund: str
    gl_code: str


def charges(hcf: int, size: str, rate_class: str, services: tuple[str, ...] | list[str],
            on: dt.date | str, programs: tuple[str, ...] = ()) -> list[Charge]:
    """A bill's charges for `hcf` used up to `on`, with assistance discounts as negative lines.

    A discount line carries the fund and GL of the service it reduces, so revenue by fund stays
    right; several programmes do not stack beyond the largest percent per service.
    """
    out: list[Charge] = []
    if "water" in services:
        w = water_rate(on)
        out.append(Charge("water", f"Water {hcf} HCF", water_charge(hcf, size, on), w.fund,
                          w.gl_code))
    if "sewer" in services:
        s = sewer_rate(on)
        cents = sewer_charge(hcf, rate_class, on)
        if cents:
            out.append(Charge("sewer", "Sewer", cents, s.fund, s.gl_code))
    if "refuse" in services:
        r = refuse_rate(on)
        cents = refuse_charge(rate_class, on)
        if cents:
            out.append(Charge("refuse", "Refuse", cents, r.fund, r.gl_code))
    best: dict[str, Discount] = {}
    for program in programs:
        d = discount(program, on)
        if d is None:
            continue
        for svc in d.services:
            if svc not in best or d.percent > best[svc].percent:
                best[svc] = d
    for c in list(out):
        d = best.get(c.service)
        if d:
            cut = c.amount_cents * d.percent // 100
            if cut:
                out.append(Charge("discount", f"{d.label} ({c.service})", -cut, c.fund,
                                  c.gl_code))
    return out


# ---- service-desk rules ------------------------------------------------------------------------
@dataclass(frozen=True)
class ReadRule:
    rollover: int
    rollover_max_hcf: int
    high_factor: Decimal
    """Exact (from the file's text), so a use right at the limit is judged the same way on
    every machine."""
    history: int
    min_history: int
    high_minimum_hcf: int


@dataclass(frozen=True)
class DepositRule:
    amounts_cents: dict[str, int]
    always_required: tuple[str, ...]
    required_if: tuple[str, ...]
    lookback_months: int
    refund_after_on_time_bills: int
    fund: str
    gl_code: str


@dataclass(frozen=True)
class ServiceRule:
    rate_classes: tuple[str, ...]
    services: tuple[str, ...]
    meter_sizes: tuple[str, ...]
    cycles: tuple[int, ...]


def read_rule(on: dt.date | str) -> ReadRule:
    r = _pick(_service_raw().get("reads", []), on, "meter-read rule")
    try:
        factor = Decimal(str(r["high_factor"]))
    except InvalidOperation:
        raise ValidationError(f"reads.high_factor {r['high_factor']!r} is not a number.") from None
    if not factor.is_finite() or factor <= 1:
        raise ValidationError(f"reads.high_factor must be a number above 1, not {factor}.")
    return ReadRule(int(r["rollover"]), int(r["rollover_max_hcf"]), factor,
                    int(r["history"]), int(r.get("min_history", 1)), int(r["high_minimum_hcf"]))


def deposit_rule(on: dt.date | str) -> DepositRule:
    r = _pick(_service_raw().get("deposits", []), on, "deposit rule")
    where = f"service.toml deposits {r['_effective']}"
    return DepositRule({k: _cents(v, where) for k, v in r["amounts"].items()},
                       tuple(r.get("always_required", [])), tuple(r.get("required_if", [])),
                       int(r.get("lookback_months", 24)),
                       int(r.get("refund_after_on_time_bills", 12)), r.get("fund", "water"),
                       r["gl_code"])


def service_rule(on: dt.date | str) -> ServiceRule:
    r = _pick(_service_raw().get("service", []), on, "new-service rule")
    return ServiceRule(tuple(r["rate_classes"]), tuple(r["services"]), tuple(r["meter_sizes"]),
                       tuple(int(c) for c in r["cycles"]))
