"""The delinquency run and California SB 998 water shutoffs; restoring service after one.

Two steps, each with its own `delinquency_runs` row and audit rows (an opening one, a closing
one). Each is computed outside the write lock and written a chunk of accounts per short
transaction (jobs.py), re-judging inside the chunk any account whose ledger moved meanwhile; a
run interrupted half-way is finished by running it again the same day (same run, same
notices, nobody noticed or listed twice):

1. `run_notices` — for every active account with at least `minimum_past_due` past due, the
   notice its age calls for, once per delinquency: a reminder, a past-due notice, and then the
   written shutoff notice. The shutoff notice offers a payment plan (text from data) and names
   the earliest shutoff date: 7 business days after it is sent (SB 998) and not before the
   debt is 60 days past due, moved to a business day. When the service address differs from the
   mailing address a second notice goes to "Occupant" at the service address (the tenant who
   would lose water may never see the landlord's mail).
2. `run_shutoffs` — the shutoff list and a `shutoff_nonpay` service order for each account that
   is STILL eligible on the day: still past due by the minimum, 60+ days past due, a customer
   shutoff notice of this delinquency at least 7 business days old (and not stale), the occupant
   notice when one was required, no active payment plan, no current medical certification, no
   live shutoff order, not listed before on the same notice. Everything is re-checked on the
   day, because payments, plans and certifications arrive between the two runs.

"Days past due" follows the account screen's FIFO aging (payments pay the oldest charges
first), but counts from the DUE date of the oldest charge still unpaid, not its bill date: SB 998
speaks of a bill delinquent for 60 days, and counting from the bill date would shut water off
three weeks early. "Once per delinquency" means: not already sent on or after that due date, so
an account that catches up and falls behind again gets fresh notices.

Accounts on an active payment plan get no notices (they are arranging to pay). Accounts with a
current medical certification get reminders and past-due notices but never a shutoff notice.
Plans are reviewed first (`plans.review_plans`) so a plan broken today no longer protects.

`restore_service` raises the restore order and charges the reconnection fee, capped for
low-income customers (an approved, unexpired assistance enrolment), as one ledger journal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from tabulate import tabulate

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain import language as lang
from clerk_tui.domain.accounts import Alert, AlertContext, get_account
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility import jobs, letters, plans
from clerk_tui.domain.utility.calendar import (
    add_business_days,
    business_days_between,
    next_business_day,
    rule_set,
)

NOTICE_LETTERS = {"reminder": "reminder", "past_due": "past_due", "shutoff": "shutoff_notice"}
NOTICE_LABELS = {"reminder": "Reminder", "past_due": "Past due", "shutoff": "Shutoff notice"}
_STAGES = ("reminder", "past_due", "shutoff")


# ---- rules ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DelinquencyRules:
    minimum_past_due_cents: int
    charge_due_days: int
    reminder_after_days: int
    past_due_after_days: int
    shutoff_notice_after_days: int
    shutoff_min_days_past_due: int
    notice_business_days: int
    notice_valid_days: int
    plan_offer: str
    plan_offer_es: str = ""

    @property
    def plan_offers(self) -> dict[str, str]:
        """The plan offer in each letter language (Spanish falls back to English if missing)."""
        return {"en": self.plan_offer, "es": self.plan_offer_es or self.plan_offer}


def delinquency_rules(on: dt.date | None = None) -> DelinquencyRules:
    r = rule_set("delinquency", on)
    rules = DelinquencyRules(
        parse_money(str(r.get("minimum_past_due", "0.00"))), int(r.get("charge_due_days", 21)),
        int(r["reminder_after_days"]), int(r["past_due_after_days"]),
        int(r["shutoff_notice_after_days"]), int(r.get("shutoff_min_days_past_due", 60)),
        int(r.get("notice_business_days", 7)), int(r.get("notice_valid_days", 90)),
        str(r.get("plan_offer", "")).strip(), str(r.get("plan_offer_es", "")).strip())
    # SB 998 floors: a data edit may make the city stricter, never below the law.
    if rules.shutoff_min_days_past_due < 60 or rules.notice_business_days < 7:
        raise ValidationError("collections.toml: SB 998 requires shutoff_min_days_past_due >= 60 "
                              "and notice_business_days >= 7.")
    return rules


@dataclass(frozen=True)
class ReconnectionRules:
    fee_cents: int
    after_hours_fee_cents: int
    low_income_cap_cents: int
    low_income_after_hours_cap_cents: int
    fund: str
    gl_code: str
    description: str

    def fee(self, *, after_hours: bool, low_income: bool) -> tuple[int, bool]:
        """(fee, capped): the fee for the hour, capped for a low-income household."""
        fee = self.after_hours_fee_cents if after_hours else self.fee_cents
        if not low_income:
            return fee, False
        cap = self.low_income_after_hours_cap_cents if after_hours else self.low_income_cap_cents
        return min(fee, cap), fee > cap


def reconnection_rules(on: dt.date | None = None) -> ReconnectionRules:
    r = rule_set("reconnection", on)
    return ReconnectionRules(
        parse_money(str(r["fee"])), parse_money(str(r["after_hours_fee"])),
        parse_money(str(r["low_income_cap"])), parse_money(str(r["low_income_after_hours_cap"])),
        str(r.get("fund", "")), str(r.get("gl_code", "")),
        str(r.get("description", "Reconnection fee")))


# ---- how delinquent an account is ---------------------------------------------------------------
@dataclass(frozen=True)
class Standing:
    account_id: int
    balance_cents: int
    past_due_cents: int  # unpaid charges whose due date has passed
    oldest_due: str | None  # due date of the oldest unpaid charge
    days_past_due: int  # days since that due date (0 when it is not past)


def standings(db: Database, on: dt.date | None = None, *, account_ids: list[int] | None = None,
              statuses: tuple[str, ...] = ("active",)) -> dict[int, Standing]:
    """Standing of every account (of `statuses`) that owes something on `on` (FIFO aging)."""
    on = on or clock.today()
    rules = delinquency_rules(on)
    marks = ",".join("?" * len(statuses))
    where = f"a.status IN ({marks})"
    args: list[object] = [*statuses]
    if account_ids is not None:
        if not account_ids:
            return {}
        where += f" AND a.id IN ({','.join('?' * len(account_ids))})"
        args += account_ids
    rows = db.all(
        "SELECT le.id, le.account_id, le.amount_cents, j.business_date, b.due_date "
        "FROM ledger_entries le JOIN journals j ON j.id = le.journal_id "
        "JOIN accounts a ON a.id = le.account_id "
        "LEFT JOIN bills b ON b.journal_id = le.journal_id AND b.account_id = le.account_id "
        f"WHERE le.book = 'account' AND j.business_date <= ? AND {where} "
        "ORDER BY le.account_id, j.business_date, le.id", [on.isoformat(), *args])
    by_account: dict[int, list[dict]] = {}
    for r in rows:
        by_account.setdefault(r["account_id"], []).append(r)
    out: dict[int, Standing] = {}
    lag = dt.timedelta(days=rules.charge_due_days)
    for account_id, entries in by_account.items():
        balance = sum(e["amount_cents"] for e in entries)
        if balance <= 0:
            continue
        remaining = balance
        past_due = 0
        oldest: dt.date | None = None
        charges = [e for e in entries if e["amount_cents"] > 0]
        for e in reversed(charges):  # newest first: what is still owed is the newest
            if remaining <= 0:
                break
            take = min(remaining, e["amount_cents"])
            due = (dt.date.fromisoformat(e["due_date"]) if e["due_date"]
                   else dt.date.fromisoformat(e["business_date"][:10]) + lag)
            oldest = due if oldest is None or due < oldest else oldest
            if due < on:
                past_due += take
            remaining -= take
        if remaining > 0:  # owed beyond every charge on file: as old as the oldest
            past_due += remaining
        days = (on - oldest).days if oldest and oldest < on else 0
        out[account_id] = Standing(account_id, balance, past_due,
                                   oldest.isoformat() if oldest else None, max(0, days))
    return out


def standing_of(db: Database, account_id: int, on: dt.date | None = None) -> Standing:
    found = standings(db, on, account_ids=[account_id],
                      statuses=("pending", "active", "closed", "inactive"))
    return found.get(account_id) or Standing(account_id, ledger.account_balance(db, account_id),
                                             0, None, 0)


def medical_accounts(db: Database, on: dt.date) -> set[int]:
    """Accounts with a medical certification in force on `on`."""
    day = on.isoformat()
    return {r["account_id"] for r in db.all(
        "SELECT DISTINCT account_id FROM medical_certifications "
        "WHERE received_on <= ? AND expires_on >= ?", [day, day])}


def low_income(db: Database, account_id: int, on: dt.date) -> bool:
    """An approved assistance enrolment that has not expired."""
    return bool(db.scalar(
        "SELECT 1 FROM assistance_enrollments WHERE account_id = ? AND status = 'approved' "
        "AND (expires_on IS NULL OR expires_on >= ?)", [account_id, on.isoformat()]))


# ---- runs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunLine:
    account_id: int
    account_number: str
    name: str
    action: str  # notice kind, 'shutoff_list' or 'skipped'
    amount_cents: int
    days_past_due: int
    detail: str = ""
    notice_ids: tuple[int, ...] = ()
    order_id: int | None = None
    shutoff_on: str = ""  # a shutoff notice's earliest shutoff date
    occupant: bool = False  # an Occupant copy went too
    notice_sent: str = ""  # the shutoff notice a shutoff-list line rests on


@dataclass(frozen=True)
class DelinquencyRun:
    id: int
    kind: str  # 'notices' | 'shutoff'
    run_on: str
    lines: tuple[RunLine, ...] = field(default_factory=tuple)
    plan_changes: tuple[plans.PlanChange, ...] = ()

    @property
    def done(self) -> list[RunLine]:
        return [ln for ln in self.lines if ln.action != "skipped"]

    @property
    def skipped(self) -> list[RunLine]:
        return [ln for ln in self.lines if ln.action == "skipped"]


def _worklist(db: Database, on: dt.date, found: dict[int, Standing], in_run_sql: str,
              run_id: int, wanted: Callable[[Standing, str, str, set[int], set[int]], bool]
              ) -> tuple[dict[int, tuple[str, str]], list[int]]:
    """Both runs' compute step: the number and name of every account found owing or already
    in this run, and the accounts to visit, in name order: those already in the run (to finish
    an interrupted run) and those `wanted(standing, number, name, on_plan, medical)` picks."""
    on_plan, medical = plans.accounts_on_active_plans(db), medical_accounts(db, on)
    in_run = {r["account_id"] for r in db.all(in_run_sql, [run_id])}
    names = _names(db, sorted(set(found) | in_run))
    todo = [i for i in sorted(set(found) | in_run, key=lambda i: names[i][0])
            if i in in_run or wanted(found[i], *names[i], on_plan, medical)]
    return names, todo


def _names(db: Database, ids: list[int]) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    rows = db.all("SELECT a.id, a.number, c.name FROM accounts a JOIN customers c "
                  f"ON c.id = a.customer_id WHERE a.id IN ({','.join('?' * len(ids))})", ids)
    return {r["id"]: (f"{r['number'][:7]}-{r['number'][7]}", r["name"]) for r in rows}


def _sent(db: Database, account_id: int, kind: str, since: str,
          addressee: str = "customer") -> dict | None:
    """The latest notice of `kind` sent on or after `since` (this delinquency)."""
    return db.one("SELECT * FROM notices WHERE account_id = ? AND kind = ? AND addressee = ? "
                  "AND sent_on >= ? ORDER BY sent_on DESC, id DESC LIMIT 1",
                  [account_id, kind, addressee, since])


def _stage(st: Standing, rules: DelinquencyRules) -> str | None:
    if st.days_past_due >= rules.shutoff_notice_after_days:
        return "shutoff"
    if st.days_past_due >= rules.past_due_after_days:
        return "past_due"
    if st.days_past_due >= rules.reminder_after_days:
        return "reminder"
    return None


def earliest_shutoff(sent_on: dt.date, oldest_due: dt.date, rules: DelinquencyRules) -> dt.date:
    """The first day a shutoff on this notice is lawful (and a business day)."""
    return next_business_day(max(add_business_days(sent_on, rules.notice_business_days),
                                 oldest_due + dt.timedelta(days=rules.shutoff_min_days_past_due)))


def _notice(db: Database, actor: Actor, run_id: int, account_id: int, kind: str,
            addressee: str, on: dt.date, st: Standing, shutoff_on: dt.date | None,
            rules: DelinquencyRules) -> int:
    context = {"amount_past_due": format_money(st.past_due_cents),
               "days_past_due": str(st.days_past_due),
               "plan_offer": rules.plan_offers,
               "shutoff_date": lang.dates(shutoff_on) if shutoff_on else ""}
    letter = letters.issue_letter(db, actor, account_id, NOTICE_LETTERS[kind], context=context,
                                  addressee=addressee)
    return db.insert("notices", {
        "account_id": account_id, "run_id": run_id, "kind": kind, "addressee": addressee,
        "sent_on": on.isoformat(), "amount_cents": st.past_due_cents,
        "shutoff_on_or_after": shutoff_on.isoformat() if shutoff_on else None,
        "letter_id": letter.id})


NOTICE_CHUNK = 100  # accounts per write transaction of a notices run (a letter each, or two)
SHUTOFF_CHUNK = 100  # accounts per write transaction of a shutoff run (an order each)
_RUN_ACTIONS = {"notices": "delinquency.notices", "shutoff": "delinquency.shutoff"}


def _open_run(db: Database, actor: Actor, kind: str, on: dt.date) -> int:
    """The run to write into: today's run of this kind when it was interrupted (its opening
    audit row has no closing one after it), else a new run with its opening audit row.

    Resuming the same run keeps a run killed half-way and started again one run, whose notices
    and list are what one clean run would have made."""
    action = _RUN_ACTIONS[kind]
    with db.write():
        last = db.scalar("SELECT max(id) FROM delinquency_runs WHERE kind = ? AND run_on = ?",
                         [kind, on.isoformat()])
        if last and jobs.finished(db, f"delinquency_run:{last}", f"{action}.start",
                                  action) is False:
            return int(last)
        run_id = db.insert("delinquency_runs", {"run_on": on.isoformat(), "kind": kind,
                                                "created_at": clock.stamp(),
                                                "created_by": actor.username})
        audit.record(db, actor, f"{action}.start", f"delinquency_run:{run_id}",
                     after={"run_on": on.isoformat()})
        return run_id


def _in(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


def _plans_and_medical(db: Database, ids: list[int], on: dt.date) -> tuple[set[int], set[int]]:
    """Which of `ids` are on an active payment plan, and which have a medical certification in
    force on `on` (read again in each chunk: both arrive at the counter any time)."""
    if not ids:
        return set(), set()
    on_plan = {r["account_id"] for r in db.all(
        "SELECT account_id FROM payment_plans WHERE status = 'active' "
        f"AND account_id IN ({_in(ids)})", ids)}
    medical = {r["account_id"] for r in db.all(
        "SELECT DISTINCT account_id FROM medical_certifications WHERE received_on <= ? "
        f"AND expires_on >= ? AND account_id IN ({_in(ids)})",
        [on.isoformat(), on.isoformat(), *ids])}
    return on_plan, medical


def _owing(db: Database, on: dt.date, rules: DelinquencyRules, ids: list[int] | None = None,
           *, min_days: int = 0) -> dict[int, Standing]:
    return {k: v for k, v in standings(db, on, account_ids=ids).items()
            if v.past_due_cents >= rules.minimum_past_due_cents
            and v.days_past_due >= min_days}


def _fresh(db: Database, on: dt.date, rules: DelinquencyRules, planned: dict[int, Standing],
           mark: int, ids: list[int], *, min_days: int = 0) -> dict[int, Standing]:
    """Inside a chunk's transaction: the standing of each of `ids`, recomputed for an account
    whose ledger moved since the plan was made (a payment, a bill, an adjustment); an account
    that no longer owes enough is left out."""
    moved = jobs.moved_since(db, mark, ids)
    again = _owing(db, on, rules, sorted(moved), min_days=min_days) if moved else {}
    out = {i: (again.get(i) if i in moved else planned.get(i)) for i in ids}
    return {i: st for i, st in out.items() if st is not None}


@dataclass(frozen=True)
class _NoticeDecision:
    skipped: tuple[RunLine, ...]  # lines that say why a notice is not (or a lesser one is) sent
    stage: str | None  # the notice to send, None for none
    shutoff_on: dt.date | None


def _decide_notice(db: Database, st: Standing, number: str, name: str, rules: DelinquencyRules,
                   on: dt.date, on_plan: set[int], medical: set[int]) -> _NoticeDecision | None:
    """What the run does for one account (reads only); None when nothing at all."""
    stage = _stage(st, rules)
    if stage is None or st.oldest_due is None:
        return None

    def skip(detail: str) -> RunLine:
        return RunLine(st.account_id, number, name, "skipped", st.past_due_cents,
                       st.days_past_due, detail)

    if st.account_id in on_plan:
        return _NoticeDecision((skip("on a payment plan"),), None, None)
    skipped: tuple[RunLine, ...] = ()
    if stage == "shutoff" and st.account_id in medical:
        skipped = (skip("medical certification: no shutoff notice"),)
        stage = "past_due"
    # Once per delinquency; a later stage already sent covers the earlier ones.
    later = _STAGES[_STAGES.index(stage):]
    if any(_sent(db, st.account_id, k, st.oldest_due) for k in later):
        return _NoticeDecision(skipped, None, None) if skipped else None
    shutoff_on = None
    if stage == "shutoff":
        shutoff_on = earliest_shutoff(on, dt.date.fromisoformat(st.oldest_due), rules)
    return _NoticeDecision(skipped, stage, shutoff_on)


def _notice_line(st: Standing, number: str, name: str, kind: str, shutoff_on: str | None,
                 ids: tuple[int, ...]) -> RunLine:
    detail = f"shutoff on/after {shutoff_on}" if shutoff_on else ""
    if len(ids) > 1:
        detail += "; occupant notice too"
    return RunLine(st.account_id, number, name, kind, st.past_due_cents, st.days_past_due,
                   detail, ids, shutoff_on=shutoff_on or "", occupant=len(ids) > 1)


def run_notices(db: Database, actor: Actor, *, on: dt.date | None = None,
                chunk_size: int | None = None,
                progress: jobs.Progress | None = None) -> DelinquencyRun:
    """Step 1: reminders, past-due notices and SB 998 shutoff notices (see module docstring).

    Computed outside the write lock, written `chunk_size` accounts per short transaction
    (jobs.py): an account whose ledger moved meanwhile is judged again inside its chunk, and a
    notice already sent this delinquency is never sent twice, so an interrupted run started
    again the same day finishes the same run with the same notices.
    """
    authority().require(actor, "delinquency.run", what="run delinquency notices")
    on = on or clock.today()
    rules = delinquency_rules(on)
    changes = plans.review_plans(db, actor, on)
    run_id = _open_run(db, actor, "notices", on)
    # ---- compute (no write lock): stamps first, then the figures they vouch for
    mark = jobs.ledger_mark(db)
    found = _owing(db, on, rules)
    names, todo = _worklist(
        db, on, found, "SELECT DISTINCT account_id FROM notices WHERE run_id = ?", run_id,
        lambda st, number, name, on_plan, medical: _decide_notice(
            db, st, number, name, rules, on, on_plan, medical) is not None)
    # ---- write, chunk by chunk
    lines: list[RunLine] = []
    parts = jobs.chunked(todo, chunk_size or NOTICE_CHUNK)
    chunks = jobs.Chunks(db, len(parts), progress)
    for part in parts:
        ids = list(part)
        with chunks.write():
            current = _fresh(db, on, rules, found, mark, ids)
            plan_now, medical_now = _plans_and_medical(db, ids, on)
            done = {}
            for r in db.all(f"SELECT * FROM notices WHERE run_id = ? AND account_id IN "
                            f"({_in(ids)}) AND addressee = 'customer' ORDER BY id",
                            [run_id, *ids]):
                done[r["account_id"]] = r
            for account_id in ids:
                st = current.get(account_id)
                number, name = names[account_id]
                d = (None if st is None else
                     _decide_notice(db, st, number, name, rules, on, plan_now, medical_now))
                if d is not None:
                    lines += d.skipped
                if account_id in done:  # sent by this run before it was interrupted
                    st = st or found.get(account_id) or Standing(account_id, 0, 0, None, 0)
                    first = done[account_id]
                    ids_sent = tuple(r["id"] for r in db.all(
                        "SELECT id FROM notices WHERE run_id = ? AND account_id = ? "
                        "ORDER BY id", [run_id, account_id]))
                    lines.append(_notice_line(st, number, name, first["kind"],
                                              first["shutoff_on_or_after"], ids_sent))
                    continue
                if st is None or d is None or d.stage is None:
                    continue
                sent = [_notice(db, actor, run_id, account_id, d.stage, "customer", on, st,
                                d.shutoff_on, rules)]
                if d.stage == "shutoff" and letters.addresses(db, account_id).differ:
                    sent.append(_notice(db, actor, run_id, account_id, d.stage, "occupant", on,
                                        st, d.shutoff_on, rules))
                lines.append(_notice_line(st, number, name, d.stage,
                                          d.shutoff_on.isoformat() if d.shutoff_on else None,
                                          tuple(sent)))
    with db.write():
        audit.record(db, actor, "delinquency.notices", f"delinquency_run:{run_id}", after={
            "run_on": on.isoformat(),
            "notices": {k: sum(1 for ln in lines if ln.action == k) for k in _STAGES},
            "skipped": sum(1 for ln in lines if ln.action == "skipped"),
            "plans": [(c.plan.id, c.plan.status) for c in changes], "chunks": len(parts)})
    return DelinquencyRun(run_id, "notices", on.isoformat(), tuple(lines), tuple(changes))


def _create_shutoff_order(db: Database, actor: Actor, account_id: int, run_id: int,
                          on: dt.date, reason: str) -> int:
    """The turn-off order, through the service desk's order module (its rules, its audit)."""
    from clerk_tui.domain.utility import orders

    order = orders.create_order(db, actor, account_id, "shutoff_nonpay", priority="routine",
                                requested_on=on.isoformat(), reason=reason,
                                delinquency_run_id=run_id)
    return order.id


def _decide_shutoff(db: Database, st: Standing, number: str, name: str,
                    rules: DelinquencyRules, on: dt.date, on_plan: set[int],
                    medical: set[int]) -> tuple[RunLine | None, dict | None]:
    """(line, notice to list the account on) for one account (reads only); (None, None) when
    the account is left out silently (already on its way, or listed before on this notice)."""
    account_id = st.account_id
    assert st.oldest_due is not None

    def skip(detail: str) -> tuple[RunLine, None]:
        return RunLine(account_id, number, name, "skipped", st.past_due_cents,
                       st.days_past_due, detail), None

    if db.scalar("SELECT id FROM service_orders WHERE account_id = ? AND kind = "
                 "'shutoff_nonpay' AND status IN ('open','dispatched')", [account_id]):
        return None, None  # already on its way
    stale = (on - dt.timedelta(days=rules.notice_valid_days)).isoformat()
    notice = _sent(db, account_id, "shutoff", max(st.oldest_due, stale))
    if notice is None:
        return skip("no shutoff notice for this debt yet")
    if db.scalar("SELECT 1 FROM shutoff_list WHERE notice_id = ?", [notice["id"]]):
        return None, None  # listed before on this notice: a new notice is needed first
    if account_id in on_plan:
        return skip("on a payment plan")
    if account_id in medical:
        return skip("medical certification on file")
    sent = dt.date.fromisoformat(notice["sent_on"])
    given = business_days_between(sent, on)
    earliest = dt.date.fromisoformat(notice["shutoff_on_or_after"] or on.isoformat())
    if given < rules.notice_business_days or on < earliest:
        return skip(f"notice period: not before "
                    f"{max(earliest, add_business_days(sent, rules.notice_business_days))}")
    if letters.addresses(db, account_id).differ and not _sent(
            db, account_id, "shutoff", notice["sent_on"], "occupant"):
        return skip("no notice to the occupant")
    return None, notice


def _listed_line(st: Standing, number: str, name: str, order_id: int, notice_id: int,
                 notice_sent: str) -> RunLine:
    return RunLine(st.account_id, number, name, "shutoff_list", st.past_due_cents,
                   st.days_past_due, f"notice {notice_sent}", (notice_id,), order_id,
                   notice_sent=notice_sent)


def run_shutoffs(db: Database, actor: Actor, *, on: dt.date | None = None,
                 chunk_size: int | None = None,
                 progress: jobs.Progress | None = None) -> DelinquencyRun:
    """Step 2: the shutoff list and its turn-off orders (every condition re-checked today).

    Computed outside the write lock and written in short chunks like `run_notices`; an
    account already listed (by this run before an interruption, or any live shutoff order) is
    never listed twice.
    """
    authority().require(actor, "delinquency.run", what="run the shutoff list")
    on = on or clock.today()
    rules = delinquency_rules(on)
    changes = plans.review_plans(db, actor, on)
    run_id = _open_run(db, actor, "shutoff", on)
    minimum = rules.shutoff_min_days_past_due
    # ---- compute (no write lock)
    mark = jobs.ledger_mark(db)
    found = _owing(db, on, rules, min_days=minimum)
    names, todo = _worklist(
        db, on, found, "SELECT account_id FROM shutoff_list WHERE run_id = ?", run_id,
        lambda st, number, name, on_plan, medical: _decide_shutoff(
            db, st, number, name, rules, on, on_plan, medical) != (None, None))
    # ---- write, chunk by chunk
    lines: list[RunLine] = []
    parts = jobs.chunked(todo, chunk_size or SHUTOFF_CHUNK)
    chunks = jobs.Chunks(db, len(parts), progress)
    for part in parts:
        ids = list(part)
        with chunks.write():
            current = _fresh(db, on, rules, found, mark, ids, min_days=minimum)
            plan_now, medical_now = _plans_and_medical(db, ids, on)
            listed = {r["account_id"]: r for r in db.all(
                "SELECT s.*, n.sent_on FROM shutoff_list s JOIN notices n ON n.id = s.notice_id "
                f"WHERE s.run_id = ? AND s.account_id IN ({_in(ids)})", [run_id, *ids])}
            for account_id in ids:
                st = current.get(account_id)
                number, name = names[account_id]
                if account_id in listed:  # listed by this run before it was interrupted
                    r = listed[account_id]
                    st = st or found.get(account_id) or Standing(account_id, 0, 0, None, 0)
                    lines.append(_listed_line(st, number, name, r["service_order_id"],
                                              r["notice_id"], r["sent_on"]))
                    continue
                if st is None:
                    continue
                line, notice = _decide_shutoff(db, st, number, name, rules, on, plan_now,
                                               medical_now)
                if line is not None:
                    lines.append(line)
                if notice is None:
                    continue
                reason = (f"Nonpayment: {format_money(st.past_due_cents)} past due "
                          f"{st.days_past_due} days; notice sent {notice['sent_on']}")
                order_id = _create_shutoff_order(db, actor, account_id, run_id, on, reason)
                db.insert("shutoff_list", {"run_id": run_id, "account_id": account_id,
                                           "amount_cents": st.past_due_cents,
                                           "notice_id": notice["id"],
                                           "service_order_id": order_id})
                lines.append(_listed_line(st, number, name, order_id, notice["id"],
                                          notice["sent_on"]))
    with db.write():
        audit.record(db, actor, "delinquency.shutoff", f"delinquency_run:{run_id}", after={
            "run_on": on.isoformat(),
            "listed": [ln.account_number for ln in lines if ln.action == "shutoff_list"],
            "skipped": sum(1 for ln in lines if ln.action == "skipped"),
            "plans": [(c.plan.id, c.plan.status) for c in changes], "chunks": len(parts)})
    return DelinquencyRun(run_id, "shutoff", on.isoformat(), tuple(lines), tuple(changes))


def format_run(run: DelinquencyRun) -> str:
    """The run as a plain-text report (shown on screen, printed, saved); fits 76 columns."""
    title = ("Delinquency notices" if run.kind == "notices" else "Shutoff list")
    out = [f"{title}: run {run.id} on {run.run_on}", ""]
    done = run.done
    if not done:
        out.append("Nothing to do today.")
    elif run.kind == "notices":
        out.append(tabulate(
            [[ln.account_number, ln.name[:14], _SHORT[ln.action], format_money(ln.amount_cents),
              ln.days_past_due, ln.shutoff_on, "yes" if ln.occupant else ""] for ln in done],
            headers=["Account", "Name", "Notice", "Past due", "Days", "Shutoff from",
                     "Occupant"],
            colalign=("left", "left", "left", "right", "right", "left", "left"),
            disable_numparse=True))
    else:
        out.append(tabulate(
            [[ln.account_number, ln.name[:16], format_money(ln.amount_cents), ln.days_past_due,
              f"#{ln.order_id}" if ln.order_id else "", ln.notice_sent] for ln in done],
            headers=["Account", "Name", "Past due", "Days", "Order", "Notice sent"],
            colalign=("left", "left", "right", "right", "left", "left"),
            disable_numparse=True))
    out += ["", f"{len(done)} account(s). Total past due "
                f"{format_money(sum(ln.amount_cents for ln in done))}."]
    if run.skipped:
        out += ["", "Not included:"]
        out.append(tabulate([[ln.account_number, ln.name[:16], format_money(ln.amount_cents),
                              ln.days_past_due, ln.detail] for ln in run.skipped],
                            headers=["Account", "Name", "Past due", "Days", "Why"],
                            colalign=("left", "left", "right", "right", "left"),
                            disable_numparse=True))
    if run.plan_changes:
        out += ["", "Payment plans reviewed:"]
        out += [f"  plan {c.plan.id} (account id {c.plan.account_id}): {c.plan.status} - "
                f"{c.plan.end_reason or ''}" for c in run.plan_changes]
    return "\n".join(out) + "\n"


_SHORT = {"reminder": "Reminder", "past_due": "Past due", "shutoff": "Shutoff"}


def notices_for(db: Database, account_id: int) -> list[dict]:
    """The account's notices, newest first (plain rows: kind, addressee, sent_on, …)."""
    return db.all("SELECT * FROM notices WHERE account_id = ? ORDER BY sent_on DESC, id DESC",
                  [account_id])


# ---- restoring service --------------------------------------------------------------------------
@dataclass(frozen=True)
class Restoration:
    account_id: int
    order_id: int
    fee_cents: int
    capped: bool  # the low-income cap lowered the fee
    low_income: bool
    after_hours: bool
    journal_id: int


@dataclass(frozen=True)
class RestoreQuote:
    """What a restoration would charge, for the screen to show before the clerk confirms."""

    fee_cents: int
    capped: bool
    low_income: bool
    problem: str  # '' when a restore may be made, else why not


def _restorable(db: Database, account_id: int) -> str:
    shutoff = db.scalar("SELECT max(id) FROM service_orders WHERE account_id = ? AND kind = "
                        "'shutoff_nonpay' AND status != 'cancelled'", [account_id])
    restored = db.scalar("SELECT max(id) FROM service_orders WHERE account_id = ? AND kind = "
                         "'restore' AND status != 'cancelled'", [account_id])
    if not shutoff or (restored and restored > shutoff):
        return "This account has no shutoff for nonpayment to restore."
    return ""


def restore_quote(db: Database, account_id: int, *, after_hours: bool = False) -> RestoreQuote:
    on = clock.today()
    poor = low_income(db, account_id, on)
    fee, capped = reconnection_rules(on).fee(after_hours=after_hours, low_income=poor)
    return RestoreQuote(fee, capped, poor, _restorable(db, account_id))


def restore_service(db: Database, actor: Actor, account_id: int, *, after_hours: bool = False,
                    note: str = "") -> Restoration:
    """A restore order and the reconnection fee (low-income cap from data), one transaction.

    Refused unless the account's latest shutoff for nonpayment (not cancelled) has no restore
    order after it: a second restore would charge the fee twice.
    """
    authority().require(actor, "service.order", what="restore service")
    text = clean_text(note, field="Note", max_len=200)
    on = clock.today()
    rules = reconnection_rules(on)
    with db.write():
        account = get_account(db, account_id)
        problem = _restorable(db, account_id)
        if problem:
            raise StateError(problem)
        poor = low_income(db, account_id, on)
        fee, capped = rules.fee(after_hours=after_hours, low_income=poor)
        journal_id = 0
        if fee > 0:
            memo = rules.description + (" (after hours)" if after_hours else "") + \
                (" - low-income cap" if capped else "")
            posted = ledger.post(db, actor, "fee", [
                ledger.Entry("account", "fee", fee, account_id=account_id, fund=rules.fund,
                             gl_code=rules.gl_code, memo=memo),
                ledger.Entry("revenue", "fee", -fee, fund=rules.fund, gl_code=rules.gl_code,
                             memo=memo),
            ], memo=memo)
            journal_id = posted.journal_id
        from clerk_tui.domain.utility import orders

        reason = "Restore after shutoff for nonpayment" + (f": {text}" if text else "")
        order = orders.create_order(db, actor, account_id, "restore",
                                    priority="emergency" if after_hours else "urgent",
                                    requested_on=on.isoformat(), reason=reason)
        audit.record(db, actor, "service.restore", f"account:{account.number}", after={
            "order_id": order.id, "fee_cents": fee, "low_income": poor, "capped": capped,
            "after_hours": after_hours, "journal_id": journal_id or None})
    return Restoration(account_id, order.id, fee, capped, poor, after_hours, journal_id)


# ---- the account screen's alert ----------------------------------------------------------------
def shutoff_alert(db: Database, ctx: AlertContext) -> list[Alert]:
    order = db.one("SELECT id, status FROM service_orders WHERE account_id = ? AND kind = "
                   "'shutoff_nonpay' AND status IN ('open','dispatched') ORDER BY id DESC "
                   "LIMIT 1", [ctx.account.id])
    if order:
        return [Alert("shutoff_order", "stop",
                      f"Shutoff for nonpayment: order #{order['id']} is {order['status']}.")]
    if ctx.aging.past_60 <= 0 and ctx.aging.days_30 <= 0:
        return []
    notice = db.one("SELECT sent_on, shutoff_on_or_after FROM notices WHERE account_id = ? "
                    "AND kind = 'shutoff' AND addressee = 'customer' "
                    "ORDER BY sent_on DESC, id DESC LIMIT 1", [ctx.account.id])
    if notice and notice["shutoff_on_or_after"]:
        return [Alert("shutoff_notice", "warn",
                      f"Shutoff notice sent {notice['sent_on']}: shutoff possible on or after "
                      f"{notice['shutoff_on_or_after']}.")]
    return []
