"""Every kit piece in the 16-colour theme (clerk-ansi) and the ASCII look at 80x24: only ASCII
is drawn, every colour is one of the terminal's 16 (no RGB), none vanishes on a black or a
white terminal, and the words the clerk needs (title, keys) are on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rich.color import ColorType
from rich.segment import Segment
from textual.screen import Screen

from clerk_tui.screens.kit import (
    Choice,
    ConfirmDialog,
    Field,
    Form,
    LetterMenu,
    ListAndAct,
    Picker,
    ReportScreen,
    Row,
    SayDialog,
)
from clerk_tui.screens.kit.listact import Action
from tests.ui.kit.host import HostApp
from tests.ui.kit.support import SIZE, keys, screen_text

PIECES: dict[str, tuple[Callable[[HostApp], Screen[Any]], str]] = {
    "form": (lambda app: Form("New account", [Field("name", "Name"), Field("zip", "ZIP")],
                              lambda v: v, str), "Ctrl+Y = OK"),
    "menu": (lambda app: LetterMenu("Account actions", [Choice("o", "New service order")]),
             "O  New service order"),
    "picker": (lambda app: Picker("Reason", [("DUP", "Duplicate — keyed twice")]),
               "Duplicate - keyed twice"),
    "list": (lambda app: ListAndAct("Open orders", ["Order", "Work"],
                                    lambda: [Row(1, (1, "Water main break"))],
                                    [Action("c", "Cancel", work=lambda k: "")]),
             "C = Cancel"),
    "report": (lambda app: ReportScreen("Z report", "Cash  $209.03\n", print_text=print),
               "P = print"),
    "confirm": (lambda app: ConfirmDialog("Post the deposit?"), "N or Esc = No"),
    "say": (lambda app: SayDialog("Take the receipt…", title="Done"), "Enter or Esc = OK"),
}

_VANISHING = {0, 7, 8, 3, 11, 15}  # black, white, greys, yellows: gone on one background


def _bad_colours(lines: list[list[Segment]]) -> list[tuple[int, str, str]]:
    out = []
    for y, line in enumerate(lines):
        for seg in line:
            style = seg.style
            if seg.control or style is None:
                continue
            for colour in (style.color, style.bgcolor):
                if colour is not None and colour.type in (ColorType.TRUECOLOR,
                                                          ColorType.EIGHT_BIT):
                    out.append((y, seg.text, str(colour)))
            if not seg.text.strip():
                continue
            fg, bg = style.color, style.bgcolor
            if style.reverse:
                fg, bg = bg, fg
            if fg is None or fg.type == ColorType.DEFAULT:
                continue
            default_bg = bg is None or bg.type == ColorType.DEFAULT
            if fg.type == ColorType.STANDARD and default_bg and fg.number in _VANISHING:
                out.append((y, seg.text, str(fg)))
            elif (bg is not None and bg.type == ColorType.STANDARD
                  and fg.type == ColorType.STANDARD and bg.number == fg.number):
                out.append((y, seg.text, f"{fg} on {bg}"))
    return out


@pytest.mark.parametrize("name", list(PIECES))
async def test_ascii_and_sixteen_colours(name: str) -> None:
    make, words = PIECES[name]
    app = HostApp(make, ascii_look=True)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot)
        app.asciify()
        await pilot.pause()
        text = screen_text(app)
        lines = [list(strip) for strip in app.screen._compositor.render_strips()]
    assert app.theme == "clerk-ansi"
    bad = sorted({ch for ch in text if not (ch.isascii() and (ch.isprintable() or ch == "\n"))})
    assert not bad, f"{name}: {bad}\n{text}"
    assert words in text, text
    assert len(text.splitlines()) <= 24 and all(len(x) <= 80 for x in text.splitlines())
    colours = _bad_colours(lines)
    assert not colours, f"{name}: {colours[:8]}\n{text}"
