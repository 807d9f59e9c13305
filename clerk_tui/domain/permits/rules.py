"""The permit rules file `data/permits/permits.toml`: districts, permit types, fees, documents.

Why a file and not code: a council changes a fee, redraws a district or adds a permit type by
resolution, and that must be an edit with its source named, not a release. Every row is
effective-dated; `PermitRules` answers "what was in force on this day". The file is read once
per process on first use (never at start-up) and a bad row refuses the whole file, naming it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.rules import effective, effective_date, load_rules, money_field, row_errors
from clerk_tui.paths import reference_data_dir

STOCKS = ("decal", "hangtag", "visitor")
SIDES = ("odd", "even", "both")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,3}$")


@dataclass(frozen=True)
class StreetRange:
    street: str
    low: int
    high: int
    side: str

    def holds(self, street: str, number: int) -> bool:
        if street != self.street or not self.low <= number <= self.high:
            return False
        return self.side == "both" or (number % 2 == 1) == (self.side == "odd")


@dataclass(frozen=True)
class District:
    code: str
    name: str
    max_vehicles: int
    streets: tuple[StreetRange, ...]
    effective: dt.date
    source: str

    def holds(self, street: str, number: int) -> bool:
        return any(r.holds(street, number) for r in self.streets)


@dataclass(frozen=True)
class PermitType:
    code: str
    label: str
    stock: str
    vehicle: bool
    quarters: int
    days: int
    renewable: bool
    max_per_address: int
    documents: tuple[str, ...]
    effective: dt.date
    source: str


@dataclass(frozen=True)
class Fee:
    type: str
    tiers: tuple[int, ...]
    replacement_cents: int
    fund: str
    gl_code: str
    effective: dt.date
    source: str

    def for_tier(self, tier: int) -> int:
        """The fee of the `tier`-th vehicle permit of a dwelling (the last tier repeats)."""
        return self.tiers[min(max(tier, 1), len(self.tiers)) - 1]


@dataclass(frozen=True)
class Document:
    code: str
    label: str
    effective: dt.date
    source: str


@dataclass(frozen=True)
class Renewal:
    notice_days: int
    effective: dt.date
    source: str


@dataclass(frozen=True)
class PermitRules:
    districts: tuple[District, ...]
    types: tuple[PermitType, ...]
    fees: tuple[Fee, ...]
    documents: tuple[Document, ...]
    renewals: tuple[Renewal, ...]
    mail_city: str = ""

    def _pick(self, rows: tuple[Any, ...], code: str, what: str, on: dt.date | None,
              attr: str = "code") -> Any:
        on = on or clock.today()
        mine = [r for r in rows if getattr(r, attr) == code]
        if not mine:
            raise NotFound(f"No {what} {code!r}.")
        found = effective(mine, on)
        if found is None:
            raise NotFound(f"{what.capitalize()} {code} is not in force before "
                           f"{min(r.effective for r in mine)}.")
        return found

    def district(self, code: str, on: dt.date | None = None) -> District:
        return self._pick(self.districts, code.strip().upper(), "permit district", on)

    def permit_type(self, code: str, on: dt.date | None = None) -> PermitType:
        return self._pick(self.types, code.strip().upper(), "permit type", on)

    def fee(self, type_code: str, on: dt.date | None = None) -> Fee:
        return self._pick(self.fees, type_code.strip().upper(), "permit fee for type", on,
                          attr="type")

    def document(self, code: str, on: dt.date | None = None) -> Document:
        return self._pick(self.documents, code, "document", on)

    def renewal(self, on: dt.date | None = None) -> Renewal:
        found = effective(self.renewals, on or clock.today())
        if found is None:
            raise NotFound("No renewal notice rule is in force.")
        return found

    def _current(self, rows: tuple[Any, ...], on: dt.date | None, attr: str = "code") -> list:
        on = on or clock.today()
        order: list[str] = []
        for r in rows:
            if r.effective <= on and getattr(r, attr) not in order:
                order.append(getattr(r, attr))
        return [effective([r for r in rows if getattr(r, attr) == c], on) for c in order]

    def current_districts(self, on: dt.date | None = None) -> list[District]:
        return self._current(self.districts, on)

    def current_types(self, on: dt.date | None = None) -> list[PermitType]:
        return self._current(self.types, on)


def _code(raw: object, where: str) -> str:
    code = str(raw).strip().upper()
    if not _CODE.match(code):
        raise ValidationError(f"{where}: code {raw!r} must be 1-4 letters/digits.")
    return code


def _positive(raw: object, where: str, what: str) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
        raise ValidationError(f"{where}: {what} must be a whole number of at least 1.")
    return raw


def _district(raw: dict, where: str) -> District:
    from clerk_tui.domain.permits.addresses import normalize_street

    with row_errors(where):
        streets = []
        for n, s in enumerate(raw["street"], start=1):
            w = f"{where} street #{n}"
            side = str(s.get("side", "both"))
            if side not in SIDES:
                raise ValidationError(f"{w}: side must be one of {', '.join(SIDES)}.")
            low, high = _positive(s["low"], w, "low"), _positive(s["high"], w, "high")
            if high < low:
                raise ValidationError(f"{w}: high {high} is below low {low}.")
            streets.append(StreetRange(normalize_street(str(s["street"])), low, high, side))
        if not streets:
            raise ValidationError(f"{where}: a district needs at least one street range.")
        return District(_code(raw["code"], where), str(raw["name"]).strip(),
                        _positive(raw["max_vehicles"], where, "max_vehicles"), tuple(streets),
                        effective_date(raw["effective"], where), str(raw["source"]).strip())


def _type(raw: dict, where: str, docs: set[str]) -> PermitType:
    with row_errors(where):
        stock = str(raw["stock"])
        if stock not in STOCKS:
            raise ValidationError(f"{where}: stock must be one of {', '.join(STOCKS)}.")
        quarters, days = int(raw.get("quarters", 0)), int(raw.get("days", 0))
        if (quarters > 0) == (days > 0) or quarters < 0 or days < 0 or quarters > 8 \
                or days > 31:
            raise ValidationError(f"{where}: give quarters (1-8) or days (1-31), not both.")
        documents = tuple(str(d) for d in raw.get("documents", []))
        unknown = [d for d in documents if d not in docs]
        if unknown:
            raise ValidationError(f"{where}: unknown document {unknown[0]!r}.")
        return PermitType(_code(raw["code"], where), str(raw["label"]).strip(), stock,
                          bool(raw["vehicle"]), quarters, days, bool(raw["renewable"]),
                          _positive(raw["max_per_address"], where, "max_per_address"),
                          documents, effective_date(raw["effective"], where),
                          str(raw["source"]).strip())


def _fee(raw: dict, where: str) -> Fee:
    with row_errors(where):
        tiers = tuple(money_field(t, where) for t in raw["tiers"])
        if not tiers or any(t <= 0 for t in tiers):
            raise ValidationError(f"{where}: tiers must list at least one fee above $0.00.")
        replacement = money_field(raw["replacement"], where)
        if replacement <= 0:
            raise ValidationError(f"{where}: replacement must be above $0.00.")
        fund, gl = str(raw["fund"]).strip(), str(raw["gl_code"]).strip()
        if not fund or not gl:
            raise ValidationError(f"{where}: fund and gl_code are required.")
        return Fee(_code(raw["type"], where), tiers, replacement, fund, gl,
                   effective_date(raw["effective"], where), str(raw["source"]).strip())


def load_permit_rules(path: Path | None = None) -> PermitRules:
    """Read and check the whole file; any bad row refuses it (never a silent skip)."""
    path = path or reference_data_dir() / "permits" / "permits.toml"
    raw = load_rules(path)
    documents = []
    for n, r in enumerate(raw.get("document", []), start=1):
        where = f"{path}: document #{n}"
        with row_errors(where):
            documents.append(Document(str(r["code"]).strip().upper(), str(r["label"]).strip(),
                                      effective_date(r["effective"], where),
                                      str(r["source"]).strip()))
    doc_codes = {d.code for d in documents}
    districts = tuple(_district(r, f"{path}: district #{n}")
                      for n, r in enumerate(raw.get("district", []), start=1))
    types = tuple(_type(r, f"{path}: permit_type #{n}", doc_codes)
                  for n, r in enumerate(raw.get("permit_type", []), start=1))
    fees = tuple(_fee(r, f"{path}: fee #{n}") for n, r in enumerate(raw.get("fee", []), start=1))
    renewals = []
    for n, r in enumerate(raw.get("renewal", []), start=1):
        where = f"{path}: renewal #{n}"
        with row_errors(where):
            renewals.append(Renewal(_positive(r["notice_days"], where, "notice_days"),
                                    effective_date(r["effective"], where),
                                    str(r["source"]).strip()))
    rules = PermitRules(districts, types, fees, tuple(documents), tuple(renewals),
                        str(raw.get("mail_city", "")).strip())
    for what, rows, attr in (("district", districts, "code"), ("permit_type", types, "code"),
                             ("fee", fees, "type"), ("document", documents, "code")):
        seen: set[tuple[str, dt.date]] = set()
        for r in rows:
            key = (getattr(r, attr), r.effective)
            if key in seen:
                raise ValidationError(f"{path}: two {what} rows for {key[0]} from {key[1]}.")
            if not r.source:
                raise ValidationError(f"{path}: {what} {key[0]} names no source.")
            seen.add(key)
    type_codes = {t.code for t in types}
    for f in fees:
        if f.type not in type_codes:
            raise ValidationError(f"{path}: fee for unknown permit type {f.type!r}.")
    for t in type_codes:
        if not any(f.type == t for f in fees):
            raise ValidationError(f"{path}: permit type {t} has no fee.")
    return rules


@functools.cache
def permit_rules() -> PermitRules:
    """The rules (loaded once per process, on first use)."""
    return load_permit_rules()
