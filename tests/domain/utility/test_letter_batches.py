"""The mailing queue: letters logged but not yet printed or saved, listed by run and kind, and
marked delivered as a batch in one transaction (all or nothing, each one audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from clerk_tui.domain.utility import delinquency, letters, plans
from tests.domain.utility.collections_support import bill, open_account

pytestmark = pytest.mark.usefixtures("pinned_day")


def queue(db: Database, csr3: Actor) -> dict[str, int]:
    """A notices run with a shutoff notice (and its Occupant copy) and a reminder, then a plan
    agreement made at the counter. Returns the account ids by name."""
    shut = open_account(db, name="Shut Off", address="3 C St", mailing="PO Box 9\nRiverton")
    remind = open_account(db, name="Re Minder", address="1 A St")
    planned = open_account(db, name="Plan Ner", address="2 B St")
    bill(db, shut.id, 10_000, "2025-12-22", "2026-01-11")  # 50 days past due
    bill(db, remind.id, 10_000, "2026-01-30", "2026-02-20")  # 10 days past due
    delinquency.run_notices(db, csr3)
    bill(db, planned.id, 6_000, "2026-02-01", "2026-02-22")
    plans.create_plan(db, csr3, planned.id, amount_cents=6_000, installments=3)
    return {"shut": shut.id, "remind": remind.id, "planned": planned.id}


def test_undelivered_letters_by_run_and_kind(db: Database, csr3: Actor) -> None:
    ids = queue(db, csr3)
    queued = letters.undelivered_letters(db)
    assert [(q.run_id, q.letter.kind, q.letter.addressee, q.letter.account_id)
            for q in queued] == [
        (1, "reminder", "customer", ids["remind"]),
        (1, "shutoff_notice", "customer", ids["shut"]),
        (1, "shutoff_notice", "occupant", ids["shut"]),
        (None, "plan_agreement", "customer", ids["planned"])]
    assert queued[0].source == "Notices run 1 (2026-03-02)"
    assert queued[-1].source == "Account letters"
    assert [(g.source, g.label, g.count) for g in letters.queue_groups(queued)] == [
        ("Notices run 1 (2026-03-02)", "Reminder", 1),
        ("Notices run 1 (2026-03-02)", "Shutoff notice", 2),
        ("Account letters", "Payment plan agreement", 1)]
    # A letter printed at the counter is no longer in the queue.
    letters.mark_delivered(db, csr3, queued[0].letter.id, "printed")
    assert [q.letter.id for q in letters.undelivered_letters(db)] == [
        q.letter.id for q in queued[1:]]


def test_batch_is_marked_in_one_transaction(db: Database, csr3: Actor,
                                            tmp_path: Path) -> None:
    queue(db, csr3)
    queued = letters.undelivered_letters(db)
    folder = letters.mailing_folder(tmp_path / "letters")
    assert folder == tmp_path / "letters" / "2026-03-02"
    saved = {q.letter.id: f"file:{letters.save_letter(q.letter, folder)}" for q in queued}
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(v[5:]).name for v in saved.values())
    seq = db.scalar("SELECT max(seq) FROM audit_log")

    # One bad entry (a letter that does not exist, a bad delivery) marks nothing.
    with pytest.raises(NotFound):
        letters.mark_batch_delivered(db, csr3, {**saved, 9999: "printed"})
    with pytest.raises(ValidationError):
        letters.mark_batch_delivered(db, csr3, {queued[0].letter.id: "mailed"})
    assert len(letters.undelivered_letters(db)) == len(queued)
    assert db.scalar("SELECT max(seq) FROM audit_log") == seq

    marked = letters.mark_batch_delivered(db, csr3, saved)
    assert [m.id for m in marked] == list(saved)
    assert letters.undelivered_letters(db) == []
    for q in queued:
        assert letters.get_letter(db, q.letter.id).delivered == saved[q.letter.id]
    rows = db.all("SELECT action, entity FROM audit_log WHERE seq > ? ORDER BY seq", [seq])
    assert [r["action"] for r in rows] == ["letter.deliver"] * len(queued)
    assert audit.verify(db).ok
    report = letters.format_mailing(queued, marked, "saved")
    assert f"{len(queued)} letter(s)" in report and "Shut Off" in report
    # Marked again (a second clerk's batch): already delivered, left as they are.
    assert letters.mark_batch_delivered(db, csr3, dict.fromkeys(saved, "printed")) == []
    assert letters.get_letter(db, queued[0].letter.id).delivered == saved[queued[0].letter.id]


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_a_trainee_may_not_mail(db: Database, csr3: Actor,
                                make_clerk: Callable[..., Actor]) -> None:
    queue(db, csr3)
    (first, *_) = letters.undelivered_letters(db)
    with pytest.raises(PermissionDenied):
        letters.mark_batch_delivered(db, make_clerk("trainee"), {first.letter.id: "printed"})
    assert letters.get_letter(db, first.letter.id).delivered == ""


def test_mailing_folder_is_per_day_and_expands_home() -> None:
    assert letters.mailing_folder("~/x", dt.date(2026, 1, 5)) == Path.home() / "x" / "2026-01-05"
