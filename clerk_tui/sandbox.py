"""The training database: a town full of believable accounts where new hires can't touch money.

It lives in the user's data dir (`paths.sandbox_db_path()`), never beside production, and is
labelled kind 'training' for life. It is created, migrated and seeded on first use (a fixed
seed, 800 accounts: a couple of seconds), and `reset_sandbox()` puts it back to that starting
state. It refuses to open any database that is not a training database: a trainee pointed at
production by a mistyped `--db` gets an error, not real customers.

A fresh sandbox is built in a temporary file beside the target and renamed into place in one
step, so no clerk ever opens a half-built database, and a stale -wal/-shm pair from the old file
can never be replayed into the new one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from clerk_tui import site_secret
from clerk_tui.counters import registry
from clerk_tui.counters.manifest import resolve
from clerk_tui.db import Database, DatabaseError, DriverError, peek_kind
from clerk_tui.domain import auth, search, setup
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.paths import sandbox_db_path

SANDBOX_SEED = 2026
SANDBOX_ACCOUNTS = 800

# (username, role, PIN): shown on the sign-in screen and in the README. Training only.
SANDBOX_CLERKS: list[tuple[str, str, str]] = [
    ("trainee", "trainee", "1111"),
    ("csr1", "csr1", "2222"),
    ("csr2", "csr2", "3333"),
    ("csr3", "csr3", "4444"),
    ("super", "supervisor", "5555"),
    ("admin", "admin", "9999"),
]
_FULL_NAMES = {
    "trainee": "Terry Trainee", "csr1": "Casey One", "csr2": "Jordan Two",
    "csr3": "Morgan Three", "super": "Sam Supervisor", "admin": "Alex Admin",
}


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """One builder at a time per sandbox file (two terminals starting at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - non-POSIX
            pass
        yield
    finally:
        os.close(fd)


def _build(path: Path) -> None:
    """Create a seeded training database at `path` via a temp file and an atomic rename."""
    tmp = path.with_name(f".{path.name}.building-{os.getpid()}")
    for p in (tmp, *_sidecars(tmp)):
        p.unlink(missing_ok=True)
    try:
        # The sandbox's own site secret lives beside the training database (kept across resets).
        db = Database.open(tmp, create=True, secret_path=site_secret.default_path(path))
        try:
            setup.initialize(db, "training", admin_username="admin",
                             admin_name=_FULL_NAMES["admin"], admin_pin="9999")
            for username, role, pin in SANDBOX_CLERKS:
                if username != "admin":
                    auth.add_clerk(db, SYSTEM, username, _FULL_NAMES[username], role, pin)
            # Each counter adds its own demo data, in manifest order (utility's town first).
            for manifest in registry().manifests:
                if manifest.demo:
                    resolve(manifest.demo)(db, seed=SANDBOX_SEED, accounts=SANDBOX_ACCOUNTS)
            # A self-contained single file: no WAL to carry across the rename.
            db.close_reader()  # leaving WAL needs the only connection
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
            db.conn.execute("PRAGMA journal_mode = DELETE").close()
        finally:
            db.close()
        for p in _sidecars(path):
            p.unlink(missing_ok=True)
        os.replace(tmp, path)
    finally:
        for p in (tmp, *_sidecars(tmp)):
            p.unlink(missing_ok=True)


def _refuse_unless_training(db: Database) -> None:
    try:
        kind = db.kind()
    except DriverError:
        kind = None
    if kind != "training":
        what = f"a {kind}" if kind else "not a training"
        db.close()
        raise DatabaseError(
            f"{db.path} is {what} database; the sandbox only opens training databases "
            "(run without --sandbox for production)."
        )


def open_sandbox(path: Path | None = None, *, reset: bool = False) -> Database:
    """Open the training database, creating, migrating and seeding it on first use.

    `path` (from `--db` with `--sandbox`) must be a training database or not exist yet; any
    other database is refused with a DatabaseError.
    """
    p = Path(path) if path is not None else sandbox_db_path()
    if reset:
        reset_sandbox(p)
    if p.is_dir():
        raise DatabaseError(f"{p} is a directory, not a database file.")
    if not p.exists():
        with _build_lock(p):
            if not p.exists():
                _build(p)
    kind = peek_kind(p)
    if kind is not None and kind != "training":  # refused before it is ever opened to write
        raise DatabaseError(f"{p} is a {kind} database; the sandbox only opens training "
                            "databases (run without --sandbox for production).")
    db = Database.open(p)
    _refuse_unless_training(db)
    try:
        db.migrate()  # the sandbox migrates itself (production uses `clerk-tui migrate`)
        if db.secret is None and db.is_keyed():
            raise DatabaseError(f"{db.secret_missing_message()} For the sandbox: clerk-tui "
                                "sandbox reset")
        db.ensure_secret()
        search.ensure_index(db)
    except Exception:
        db.close()
        raise
    return db


def reset_sandbox(path: Path | None = None) -> Path:
    """Put the training database back to its starting state; returns its path.

    Only a missing file or one whose main file positively says it is a training database is
    replaced. Anything else (production, unlabelled, damaged, unreadable, not SQLite at all)
    is refused and left byte-for-byte alone with its -wal/-shm: `CLERK_TUI_SANDBOX_DB` pointed
    at the wrong file must never cost a city its uncheckpointed payments. The label is read
    without opening the file for writing (`db.peek_kind`), so a read-only production file is
    identified, not mistaken for a damaged sandbox. Run it while nobody has the sandbox open:
    a session still running keeps the old file.
    """
    p = Path(path) if path is not None else sandbox_db_path()
    if p.is_dir():
        raise DatabaseError(f"{p} is a directory, not a database file.")
    with _build_lock(p):
        if p.exists() or p.is_symlink():
            kind = peek_kind(p)
            if kind != "training":
                what = (f"a {kind} database" if kind
                        else "not a database clerk-tui can identify as a training database "
                             "(unreadable, damaged, unlabelled or not SQLite)")
                raise DatabaseError(
                    f"{p} is {what}; refusing to reset it as a sandbox and leaving it as it is. "
                    "If it really is an old sandbox, move it away and run the reset again."
                )
        _build(p)
    return p
