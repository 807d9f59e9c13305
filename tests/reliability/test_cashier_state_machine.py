"""Stateful fuzzing of the cashier: hypothesis drives a day at the counter in any order.

Four people work two-ish drawers each: a CSR II, a CSR III, a CSR I (who needs a supervisor for
voids and larger paid-outs) and a supervisor (who approves, reopens, reverses, and can refund a
reversal from their own drawer). Rules: open a drawer, pay (single and split tender, change,
check, card, money order; some sales are refused), pay again with the same key (replay), void,
reverse after close, paid-in / paid-out / pickup, begin balancing, resume, submit a blind count
(even, a little off, beyond tolerance), approve, reopen, open again.

An in-memory model predicts, for every operation, whether the domain must accept it or refuse
it (and with which error), the receipt number, change and printed balance, each account's
balance, and each drawer's book by tender, state and count. After every step the model is
compared with the domain's own numbers (drawer_totals, cash_on_hand, x_report, current_count,
account_balance) and every invariant of `check_db` is checked. A refused operation must leave
the database exactly as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth, clock, ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    begin_balancing,
    current_session,
    get_session,
    new_idempotency_key,
    open_session,
    paid_in,
    paid_out,
    pickup,
    post_payment,
    reopen_session,
    resume_session,
    reverse_receipt,
    submit_count,
    void_receipt,
    x_report,
)
from clerk_tui.domain.cashier.closing import current_count
from clerk_tui.domain.cashier.denominations import make_change
from clerk_tui.domain.cashier.sessions import cash_on_hand, drawer_totals
from clerk_tui.domain.errors import (
    NotFound,
    OverrideRequired,
    PermissionDenied,
    StateError,
    ValidationError,
)
from tests.reliability.invariants import check_db
from tests.reliability.writers import NOW, seed_database

CAST = {"c1": ("csr2", "ws-1"), "c2": ("csr3", "ws-2"), "c3": ("csr1", "ws-3"),
        "sup": ("supervisor", "ws-9")}  # username: (role, workstation)
PEOPLE: dict[str, Actor] = {}  # the CAST's actors, issued by auth once their clerks exist


def issue_people(db: Database, *names: str) -> None:
    """The domain only takes actors that auth issued: one per clerk of the CAST."""
    PEOPLE.clear()
    for name in names or CAST:
        PEOPLE[name] = auth.clerk_actor(db, name, CAST[name][1])
BALANCE = 50_000
BUSPASS = 4500  # data/fees.toml, effective 2024-07-01 (the clock is pinned to 2026-03-02)
SIGN = {"paid_in": 1, "paid_out": -1, "pickup": -1}
COUNTED = ("cash", "check", "money_order")

WHO = st.sampled_from(sorted(CAST))
CLERK = st.sampled_from(["c1", "c1", "c2", "c3"])
PICK = st.integers(0, 10**6)
AIM = st.booleans()  # True: pick among targets the model thinks valid (else any at all)
SUPERVISOR_MOSTLY = st.sampled_from(["sup", "sup", "sup", "c2"])
ITEM = st.one_of(
    st.tuples(st.just("account"), st.integers(0, 2), st.integers(1, 60_000)),
    st.tuples(st.just("copy"), st.just(0), st.integers(1, 2_000)),
    st.tuples(st.just("buspass"), st.just(0), st.just(0)),
    st.tuples(st.just("buspass_wrong_price"), st.just(0), st.just(0)),
)
STYLES = st.sampled_from(["cash_exact", "cash_change", "check", "card", "money_order",
                          "split_check", "split_card", "split_money_order", "over_check",
                          "short", "card_full_number"])
OUTCOMES: Counter[tuple[str, str]] = Counter()  # (operation, "done" or the refusal)

BANKS = st.sampled_from([None, {"twenties": 5}, {"tens": 3, "quarters": 8, "pennies": 50}])


def _nonzero(d: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in d.items() if v}


def fingerprint(db: Database) -> dict[str, Any]:
    """Everything a refused operation must leave as it was."""
    tables = [r["name"] for r in db.all(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out: dict[str, Any] = {t: db.scalar(f'SELECT count(*) FROM "{t}"') for t in tables}
    out["drawer_sessions*"] = db.all("SELECT * FROM drawer_sessions ORDER BY id")
    out["counters*"] = db.all("SELECT * FROM counters ORDER BY name")
    out["accounts*"] = db.all("SELECT id, no_checks, status FROM accounts ORDER BY id")
    out["audit_head"] = audit.head(db)
    return out


@dataclass
class MSession:
    id: int
    clerk: str
    bank: int
    state: str = "open"
    book: Counter[str] = field(default_factory=Counter)
    over_short: dict[str, int] | None = None  # of the closing count in force


@dataclass
class MReceipt:
    number: int
    session: int
    total: int
    drawer: dict[str, int]
    credits: list[tuple[int, int]]
    undone: str | None = None


class CashierMachine(RuleBasedStateMachine):
    def __init__(self, template: Path) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="cashier-machine-"))
        path = self.dir / "counter.db"
        shutil.copyfile(template, path)
        self.db = Database.open(path, secret_path=f"{template}.secret")  # the template's key
        self.accounts = self.db.all("SELECT id, number, no_checks FROM accounts ORDER BY id")
        self.balances = {a["id"]: BALANCE for a in self.accounts}
        self.sessions: dict[int, MSession] = {}
        self.current: dict[str, int | None] = dict.fromkeys(PEOPLE)
        self.receipts: list[MReceipt] = []
        self.last_key: tuple[str, int] | None = None

    def teardown(self) -> None:
        self.db.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # ---- helpers -------------------------------------------------------------------------------
    def attempt(self, expect: type[Exception] | None, fn: Callable[..., Any], *args: Any,
                **kw: Any) -> Any:
        """Call `fn`; when the model says it must be refused, check the error and that the
        database did not change at all."""
        OUTCOMES[fn.__name__, expect.__name__ if expect else "done"] += 1
        if expect is None:
            return fn(*args, **kw)
        before = fingerprint(self.db)
        with pytest.raises(expect) as caught:
            fn(*args, **kw)
        assert type(caught.value) is expect, f"{fn.__name__}: {caught.value!r}"
        assert fingerprint(self.db) == before, \
            f"{fn.__name__} was refused ({caught.value}) but changed the database"
        return None

    def open_state(self, who: str) -> str | None:
        sid = self.current[who]
        return self.sessions[sid].state if sid is not None else None

    @staticmethod
    def _tender(kind: str, amount: int) -> Tender:
        if kind == "card":
            return Tender("card", amount, card_last4="4242", auth_code="AB12")
        return Tender(kind, amount, number="10045" if kind == "check" else "MO-77")

    def tenders(self, style: str, total: int, extra: int
                ) -> tuple[list[Tender], dict[str, int], int, bool]:
        """Tenders for a style, what they put in the drawer, the change, and refused?"""
        t = max(total, 1)
        if style == "cash_exact":
            return [Tender("cash", t)], {"cash": t}, 0, False
        if style == "cash_change":
            return [Tender("cash", t + extra + 1)], {"cash": t}, extra + 1, False
        if style in ("check", "card", "money_order"):
            return [self._tender(style, t)], {style: t}, 0, False
        if style.startswith("split_"):
            kind = style.removeprefix("split_")
            if t < 2:
                return [self._tender(kind, t)], {kind: t}, 0, False
            part = max(1, t // 3)
            return ([self._tender(kind, part), Tender("cash", t - part + extra)],
                    {kind: part, "cash": t - part}, extra, False)
        if style == "over_check":
            return [self._tender("check", t + 1 + extra)], {}, 0, True
        if style == "short":
            return [Tender("cash", t - 1)], {}, 0, True
        assert style == "card_full_number"
        return [Tender("card", t, card_last4="4111111111111111", auth_code="X1")], {}, 0, True

    # ---- rules -----------------------------------------------------------------------------------
    @initialize(bank=BANKS)
    def morning(self, bank: dict[str, int] | None) -> None:
        """The counter opens: the three clerks open their drawers (the supervisor may later)."""
        for who in ("c1", "c2", "c3"):
            self.open_drawer(who, bank)

    @rule(pick=PICK, bank=BANKS, aim=AIM)
    def open_again(self, pick: int, bank: dict[str, int] | None, aim: bool) -> None:
        people = sorted(PEOPLE)
        self.open_drawer(self._choose(pick, aim, people,
                                      [p for p in people if self.current[p] is None]), bank)

    def open_drawer(self, who: str, bank: dict[str, int] | None) -> None:
        count = DrawerCount(bank) if bank else None
        if self.current[who] is not None:
            self.attempt(StateError, open_session, self.db, PEOPLE[who], count)
            return
        s = self.attempt(None, open_session, self.db, PEOPLE[who], count)
        want = count.cash_cents if count else authority().default_opening_bank
        assert (s.opening_bank_cents, s.state) == (want, "open")
        self.sessions[s.id] = MSession(s.id, who, want)
        self.current[who] = s.id

    @rule(who=WHO, lines=st.lists(ITEM, min_size=1, max_size=3), style=STYLES,
          extra=st.integers(0, 2_500))
    def pay(self, who: str, lines: list[tuple[str, int, int]], style: str, extra: int) -> None:
        items: list[SaleItem] = []
        credits: list[tuple[int, int]] = []
        total, bad_item, no_checks = 0, False, False
        for kind, idx, amount in lines:
            if kind == "account":
                a = self.accounts[idx]
                items.append(SaleItem("account", a["number"], amount))
                credits.append((a["id"], amount))
                no_checks |= bool(a["no_checks"])
                total += amount
            elif kind == "copy":
                items.append(SaleItem("fee", "COPY", amount))
                total += amount
            elif kind == "buspass":
                items.append(SaleItem("fee", "BUSPASS"))
                total += BUSPASS
            else:
                items.append(SaleItem("fee", "BUSPASS", BUSPASS - 100))  # fixed price: refused
                bad_item = True
        tenders, drawer, change, bad_tender = self.tenders(style, total, extra)
        bad_tender |= no_checks and any(t.kind == "check" for t in tenders)
        expect = (StateError if self.open_state(who) != "open"
                  else ValidationError if bad_item or bad_tender else None)
        key = new_idempotency_key()
        r = self.attempt(expect, post_payment, self.db, PEOPLE[who], key, items, tenders)
        if r is None:
            return
        number = len(self.receipts) + 1
        rec = r.receipt
        assert (rec.number, rec.total_cents, rec.change_cents, r.replayed) == \
            (number, total, change, False)
        for account_id, amount in credits:
            self.balances[account_id] -= amount
        for item in rec.items:
            if item.account_id is not None:
                assert item.new_balance_cents == self.balances[item.account_id]
        sid = self.current[who]
        assert sid is not None and rec.drawer_session_id == sid
        self.sessions[sid].book.update(drawer)
        self.receipts.append(MReceipt(number, sid, total, drawer, credits))
        self.last_key = (key, number)

    @rule(who=CLERK, sales=st.lists(st.tuples(st.integers(0, 1), st.integers(1, 20_000),
                                               st.booleans()), min_size=1, max_size=4),
          cancel_last=st.booleans())
    def pay_cash(self, who: str, sales: list[tuple[int, int, bool]], cancel_last: bool) -> None:
        """The everyday line of customers: one bill each, paid in cash; maybe the last one
        changes their mind before leaving the counter (void)."""
        for account, amount, change in sales:
            self.pay(who, [("account", account, amount)],
                     "cash_change" if change else "cash_exact", amount % 700)
        if cancel_last and self.receipts:
            self.void(who, len(self.receipts) - 1, False)

    @rule(who=WHO)
    def pay_again_same_key(self, who: str) -> None:
        """Enter pressed twice, or a retry after a crash: the first receipt, nothing new."""
        if self.last_key is None:
            return
        key, number = self.last_key
        before = fingerprint(self.db)
        r = post_payment(self.db, PEOPLE[who], key, [SaleItem("fee", "COPY", 10)],
                         [Tender("cash", 10)])
        assert r.replayed and r.receipt.number == number
        assert fingerprint(self.db) == before

    @staticmethod
    def _choose(pick: int, aim: bool, every: list[Any], valid: list[Any]) -> Any:
        pool = valid if aim and valid else every
        return pool[pick % len(pool)]

    @rule(who=CLERK, pick=PICK, aim=AIM)
    def void(self, who: str, pick: int, aim: bool) -> None:
        if not self.receipts:
            expect = OverrideRequired if PEOPLE[who].role == "csr1" else NotFound
            self.attempt(expect, void_receipt, self.db, PEOPLE[who], 1, "KEY")
            return
        target = self._choose(pick, aim, self.receipts, [
            r for r in self.receipts if not r.undone and self.sessions[r.session].state == "open"])
        if aim:  # the clerk whose drawer it is comes to void it
            who = self.sessions[target.session].clerk
        actor = PEOPLE[who]
        sid = self.current[who]
        if actor.role == "csr1":
            expect: type[Exception] | None = OverrideRequired
        elif target.undone or sid is None or self.sessions[sid].state != "open" \
                or target.session != sid:
            expect = StateError
        else:
            expect = None
        res = self.attempt(expect, void_receipt, self.db, actor, target.number, "KEY", "model")
        if res is None:
            return
        assert res.receipt.voided and res.kind == "void"
        for account_id, amount in target.credits:
            self.balances[account_id] += amount
        self.sessions[target.session].book.subtract(target.drawer)
        target.undone = "void"

    @rule(who=st.sampled_from(["sup", "sup", "c1"]), pick=PICK, refund=st.booleans(), aim=AIM)
    def reverse(self, who: str, pick: int, refund: bool, aim: bool) -> None:
        if not self.receipts:
            return
        target = self._choose(pick, aim, self.receipts, [
            r for r in self.receipts if not r.undone
            and self.sessions[r.session].state in ("balanced", "approved")])
        if aim:  # the supervisor, handing money back only from a drawer they have open
            who = "sup"
            refund = refund and self.open_state("sup") == "open"
        mine = self.current[who]
        still_open = self.sessions[target.session].state in ("open", "balancing")
        no_drawer = refund and (mine is None or self.sessions[mine].state != "open")
        if who != "sup":
            expect: type[Exception] | None = OverrideRequired
        elif target.undone or still_open or no_drawer:
            expect = StateError
        elif refund and mine is not None and \
                target.total > self.sessions[mine].bank + self.sessions[mine].book["cash"]:
            expect = ValidationError  # the drawer cannot hand back cash it does not hold
        else:
            expect = None
        res = self.attempt(expect, reverse_receipt, self.db, PEOPLE[who], target.number,
                           "ERROR", "model", refund_from_drawer=refund)
        if res is None:
            return
        assert res.kind == "reversal" and res.receipt.void is not None
        for account_id, amount in target.credits:
            self.balances[account_id] += amount
        if refund:  # handed back in cash, whatever the customer had paid with
            assert mine is not None
            self.sessions[mine].book["cash"] -= target.total
        target.undone = "reversal"

    @rule(who=WHO, kind=st.sampled_from(sorted(SIGN)), amount=st.integers(1, 30_000))
    def cash_movement(self, who: str, kind: str, amount: int) -> None:
        actor = PEOPLE[who]
        limit = authority().limit(actor.role, "paid_out") if kind == "paid_out" else None
        sid = self.current[who]
        if limit is not None and amount > limit:
            expect: type[Exception] | None = OverrideRequired
        elif self.open_state(who) != "open":
            expect = StateError
        elif SIGN[kind] < 0 and sid is not None and \
                amount > self.sessions[sid].bank + self.sessions[sid].book["cash"]:
            expect = ValidationError
        else:
            expect = None
        call = {"paid_in": lambda: paid_in(self.db, actor, amount, "petty cash returned"),
                "paid_out": lambda: paid_out(self.db, actor, amount, "stamps", "V-12"),
                "pickup": lambda: pickup(self.db, actor, amount, "drop", bag="B1")}[kind]
        m = self.attempt(expect, call)
        if m is None:
            return
        assert sid is not None and m.drawer_session_id == sid and m.amount_cents == amount
        self.sessions[sid].book["cash"] += SIGN[kind] * amount

    @rule(who=WHO)
    def start_balancing(self, who: str) -> None:
        sid = self.current[who]
        if sid is None:
            self.attempt(StateError, begin_balancing, self.db, PEOPLE[who])
            return
        s = self.attempt(None, begin_balancing, self.db, PEOPLE[who])
        if self.sessions[sid].state == "open":
            self.sessions[sid].state = "balancing"
        assert (s.id, s.state) == (sid, self.sessions[sid].state)

    @rule(who=WHO, aim=AIM)
    def resume(self, who: str, aim: bool) -> None:
        """Back to taking payments (aim: after pressing "balance" by mistake)."""
        if aim and self.open_state(who) == "open":
            self.start_balancing(who)
        sid = self.current[who]
        if sid is None or self.sessions[sid].state != "balancing" \
                or self.sessions[sid].over_short is not None:
            self.attempt(StateError, resume_session, self.db, PEOPLE[who])
            return
        assert self.attempt(None, resume_session, self.db, PEOPLE[who]).state == "open"
        self.sessions[sid].state = "open"

    @rule(who=WHO, cash_off=st.sampled_from([0, 0, 0, 1, -1, -250, 499, 500, 501, -501, -1_200,
                                             3_000, 12_000]),
          list_checks=st.booleans())
    def count(self, who: str, cash_off: int, list_checks: bool) -> None:
        sid = self.current[who]
        if sid is None or self.sessions[sid].over_short is not None:
            self.attempt(StateError, submit_count, self.db, PEOPLE[who], DrawerCount())
            return
        s = self.sessions[sid]
        expected = {"cash": s.bank + s.book["cash"], "check": s.book["check"],
                    "money_order": s.book["money_order"]}
        counted = {"cash": max(0, expected["cash"] + cash_off),
                   "check": max(0, expected["check"]) if list_checks else 0,
                   "money_order": max(0, expected["money_order"])}
        count = DrawerCount(
            make_change(counted["cash"]),
            checks=[CountedItem("10045", counted["check"])] if counted["check"] else [],
            money_orders=[CountedItem("MO-77", counted["money_order"])]
            if counted["money_order"] else [])
        res = self.attempt(None, submit_count, self.db, PEOPLE[who], count)
        diff = {k: counted[k] - expected[k] for k in COUNTED}
        total = sum(diff.values())
        tolerance = authority().over_short_tolerance
        assert res.expected == expected and res.counted == counted
        assert res.over_short == diff and res.over_short_cents == total
        assert res.needs_approval == (abs(total) > tolerance)
        s.book.update(diff)
        s.over_short = diff
        s.state = "balancing" if res.needs_approval else "balanced"
        assert res.state == s.state
        if s.state == "balanced":  # no longer the clerk's current drawer: they may open another
            self.current[who] = None

    @rule(who=SUPERVISOR_MOSTLY, pick=PICK, aim=AIM,
          note=st.sampled_from(["", "recounted", "recounted"]))
    def approve(self, who: str, pick: int, aim: bool, note: str) -> None:
        if not self.sessions:
            return
        every = [self.sessions[k] for k in sorted(self.sessions)]
        self._approve(who, note, self._choose(pick, aim, every, [
            x for x in every if x.over_short is not None and x.clerk != "sup"
            and x.state in ("balancing", "balanced")]))

    def _approve(self, who: str, note: str, s: MSession) -> None:
        limit = authority().limit("supervisor", "over_short")
        if who != "sup" or s.clerk == "sup":
            expect: type[Exception] | None = PermissionDenied
        elif s.over_short is None or s.state not in ("balancing", "balanced"):
            expect = StateError
        elif s.state == "balancing" and abs(sum(s.over_short.values())) > limit:
            expect = OverrideRequired
        elif s.state == "balancing" and not note:
            expect = ValidationError
        else:
            expect = None
        v = self.attempt(expect, approve_session, self.db, PEOPLE[who], s.id, note)
        if v is None:
            return
        assert v.state == "approved"
        if self.current[s.clerk] == s.id:
            self.current[s.clerk] = None
        s.state = "approved"

    @rule(who=SUPERVISOR_MOSTLY, pick=PICK, aim=AIM,
          reason=st.sampled_from(["", "recount", "recount"]))
    def reopen(self, who: str, pick: int, aim: bool, reason: str) -> None:
        if not self.sessions:
            return
        every = [self.sessions[k] for k in sorted(self.sessions)]
        self._reopen(who, reason, self._choose(pick, aim, every, [
            x for x in every if x.state != "open" and self.current[x.clerk] in (None, x.id)]))

    def _reopen(self, who: str, reason: str, s: MSession) -> None:
        if who != "sup":
            expect: type[Exception] | None = PermissionDenied
        elif not reason:
            expect = ValidationError
        elif s.state == "open" or self.current[s.clerk] not in (None, s.id):
            expect = StateError
        else:
            expect = None
        v = self.attempt(expect, reopen_session, self.db, PEOPLE[who], s.id, reason)
        if v is None:
            return
        assert v.state == "open"
        if s.over_short is not None:
            s.book.subtract(s.over_short)
            s.over_short = None
        s.state = "open"
        self.current[s.clerk] = s.id

    @rule(who=CLERK, cash_off=st.sampled_from([0, 0, 3, -700]), reopen=st.booleans(),
          bank=BANKS, void_one=st.booleans(), reverse_one=st.booleans(), pick=PICK)
    def end_of_shift(self, who: str, cash_off: int, reopen: bool, bank: dict[str, int] | None,
                     void_one: bool, reverse_one: bool, pick: int) -> None:
        """Maybe a last void; count; the supervisor approves (or reopens for a recount) and
        maybe reverses one of the drawer's receipts; a new drawer opens."""
        sid = self.current[who]
        mine = [r for r in self.receipts if r.session == sid and not r.undone]
        if void_one and mine:
            self.void(who, pick, True)
        self.count(who, cash_off, True)
        if sid is None:
            return
        s = self.sessions[sid]
        if reopen:
            self._reopen("sup", "recount", s)
            return
        self._approve("sup", "short, recounted", s)
        if reverse_one and mine:
            self.reverse("sup", pick, False, True)
        self.open_drawer(who, bank)

    # ---- after every step ------------------------------------------------------------------------
    @invariant()
    def books_match_the_model(self) -> None:
        db = self.db
        for sid, s in self.sessions.items():
            name = f"drawer {sid} ({s.clerk})"
            assert _nonzero(drawer_totals(db, sid)) == _nonzero(dict(s.book)), name
            view = get_session(db, sid)
            assert view.state == s.state, name
            assert cash_on_hand(db, view) == s.bank + s.book["cash"], name
            assert (current_count(db, sid) is not None) == (s.over_short is not None), name
            if not (s.clerk == "sup" and s.state == "balancing" and s.over_short is None):
                x = x_report(db, PEOPLE["sup"], sid)
                assert x.drawer_total_cents == sum(s.book.values()), name
                assert x.receipt_count == sum(1 for r in self.receipts if r.session == sid)
        for who, actor in PEOPLE.items():
            cs = current_session(db, actor)
            assert (cs.id if cs else None) == self.current[who], who
        for account_id, balance in self.balances.items():
            assert ledger.account_balance(db, account_id) == balance, f"account {account_id}"
        undone = {r["number"]: r["kind"] for r in db.all(
            "SELECT r.number, v.kind FROM receipts r "
            "LEFT JOIN receipt_voids v ON v.receipt_id = r.id")}
        assert undone == {r.number: r.undone for r in self.receipts}
        check_db(db)


@pytest.fixture(autouse=True)
def _business_day() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.mark.slow
def test_cashier_state_machine(tmp_path: Path) -> None:
    template = tmp_path / "template.db"
    seed_database(template, clerks=[(name, role) for name, (role, _ws) in CAST.items()],
                  accounts=3, balance_cents=BALANCE)
    db = Database.open(template)
    try:
        issue_people(db)
        with db.write():  # the third account had a check returned: it takes no checks
            db.execute("UPDATE accounts SET no_checks = 1 WHERE id = (SELECT max(id) FROM "
                       "accounts)")
    finally:
        db.close()
    OUTCOMES.clear()
    run_state_machine_as_test(
        lambda: CashierMachine(template),
        settings=settings(max_examples=50, stateful_step_count=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.filter_too_much]))
    # The day really went somewhere: the main operations went through and were refused.
    # (How often each rule runs varies a lot between runs: hypothesis turns rules off at random
    # per example, so only operations that every run reaches many times are asserted on.)
    print("\n" + "\n".join(f"{op:>16} {how:<17} {n}" for (op, how), n in sorted(OUTCOMES.items())))
    for op in ("open_session", "post_payment", "submit_count", "approve_session",
               "void_receipt"):
        assert OUTCOMES[op, "done"] > 0, f"{op} never went through: {OUTCOMES}"
    for op in ("open_session", "post_payment", "submit_count", "void_receipt"):
        assert any(o == op and how != "done" for o, how in OUTCOMES), f"{op} never refused"
    done = sum(n for (_, how), n in OUTCOMES.items() if how == "done")
    assert done >= 300 and OUTCOMES.total() - done >= 100, OUTCOMES


def test_cash_back_on_a_card_reversal_leaves_the_drawer_balanced(tmp_path: Path) -> None:
    """Regression (found by the machine above): a reversal refunded from the drawer hands the
    customer cash, so the drawer's cash goes down, not its card or check total."""
    path = tmp_path / "counter.db"
    number = seed_database(path, clerks=[("c1", "csr2"), ("sup", "supervisor")], accounts=1)[0]
    db = Database.open(path)
    try:
        issue_people(db, "c1", "sup")
        c1, sup = PEOPLE["c1"], PEOPLE["sup"]
        open_session(db, c1)
        paid = post_payment(db, c1, new_idempotency_key(), [SaleItem("account", number, 10_000)],
                            [Tender("card", 10_000, card_last4="4242", auth_code="AB12")])
        closed = submit_count(db, c1, DrawerCount({"hundreds": 1, "fifties": 1}))
        approve_session(db, sup, closed.session_id)
        mine = open_session(db, sup, DrawerCount({"twenties": 4}))
        with pytest.raises(ValidationError, match="only \\$80.00 in cash"):
            reverse_receipt(db, sup, paid.receipt.number, "DUP", refund_from_drawer=True)
        paid_in(db, sup, 5_000, "change fund")
        reverse_receipt(db, sup, paid.receipt.number, "DUP", refund_from_drawer=True)
        assert drawer_totals(db, mine.id) == {"cash": 5_000 - 10_000}
        assert cash_on_hand(db, get_session(db, mine.id)) == 3_000
        res = submit_count(db, sup, DrawerCount({"tens": 3}))  # $130 - $100 handed back
        assert res.over_short_cents == 0 and not res.needs_approval
        check_db(db)
    finally:
        db.close()
