"""Run every benchmark in turn: `python -m bench` (or `make bench`)."""

from __future__ import annotations

import importlib
import sys

SCRIPTS = ["bench.startup", "bench.lookup", "bench.posting", "bench.reports"]


def main() -> int:
    only = sys.argv[1:]
    for name in SCRIPTS:
        if only and name.split(".")[-1] not in only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                print(f"\n== {name}: not written yet ==")
                continue
            raise
        module.main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
