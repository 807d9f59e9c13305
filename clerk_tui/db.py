"""The one door to SQLite.

Every clerk's SSH session is its own process writing one database file, so the settings here
are the ones that keep a city's money safe under that load: WAL, `synchronous=FULL` (a receipt in
a customer's hand must survive a power cut), a long busy timeout (lock waits are unfair), foreign
keys, and `BEGIN IMMEDIATE` for every write (deferred read-then-write transactions deadlock into
"database is locked" storms). SQLite older than 3.51.3 is refused: earlier versions carry the
WAL-reset bug that can corrupt a WAL database when two connections write and checkpoint at once.

Reads fetch everything and close the cursor at once, so an idle screen never holds a read
transaction open (that would starve checkpoints and show stale data).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pysqlite3.dbapi2 as sqlite3

from clerk_tui import site_secret
from clerk_tui.files import touch_private

log = logging.getLogger(__name__)

MIN_SQLITE = (3, 51, 3)
BUSY_TIMEOUT_MS = 20_000
KINDS = ("production", "training")

# Tables whose rows are money (or say where money is): every row inserted into one of them is
# recorded per connection by TEMP triggers and must be digested into an audit row of the same
# transaction (`audit.record`); a commit that would leave one uncovered is refused, and
# `audit verify` recomputes the digests and finds any row no audit row covers.
# tests/domain/test_audit.py checks every append-only table is here or in NOT_MONEY_TABLES.
MONEY_TABLES = (
    "journals", "ledger_entries", "bills", "bill_lines", "late_fees", "adjustments",
    "receipts", "receipt_items", "tenders", "receipt_voids", "nsf_returns", "refunds",
    "cash_movements", "deposits", "deposit_sessions", "drawer_session_events",
    "drawer_counts", "drawer_count_lines", "drawer_count_items",
    "plan_installments",
    "license_terms", "license_payments", "bid_remittances", "bid_remitted",
    "event_payments", "event_deposit_returns",
    # office (issue 17): a misapplied payment moved, pointing at its journal and entries
    "payment_transfers",
    "batch_receipts",  # batches: which receipt a batch line became
)
# Append-only, but not money: the chain itself, identity, counters, clerks (updated in place),
# letters (their status is updated), closed days (a control, audited by close_day), and records
# of things said or read.
NOT_MONEY_TABLES = ("audit_log", "meta", "counters", "clerks", "letters", "account_notes",
                    "meter_reads", "notices", "closed_business_days",
                    # citations (issue 13): the citation's facts and history; money is receipts
                    "citations", "citation_events", "citation_imports", "citation_owners",
                    "citation_dmv_files", "citation_dmv_rows", "citation_letters",
                    "citation_plans", "citation_plan_items",
                    # permits: stock movements, change history, hot list, notices, stock counts
                    "permit_changes", "permit_hotlist", "permit_notices", "permit_stock_counts",
                    "permit_stock_events",
                    # licenses: history and the counter's letters
                    "license_history", "license_letters",
                    # passports: checklist answers, purge runs
                    "passport_steps", "passport_purges",
                    # frontdesk: police records are never deleted (no money in them)
                    "fd_clearances", "fd_letters", "fd_messages", "fd_registrant_history",
                    "fd_registrants", "fd_repossessions", "fd_requests", "fd_subpoenas",
                    "fd_vehicles", "fd_visitors", "fd_ridealongs", "fd_clearance_letters",
                    # office (issue 17): customer record history, returned mail
                    "customer_changes", "returned_mail",
                    # office (issue 17): a control, like closed days (audited by gl.export)
                    "gl_exports",
                    # batches: control and keyed lines (money is the receipts), bank files
                    "batches", "batch_lines", "lockbox_files", "lockbox_exceptions",
                    "lockbox_resolutions")

# Errors callers may want to catch without importing the driver.
IntegrityError = sqlite3.IntegrityError
OperationalError = sqlite3.OperationalError
DriverError = sqlite3.Error


class DatabaseError(Exception):
    """A problem with the database file itself, phrased for the person at the keyboard."""


def sqlite_version() -> tuple[int, ...]:
    return tuple(int(p) for p in sqlite3.sqlite_version.split("."))


def check_sqlite_version() -> None:
    if sqlite_version() < MIN_SQLITE:
        raise DatabaseError(
            f"SQLite {sqlite3.sqlite_version} is too old: clerk-tui needs 3.51.3 or newer "
            "(install the pysqlite3 wheel)."
        )


@dataclass(frozen=True)
class Migration:
    version: int
    """Number within its set: 1..n without gaps."""
    name: str
    sql: str
    set: str = "core"
    """The migration set: `core`, or the counter whose manifest names it."""

    @property
    def label(self) -> str:
        return f"{self.set}/{self.name}"


CORE_SET = "core"

LEGACY_SEQUENCE: dict[int, tuple[tuple[str, int], ...]] = {
    1: (("core", 1),), 2: (("core", 2),), 3: (("core", 3),),
    4: (("cashier", 1),), 5: (("utility", 1),), 6: (("core", 4),),
    7: (("core", 5), ("cashier", 2), ("utility", 2)),
}
"""Before migration sets (issue 11) there was one sequence 0001-0007 in `schema_migrations`;
each old version is these (set, version) pairs now. 0007 (append-only triggers) was split by
the set that owns each table. An old database migrates forward untouched: its old rows are
copied into `schema_migration_sets` and only what it lacks is applied."""

_SETS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migration_sets (
    migration_set  TEXT NOT NULL,
    version        INTEGER NOT NULL,
    name           TEXT NOT NULL,
    applied_at     TEXT NOT NULL,
    PRIMARY KEY (migration_set, version)
) STRICT"""


def migration_sets() -> list[str]:
    """`core` first, then each loaded counter manifest's set in manifest order."""
    from clerk_tui.counters import registry

    return [CORE_SET, *registry().migration_sets]


def load_migration_set(name: str) -> list[Migration]:
    """The set's `clerk_tui/migrations/<name>/NNNN_*.sql`, numbered 1..n without gaps."""
    found: list[Migration] = []
    folder = resources.files("clerk_tui") / "migrations" / name
    if not folder.is_dir():
        raise DatabaseError(f"migration set {name!r} has no folder clerk_tui/migrations/{name}")
    for entry in folder.iterdir():
        fname = entry.name
        if not fname.endswith(".sql") or not fname[:4].isdigit():
            continue
        found.append(Migration(int(fname[:4]), fname[:-4], entry.read_text(encoding="utf-8"),
                               name))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise DatabaseError(f"migrations of set {name!r} are not numbered 1..n without gaps: "
                            f"{versions}")
    return found


def load_migrations() -> list[Migration]:
    """Every migration in the order a new database gets them: core, then each counter's set."""
    return [m for name in migration_sets() for m in load_migration_set(name)]


def legacy_sequence() -> list[Migration]:
    """The old single sequence 0001-0007 as today's main applied it (to build old databases
    in tests): the same SQL, under the old numbers and names."""
    by_key = {(m.set, m.version): m for m in load_migrations()}
    names = {1: "0001_core", 2: "0002_accounts_ledger", 3: "0003_search", 4: "0004_cashier",
             5: "0005_utility", 6: "0006_audit_override_index", 7: "0007_append_only"}
    return [Migration(v, names[v], "\n".join(by_key[k].sql for k in keys))
            for v, keys in LEGACY_SEQUENCE.items()]


def table_keys(conn: Any, table: str) -> list[list[str]]:
    """Every key of `table` that a REPLACE could collide with: the primary key (in key order)
    first, then each UNIQUE index's columns, sorted."""
    pk = [r[1] for r in sorted((r for r in conn.execute(f"PRAGMA table_info({table})")
                                if r[5]), key=lambda r: r[5])]
    unique = sorted([c[2] for c in conn.execute(f"PRAGMA index_info({idx[1]})")]
                    for idx in conn.execute(f"PRAGMA index_list({table})")
                    if idx[2] and idx[3] != "pk")
    return [pk, *unique] if pk else unique


def no_replace_trigger(table: str, keys: Sequence[Sequence[str]]) -> str:
    """The BEFORE INSERT trigger that makes REPLACE/upsert fail on an append-only table (SQLite
    fires no DELETE trigger for the row a REPLACE removes): it aborts when any of `keys`
    (see `table_keys`) already exists.

    Written once here because every migration set adds one per append-only table (core 0005,
    cashier 0002, utility 0002 are this function's output; tests/test_append_only_generator.py
    holds them to it). A new counter's append-only migration: `no_replace_trigger(t,
    table_keys(conn, t))` for each of its tables, pasted into its `NNNN_append_only.sql`.
    """
    tests = [" AND ".join(f"{c} = NEW.{c}" for c in key) for key in keys]
    when = "\n   OR ".join(f"EXISTS (SELECT 1 FROM {table} WHERE {t})" for t in tests)
    return (f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}\n"
            f"WHEN {when}\n"
            f"BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: {table} rows are never replaced "
            "(a row with this key exists)'); END;")


def split_statements(script: str) -> list[str]:
    """Split a migration into statements without `executescript` (which would COMMIT early)."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        raise DatabaseError(f"incomplete SQL statement in migration: {buf[:60]!r}")
    return statements


_MONEY_SET = frozenset(MONEY_TABLES)
_KEEP_MONEY_ROWS = 64
"""Money rows of one table a write keeps (as stored) for its audit row's digests; the audit
digests up to this many rows one by one and reads a bulk load back in runs (audit._PER_ROW)."""
_INSERT_SQL: dict[tuple[str, tuple[str, ...]], str] = {}


def _insert_sql(table: str, cols: Sequence[str]) -> str:
    """`INSERT INTO table (cols) VALUES (?, …)`, refusing names that are not plain words."""
    if not table.replace("_", "").isalnum():
        raise ValueError(f"bad table name {table!r}")
    for col in cols:
        if not col.replace("_", "").isalnum():
            raise ValueError(f"bad column name {col!r}")
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"


def _dict_rows(cursor: Any) -> list[dict[str, Any]]:
    cols = [d[0] for d in cursor.description] if cursor.description else []
    rows = [dict(zip(cols, r, strict=True)) for r in cursor.fetchall()]
    cursor.close()
    return rows


class Database:
    """One write connection, with the project's pragmas, migrations and write helper, and a
    read connection of its own for reads made outside a write.

    A write holds `_lock` from BEGIN IMMEDIATE to COMMIT (and while it waits for another
    process's write). A read from any other thread (the UI, a search worker) must not wait
    behind that: it goes through the read connection, which WAL never blocks, and sees the
    last committed state. Reads inside a write (same thread) use the write connection, so they
    see the transaction's own rows.
    """

    def __init__(self, conn: Any, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._utils: Any = None
        self._lock = threading.RLock()
        self._depth = 0
        self._writer: int | None = None  # the thread holding `_lock` for a write
        self._reader: Any = None
        self._read_lock = threading.Lock()
        # The site secret (see site_secret.py): set by `open`, or by a caller that knows better.
        self.secret: bytes | None = None
        self.secret_path: Path = site_secret.default_path(path)
        self.secret_problem = ""
        self._money_hooked = False
        # Money rows this transaction inserted through `insert`, as SQLite stored them
        # (`RETURNING`): the audit digests them without reading them back.
        self._money_rows: dict[str, dict[int, tuple[Any, ...]]] = {}
        self._money_cols: dict[str, tuple[str, ...]] = {}
        self._audited_changes: int | None = None  # total_changes right after audit.record
        self._kind: str | None = None

    @property
    def utils(self) -> Any:
        """A `sqlite_utils.Database` on the write connection, for bulk loads, imports and
        exports (demo data, batch files). Imported on first use, not at start-up: sqlite-utils
        brings click, dateutil and plugin discovery (~35 ms, ~6 MiB) that a counter starting
        up to its sign-in screen never needs (issue 12)."""
        if self._utils is None:
            import sqlite_utils

            self._utils = sqlite_utils.Database(self.conn)
        return self._utils

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = False,
             secret_path: str | os.PathLike[str] | None = None) -> Database:
        """Open an existing database (or create one when `create` is true).

        Without `create` the file is opened `mode=rw`, so a mistyped path is an error rather
        than a fresh, empty database that silently takes the day's payments. The site secret
        is read from `secret_path` (default `<database>.secret`); a new database file gets a
        new secret there unless one exists. A missing or bad secret is not an error here (the
        sandbox and backups open files to look at them); it is when something needs the key.
        """
        check_sqlite_version()
        p = Path(path)
        new_file = not p.exists() or p.stat().st_size == 0
        if p.is_dir():
            raise DatabaseError(f"{p} is a directory, not a database file.")
        if not create and not p.exists():
            raise DatabaseError(f"No database at {p} (create one with: clerk-tui init --db {p}).")
        if create:
            p.parent.mkdir(parents=True, exist_ok=True)
            if not p.exists():
                # Private from the first byte; SQLite gives -wal/-shm this file's mode.
                with contextlib.suppress(FileExistsError):
                    touch_private(p)
        if p.exists() and not (os.access(p, os.W_OK) and os.access(p.parent, os.W_OK)):
            raise DatabaseError(
                f"{p} is read-only (the file or its folder); clerk-tui must be able to write "
                "the database and its -wal/-shm files beside it."
            )
        mode = "rwc" if create else "rw"
        uri = f"{p.resolve().as_uri()}?mode={mode}"
        try:
            conn = sqlite3.connect(
                uri, uri=True, isolation_level=None, check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
        except sqlite3.Error as e:
            raise DatabaseError(f"Cannot open database {p}: {e}.") from None
        db = cls(conn, p)
        try:
            db._configure()
        except sqlite3.DatabaseError as e:
            conn.close()
            msg = str(e)
            if "not a database" in msg or "malformed" in msg:
                raise DatabaseError(f"{p} is not a clerk-tui database or is damaged ({msg}).") from None
            if "readonly" in msg or "read-only" in msg:
                raise DatabaseError(f"{p} is read-only; clerk-tui needs to write to it.") from None
            raise DatabaseError(f"Cannot use database {p}: {msg}.") from None
        db.use_secret(secret_path, create=create and new_file)
        return db

    def use_secret(self, path: str | os.PathLike[str] | None = None, *,
                   create: bool = False) -> None:
        """Load the site secret from `path` (or the default), creating it if asked and absent."""
        self.secret_path = Path(path) if path is not None else site_secret.default_path(self.path)
        self.secret, self.secret_problem = None, ""
        try:
            if create and not self.secret_path.exists():
                self.secret = site_secret.create(self.secret_path)
            else:
                self.secret = site_secret.load(self.secret_path)
        except site_secret.SecretError as e:
            self.secret_problem = str(e)

    def is_keyed(self) -> bool:
        """True once any audit row was written under a site secret (format 2 or later)."""
        if not self.table_exists("audit_log"):
            return False
        cols = {r["name"] for r in self.all("PRAGMA table_info(audit_log)")}
        return "fmt" in cols and bool(self.scalar("SELECT 1 FROM audit_log WHERE fmt >= 2 LIMIT 1"))

    def ensure_secret(self) -> bool:
        """Make the secret for a database that has none yet; True if one was created.

        A database whose audit chain is already keyed is refused instead: a new secret would
        make every keyed row (and every peppered PIN) look forged. Restore the old one.
        """
        if self.secret is not None:
            return False
        if self.secret_path.exists() or self.is_keyed():
            raise DatabaseError(self.secret_missing_message())
        self.secret = site_secret.create(self.secret_path)
        self.secret_problem = ""
        return True

    def secret_missing_message(self) -> str:
        why = self.secret_problem or f"site secret {self.secret_path} is missing"
        if not self.secret_path.exists() and not self.is_keyed():
            return f"{why}. Make one with: clerk-tui migrate --db {self.path}"
        return (f"{why}. {self.path} is keyed with its site secret: restore the secret file "
                "from its separate backup (or name its path as [site] secret in the config).")

    def require_secret(self) -> bytes:
        """The site secret, or a DatabaseError saying where it should be and what to do."""
        if self.secret is None:
            raise DatabaseError(self.secret_missing_message())
        return self.secret

    def _configure(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = c.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch to WAL (got {mode})")
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")
        # Touch the schema so a corrupt or foreign file fails here, not mid-payment.
        c.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if os.access(self.path, os.W_OK) is False:
            raise sqlite3.OperationalError("attempt to write a readonly database")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        self.close_reader()

    def close_reader(self) -> None:
        """Close the read connection (the next read opens it again). Leaving WAL mode needs
        this connection to be the only one open on the file."""
        with self._read_lock:
            if self._reader is not None:
                with contextlib.suppress(Exception):
                    self._reader.close()
                self._reader = None

    def _read_conn(self) -> Any:
        """The read connection (opened on first use), or None where there can be none (an
        in-memory database) and reads share the write connection. Caller holds `_read_lock`."""
        if self._reader is None:
            name = str(self.path)
            if not name or name == ":memory:" or not self.path.exists():
                return None
            try:
                reader = sqlite3.connect(
                    f"{self.path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None,
                    check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
                reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                reader.execute("PRAGMA synchronous = FULL")  # same pragmas as the writer,
                reader.execute("PRAGMA foreign_keys = ON")  # so a PRAGMA read says the same
                reader.execute("PRAGMA query_only = ON")
            except sqlite3.Error:
                log.exception("read connection for %s", self.path)
                return None
            self._reader = reader
        return self._reader

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Any]:
        """The connection a read uses: the write connection inside this thread's write, else
        the read connection. (Never touch `self.conn` from another thread here: while a write
        waits for the lock, the driver holds that connection's mutex.)"""
        if self._writer == threading.get_ident():
            with self._lock:
                yield self.conn
            return
        with self._read_lock:
            reader = self._read_conn()
            if reader is not None:
                yield reader
                return
        with self._lock:
            yield self.conn

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- transactions --------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """`BEGIN IMMEDIATE … COMMIT`; an exception rolls everything back.

        Nested calls join the outer transaction, so domain operations compose and the outermost
        one decides the commit. Reads by this thread meanwhile use the write connection; other
        threads read through the read connection and never wait for this.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._writer = threading.get_ident()
            try:
                self._hook_money_tables()  # TEMP schema, outside the transaction (a rollback would undo it)
                self.conn.execute("BEGIN IMMEDIATE")
                self._money_rows.clear()
                self._audited_changes = None
                self._depth = 1
                try:
                    yield self
                    self._refuse_unaudited_money()
                except BaseException:
                    self._depth = 0
                    self._kind = None  # it may have been read from a row now rolled back
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
                else:
                    self._depth = 0
                    try:
                        self.conn.execute("COMMIT")
                    except BaseException:
                        if self.conn.in_transaction:
                            self.conn.execute("ROLLBACK")
                        raise
            finally:
                self._writer = None
                self._money_rows.clear()

    @property
    def in_write(self) -> bool:
        return self._depth > 0

    # ---- money rows and the audit chain ---------------------------------------------------
    def _hook_money_tables(self) -> None:
        """Per-connection TEMP triggers noting (table, rowid) of every money row inserted.

        TEMP triggers belong to this connection only: rows written by anything else (the
        sqlite3 shell) are never noted, so no audit row covers them and verify finds them.
        """
        if self._money_hooked:
            return
        present = [t for t in MONEY_TABLES if self.table_exists(t)]
        if not present:
            return
        c = self.conn
        c.execute("CREATE TEMP TABLE IF NOT EXISTS money_writes "
                  "(tbl TEXT NOT NULL, rid INTEGER NOT NULL) STRICT").close()
        for t in present:
            c.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS money_write_{t} AFTER INSERT ON main.{t} "
                      f"BEGIN INSERT INTO temp.money_writes (tbl, rid) VALUES ('{t}', NEW.rowid); "
                      "END").close()
        self._money_hooked = len(present) == len(MONEY_TABLES)

    def take_money_writes(self) -> dict[str, list[int]]:
        """The money rows inserted so far in this transaction, and forget them (audit.record):
        one `DELETE … RETURNING`, since this runs under the write lock for every payment."""
        if not self._money_hooked and not self.scalar(
                "SELECT 1 FROM temp.sqlite_master WHERE name = 'money_writes'"):
            return {}
        out: dict[str, list[int]] = {}
        with self._lock:
            cur = self.conn.execute("DELETE FROM temp.money_writes RETURNING tbl, rid")
            rows = cur.fetchall()
            cur.close()
        for tbl, rid in sorted(rows):
            out.setdefault(tbl, []).append(rid)
        return out

    def money_rows(self, table: str, rowids: Sequence[int],
                   cols: Sequence[str]) -> list[tuple[Any, ...]] | None:
        """(rowid, *cols) of these rows as `insert` stored them in this transaction, or None
        when any is unknown here (written by other SQL) or the columns differ: the caller
        reads them back instead."""
        seen = self._money_rows.get(table)
        if not seen or self._money_cols.get(table) != tuple(cols):
            return None
        try:
            return [seen[r] for r in rowids]
        except KeyError:
            return None

    def note_audited(self) -> None:
        """audit.record has covered every money row so far: until another row changes, the
        commit need not look for uncovered ones (`total_changes` counts trigger rows too)."""
        self._audited_changes = self.conn.total_changes
        self._money_rows.clear()

    def _refuse_unaudited_money(self) -> None:
        if self._money_hooked and self._audited_changes == self.conn.total_changes:
            return  # nothing at all was written since the last audit row
        if not self.scalar("SELECT 1 FROM temp.sqlite_master WHERE name = 'money_writes'"):
            return
        row = self.one("SELECT tbl, rid FROM temp.money_writes LIMIT 1")
        if row:
            raise DatabaseError(
                f"{row['tbl']} row {row['rid']} was written without an audit row after it; "
                "the transaction was rolled back (a money change must call audit.record last)."
            )

    # ---- statements ----------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> int:
        """Run one statement; returns lastrowid. Writes must be inside `write()`."""
        with self._lock:
            cur = self.conn.execute(sql, params)
            rowid = cur.lastrowid
            cur.close()
            return rowid

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]] | Iterator[Any]) -> None:
        with self._lock:
            self.conn.executemany(sql, rows).close()

    def all(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        with self._reading() as conn:
            return _dict_rows(conn.execute(sql, params))

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> dict[str, Any] | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        with self._reading() as conn:
            cur = conn.execute(sql, params)
            row = cur.fetchone()
            cur.close()
            return row[0] if row else None

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Plain INSERT of a dict; returns the new rowid. Keeps ledger SQL portable.

        The SQL for a (table, columns) pair is built and its names checked once per process
        (a payment inserts seven rows). A money row inserted inside a write comes back through
        `RETURNING` as stored, so `audit.record` digests it without reading it again."""
        cols = tuple(row)
        key = (table, cols)
        sql = _INSERT_SQL.get(key)
        if sql is None:
            sql = _INSERT_SQL[key] = _insert_sql(table, cols)
        values = [row[c] for c in cols]
        if not (self._depth and table in _MONEY_SET) \
                or len(self._money_rows.get(table, ())) >= _KEEP_MONEY_ROWS:
            return self.execute(sql, values)  # a bulk load's rows are read back in runs
        with self._lock:
            cur = self.conn.execute(f"{sql} RETURNING rowid, *", values)
            stored = cur.fetchone()
            names = tuple(d[0] for d in cur.description[1:])
            cur.close()
        self._money_cols[table] = names
        self._money_rows.setdefault(table, {})[stored[0]] = tuple(stored)
        return stored[0]

    # ---- schema --------------------------------------------------------------------------
    def table_exists(self, name: str) -> bool:
        return bool(self.scalar("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", [name]))

    def applied_migrations(self) -> set[tuple[str, int]]:
        """(set, version) pairs this database has; an old single-sequence database's rows are
        read through `LEGACY_SEQUENCE` until `migrate` records them in the new table."""
        if self.table_exists("schema_migration_sets"):
            return {(r["migration_set"], r["version"])
                    for r in self.all("SELECT migration_set, version FROM schema_migration_sets")}
        if not self.table_exists("schema_migrations"):
            return set()
        applied: set[tuple[str, int]] = set()
        for v in self.all("SELECT version FROM schema_migrations"):
            keys = LEGACY_SEQUENCE.get(v["version"])
            if keys is None:
                raise DatabaseError(
                    f"{self.path} has schema version {v['version']}, newer than this clerk-tui "
                    f"knows ({max(LEGACY_SEQUENCE)}). Upgrade clerk-tui before using it.")
            applied.update(keys)
        return applied

    def schema_version(self) -> int:
        """How many migrations (of every set) this database has."""
        return len(self.applied_migrations())

    def schema_versions(self) -> dict[str, int]:
        """Highest version applied per migration set."""
        out: dict[str, int] = {}
        for name, version in self.applied_migrations():
            out[name] = max(out.get(name, 0), version)
        order = {name: i for i, name in enumerate(migration_sets())}
        return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))

    def pending_migrations(self) -> list[Migration]:
        known = load_migrations()
        applied = self.applied_migrations()
        known_keys = {(m.set, m.version) for m in known}
        unknown = sorted(applied - known_keys)
        if unknown:
            shown = ", ".join(f"{s} {v}" for s, v in unknown)
            raise DatabaseError(
                f"{self.path} has migrations this clerk-tui does not know ({shown}): it is "
                "newer, or made with another counter. Upgrade clerk-tui before using it.")
        return [m for m in known if (m.set, m.version) not in applied]

    def migrate(self) -> list[Migration]:
        """Apply pending migrations (core, then each counter's set) under one IMMEDIATE lock.

        Two processes starting at once serialise on the lock; the second finds nothing to do.
        Counters built in parallel each number their own set, so they never collide.
        """
        applied: list[Migration] = []
        with self.write():
            self._adopt_legacy_rows()
            pending = self.pending_migrations()
            if pending:
                self.execute(_SETS_TABLE)
            for m in pending:
                for stmt in split_statements(m.sql):
                    self.execute(stmt)
                self.execute(
                    "INSERT INTO schema_migration_sets (migration_set, version, name, "
                    "applied_at) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                    [m.set, m.version, m.name],
                )
                applied.append(m)
        return applied

    def _adopt_legacy_rows(self) -> None:
        """An old database: record its single-sequence rows as (set, version) rows (once)."""
        if self.table_exists("schema_migration_sets") or \
                not self.table_exists("schema_migrations"):
            return
        rows = self.all("SELECT version, applied_at FROM schema_migrations ORDER BY version")
        if not rows:
            return
        by_key = {(m.set, m.version): m for m in load_migrations()}
        self.applied_migrations()  # refuses a version newer than the legacy sequence
        self.execute(_SETS_TABLE)
        for r in rows:
            for key in LEGACY_SEQUENCE[r["version"]]:
                self.execute(
                    "INSERT INTO schema_migration_sets (migration_set, version, name, "
                    "applied_at) VALUES (?, ?, ?, ?)",
                    [key[0], key[1], by_key[key].name, r["applied_at"]])

    def require_current(self) -> None:
        pending = self.pending_migrations()
        if pending:
            raise DatabaseError(
                f"{self.path} needs {len(pending)} migration(s) "
                f"({', '.join(m.label for m in pending)}). Run: clerk-tui migrate --db {self.path}"
            )

    # ---- identity ------------------------------------------------------------------------
    def kind(self) -> str | None:
        """The database's label; remembered once set (it is never relabelled: `set_kind`),
        since every receipt asks."""
        if self._kind is not None:
            return self._kind
        if not self.table_exists("meta"):
            return None
        self._kind = self.scalar("SELECT value FROM meta WHERE key = 'kind'")
        return self._kind

    def set_kind(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(kind)
        with self.write():
            existing = self.kind()
            if existing and existing != kind:
                raise DatabaseError(f"{self.path} is a {existing} database; refusing to relabel it.")
            if not existing:
                # A plain INSERT: the schema refuses any upsert on meta (migration 0007).
                self.execute("INSERT INTO meta (key, value) VALUES ('kind', ?)", [kind])

    def require_kind(self, kind: str) -> None:
        actual = self.kind()
        if actual != kind:
            what = actual or "an unlabelled"
            raise DatabaseError(
                f"{self.path} is {'a ' + what if actual else what} database, not a {kind} one."
            )

    # ---- backup --------------------------------------------------------------------------
    def backup_to(self, dest: str | os.PathLike[str]) -> Path:
        """Copy the whole database in one step (`VACUUM INTO`), consistent as of one moment.

        A stepped online backup restarts whenever another clerk writes, so on a busy day it may
        never finish; `VACUUM INTO` reads one snapshot and cannot be starved. The backup file is
        created first, empty, with the source's mode (VACUUM INTO fills an empty file), so a
        private database never leaves a readable copy behind.
        """
        d = Path(dest)
        if d.is_dir():
            d = d / f"{self.path.stem}-backup.db"
        if d.exists() or d.is_symlink():
            raise DatabaseError(f"{d} already exists; choose a new backup file name.")
        d.parent.mkdir(parents=True, exist_ok=True)
        try:
            touch_private(d, stat.S_IMODE(os.stat(self.path).st_mode))
        except FileExistsError:
            raise DatabaseError(f"{d} already exists; choose a new backup file name.") from None
        try:
            with self._lock:
                self.conn.execute("VACUUM INTO ?", [str(d)]).close()
        except BaseException:
            d.unlink(missing_ok=True)
            raise
        return d


def peek_kind(path: str | os.PathLike[str]) -> str | None:
    """The kind label stored in a database's main file, or None when it cannot be read.

    Read-only and `immutable`: no lock, no -wal/-shm created, read or touched, so any file can
    be looked at (by `sandbox reset`, before it replaces one) and left byte-for-byte alone.
    Whatever is not yet checkpointed from a -wal is not seen: a file is identified only by
    what its main file says.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                               isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return row[0] if row and isinstance(row[0], str) else None


def open_database(
    path: str | os.PathLike[str], *, create: bool = False, migrate: bool = False,
    secret_path: str | os.PathLike[str] | None = None,
) -> Database:
    db = Database.open(path, create=create, secret_path=secret_path)
    try:
        if migrate:
            db.migrate()
        else:
            db.require_current()
    except Exception:
        db.close()
        raise
    return db
