"""The books' invariants, checked from the database file alone.

One checker for every reliability test (crash safety, concurrency, stateful fuzzing): whatever
happened to the processes that wrote the file, these must hold. Each check reads the stored rows
and compares them with an independent computation (or with the domain's own functions, where
the domain promises a number: account balances, drawer totals, cash on hand, the audit chain).

`check_db(db)` runs on an open connection and is cheap enough to call after every step of a
state machine; `check_invariants(path)` opens the file, runs the same checks, and also runs the
real `clerk-tui audit verify --db PATH` in a subprocess. Both raise `InvariantError` listing
every broken thing by name (journal id, receipt number, drawer session id).
"""

from __future__ import annotations

import bisect
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.cashier.closing import current_count
from clerk_tui.domain.cashier.sessions import cash_on_hand, drawer_totals, get_session

# Journals that are the exact mirror image of another (entry by entry).
MIRROR_KINDS = ("void", "reversal", "over_short.reopen")
VOID_KINDS = ("void", "reversal", "nsf")
MOVEMENT_SIGN = {"paid_in": 1, "paid_out": -1, "pickup": -1}
MAX_LISTED = 30


class InvariantError(AssertionError):
    """The database breaks at least one invariant; `problems` names each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        more = len(problems) - MAX_LISTED
        text = "\n".join(f"  - {p}" for p in problems[:MAX_LISTED])
        if more > 0:
            text += f"\n  … and {more} more"
        super().__init__(f"{len(problems)} invariant(s) broken:\n{text}")


@dataclass(frozen=True)
class Summary:
    receipts: int
    voids: int
    journals: int
    entries: int
    sessions: int
    audit_rows: int


def _nonzero(d: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in d.items() if v}


def _group(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    out: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


def check_db(db: Database) -> Summary:
    """Check every invariant on an open database; raise `InvariantError` naming what broke."""
    p: list[str] = []

    # ---- the file itself ---------------------------------------------------------------------
    integrity = [r["integrity_check"] for r in db.all("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        p.append(f"PRAGMA integrity_check: {integrity[:5]}")
    fk = db.all("PRAGMA foreign_key_check")
    if fk:
        p.append(f"PRAGMA foreign_key_check found {len(fk)} dangling reference(s): {fk[:5]}")

    # ---- journals: each balanced, none empty -------------------------------------------------
    journals = {j["id"]: j for j in db.all("SELECT * FROM journals")}
    entries = db.all("SELECT * FROM ledger_entries ORDER BY id")
    entry_by_id = {e["id"]: e for e in entries}
    by_journal = _group(entries, "journal_id")
    for jid, j in journals.items():
        es = by_journal.get(jid, [])
        if not es:
            p.append(f"journal {jid} ({j['kind']}) has no ledger entries (half-written posting)")
        elif (s := sum(e["amount_cents"] for e in es)) != 0:
            p.append(f"journal {jid} ({j['kind']}) entries sum to {s}, not 0")
    for jid in by_journal.keys() - journals.keys():
        p.append(f"ledger entries point at missing journal {jid}")

    # Account balances after each journal, to check what receipts printed as the new balance.
    acct_journals: dict[int, list[int]] = defaultdict(list)
    acct_running: dict[int, list[int]] = defaultdict(list)
    acct_sum: dict[int, int] = defaultdict(int)
    for e in sorted((e for e in entries if e["book"] == "account"),
                    key=lambda e: (e["journal_id"], e["id"])):
        a = e["account_id"]
        acct_sum[a] += e["amount_cents"]
        if acct_journals[a] and acct_journals[a][-1] == e["journal_id"]:
            acct_running[a][-1] = acct_sum[a]
        else:
            acct_journals[a].append(e["journal_id"])
            acct_running[a].append(acct_sum[a])

    def balance_after(account_id: int, journal_id: int) -> int:
        i = bisect.bisect_right(acct_journals[account_id], journal_id)
        return acct_running[account_id][i - 1] if i else 0

    audit_actions = Counter((a["action"], a["entity"])
                            for a in db.all("SELECT action, entity FROM audit_log"))

    # ---- receipts -----------------------------------------------------------------------------
    receipts = db.all("SELECT * FROM receipts ORDER BY number")
    rec_by_id = {r["id"]: r for r in receipts}
    items_by = _group(db.all("SELECT * FROM receipt_items ORDER BY receipt_id, line"),
                      "receipt_id")
    tenders_by = _group(db.all("SELECT * FROM tenders ORDER BY receipt_id, line"), "receipt_id")
    numbers = [r["number"] for r in receipts]
    n = len(numbers)
    if numbers != list(range(1, n + 1)):
        missing = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
        dupes = sorted(k for k, c in Counter(numbers).items() if c > 1)
        p.append(f"receipt numbers are not gapless 1..{n}: missing {missing[:20]}, "
                 f"duplicated {dupes[:20]}")
    counter = db.scalar("SELECT value FROM counters WHERE name = 'receipt_number'") or 0
    if counter != n:
        p.append(f"the receipt_number counter is {counter} but {n} receipts exist")
    for rid in (items_by.keys() | tenders_by.keys()) - rec_by_id.keys():
        p.append(f"receipt items or tenders point at missing receipt id {rid}")

    for r in receipts:
        name = f"receipt {r['number']}"
        its, ts = items_by.get(r["id"], []), tenders_by.get(r["id"], [])
        if not its:
            p.append(f"{name} has no items")
        if not ts:
            p.append(f"{name} has no tenders")
        j = journals.get(r["journal_id"])
        es = by_journal.get(r["journal_id"], [])
        if j is None:
            p.append(f"{name}: its journal {r['journal_id']} is missing")
        else:
            if j["kind"] != "receipt":
                p.append(f"{name}: its journal {j['id']} is a {j['kind']!r} journal")
            if j["business_date"] != r["business_date"] or j["clerk"] != r["clerk"]:
                p.append(f"{name}: journal {j['id']} has another date or clerk")
        if not es:
            p.append(f"{name} has no ledger entries")
        for e in es:
            if e["receipt_id"] != r["id"]:
                p.append(f"{name}: ledger entry {e['id']} points at receipt id {e['receipt_id']}")
        if its and (s := sum(i["amount_cents"] for i in its)) != r["total_cents"]:
            p.append(f"{name}: items add up to {s} but the total is {r['total_cents']}")
        if ts:
            applied = sum(t["amount_cents"] for t in ts)
            tendered = sum(t["tendered_cents"] for t in ts)
            if applied != r["total_cents"]:
                p.append(f"{name}: tenders apply {applied} to a total of {r['total_cents']}")
            if tendered != r["tendered_cents"]:
                p.append(f"{name}: tenders add up to {tendered}, receipt says "
                         f"{r['tendered_cents']}")
        if r["change_cents"] != r["tendered_cents"] - r["total_cents"] or r["change_cents"] < 0:
            p.append(f"{name}: change {r['change_cents']} does not equal tendered "
                     f"{r['tendered_cents']} - total {r['total_cents']}")
        if es and ts:
            drawer = [e for e in es if e["book"] == "drawer"]
            credits = [e for e in es if e["book"] != "drawer"]
            for e in drawer:
                if e["drawer_session_id"] != r["drawer_session_id"]:
                    p.append(f"{name}: drawer entry {e['id']} is in session "
                             f"{e['drawer_session_id']}, the receipt in {r['drawer_session_id']}")
            want: dict[str, int] = defaultdict(int)
            for t in ts:
                want[t["kind"]] += t["tendered_cents"]
            want["cash"] -= r["change_cents"]
            got: dict[str, int] = defaultdict(int)
            for e in drawer:
                got[e["tender"] or "cash"] += e["amount_cents"]
            if _nonzero(want) != _nonzero(got):
                p.append(f"{name}: drawer entries by tender {dict(_nonzero(got))} do not match "
                         f"its tenders {dict(_nonzero(want))}")
            want_credit = Counter((i["account_id"], i["amount_cents"], i["fund"], i["gl_code"])
                                  for i in its)
            got_credit = Counter((e["account_id"], -e["amount_cents"], e["fund"], e["gl_code"])
                                 for e in credits)
            if want_credit != got_credit:
                p.append(f"{name}: credit entries {sorted(got_credit.elements())} do not match "
                         f"its items {sorted(want_credit.elements())}")
        if ("payment.post", f"receipt:{r['number']}") not in audit_actions:
            p.append(f"{name} has no payment.post audit row")
        if es:
            for i in its:
                if i["account_id"] is not None and i["new_balance_cents"] is not None:
                    after = balance_after(i["account_id"], r["journal_id"])
                    if after != i["new_balance_cents"]:
                        p.append(f"{name} line {i['line']}: printed new balance "
                                 f"{i['new_balance_cents']} but the ledger says {after}")

    # ---- voids, reversals, NSF ----------------------------------------------------------------
    voids = db.all("SELECT * FROM receipt_voids")
    void_journals = {v["journal_id"] for v in voids}
    nsf_receipts = {x["receipt_id"] for x in db.all("SELECT receipt_id FROM nsf_returns")}
    reversal_drawer: dict[int, int] = defaultdict(int)  # session -> drawer-side refunds
    for v in voids:
        r = rec_by_id.get(v["receipt_id"])
        if r is None:
            p.append(f"void row for missing receipt id {v['receipt_id']}")
            continue
        name = f"{v['kind']} of receipt {r['number']}"
        j = journals.get(v["journal_id"])
        if j is None:
            p.append(f"{name}: its journal {v['journal_id']} is missing")
            continue
        if j["kind"] != v["kind"] or j["reverses_journal_id"] != r["journal_id"]:
            p.append(f"{name}: journal {j['id']} is {j['kind']!r} reversing "
                     f"{j['reverses_journal_id']}, not the receipt's journal {r['journal_id']}")
        if (f"payment.{v['kind']}", f"receipt:{r['number']}") not in audit_actions:
            p.append(f"{name} has no payment.{v['kind']} audit row")
        if v["kind"] == "nsf" and r["id"] not in nsf_receipts:
            p.append(f"{name} has no nsf_returns row")
        if v["kind"] == "reversal":
            drawer = [e for e in by_journal.get(j["id"], []) if e["book"] == "drawer"]
            sessions = {e["drawer_session_id"] for e in drawer}
            if len(sessions) > 1:
                p.append(f"{name}: refunds from several drawers {sorted(sessions)}")
            elif drawer:
                s = sum(e["amount_cents"] for e in drawer)
                if s != -r["total_cents"]:
                    p.append(f"{name}: drawer refund {s} is not minus the total {r['total_cents']}")
                reversal_drawer[sessions.pop()] -= r["total_cents"]
    for jid, j in journals.items():
        if j["kind"] in VOID_KINDS and jid not in void_journals:
            p.append(f"journal {jid} ({j['kind']}) has no receipt_voids row (half-written void)")

    # Mirror journals: every entry reversed exactly once, to the cent.
    reversed_by: Counter[int] = Counter()
    for jid, j in journals.items():
        if j["kind"] not in MIRROR_KINDS:
            continue
        orig_id = j["reverses_journal_id"]
        name = f"{j['kind']} journal {jid}"
        if orig_id is None:
            p.append(f"{name} does not say which journal it reverses")
            continue
        reversed_by[orig_id] += 1
        orig = {e["id"]: e for e in by_journal.get(orig_id, [])}
        rev = by_journal.get(jid, [])
        pointed = Counter(e["reverses_entry_id"] for e in rev)
        if pointed != Counter(list(orig)):
            p.append(f"{name} does not reverse each entry of journal {orig_id} exactly once "
                     f"(reverses {sorted(pointed.elements(), key=str)}, original "
                     f"{sorted(orig)})")
        for e in rev:
            o = orig.get(e["reverses_entry_id"])
            if o is None:
                continue
            book_ok = e["book"] == o["book"] or (
                j["kind"] == "reversal" and o["book"] == "drawer" and e["book"] == "clearing")
            # Cash back on a reversal leaves the reverser's drawer as cash, whatever the tender.
            tender_ok = e["tender"] == o["tender"] or (
                j["kind"] == "reversal" and e["book"] == "drawer" and e["tender"] == "cash")
            same = (e["amount_cents"] == -o["amount_cents"] and book_ok and tender_ok
                    and e["account_id"] == o["account_id"] and e["fund"] == o["fund"])
            if j["kind"] in ("void", "over_short.reopen") and e["book"] == "drawer":
                same = same and e["drawer_session_id"] == o["drawer_session_id"]
            if not same:
                p.append(f"{name}: entry {e['id']} ({e['book']} {e['amount_cents']}) is not the "
                         f"mirror of entry {o['id']} ({o['book']} {o['amount_cents']})")
    for orig_id, times in reversed_by.items():
        if times > 1:
            p.append(f"journal {orig_id} is reversed {times} times")
    for e in entries:
        if e["reverses_entry_id"] is not None and e["reverses_entry_id"] not in entry_by_id:
            p.append(f"ledger entry {e['id']} reverses missing entry {e['reverses_entry_id']}")

    # ---- cash movements -------------------------------------------------------------------------
    moves = db.all("SELECT * FROM cash_movements")
    move_journals = {m["journal_id"] for m in moves}
    movement_total: dict[int, int] = defaultdict(int)
    for m in moves:
        name = f"{m['kind']} {m['id']}"
        j = journals.get(m["journal_id"])
        drawer = [e for e in by_journal.get(m["journal_id"], []) if e["book"] == "drawer"]
        want = MOVEMENT_SIGN[m["kind"]] * m["amount_cents"]
        if j is None or j["kind"] != m["kind"]:
            p.append(f"{name}: journal {m['journal_id']} is missing or of another kind")
        if [(e["drawer_session_id"], e["tender"], e["amount_cents"]) for e in drawer] != \
                [(m["drawer_session_id"], "cash", want)]:
            p.append(f"{name}: its drawer entries do not move {want} cash in session "
                     f"{m['drawer_session_id']}")
        movement_total[m["drawer_session_id"]] += want
    for jid, j in journals.items():
        if j["kind"] in MOVEMENT_SIGN and jid not in move_journals:
            p.append(f"journal {jid} ({j['kind']}) has no cash_movements row")
    for kind in MOVEMENT_SIGN:
        rows = sum(1 for m in moves if m["kind"] == kind)
        audited = sum(c for (a, _), c in audit_actions.items() if a == f"drawer.{kind}")
        if rows != audited:
            p.append(f"{rows} {kind} movement(s) but {audited} drawer.{kind} audit rows")

    # ---- account balances ---------------------------------------------------------------------
    for (aid,) in [(a["id"],) for a in db.all("SELECT id FROM accounts")]:
        mine = acct_sum.get(aid, 0)
        domain = ledger.account_balance(db, aid)
        if domain != mine:
            p.append(f"account {aid}: ledger.account_balance says {domain}, its entries sum "
                     f"to {mine}")

    # ---- drawer sessions ----------------------------------------------------------------------
    sessions = db.all("SELECT * FROM drawer_sessions ORDER BY id")
    last_event: dict[int, str] = {}
    for ev in db.all("SELECT drawer_session_id, to_state FROM drawer_session_events ORDER BY id"):
        last_event[ev["drawer_session_id"]] = ev["to_state"]
    deposited = {x["drawer_session_id"] for x in db.all("SELECT drawer_session_id FROM "
                                                        "deposit_sessions")}
    refunds: dict[int, int] = defaultdict(int)
    for f in db.all("SELECT drawer_session_id, amount_cents FROM refunds WHERE method = 'cash'"):
        refunds[f["drawer_session_id"]] += f["amount_cents"]
    receipts_in: dict[int, int] = defaultdict(int)
    voided_in: dict[int, int] = defaultdict(int)
    void_kind = {v["receipt_id"]: v["kind"] for v in voids}
    for r in receipts:
        receipts_in[r["drawer_session_id"]] += r["total_cents"]
        if void_kind.get(r["id"]) == "void":
            voided_in[r["drawer_session_id"]] += r["total_cents"]
    book: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    book_no_deposit: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in entries:
        if e["book"] == "drawer":
            sid, tender = e["drawer_session_id"], e["tender"] or "cash"
            book[sid][tender] += e["amount_cents"]
            if journals.get(e["journal_id"], {}).get("kind") != "deposit":
                book_no_deposit[sid][tender] += e["amount_cents"]
    closing_counts = _group(db.all("SELECT * FROM drawer_counts WHERE kind = 'closing'"),
                            "drawer_session_id")
    open_per_station = Counter((s["clerk"], s["workstation"]) for s in sessions
                               if s["state"] in ("open", "balancing"))
    for key, c in open_per_station.items():
        if c > 1:
            p.append(f"{key[0]} has {c} drawers open at {key[1]}")
    for s in sessions:
        sid = s["id"]
        name = f"drawer session {sid} ({s['clerk']}, {s['state']})"
        mine = _nonzero(book[sid])
        domain = _nonzero(drawer_totals(db, sid))
        if domain != mine:
            p.append(f"{name}: drawer_totals says {domain}, its drawer entries sum to {mine}")
        on_hand = cash_on_hand(db, get_session(db, sid))
        if on_hand != s["opening_bank_cents"] + book[sid].get("cash", 0):
            p.append(f"{name}: cash_on_hand says {on_hand}, bank + cash entries are "
                     f"{s['opening_bank_cents'] + book[sid].get('cash', 0)}")
        if last_event.get(sid) != s["state"]:
            p.append(f"{name}: its last event says {last_event.get(sid)!r}")
        count = current_count(db, sid)
        if s["state"] == "open" and count is not None:
            p.append(f"{name} is open but a closing count is in force")
        if s["state"] in ("balanced", "approved") and count is None:
            p.append(f"{name} has no closing count in force")
        for c in closing_counts.get(sid, []):
            jid = c["over_short_journal_id"]
            in_force = count is not None and c["id"] == count["id"]
            if jid is None:
                if c["over_short_cents"]:
                    p.append(f"{name}: count {c['id']} is {c['over_short_cents']} over/short "
                             "but nothing was posted")
                continue
            posted = sum(e["amount_cents"] for e in by_journal.get(jid, [])
                         if e["book"] == "drawer")
            if posted != c["over_short_cents"]:
                p.append(f"{name}: count {c['id']} is {c['over_short_cents']} over/short but "
                         f"journal {jid} moved {posted}")
            if in_force and reversed_by.get(jid):
                p.append(f"{name}: the over/short of the count in force was reversed")
            if not in_force and not reversed_by.get(jid):
                p.append(f"{name}: count {c['id']} was reopened but its over/short stands")
        # The drawer book, rebuilt from the business tables (receipts, voids, movements,
        # refunds, the count in force), must equal the ledger's.
        expected = (receipts_in[sid] - voided_in[sid] + reversal_drawer[sid]
                    + movement_total[sid] - refunds[sid]
                    + (count["over_short_cents"] if count is not None else 0))
        actual = sum(book_no_deposit[sid].values())
        if expected != actual:
            p.append(f"{name}: receipts, voids, movements and counts say the drawer took "
                     f"{expected}, its drawer book says {actual}")
        if count is not None and sid not in deposited:
            counted = {"cash": count["currency_cents"] + count["coin_cents"],
                       "check": count["check_cents"], "money_order": count["money_order_cents"]}
            held = {"cash": s["opening_bank_cents"] + book[sid].get("cash", 0),
                    "check": book[sid].get("check", 0),
                    "money_order": book[sid].get("money_order", 0)}
            if counted != held:
                p.append(f"{name}: after its over/short the book holds {held} but the count "
                         f"found {counted}")

    # ---- the audit chain ----------------------------------------------------------------------
    v = audit.verify(db)
    if not v.ok:
        p.append(f"audit chain broken at row {v.bad_seq}: {v.problem}")
    audit_rows = int(db.scalar("SELECT count(*) FROM audit_log") or 0)

    if p:
        raise InvariantError(p)
    return Summary(n, len(voids), len(journals), len(entries), len(sessions), audit_rows)


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "clerk-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "clerk_tui"]


def cli_audit_verify(path: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    """Run the real `clerk-tui audit verify --db PATH`."""
    env = {k: v for k, v in os.environ.items() if k not in ("CLERK_TUI_DB",)}
    return subprocess.run([*_cli(), "audit", "verify", "--db", str(path)], capture_output=True,
                          text=True, timeout=120, env=env, check=False)


def check_invariants(path: str | os.PathLike[str], *, cli: bool = True) -> Summary:
    """Open the database at `path`, check every invariant, and run `clerk-tui audit verify`."""
    db = Database.open(path)
    try:
        problems: list[str] = []
        try:
            summary = check_db(db)
        except InvariantError as e:
            problems = e.problems
    finally:
        db.close()
    if cli:
        done = cli_audit_verify(path)
        if done.returncode != 0:
            problems.append(f"clerk-tui audit verify exited {done.returncode}: "
                            f"{(done.stdout + done.stderr).strip()[:300]}")
    if problems:
        raise InvariantError(problems)
    return summary
