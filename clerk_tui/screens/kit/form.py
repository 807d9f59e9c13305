"""A short form: labelled fields one under another, checked before anything is sent.

Generalised from the utility desk's `FormScreen` (screens/utility/service.py). Enter moves to
the next field and, on the last, sends the form; Ctrl+Y sends it from anywhere; Esc leaves at
once when nothing was typed and asks first when something was (defaults the screen filled in
are not typed work).

Two kinds of "no", both leaving the form open with what was typed and writing nothing:
- a field's own `check` (shape: digits, a date, not blank) is run on the UI thread before
  anything is sent; its message names the field and the cursor goes to it;
- the domain's refusal (`ClerkError` from `submit`) comes back through `run` and is shown as is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input

from clerk_tui.domain.errors import ClerkError
from clerk_tui.screens.kit.base import KitAsks, KitModal, Refused, Run
from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel

Check = Callable[[str], str | None]
"""A field's shape check: the message to show, or None when the value is acceptable."""


def required(what: str) -> Check:
    """A check that refuses a blank field: "<what> is needed."."""
    return lambda value: None if value.strip() else f"{what} is needed."


@dataclass(frozen=True)
class Field:
    """One line of a form. `value` is a default (not typed work); `check` runs before submit."""

    id: str
    label: str
    value: str = ""
    placeholder: str = ""
    max_length: int = 120
    check: Check | None = None


class Form(KitAsks, KitModal[Any]):
    """Fields, then `submit(values)` through `run`; `describe(result)` is what the clerk reads.

    `confirm(values)` may return a question asked before sending (Y sends, N keeps the form).
    `retry(error, values)` may return a question after a refusal whose Y sends again with
    values["_confirmed"] = "1" (a final read the clerk has checked with the customer).
    `load_heading()` is domain work (read through `run`) whose text replaces the heading line
    once read, so an account's name and address need no SQL on the UI thread.
    The form stays on screen after it is done (read the result, Esc closes) and dismisses with
    the result (None when closed without doing anything).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+y", "go", "OK", key_display="^Y", id="kit.form.go"),
        Binding("escape", "back", "Back", id="kit.form.back"),
    ]
    HINT = "Enter = next / OK    Ctrl+Y = OK    Esc = back (nothing changes)"

    def __init__(self, title: str, fields: list[Field], submit: Callable[[dict[str, str]], Any],
                 describe: Callable[[Any], str], *, run: Run | None = None, heading: str = "",
                 confirm: Callable[[dict[str, str]], str | None] | None = None,
                 retry: Callable[[ClerkError, dict[str, str]], str | None] | None = None,
                 load_heading: Callable[[], str] | None = None, yes: str = "OK") -> None:
        super().__init__(run, classes="kit-opaque")
        self.title = title
        self.heading = heading
        self.fields = fields
        self.submit = submit
        self.describe = describe
        self.confirm = confirm
        self.retry = retry
        self.load_heading = load_heading
        self.yes = yes
        self.result: Any = None

    def compose(self) -> ComposeResult:
        yield LiteralLabel(self.title, classes="kit-title", id="kit-title")
        if self.heading or self.load_heading:
            yield LiteralLabel(self.heading, classes="kit-hint", id="kit-heading")
        with Vertical(classes="kit-form-fields"):
            for f in self.fields:
                with Horizontal(classes="kit-form-row"):
                    yield LiteralLabel(f.label, classes="kit-form-label")
                    yield ClerkInput(f.value, placeholder=f.placeholder,
                                     max_length=f.max_length, id=f"f-{f.id}")
        yield LiteralLabel("", classes="kit-form-done", id="kit-done")
        yield LiteralLabel("", classes="kit-message", id="kit-message")
        yield LiteralLabel(self.HINT, classes="kit-hint", id="kit-hint")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.query_one("#kit-done", LiteralLabel).display = False
        if self.fields:
            self.field(self.fields[0].id).focus()
        if self.load_heading is not None:
            self.work(self.load_heading, then=self._heading)

    def _heading(self, text: Any) -> None:
        self.heading = str(text)
        self.query_one("#kit-heading", LiteralLabel).set_value(self.heading)

    def field(self, field_id: str) -> Input:
        return self.query_one(f"#f-{field_id}", Input)

    def values(self) -> dict[str, str]:
        return {f.id: self.field(f.id).value.strip() for f in self.fields}

    def problem(self, values: dict[str, str]) -> tuple[str, str] | None:
        """The first field whose check refuses its value: (field id, message)."""
        for f in self.fields:
            message = f.check(values[f.id]) if f.check else None
            if message:
                return f.id, f"{f.label}: {message}"
        return None

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        ids = [f"f-{f.id}" for f in self.fields]
        if event.input.id in ids and ids.index(event.input.id) < len(ids) - 1:
            self.query_one(f"#{ids[ids.index(event.input.id) + 1]}", Input).focus()
            return
        self.action_go()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":
            return self.result is None
        return True

    def action_go(self) -> None:
        if self.busy or self.result is not None:
            return
        values = self.values()
        bad = self.problem(values)
        if bad is not None:
            self.field(bad[0]).focus()
            self._say(bad[1])
            return
        question = self.confirm(values) if self.confirm else None
        if question is None:
            self._send(values)
            return
        self.ask(question, lambda yes: self._send(values) if yes
                 else self._say("Not done. Nothing changed."), yes=self.yes)

    def _send(self, values: dict[str, str]) -> None:
        self.work(self.submit, values, then=self._done,
                  refused=lambda r: self._refused(r, values))

    def _refused(self, refused: Refused, values: dict[str, str]) -> None:
        """The domain said no: the message is shown (by `work`); the form stays as typed.
        A `retry` question lets the clerk confirm and send again."""
        question = self.retry(refused.error, values) if self.retry else None
        if question:
            self.ask(question, lambda yes: self._send({**values, "_confirmed": "1"})
                     if yes else None)

    def _done(self, result: Any) -> None:
        if result is None:
            self._say("Not done: a supervisor's approval is needed. Nothing changed.")
            return
        self.result = result
        for field in self.query(ClerkInput):
            field.disabled = True
        done = self.query_one("#kit-done", LiteralLabel)
        done.set_value(self.describe(result))
        done.display = True
        self._say("Done. Esc = back.")

    def has_unsaved_work(self) -> bool:
        return self.result is None and super().has_unsaved_work()

    def action_back(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(self.result))
