"""Clerks, PINs, sign-in, lockout and supervisor overrides; the only issuer of actors.

PINs are kept only as salted scrypt hashes. Repeated failures lock the clerk (an admin unlocks
them) so a PIN cannot be guessed at an unattended terminal. Every failed sign-in gets the same
message and costs the same scrypt, so nobody learns which usernames exist. The PIN is checked
before the write lock is taken: scrypt never makes another counter wait.

A supervisor override is checked here, against the supervisor's own role, and audited with both
names. Wrong supervisor PINs count against the clerk and the workstation that asked, never
against the supervisor's sign-in (else any clerk could lock every supervisor out).

Actors and overrides carry a seal: an HMAC under a key made fresh in each process and kept in
this module. The domain's choke points (`authority().require`, `audit.record`) refuse anything
this module did not issue, so a hand-built `Override("nobody", ...)` or an actor whose role was
edited with `dataclasses.replace` changes nothing. A seal is good only in the process that made
it: a child process gets its own actor (`sign_in`, or `clerk_actor` for trusted scripts).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from clerk_tui import site_secret
from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import ROLES, authority
from clerk_tui.domain.errors import AuthError, NotFound, PermissionDenied, ValidationError
from clerk_tui.domain.text import clean_text, refuse_card_number
from clerk_tui.domain.training import require_training_for

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
PRODUCTION_SCRYPT_N = _SCRYPT_N
_SCRYPT_IN_CHILD = False
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")

NOT_RECOGNISED = "Username or PIN not recognised."
"""The one message for every failed sign-in: unknown, disabled, locked or wrong PIN alike."""

OVERRIDE_TRIES = 3
OVERRIDE_PAUSE = dt.timedelta(minutes=5)
"""After this many wrong supervisor PINs in a row from one clerk or one workstation, overrides
from there are refused for this long."""

_KEY = secrets.token_bytes(32)
# Seals actors and overrides. Made fresh in every process and never stored: nothing outside
# this process can make a seal, and nothing here hands the key out.


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


def scrypt_in_child_process(on: bool = True) -> bool:
    """Compute every PIN hash of this process in a short-lived child process
    (clerk_tui/domain/scrypt_child.py): the counter session turns it on so scrypt's 16 MiB
    never set its peak memory. The checks are the same either way: one scrypt per PIN
    checked (a dummy one for unknown names), always before the write lock. Returns the
    previous setting, for the caller to put back."""
    global _SCRYPT_IN_CHILD
    was, _SCRYPT_IN_CHILD = _SCRYPT_IN_CHILD, on
    return was


def _scrypt(material: bytes, *, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    if _SCRYPT_IN_CHILD:
        from clerk_tui.domain.scrypt_child import scrypt_in_child

        return scrypt_in_child(material, salt=salt, n=n, r=r, p=p, dklen=dklen)
    return hashlib.scrypt(material, salt=salt, n=n, r=r, p=p, dklen=dklen)


def hash_pin(pin: str, secret: bytes | None = None) -> str:
    """Salted scrypt of the PIN, peppered with the site secret when one is given.

    `scrypt-hmac$…` hashes need the secret to check; plain `scrypt$…` hashes (made before the
    site secret existed, or with none) keep working until the PIN is reset.
    """
    salt = secrets.token_bytes(16)
    material = _pepper(pin, secret) if secret is not None else pin.encode()
    algo = _PEPPERED if secret is not None else "scrypt"
    digest = _scrypt(material, salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
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
        got = _scrypt(material, salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                      dklen=len(bytes.fromhex(digest)))
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
    refuse_card_number(u, field="Username")
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
    require_training_for(db, role, "adding a trainee")
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
    require_training_for(db, role, "making a clerk a trainee")
    return _update_clerk(db, actor, username, "clerk.set_role", {"role": role})


def reset_pin(db: Database, actor: Actor, username: str, pin: str) -> Clerk:
    """New PIN; also clears a lockout (the admin has checked who is asking)."""
    validate_pin(pin)
    return _update_clerk(db, actor, username, "clerk.reset_pin",
                         {"pin_hash": hash_pin(pin, db.require_secret()), "failed_attempts": 0,
                          "locked": 0})


def unlock(db: Database, actor: Actor, username: str) -> Clerk:
    return _update_clerk(db, actor, username, "clerk.unlock", {"failed_attempts": 0, "locked": 0})


def set_scrypt_cost_for_tests(n: int) -> None:
    """Test suites only: make new PIN hashes with scrypt cost `n` (a power of two).

    Why: a suite that adds hundreds of clerks spends most of its time in scrypt. Production
    never calls this and no environment variable or setting reaches it; the tests' conftest
    calls it. Each stored hash carries its own n, so hashes made at either cost still verify.
    The dummy hash for unknown names is remade at the new cost, so an unknown name keeps
    costing the same as a wrong PIN.
    """
    global _SCRYPT_N
    if n < 2 or n & (n - 1):
        raise ValueError("the scrypt cost n must be a power of two greater than 1")
    _SCRYPT_N = n
    _dummy_hash.cache_clear()


@functools.cache
def _dummy_hash() -> str:
    """A hash no PIN matches, made like a real one: an unknown name costs the same scrypt."""
    return hash_pin(secrets.token_hex(16))


def _verify(db: Database, username: str, pin: str) -> tuple[dict | None, bool]:
    """Read the clerk and run scrypt, holding no lock; returns (row or None, PIN matched).

    Unknown, disabled and locked clerks cost one scrypt like everyone else (against a dummy
    hash when there is no row), so the time taken says nothing about which names exist.
    """
    name = (username or "").strip()
    if not name:
        raise AuthError("Enter your username.")
    if not pin:
        raise AuthError("Enter your PIN.")
    if not _USERNAME.match(name):
        # No clerk can have this name (clerk add validates it), and text such as a lone
        # surrogate must not reach SQLite, which only takes valid UTF-8. Refused on its
        # syntax alone, which every user can see; it tells nothing about who exists.
        raise AuthError(NOT_RECOGNISED)
    dummy = _dummy_hash()  # made on the first check of any name, so that one is no tell either
    row = db.one("SELECT * FROM clerks WHERE username = ?", [name])
    matched = pin_matches(pin, row["pin_hash"] if row else dummy, db.secret)
    return row, bool(row) and matched


def _check(db: Database, username: str, pin: str, workstation: str, purpose: str) -> Clerk:
    """Verify a clerk's own PIN, counting failures against that clerk.

    scrypt runs before `BEGIN IMMEDIATE`; the write after it is short (the failure count and
    its audit row commit even though we then refuse). Every failure writes one audit row, so
    an unknown name takes as long as a wrong PIN down to the commit.
    """
    row, matched = _verify(db, username, pin)
    limit = authority().max_failed_attempts
    with db.write():  # short: no scrypt in here. Refusals are raised after the commit.
        fresh = db.one("SELECT * FROM clerks WHERE id = ?", [row["id"]]) if row else None
        if fresh is None:
            who = _issue("(unknown)", "trainee", workstation)
            audit.record(db, who, f"{purpose}.failed", "clerk:(unknown)",
                         after={"reason": "unknown"})
            raise_after = True
        else:
            clerk = _clerk(fresh)
            who = _issue(clerk.username, clerk.role, workstation, clerk.full_name)
            # A PIN reset between our read and this write: refuse, and do not count it.
            same = fresh["pin_hash"] == row["pin_hash"]
            raise_after = not (matched and same and clerk.active and not clerk.locked)
            if not raise_after:
                if clerk.failed_attempts:
                    db.execute("UPDATE clerks SET failed_attempts = 0 WHERE id = ?",
                               [clerk.id])
            elif not clerk.active or clerk.locked:
                audit.record(db, who, f"{purpose}.failed", f"clerk:{clerk.username}",
                             after={"reason": "disabled" if not clerk.active else "locked"})
            else:
                failures = clerk.failed_attempts + (0 if matched else 1)
                lock = failures >= limit
                db.execute("UPDATE clerks SET failed_attempts = ?, locked = ? WHERE id = ?",
                           [failures, int(lock), clerk.id])
                audit.record(db, who, f"{purpose}.failed", f"clerk:{clerk.username}",
                             after={"failed_attempts": failures, "locked": lock})
    if raise_after:
        raise AuthError(NOT_RECOGNISED)
    return clerk


def sign_in(db: Database, username: str, pin: str, workstation: str) -> Actor:
    clerk = _check(db, username, pin, workstation, "signin")
    require_training_for(db, clerk.role, "a trainee's sign-in")  # after the PIN: no hint
    actor = _issue(clerk.username, clerk.role, workstation, clerk.full_name)
    with db.write():
        audit.record(db, actor, "signin", f"clerk:{clerk.username}")
    return actor


def sign_out(db: Database, actor: Actor) -> None:
    with db.write():
        audit.record(db, actor, "signout", f"clerk:{actor.username}")


def unlock_terminal(db: Database, actor: Actor, pin: str) -> None:
    """The idle lock: only the signed-in clerk's own PIN opens it again.

    Failures count towards the clerk's lockout like sign-in failures; the message says only
    that the PIN was not recognised (the screen asks for no username).
    """
    check_actor(actor)
    try:
        _check(db, actor.username, pin, actor.workstation, "unlock")
    except AuthError as e:
        if str(e) == NOT_RECOGNISED:
            raise AuthError("PIN not recognised.") from None
        raise


# ---- supervisor overrides --------------------------------------------------------------------
def _override_failures(db: Database, column: str, value: str) -> int:
    """Wrong supervisor PINs in a row from this clerk (or workstation): since the last
    approval or lockout there. Counted from the audit log, which cannot be edited."""
    # `action GLOB 'override.*'` lets SQLite use the partial indexes of migration 0006.
    last = db.scalar(
        f"SELECT coalesce(max(seq), 0) FROM audit_log WHERE {column} = ? "
        "AND action GLOB 'override.*' AND action IN ('override.granted', 'override.lockout')",
        [value])
    return int(db.scalar(
        f"SELECT count(*) FROM audit_log WHERE {column} = ? AND action GLOB 'override.*' "
        "AND action = 'override.failed' AND seq > ?", [value, last]))


def override_refused_until(db: Database, actor: Actor) -> dt.datetime | None:
    """When overrides from this clerk and workstation may be asked for again, if paused."""
    at = db.scalar(
        "SELECT at FROM audit_log WHERE action GLOB 'override.*' "
        "AND action = 'override.lockout' AND (clerk = ? OR workstation = ?) "
        "ORDER BY seq DESC LIMIT 1",
        [actor.username, actor.workstation])
    if at is None:
        return None
    until = dt.datetime.fromisoformat(at) + OVERRIDE_PAUSE
    return until if until > clock.now() else None


def _paused(until: dt.datetime) -> AuthError:
    return AuthError(f"Too many wrong supervisor PINs: approvals from this clerk and workstation "
                     f"are refused until {until:%H:%M}.")


def authorize_override(db: Database, actor: Actor, supervisor: str, pin: str, permission: str,
                       *, amount_cents: int | None = None, limit: str | None = None,
                       what: str = "") -> Override:
    """Check a supervisor's name and PIN at the clerk's terminal and record the approval.

    A wrong PIN counts against the clerk and workstation asking (`OVERRIDE_TRIES` in a row
    pause their overrides for `OVERRIDE_PAUSE`), never against the supervisor's own sign-in.
    """
    check_actor(actor)
    until = override_refused_until(db, actor)
    if until is not None:
        with db.write():
            audit.record(db, actor, "override.refused", f"permission:{permission}",
                         after={"until": until.isoformat(timespec="seconds")})
        raise _paused(until)
    row, matched = _verify(db, supervisor, pin)  # scrypt, no lock held
    sup = _clerk(row) if row else None
    if sup is None or not matched or not sup.active or sup.locked:
        with db.write():
            failures = 1 + max(_override_failures(db, "clerk", actor.username),
                               _override_failures(db, "workstation", actor.workstation))
            audit.record(db, actor, "override.failed", f"permission:{permission}",
                         after={"supervisor": sup.username if sup else None,
                                "failures": failures})
            if failures >= OVERRIDE_TRIES:
                until = clock.now() + OVERRIDE_PAUSE
                audit.record(db, actor, "override.lockout", f"permission:{permission}",
                             after={"failures": failures,
                                    "until": until.isoformat(timespec="seconds")})
        if until is not None:
            raise _paused(until)
        raise AuthError(NOT_RECOGNISED)
    if sup.username == actor.username:
        raise PermissionDenied("A supervisor cannot approve their own action.")
    if not authority().can_approve(sup.role, permission, amount_cents, limit):
        raise PermissionDenied(f"{sup.username!r} ({sup.role}) may not approve this.")
    with db.write():
        audit.record(db, actor, "override.granted", f"permission:{permission}",
                     after={"what": what or permission, "amount_cents": amount_cents,
                            "limit": limit},
                     override_by=sup.username)
    return Override(sup.username, permission, amount_cents,
                    seal=_seal("override", actor.username, sup.username, permission,
                               amount_cents))


# ---- issued actors and overrides -------------------------------------------------------------
def _seal(*parts: Any) -> str:
    return hmac.new(_KEY, json.dumps(parts, separators=(",", ":")).encode(),
                    hashlib.sha256).hexdigest()


def _issue(username: str, role: str, workstation: str, full_name: str = "") -> Actor:
    return Actor(username, role, workstation, full_name,
                 seal=_seal("actor", username, role, workstation))


def check_actor(actor: Actor) -> None:
    """Refuse an actor this module did not issue: hand-built, or its name, role or workstation
    changed after issue. Called at the domain's choke points before anything is written."""
    seal = getattr(actor, "seal", "")
    if not (isinstance(actor, Actor) and isinstance(seal, str) and seal and hmac.compare_digest(
            seal, _seal("actor", actor.username, actor.role, actor.workstation))):
        raise PermissionDenied("Refused: this clerk was not signed in by clerk-tui (the actor "
                               "was not issued by sign-in). Nothing was changed.")


def check_override(actor: Actor, override: Override) -> None:
    """Refuse an approval this module did not issue for this clerk, permission and amount."""
    seal = getattr(override, "seal", "")
    if not (isinstance(override, Override) and isinstance(seal, str) and seal
            and hmac.compare_digest(seal, _seal("override", actor.username, override.supervisor,
                                                override.permission, override.amount_cents))):
        raise PermissionDenied("Refused: that supervisor approval was not given by a "
                               "supervisor's PIN for this clerk. Nothing was changed.")


def shell_actor(username: str, workstation: str = "cli", full_name: str = "") -> Actor:
    """An administrator acting from the shell: the CLI, the demo loader, `SYSTEM`.

    Trusted without a PIN because whoever runs clerk-tui at the shell owns the database file
    and could change it anyway. Screens never use this: a person at the counter signs in.
    """
    return _issue(username, "admin", workstation, full_name)


def clerk_actor(db: Database, username: str, workstation: str) -> Actor:
    """A clerk's actor without their PIN, for programs the database file's owner runs (scripts,
    tests, benchmarks), trusted like `shell_actor`. The role comes from the clerks table, never
    from the caller; a disabled or locked clerk is refused. Screens use `sign_in`."""
    clerk = get_clerk(db, username)
    if not clerk.active or clerk.locked:
        raise AuthError(f"Clerk {clerk.username!r} is disabled or locked.")
    return _issue(clerk.username, clerk.role, workstation, clerk.full_name)


SYSTEM = shell_actor("system", "cli", "clerk-tui")
"""clerk-tui itself (database set-up, the sandbox loader): issued here like every actor."""
