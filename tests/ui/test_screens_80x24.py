"""Every main screen at 80x24, in the 16-colour theme and in the Linux console's ASCII look.

- Snapshots (pytest-textual-snapshot): a clipped, vanished or moved line shows up as a diff.
  After a deliberate change to a screen, regenerate them and review the SVGs:
  `pytest tests/ui/test_screens_80x24.py --snapshot-update`.
- Under the ASCII look, no cell on any screen holds a non-ASCII glyph.
- Under the 16-colour theme, no text is drawn in a colour that vanishes on a black or on a
  white terminal (black, white, grey or yellow on the terminal's own background).
- Texts that used to be cut at 80 columns are on screen whole.

Screens are reached by keys from sign-in (tests/ui/screens_support.py), on the sandbox's
demo data with the clock fixed.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import ColorType
from rich.segment import Segment
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from tests.ui.conftest import SIZE, screen_text
from tests.ui.screens_support import (  # noqa: F401  (fixtures)
    CLERK_NAME,
    SCREENS,
    Data,
    make_screens_app,
    screens_data,
    training_template,
)

pytestmark = pytest.mark.slow


def _driver(name: str, data: Data) -> Any:
    async def run_before(pilot: Pilot) -> None:
        await SCREENS[name](pilot, data)
    return run_before


@pytest.mark.parametrize("look", ["ansi", "ascii"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_snapshot(snap_compare: Any, screens_data: Data, name: str,  # noqa: F811
                         look: str) -> None:
    assert snap_compare(make_screens_app(screens_data, look), terminal_size=SIZE,
                        run_before=_driver(name, screens_data))


async def _shown(data: Data, name: str, look: str) -> tuple[ClerkApp, str, list[list[Segment]]]:
    app = make_screens_app(data, look)
    async with app.run_test(size=SIZE) as pilot:
        await SCREENS[name](pilot, data)
        text = screen_text(app)
        lines = [list(strip) for strip in app.screen._compositor.render_strips()]
    return app, text, lines


@pytest.mark.parametrize("name", list(SCREENS))
async def test_ascii_look_draws_only_ascii(screens_data: Data, name: str) -> None:  # noqa: F811
    _, text, _ = await _shown(screens_data, name, "ascii")
    bad = sorted({(ch, f"U+{ord(ch):04X}") for ch in text if not (ch.isascii()
                                                                  and (ch.isprintable()
                                                                       or ch == "\n"))})
    assert not bad, f"{name}: {bad}\n{text}"


# Standard ANSI colours that disappear on one of the two usual terminal backgrounds when drawn
# on the terminal's own background: black, white, bright black (grey), yellow, bright white.
_VANISHING = {0, 7, 8, 3, 11, 15}


def _unreadable(lines: list[list[Segment]]) -> list[tuple[int, str, str]]:
    out = []
    for y, line in enumerate(lines):
        for seg in line:
            style = seg.style
            if seg.control or style is None or not seg.text.strip():
                continue
            fg, bg = style.color, style.bgcolor
            if style.reverse:
                fg, bg = bg, fg
            default_bg = bg is None or bg.type == ColorType.DEFAULT
            if fg is None or fg.type == ColorType.DEFAULT:
                continue
            if fg.type == ColorType.STANDARD:
                if default_bg and fg.number in _VANISHING:
                    out.append((y, seg.text, str(fg)))
                elif bg is not None and bg.type == ColorType.STANDARD and bg.number == fg.number:
                    out.append((y, seg.text, f"{fg} on {bg}"))
    return out


@pytest.mark.parametrize("name", list(SCREENS))
async def test_sixteen_colours_read_on_black_and_on_white(screens_data: Data,  # noqa: F811
                                                          name: str) -> None:
    _, text, lines = await _shown(screens_data, name, "ascii")
    bad = _unreadable(lines)
    assert not bad, f"{name}: {bad[:8]}\n{text}"
