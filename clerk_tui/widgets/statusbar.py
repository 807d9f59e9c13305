"""The one-line bar at the top of every screen: who, where, drawer, and TRAINING.

It is redrawn only when something it shows changes (sign-in, drawer, screen change): no clock,
so an idle terminal sends nothing over SSH.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from clerk_tui.widgets.literal import literal

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp


class StatusBar(Widget):
    """Training badge, screen title, clerk name and role, workstation, drawer session state
    and, once the drawer hardware has reported, the till itself (open / shut / ? unknown)."""

    def __init__(self, *, note: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.note = note

    def render(self) -> Text:
        app: ClerkApp = self.app  # type: ignore[assignment]
        width = max(self.size.width, 20)
        actor = getattr(app, "actor", None)
        if actor is None:
            left, right = self._sides(app, actor, short=False, titled=True)
            left.append("not signed in", style="dim")
            return self._line(left, right, width)
        # The clerk's name is never cut ("Jorda…"). Tried in order until one fits: the full
        # name with the role, the full name, the username with the role, the username; then
        # the same with short labels ("Drawer:" -> "Drw"), then without the screen's title
        # (the screen itself says where the clerk is). Only a bar too narrow for all of that
        # truncates.
        role = literal(f" ({app.role_label(actor.role)})", "dim")
        names = [literal(n) for n in dict.fromkeys(
            n for n in (actor.full_name, actor.username) if n)]
        choices = [(n, r) for n in names for r in (role, Text())]
        for short, titled in ((False, True), (True, True), (True, False)):
            left, right = self._sides(app, actor, short=short, titled=titled)
            room = width - left.cell_len - right.cell_len
            fit = next(((n, r) for n, r in choices if n.cell_len + r.cell_len <= room), None)
            if fit is not None:
                break
        who, tail = fit or choices[-1]
        who = who.copy()
        who.truncate(max(room - tail.cell_len, 1), overflow="ellipsis")
        left.append_text(who)
        left.append_text(tail)
        return self._line(left, right, width)

    def _sides(self, app: ClerkApp, actor: object, *, short: bool,
               titled: bool) -> tuple[Text, Text]:
        """The bar's left part (badge, title) and right part (workstation, drawer, till)."""
        left = Text()
        if getattr(app, "sandbox", False):
            left.append(" TRAINING ", style="bold reverse")
            left.append(" ")
        title = self.note or self.screen.title or ""
        if title and titled:
            left.append_text(literal(title, "bold"))
            left.append(" │ ")
        right = Text()
        session = getattr(app, "session", None)
        if session is not None and session.busy:
            right.append(" │ ")
            right.append("Working…" if not short else "…", style="bold")
        right.append(" │ ")
        right.append_text(literal(getattr(app, "workstation", "")))
        if actor is not None:
            right.append(" │ Drw " if short else " │ Drawer: ")
            right.append_text(literal(getattr(app, "drawer_state", "—")))
            till = getattr(app, "till_state", None)
            if till is not None:  # the cash drawer itself, once a device has said anything
                right.append(" │ Till " if short else " │ Till: ")
                right.append_text(literal(till, "bold" if till == "open" else ""))
        right.append(" ")
        return left, right

    @staticmethod
    def _line(left: Text, right: Text, width: int) -> Text:
        pad = width - left.cell_len - right.cell_len
        line = Text()
        line.append_text(left)
        if pad > 0:
            line.append(" " * pad)
        line.append_text(right)
        line.truncate(width, overflow="ellipsis")
        return line

    @property
    def plain(self) -> str:
        """The bar as plain text (what the clerk reads), for tests."""
        return self.render().plain
