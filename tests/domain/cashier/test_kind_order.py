"""The order item kinds are offered a typed code in is the manifests' order, whatever was
built first (a misc. sale built early once made `COPY` a misc. item on Payments)."""

from __future__ import annotations

import subprocess
import sys


def test_kinds_follow_the_manifests_whatever_was_built_first() -> None:
    code = (
        "from clerk_tui.domain.cashier.items import get_kind, kinds\n"
        "from clerk_tui.counters import registry\n"
        "get_kind('misc')\n"  # built before the others
        "print(','.join(k.code for k in kinds()))\n"
        "print(','.join(registry().item_kinds))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == out[1]
    assert out[0].index("fee") < out[0].index("misc")
