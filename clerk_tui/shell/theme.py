"""The look: the 16-colour theme for thin terminals and when to draw ASCII borders."""

from __future__ import annotations

from collections.abc import Mapping

from textual.theme import Theme

LIMITED_THEME = "clerk-ansi"
"""Uses the terminal's own 16 colours: readable wherever the terminal itself is readable."""
CLERK_ANSI = Theme(
    name=LIMITED_THEME, ansi=True, dark=True,
    primary="ansi_blue", secondary="ansi_cyan", warning="ansi_magenta", error="ansi_red",
    success="ansi_green", accent="ansi_green", foreground="ansi_default",
    background="ansi_default", surface="ansi_default", panel="ansi_default",
    boost="ansi_default",
    variables={
        # Textual's "ansi-dark" draws unfocused borders ANSI black (gone on a black console)
        # and warnings yellow (gone on a white one): blue and magenta read on both.
        "ansi-background": "ansi_default",
        "ansi-foreground": "ansi_default",
        "border-blurred": "ansi_blue",
        "border": "ansi_magenta",
        "block-cursor-foreground": "ansi_black",
        "block-cursor-background": "ansi_white",
        "input-cursor-background": "ansi_default",
        "input-cursor-foreground": "ansi_default",
        "input-cursor-text-style": "reverse",
        "input-selection-background": "ansi_blue",
        "input-selection-foreground": "ansi_bright_white",
        "screen-selection-background": "ansi_blue",
        "screen-selection-foreground": "ansi_bright_white",
    },
)
"""The 16-colour theme: only colours that read on a black and on a white terminal."""
FULL_THEME = "textual-dark"
_ASCII_TERMS = ("linux", "vt100", "vt102", "vt220", "vt320", "dumb")


def limited_colours(environ: Mapping[str, str]) -> bool:
    """True when the terminal gets 16 colours (TERM=xterm/vt220/linux without COLORTERM)."""
    if environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return False
    term = environ.get("TERM", "")
    return not ("256" in term or "direct" in term)


def pick_theme(environ: Mapping[str, str]) -> str:
    return LIMITED_THEME if limited_colours(environ) else FULL_THEME


def wants_ascii(environ: Mapping[str, str]) -> bool:
    """The Linux console and old VTs lack the box-drawing glyphs Textual's borders use."""
    term = environ.get("TERM", "")
    return term in _ASCII_TERMS or term.startswith("vt")

