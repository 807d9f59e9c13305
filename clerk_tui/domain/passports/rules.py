"""The passports counter's rules files (`data/passports/*.toml`), read once per process.

Why a module of its own: the State Department's fees and the city's fees are two different
kinds of money, and the only place both are priced is here, from dated rows with their sources.
`state_fee()` prices the applicant's check to the State Department (never city money);
`city_fee()` prices what the city's drawer takes (item kind `passport`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.fees import fee_schedule
from clerk_tui.paths import reference_data_dir

PRODUCTS = ("book", "card", "both")
AGES = ("adult", "minor")
EXTRAS = ("expedite", "delivery", "file_search")
CITY_FEES = ("EXEC", "PHOTO")


def data_dir() -> Path:
    return reference_data_dir() / "passports"


@dataclass(frozen=True)
class Row:
    """One dated amount: a State fee (key = product/age), a State extra or a city fee."""

    key: str
    label: str
    amount_cents: int
    effective: dt.date
    source: str
    fund: str = ""
    gl_code: str = ""


@dataclass(frozen=True)
class Rules:
    """The numbers of `rules.toml` in force on one day."""

    effective: dt.date
    minor_age: int
    ds3053_max_age_days: int
    adult_age: int
    certification_months: int
    certification_warn_days: int
    compliance_warn_days: int
    transmittal_business_days: int
    retention_days: int
    document_numbers_allowed: bool
    slot_minutes: int
    first_slot: str
    slots_per_agent_per_day: int

    def slots(self) -> list[str]:
        """The appointment times of one agent's day ("09:00", "09:30", ...)."""
        h, m = (int(x) for x in self.first_slot.split(":"))
        start = h * 60 + m
        return [f"{(start + i * self.slot_minutes) // 60:02d}:"
                f"{(start + i * self.slot_minutes) % 60:02d}"
                for i in range(self.slots_per_agent_per_day)]


@dataclass(frozen=True)
class Evidence:
    kind: str  # citizenship | identity
    code: str
    label: str
    effective: dt.date
    until: dt.date | None
    source: str


@dataclass(frozen=True)
class PassportData:
    state: tuple[Row, ...]
    extras: tuple[Row, ...]
    city: tuple[Row, ...]
    rules: tuple[Rules, ...]
    evidence: tuple[Evidence, ...]

    def rules_on(self, on: dt.date | None = None) -> Rules:
        on = on or clock.today()
        found = rulefile.effective(self.rules, on)
        if found is None:
            raise NotFound(f"No passport rules in force on {on.isoformat()}.")
        return found

    def _pick(self, rows: tuple[Row, ...], key: str, on: dt.date, what: str) -> Row:
        found = rulefile.effective((r for r in rows if r.key == key), on)
        if found is None:
            raise NotFound(f"No {what} {key} in force on {on.isoformat()}.")
        return found

    def state_row(self, product: str, age: str, on: dt.date) -> Row:
        return self._pick(self.state, f"{product}/{age}", on, "State Department fee for")

    def extra_row(self, code: str, on: dt.date) -> Row:
        return self._pick(self.extras, code, on, "State Department fee")

    def city_row(self, code: str, on: dt.date) -> Row:
        return self._pick(self.city, code, on, "city passport fee")

    def documents(self, kind: str, on: dt.date | None = None) -> list[Evidence]:
        """The documents of `kind` accepted on `on`, in the file's order."""
        on = on or clock.today()
        return [e for e in self.evidence if e.kind == kind and e.effective <= on
                and (e.until is None or on < e.until)]


def _source(raw: dict[str, Any], where: str) -> str:
    s = str(raw["source"]).strip()
    if not s:
        raise ValidationError(f"{where}: every amount needs its source.")
    return s


def load(folder: Path | None = None) -> PassportData:
    """Read and check every file; a bad row refuses the file (never a silent skip)."""
    folder = folder or data_dir()
    fees = rulefile.load_rules(folder / "fees.toml")
    state: list[Row] = []
    for n, r in enumerate(fees.get("state_fee", []), start=1):
        where = f"{folder / 'fees.toml'}: state_fee #{n}"
        with rulefile.row_errors(where):
            product, age = str(r["product"]), str(r["age"])
            if product not in ("book", "card") or age not in AGES:
                raise ValidationError(f"{where}: product book|card, age adult|minor.")
            state.append(Row(f"{product}/{age}", f"{age} {product}",
                             rulefile.money_field(r["amount"], where),
                             rulefile.effective_date(r["effective"], where), _source(r, where)))
    extras: list[Row] = []
    for n, r in enumerate(fees.get("state_extra", []), start=1):
        where = f"{folder / 'fees.toml'}: state_extra #{n}"
        with rulefile.row_errors(where):
            code = str(r["code"])
            if code not in EXTRAS:
                raise ValidationError(f"{where}: code must be one of {', '.join(EXTRAS)}.")
            extras.append(Row(code, str(r["label"]), rulefile.money_field(r["amount"], where),
                              rulefile.effective_date(r["effective"], where), _source(r, where)))
    city: list[Row] = []
    for n, r in enumerate(fees.get("city_fee", []), start=1):
        where = f"{folder / 'fees.toml'}: city_fee #{n}"
        with rulefile.row_errors(where):
            code = str(r["code"])
            if code not in CITY_FEES:
                raise ValidationError(f"{where}: code must be one of {', '.join(CITY_FEES)}.")
            eff = rulefile.effective_date(r["effective"], where)
            if "fee" in r:  # priced by the city's one fee schedule (each later price too)
                for f in fee_schedule().fees:
                    if f.code == str(r["fee"]).upper():
                        city.append(Row(code, str(r["label"]), f.amount_cents,
                                        max(eff, f.effective), _source(r, where), f.fund,
                                        f.gl_code))
            else:
                city.append(Row(code, str(r["label"]), rulefile.money_field(r["amount"], where),
                                eff, _source(r, where), str(r["fund"]), str(r["gl_code"])))
    for row in state + extras + city:
        if row.amount_cents <= 0:
            raise ValidationError(f"{folder / 'fees.toml'}: {row.key} must be more than $0.00.")
    raw = rulefile.load_rules(folder / "rules.toml")
    rules: list[Rules] = []
    for n, r in enumerate(raw.get("rules", []), start=1):
        where = f"{folder / 'rules.toml'}: rules #{n}"
        with rulefile.row_errors(where):
            ints = {k: int(r[k]) for k in (
                "minor_age", "ds3053_max_age_days", "adult_age",
                "certification_months",
                "certification_warn_days", "compliance_warn_days", "transmittal_business_days",
                "retention_days", "slot_minutes", "slots_per_agent_per_day")}
            if any(v < 0 for v in ints.values()) or ints["retention_days"] < 1:
                raise ValidationError(f"{where}: numbers must be positive.")
            first = str(r["first_slot"])
            dt.time.fromisoformat(first)
            rules.append(Rules(rulefile.effective_date(r["effective"], where),
                               first_slot=first,
                               document_numbers_allowed=bool(r["document_numbers_allowed"]),
                               **ints))
    ev = rulefile.load_rules(folder / "evidence.toml")
    evidence: list[Evidence] = []
    for kind in ("citizenship", "identity"):
        for n, r in enumerate(ev.get(kind, []), start=1):
            where = f"{folder / 'evidence.toml'}: {kind} #{n}"
            with rulefile.row_errors(where):
                until = r.get("until")
                evidence.append(Evidence(
                    kind, str(r["code"]).upper(), str(r["label"]),
                    rulefile.effective_date(r["effective"], where),
                    rulefile.effective_date(until, where) if until else None,
                    _source(r, where)))
    return PassportData(tuple(state), tuple(extras), tuple(city), tuple(rules),
                        tuple(evidence))


@functools.cache
def data() -> PassportData:
    """The passports rules (loaded once per process, on first use: never at start-up)."""
    return load()


def rules_on(on: dt.date | None = None) -> Rules:
    return data().rules_on(on)
