"""Transfer a misapplied payment (account `A` menu, G): move a receipt's item(s) to the
account, citation or license they were meant for, or apply what a reversal left in suspense.

A kit form (`DeskForm`). The receipt is the account's last one unless the clerk types another;
Enter on the receipt number shows its items and where each is now (or the money in suspense)
in the heading before anything can move. Item: blank = every item not moved yet, a line
number = that item, S = the suspense money of a reversed receipt. "To" is the kind (account,
citation, license) and the number. The reason is required; Enter on it asks "are you sure?",
then, for a CSR II/III, a supervisor's override (the session's run). The domain
(`office.transfers`) posts one balanced journal per item on the original receipt. Once done,
the transfer notice prints on the workstation's printer (after the commit: a printer fault
never undoes the transfer); Ctrl+N shows it again (P prints it again).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Input

from clerk_tui.domain.actor import Override
from clerk_tui.domain.cashier import last_receipt_for_account
from clerk_tui.domain.money import format_money
from clerk_tui.domain.office import transfers
from clerk_tui.screens.kit import Field
from clerk_tui.screens.kit.report import print_message
from clerk_tui.screens.utility.common import DeskReport
from clerk_tui.screens.utility.service import DeskForm


def _receipt_number(text: str) -> int | None:
    t = text.replace(" ", "")
    return int(t) if t.isdigit() and len(t) <= 12 else None


def _check_receipt(value: str) -> str | None:
    return None if _receipt_number(value) is not None else "digits only."


def _check_item(value: str) -> str | None:
    v = value.strip().lower()
    if v in ("", "s") or (v.isdigit() and len(v) <= 3):
        return None
    return "blank = every item, a line number, or S = from suspense."


def state_lines(s: transfers.ReceiptState) -> list[str]:
    """The receipt as the heading shows it: what it paid and where each item is now."""
    head = f"Receipt {s.number}  {s.business_date}  {format_money(s.total_cents)}"
    if s.undone:
        head += f"  {s.undone.upper()}"
    out = [head[:78]]
    for i in s.items[:4]:
        where = f"-> {i.transferred_to}" if i.transferred_to else ""
        out.append(f" {i.line}. {i.kind} {i.reference}"[:44].ljust(45)
                   + f"{format_money(i.amount_cents).rjust(11)} {where}"[:33])
    if len(s.items) > 4:
        out.append(f" ... {len(s.items) - 4} more item(s)")
    if s.suspense_cents:
        out.append((f" In suspense {format_money(s.suspense_cents)}"
                    + (f" (applied: {s.suspense_applied})" if s.suspense_applied
                       else ": Item = S applies it"))[:78])
    return out


class TransferForm(DeskForm):
    """Which receipt, which item, where it belongs, and why."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "notice", "Notice", key_display="^N", id="office.transfer.notice"),
    ]

    def __init__(self, account_id: int | None = None, number: int | None = None) -> None:
        self.state: transfers.ReceiptState | None = None
        self.start_number = number
        self.notice = ""
        super().__init__("Transfer a misapplied payment", [
            Field("receipt", "Receipt no.", "" if number is None else str(number),
                  "Receipt number", 12, check=_check_receipt),
            Field("item", "Item", "", "blank = all, 1, 2.. or S", 3, check=_check_item),
            Field("to_kind", "To (kind)", "account", "account, citation or license", 10),
            Field("to", "To (number)", "", "Where it belongs", 40),
            Field("reason", "Reason", "", "Why (required)", 200),
        ], what="transfer a misapplied payment", account_id=account_id,
            heading="Type the receipt number; Enter shows it.", confirm=self._question,
            yes="Transfer")

    def on_mount(self) -> None:
        super().on_mount()
        if self.account_id is None and self.start_number is not None:
            self._look_up(self.start_number)

    # ---- the receipt (read off the UI thread) ----------------------------------------------
    def heading_text(self) -> list[str]:
        """The account's last receipt (unless one was given), read when the form shows."""
        assert self.account_id is not None
        number = self.start_number
        if number is None:
            last = last_receipt_for_account(self.session.db, self.account_id)
            number = last.number if last is not None else None
        if number is None:
            return ["No receipt on file for this account: type the receipt number."]
        self.state = transfers.receipt_state(self.session.db, number)
        return state_lines(self.state)

    def _heading(self, text: Any) -> None:
        super()._heading(text)
        box = self.field("receipt")
        if self.state is not None and not box.value:
            box.value = str(self.state.number)
            self.field("item").focus()

    @on(Input.Submitted, "#f-receipt")
    def _receipt_entered(self, event: Input.Submitted) -> None:
        """Enter on the receipt number shows that receipt before the clerk goes on."""
        number = _receipt_number(event.value)
        if number is not None and (self.state is None or self.state.number != number):
            event.stop()
            self._look_up(number)

    def _look_up(self, number: int) -> None:
        def read() -> transfers.ReceiptState:
            return transfers.receipt_state(self.session.db, number)

        def shown(state: transfers.ReceiptState) -> None:
            self.state = state
            super(TransferForm, self)._heading(state_lines(state))
            self.field("item").focus()

        self.work(read, then=shown)

    # ---- sending --------------------------------------------------------------------------
    def _question(self, v: dict[str, str]) -> str | None:
        s = self.state
        number = _receipt_number(v["receipt"])
        if s is None or s.number != number:
            return None  # the domain reads the receipt itself and has the last word
        item = v["item"].strip().lower()
        if item == "s":
            what = f"the {format_money(s.suspense_cents)} in suspense"
        elif item:
            line = next((i for i in s.items if str(i.line) == item), None)
            what = (f"item {item} ({format_money(line.amount_cents)})" if line
                    else f"item {item}")
        else:
            left = [i for i in s.items if not i.transferred_to]
            what = f"{len(left)} item(s) ({format_money(sum(i.amount_cents for i in left))})"
        return (f"Move {what} of receipt {s.number} to {v['to_kind']} {v['to']}? The receipt "
                "keeps its number; a transfer notice is printed.")

    def send(self, v: dict[str, str], override: Override | None = None
             ) -> list[transfers.Transfer]:
        db, actor = self.session.db, self.session.actor
        number = _receipt_number(v["receipt"])
        assert number is not None  # the field's check
        item = v["item"].strip().lower()
        if item == "s":
            return [transfers.apply_suspense(db, actor, number, v["to_kind"], v["to"],
                                             v["reason"], override=override)]
        lines = [int(item)] if item else None
        return transfers.transfer_items(db, actor, number, lines, v["to_kind"], v["to"],
                                        v["reason"], override=override)

    def tell(self, result: list[transfers.Transfer]) -> str:
        self.notice = transfers.transfer_notice(result)
        t = result[0]
        total = sum(x.amount_cents for x in result)
        by = f", approved by {t.override_by}" if t.override_by else ""
        return (f"TRANSFERRED {format_money(total)} of receipt {t.receipt_number} to "
                f"{t.to_kind} {t.to_reference}{by}.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "notice":
            return bool(self.notice)
        return super().check_action(action, parameters)

    def _done(self, result: Any) -> None:
        super()._done(result)
        if result is not None:
            self.refresh_bindings()
            self.work(self._after, result[0].receipt_number, then=self._shown_after)

    def _after(self, number: int) -> tuple[transfers.ReceiptState, str]:
        """Off the UI thread: the receipt read again (where its items are now) and the
        transfer notice printed; a printer fault is said, the transfer stands."""
        state = transfers.receipt_state(self.session.db, number)
        try:
            printed = print_message("Transfer notice",
                                    self.session.print_text("Transfer notice", self.notice))
        except Exception as e:  # devices promise not to raise; a fault must not crash
            printed = f"Transfer notice not printed: {e}"
        return state, printed

    def _shown_after(self, done: tuple[transfers.ReceiptState, str]) -> None:
        state, printed = done
        self.state = state
        super()._heading(state_lines(state))
        self._say(f"{printed} Ctrl+N shows it again. Esc = back.")

    def action_notice(self) -> None:
        if self.notice:
            self.app.push_screen(DeskReport("Transfer notice", self.notice))


def open_transfer(account_id: int) -> TransferForm:
    """The `A` menu's "Transfer a misapplied payment" (cashier manifest)."""
    return TransferForm(account_id)
