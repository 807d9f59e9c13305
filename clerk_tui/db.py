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
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pysqlite3.dbapi2 as sqlite3
import sqlite_utils

MIN_SQLITE = (3, 51, 3)
BUSY_TIMEOUT_MS = 20_000
KINDS = ("production", "training")

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
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    found: list[Migration] = []
    folder = resources.files("clerk_tui") / "migrations"
    for entry in folder.iterdir():
        name = entry.name
        if not name.endswith(".sql") or not name[:4].isdigit():
            continue
        found.append(Migration(int(name[:4]), name[:-4], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise DatabaseError(f"migrations are not numbered 1..n without gaps: {versions}")
    return found


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


def _dict_rows(cursor: Any) -> list[dict[str, Any]]:
    cols = [d[0] for d in cursor.description] if cursor.description else []
    rows = [dict(zip(cols, r, strict=True)) for r in cursor.fetchall()]
    cursor.close()
    return rows


class Database:
    """One connection, with the project's pragmas, migrations and write helper."""

    def __init__(self, conn: Any, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.utils = sqlite_utils.Database(conn)
        self._lock = threading.RLock()
        self._depth = 0

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = False) -> Database:
        """Open an existing database (or create one when `create` is true).

        Without `create` the file is opened `mode=rw`, so a mistyped path is an error rather
        than a fresh, empty database that silently takes the day's payments.
        """
        check_sqlite_version()
        p = Path(path)
        if p.is_dir():
            raise DatabaseError(f"{p} is a directory, not a database file.")
        if not create and not p.exists():
            raise DatabaseError(f"No database at {p} (create one with: clerk-tui init --db {p}).")
        if create:
            p.parent.mkdir(parents=True, exist_ok=True)
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
        return db

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

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- transactions --------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """`BEGIN IMMEDIATE … COMMIT`; an exception rolls everything back.

        Nested calls join the outer transaction, so domain operations compose and the outermost
        one decides the commit.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._depth = 0
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

    @property
    def in_write(self) -> bool:
        return self._depth > 0

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
        with self._lock:
            return _dict_rows(self.conn.execute(sql, params))

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> dict[str, Any] | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        with self._lock:
            cur = self.conn.execute(sql, params)
            row = cur.fetchone()
            cur.close()
            return row[0] if row else None

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Plain INSERT of a dict; returns the new rowid. Keeps ledger SQL portable."""
        if not table.replace("_", "").isalnum():
            raise ValueError(f"bad table name {table!r}")
        cols = list(row)
        for col in cols:
            if not col.replace("_", "").isalnum():
                raise ValueError(f"bad column name {col!r}")
        sql = (
            f"INSERT INTO {table} ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' for _ in cols)})"
        )
        return self.execute(sql, [row[c] for c in cols])

    # ---- schema --------------------------------------------------------------------------
    def table_exists(self, name: str) -> bool:
        return bool(self.scalar("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", [name]))

    def schema_version(self) -> int:
        if not self.table_exists("schema_migrations"):
            return 0
        return int(self.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations") or 0)

    def pending_migrations(self) -> list[Migration]:
        known = load_migrations()
        current = self.schema_version()
        if current > len(known):
            raise DatabaseError(
                f"{self.path} has schema version {current}, newer than this clerk-tui knows "
                f"({len(known)}). Upgrade clerk-tui before using this database."
            )
        return [m for m in known if m.version > current]

    def migrate(self) -> list[Migration]:
        """Apply pending migrations under one IMMEDIATE lock.

        Two processes starting at once serialise on the lock; the second finds nothing to do.
        """
        applied: list[Migration] = []
        with self.write():
            for m in self.pending_migrations():
                for stmt in split_statements(m.sql):
                    self.execute(stmt)
                self.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) "
                    "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                    [m.version, m.name],
                )
                applied.append(m)
        return applied

    def require_current(self) -> None:
        pending = self.pending_migrations()
        if pending:
            raise DatabaseError(
                f"{self.path} needs {len(pending)} migration(s) "
                f"({', '.join(m.name for m in pending)}). Run: clerk-tui migrate --db {self.path}"
            )

    # ---- identity ------------------------------------------------------------------------
    def kind(self) -> str | None:
        if not self.table_exists("meta"):
            return None
        return self.scalar("SELECT value FROM meta WHERE key = 'kind'")

    def set_kind(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(kind)
        with self.write():
            existing = self.kind()
            if existing and existing != kind:
                raise DatabaseError(f"{self.path} is a {existing} database; refusing to relabel it.")
            if not existing:
                # A plain INSERT: the schema refuses any upsert on meta (migration 0006).
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
        never finish; `VACUUM INTO` reads one snapshot and cannot be starved.
        """
        d = Path(dest)
        if d.is_dir():
            d = d / f"{self.path.stem}-backup.db"
        if d.exists():
            raise DatabaseError(f"{d} already exists; choose a new backup file name.")
        d.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self.conn.execute("VACUUM INTO ?", [str(d)]).close()
        return d


def open_database(
    path: str | os.PathLike[str], *, create: bool = False, migrate: bool = False
) -> Database:
    db = Database.open(path, create=create)
    try:
        if migrate:
            db.migrate()
        else:
            db.require_current()
    except Exception:
        db.close()
        raise
    return db
