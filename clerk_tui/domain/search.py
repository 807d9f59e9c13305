"""Search-as-you-type over accounts, behind one small interface.

The lookup screen calls `search_accounts(db, text)` on (nearly) every keystroke, so a query
must answer in about a millisecond on a million accounts. Measured on 1M rows: FTS5 with prefix
indexes answers a 2-3 character prefix in ~0.1 ms and a trigram index finds a phone or
account-number fragment in ~1 ms, but ORDER BY bm25 on a short prefix costs ~150 ms. So:

- an exact account number (7 digits, or 8 with the check digit) answers from the unique index
  alone (~0.05 ms): it names one account, so the trigram and word searches do not run (a phone
  number or fragment that happens to equal an account number is not searched for; typing the
  area code finds the phone),
- otherwise the index is asked only for as many candidate rowids as the list shows, plus one to
  know there are more (no ORDER BY, always LIMIT),
- those few rows are ranked here, cheaply: an exact account number first, then matches in the
  customer's name, then in the service address, then the rest; ties by name and address.
  When a prefix matches more rows than the list shows, `SearchResult.more` says so and the
  clerk types another character (never thousands of rows in a table).

Whatever the clerk types is turned into safe tokens before it reaches FTS5: markup, control
characters, quotes, `*`, `NEAR`, `OR`, unbalanced brackets and huge strings become plain words
(or nothing) and can never raise an SQL error.

Everything SQLite-specific (FTS5 tables, triggers, rebuild) stays in this module and in
migrations/core/0003_search.sql; a PostgreSQL port replaces `SqliteAccountIndex` (tsvector + pg_trgm)
and keeps `search_accounts`, `SearchHit` and `SearchResult` as they are.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from clerk_tui.db import Database, DriverError
from clerk_tui.domain import account_numbers

MAX_QUERY_CHARS = 200  # anything longer is cut before parsing
MAX_TOKENS = 6
MAX_TOKEN_CHARS = 32
DEFAULT_LIMIT = 50
_SUSPENDED_KEY = "search.suspended_triggers"
_DIGIT_QUERY = re.compile(r"^[\d\s().+\-/#]+$")

# The text each index row holds. The triggers in 0003_search.sql compute the same values;
# test_search checks that a rebuild and the triggers agree.
_PHONE_DIGITS = ("replace(replace(replace(replace(replace(replace(coalesce(c.phone, ''), "
                 "'(', ''), ')', ''), '-', ''), ' ', ''), '.', ''), '+', '')")
_REBUILD_WORDS = (
    "INSERT INTO account_search (rowid, number, name, address, contact) "
    "SELECT a.id, a.number || ' ' || substr(a.number, 1, 7), c.name, "
    "a.service_address || ' ' || a.service_zip, "
    "coalesce(c.phone, '') || ' ' || coalesce(c.email, '') "
    "FROM accounts a JOIN customers c ON c.id = a.customer_id"
)
_REBUILD_DIGITS = (
    "INSERT INTO account_digits (rowid, digits) "
    f"SELECT a.id, a.number || ' ' || {_PHONE_DIGITS} "
    "FROM accounts a JOIN customers c ON c.id = a.customer_id"
)


@dataclass(frozen=True)
class SearchHit:
    """One row of the lookup list: enough to show and to open the account."""

    account_id: int
    number: str  # 8 digits as stored
    display_number: str  # 1234567-8
    name: str
    service_address: str
    status: str
    phone: str
    email: str
    match: str  # 'number' | 'name' | 'address' | 'phone' | 'other': why it is listed
    tier: int = 4  # 0 exact number, 1 number prefix, 2 phone or name, 3 address/number, 4 other


@dataclass(frozen=True)
class SearchResult:
    query: str  # the cleaned query actually searched (shown back to the clerk if useful)
    hits: list[SearchHit] = field(default_factory=list)
    more: bool = False  # more rows matched than were ranked/shown: type more to narrow
    hint: str = ""  # e.g. "Type at least 2 characters."


@dataclass(frozen=True)
class Query:
    """A sanitized query: only plain tokens survive."""

    words: tuple[str, ...]  # casefolded alphanumeric tokens
    digits: str | None  # set when the whole query was a number (account, phone, house number)

    @property
    def empty(self) -> bool:
        return not self.words and not self.digits


class AccountIndex(Protocol):
    """The one interface a search backend implements (SQLite FTS5 today)."""

    def candidates(self, q: Query, window: int) -> tuple[list[int], bool]:
        """Account ids matching `q` (at most `window`, in index order) and whether more exist."""
        ...

    def rebuild(self) -> int:
        """Rebuild the whole index from customers/accounts; returns rows indexed."""
        ...




def parse_query(text: object) -> Query:
    """Turn anything typed or scanned into safe tokens.

    Why this shape: FTS5 has its own query language (quotes, `*`, `^`, `NEAR`, `AND/OR/NOT`,
    column filters, parentheses). Rather than escape it, we keep only runs of letters and
    digits, so no character of the input can ever reach FTS5 as syntax.
    """
    s = "" if text is None else str(text)
    s = unicodedata.normalize("NFKC", s[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]
    s = "".join(ch if ch.isprintable() else " " for ch in s).strip()
    if not s:
        return Query((), None)
    if _DIGIT_QUERY.match(s) and any(ch.isdigit() for ch in s):
        digits = "".join(ch for ch in s if ch.isdigit())
        if digits.isascii():
            return Query((), digits[:20])
    words: list[str] = []
    token = []
    for ch in s.casefold() + " ":
        if ch.isalnum():
            token.append(ch)
        elif token:
            words.append("".join(token)[:MAX_TOKEN_CHARS])
            token = []
    # Drop duplicates, keep order; a few tokens narrow enough.
    seen: dict[str, None] = {}
    for w in words:
        seen.setdefault(w, None)
    return Query(tuple(list(seen)[:MAX_TOKENS]), None)


def _fts_term(word: str) -> str:
    # Only alphanumerics reach here; quoting keeps words like NEAR/OR/AND plain strings.
    # One character is matched exactly (directions, initials): a 1-character prefix has no
    # prefix index and would scan every term starting with that letter.
    return f'"{word}"' if len(word) == 1 else f'"{word}"*'


class SqliteAccountIndex:
    """FTS5 (unicode61 + prefix indexes) for words, trigram for digit fragments."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _ids(self, sql: str, params: Sequence[object]) -> list[int]:
        try:
            return [r["rowid"] for r in self.db.all(sql, params)]
        except DriverError:
            # Belt and braces: parse_query leaves nothing FTS5 can choke on, but a search box
            # must never take the counter down.
            return []

    def candidates(self, q: Query, window: int) -> tuple[list[int], bool]:
        found: dict[int, None] = {}
        more = False

        def add(ids: list[int]) -> None:
            nonlocal more
            if len(ids) > window:
                more = True
            for i in ids[:window]:
                found.setdefault(i, None)

        if q.digits:
            d = q.digits
            for n in account_numbers.candidates(d):
                row = self.db.one("SELECT id FROM accounts WHERE number = ?", [n])
                if row:
                    found.setdefault(row["id"], None)
            if len(d) >= 3:
                add(self._ids("SELECT rowid FROM account_digits WHERE account_digits MATCH ? "
                              "LIMIT ?", [f'"{d}"', window + 1]))
            # House numbers, zip codes and phone groups as words ('120', '95814', '555').
            add(self._ids("SELECT rowid FROM account_search WHERE account_search MATCH ? "
                          "LIMIT ?", [_fts_term(d), window + 1]))
        elif q.words:
            # One query, any column. Asking the name column first (FTS5 column filters) put
            # names first past the window, but a word common in addresses and rare in names
            # ("ave") then walks its whole doclist: 15 ms at 1M accounts instead of 0.05.
            expr = " ".join(_fts_term(w) for w in q.words)
            add(self._ids("SELECT rowid FROM account_search WHERE account_search MATCH ? "
                          "LIMIT ?", [expr, window + 1]))
        ids = list(found)
        if len(ids) > window:
            more = True
        return ids[:window], more

    def rebuild(self) -> int:
        with self.db.write():
            self.db.execute("INSERT INTO account_search (account_search) VALUES ('delete-all')")
            self.db.execute("INSERT INTO account_digits (account_digits) VALUES ('delete-all')")
            self.db.execute(_REBUILD_WORDS)
            self.db.execute(_REBUILD_DIGITS)
            self.db.execute("INSERT INTO account_search (account_search) VALUES ('optimize')")
            self.db.execute("INSERT INTO account_digits (account_digits) VALUES ('optimize')")
            return int(self.db.scalar("SELECT count(*) FROM accounts") or 0)


def index_for(db: Database) -> AccountIndex:
    """The backend for this database (one place to switch when PostgreSQL arrives)."""
    return SqliteAccountIndex(db)


_SPLIT = re.compile(r"[\W_]+")


def _words_of(value: str) -> list[str]:
    return [w for w in _SPLIT.split(value.casefold()) if w]


def _all_prefix(words: Sequence[str], target: list[str]) -> bool:
    return all(any(t == w if len(w) == 1 else t.startswith(w) for t in target) for w in words)


def search_accounts(db: Database, text: object, limit: int = DEFAULT_LIMIT) -> SearchResult:
    """Accounts matching what the clerk typed, best first, at most `limit`.

    Accepts an account number with or without check digit or dashes, a phone number or part
    of one, words of a name, address or email in any order, each as a prefix ("main 120" finds
    "120 N Main St"). Never raises for any input.
    """
    limit = max(1, min(int(limit), 500))
    q = parse_query(text)
    shown = q.digits or " ".join(q.words)
    if q.empty:
        return SearchResult(shown)
    if not q.digits and all(len(w) == 1 for w in q.words) and len(q.words) == 1:
        return SearchResult(shown, hint="Type at least 2 characters.")
    if q.digits:
        exact = exact_number(db, q.digits)
        if exact is not None:
            return SearchResult(shown, [exact])
    return _ranked(db, q, shown, limit)


_ROW = ("SELECT a.id, a.number, a.service_address, a.service_zip, a.status, c.name, "
        "coalesce(c.phone, '') AS phone, coalesce(c.email, '') AS email "
        "FROM accounts a JOIN customers c ON c.id = a.customer_id ")


def _hit(r: dict, why: str, tier: int) -> SearchHit:
    return SearchHit(r["id"], r["number"], account_numbers.format_number(r["number"]), r["name"],
                     r["service_address"], r["status"], r["phone"], r["email"], why, tier)


def exact_number(db: Database, digits: str) -> SearchHit | None:
    """The account whose number is exactly `digits` (8 digits, or 7 plus the check digit),
    from the unique index alone; None if the digits name no account."""
    for number in account_numbers.candidates(digits):
        row = db.one(_ROW + "WHERE a.number = ?", [number])
        if row:
            return _hit(row, "number", 0)
    return None


def _ranked(db: Database, q: Query, shown: str, limit: int) -> SearchResult:
    """The full search: candidates from the indexes, ranked here (also the reference the
    exact-number shortcut is tested against)."""
    ids, more = index_for(db).candidates(q, limit)
    if not ids:
        return SearchResult(shown, more=more)
    rows = db.all(_ROW + f"WHERE a.id IN ({', '.join('?' for _ in ids)})", ids)
    d = q.digits
    exact = set()
    if d:
        exact = set(account_numbers.candidates(d))

    def tier(r: dict) -> tuple[int, str]:
        if r["number"] in exact:
            return 0, "number"
        if d:
            if r["number"].startswith(d):
                return 1, "number"
            if d in "".join(ch for ch in r["phone"] if ch.isdigit()):
                return 2, "phone"
            if d in r["number"]:
                return 3, "number"
            return 4, "address"
        if _all_prefix(q.words, _words_of(r["name"])):
            return 2, "name"
        if _all_prefix(q.words, _words_of(f"{r['service_address']} {r['service_zip']}")):
            return 3, "address"
        return 4, "other"

    keyed = []
    for r in rows:
        t, why = tier(r)
        keyed.append((t, r["name"].casefold(), r["service_address"].casefold(), r["id"], why, r))
    keyed.sort(key=lambda k: k[:4])
    hits = [_hit(r, why, t) for t, *_, why, r in keyed[:limit]]
    return SearchResult(shown, hits, more=more or len(keyed) > limit)


# ---- keeping the index in step ----------------------------------------------------------------
def rebuild_index(db: Database) -> int:
    """Rebuild the search index from the tables (after a bulk load, or to repair it)."""
    return index_for(db).rebuild()


def _trigger_rows(db: Database) -> list[dict]:
    return db.all("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                  "AND name LIKE 'search\\_%' ESCAPE '\\' ORDER BY name")


@contextlib.contextmanager
def bulk_load(db: Database) -> Iterator[None]:
    """Suspend the index triggers while a bulk loader writes many rows, then rebuild once.

    Why: maintaining FTS row by row during a million-account demo load costs several times
    more than one rebuild at the end. The suspended trigger SQL is saved in `meta` in the same
    transaction that drops it, so a crash mid-load is repaired by `ensure_index` (called by
    the sandbox and the demo loader) instead of leaving an index that silently stops updating.
    """
    with db.write():
        rows = _trigger_rows(db)
        saved = db.scalar("SELECT value FROM meta WHERE key = ?", [_SUSPENDED_KEY])
        if rows and not saved:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)",
                       [_SUSPENDED_KEY, json.dumps([[r["name"], r["sql"]] for r in rows])])
        for r in rows:
            db.execute(f'DROP TRIGGER "{r["name"]}"')
    try:
        yield
    finally:
        ensure_index(db, force_rebuild=True)


def ensure_index(db: Database, *, force_rebuild: bool = False) -> bool:
    """Restore triggers left suspended by an interrupted bulk load; rebuild if needed.

    Returns True when the index was rebuilt.
    """
    saved = db.scalar("SELECT value FROM meta WHERE key = ?", [_SUSPENDED_KEY])
    if not saved and not force_rebuild:
        return False
    with db.write():
        saved = db.scalar("SELECT value FROM meta WHERE key = ?", [_SUSPENDED_KEY])
        if saved:
            existing = {r["name"] for r in _trigger_rows(db)}
            for name, sql in json.loads(saved):
                if name not in existing:
                    db.execute(sql)
            db.execute("DELETE FROM meta WHERE key = ?", [_SUSPENDED_KEY])
        rebuild_index(db)
    return True
