"""A records request through to release: ready with pages, the copy fee as an item kind,
release refused until paid, withheld records cite an exemption, letters, a victim's free copy."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.frontdesk import records
from clerk_tui.domain.frontdesk.items import COPY
from clerk_tui.domain.frontdesk.rules import words

EXEMPT = words("cpra", "exemptions")


def _pay(db: Database, actor: Actor, number: str, cents: int) -> int:
    return post_payment(db, actor, new_idempotency_key(), [SaleItem(COPY, number)],
                        [Tender("cash", cents)], payer="Requester").receipt.number


def test_release_with_fee(db: Database, cleared: Actor,
                          clerk_with_drawer: Callable[..., Actor]) -> None:
    r = records.intake(db, cleared, "Lee Brandt", "lee@example.com", "Dispatch logs",
                       "2026-03-02", "web")
    with pytest.raises(ValidationError, match="exemption"):
        records.prepare(db, cleared, r.id, 12, "Logs, redacted", "Phone numbers", "")
    r = records.prepare(db, cleared, r.id, 12, "Logs, redacted", "Phone numbers", EXEMPT[1])
    assert (r.status, records.copy_fee(r)) == ("ready", 120)
    with pytest.raises(StateError, match=r"copy fee \(\$1.20\) first"):
        records.release(db, cleared, r.id)
    till = clerk_with_drawer("csr2", "till")
    _pay(db, till, r.number, 200)
    r = records.release(db, cleared, r.id)
    assert r.status == "released_part" and r.fee_receipt_id is not None
    text = records.write_letter(db, cleared, r.id, "release")
    assert "Withheld: Phone numbers" in text and EXEMPT[1] in text
    assert "Records Supervisor" in text  # the person responsible for withholding
    with pytest.raises(StateError, match="not been denied"):
        records.write_letter(db, cleared, r.id, "denial")
    assert records.set_status(db, cleared, r.id, "closed").status == "closed"
    assert db.scalar("SELECT count(*) FROM fd_letters") == 1


def test_victims_copies_are_free(db: Database, cleared: Actor,
                                 clerk_with_drawer: Callable[..., Actor]) -> None:
    r = records.intake(db, cleared, "R. Sato", "", "Incident report", "2026-03-02", "counter",
                       victim=True)
    r = records.prepare(db, cleared, r.id, 3, "Face sheet and report")
    assert records.copy_fee(r) == 0
    with pytest.raises(StateError, match="Family Code 6228"):
        _pay(db, clerk_with_drawer("csr2", "till"), r.number, 100)
    assert records.release(db, cleared, r.id).status == "released"
    assert "free of charge" in records.letter_text(r, "acknowledgement", r.received_on)


def test_denial_names_the_responsible_person(db: Database, cleared: Actor) -> None:
    r = records.intake(db, cleared, "J. Pike", "", "Investigation file", "2026-03-02", "email")
    with pytest.raises(ValidationError, match="exemption"):
        records.deny(db, cleared, r.id, "Because")
    r = records.deny(db, cleared, r.id, EXEMPT[0])
    text = records.write_letter(db, cleared, r.id, "denial")
    assert "Person responsible for the denial: Records Supervisor" in text
    assert records.open_requests(db, cleared) == []


def test_bad_intake_changes_nothing(db: Database, cleared: Actor) -> None:
    for args, match in [(("", "", "Logs", "2026-03-02", "mail"), "Requester is required"),
                        (("A", "", "Logs", "2026-13-01", "mail"), "not a date"),
                        (("A", "", "Logs", "2026-03-03", "mail"), "future"),
                        (("A", "", "Logs", "2026-03-02", "fax"), "Channel")]:
        with pytest.raises(ValidationError, match=match):
            records.intake(db, cleared, *args)
    assert db.scalar("SELECT count(*) FROM fd_requests") == 0
