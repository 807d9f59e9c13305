"""Customer records: change a customer's name, phone, email, mailing address or language, and
mark mail the post office returned.

Why the customers row is updated in place and its history kept beside it: every screen, letter
and search reads the customer's current details from `customers` (the search index follows it
by trigger, core 0003), while the office must be able to say who changed what, when and why.
So each change writes one `customer_changes` row per field (before, after, reason; append-only)
and one audit row, in the same transaction as the update.

Returned mail: a letter came back (bad address). From then on no letter to that customer is
mailed (`held_reason`, used by the utility letters' mailing queue) until the mailing address is
corrected here; letters written before the correction carry the old address in their text, so
they stay held ("issue it again"): only letters written after the correction go out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.accounts import _clean_email, _clean_phone
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.text import clean_text, refuse_card_number

FIELDS = ("name", "phone", "email", "mailing_address", "language")
LABELS = {"name": "Name", "phone": "Phone", "email": "Email",
          "mailing_address": "Mailing address", "language": "Language"}
LANGUAGES = ("en", "es")
"""As core migration 0007's CHECK (customers.language): English, Spanish."""
PERMISSION = "customer.edit"


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    phone: str
    email: str
    mailing_address: str
    language: str
    returned_mail: MailStatus | None


@dataclass(frozen=True)
class Change:
    id: int
    field: str
    before: str
    after: str
    reason: str
    at: str
    clerk: str
    override_by: str | None

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field)


@dataclass(frozen=True)
class MailStatus:
    """The latest returned-mail mark of a customer still in force."""

    at: str
    clerk: str
    address: str
    reason: str


def _clean(field: str, value: Any) -> str:
    """One field's new value, checked as the account-opening form checks it."""
    text = "" if value is None else str(value)
    if field == "name":
        out = clean_text(text, field="Customer name", max_len=80, required=True)
    elif field == "phone":
        out = _clean_phone(text) or ""
    elif field == "email":
        out = _clean_email(text) or ""
    elif field == "mailing_address":
        out = clean_text(text, field="Mailing address", max_len=200, multiline=True)
    elif field == "language":
        out = text.strip().lower()
        if out not in LANGUAGES:
            raise ValidationError(f"{text[:10]!r} is not a language (en or es).")
    else:
        raise ValidationError(f"{field!r} cannot be changed here.")
    refuse_card_number(out, field=LABELS[field])
    return out


def _row(db: Database, customer_id: int) -> dict[str, Any]:
    row = db.one("SELECT id, name, coalesce(phone, '') AS phone, coalesce(email, '') AS email, "
                 "coalesce(mailing_address, '') AS mailing_address, language "
                 "FROM customers WHERE id = ?", [customer_id])
    if not row:
        raise NotFound(f"No customer with id {customer_id}.")
    return row


def mail_status(db: Database, customer_id: int) -> MailStatus | None:
    """The returned-mail mark in force (the latest event is 'returned'), else None."""
    row = db.one("SELECT * FROM returned_mail WHERE customer_id = ? ORDER BY id DESC LIMIT 1",
                 [customer_id])
    if not row or row["event"] != "returned":
        return None
    return MailStatus(row["at"], row["clerk"], row["address"], row["reason"])


def get_customer(db: Database, customer_id: int) -> Customer:
    r = _row(db, customer_id)
    return Customer(r["id"], r["name"], r["phone"], r["email"], r["mailing_address"],
                    r["language"], mail_status(db, customer_id))


def customer_for_account(db: Database, account_id: int) -> Customer:
    cid = db.scalar("SELECT customer_id FROM accounts WHERE id = ?", [account_id])
    if cid is None:
        raise NotFound(f"No account with id {account_id}.")
    return get_customer(db, int(cid))


def change_customer(db: Database, actor: Actor, customer_id: int, changes: dict[str, Any],
                    reason: str, *, override: Override | None = None) -> list[Change]:
    """Change any of `FIELDS`; fields whose value is the same are left alone. Returns the
    history rows written (one per changed field). Nothing changes when any value is bad, no
    value differs, or the reason is empty.

    A new mailing address ends a returned-mail hold (the 'corrected' event is written too)."""
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    refuse_card_number(reason, field="Reason")
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ValidationError(f"{', '.join(unknown)} cannot be changed here.")
    cleaned = {f: _clean(f, v) for f, v in changes.items()}
    approver = authority().require(actor, PERMISSION, override=override,
                                   what="change a customer's record")
    with db.write():
        before = _row(db, customer_id)
        diff = {f: v for f, v in cleaned.items() if v != before[f]}
        if not diff:
            raise ValidationError("Nothing to change: every value is as it was.")
        at = clock.stamp()
        sets = ", ".join(f"{f} = ?" for f in diff)
        # phone/email/mailing address are NULL when empty, as open_account stores them
        values = [v if (v or f in ("name", "language")) else None for f, v in diff.items()]
        db.execute(f"UPDATE customers SET {sets} WHERE id = ?", [*values, customer_id])
        out: list[Change] = []
        for f, v in diff.items():
            cid = db.insert("customer_changes", {
                "customer_id": customer_id, "field": f, "before": before[f], "after": v,
                "reason": reason, "at": at, "clerk": actor.username, "override_by": approver})
            out.append(Change(cid, f, before[f], v, reason, at, actor.username, approver))
        corrected = "mailing_address" in diff and mail_status(db, customer_id) is not None
        if corrected:
            db.insert("returned_mail", {
                "customer_id": customer_id, "event": "corrected",
                "address": diff["mailing_address"], "reason": reason, "at": at,
                "clerk": actor.username,
                "last_letter_id": db.scalar("SELECT max(id) FROM letters") or 0})
        audit.record(db, actor, "customer.change", f"customer:{customer_id}",
                     before={f: before[f] for f in diff},
                     after={**diff, "reason": reason,
                            **({"returned_mail": "corrected"} if corrected else {})},
                     override_by=approver)
    return out


def mark_returned_mail(db: Database, actor: Actor, customer_id: int, reason: str, *,
                       override: Override | None = None) -> MailStatus:
    """The post office returned a letter: hold every letter to this customer until the
    mailing address is corrected (`change_customer`)."""
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    refuse_card_number(reason, field="Reason")
    approver = authority().require(actor, PERMISSION, override=override,
                                   what="mark returned mail")
    with db.write():
        row = _row(db, customer_id)
        if mail_status(db, customer_id) is not None:
            raise StateError("Mail is already marked returned: correct the mailing address.")
        address = row["mailing_address"] or _service_address(db, customer_id)
        at = clock.stamp()
        db.insert("returned_mail", {"customer_id": customer_id, "event": "returned",
                                    "address": address, "reason": reason, "at": at,
                                    "clerk": actor.username})
        audit.record(db, actor, "customer.returned_mail", f"customer:{customer_id}",
                     before={"returned_mail": False},
                     after={"returned_mail": True, "address": address, "reason": reason},
                     override_by=approver)
    return MailStatus(at, actor.username, address, reason)


def _service_address(db: Database, customer_id: int) -> str:
    """Where the mail went when the customer has no mailing address: the service address."""
    return db.scalar("SELECT service_address FROM accounts WHERE customer_id = ? "
                     "ORDER BY id LIMIT 1", [customer_id]) or ""


def history(db: Database, customer_id: int, limit: int = 200) -> list[Change]:
    """The customer's record changes, newest first."""
    rows = db.all("SELECT * FROM customer_changes WHERE customer_id = ? ORDER BY id DESC "
                  "LIMIT ?", [customer_id, limit])
    return [Change(r["id"], r["field"], r["before"], r["after"], r["reason"], r["at"],
                   r["clerk"], r["override_by"]) for r in rows]


# ---- holds on letters --------------------------------------------------------------------------
HOLD_SQL = (
    "(l.addressee = 'customer' AND EXISTS (SELECT 1 FROM returned_mail m "
    "JOIN accounts ha ON ha.customer_id = m.customer_id WHERE ha.id = l.account_id "
    "AND m.event = 'returned' AND (m.id = (SELECT max(id) FROM returned_mail "
    "WHERE customer_id = m.customer_id) OR l.id <= (SELECT max(last_letter_id) "
    "FROM returned_mail WHERE customer_id = m.customer_id AND event = 'corrected'))))")
"""SQL true for a letter `l` (a `letters` row) that must not be mailed: it goes to the
customer (not the occupant at the service address), and the customer's mail is marked returned
now, or was when the letter was written (written before the latest correction, to the old
address)."""


def held_reason(db: Database, letter_id: int) -> str:
    """Why letter `letter_id` is held ('' when it may be mailed)."""
    row = db.one("SELECT l.id, a.customer_id FROM letters l "
                 f"JOIN accounts a ON a.id = l.account_id WHERE l.id = ? AND {HOLD_SQL}",
                 [letter_id])
    if not row:
        return ""
    status = mail_status(db, row["customer_id"])
    if status is not None:
        return f"returned mail (bad address, marked {status.at[:10]} by {status.clerk})"
    return "written to the old address before it was corrected: issue it again"
