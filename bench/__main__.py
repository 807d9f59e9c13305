"""Run every benchmark in turn: `python -m bench` (or `make bench`).

`python -m bench lookup reports` runs only those; each script also runs alone with its own
options (`python -m bench.lookup --help`). Figures from this machine: bench/RESULTS.md.
"""

from __future__ import annotations

import importlib
import sys

SCRIPTS = ["bench.startup", "bench.lookup", "bench.posting", "bench.reports", "bench.keystrokes",
           "bench.contention", "bench.lookup_citations",
           "bench.lookup_permits", "bench.lookup_licenses",
           "bench.lookup_passports", "bench.lookup_frontdesk",
           "bench.keypaint", "bench.memory"]


def main() -> int:
    only = sys.argv[1:]
    unknown = [o for o in only if f"bench.{o}" not in SCRIPTS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from "
              f"{', '.join(s.split('.')[-1] for s in SCRIPTS)}", file=sys.stderr)
        return 2
    status = 0
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
        status = max(status, module.main([]) or 0)  # posting's main() returns None
    return status


if __name__ == "__main__":
    raise SystemExit(main())
