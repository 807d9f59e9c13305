"""The licenses counter's rules: `data/licenses/*.toml`, effective-dated, read once per process.

Why data: the tax schedule, the CASp fee and its split, the penalty, who reviews what and the
BID formula are set by ordinance, statute and council resolution and change without a release.
Every row names its `source`; a bad row refuses the whole file with its file and row number.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.rules import effective, effective_date, load_rules, money_field, row_errors
from clerk_tui.paths import reference_data_dir

BASES = ("flat", "per_employee", "gross_receipts")
LOCATIONS = ("in_city", "out_of_town", "home")
PRORATIONS = ("quarter", "month", "none")


@dataclass(frozen=True)
class General:
    """City-wide numbers in force from `effective`."""

    effective: dt.date
    due_months: int
    penalty_percent: int
    penalty_cap_percent: int
    out_of_town_multiplier: int
    minimum_tax_cents: int
    proration: str
    casp_fee_cents: int
    casp_city_percent: int
    duplicate_fee_cents: int
    home_occupation_fee_cents: int
    tax_fund: str
    casp_city_fund: str
    casp_city_gl: str
    casp_state_fund: str
    casp_state_gl: str
    penalty_fund: str
    penalty_gl: str
    duplicate_gl: str
    home_occupation_gl: str
    source: str


@dataclass(frozen=True)
class LicenseClass:
    code: str
    name: str
    base: str
    amount_cents: int
    per_employee_cents: int
    brackets: tuple[tuple[int, int], ...]
    """(up to receipts in cents, tax in cents), ascending."""
    rate_above_per_1000_cents: int
    departments: tuple[str, ...]
    contractor_license: bool
    gl_code: str
    effective: dt.date
    source: str


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    permission: str


@dataclass(frozen=True)
class Route:
    classes: tuple[str, ...]
    location: str
    departments: tuple[str, ...]
    note: str
    effective: dt.date
    source: str


@dataclass(frozen=True)
class BidZone:
    code: str
    name: str
    payee: str
    streets: tuple[tuple[str, int, int], ...]
    percent_of_tax: int
    minimum_cents: int
    maximum_cents: int
    fund: str
    gl_code: str
    effective: dt.date
    source: str
    payable_gl: str = ""


@dataclass(frozen=True)
class EventRules:
    effective: dt.date
    fee_per_day_cents: int
    deposit_cents: int
    signoffs: tuple[str, ...]
    police_attendance: int
    fee_fund: str
    fee_gl: str
    deposit_fund: str
    deposit_gl: str
    source: str
    forfeit_gl: str = ""
    closeout: str = "planning"


@dataclass(frozen=True)
class LicenseRules:
    general: tuple[General, ...]
    classes: tuple[LicenseClass, ...]
    departments: tuple[Department, ...]
    routes: tuple[Route, ...]
    zones: tuple[BidZone, ...]
    events: tuple[EventRules, ...]

    def general_on(self, on: dt.date) -> General:
        g = effective(self.general, on)
        if g is None:
            raise NotFound(f"No business license rules in force on {on}.")
        return g

    def class_on(self, code: str, on: dt.date) -> LicenseClass:
        c = effective([c for c in self.classes if c.code == code.strip()], on)
        if c is None:
            raise NotFound(f"No business class {code.strip()!r} on {on}.")
        return c

    def classes_on(self, on: dt.date) -> list[LicenseClass]:
        codes: list[str] = []
        for c in self.classes:
            if c.effective <= on and c.code not in codes:
                codes.append(c.code)
        return [self.class_on(code, on) for code in codes]

    def department(self, code: str) -> Department:
        for d in self.departments:
            if d.code == code:
                return d
        raise NotFound(f"No department {code!r}.")

    def zones_on(self, on: dt.date) -> list[BidZone]:
        codes = sorted({z.code for z in self.zones if z.effective <= on})
        out = [effective([z for z in self.zones if z.code == c], on) for c in codes]
        return [z for z in out if z is not None]

    def zone_on(self, code: str, on: dt.date) -> BidZone:
        z = effective([z for z in self.zones if z.code == code], on)
        if z is None:
            raise NotFound(f"No BID zone {code!r} on {on}.")
        return z

    def events_on(self, on: dt.date) -> EventRules:
        e = effective(self.events, on)
        if e is None:
            raise NotFound(f"No special-event rules in force on {on}.")
        return e


def _percent(value: object, where: str, what: str, top: int = 1000) -> int:
    n = int(value)  # type: ignore[call-overload]
    if not 0 <= n <= top:
        raise ValidationError(f"{where}: {what} must be 0 to {top}.")
    return n


def _general(raw: dict, where: str) -> General:
    with row_errors(where):
        g = General(
            effective_date(raw["effective"], where), int(raw["due_months"]),
            _percent(raw["penalty_percent"], where, "penalty_percent", 100),
            _percent(raw["penalty_cap_percent"], where, "penalty_cap_percent", 100),
            _percent(raw["out_of_town_multiplier"], where, "out_of_town_multiplier"),
            money_field(raw["minimum_tax"], where), str(raw["proration"]),
            money_field(raw["casp_fee"], where),
            _percent(raw["casp_city_percent"], where, "casp_city_percent", 100),
            money_field(raw["duplicate_fee"], where),
            money_field(raw["home_occupation_fee"], where),
            str(raw["tax_fund"]), str(raw["casp_city_fund"]), str(raw["casp_city_gl"]),
            str(raw["casp_state_fund"]), str(raw["casp_state_gl"]), str(raw["penalty_fund"]),
            str(raw["penalty_gl"]), str(raw["duplicate_gl"]), str(raw["home_occupation_gl"]),
            str(raw["source"]).strip())
    if g.proration not in PRORATIONS:
        raise ValidationError(f"{where}: proration must be one of {', '.join(PRORATIONS)}.")
    if not 0 <= g.due_months <= 12:
        raise ValidationError(f"{where}: due_months must be 0 to 12.")
    if not g.source:
        raise ValidationError(f"{where}: source is required.")
    return g


def _class(raw: dict, where: str, departments: set[str]) -> LicenseClass:
    with row_errors(where):
        base = str(raw["base"])
        if base not in BASES:
            raise ValidationError(f"{where}: base must be one of {', '.join(BASES)}.")
        brackets: list[tuple[int, int]] = []
        for pair in raw.get("brackets", []):
            up_to, tax = pair
            brackets.append((int(up_to) * 100, money_field(tax, where)))
        c = LicenseClass(
            str(raw["code"]).strip(), str(raw["name"]).strip(), base,
            money_field(raw.get("amount", "0"), where),
            money_field(raw.get("per_employee", "0"), where), tuple(brackets),
            money_field(raw.get("rate_above_per_1000", "0"), where),
            tuple(str(d) for d in raw.get("departments", [])),
            bool(raw.get("contractor_license", False)), str(raw["gl_code"]),
            effective_date(raw["effective"], where), str(raw["source"]).strip())
    if base == "gross_receipts" and not brackets:
        raise ValidationError(f"{where}: a gross_receipts class needs brackets.")
    if [b[0] for b in brackets] != sorted({b[0] for b in brackets}):
        raise ValidationError(f"{where}: brackets must rise (each up_to above the last).")
    unknown = [d for d in c.departments if d not in departments]
    if unknown:
        raise ValidationError(f"{where}: unknown department(s) {', '.join(unknown)}.")
    if not c.code or not c.name or not c.source:
        raise ValidationError(f"{where}: code, name and source are required.")
    return c


def _zone(raw: dict, where: str) -> BidZone:
    with row_errors(where):
        streets = tuple((str(s).upper().strip(), int(lo), int(hi))
                        for s, lo, hi in raw["streets"])
        return BidZone(str(raw["code"]), str(raw["name"]), str(raw["payee"]), streets,
                       _percent(raw["percent_of_tax"], where, "percent_of_tax"),
                       money_field(raw["minimum"], where), money_field(raw["maximum"], where),
                       str(raw["fund"]), str(raw["gl_code"]),
                       effective_date(raw["effective"], where), str(raw["source"]),
                       str(raw["payable_gl"]))


def load_license_rules(folder: Path | None = None) -> LicenseRules:
    """Read and check every file of `data/licenses/`; any bad row refuses the lot."""
    folder = folder or reference_data_dir() / "licenses"
    tax = load_rules(folder / "tax.toml")
    routing = load_rules(folder / "routing.toml")
    bid = load_rules(folder / "bid.toml")
    events = load_rules(folder / "events.toml")
    departments: list[Department] = []
    for n, r in enumerate(routing.get("department", []), start=1):
        with row_errors(f"{folder / 'routing.toml'}: department #{n}"):
            departments.append(Department(str(r["code"]), str(r["name"]),
                                          str(r["permission"])))
    codes = {d.code for d in departments}
    general = tuple(_general(r, f"{folder / 'tax.toml'}: general #{n}")
                    for n, r in enumerate(tax.get("general", []), start=1))
    classes = tuple(_class(r, f"{folder / 'tax.toml'}: class #{n}", codes)
                    for n, r in enumerate(tax.get("class", []), start=1))
    routes: list[Route] = []
    for n, r in enumerate(routing.get("route", []), start=1):
        where = f"{folder / 'routing.toml'}: route #{n}"
        with row_errors(where):
            route = Route(tuple(str(c) for c in r["classes"]), str(r["location"]),
                          tuple(str(d) for d in r["departments"]), str(r.get("note", "")),
                          effective_date(r["effective"], where), str(r["source"]))
        if route.location not in (*LOCATIONS, "*"):
            raise ValidationError(f"{where}: location must be one of {', '.join(LOCATIONS)} or *.")
        if any(d not in codes for d in route.departments):
            raise ValidationError(f"{where}: unknown department.")
        routes.append(route)
    zones = tuple(_zone(r, f"{folder / 'bid.toml'}: zone #{n}")
                  for n, r in enumerate(bid.get("zone", []), start=1))
    ev: list[EventRules] = []
    for n, r in enumerate(events.get("event", []), start=1):
        where = f"{folder / 'events.toml'}: event #{n}"
        with row_errors(where):
            ev.append(EventRules(effective_date(r["effective"], where),
                                 money_field(r["fee_per_day"], where),
                                 money_field(r["deposit"], where),
                                 tuple(str(s) for s in r["signoffs"]),
                                 int(r["police_attendance"]), str(r["fee_fund"]),
                                 str(r["fee_gl"]), str(r["deposit_fund"]), str(r["deposit_gl"]),
                                 str(r["source"]), str(r["forfeit_gl"]),
                                 str(r["closeout"])))
    if not general:
        raise ValidationError(f"{folder / 'tax.toml'}: no [[general]] rules.")
    return LicenseRules(general, classes, tuple(departments), tuple(routes), zones, tuple(ev))


@functools.cache
def license_rules() -> LicenseRules:
    """The rules (loaded once per process, on first use: never at start-up)."""
    return load_license_rules()
