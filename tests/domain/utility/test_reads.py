"""Meter-read review: low reads, rollover, high use against history, rereads."""

from __future__ import annotations

import pytest

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.utility import orders, reads
from tests.domain.utility.service_support import in_service, today  # noqa: F401

pytestmark = pytest.mark.usefixtures("today")

HISTORY = (("2026-01-01", 1010), ("2026-02-01", 1020), ("2026-03-01", 1030),
           ("2026-04-01", 1040), ("2026-05-01", 1050))


def test_a_lower_read_is_flagged_and_gets_a_reread_order(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2, readings=HISTORY)
    r = reads.record_read(db, make_clerk("csr1"), acct, 1049, read_on="2026-06-01")
    assert r.flagged and "lower than the last read (1050 on 2026-05-01)" in r.flag_reason
    order = orders.get_order(db, r.reread_order_id)
    assert (order.kind, order.status, order.priority) == ("reread", "open", "urgent")
    # the reread clears it: not flagged, and billing uses it
    orders.dispatch_order(db, csr2, order.id, "Tech")
    orders.complete_order(db, csr2, order.id, reading=1061, read_on="2026-06-02")
    assert reads.list_reads(db, acct, 1)[0].kind == "reread"
    assert not reads.list_reads(db, acct, 1)[0].flagged
    assert reads.billing_reads(db, acct, "2026-06-10").consumption == 1061 - 1000


def test_rollover_is_plausible_only_when_small(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2, first_reading=99990,
                      readings=(("2026-01-01", 99995), ("2026-02-01", 99999)))
    wrapped = reads.record_read(db, csr2, acct, 4, read_on="2026-03-01")  # 5 HCF through 0
    assert not wrapped.flagged
    assert reads.billing_reads(db, acct, "2026-03-01").consumption == 14
    # 4 -> 3 would "wrap" 99,999 HCF: that is a misread, not a rollover
    too_far = reads.record_read(db, csr2, acct, 3, read_on="2026-04-01")
    assert too_far.flagged and "lower than the last" in too_far.flag_reason


def test_use_far_above_history_is_flagged_at_the_factor(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2, readings=HISTORY)  # uses 10,10,10,10,10 (+ initial 1000)
    at_limit = reads.record_read(db, csr2, acct, 1050 + 30, read_on="2026-06-01")  # 3.0x
    assert not at_limit.flagged
    acct2 = in_service(db, csr2, readings=HISTORY, address="2 Elm", name="B")
    over = reads.record_read(db, csr2, acct2, 1050 + 31, read_on="2026-06-01")
    assert over.flagged and "over 3x the average" in over.flag_reason
    skip = reads.billing_reads(db, acct2, "2026-06-10")
    assert skip.skipped and "flagged" in skip.skipped


def test_small_use_and_short_history_are_not_flagged(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2, readings=(("2026-01-01", 1001), ("2026-02-01", 1002),
                                          ("2026-03-01", 1003)))
    assert not reads.record_read(db, csr2, acct, 1013, read_on="2026-04-01").flagged  # <= 10
    acct2 = in_service(db, csr2, readings=(("2026-01-01", 1001),), address="3 Elm", name="C")
    assert not reads.record_read(db, csr2, acct2, 1500, read_on="2026-02-01").flagged


def test_confirmed_read_is_not_reviewed_and_bad_input_is_refused(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2, readings=HISTORY)
    assert not reads.record_read(db, csr2, acct, 900, read_on="2026-06-01",
                                 confirmed=True).flagged
    before = len(reads.list_reads(db, acct, 50))
    for bad, msg in [(-1, "0 to 99999"), (100000, "0 to 99999"), ("12", "whole number")]:
        with pytest.raises(ValidationError, match=msg):
            reads.record_read(db, csr2, acct, bad, read_on="2026-06-02")
    with pytest.raises(ValidationError, match="cannot be dated before"):
        reads.record_read(db, csr2, acct, 1100, read_on="2026-05-15")
    with pytest.raises(ValidationError, match="future"):
        reads.record_read(db, csr2, acct, 1100, read_on="2026-07-01")
    assert len(reads.list_reads(db, acct, 50)) == before


def test_billing_skips_until_a_reread_comes_in(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2, readings=HISTORY)
    flagged = reads.record_read(db, csr2, acct, 1000, read_on="2026-06-01")
    assert reads.billing_reads(db, acct, "2026-06-10").skipped.startswith("read of 2026-06-01")
    reads.record_read(db, csr2, acct, 1062, read_on="2026-06-03", kind="reread")
    br = reads.billing_reads(db, acct, "2026-06-10")
    assert br.skipped is None and br.consumption == 62 and flagged.id != br.to_read.id


def test_account_screen_warns_of_a_flagged_read_and_the_reread(db, make_clerk):
    from clerk_tui.domain import accounts

    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2, readings=HISTORY)
    assert not {a.code for a in accounts.load_account(db, acct).alerts} & {"read_flagged"}
    r = reads.record_read(db, csr2, acct, 10, read_on="2026-06-01")
    alerts = {a.code: a.message for a in accounts.load_account(db, acct).alerts}
    assert f"order #{r.reread_order_id}" in alerts["read_flagged"]
    assert f"reread #{r.reread_order_id} (open)" in alerts["service_orders"]
