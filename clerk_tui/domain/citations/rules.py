"""Citation rules: `data/citations/violations.toml` and `data/citations/rules.toml`, read once.

Why data and not code: fines, penalties, deadlines, plan limits and DMV rules are set by the
city and by the Vehicle Code, and they change (AB 503, AB 1299) without a release. Every row is
effective-dated; a citation is priced by its issue date, a deadline by the day it runs from.
A bad row refuses the whole file with the file and row named, never a silent skip.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.rules import effective, effective_date, load_rules, money_field, row_errors
from clerk_tui.paths import reference_data_dir

COPY_FEE_CAP_CENTS = 200
"""CVC 40206.5: a copy of a citation costs at most $2, whatever the file says."""


@dataclass(frozen=True)
class Violation:
    code: str
    description: str
    fine_cents: int
    fund: str
    gl_code: str
    correctable: bool
    partial: bool
    source: str
    effective: dt.date


@dataclass(frozen=True)
class Penalty:
    step: int
    label: str
    after: str
    """'issue' or 'notice': the day the days are counted from."""
    days: int
    kind: str
    """'fine' (the base fine again) or 'amount'."""
    amount_cents: int
    fund: str
    gl_code: str
    source: str
    effective: dt.date

    def amount_for(self, base_cents: int) -> int:
        return base_cents if self.kind == "fine" else self.amount_cents


@dataclass(frozen=True)
class Deadlines:
    notice_after_days: int
    review_from_issue_days: int
    review_from_notice_days: int
    hearing_from_review_days: int
    appeal_from_hearing_days: int
    hold_after_notice_days: int
    roll_to_business_day: bool
    source: str
    effective: dt.date


@dataclass(frozen=True)
class Fees:
    correction_cents: int
    copy_cents: int
    copy_fund: str
    copy_gl: str
    appeal_filing_cents: int
    deposit_fund: str
    deposit_gl: str
    source: str
    effective: dt.date


@dataclass(frozen=True)
class PlanRules:
    fpg_percent: int
    small_total_max_cents: int
    small_monthly_max_cents: int
    large_monthly_max_cents: int
    max_months: int
    fee_cap_cents: int
    fee_cents: int
    cure_days: int
    cures_allowed: int
    source: str
    effective: dt.date


@dataclass(frozen=True)
class Poverty:
    base_cents: int
    per_person_cents: int
    source: str
    effective: dt.date

    def guideline(self, household: int) -> int:
        return self.base_cents + self.per_person_cents * (household - 1)


@dataclass(frozen=True)
class Other:
    """The small sections: DMV, collections, boot/tow, reason codes."""

    release_on: tuple[str, ...]
    agency_code: str
    renewal_periods: int
    renewal_period_days: int
    agency: str
    boot_min: int
    dismiss_reasons: dict[str, str]
    void_reasons: dict[str, str]
    effective: dt.date


@dataclass(frozen=True)
class CitationRules:
    violations: tuple[Violation, ...]
    penalties: tuple[Penalty, ...]
    deadlines_rows: tuple[Deadlines, ...]
    fees_rows: tuple[Fees, ...]
    plan_rows: tuple[PlanRules, ...]
    poverty_rows: tuple[Poverty, ...]
    other_rows: tuple[Other, ...]

    def violation(self, code: str, on: dt.date) -> Violation:
        """The violation `code` as priced on `on` (the citation's issue date)."""
        wanted = (code or "").strip().upper()
        found = effective([v for v in self.violations if v.code == wanted], on)
        if found is None:
            if any(v.code == wanted for v in self.violations):
                raise NotFound(f"Violation {wanted} has no fine before {on}.")
            raise NotFound(f"No violation code {wanted!r} in data/citations/violations.toml.")
        return found

    def penalty_steps(self, issued_on: dt.date) -> list[Penalty]:
        """Each step's row in force on the issue date, in step order."""
        steps = sorted({p.step for p in self.penalties})
        out = [effective([p for p in self.penalties if p.step == s], issued_on) for s in steps]
        return [p for p in out if p is not None]

    def _one(self, rows: tuple[Any, ...], on: dt.date, what: str) -> Any:
        row = effective(rows, on)
        if row is None:
            raise ValidationError(f"data/citations/rules.toml has no {what} in force on {on}.")
        return row

    def deadlines(self, on: dt.date) -> Deadlines:
        return self._one(self.deadlines_rows, on, "[[deadlines]]")

    def fees(self, on: dt.date) -> Fees:
        return self._one(self.fees_rows, on, "[[fees]]")

    def plans(self, on: dt.date) -> PlanRules:
        return self._one(self.plan_rows, on, "[[plans]]")

    def poverty(self, on: dt.date) -> Poverty:
        return self._one(self.poverty_rows, on, "[[poverty]]")

    def other(self, on: dt.date) -> Other:
        return self._one(self.other_rows, on, "[[dmv]]/[[collections]]/[[boot]]/[[reasons]]")


def _reasons(rows: list[str], where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in rows:
        code, _, label = str(r).partition(":")
        if not code.strip() or not label.strip():
            raise ValidationError(f"{where}: reason {r!r} is not CODE:Label.")
        out[code.strip().upper()] = label.strip()
    return out


def _days(raw: dict[str, Any], key: str, where: str) -> int:
    v = raw[key]
    if not isinstance(v, int) or isinstance(v, bool) or not 0 < v <= 3650:
        raise ValidationError(f"{where}: {key} must be a whole number of days (1-3650).")
    return v


def load(violations_path: Path | None = None, rules_path: Path | None = None) -> CitationRules:
    """Read and check both files; any bad row refuses them (named by file and row)."""
    base = reference_data_dir() / "citations"
    vp = violations_path or base / "violations.toml"
    rp = rules_path or base / "rules.toml"
    vraw, rraw = load_rules(vp), load_rules(rp)
    violations: list[Violation] = []
    for n, r in enumerate(vraw.get("violation", []), start=1):
        where = f"{vp}: violation #{n}"
        with row_errors(where):
            v = Violation(str(r["code"]).strip().upper(), str(r["description"]).strip(),
                          money_field(r["fine"], where), str(r["fund"]), str(r["gl_code"]),
                          bool(r.get("correctable", False)), bool(r.get("partial", True)),
                          str(r["source"]).strip(), effective_date(r["effective"], where))
        if v.fine_cents <= 0 or not v.code or not v.description or not v.source:
            raise ValidationError(f"{where}: code, description, source and a fine over $0 "
                                  "are required.")
        if any(o.code == v.code and o.effective == v.effective for o in violations):
            raise ValidationError(f"{where}: {v.code} has two fines from {v.effective}.")
        violations.append(v)
    penalties: list[Penalty] = []
    for n, r in enumerate(rraw.get("penalty", []), start=1):
        where = f"{rp}: penalty #{n}"
        with row_errors(where):
            kind = str(r["kind"])
            p = Penalty(int(r["step"]), str(r["label"]), str(r["after"]),
                        _days(r, "days", where), kind,
                        money_field(r["amount"], where) if kind == "amount" else 0,
                        str(r["fund"]), str(r["gl_code"]), str(r["source"]),
                        effective_date(r["effective"], where))
        if p.after not in ("issue", "notice") or p.kind not in ("fine", "amount"):
            raise ValidationError(f"{where}: after is 'issue' or 'notice'; kind 'fine' or "
                                  "'amount'.")
        penalties.append(p)
    deadlines, fees, plans, poverty, other = [], [], [], [], []
    for n, r in enumerate(rraw.get("deadlines", []), start=1):
        where = f"{rp}: deadlines #{n}"
        with row_errors(where):
            deadlines.append(Deadlines(
                _days(r, "notice_after_days", where), _days(r, "review_from_issue_days", where),
                _days(r, "review_from_notice_days", where),
                _days(r, "hearing_from_review_days", where),
                _days(r, "appeal_from_hearing_days", where),
                _days(r, "hold_after_notice_days", where), bool(r["roll_to_business_day"]),
                str(r["source"]), effective_date(r["effective"], where)))
    for n, r in enumerate(rraw.get("fees", []), start=1):
        where = f"{rp}: fees #{n}"
        with row_errors(where):
            f = Fees(money_field(r["correction"], where), money_field(r["copy"], where),
                     str(r["copy_fund"]), str(r["copy_gl"]),
                     money_field(r["appeal_filing"], where), str(r["hearing_deposit_fund"]),
                     str(r["hearing_deposit_gl"]), str(r["source"]),
                     effective_date(r["effective"], where))
        if f.copy_cents > COPY_FEE_CAP_CENTS:
            raise ValidationError(f"{where}: a copy of a citation costs at most $2.00 "
                                  "(CVC 40206.5).")
        fees.append(f)
    for n, r in enumerate(rraw.get("plans", []), start=1):
        where = f"{rp}: plans #{n}"
        with row_errors(where):
            p2 = PlanRules(int(r["fpg_percent"]), money_field(r["small_total_max"], where),
                           money_field(r["small_monthly_max"], where),
                           money_field(r["large_monthly_max"], where),
                           _days(r, "max_months", where),
                           money_field(r["processing_fee_cap"], where),
                           money_field(r["processing_fee"], where), _days(r, "cure_days", where),
                           int(r["cures_allowed"]), str(r["source"]),
                           effective_date(r["effective"], where))
        if p2.fee_cents > p2.fee_cap_cents:
            raise ValidationError(f"{where}: processing_fee is over processing_fee_cap.")
        plans.append(p2)
    for n, r in enumerate(rraw.get("poverty", []), start=1):
        where = f"{rp}: poverty #{n}"
        with row_errors(where):
            poverty.append(Poverty(money_field(r["base"], where),
                                   money_field(r["per_person"], where), str(r["source"]),
                                   effective_date(r["effective"], where)))
    dates = sorted({effective_date(row["effective"], f"{rp}: {k}")
                    for k in ("dmv", "collections", "boot", "reasons")
                    for row in rraw.get(k, [])})
    for d in dates:  # one merged row per date any of the small sections changes
        def pick(k: str, d: dt.date = d) -> dict[str, Any]:
            rows = [(effective_date(x["effective"], k), x) for x in rraw.get(k, [])]
            got = effective(rows, d, when=lambda t: t[0])
            if got is None:
                raise ValidationError(f"{rp}: no [[{k}]] in force on {d}.")
            return got[1]
        where = f"{rp}: dmv/collections/boot/reasons"
        with row_errors(where):
            dm, co, bo, re_ = pick("dmv"), pick("collections"), pick("boot"), pick("reasons")
            other.append(Other(tuple(str(x) for x in dm["release_on"]), str(dm["agency_code"]),
                               int(co["renewal_periods"]), _days(co, "renewal_period_days", where),
                               str(co["agency"]), int(bo["min_delinquent"]),
                               _reasons(re_["dismiss"], where), _reasons(re_["void"], where), d))
    return CitationRules(tuple(violations), tuple(penalties), tuple(deadlines), tuple(fees),
                         tuple(plans), tuple(poverty), tuple(other))


@functools.cache
def citation_rules() -> CitationRules:
    """The rules (loaded once per process, on first use: never at start-up)."""
    return load()
