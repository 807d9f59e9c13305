"""Private files: every file clerk-tui writes holds customers' data or money.

Databases, backups, referral exports and saved letters are created 0600 (the owner only),
whatever the umask, or 0660 when their folder is a setgid group folder: the README's per-clerk
SSH set-up gives each clerk their own Unix account and one group owns the shared folder, so the
other clerks of that group must still be able to open what one of them wrote. SQLite gives a
database's -wal/-shm (and rollback journal) the database file's own mode, so creating the
database file first, empty, with this mode makes its companions private too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO

PRIVATE = 0o600
GROUP_PRIVATE = 0o660


def private_mode(folder: str | os.PathLike[str]) -> int:
    """0660 in a setgid (group-shared) folder, else 0600."""
    try:
        setgid = bool(os.stat(folder).st_mode & stat.S_ISGID)
    except OSError:
        setgid = False
    return GROUP_PRIVATE if setgid else PRIVATE


def create_private(path: str | os.PathLike[str], mode: int | None = None) -> int:
    """Create `path`, which must not exist yet, and return a descriptor open for writing.

    The mode is `mode` (e.g. a backup's source mode) or `private_mode()` of the folder, set
    with fchmod after the create so the umask cannot widen or narrow it. Raises
    FileExistsError rather than writing through a file (or link) someone else put there.
    """
    p = Path(path)
    want = private_mode(p.parent) if mode is None else mode
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), want)
    try:
        os.fchmod(fd, want)
    except BaseException:
        os.close(fd)
        p.unlink(missing_ok=True)
        raise
    return fd


def open_private(path: str | os.PathLike[str], *, encoding: str = "utf-8",
                 newline: str | None = None, mode: int | None = None) -> TextIO:
    """A new private text file open for writing (see `create_private`)."""
    return os.fdopen(create_private(path, mode), "w", encoding=encoding, newline=newline)


def touch_private(path: str | os.PathLike[str], mode: int | None = None) -> Path:
    """A new empty private file, e.g. a database or backup for SQLite to fill."""
    os.close(create_private(path, mode))
    return Path(path)
