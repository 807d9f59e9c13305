"""The account view shows every counter's alerts in a process that never opened the A menu
(before issue 11 it had only the core rule until some screen imported the utility modules)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clerk_tui.domain.utility import orders
from tests.domain.utility.service_support import in_service, today  # noqa: F401

pytestmark = pytest.mark.usefixtures("today")

_CHILD = r"""
import json, sys
from clerk_tui.db import open_database
from clerk_tui.domain.accounts import load_account
db = open_database(sys.argv[1])
view = load_account(db, int(sys.argv[2]))
print(json.dumps({"alerts": [a.code for a in view.alerts]}))
"""


def test_fresh_process_account_view_has_the_utility_alerts(db, make_clerk) -> None:
    csr = make_clerk("csr2")
    acct = in_service(db, csr)
    orders.create_order(db, csr, acct, "leak_check", priority="routine",
                        requested_on="2026-06-20", reason="")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[3]))
    out = subprocess.run([sys.executable, "-c", _CHILD, str(db.path), str(acct)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "service_orders" in result["alerts"]
