"""Customer record (account `A` menu, U): change the customer's name, phone, email, mailing
address and language with a reason; mark returned mail; see the change history.

A kit form (`DeskForm`): the current values are read off the UI thread when the form shows and
filled in (not typed work, so Esc with nothing changed leaves at once). Only the fields that
differ from what is on file are sent; the domain (`office.records.change_customer`) checks
each, writes the history and the audit row, and refuses a change without a reason. Ctrl+R
marks the customer's mail returned (letters are held until the address is corrected here);
Ctrl+O shows the history (before and after, who, why).
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from clerk_tui.domain.actor import Override
from clerk_tui.domain.office import records
from clerk_tui.screens.kit import Field
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.screens.utility.common import DeskReport
from clerk_tui.screens.utility.service import DeskForm
from clerk_tui.widgets.inputs import ClerkInput

_EDITABLE = ("name", "phone", "email", "mailing_address", "language")


def _one_line(address: str) -> str:
    """A mailing address block on one line (" / " between its lines) for the field."""
    return " / ".join(part.strip() for part in address.splitlines() if part.strip())


def _block(line: str) -> str:
    """The field's one line back into the block the letters print."""
    return "\n".join(part.strip() for part in line.split(" / ") if part.strip())


def history_text(changes: list[records.Change], name: str) -> str:
    """The history as a plain report (at most 78 columns a line)."""
    out = [f"CUSTOMER RECORD HISTORY: {name}"[:78], ""]
    if not changes:
        return "\n".join(out + ["No changes recorded."])
    for c in changes:
        by = f" (approved by {c.override_by})" if c.override_by else ""
        out.append(f"{c.at[:16].replace('T', ' ')}  {c.clerk}{by}  {c.label}"[:78])
        out.append(f"  before: {_one_line(c.before) or '(blank)'}"[:78])
        out.append(f"  after:  {_one_line(c.after) or '(blank)'}"[:78])
        out.append(f"  reason: {c.reason}"[:78])
    return "\n".join(out)


class CustomerRecordForm(DeskForm):
    """The customer's details, as on file, ready to be corrected."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "returned_mail", "Returned mail", key_display="^R",
                id="office.records.returned"),
        Binding("ctrl+o", "history", "History", key_display="^O", id="office.records.history"),
    ]

    def __init__(self, account_id: int) -> None:
        self.customer: records.Customer | None = None
        super().__init__("Customer record", [
            Field("name", "Name", "", "Customer name", 80),
            Field("phone", "Phone", "", "(555) 010-1234", 24),
            Field("email", "Email", "", "name@example.org", 120),
            Field("mailing_address", "Mailing address", "", "Lines split by ' / '", 200),
            Field("language", "Language", "", "en or es", 2),
            Field("reason", "Reason", "", "Why (required)", 200),
        ], what="change a customer's record", account_id=account_id)

    # ---- reading what is on file (off the UI thread) ----------------------------------------
    def heading_text(self) -> list[str]:
        assert self.account_id is not None
        self.customer = records.customer_for_account(self.session.db, self.account_id)
        return self._heading_lines(self.customer)

    @staticmethod
    def _heading_lines(c: records.Customer) -> list[str]:
        lines = [f"Customer {c.id}: {c.name}"[:78]]
        if c.returned_mail is not None:
            lines.append(f"RETURNED MAIL since {c.returned_mail.at[:10]}: letters held until the "
                         "mailing address is corrected."[:78])
        else:
            lines.append("Change what is wrong, type the reason, Enter on the reason saves.")
        return lines

    def _heading(self, text: Any) -> None:
        super()._heading(text)
        c = self.customer
        if c is None or self.result is not None:
            return
        now = {"name": c.name, "phone": c.phone, "email": c.email,
               "mailing_address": _one_line(c.mailing_address), "language": c.language}
        for field_id, value in now.items():
            box = self.query_one(f"#f-{field_id}", ClerkInput)
            if not box.typed:
                box.value = value

    # ---- saving --------------------------------------------------------------------------
    def _changes(self, v: dict[str, str]) -> dict[str, str]:
        c = self.customer
        if c is None:
            return {}
        now = {"name": c.name, "phone": c.phone, "email": c.email,
               "mailing_address": c.mailing_address, "language": c.language}
        typed = {f: v[f] for f in _EDITABLE}
        typed["mailing_address"] = _block(typed["mailing_address"])
        return {f: value for f, value in typed.items() if value != now[f]}

    def send(self, v: dict[str, str], override: Override | None = None) -> list[records.Change]:
        assert self.account_id is not None
        db, actor = self.session.db, self.session.actor
        if self.customer is None:
            self.customer = records.customer_for_account(db, self.account_id)
        changes = self._changes(v)
        return records.change_customer(db, actor, self.customer.id, changes, v["reason"],
                                       override=override)

    def tell(self, result: list[records.Change]) -> str:
        parts = "; ".join(f"{c.label}: {_one_line(c.before) or '(blank)'} -> "
                          f"{_one_line(c.after) or '(blank)'}" for c in result)
        return f"SAVED {len(result)} change(s). {parts}"

    # ---- returned mail and history --------------------------------------------------------
    def action_returned_mail(self) -> None:
        if self.busy or self.customer is None:
            return
        if self.customer.returned_mail is not None:
            self._say("Mail is already marked returned: correct the mailing address and save.")
            return
        self.app.push_screen(TextPrompt("Returned mail: why? (what came back, from where)",
                                        placeholder="e.g. envelope back, no such address"),
                             self._returned_reason)

    def _returned_reason(self, reason: str | None) -> None:
        if reason is None:
            self._say("Not marked. Nothing changed.")
            return
        assert self.customer is not None
        cid = self.customer.id

        def answered(yes: bool) -> None:
            if not yes:
                self._say("Not marked. Nothing changed.")
                return
            self.work(partial(self._mark, cid, reason), then=self._marked)

        self.ask("Mark this customer's mail RETURNED? No letter is mailed to them until the "
                 "mailing address is corrected.", answered, yes="Mark")

    def _mark(self, cid: int, reason: str, override: Override | None = None) -> records.Customer:
        records.mark_returned_mail(self.session.db, self.session.actor, cid, reason,
                                   override=override)
        return records.get_customer(self.session.db, cid)

    def _marked(self, customer: records.Customer | None) -> None:
        if customer is None:
            self._say("Not marked: a supervisor's approval is needed. Nothing changed.")
            return
        self.customer = customer
        super()._heading(self._heading_lines(customer))
        self._say("Returned mail marked: letters to this customer are held.")

    def action_history(self) -> None:
        if self.customer is None:
            return
        cid, name = self.customer.id, self.customer.name
        self.app.push_screen(DeskReport("Customer record history", load=lambda: history_text(
            records.history(self.session.db, cid), name)))


def open_record(account_id: int) -> CustomerRecordForm:
    """The `A` menu's "Customer record" (utility manifest)."""
    return CustomerRecordForm(account_id)
