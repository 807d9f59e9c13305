"""Bill adjustments: a credit or charge to an account for a reason the city recognises.

Why this module exists: an adjustment is money leaving (or joining) a fund outside a payment,
which is exactly where a counter loses money quietly. So every adjustment

- carries a reason code whose rules are data (`data/utility/adjustments.toml`, effective-dated):
  how the default amount is computed, which services it may touch, how often an account may
  have one, the most it may ever be, and which role limit applies;
- is checked against the clerk's dollar limit from `data/authority.toml`; above it a supervisor
  approves at the point of action (`OverrideRequired`), and the audit row names both;
- is one balanced ledger journal (account side -, revenue side + on the service's fund/GL for a
  credit; the mirror for a charge) plus an `adjustments` row pointing at the bill and the journal
  it adjusts, plus the audit row — all in one `BEGIN IMMEDIATE`, so a refusal writes nothing;
- for a late fee, is a true reversal: the customer's fee entry is reversed by an entry that
  points at it (the whole journal via `ledger.reverse` when it holds only that fee; just this
  account's entry when the late-fee run posted one journal for many accounts), and a fee is
  reversed at most once.

Policy checks (once per 12 months, caps) run inside the same transaction as the posting, so two
clerks cannot both squeeze in "the one leak adjustment this year".

Normal use and rates: the leak and pool-fill credits need "normal use" (the average of the
account's earlier bills) and the rates the bill was priced at: those come from the rate table
(`domain/utility/rates.py`, `data/utility/rates.toml`) in force on the bill's period end, so a
rate change never needs a second copy here.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.money import check_cents, format_money, parse_money
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility import rates
from clerk_tui.paths import reference_data_dir

METHODS = ("leak", "pool_fill", "vacation_refuse", "billing_error", "late_fee")
CREDIT, CHARGE = "credit", "charge"
NOTE_MAX = 200


# ---- rules (data) ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ReasonRule:
    code: str
    label: str
    effective: dt.date
    method: str
    services: tuple[str, ...]
    permission: str
    limit: str
    once_per_months: int
    max_cents: int
    note_required: bool
    normal_use_bills: int = 12
    min_history_bills: int = 3
    max_months: int = 0
    retired: bool = False


@dataclass(frozen=True)
class ServiceBooks:
    fund: str
    gl_code: str


@dataclass(frozen=True)
class AdjustmentRules:
    reasons: tuple[ReasonRule, ...]
    services: dict[str, ServiceBooks]

    def rule(self, code: str, on: dt.date | None = None) -> ReasonRule:
        """The rule for `code` in force on `on` (today by default)."""
        on = on or clock.today()
        wanted = (code or "").strip().upper()
        rule = rulefile.effective((r for r in self.reasons if r.code == wanted), on)
        if rule is None:
            raise ValidationError(f"{code!r} is not an adjustment reason in force on {on}.")
        if rule.retired:
            raise ValidationError(f"Adjustment reason {rule.code} is retired since "
                                  f"{rule.effective}.")
        return rule

    def in_force(self, on: dt.date | None = None) -> list[ReasonRule]:
        """The reasons a clerk may pick today, in file order."""
        on = on or clock.today()
        out: list[ReasonRule] = []
        for code in dict.fromkeys(r.code for r in self.reasons):
            try:
                out.append(self.rule(code, on))
            except ValidationError:
                continue
        return out

    def books(self, service: str) -> ServiceBooks:
        try:
            return self.services[service]
        except KeyError:
            raise ValidationError(f"No fund/GL is set up for the {service} service.") from None


def _reason(raw: dict, where: str) -> ReasonRule:
    with rulefile.row_errors(where):
        method = str(raw["method"])
        if method not in METHODS:
            raise ValidationError(f"{where}: method must be one of {', '.join(METHODS)}.")
        rule = ReasonRule(
            code=str(raw["code"]).strip().upper(), label=str(raw["label"]),
            effective=dt.date.fromisoformat(str(raw["effective"])), method=method,
            services=tuple(str(s) for s in raw.get("services", ())),
            permission=str(raw.get("permission", "bill.adjust")),
            limit=str(raw.get("limit", "bill_adjustment")),
            once_per_months=int(raw.get("once_per_months", 0)),
            max_cents=rulefile.money_field(raw.get("max_amount", "0.00"), f"{where}: max_amount"),
            note_required=bool(raw.get("note_required", False)),
            normal_use_bills=int(raw.get("normal_use_bills", 12)),
            min_history_bills=int(raw.get("min_history_bills", 3)),
            max_months=int(raw.get("max_months", 0)),
            retired=bool(raw.get("retired", False)),
        )
    if not rule.services:
        raise ValidationError(f"{where}: list the services this reason may adjust.")
    if rule.max_cents <= 0:
        raise ValidationError(f"{where}: max_amount must be more than $0.00.")
    if rule.method == "vacation_refuse" and rule.max_months < 1:
        raise ValidationError(f"{where}: a vacation rule needs max_months of 1 or more.")
    return rule


def load_rules(path: Path | None = None) -> AdjustmentRules:
    path = path or reference_data_dir() / "utility" / "adjustments.toml"
    raw = rulefile.load_rules(path)
    reasons = tuple(_reason(r, f"{path}: reason #{i + 1}")
                    for i, r in enumerate(raw.get("reason", [])))
    seen: set[tuple[str, dt.date]] = set()
    for r in reasons:
        if (r.code, r.effective) in seen:
            raise ValidationError(f"{path}: reason {r.code} has two rules from {r.effective}.")
        seen.add((r.code, r.effective))
    services = {}
    for name, s in raw.get("services", {}).items():
        try:
            services[name] = ServiceBooks(str(s["fund"]), str(s["gl_code"]))
        except KeyError as e:
            raise ValidationError(f"{path}: services.{name}: missing {e.args[0]!r}.") from None
    return AdjustmentRules(reasons, services)


@functools.cache
def rules() -> AdjustmentRules:
    """The rules file (loaded once per process)."""
    return load_rules()


# ---- what a bill charged, by service ---------------------------------------------------------
@dataclass(frozen=True)
class ServiceCharge:
    service: str
    amount_cents: int
    fund: str
    gl_code: str


@dataclass(frozen=True)
class BillCharges:
    """A bill split by service. `source` says how we know: 'lines' (bill_lines), 'journal'
    (the bill's own journal, one account per journal), or 'estimate' (a batch journal shared by
    many accounts, e.g. converted or demo bills: the bill is split in the batch's proportions)."""

    bill_id: int
    account_id: int
    journal_id: int
    bill_date: str
    due_date: str
    period_end: str
    consumption: int
    amount_cents: int
    lines: tuple[ServiceCharge, ...]
    source: str

    def charge(self, service: str) -> ServiceCharge | None:
        return next((c for c in self.lines if c.service == service), None)

    def service_cents(self, service: str) -> int:
        c = self.charge(service)
        return c.amount_cents if c else 0


def _service_of(fund: str, gl_code: str, books: dict[str, ServiceBooks]) -> str | None:
    for name, b in books.items():
        if fund == name or fund == b.fund or (gl_code and gl_code == b.gl_code):
            return name
    return None


def bill_charges(db: Database, bill_id: int, *, rule_set: AdjustmentRules | None = None
                 ) -> BillCharges:
    """What one bill charged for each service (see `BillCharges.source`)."""
    rs = rule_set or rules()
    bill = db.one("SELECT * FROM bills WHERE id = ?", [bill_id])
    if not bill:
        raise NotFound(f"No bill with id {bill_id}.")
    by_service: dict[str, list] = {}
    source = "lines"
    for r in db.all("SELECT service, amount_cents, fund, gl_code FROM bill_lines "
                    "WHERE bill_id = ? ORDER BY id", [bill_id]):
        slot = by_service.setdefault(r["service"], [0, r["fund"], r["gl_code"]])
        slot[0] += r["amount_cents"]
    if not by_service:
        accounts_on_journal = db.scalar(
            "SELECT count(DISTINCT account_id) FROM ledger_entries "
            "WHERE journal_id = ? AND book = 'account'", [bill["journal_id"]]) or 0
        revenue = db.all("SELECT fund, gl_code, -sum(amount_cents) AS cents FROM ledger_entries "
                         "WHERE journal_id = ? AND book = 'revenue' GROUP BY fund, gl_code "
                         "ORDER BY fund, gl_code", [bill["journal_id"]])
        parts = [(r["fund"], r["gl_code"], int(r["cents"])) for r in revenue if r["cents"] > 0]
        total = sum(p[2] for p in parts)
        source = "journal" if accounts_on_journal == 1 else "estimate"
        if total > 0:
            remaining = bill["amount_cents"]
            for i, (fund, gl, cents) in enumerate(parts):
                share = (remaining if i == len(parts) - 1
                         else bill["amount_cents"] * cents // total)
                remaining -= share
                service = _service_of(fund, gl, rs.services) or fund or "other"
                slot = by_service.setdefault(service, [0, fund, gl])
                slot[0] += share
    lines = tuple(ServiceCharge(s, v[0], v[1] or rs.services.get(s, ServiceBooks("", "")).fund,
                                v[2] or rs.services.get(s, ServiceBooks("", "")).gl_code)
                  for s, v in by_service.items())
    return BillCharges(bill["id"], bill["account_id"], bill["journal_id"], bill["bill_date"],
                       bill["due_date"], bill["period_end"], bill["consumption"], bill["amount_cents"], lines, source)


# ---- proposals: what the rule says the amount should be --------------------------------------
@dataclass(frozen=True)
class Proposal:
    """What a reason's rule proposes for one bill, before the clerk confirms.

    `amount_cents` is the default magnitude (None when the clerk must type it); `max_cents` is
    the most the clerk may enter for this bill and reason; `explanation` is shown as is.
    """

    reason: ReasonRule
    account_id: int
    bill_id: int | None
    service: str
    amount_cents: int | None
    max_cents: int
    explanation: str
    normal_use: int | None = None
    excess_units: int | None = None
    months: int | None = None
    adjusts_journal_id: int | None = None


@dataclass(frozen=True)
class Adjustment:
    id: int
    account_id: int
    journal_id: int
    reason_code: str
    service: str
    amount_cents: int  # - credit to the customer, + charge
    bill_id: int | None
    adjusts_journal_id: int | None
    note: str
    at: str
    clerk: str
    override_by: str | None
    balance_after_cents: int | None = None


# Volume-only water price (a leak never touches the meter's base charge): one rule with billing.
tier_cost = rates.tier_cost


def normal_use(db: Database, account_id: int, bill_id: int, count: int) -> tuple[int | None, int]:
    """(average consumption of up to `count` bills before this one, how many there were).

    Averages round half up to whole HCF. None when there are no earlier bills."""
    bill = db.one("SELECT bill_date, id FROM bills WHERE id = ?", [bill_id])
    if not bill:
        raise NotFound(f"No bill with id {bill_id}.")
    rows = db.all("SELECT consumption FROM bills WHERE account_id = ? AND "
                  "(bill_date < ? OR (bill_date = ? AND id < ?)) "
                  "ORDER BY bill_date DESC, id DESC LIMIT ?",
                  [account_id, bill["bill_date"], bill["bill_date"], bill["id"], max(1, count)])
    if not rows:
        return None, 0
    total = sum(r["consumption"] for r in rows)
    return (2 * total + len(rows)) // (2 * len(rows)), len(rows)


def _bill_for(db: Database, account_id: int, bill_id: int | None, rule: ReasonRule,
              rs: AdjustmentRules) -> BillCharges:
    if bill_id is None:
        raise ValidationError(f"Pick the bill to adjust ({rule.label}).")
    charges = bill_charges(db, bill_id, rule_set=rs)
    if charges.account_id != account_id:
        raise ValidationError("That bill is for a different account.")
    return charges


def _late_fee(db: Database, bill_id: int) -> dict | None:
    return db.one("SELECT * FROM late_fees WHERE bill_id = ?", [bill_id])


def _fee_entry(db: Database, fee: dict, account_id: int) -> dict | None:
    """The account-book entry that charged this bill's late fee.

    A late-fee run posts ONE journal for every account it charges (one account entry each and
    one aggregate revenue entry), so the fee is found by account, amount and the bill named in
    its memo — never by reversing the whole journal, which would reverse everyone's fee.
    """
    rows = db.all("SELECT * FROM ledger_entries WHERE journal_id = ? AND book = 'account' "
                  "AND account_id = ? AND amount_cents = ? ORDER BY id",
                  [fee["journal_id"], account_id, fee["amount_cents"]])
    named = [r for r in rows if r["memo"].endswith(f"bill {fee['bill_id']}")]
    return (named or rows or [None])[0]


def _fee_reversed(db: Database, entry: dict) -> bool:
    return bool(db.scalar("SELECT 1 FROM ledger_entries WHERE reverses_entry_id = ? LIMIT 1",
                          [entry["id"]]))


def _reverse_fee(db: Database, actor: Actor, fee: dict, entry: dict, *, business_date: str,
                 memo: str) -> ledger.Posted:
    """Reverse one bill's late fee. A journal holding only this fee is reversed whole
    (`ledger.reverse`: every entry points at the one it undoes); from a batch journal only this
    account's entry is reversed (pointing at it), and the revenue side is credited back to the
    fee's fund/GL (it cannot point at the batch's aggregate revenue entry, which stays)."""
    others = db.scalar("SELECT count(*) FROM ledger_entries WHERE journal_id = ? AND "
                       "book = 'account' AND id <> ?", [fee["journal_id"], entry["id"]])
    if not others:
        return ledger.reverse(db, actor, fee["journal_id"], "adjustment",
                              business_date=business_date, memo=memo)
    revenue = db.one("SELECT fund, gl_code FROM ledger_entries WHERE journal_id = ? AND "
                     "book = 'revenue' ORDER BY id LIMIT 1", [fee["journal_id"]]) or {}
    fund = revenue.get("fund") or entry["fund"]
    gl = revenue.get("gl_code") or entry["gl_code"]
    cents = entry["amount_cents"]
    return ledger.post(db, actor, "adjustment", [
        ledger.Entry(book="account", kind="adjustment", amount_cents=-cents,
                     account_id=entry["account_id"], fund=entry["fund"],
                     gl_code=entry["gl_code"], reverses_entry_id=entry["id"], memo=memo),
        ledger.Entry(book="revenue", kind="adjustment", amount_cents=cents, fund=fund,
                     gl_code=gl, memo=memo),
    ], business_date=business_date, memo=memo, reverses_journal_id=fee["journal_id"])


def _check_once(db: Database, account_id: int, rule: ReasonRule, on: dt.date) -> None:
    if rule.once_per_months <= 0:
        return
    last = db.one("SELECT at FROM adjustments WHERE account_id = ? AND reason_code = ? "
                  "ORDER BY at DESC LIMIT 1", [account_id, rule.code])
    if not last:
        return
    earlier = dt.date.fromisoformat(last["at"][:10])
    next_ok = clock.add_months(earlier, rule.once_per_months)
    if on < next_ok:
        raise ValidationError(
            f"Only one {rule.label.split(':')[0].lower()} adjustment per "
            f"{rule.once_per_months} months: this account had one on {earlier.isoformat()}, "
            f"so the next may be made on or after {next_ok.isoformat()}.")


def propose(db: Database, account_id: int, reason_code: str, *, bill_id: int | None = None,
            service: str | None = None, months: int | None = None,
            on: dt.date | None = None, rule_set: AdjustmentRules | None = None) -> Proposal:
    """Apply a reason's rule to a bill: the default amount, the cap, and every policy check.

    Raises ValidationError with the reason when the rule refuses (so the screen can say so
    before the clerk types anything); `adjust` runs the same checks again inside its
    transaction.
    """
    rs = rule_set or rules()
    on = on or clock.today()
    rule = rs.rule(reason_code, on)
    if not db.scalar("SELECT 1 FROM accounts WHERE id = ?", [account_id]):
        raise NotFound(f"No account with id {account_id}.")
    _check_once(db, account_id, rule, on)
    m = rule.method

    if m == "late_fee":
        bill = _bill_for(db, account_id, bill_id, rule, rs)
        fee = _late_fee(db, bill.bill_id)
        if not fee:
            raise ValidationError(f"The bill of {bill.bill_date} has no late fee to reverse.")
        entry = _fee_entry(db, fee, account_id)
        if entry is None:
            raise ValidationError(f"The late fee on the bill of {bill.bill_date} is not on this "
                                  "account's ledger.")
        if _fee_reversed(db, entry):
            raise ValidationError(f"The late fee on the bill of {bill.bill_date} was already "
                                  "reversed.")
        amount = fee["amount_cents"]
        return Proposal(rule, account_id, bill.bill_id, rule.services[0], amount, amount,
                        f"Reverse the {format_money(amount)} late fee assessed "
                        f"{fee['assessed_on']} on the bill of {bill.bill_date}.",
                        adjusts_journal_id=fee["journal_id"])

    if m == "billing_error":
        if bill_id is not None:
            bill = _bill_for(db, account_id, bill_id, rule, rs)
            journal_id: int | None = bill.journal_id
            what = f"the bill of {bill.bill_date}"
        else:
            journal_id, what = None, "the account"
        if service is None:
            raise ValidationError("Pick the service the error was on.")
        if service not in rule.services:
            raise ValidationError(f"A billing error may be on {', '.join(rule.services)}, "
                                  f"not {service!r}.")
        return Proposal(rule, account_id, bill_id, service, None, rule.max_cents,
                        f"Billing error on {service} for {what}: type the amount, "
                        f"credit or charge (at most {format_money(rule.max_cents)}).",
                        adjusts_journal_id=journal_id)

    bill = _bill_for(db, account_id, bill_id, rule, rs)
    svc = rule.services[0]
    billed = bill.service_cents(svc)
    if billed <= 0:
        raise ValidationError(f"The bill of {bill.bill_date} has no {svc} charge to credit.")
    cap = min(rule.max_cents, billed)

    if m == "vacation_refuse":
        if months is None:
            raise ValidationError(f"How many months was the customer away (1 to "
                                  f"{rule.max_months})?")
        if isinstance(months, bool) or not isinstance(months, int) or not (
                1 <= months <= rule.max_months):
            raise ValidationError(f"Months away must be a whole number from 1 to "
                                  f"{rule.max_months}.")
        amount = min(months * billed, rule.max_cents)
        return Proposal(rule, account_id, bill.bill_id, svc, amount, amount,
                        f"{months} month{'s' if months != 1 else ''} of refuse at "
                        f"{format_money(billed)} (bill of {bill.bill_date}) = "
                        f"{format_money(months * billed)}"
                        + (f", capped at {format_money(rule.max_cents)}"
                           if months * billed > rule.max_cents else "") + ".",
                        months=months, adjusts_journal_id=bill.journal_id)

    # leak / pool_fill: the use above normal, priced by the rate table the bill was billed under
    normal, history = normal_use(db, account_id, bill.bill_id, rule.normal_use_bills)
    if normal is None or history < rule.min_history_bills:
        return Proposal(rule, account_id, bill.bill_id, svc, None, cap,
                        f"Only {history} earlier bill{'s' if history != 1 else ''}: normal use "
                        f"cannot be worked out. Type the credit (at most {format_money(cap)}).",
                        normal_use=normal, adjusts_journal_id=bill.journal_id)
    excess = bill.consumption - normal
    if excess <= 0:
        raise ValidationError(f"The bill of {bill.bill_date} used {bill.consumption} HCF, not "
                              f"above normal use of {normal} HCF: nothing to credit.")
    priced_on = bill.period_end
    if m == "leak":
        tiers = rates.water_rate(priced_on).tiers
        computed = tier_cost(bill.consumption, tiers) - tier_cost(normal, tiers)
        how = f"{excess} HCF over normal use of {normal} HCF at the tier rates"
    else:
        rate_class = db.scalar("SELECT rate_class FROM accounts WHERE id = ?", [account_id])
        computed = (rates.sewer_charge(bill.consumption, rate_class, priced_on)
                    - rates.sewer_charge(normal, rate_class, priced_on))
        how = f"sewer on {excess} HCF over normal use of {normal} HCF"
        if computed <= 0:
            raise ValidationError(f"Normal use of {normal} HCF already reaches the sewer cap: "
                                  "no sewer to credit.")
    amount = min(computed, cap)
    note = f" (capped at {format_money(cap)})" if computed > cap else ""
    return Proposal(rule, account_id, bill.bill_id, svc, amount, cap,
                    f"{how} = {format_money(computed)}{note}.", normal_use=normal,
                    excess_units=excess, adjusts_journal_id=bill.journal_id)


# ---- posting ---------------------------------------------------------------------------------
def _cents(amount: int | str) -> int:
    if isinstance(amount, str):
        return parse_money(amount, allow_zero=False)
    check_cents(amount, "The adjustment")
    if amount <= 0:
        raise ValidationError("The amount must be more than $0.00.")
    return amount


def adjust(db: Database, actor: Actor, account_id: int, reason_code: str, *,
           amount: int | str | None = None, direction: str = CREDIT,
           bill_id: int | None = None, service: str | None = None, months: int | None = None,
           note: str = "", override: Override | None = None,
           rule_set: AdjustmentRules | None = None) -> Adjustment:
    """Post one adjustment (one transaction). `amount` is the magnitude (cents or text); None
    takes the rule's default. `direction` is 'credit' (the customer owes less) or 'charge'
    (only reasons that allow it: billing error). Above the clerk's limit raises
    OverrideRequired; retry with the supervisor's `Override` for that exact amount."""
    rs = rule_set or rules()
    note = clean_text(note, field="Note", max_len=NOTE_MAX)
    if direction not in (CREDIT, CHARGE):
        raise ValidationError("An adjustment is a credit or a charge.")
    cents = _cents(amount) if amount is not None else None
    with db.write():
        on = clock.today()
        _check_not_referred(db, account_id)
        p = propose(db, account_id, reason_code, bill_id=bill_id, service=service,
                    months=months, on=on, rule_set=rs)
        rule = p.reason
        if direction == CHARGE and rule.method != "billing_error":
            raise ValidationError(f"{rule.label} can only credit the customer.")
        if rule.note_required and not note:
            raise ValidationError(f"Say why in the note: {rule.label} needs one.")
        if cents is None:
            if p.amount_cents is None:
                raise ValidationError("Type the amount.")
            cents = p.amount_cents
        if rule.method == "late_fee" and cents != p.amount_cents:
            raise ValidationError(f"A late fee is reversed in full: "
                                  f"{format_money(p.amount_cents or 0)}.")
        if cents > p.max_cents:
            raise ValidationError(f"{format_money(cents)} is more than this rule allows here: "
                                  f"at most {format_money(p.max_cents)}.")
        approver = authority().require(actor, rule.permission, amount_cents=cents,
                                       limit=rule.limit, override=override,
                                       what=f"adjust a bill ({rule.label})")
        account = db.one("SELECT number FROM accounts WHERE id = ?", [account_id])
        memo = rule.label if not note else f"{rule.label} - {note}"
        if rule.method == "late_fee":
            fee = _late_fee(db, p.bill_id) if p.bill_id is not None else None
            entry = _fee_entry(db, fee, account_id) if fee else None
            assert fee is not None and entry is not None  # propose() checked both
            posted = _reverse_fee(db, actor, fee, entry, business_date=on.isoformat(),
                                  memo=memo[:200])
        else:
            books = rs.books(p.service)
            charge_line = None
            if p.bill_id is not None:
                charge_line = bill_charges(db, p.bill_id, rule_set=rs).charge(p.service)
            fund = charge_line.fund if charge_line and charge_line.fund else books.fund
            gl = charge_line.gl_code if charge_line and charge_line.gl_code else books.gl_code
            signed = -cents if direction == CREDIT else cents
            posted = ledger.post(db, actor, "adjustment", [
                ledger.Entry(book="account", kind="adjustment", amount_cents=signed,
                             account_id=account_id, fund=fund, gl_code=gl, memo=memo[:200]),
                ledger.Entry(book="revenue", kind="adjustment", amount_cents=-signed,
                             fund=fund, gl_code=gl, memo=memo[:200]),
            ], business_date=on.isoformat(), memo=memo[:200])
        signed = -cents if direction == CREDIT else cents
        at = clock.stamp()
        adj_id = db.insert("adjustments", {
            "account_id": account_id, "journal_id": posted.journal_id,
            "reason_code": rule.code, "service": p.service, "amount_cents": signed,
            "bill_id": p.bill_id, "adjusts_journal_id": p.adjusts_journal_id, "note": note,
            "at": at, "clerk": actor.username, "override_by": approver,
        })
        balance = ledger.account_balance(db, account_id)
        audit.record(db, actor, "bill.adjust", f"account:{account['number']}",
                     before={"balance_cents": balance - signed},
                     after={"adjustment_id": adj_id, "reason": rule.code,
                            "service": p.service, "amount_cents": signed,
                            "bill_id": p.bill_id, "journal_id": posted.journal_id,
                            "adjusts_journal_id": p.adjusts_journal_id,
                            "months": p.months, "note": note, "balance_cents": balance},
                     override_by=approver)
    return Adjustment(adj_id, account_id, posted.journal_id, rule.code, p.service, signed,
                      p.bill_id, p.adjusts_journal_id, note, at, actor.username, approver,
                      balance)


def list_adjustments(db: Database, account_id: int, limit: int = 50) -> list[Adjustment]:
    rows = db.all("SELECT * FROM adjustments WHERE account_id = ? ORDER BY id DESC LIMIT ?",
                  [account_id, limit])
    return [Adjustment(r["id"], r["account_id"], r["journal_id"], r["reason_code"], r["service"],
                       r["amount_cents"], r["bill_id"], r["adjusts_journal_id"], r["note"],
                       r["at"], r["clerk"], r["override_by"]) for r in rows]


@dataclass(frozen=True)
class BillChoice:
    """A bill as the adjust screen lists it."""

    bill_id: int
    bill_date: str
    consumption: int
    amount_cents: int
    late_fee_cents: int | None


def bills_to_adjust(db: Database, account_id: int, limit: int = 12) -> list[BillChoice]:
    """The account's recent bills, newest first, with their (unreversed) late fee if any."""
    if not db.scalar("SELECT 1 FROM accounts WHERE id = ?", [account_id]):
        raise NotFound(f"No account with id {account_id}.")
    rows = db.all("SELECT * FROM bills WHERE account_id = ? ORDER BY bill_date DESC, id DESC "
                  "LIMIT ?", [account_id, limit])
    out = []
    for r in rows:
        fee = _late_fee(db, r["id"])
        entry = _fee_entry(db, fee, account_id) if fee else None
        cents = fee["amount_cents"] if fee and entry and not _fee_reversed(db, entry) else None
        out.append(BillChoice(r["id"], r["bill_date"], r["consumption"], r["amount_cents"],
                              cents))
    return out


def _check_not_referred(db: Database, account_id: int) -> None:
    """Once an account is referred to a collection agency, the balance the agency is collecting
    must not change under it: adjustments are refused."""
    if db.scalar("SELECT 1 FROM collection_referrals WHERE account_id = ?", [account_id]):
        raise StateError("This account was referred to a collection agency: adjust it through "
                         "the agency's recall process.")
