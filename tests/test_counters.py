"""Counters as packages (issue 11): the manifests load in a fresh interpreter without importing
Textual or any screen, never clash, name only code that exists, and claim their sample scans."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clerk_tui import db as dbmod
from clerk_tui.counters import ManifestError, Registry, check_spec
from clerk_tui.counters.manifest import ActionSpec, Counter, Manifest, ScanKind

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, re, sys
from clerk_tui.counters import load_builtin
reg = load_builtin()
assert load_builtin() is reg  # idempotent
loaded = sorted(sys.modules)
out = {
    "textual": [m for m in loaded if m == "textual" or m.startswith("textual.")],
    "screens": [m for m in loaded if m.startswith("clerk_tui.screens")],
    "imported": [m for m in loaded if m.startswith("clerk_tui")],
    "manifests": [m.name for m in reg.manifests],
    "fkeys": [c.key for c in reg.counters],
    "letters": [c.mnemonic.lower() for c in reg.counters],
    "bindings": [b for c in reg.counters for b in (c.binding_id, c.home_binding_id)],
    "amenu": [a.key.lower() for a in reg.account_actions],
    "desk": [j.key.lower() for j in reg.desk_jobs],
    "sets": reg.migration_sets,
}
# Each sample code is claimed by exactly its kind, both by the patterns and by parse_scan.
from clerk_tui.domain.scanlines import clean_scan_text, parse_scan
claims = {}
for kind in reg.scan_kinds:
    for sample in kind.samples:
        text = clean_scan_text(sample)
        claims[sample] = {
            "kind": kind.kind,
            "matched": [k.kind for k in reg.scan_kinds if re.fullmatch(k.pattern, text)],
            "parsed": parse_scan(sample).kind,
        }
out["claims"] = claims
# Every "module:attr" resolves, for real.
from clerk_tui.counters.manifest import resolve
bad = []
for m in reg.manifests:
    for spec in m.specs():
        try:
            if not callable(resolve(spec)):
                bad.append(spec + " (not callable)")
        except Exception as e:
            bad.append(f"{spec}: {e}")
out["unresolved"] = bad
print(json.dumps(out))
"""


def _fresh(code: str, *args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _no_duplicates(values: list[str]) -> list[str]:
    return sorted({v for v in values if values.count(v) > 1})


def test_fresh_interpreter_loads_every_manifest_cleanly() -> None:
    r = _fresh(_CHILD)
    assert r["manifests"][:2] == ["cashier", "utility"]
    assert r["textual"] == [] and r["screens"] == []
    assert all(m == "clerk_tui" or m.startswith("clerk_tui.counters") for m in r["imported"]), \
        r["imported"]
    for what in ("fkeys", "letters", "bindings", "amenu", "desk"):
        assert _no_duplicates(r[what]) == [], what
    assert len(r["amenu"]) >= 14 and len(r["desk"]) >= 11 and len(r["fkeys"]) >= 9
    assert r["claims"], "every scan kind lists sample codes"
    for sample, c in r["claims"].items():
        assert c["matched"] == [c["kind"]], sample
        assert c["parsed"] == c["kind"], sample
    assert r["unresolved"] == []
    assert r["sets"][:2] == ["cashier", "utility"]  # then each built counter's own set
    assert r["sets"] == [m for m in dbmod.migration_sets() if m != "core"]


def test_counter_bindings_do_not_clash_with_the_apps_own() -> None:
    """The app's global keys: its own bindings plus one per counter, no id or key twice."""
    from clerk_tui.app import ClerkApp

    bindings = [b for b in ClerkApp.BINDINGS if hasattr(b, "id")]
    ids = [b.id for b in bindings if b.id]  # type: ignore[union-attr]
    keys = [k for b in bindings for k in b.key.split(",")]  # type: ignore[union-attr]
    assert _no_duplicates(ids) == [] and _no_duplicates(keys) == []
    assert {"counter.payments", "counter.utility"} <= set(ids)


def test_a_misspelt_name_is_refused_at_load_not_skipped() -> None:
    with pytest.raises(ManifestError, match="no module"):
        check_spec("clerk_tui.screens.utility.sevrice:new_order")
    with pytest.raises(ManifestError, match="defines no"):
        check_spec("clerk_tui.screens.utility.service:new_ordre")
    with pytest.raises(ManifestError, match="not a 'module:attr'"):
        check_spec("clerk_tui.screens.utility.service.new_order")
    check_spec("clerk_tui.screens.utility.service:new_order")
    reg = Registry()
    bad = Manifest("x", account_actions=(
        ActionSpec("x.order", "q", "Order", None, "clerk_tui.screens.refund:RefundScrean"),))
    with pytest.raises(ManifestError, match="RefundScrean"):
        reg.add(bad)
    assert reg.manifests == []


def test_clashes_across_manifests_are_refused() -> None:
    reg = Registry()
    reg.add(Manifest("a", account_actions=(
        ActionSpec("a.one", "q", "One", None, "clerk_tui.screens.refund:RefundScreen"),)),)
    with pytest.raises(ManifestError, match="A-menu letter 'q'"):
        reg.add(Manifest("b", account_actions=(
            ActionSpec("b.one", "Q", "One", None, "clerk_tui.screens.refund:RefundScreen"),)))
    reg.add(Manifest("c", counters=(Counter("c", "C", "f12", "z", None, "", None),)))
    with pytest.raises(ManifestError, match="function key 'f12'"):
        reg.add(Manifest("d", counters=(Counter("d", "D", "f12", "y", None, "", None),)))
    with pytest.raises(ManifestError, match="home letter 'z'"):
        reg.add(Manifest("e", counters=(Counter("e", "E", "f1", "Z", None, "", None),)))
    with pytest.raises(ManifestError, match="migration set"):
        reg.add(Manifest("f", migrations="core"))


def test_scan_kinds_by_priority_not_by_order_of_loading() -> None:
    reg = Registry()
    low = ScanKind("low", r"X[0-9]+", "clerk_tui.domain.scanlines:parse_account", None, 1, ())
    high = ScanKind("high", r"X[0-9]+", "clerk_tui.domain.scanlines:parse_account", None, 9, ())
    reg.add(Manifest("first", scan_kinds=(low,)))
    reg.add(Manifest("second", scan_kinds=(high,)))
    assert [s.kind for s in reg.scan_kinds] == ["high", "low"]
