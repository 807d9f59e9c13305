"""Clerks, PINs, sign-in, lockout and supervisor overrides.

PINs are kept only as salted scrypt hashes. Repeated failures lock the clerk (an admin unlocks
them) so a PIN cannot be guessed at an unattended terminal. A supervisor override is checked
here, against the supervisor's own role, and audited with both names.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from clerk_tui import site_secret
from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import ROLES, authority
from clerk_tui.domain.errors import AuthError, NotFound, PermissionDenied, ValidationError
from clerk_tui.domain.text import clean_text

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


@dataclass(frozen=True)
class Clerk:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    locked: bool
    failed_attempts: int


_PEPPERED = "scrypt-hmac"


def _pepper(pin: str, secret: bytes) -> bytes:
    """HMAC(site secret, PIN): without the secret file a stolen hash cannot be brute-forced."""
    return hmac.new(site_secret.subkey(secret, "pin pepper"), pin.encode(),
                    hashlib.sha256).digest()


def hash_pin(pin: str, secret: bytes | None = None) -> str:
    """Salted scrypt of the PIN, peppered with the site secret when one is given.

    `scrypt-hmac$…` hashes need the secret to check; plain `scrypt$…` hashes (made before the
    site secret existed, or with none) keep working until the PIN is reset.
    """
    salt = secrets.token_bytes(16)
    material = _pepper(pin, secret) if secret is not None else pin.encode()
    algo = _PEPPERED if secret is not None else "scrypt"
    digest = hashlib.scrypt(material, salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P,
                            dklen=32)
    return f"{algo}${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str, secret: bytes | None = None) -> bool:
    """True when `pin` hashes to `stored`; a peppered hash never matches without the secret."""
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo == _PEPPERED:
            if secret is None:
                return False
            material = _pepper(pin, secret)
        elif algo == "scrypt":
            material = pin.encode()
        else:
            return False
        got = hashlib.scrypt(material, salt=bytes.fromhex(salt), n=int(n), r=int(r),
                             p=int(p), dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def validate_pin(pin: str) -> str:
    if not pin or not pin.isdigit() or not pin.isascii():
        raise ValidationError("A PIN is 4 to 12 digits.")
    if not 4 <= len(pin) <= 12:
        raise ValidationError("A PIN is 4 to 12 digits.")
    return pin


def validate_username(username: str) -> str:
    u = (username or "").strip().lower()
    if not _USERNAME.match(u):
        raise ValidationError(
            "A username is 2 to 32 characters: a letter, then letters, digits, '.', '_' or '-'."
        )
    return u


def _clerk(row: dict) -> Clerk:
    return Clerk(row["id"], row["username"], row["full_name"], row["role"], bool(row["active"]),
                 bool(row["locked"]), row["failed_attempts"])


def _public(c: Clerk) -> dict:
    return {"username": c.username, "full_name": c.full_name, "role": c.role,
            "active": c.active, "locked": c.locked}


def get_clerk(db: Database, username: str) -> Clerk:
    row = db.one("SELECT * FROM clerks WHERE username = ?", [(username or "").strip()])
    if not row:
        raise NotFound(f"No clerk named {username!r}.")
    return _clerk(row)


def list_clerks(db: Database) -> list[Clerk]:
    return [_clerk(r) for r in db.all("SELECT * FROM clerks ORDER BY username")]


def add_clerk(db: Database, actor: Actor, username: str, full_name: str, role: str,
              pin: str) -> Clerk:
    username = validate_username(username)
    full_name = clean_text(full_name, field="Full name", max_len=80, required=True)
    if role not in ROLES:
        raise ValidationError(f"Unknown role {role!r} (roles are {', '.join(ROLES)}).")
    validate_pin(pin)
    pin_hash = hash_pin(pin, db.require_secret())
    with db.write():
        if db.scalar("SELECT 1 FROM clerks WHERE username = ?", [username]):
            raise ValidationError(f"A clerk named {username!r} already exists.")
        db.insert("clerks", {"username": username, "full_name": full_name, "role": role,
                             "pin_hash": pin_hash, "created_at": clock.stamp()})
        clerk = get_clerk(db, username)
        audit.record(db, actor, "clerk.add", f"clerk:{username}", after=_public(clerk))
    return clerk


def _update_clerk(db: Database, actor: Actor, username: str, action: str, sets: dict) -> Clerk:
    with db.write():
        before = get_clerk(db, username)
        cols = ", ".join(f"{k} = ?" for k in sets)
        db.execute(f"UPDATE clerks SET {cols} WHERE id = ?", [*sets.values(), before.id])
        after = get_clerk(db, username)
        audit.record(db, actor, action, f"clerk:{before.username}", before=_public(before),
                     after=_public(after))
    return after


def disable_clerk(db: Database, actor: Actor, username: str) -> Clerk:
    return _update_clerk(db, actor, username, "clerk.disable", {"active": 0})


def enable_clerk(db: Database, actor: Actor, username: str) -> Clerk:
    return _update_clerk(db, actor, username, "clerk.enable", {"active": 1})


def set_role(db: Database, actor: Actor, username: str, role: str) -> Clerk:
    if role not in ROLES:
        raise ValidationError(f"Unknown role {role!r} (roles are {', '.join(ROLES)}).")
    return _update_clerk(db, actor, username, "clerk.set_role", {"role": role})


def reset_pin(db: Database, actor: Actor, username: str, pin: str) -> Clerk:
    """New PIN; also clears a lockout (the admin has checked who is asking)."""
    validate_pin(pin)
    return _update_clerk(db, actor, username, "clerk.reset_pin",
                         {"pin_hash": hash_pin(pin, db.require_secret()), "failed_attempts": 0,
                          "locked": 0})


def unlock(db: Database, actor: Actor, username: str) -> Clerk:
    return _update_clerk(db, actor, username, "clerk.unlock", {"failed_attempts": 0, "locked": 0})


def _check(db: Database, username: str, pin: str, workstation: str, purpose: str) -> Clerk:
    """Verify a PIN, counting failures; the failure count commits even though we then refuse."""
    name = (username or "").strip()
    if not name:
        raise AuthError("Enter your username.")
    if not pin:
        raise AuthError("Enter your PIN.")
    if not _USERNAME.match(name):
        # No clerk can have this name (clerk add validates it), and text such as a lone
        # surrogate must not reach SQLite, which only takes valid UTF-8.
        raise AuthError(f"Unknown clerk {name!r}.")
    limit = authority().max_failed_attempts
    with db.write():
        row = db.one("SELECT * FROM clerks WHERE username = ?", [name])
        if not row:
            raise AuthError(f"Unknown clerk {name!r}.")
        clerk = _clerk(row)
        if not clerk.active:
            raise AuthError(f"Clerk {clerk.username!r} is disabled; see an administrator.")
        if clerk.locked:
            raise AuthError(f"Clerk {clerk.username!r} is locked after {limit} wrong PINs; "
                            "an administrator must unlock it.")
        if pin_matches(pin, row["pin_hash"], db.secret):
            if clerk.failed_attempts:
                db.execute("UPDATE clerks SET failed_attempts = 0 WHERE id = ?", [clerk.id])
            return clerk
        failures = clerk.failed_attempts + 1
        lock = failures >= limit
        db.execute("UPDATE clerks SET failed_attempts = ?, locked = ? WHERE id = ?",
                   [failures, int(lock), clerk.id])
        who = Actor(clerk.username, clerk.role, workstation, clerk.full_name)
        audit.record(db, who, f"{purpose}.failed", f"clerk:{clerk.username}",
                     after={"failed_attempts": failures, "locked": lock})
    if lock:
        raise AuthError(f"Wrong PIN. Clerk {clerk.username!r} is now locked; "
                        "an administrator must unlock it.")
    left = limit - failures
    raise AuthError(f"Wrong PIN ({left} {'try' if left == 1 else 'tries'} left).")


def sign_in(db: Database, username: str, pin: str, workstation: str) -> Actor:
    clerk = _check(db, username, pin, workstation, "signin")
    actor = Actor(clerk.username, clerk.role, workstation, clerk.full_name)
    with db.write():
        audit.record(db, actor, "signin", f"clerk:{clerk.username}")
    return actor


def sign_out(db: Database, actor: Actor) -> None:
    with db.write():
        audit.record(db, actor, "signout", f"clerk:{actor.username}")


def unlock_terminal(db: Database, actor: Actor, pin: str) -> None:
    """The idle lock: only the signed-in clerk's own PIN opens it again."""
    _check(db, actor.username, pin, actor.workstation, "unlock")


def authorize_override(db: Database, actor: Actor, supervisor: str, pin: str, permission: str,
                       *, amount_cents: int | None = None, limit: str | None = None,
                       what: str = "") -> Override:
    """Check a supervisor's name and PIN at the clerk's terminal and record the approval."""
    sup = _check(db, supervisor, pin, actor.workstation, "override")
    if sup.username == actor.username:
        raise PermissionDenied("A supervisor cannot approve their own action.")
    if not authority().can_approve(sup.role, permission, amount_cents, limit):
        raise PermissionDenied(f"{sup.username!r} ({sup.role}) may not approve this.")
    with db.write():
        audit.record(db, actor, "override.granted", f"permission:{permission}",
                     after={"what": what or permission, "amount_cents": amount_cents,
                            "limit": limit},
                     override_by=sup.username)
    return Override(sup.username, permission, amount_cents)
