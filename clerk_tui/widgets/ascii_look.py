"""The ASCII look for the Linux console and old VTs: every glyph drawn is plain ASCII.

The Linux console's font has no box-drawing "round" corners, no block elements for Textual's
"tall" borders and scrollbar thumbs, no emoji, and shows a dash or an ellipsis as a blob. The
stylesheet picks ASCII borders under `.-ascii`, but text (an em dash in a title, the "…" of a
clipped column, a name with an accent) and Textual's own widgets (option lists, scrollbars, the
command palette's icon) still carry other glyphs. So, in the ASCII look, each screen's
compositor passes everything it draws through `to_ascii()` as a last step: a box corner becomes
`+`, a line `-` or `|`, a dash `-`, an ellipsis `~`, `é` becomes `e`, and anything else a `?`,
always keeping each character's width in cells so nothing on the screen moves. What the clerk
typed and what is stored are untouched: only the picture on the console changes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual._compositor import Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip

_TABLE: dict[str, str] = {
    "\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2015": "-", "\u2010": "-", "\u2011": "-",
    "\u2212": "-", "\u2026": "~", "\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"',
    "\u201d": '"', "\u2022": "*", "\u00b7": ".", "\u2190": "<", "\u2192": ">", "\u2191": "^",
    "\u2193": "v", "\u21b5": "<", "\u23ce": "<", "\u2713": "v", "\u2714": "v", "\u2717": "x",
    "\u00d7": "x", "\u00a0": " ", "\u00b0": "o", "\u00ab": "<", "\u00bb": ">", "\u25b6": ">",
    "\u25c0": "<", "\u25b2": "^", "\u25bc": "v", "\u25cf": "*", "\u25cb": "o", "\u2588": "#",
    "\u2591": " ", "\u2592": " ", "\u2593": "#", "\u2594": "-",
    "\U0001f50e": "> ", "\U0001f50d": "> ",
}


@lru_cache(maxsize=4096)
def _char(ch: str) -> str:
    """One character as ASCII of the same width in cells."""
    width = cell_len(ch)
    if width == 0:
        return ""
    if ch in _TABLE:
        out = _TABLE[ch]
    else:
        name = unicodedata.name(ch, "")
        if name.startswith("BOX DRAWINGS"):
            horizontal, vertical = "HORIZONTAL" in name, "VERTICAL" in name
            if horizontal and not vertical:
                out = "-"
            elif vertical and not horizontal:
                out = "|"
            else:
                out = "+"
        elif 0x2580 <= ord(ch) <= 0x259F:  # block elements: scrollbar thumbs, tall borders
            out = " "
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii()
                           and c.isprintable())
            out = base or "?"
    return (out + "?" * width)[:width]


def to_ascii(text: str) -> str:
    """`text` in printable ASCII, cell for cell (see the module docstring)."""
    if text.isascii():
        return text
    return "".join(c if c.isascii() else _char(c) for c in text)


def ascii_strip(strip: Strip) -> Strip:
    segments = list(strip)
    if all(seg.text.isascii() or seg.control for seg in segments):
        return strip
    return Strip([seg if seg.control or seg.text.isascii()
                  else Segment(to_ascii(seg.text), seg.style, seg.control)
                  for seg in segments], strip.cell_length)


class AsciiCompositor(Compositor):
    """A compositor whose every rendered line is passed through `to_ascii()`."""

    def _get_renders(self, crop: Region | None = None
                     ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        for region, clip, strips in super()._get_renders(crop):
            yield region, clip, [ascii_strip(strip) for strip in strips]


def use_ascii(screen: Screen) -> None:
    """Draw `screen` in the ASCII look from now on (it keeps its layout state)."""
    compositor = screen._compositor
    if not isinstance(compositor, AsciiCompositor):
        compositor.__class__ = AsciiCompositor
