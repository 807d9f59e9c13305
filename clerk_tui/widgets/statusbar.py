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
        left = Text()
        if getattr(app, "sandbox", False):
            left.append(" TRAINING ", style="bold reverse")
            left.append(" ")
        title = self.note or self.screen.title or ""
        if title:
            left.append_text(literal(title, "bold"))
            left.append(" │ ")
        right = Text()
        right.append(" │ ")
        right.append_text(literal(getattr(app, "workstation", "")))
        if actor is not None:
            right.append(" │ Drawer: ")
            right.append_text(literal(getattr(app, "drawer_state", "—")))
            till = getattr(app, "till_state", None)
            if till is not None:  # the cash drawer itself, once a device has said anything
                right.append(" │ Till: ")
                right.append_text(literal(till, "bold" if till == "open" else ""))
        right.append(" ")
        if actor is not None:
            # The clerk's name is never cut ("Jorda…"): the full name with the role, else the
            # full name, else the username (short, and what they signed in with) with the role,
            # else the username; only a bar too narrow even for that truncates.
            room = width - left.cell_len - right.cell_len
            role = literal(f" ({app.role_label(actor.role)})", "dim")
            names = [literal(n) for n in dict.fromkeys(
                n for n in (actor.full_name, actor.username) if n)]
            choices = [(n, r) for n in names for r in (role, Text())]
            who, tail = next(((n, r) for n, r in choices if n.cell_len + r.cell_len <= room),
                             choices[-1])
            who = who.copy()
            who.truncate(max(room - tail.cell_len, 1), overflow="ellipsis")
            left.append_text(who)
            left.append_text(tail)
        else:
            left.append("not signed in", style="dim")
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
