"""What the front desk's screens share: kit forms and lists whose domain work runs through
the session (override retry included), field checks, and taking a fee on Payments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from clerk_tui.domain.money import format_money
from clerk_tui.screens.kit import Action, Field, Form, ListAndAct, Row
from clerk_tui.screens.utility.common import DeskReport, OnSession

if TYPE_CHECKING:
    from textual.screen import Screen

    from clerk_tui.domain.cashier import SalePreview

__all__ = ["DeskReport", "FdForm", "FdList", "date_check", "pay_action", "pick_check",
           "whole_check", "yes_no", "yes_no_check"]


class FdForm(OnSession, Form):
    """A kit form on the session: `submit(values)` runs in a thread, `describe` says it."""

    def __init__(self, title: str, fields: list[Field], submit: Callable[[dict[str, str]], Any],
                 describe: Callable[[Any], str], **kw: Any) -> None:
        self.what = title
        super().__init__(title, fields, submit, describe, **kw)


class FdList(OnSession, ListAndAct):
    """A kit list on the session that reads itself again when the clerk comes back to it
    (from the payment screen, a form), so a paid fee shows as paid. `accepts_scans` names
    the scan kinds the app routes while this dialog is open (none unless a list asks)."""

    def __init__(self, title: str, columns: Sequence[str], load: Callable[[], Sequence[Row]],
                 actions: Sequence[Action], *, accepts_scans: frozenset[str] = frozenset(),
                 **kw: Any) -> None:
        self.what = title
        self.accepts_scans = accepts_scans
        self._loaded_once = False
        super().__init__(title, columns, load, actions, **kw)

    def _fill(self, rows: list[Row]) -> None:
        self._loaded_once = True
        super()._fill(rows)

    def on_screen_resume(self) -> None:
        if self._loaded_once and not self.busy:
            self.action_reload()


def yes_no(value: str) -> bool:
    return value.strip().lower() in ("y", "yes")


def yes_no_check(value: str) -> str | None:
    return None if value.strip().lower() in ("y", "yes", "n", "no") else "Y or N."


def date_check(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        return "a date, YYYY-MM-DD."
    return None


def whole_check(value: str) -> str | None:
    return None if value.strip().isdigit() else "a whole number (digits only)."


def pick_check(choices: Sequence[str]) -> Callable[[str], str | None]:
    """A field that takes the number of one of `choices` (1, 2, …)."""

    def check(value: str) -> str | None:
        v = value.strip()
        if v.isdigit() and 1 <= int(v) <= len(choices):
            return None
        return f"a number from 1 to {len(choices)}."

    return check


def pay_action(letter: str, label: str, session_of: Callable[[], Any], kind: str,
               reference: Callable[[Any], str]) -> Action:
    """A list action that prices one fee item (in the thread) and then opens the ordinary
    payment screen with it: any tender, change, receipt and void as on Payments. The list
    reads itself again when the payment screen closes."""

    def work(key: Any) -> tuple[str, SalePreview]:
        from clerk_tui.domain.cashier import SaleItem, price_items

        ref = reference(key)
        return ref, price_items(session_of().db, [SaleItem(kind, ref)])

    def show(result: tuple[str, SalePreview]) -> Screen[Any]:
        from clerk_tui.domain.cashier import SaleItem
        from clerk_tui.screens.counters import get_counter
        from clerk_tui.screens.payment import PaymentScreen

        ref, preview = result
        return PaymentScreen(get_counter("frontdesk"), items=[SaleItem(kind, ref)],
                             preview=preview)

    return Action(letter, label, work=work, show=show,
                  said=lambda r: f"{r[0]}: take {format_money(r[1].total_cents)} on Payments.")
