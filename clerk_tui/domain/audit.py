"""The hash-chained audit log, keyed with the site secret and tied to the money rows.

Each row carries the hash of the row before it, so an edited, inserted or deleted row breaks the
chain; `audit_seq` in `counters` catches a row cut from the end when the counter was left alone,
and an anchor (sequence number and hash printed on every Z report and deposit slip, checked by
`audit verify --anchor SEQ:HASH`) catches a tail cut or rewritten together with the counter.
Rows are written inside the caller's transaction: the change and its audit row commit together
or not at all.

Row formats (the `fmt` column):
- 1: SHA-256 over the row (before migration 0007). Still verified as it always was.
- 2: HMAC-SHA256 under the site secret (a file outside the database, see site_secret.py) over
  the row and `rows_json`: for each money table (db.MONEY_TABLES) the columns and, per run of
  rowids the transaction inserted, a digest of those rows. The first format-2 row also records
  `base`, the highest rowid of each money table before the chain was keyed: rows up to it are
  older than the digests and are not checked; every row above it must be covered by exactly
  one audit row. A format-1 row may not follow a format-2 row.

Without the secret nobody can write a format-2 row that verifies, so a forged row, a rewritten
tail or a money row edited with the triggers dropped is found from the database and the secret
alone; what verify cannot see is listed in the README ("What audit verify detects").
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clerk_tui import site_secret
from clerk_tui.db import MONEY_TABLES, Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor

GENESIS = "0" * 64
FORMAT = 2
_FIELDS = ("seq", "at", "clerk", "workstation", "action", "entity",
           "before_json", "after_json", "override_by", "prev_hash")
# Up to this many rows of one table in one change, each row gets its own digest (so verify
# names the row); a bulk load (demo data, a billing run) is digested in runs of _BULK_RUN.
_PER_ROW = 64
_BULK_RUN = 1000


class AuditKeyError(RuntimeError):
    """A format-2 row cannot be written or checked without the site secret."""


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


_CHAIN_KEYS: dict[bytes, bytes] = {}


def _chain_key(secret: bytes) -> bytes:
    """The chain's subkey, derived once per secret (an HMAC per audit row saved)."""
    key = _CHAIN_KEYS.get(secret)
    if key is None:
        key = _CHAIN_KEYS[secret] = site_secret.subkey(secret, "audit chain")
    return key


def row_hash(row: dict[str, Any], secret: bytes | None = None) -> str:
    """The hash a row must carry: SHA-256 for format 1, HMAC under the secret for format 2."""
    fmt = row.get("fmt") or 1
    if fmt == 1:
        canonical = json.dumps([row.get(f) for f in _FIELDS], separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    if secret is None:
        raise AuditKeyError("a keyed audit row needs the site secret")
    canonical = json.dumps([fmt, *(row.get(f) for f in _FIELDS), row.get("rows_json")],
                           separators=(",", ":"))
    return hmac.new(_chain_key(secret), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


# ---- money row digests ----------------------------------------------------------------------
_COLUMNS: dict[tuple[str, int, str], list[str]] = {}


def _columns(db: Database, table: str, schema_version: int | None = None) -> list[str]:
    """A table's columns, cached until the schema changes (one cheap PRAGMA per lookup, or
    none when the caller read `schema_version` already)."""
    if schema_version is None:
        schema_version = int(db.scalar("PRAGMA schema_version"))
    key = (str(db.path), schema_version, table)
    cols = _COLUMNS.get(key)
    if cols is None:
        cols = _COLUMNS[key] = [r["name"] for r in db.all(f"PRAGMA table_info({table})")]
    return list(cols)


def _digest(table: str, rows: Sequence[Sequence[Any]]) -> str:
    """SHA-256 (first 128 bits) of the rows as Python writes them: `repr` of a list of tuples
    of int, float, str, bytes and None is exact and stable, and runs in C (a bulk load digests
    millions of rows)."""
    h = hashlib.sha256(table.encode())
    h.update(repr([tuple(r) for r in rows]).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def _runs(rowids: list[int], size: int) -> list[tuple[int, int]]:
    """Contiguous runs of sorted rowids, each at most `size` long."""
    out: list[tuple[int, int]] = []
    for rid in rowids:
        if out and rid == out[-1][1] + 1 and rid - out[-1][0] < size:
            out[-1] = (out[-1][0], rid)
        else:
            out.append((rid, rid))
    return out


def _rows(db: Database, table: str, cols: Sequence[str], lo: int, hi: int) -> list[tuple]:
    sel = ", ".join(["rowid", *cols])
    cur = db.conn.execute(f"SELECT {sel} FROM {table} WHERE rowid BETWEEN ? AND ? "
                          "ORDER BY rowid", [lo, hi])
    try:
        return cur.fetchall()
    finally:
        cur.close()


def _few_rows(db: Database, table: str, cols: Sequence[str],
              rowids: list[int]) -> dict[int, tuple]:
    """A change's few rows of one table, by rowid: as `db.insert` got them back from SQLite
    (`RETURNING`), else read back in one query over their span (a payment's rows of one table
    are adjacent; other rows in the span are simply not used)."""
    rows = db.money_rows(table, rowids, cols)
    if rows is None and rowids[-1] - rowids[0] < 4 * _PER_ROW:
        rows = _rows(db, table, cols, rowids[0], rowids[-1])
    elif rows is None:
        rows = [r for rid in rowids for r in _rows(db, table, cols, rid, rid)]
    return {r[0]: r for r in rows}


def _money_json(db: Database, written: dict[str, list[int]], base: dict[str, int] | None,
                schema_version: int | None = None) -> str:
    tables: dict[str, Any] = {}
    for table in sorted(written):
        rowids = sorted(set(written[table]))
        cols = _columns(db, table, schema_version)
        runs = []
        if len(rowids) <= _PER_ROW:
            have = _few_rows(db, table, cols, rowids)
            for rid in rowids:
                runs.append([rid, rid, _digest(table, [have[rid]] if rid in have else [])])
        else:  # a bulk load: run by run, never all its rows in memory at once
            for lo, hi in _runs(rowids, _BULK_RUN):
                runs.append([lo, hi, _digest(table, _rows(db, table, cols, lo, hi))])
        tables[table] = {"c": cols, "r": runs}
    doc: dict[str, Any] = {"t": tables}
    if base is not None:
        doc["base"] = base
    return json.dumps(doc, sort_keys=True, separators=(",", ":"))


def _base(db: Database, written: dict[str, list[int]]) -> dict[str, int]:
    """Highest rowid of each money table before this transaction (the first keyed row)."""
    base = {}
    for table in MONEY_TABLES:
        if not db.table_exists(table):
            continue
        mine = written.get(table)
        if mine:
            top = db.scalar(f"SELECT max(rowid) FROM {table} WHERE rowid < ?", [min(mine)])
        else:
            top = db.scalar(f"SELECT max(rowid) FROM {table}")
        base[table] = int(top or 0)
    return base


# ---- writing --------------------------------------------------------------------------------
def record(db: Database, actor: Actor, action: str, entity: str, *,
           before: Any = None, after: Any = None, override_by: str | None = None) -> int:
    """Append one audit row; must run inside `db.write()`, after the change's money rows.

    Every change writes one, so this is where an actor `auth` did not issue is refused: the
    exception rolls the caller's whole transaction back. Every money row the transaction
    inserted so far is digested into this row; money rows inserted after it (and not covered by
    a later audit row) make the commit fail.
    """
    from clerk_tui.domain import auth  # auth imports this module; the seal key lives there

    if not db.in_write:
        raise RuntimeError("audit.record must run inside db.write()")
    auth.check_actor(actor)
    secret = db.require_secret()
    # The last row and the schema version (for the digests' column lists) in one statement.
    top = db.one("SELECT (SELECT schema_version FROM pragma_schema_version) AS sv, l.* "
                 "FROM (SELECT 1) LEFT JOIN (SELECT seq, hash, fmt FROM audit_log "
                 "ORDER BY seq DESC LIMIT 1) l")
    last = top if top and top["seq"] is not None else None
    seq = (last["seq"] if last else 0) + 1
    written = db.take_money_writes()
    # A format-1 row never follows a format-2 one, so the last row tells whether this is the
    # first keyed row (which records the base) without scanning the log.
    first_keyed = last is None or (last["fmt"] or 1) < FORMAT
    row = {
        "seq": seq,
        "at": clock.stamp(),
        "clerk": actor.username,
        "workstation": actor.workstation,
        "action": action,
        "entity": entity,
        "before_json": _dump(before),
        "after_json": _dump(after),
        "override_by": override_by,
        "prev_hash": last["hash"] if last else GENESIS,
        "fmt": FORMAT,
    }
    row["rows_json"] = _money_json(db, written, _base(db, written) if first_keyed else None,
                                   int(top["sv"]) if top else None)
    row["hash"] = row_hash(row, secret)
    db.insert("audit_log", row)
    db.execute("UPDATE counters SET value = ? WHERE name = 'audit_seq'", [seq])
    db.note_audited()
    return seq


# ---- checking -------------------------------------------------------------------------------
@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    head: str
    bad_seq: int | None = None
    problem: str = ""
    table: str | None = None  # a money row that does not match: its table and rowid
    row: int | None = None
    keyed: bool = False  # the chain has format-2 rows (money rows are checked)


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def parse_anchor(text: str) -> Anchor:
    """'SEQ:HASH' as printed on a Z report or deposit slip (spaces and line breaks, from a
    hash wrapped on narrow paper, are ignored)."""
    seq, sep, h = "".join((text or "").split()).partition(":")
    h = h.strip().lower()
    if not sep or not seq.strip().isdigit() or len(h) != 64 \
            or any(c not in "0123456789abcdef" for c in h):
        raise ValueError(f"{text!r} is not an anchor: give SEQ:HASH as printed on a Z report "
                         "or deposit slip (e.g. 1234:9f86d0…, 64 hex digits).")
    return Anchor(int(seq), h)


def anchor(db: Database) -> Anchor:
    """The latest audit row's sequence number and hash: printed so a day can be checked."""
    row = db.one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    return Anchor(row["seq"], row["hash"]) if row else Anchor(0, GENESIS)


def anchor_lines(seq: int | None, hash_: str) -> list[str]:
    """How a Z report or deposit slip prints its anchor: a label, then SEQ:HASH on its own
    line (68 characters: typed back as `clerk-tui audit verify --anchor SEQ:HASH`)."""
    return ["Audit head (check: clerk-tui audit verify --anchor)", f"{seq or 0}:{hash_}"]


def verify(db: Database, anchors: Sequence[Anchor] = ()) -> VerifyResult:
    """Walk the whole chain and every money row; report the first thing that does not fit."""
    secret = db.secret
    prev = GENESIS
    expected_seq = 1
    count = 0
    keyed = False
    base: dict[str, int] = {}
    covered: dict[str, list[tuple[int, int, int]]] = {}  # table -> (lo, hi, audit seq)
    seen: dict[int, str] = {}
    wanted = {a.seq: a.hash for a in anchors}
    cur = db.conn.execute(f"SELECT {', '.join(_FIELDS)}, hash, fmt, rows_json "
                          "FROM audit_log ORDER BY seq")

    def fail(seq: int | None, problem: str, **kw: Any) -> VerifyResult:
        return VerifyResult(False, count, prev, seq, problem, keyed=keyed, **kw)

    try:
        for values in cur:
            row = dict(zip((*_FIELDS, "hash", "fmt", "rows_json"), values, strict=True))
            seq = row["seq"]
            if seq != expected_seq:
                return fail(expected_seq, f"row {expected_seq} is missing (next row is {seq})")
            if row["prev_hash"] != prev:
                return fail(seq, f"row {seq} does not follow row {seq - 1} (chain broken)")
            fmt = row["fmt"] or 1
            if fmt not in (1, FORMAT):
                return fail(seq, f"row {seq} has unknown format {fmt}")
            if fmt == 1 and keyed:
                return fail(seq, f"row {seq} is unkeyed but follows keyed rows (forged)")
            if fmt == FORMAT:
                if secret is None:
                    return fail(seq, f"row {seq} is keyed and the site secret is not available "
                                     f"({db.secret_problem or 'no secret'})")
                if not keyed:
                    keyed = True
                    base = _json(row["rows_json"]).get("base", {})
            if row_hash(row, secret) != row["hash"]:
                return fail(seq, f"row {seq} was altered (or written without the site secret)")
            if fmt == FORMAT:
                problem = _check_money(db, seq, _json(row["rows_json"]), covered)
                if problem:
                    return fail(seq, problem[0], table=problem[1], row=problem[2])
            if seq in wanted:
                seen[seq] = row["hash"]
            prev = row["hash"]
            expected_seq += 1
            count += 1
    finally:
        cur.close()
    recorded = db.scalar("SELECT value FROM counters WHERE name = 'audit_seq'") or 0
    if recorded != count:
        return fail(count + 1, f"the log ends at row {count} but {recorded} rows were written")
    for a in anchors:
        if a.seq not in seen:
            return fail(a.seq, f"anchor {a.seq} is not in the chain (it ends at row {count}): "
                               "rows were cut")
        if seen[a.seq] != a.hash:
            return fail(a.seq, f"row {a.seq} does not carry the anchored hash "
                               f"{a.hash[:16]}… (the chain was rewritten)")
    if keyed:
        problem = _check_coverage(db, base, covered)
        if problem:
            return fail(None, problem[0], table=problem[1], row=problem[2])
    return VerifyResult(True, count, prev, keyed=keyed)


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _check_money(db: Database, seq: int, doc: dict[str, Any],
                 covered: dict[str, list[tuple[int, int, int]]]
                 ) -> tuple[str, str | None, int | None] | None:
    """Recompute the digests one audit row carries; (problem, table, rowid) if one differs."""
    for table, spec in sorted(doc.get("t", {}).items()):
        if table not in MONEY_TABLES or not db.table_exists(table):
            return (f"audit row {seq} covers {table}, which is not a money table here",
                    table, None)
        cols = spec.get("c", [])
        have = set(_columns(db, table))
        if any(c not in have for c in cols):
            return f"{table} lost a column the audit row {seq} digested", table, None
        runs = spec.get("r", [])
        # One query for a change's rows (usually one contiguous stretch), not one per row.
        span = [] if not runs else _rows(db, table, cols, min(r[0] for r in runs),
                                         max(r[1] for r in runs)) \
            if max(r[1] for r in runs) - min(r[0] for r in runs) < 4 * _BULK_RUN else None
        by_id = {r[0]: r for r in span} if span is not None else None
        for lo, hi, digest in runs:
            if by_id is not None:
                rows = [by_id[i] for i in range(lo, hi + 1) if i in by_id]
            else:
                rows = _rows(db, table, cols, lo, hi)
            present = {r[0] for r in rows}
            for rid in range(lo, hi + 1):
                if rid not in present:
                    return (f"{table} row {rid} is missing (written with audit row {seq})",
                            table, rid)
            if _digest(table, rows) != digest:
                where = f"row {lo}" if lo == hi else f"one of rows {lo}-{hi}"
                return (f"{table} {where} was changed after audit row {seq} recorded it",
                        table, lo)
            covered.setdefault(table, []).append((lo, hi, seq))
    return None


def _check_coverage(db: Database, base: dict[str, Any],
                    covered: dict[str, list[tuple[int, int, int]]]
                    ) -> tuple[str, str | None, int | None] | None:
    """Every money row above the keyed base must belong to exactly one audit row."""
    for table in MONEY_TABLES:
        if not db.table_exists(table):
            continue
        floor = int(base.get(table, 0) or 0)
        spans = sorted(covered.get(table, []))
        for (_lo1, hi1, s1), (lo2, _hi2, s2) in zip(spans, spans[1:], strict=False):
            if lo2 <= hi1:
                return (f"{table} row {lo2} is claimed by audit rows {s1} and {s2}",
                        table, lo2)
        cursor = floor
        for lo, hi, _seq in [*spans, (None, None, None)]:
            upper = lo if lo is not None else None
            if upper is None:
                stray = db.scalar(f"SELECT min(rowid) FROM {table} WHERE rowid > ?", [cursor])
            else:
                stray = db.scalar(f"SELECT min(rowid) FROM {table} WHERE rowid > ? "
                                  "AND rowid < ?", [cursor, upper])
            if stray is not None:
                return (f"{table} row {stray} is in no audit row (written outside clerk-tui)",
                        table, int(stray))
            if hi is not None:
                cursor = max(cursor, hi)
    return None


def head(db: Database) -> str:
    """The latest hash: printed on Z reports so a printed day can be checked later."""
    return db.scalar("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1") or GENESIS
