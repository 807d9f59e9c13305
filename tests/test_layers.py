"""domain/, db.py and hardware/ must not load Textual: they serve the CLI, reports and tests."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import clerk_tui.domain
import clerk_tui.hardware


def _modules(pkg) -> list[str]:
    return [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]


def test_core_layers_do_not_import_textual() -> None:
    mods = ["clerk_tui.db", "clerk_tui.domain", "clerk_tui.hardware",
            *_modules(clerk_tui.domain), *_modules(clerk_tui.hardware)]
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"textual imported by core layers: {out.stdout}"


def test_screens_do_not_write_sql() -> None:
    """Only domain/ and db.py touch SQL: screens and widgets call domain functions."""
    import pathlib
    import re

    root = pathlib.Path(clerk_tui.domain.__file__).parent.parent
    pattern = re.compile(r"\.(execute|executemany|all|one|scalar|insert)\(|\b(SELECT|INSERT|UPDATE|DELETE)\s")
    offenders = []
    for folder in ("screens", "widgets"):
        for path in (root / folder).rglob("*.py"):
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b", line) or \
                        re.search(r"\bdb\.(execute|executemany|all|one|scalar|insert|conn)\b", line):
                    offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert pattern  # keep the broad pattern documented above
    assert offenders == []
