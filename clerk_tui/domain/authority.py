"""What each role may do and up to how much: data from `data/authority.toml`, not `if` chains."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.errors import OverrideRequired, PermissionDenied, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.paths import reference_data_dir

ROLES = ("trainee", "csr1", "csr2", "csr3", "supervisor", "admin")

ALLOW, OVERRIDE, DENY = "allow", "override", "deny"


@dataclass(frozen=True)
class RoleRules:
    name: str
    label: str
    allow: frozenset[str]
    override: frozenset[str]
    limits: dict[str, int] = field(default_factory=dict)

    def mode(self, permission: str) -> str:
        if "*" in self.allow or permission in self.allow:
            return ALLOW
        if permission in self.override:
            return OVERRIDE
        return DENY


@dataclass(frozen=True)
class Authority:
    effective: str
    roles: dict[str, RoleRules]
    max_failed_attempts: int = 5
    idle_lock_minutes: int = 15
    over_short_tolerance: int = 500
    default_opening_bank: int = 15000

    def role(self, name: str) -> RoleRules:
        try:
            return self.roles[name]
        except KeyError:
            raise ValidationError(f"Unknown role {name!r}.") from None

    def mode(self, role: str, permission: str) -> str:
        return self.role(role).mode(permission)

    def limit(self, role: str, name: str) -> int:
        """The role's dollar limit in cents; a limit not listed is zero."""
        return self.role(role).limits.get(name, 0)

    def require(self, actor: Actor, permission: str, *, amount_cents: int | None = None,
                limit: str | None = None, override: Override | None = None,
                what: str | None = None) -> str | None:
        """Allow, demand an override, or refuse. Returns the approving supervisor, if any.

        Only actors and overrides that `auth` issued pass (checked here, before any rule).
        """
        from clerk_tui.domain import auth  # auth imports this module; the seal key lives there

        auth.check_actor(actor)
        rules = self.role(actor.role)
        mode = rules.mode(permission)
        what = what or permission
        if mode == DENY:
            raise PermissionDenied(f"A {rules.label} may not {what}.")
        over_limit = (
            limit is not None and amount_cents is not None
            and amount_cents > rules.limits.get(limit, 0)
        )
        if mode == ALLOW and not over_limit:
            return None
        if override is None:
            if over_limit:
                msg = (f"{format_money(amount_cents or 0)} is over your {limit.replace('_', ' ')} "
                       f"limit of {format_money(rules.limits.get(limit, 0))}: "
                       "a supervisor must approve.")
            else:
                msg = f"A supervisor must approve: {what}."
            raise OverrideRequired(permission, msg, amount_cents, limit)
        if override.permission != permission or override.amount_cents != amount_cents:
            raise PermissionDenied("That supervisor approval was for a different action.")
        auth.check_override(actor, override)
        return override.supervisor

    def can_approve(self, role: str, permission: str, amount_cents: int | None,
                    limit: str | None) -> bool:
        rules = self.role(role)
        if rules.mode("override.grant") != ALLOW or rules.mode(permission) != ALLOW:
            return False
        return not (limit is not None and amount_cents is not None
                    and amount_cents > rules.limits.get(limit, 0))


def load_authority(path: Path | None = None) -> Authority:
    path = path or reference_data_dir() / "authority.toml"
    raw = rulefile.load_rules(path)
    roles_raw = raw.get("roles", {})
    roles: dict[str, RoleRules] = {}

    def build(name: str, seen: tuple[str, ...] = ()) -> RoleRules:
        if name in roles:
            return roles[name]
        if name not in roles_raw:
            raise ValidationError(f"{path}: role {name!r} is not defined.")
        if name in seen:
            raise ValidationError(f"{path}: roles inherit in a circle: {' -> '.join(seen)}")
        r = roles_raw[name]
        allow: set[str] = set()
        override: set[str] = set()
        limits: dict[str, int] = {}
        parent = r.get("inherits")
        if parent:
            p = build(parent, (*seen, name))
            allow |= p.allow
            override |= p.override
            limits.update(p.limits)
        allow |= set(r.get("allow", []))
        override |= set(r.get("override", []))
        override -= allow
        for key, value in r.get("limits", {}).items():
            limits[key] = rulefile.money_field(value, f"{path}: roles.{name}.limits.{key}")
        rules = RoleRules(name, r.get("label", name), frozenset(allow), frozenset(override), limits)
        roles[name] = rules
        return rules

    for name in ROLES:
        build(name)
    for name in roles_raw:
        if name not in ROLES:
            raise ValidationError(f"{path}: unknown role {name!r} (roles are {', '.join(ROLES)}).")
    signin = raw.get("signin", {})
    drawer = raw.get("drawer", {})
    return Authority(
        effective=str(raw.get("effective", "")),
        roles=roles,
        max_failed_attempts=int(signin.get("max_failed_attempts", 5)),
        idle_lock_minutes=int(signin.get("idle_lock_minutes", 15)),
        over_short_tolerance=rulefile.money_field(drawer.get("over_short_tolerance", "5.00"),
                                          f"{path}: drawer.over_short_tolerance"),
        default_opening_bank=rulefile.money_field(drawer.get("default_opening_bank", "150.00"),
                                          f"{path}: drawer.default_opening_bank"),
    )


@functools.cache
def authority() -> Authority:
    """The rules in force (loaded once per process)."""
    return load_authority()
