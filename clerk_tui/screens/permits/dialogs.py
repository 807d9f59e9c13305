"""The permits screen's dialogs: a form that hands its checked result on, and the documents
checklist the clerk ticks.

`StepForm` is the kit's `Form` for a step of a longer flow (application, then checklist, then
payment): when the domain accepts the values it closes at once with the result, instead of
staying to show it, so the next step follows without an extra Esc. Refusals keep the form
open with what was typed, as in every kit form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from clerk_tui.screens.kit import Form, KitModal
from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.literal import LiteralLabel, join


class StepForm(Form):
    """A `Form` that dismisses with the domain's result as soon as it is accepted."""

    def _done(self, result: Any) -> None:
        if result is None:
            self._say("Not done: a supervisor's approval is needed. Nothing changed.")
            return
        self.result = result
        self.dismiss(result)


class _Ticks(OptionList):
    """The checklist: each line says "[x]" or "[ ]" in words, not in colour (TERM=linux shows
    a selection list's boxes alike). Space ticks or unticks the highlighted document; Enter
    accepts the checklist (the screen's)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle", "Tick", show=False),
        Binding("enter", "accept", "Accept", show=False),
    ]

    def __init__(self, documents: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        self.documents = list(documents)
        self.selected: set[str] = set()
        super().__init__(*[Option(self._prompt(code, label), id=code)
                           for code, label in self.documents], **kwargs)

    def _prompt(self, code: str, label: str) -> Text:
        return join(("[x] " if code in self.selected else "[ ] ", "bold"), label)

    def _redraw(self) -> None:
        for n, (code, label) in enumerate(self.documents):
            self.replace_option_prompt_at_index(n, self._prompt(code, label))

    def action_toggle(self) -> None:
        if self.highlighted is None:
            return
        code = self.documents[self.highlighted][0]
        self.selected.symmetric_difference_update({code})
        self._redraw()

    def select_all(self) -> None:
        self.selected = {code for code, _ in self.documents}
        self._redraw()

    def action_accept(self) -> None:
        screen = self.screen
        if isinstance(screen, DocumentsChecklist):
            screen.action_accept()


class DocumentsChecklist(KitModal["tuple[str, ...] | None"]):
    """Tick each document seen (Space; A = all seen), Enter accepts. Dismisses with the codes
    ticked; the domain refuses a checklist that misses one (the clerk reads which)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "all", "All seen", id="permits.docs.all"),
        Binding("enter", "accept", "Accept", id="permits.docs.accept"),
        Binding("escape", "cancel", "Cancel", id="permits.docs.cancel"),
    ]
    AUTO_FOCUS = "#permit-docs"

    def __init__(self, title: str, documents: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.heading = title
        self.documents = list(documents)

    def compose(self) -> ComposeResult:
        with Vertical(classes="kit-dialog", id="permit-docs-box"):
            yield LiteralLabel(self.heading, classes="kit-title")
            yield _Ticks(self.documents, id="permit-docs", classes="kit-choices")
            yield LiteralLabel("", classes="kit-message", id="kit-message")
            yield LiteralLabel("Space = tick    A = all seen    Enter = accept    Esc = cancel",
                               classes="kit-hint")
        yield ClerkFooter()

    def on_mount(self) -> None:
        if not self.documents:
            self._say("No documents are needed for this permit: Enter.")

    def ticked(self) -> tuple[str, ...]:
        ticks = self.query_one("#permit-docs", _Ticks)
        return tuple(code for code, _ in self.documents if code in ticks.selected)

    def action_all(self) -> None:
        self.query_one("#permit-docs", _Ticks).select_all()

    def action_accept(self) -> None:
        missing = [label for code, label in self.documents if code not in self.ticked()]
        if missing:
            self._say(f"Not seen yet: {missing[0]}" + (f" (and {len(missing) - 1} more)"
                                                       if len(missing) > 1 else "") + ".")
            return
        self.dismiss(self.ticked())

    def action_cancel(self) -> None:
        self.dismiss(None)
