"""Counters as packages: the one list of built-in counters and the registry their manifests fill.

Each counter declares what it adds in a manifest module `clerk_tui/counters/<name>.py`
(`MANIFEST = Manifest(...)`, see `manifest.py`). Adding a counter means adding its own folders
and its name to `BUILTIN`; nothing registers itself by being imported. `load_builtin()` runs
once at start-up of the app, the CLI, worker processes, the bench and the test helpers; it is
idempotent and cheap (manifests are plain data naming code as `"module:attr"` strings, so it
imports no screen, report or rules file), and it refuses a misspelt name, a duplicate id,
F-key, home letter, A-menu letter, desk letter, scan kind or finder kind outright.
"""

from __future__ import annotations

import importlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from clerk_tui.counters.manifest import (
    ActionSpec,
    Counter,
    FinderSpec,
    ItemKindSpec,
    JobSpec,
    Manifest,
    ScanKind,
    resolve,
)

BUILTIN: tuple[str, ...] = ("cashier", "utility", "miscsales", "citations", "permits", "licenses",
                           "passports", "frontdesk", "office", "batches")
"""Built-in counters, in load order (migration sets apply in this order, after `core`)."""

__all__ = ["BUILTIN", "Counter", "FinderSpec", "Manifest", "Registry", "check_spec", "load_builtin",
           "registry", "resolve"]


class ManifestError(Exception):
    """A manifest names something that does not exist or clashes with another manifest."""


@dataclass
class Registry:
    """What the loaded manifests add, merged; consumers read it, nobody writes to it."""

    manifests: list[Manifest] = field(default_factory=list)
    counters: list[Counter] = field(default_factory=list)
    item_kinds: dict[str, ItemKindSpec] = field(default_factory=dict)
    scan_kinds: list[ScanKind] = field(default_factory=list)
    account_actions: list[ActionSpec] = field(default_factory=list)
    desk_jobs: list[JobSpec] = field(default_factory=list)
    alert_rules: list[str] = field(default_factory=list)
    finders: list[FinderSpec] = field(default_factory=list)

    @property
    def migration_sets(self) -> list[str]:
        return [m.migrations for m in self.manifests if m.migrations]

    def add(self, m: Manifest) -> None:
        """Merge one manifest, refusing any clash with what is already loaded."""
        if any(o.name == m.name for o in self.manifests):
            raise ManifestError(f"counter package {m.name!r} is loaded twice")
        for spec in m.specs():
            check_spec(spec, m.name)
        _unique(m.name, "counter id", [c.id for c in self.counters], [c.id for c in m.counters])
        _unique(m.name, "function key", [c.key for c in self.counters],
                [c.key for c in m.counters])
        _unique(m.name, "home letter", [c.mnemonic.lower() for c in self.counters],
                [c.mnemonic.lower() for c in m.counters])
        _unique(m.name, "item kind", list(self.item_kinds), [k.code for k in m.item_kinds])
        _unique(m.name, "scan kind", [s.kind for s in self.scan_kinds],
                [s.kind for s in m.scan_kinds])
        _unique(m.name, "account action", [a.id for a in self.account_actions],
                [a.id for a in m.account_actions])
        _unique(m.name, "A-menu letter", [a.key.lower() for a in self.account_actions],
                [a.key.lower() for a in m.account_actions])
        _unique(m.name, "desk job", [j.id for j in self.desk_jobs], [j.id for j in m.desk_jobs])
        _unique(m.name, "desk letter", [j.key.lower() for j in self.desk_jobs],
                [j.key.lower() for j in m.desk_jobs])
        for f in m.finders:
            if not re.fullmatch(r"[a-z][a-z0-9_-]{0,11}", f.kind) or f.kind == "account":
                raise ManifestError(f"{m.name}: bad finder kind {f.kind!r} (a lower-case word "
                                    "of at most 12 characters; 'account' is the lookup's own)")
        _unique(m.name, "finder kind", [f.kind for f in self.finders],
                [f.kind for f in m.finders])
        if m.migrations is not None:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", m.migrations) or m.migrations == "core":
                raise ManifestError(f"{m.name}: bad migration set name {m.migrations!r}")
            _unique(m.name, "migration set", self.migration_sets, [m.migrations])
        for s in m.scan_kinds:
            re.compile(s.pattern)
        self.manifests.append(m)
        self.counters.extend(m.counters)
        self.item_kinds.update({k.code: k for k in m.item_kinds})
        self.scan_kinds.extend(m.scan_kinds)
        self.scan_kinds.sort(key=lambda s: (-s.priority, s.kind))
        self.account_actions.extend(m.account_actions)
        self.desk_jobs.extend(m.desk_jobs)
        self.alert_rules.extend(m.alert_rules)
        self.finders.extend(m.finders)


def _unique(manifest: str, what: str, have: list[str], new: list[str]) -> None:
    seen = set(have)
    for value in new:
        if value in seen:
            raise ManifestError(f"{manifest}: {what} {value!r} is already taken")
        seen.add(value)


_PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent  # the folder holding clerk_tui/


def _module_file(module: str) -> Path | None:
    """Where a clerk_tui module lives, found without importing it (or None if absent)."""
    base = _PACKAGE_ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


_DEFINED = re.compile(r"^(?:(?:async\s+)?def\s+(\w+)|class\s+(\w+)|(\w+)\s*[:=])", re.M)
_names_cache: dict[Path, frozenset[str]] = {}


def _top_level_names(path: Path) -> frozenset[str]:
    """Names a module defines or imports at top level, read from its source (cached)."""
    names = _names_cache.get(path)
    if names is None:
        text = path.read_text(encoding="utf-8")
        found = {n for m in _DEFINED.finditer(text) for n in m.groups() if n}
        for m in re.finditer(r"^from\s+\S+\s+import\s+(\([^)]*\)|[^\n]*)", text, re.M):
            found.update(w.split(" as ")[-1].strip()
                         for w in m.group(1).strip("()").replace("\n", " ").split(","))
        names = _names_cache[path] = frozenset(found)
    return names


def check_spec(spec: str, manifest: str = "?") -> None:
    """Refuse a `"module:attr"` whose module file is missing or that never defines `attr`.

    Reads the source text instead of importing it, so the check costs no screen import; the
    registry test resolves every name for real in a fresh interpreter."""
    if not re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", spec or ""):
        raise ManifestError(f"{manifest}: {spec!r} is not a 'module:attr' name")
    module, attr = spec.split(":")
    if not module.startswith("clerk_tui."):
        try:
            resolve(spec)
        except (ImportError, AttributeError) as e:
            raise ManifestError(f"{manifest}: {spec!r} does not resolve: {e}") from None
        return
    path = _module_file(module)
    if path is None:
        raise ManifestError(f"{manifest}: {spec!r}: there is no module {module}")
    if attr not in _top_level_names(path):
        raise ManifestError(f"{manifest}: {spec!r}: {module} defines no {attr!r}")


_registry: Registry | None = None
_lock = threading.Lock()


def load_builtin() -> Registry:
    """Load every built-in manifest once (idempotent, thread-safe) and return the registry."""
    global _registry
    if _registry is not None:
        return _registry
    with _lock:
        if _registry is None:
            reg = Registry()
            for name in BUILTIN:
                module = importlib.import_module(f"clerk_tui.counters.{name}")
                manifest = getattr(module, "MANIFEST", None)
                if not isinstance(manifest, Manifest):
                    raise ManifestError(f"clerk_tui.counters.{name} has no MANIFEST")
                reg.add(manifest)
            _registry = reg
    return _registry


def registry() -> Registry:
    """The loaded registry (loads the built-in manifests on first use)."""
    return _registry if _registry is not None else load_builtin()
