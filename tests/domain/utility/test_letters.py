"""Letters: templates filled from a fixed field list, customer text literal, logged on the account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from clerk_tui.domain.utility import letters
from tests.domain.utility.collections_support import bill, open_account

pytestmark = pytest.mark.usefixtures("pinned_day")


def test_render_fills_fields_and_leaves_customer_text_literal() -> None:
    text = letters.render_letter("reminder", {
        "addressee": "$balance [bold]Pat[/bold] \x1b[2J", "address": "PO Box 9\nRiverton CA",
        "balance": "$12.34", "amount_past_due": "$5.00", "account_number": "1000001-8"})
    assert "$balance [bold]Pat[/bold] ␛[2J" in text  # not substituted again, escape made visible
    assert "\x1b" not in text
    assert "PO Box 9\nRiverton CA" in text
    assert "Balance on the account: $12.34" in text
    assert "$5.00 of your balance is past due" in text


def test_unknown_fields_and_templates_are_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="not known: balanse"):
        letters.render_letter("reminder", {"balanse": "1"})
    with pytest.raises(NotFound):
        letters.render_letter("no_such_letter", {})
    with pytest.raises(ValidationError):
        letters.render_letter("../etc/passwd", {})
    # A city's template that names a field we do not have is an error, not a hole.
    data = tmp_path / "data"
    (data / "utility" / "letters").mkdir(parents=True)
    (data / "utility" / "letters" / "custom.txt").write_text("Dear $customer_nmae\n")
    monkeypatch.setenv("CLERK_TUI_DATA", str(data))
    with pytest.raises(ValidationError, match="customer_nmae"):
        letters.render_letter("custom", {})
    assert letters.available_kinds() == ["custom"]


def test_issue_letter_logs_it_with_audit(db: Database,
                                         make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    acct = open_account(db, name="Dana Reyes", mailing="PO Box 77\nRiverton CA 95000")
    bill(db, acct.id, 12_345, "2026-01-01")
    before = audit.verify(db).rows
    letter = letters.issue_letter(db, clerk, acct.id, "reminder",
                                  context={"amount_past_due": "$123.45"})
    assert letter.kind == "reminder" and letter.addressee == "customer"
    assert "Dana Reyes\nPO Box 77\nRiverton CA 95000" in letter.body
    assert "Balance on the account: $123.45" in letter.body
    assert "March 2, 2026" in letter.body
    assert "City of Riverton" in letter.body
    assert letters.letters_for(db, acct.id) == [letter]
    assert audit.verify(db).rows == before + 1
    occupant = letters.issue_letter(db, clerk, acct.id, "reminder", addressee="occupant")
    assert "Occupant\n120 N Main St\nRiverton 95000" in occupant.body
    assert "Dana Reyes" not in occupant.body


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_refusals_change_nothing(db: Database, make_clerk: Callable[..., Actor]) -> None:
    trainee = make_clerk("trainee")
    clerk = make_clerk("csr1")
    acct = open_account(db)
    with pytest.raises(PermissionDenied):
        letters.issue_letter(db, trainee, acct.id, "reminder")
    with pytest.raises(ValidationError):
        letters.issue_letter(db, clerk, acct.id, "reminder", addressee="landlord")
    with pytest.raises(ValidationError):
        letters.issue_letter(db, clerk, acct.id, "reminder", deliver="fax")
    assert letters.letters_for(db, acct.id) == []


def test_save_and_mark_delivered(db: Database, make_clerk: Callable[..., Actor],
                                 tmp_path: Path) -> None:
    clerk = make_clerk("csr1")
    acct = open_account(db)
    letter = letters.issue_letter(db, clerk, acct.id, "past_due",
                                  context={"days_past_due": "45"})
    path = letters.save_letter(letter, tmp_path / "out")
    assert path.read_text(encoding="utf-8") == letter.body
    assert "for 45 days" in letter.body
    saved = letters.mark_delivered(db, clerk, letter.id, f"file:{path}")
    assert saved.delivered == f"file:{path}"
    assert letters.get_letter(db, letter.id).delivered == f"file:{path}"
    assert saved.body == letter.body
    # The text is append-only: the database refuses a changed body.
    with pytest.raises(Exception, match="append-only"), db.write():
        db.execute("UPDATE letters SET body = 'x' WHERE id = ?", [letter.id])


def test_addresses_differ_ignores_case_and_punctuation(db: Database) -> None:
    same = open_account(db, address="120 N. Main St", mailing="120 n main st\nRiverton CA")
    po = open_account(db, name="Lee", address="5 Oak Ave", mailing="PO Box 1\nRiverton CA")
    unset = open_account(db, name="Kim", address="9 Elm St")
    assert not letters.addresses(db, same.id).differ
    assert letters.addresses(db, po.id).differ
    assert not letters.addresses(db, unset.id).differ
    # The account's own mailing address (0005) wins over the customer's.
    with db.write():
        db.execute("UPDATE accounts SET mailing_address = ? WHERE id = ?",
                   ["77 Landlord Way\nSacramento CA", unset.id])
    assert letters.addresses(db, unset.id).differ
    assert letters.addresses(db, unset.id).mailing.startswith("77 Landlord Way")
