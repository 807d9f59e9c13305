"""The honest screen for a counter that is not built yet: says so, changes nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.widgets.literal import LiteralLabel, join


class UnavailableScreen(CounterScreen):
    """Shown for every counter until its screen is registered."""

    AUTO_FOCUS = "#unavailable-body"

    def __init__(self, counter: Counter, *, problem: str | None = None) -> None:
        super().__init__(counter, classes="counter-unavailable")
        self.problem = problem

    def compose_body(self) -> ComposeResult:
        c = self.counter
        with VerticalScroll(id="unavailable-body"):
            yield LiteralLabel(f"{c.name} is not available yet", style="bold",
                               id="unavailable-title")
            yield LiteralLabel(c.summary, id="unavailable-summary")
            yield LiteralLabel(
                "This counter has not been built into this version of clerk-tui. "
                "Nothing was changed. Use paper forms or another station, and press Esc to "
                "go back.", id="unavailable-text")
            if self.problem:
                line = join(("It failed to load: ", "bold"), self.problem,
                            " — please tell IT.")
                label = LiteralLabel(id="unavailable-problem")
                label.set_text(line)
                yield label
