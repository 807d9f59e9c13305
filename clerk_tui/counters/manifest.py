"""What a counter adds to clerk-tui, declared in one place (plain data, no Textual).

Every piece of code a manifest names is a lazy `"module:attr"` string, so loading every
manifest at start-up imports no screen, report or rules file: a screen is imported when the
clerk opens it, an item kind when a payment or a void first needs it. A misspelt name is
refused when the manifests load (`clerk_tui.counters.load_builtin`), never skipped.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

_SPEC = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


def resolve(spec: str) -> Any:
    """Import `"module:attr"` and return the attribute (raises if either is missing)."""
    if not _SPEC.match(spec or ""):
        raise ValueError(f"{spec!r} is not a 'module:attr' name")
    module, attr = spec.split(":")
    obj = importlib.import_module(module)
    try:
        return getattr(obj, attr)
    except AttributeError:
        raise AttributeError(f"{spec!r}: module {module} has no {attr!r}") from None


@dataclass(frozen=True)
class Counter:
    """One counter (a function of the office) as the clerk reaches it."""

    id: str
    """Stable name; binding ids are `counter.<id>` (F-key) and `home.<id>` (letter)."""
    name: str
    key: str
    """Default function key; a site keymap may change it by binding id."""
    mnemonic: str
    """Letter on the home screen, for terminals without working F-keys."""
    permission: str | None
    """Needed to open it (data in authority.toml); `None` = every signed-in clerk."""
    summary: str
    screen: str | None
    """`"module:attr"` of a factory `f(counter) -> Screen`; None = "not available yet"."""

    @property
    def module(self) -> str | None:
        return self.screen.split(":")[0] if self.screen else None

    @property
    def binding_id(self) -> str:
        return f"counter.{self.id}"

    @property
    def home_binding_id(self) -> str:
        return f"home.{self.id}"


@dataclass(frozen=True)
class ItemKindSpec:
    """An item kind the payment screen can sell; `factory()` returns the `ItemKind`."""

    code: str
    factory: str


@dataclass(frozen=True)
class ScanKind:
    """A barcode/typed-code pattern: the higher `priority` is tried first (ties by kind).

    `parser(match)` returns the scan's value (or raises ValidationError); `handler(app, scan)`
    says what the scan opens (None: recognised, but no counter acts on it). `samples` are
    codes this kind must claim and no other kind may (checked by the registry test)."""

    kind: str
    pattern: str
    parser: str
    handler: str | None
    priority: int
    samples: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class MenuEntry:
    """A lettered entry of a menu: `key` is its letter, `open` the `"module:attr"` it opens
    (gated by `permission`), `order` its place in the list."""

    id: str
    key: str
    label: str
    permission: str | None
    open: str
    order: int = 100


class ActionSpec(MenuEntry):
    """An entry of the account screen's `A` menu; `open(account_id)` returns the screen."""


class JobSpec(MenuEntry):
    """A job on the utility desk; `open()` returns the screen."""


@dataclass(frozen=True)
class FinderSpec:
    """What a counter shows in the F2 lookup beside the accounts (citations, licenses, ...).

    `find(db, actor, text, limit) -> list[Found]` (a domain function,
    `clerk_tui.domain.finders.Found`) answers what the clerk typed from an index, fast: it
    runs on every keystroke. `open(screen, key)` (a screens function) pushes the screen of the
    record whose `Found.key` is `key`. `kind` names the hits in the lookup's Kind column
    ("account" is the lookup's own); `permission` (authority.toml) hides the hits from roles
    not allowed it outright; None = every signed-in clerk."""

    kind: str
    find: str
    open: str
    permission: str | None = None


@dataclass(frozen=True)
class Manifest:
    """Everything one counter package adds. Only strings and tuples: nothing is imported."""

    name: str
    counters: tuple[Counter, ...] = ()
    item_kinds: tuple[ItemKindSpec, ...] = ()
    scan_kinds: tuple[ScanKind, ...] = ()
    account_actions: tuple[ActionSpec, ...] = ()
    desk_jobs: tuple[JobSpec, ...] = ()
    alert_rules: tuple[str, ...] = ()
    """`"module:attr"` of `rule(db, AlertContext) -> list[Alert]`."""
    migrations: str | None = None
    """Name of the migration set: `clerk_tui/migrations/<name>/NNNN_*.sql`."""
    rules_files: tuple[str, ...] = ()
    """Rules files under `data/` this counter reads (effective-dated TOML)."""
    demo: str | None = None
    """`"module:attr"` of `builder(db, *, seed, accounts)` that adds this counter's demo data
    to a new sandbox database (run in manifest order, after the practice clerks exist)."""
    bench_jobs: tuple[str, ...] = ()
    """`"module:attr"` of keystroke-bench jobs: `async job(pilot)` returns the keys pressed
    (a receipt must be posted) or, for a job that takes no money, `(keys, what it did)`."""
    reports: tuple[str, ...] = ()
    """`"module:attr"` of the reports this counter prints."""
    finders: tuple[FinderSpec, ...] = ()
    """What this counter adds to the F2 lookup (see `FinderSpec`)."""

    def specs(self) -> list[str]:
        """Every `"module:attr"` this manifest names (for the load-time and registry checks)."""
        out: list[str] = [c.screen for c in self.counters if c.screen]
        out += [k.factory for k in self.item_kinds]
        for s in self.scan_kinds:
            out.append(s.parser)
            if s.handler:
                out.append(s.handler)
        out += [a.open for a in self.account_actions]
        out += [j.open for j in self.desk_jobs]
        out += list(self.alert_rules)
        if self.demo:
            out.append(self.demo)
        out += list(self.bench_jobs) + list(self.reports)
        for f in self.finders:
            out += [f.find, f.open]
        return out
