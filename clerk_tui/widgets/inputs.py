"""Input fields tuned for thin terminals over SSH."""

from __future__ import annotations

import contextlib
import os
import selectors
import unicodedata
from codecs import getincrementaldecoder
from collections.abc import Iterable
from typing import Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message
from textual.widgets import Input


def printable(text: str) -> str:
    """Text as a field may hold it: no control characters (a tab becomes a space).

    Keys never insert control characters, but a terminal's bracketed paste delivers whatever
    was copied, escape sequences included, and an Input draws its value as is: a pasted
    `ESC ] 0 ; … BEL` would retitle the clerk's terminal, `ESC [ 2 J` clear it. Lone surrogates
    cannot be written to the terminal at all.
    """
    if text.isprintable():
        return text
    return "".join(" " if ch == "\t" else ch for ch in text
                   if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


class ClerkInput(Input):
    """An Input whose cursor does not blink and which does not select its text on focus.

    A blinking cursor repaints twice a second on every idle session: bytes over every SSH link
    all day for nothing. The cursor stays visible, just steady. Select-on-focus is off by
    default because a clerk types ahead of the screen: a key typed just before the field took
    focus would be selected and then overwritten by the next one.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)
        self.cursor_blink = False

    _editing = False
    _before_typing: str | None = None
    """The value before the clerk's first edit since the screen last set it (None: unedited).
    Class defaults: Textual sets the initial value inside `Input.__init__`."""

    def replace(self, text: str, start: int, end: int) -> None:
        """Every insertion (typing, paste) goes through here: control characters are dropped
        before the field shows them; the domain still has the last word on the value.

        Deleting goes through here too, so this is where the clerk's own edits are told from
        values the screen fills in (`typed`)."""
        self._editing = True
        try:
            super().replace(printable(text), start, end)
        finally:
            self._editing = False

    def watch_value(self, old: str, new: str) -> None:
        if self._editing:
            if self._before_typing is None:
                self._before_typing = old
        else:  # the screen set the value (a default, a lookup, a reset after saving)
            self._before_typing = None

    @property
    def typed(self) -> bool:
        """The clerk typed (or pasted) here and the field now differs from what the screen
        last put in it: work that Esc must not throw away without asking."""
        return (self._before_typing is not None
                and self.value.strip() != self._before_typing.strip())

    def mark_saved(self) -> None:
        """What the field holds has been saved: it is no longer unsaved work."""
        self._before_typing = None


class PinInput(ClerkInput):
    """A masked, digits-only PIN field."""

    def __init__(self, *, placeholder: str = "PIN", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, password=True, restrict=r"[0-9]*",
                         max_length=12, id=id)


# ---- bracketed paste ---------------------------------------------------------------------------
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


def paste_text(text: str) -> str:
    """What is kept of pasted text: everything in order, minus control characters (line
    breaks and tabs stay: the field takes the first line and turns a tab into a space)."""
    return "".join(ch for ch in text if ch in "\t\r\n" or unicodedata.category(ch) != "Cc")


def _partial_tail(data: str, marker: str) -> int:
    """Length of the longest end of `data` that is the start of `marker` (split across reads)."""
    for n in range(min(len(marker) - 1, len(data)), 0, -1):
        if marker.startswith(data[-n:]):
            return n
    return 0


class PasteSafeParser(XTermParser):
    """Textual's terminal parser, with the control characters of a bracketed paste removed
    before it parses them.

    Textual reads an ESC inside a paste as the start of a key sequence and sends those keys
    *before* the paste (a pasted `abc ESC [31m red` arrived as `^[31mred` then `abc`). The
    terminal's paste markers are kept; what lies between them reaches the parser without
    control characters, so the field gets the pasted text in order.
    """

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._in_paste = False
        self._held = ""  # in a paste: the start of an end marker cut in two by a read
        self._recent = ""  # outside: the last characters passed on (a start marker split)

    def _clean(self, data: str) -> str:
        out: list[str] = []
        rest = data
        while rest:
            if self._in_paste:
                rest, self._held = self._held + rest, ""
                j = rest.find(PASTE_END)
                if j < 0:
                    n = _partial_tail(rest, PASTE_END)
                    if n:
                        rest, self._held = rest[:-n], rest[-n:]
                    out.append(paste_text(rest))
                    break
                out.append(paste_text(rest[:j]) + PASTE_END)
                rest = rest[j + len(PASTE_END):]
                self._in_paste = False
                self._recent = ""
            else:
                # Outside a paste nothing is held back (a lone ESC is the Esc key): a start
                # marker split across reads is found in what was already passed on.
                seen = self._recent + rest
                j = seen.find(PASTE_START)
                if j < 0:
                    out.append(rest)
                    self._recent = seen[-(len(PASTE_START) - 1):]
                    break
                cut = j + len(PASTE_START) - len(self._recent)
                out.append(rest[:cut])
                rest = rest[cut:]
                self._in_paste = True
                self._recent = ""
        return "".join(out)

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input: whatever was held goes as it is
            held, self._held = self._held, ""
            if held:
                yield from super().feed(held)
            yield from super().feed(data)
            return
        cleaned = self._clean(data)
        if cleaned:
            yield from super().feed(cleaned)


class ClerkDriver(LinuxDriver):
    """The Linux terminal driver, reading input through `PasteSafeParser`.

    `run_input_thread` is Textual's own (8.x), with only the parser class changed."""

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = PasteSafeParser(self._debug)
        feed = parser.feed
        tick = parser.tick
        decode = getincrementaldecoder("utf-8")().decode

        def process(selector_events: list[tuple[selectors.SelectorKey, int]],
                    final: bool = False) -> None:
            for last, (_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not data:
                        break
                    for event in feed(data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _event in feed(""):
                    pass
