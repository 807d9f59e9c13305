"""The site secret: a key that lives outside the database file.

Why: the audit chain and the PIN hashes are both computed from data in the database. Anyone
holding a copy of the file (a stray backup, a laptop) could recompute a forged chain end to end,
or try all 10,000 four-digit PINs against a plain scrypt hash in seconds. Keyed with a secret
that is not in the file, a copy of the database alone can do neither: the chain is an HMAC
under the secret, and each PIN is HMAC'd with it before scrypt.

The secret is 32 random bytes written as hex in a file of its own, created 0600 by
`clerk-tui init` (or `clerk-tui migrate` for a database that predates it). Its path is
`[site] secret` in the workstation configuration, else `<database>.secret` beside the database.
It is read once when a database is opened and carried on the `Database` object.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

SECRET_BYTES = 32
SUFFIX = ".secret"


class SecretError(Exception):
    """The secret file is missing, unreadable, malformed or readable by everyone."""


def default_path(db_path: str | os.PathLike[str]) -> Path:
    """`<database>.secret` beside the database, used when the config names no path."""
    p = Path(db_path)
    return p.with_name(p.name + SUFFIX)


def create(path: str | os.PathLike[str]) -> bytes:
    """Write a new secret, mode 0600 whatever the umask; refuses to overwrite one."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(SECRET_BYTES)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SecretError(f"{p} already exists; a site secret is never overwritten.") from None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (key.hex() + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


def load(path: str | os.PathLike[str]) -> bytes:
    """Read a secret; a file everyone may read is refused (it would protect nothing)."""
    p = Path(path)
    try:
        st = p.stat()
        text = p.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise SecretError(f"site secret {p} is missing") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SecretError(f"cannot read site secret {p}: {e}") from None
    if st.st_mode & stat.S_IROTH:
        raise SecretError(f"site secret {p} is readable by every user; chmod 600 it")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != SECRET_BYTES:
        raise SecretError(f"site secret {p} is not {SECRET_BYTES} bytes of hex (damaged?)")
    return key


def subkey(secret: bytes, purpose: str) -> bytes:
    """One key per use (audit chain, PIN pepper), so neither can stand in for the other."""
    return hmac.new(secret, f"clerk-tui {purpose}".encode(), hashlib.sha256).digest()
