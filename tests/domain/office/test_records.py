"""Customer records: changes with reason and history, search follows, returned-mail holds."""

from __future__ import annotations

import pytest

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit
from clerk_tui.domain.errors import OverrideRequired, StateError, ValidationError
from clerk_tui.domain.office import records
from clerk_tui.domain.search import search_accounts
from clerk_tui.domain.utility import letters
from tests.domain.office.conftest import approve


def _customer(db: Database, acct) -> int:
    return int(db.scalar("SELECT customer_id FROM accounts WHERE id = ?", [acct.id]))


def test_change_keeps_before_and_after_and_search_follows(db, account, make_clerk) -> None:
    clerk = make_clerk("csr1")
    acct = account(0)
    cid = _customer(db, acct)
    assert [h.account_id for h in search_accounts(db, "Pat Example").hits] == [acct.id]
    changes = records.change_customer(db, clerk, cid, {
        "name": "Patricia Zamora", "phone": "(555) 010-7788", "email": "pz@mail.org",
        "mailing_address": "PO Box 12\nSpringfield", "language": "es"}, "married; moved")
    assert {c.field: (c.before, c.after) for c in changes} == {
        "name": ("Pat Example", "Patricia Zamora"), "phone": ("", "(555) 010-7788"),
        "email": ("", "pz@mail.org"), "mailing_address": ("", "PO Box 12\nSpringfield"),
        "language": ("en", "es")}
    c = records.get_customer(db, cid)
    assert (c.name, c.language, c.mailing_address) == ("Patricia Zamora", "es",
                                                       "PO Box 12\nSpringfield")
    hist = records.history(db, cid)
    assert len(hist) == 5 and all(h.reason == "married; moved" and h.clerk == clerk.username
                                  for h in hist)
    row = db.one("SELECT * FROM audit_log WHERE action = 'customer.change'")
    assert row and "Pat Example" in row["before_json"] and "Zamora" in row["after_json"]
    assert audit.verify(db).ok
    # the search index follows: the new name and phone find it, the old name does not
    assert [h.account_id for h in search_accounts(db, "Zamora").hits] == [acct.id]
    assert [h.account_id for h in search_accounts(db, "0107788").hits] == [acct.id]
    assert search_accounts(db, "Pat Example").hits == []


def test_bad_changes_change_nothing(db, account, make_clerk) -> None:
    clerk = make_clerk("csr1")
    cid = _customer(db, account(0))
    n = db.scalar("SELECT count(*) FROM audit_log")
    for changes, reason, msg in [
        ({"name": "X"}, "", "Reason is required"),
        ({"name": ""}, "typo", "Customer name is required"),
        ({"email": "not-an-email"}, "typo", "not an email"),
        ({"phone": "12"}, "typo", "not a phone"),
        ({"language": "fr"}, "typo", "not a language"),
        ({"name": "Pat Example"}, "typo", "Nothing to change"),
        ({"service_address": "1 Elm"}, "typo", "cannot be changed"),
        ({"name": "A\x1b[2J"}, "typo", "control character"),
    ]:
        with pytest.raises(ValidationError, match=msg):
            records.change_customer(db, clerk, cid, changes, reason)
    assert db.scalar("SELECT count(*) FROM audit_log") == n
    assert records.history(db, cid) == []
    # markup is text, kept as typed
    records.change_customer(db, clerk, cid, {"name": "[@click=app.quit]x"}, "as on the ID")
    assert records.get_customer(db, cid).name == "[@click=app.quit]x"


def test_role_limits_are_data(db, account, supervisor) -> None:
    """CSR I and up change records; a trainee needs a supervisor (authority.toml)."""
    from clerk_tui.domain.authority import authority

    assert authority().mode("csr1", "customer.edit") == "allow"
    assert authority().mode("trainee", "customer.edit") == "override"
    cid = _customer(db, account(0))
    ok = records.change_customer(db, supervisor, cid, {"phone": "555 123 4567"}, "new phone")
    assert ok[0].override_by is None


def test_history_is_append_only(db, account, make_clerk) -> None:
    clerk = make_clerk("csr1")
    cid = _customer(db, account(0))
    records.change_customer(db, clerk, cid, {"name": "New Name"}, "legal name change")
    with pytest.raises(IntegrityError), db.write():
        db.execute("UPDATE customer_changes SET after = 'x'")
    with pytest.raises(IntegrityError), db.write():
        db.execute("DELETE FROM customer_changes")
    with pytest.raises(IntegrityError), db.write():
        db.execute("INSERT OR REPLACE INTO customer_changes (id, customer_id, field, "
                   "reason, at, clerk) SELECT id, customer_id, field, 'r', at, clerk "
                   "FROM customer_changes")


def test_returned_mail_holds_letters_until_corrected(db, account, make_clerk) -> None:
    clerk = make_clerk("csr2")
    acct = account(5000)
    cid = _customer(db, acct)
    records.change_customer(db, clerk, cid, {"mailing_address": "9 Old Rd"}, "moved")
    before = letters.issue_letter(db, clerk, acct.id, "reminder")
    status = records.mark_returned_mail(db, clerk, cid, "envelope back: no such address")
    assert status.address == "9 Old Rd"
    with pytest.raises(StateError, match="already marked"):
        records.mark_returned_mail(db, clerk, cid, "again")
    occupant = letters.issue_letter(db, clerk, acct.id, "reminder", addressee="occupant")
    during = letters.issue_letter(db, clerk, acct.id, "reminder")
    queued = {q.letter.id for q in letters.undelivered_letters(db)}
    assert queued == {occupant.id}  # the occupant copy goes to the service address
    held = {h.letter.id: h.reason for h in letters.held_letters(db)}
    assert set(held) == {before.id, during.id}
    assert all(r.startswith("returned mail") for r in held.values())
    with pytest.raises(StateError, match="held: returned mail"):
        letters.mark_batch_delivered(db, clerk, {before.id: "printed"})
    with pytest.raises(StateError, match="held"):
        letters.mark_delivered(db, clerk, during.id, "printed")
    assert db.scalar("SELECT delivered FROM letters WHERE id = ?", [before.id]) == ""
    # corrected: letters written to the old address stay held, new ones go out
    records.change_customer(db, clerk, cid, {"mailing_address": "12 New St"}, "customer called")
    assert records.get_customer(db, cid).returned_mail is None
    after = letters.issue_letter(db, clerk, acct.id, "reminder")
    assert "12 New St" in after.body
    queued = {q.letter.id for q in letters.undelivered_letters(db)}
    assert queued == {occupant.id, after.id}
    held = {h.letter.id: h.reason for h in letters.held_letters(db)}
    assert set(held) == {before.id, during.id}
    assert all("old address" in r for r in held.values())
    letters.mark_batch_delivered(db, clerk, {after.id: "printed"})
    events = db.all("SELECT event FROM returned_mail WHERE customer_id = ? ORDER BY id", [cid])
    assert [e["event"] for e in events] == ["returned", "corrected"]
    assert audit.verify(db).ok


def test_returned_mail_needs_a_reason(db, account, make_clerk) -> None:
    clerk = make_clerk("csr1")
    cid = _customer(db, account(0))
    with pytest.raises(ValidationError, match="Reason"):
        records.mark_returned_mail(db, clerk, cid, "  ")
    assert records.get_customer(db, cid).returned_mail is None



@pytest.mark.parametrize("db_kind", ["training"])  # trainees exist only in training databases
def test_a_trainee_needs_a_supervisor(db, account, make_clerk, supervisor) -> None:
    trainee = make_clerk("trainee")
    cid = _customer(db, account(0))
    with pytest.raises(OverrideRequired):
        records.change_customer(db, trainee, cid, {"name": "Pat Newname"}, "typo")
    assert records.history(db, cid) == []
    ov = approve(db, trainee, supervisor, "customer.edit")
    [c] = records.change_customer(db, trainee, cid, {"name": "Pat Newname"}, "typo",
                                  override=ov)
    assert c.override_by == "sup" and c.clerk == "trainee"
    row = db.one("SELECT * FROM audit_log WHERE action = 'customer.change'")
    assert row["override_by"] == "sup"
