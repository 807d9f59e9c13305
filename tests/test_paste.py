"""A bracketed paste reaches the field in order, only its control characters dropped.

Textual's parser read an ESC inside a paste as the start of keys and sent them before the
paste: `abc ESC[31m red` became `^[31mred` then `abc`. `PasteSafeParser` strips control
characters between the terminal's paste markers before parsing. Fed here byte by byte and in
every split, the way reads from a terminal arrive (tests/e2e/test_paste.py pastes in tmux).
"""

from __future__ import annotations

import pytest
from textual import events

from clerk_tui.widgets.inputs import PASTE_END, PASTE_START, PasteSafeParser, paste_text

PASTED = "abc\x1b[31mred\x1b]0;evil\x07def\x00\x9b2J"
KEPT = "abc[31mred]0;evildef2J"


def _events(chunks: list[str]) -> list[events.Event]:
    parser = PasteSafeParser()
    out: list[events.Event] = []
    for chunk in chunks:
        out.extend(parser.feed(chunk))
        out.extend(parser.tick())
    out.extend(parser.feed(""))
    return out


def _typed(evs: list[events.Event]) -> list[str]:
    return [e.text if isinstance(e, events.Paste) else f"key:{e.key}"
            for e in evs if isinstance(e, events.Paste | events.Key)]


def test_paste_text_drops_only_control_characters() -> None:
    assert paste_text(PASTED) == KEPT
    assert paste_text("one\ttwo\nthree") == "one\ttwo\nthree"


@pytest.mark.parametrize("split", [None, 1, 2, 3, 5, 7])
def test_paste_keeps_its_order_however_the_reads_split(split: int | None) -> None:
    stream = "x" + PASTE_START + PASTED + PASTE_END + "y"
    chunks = [stream] if split is None else [stream[i:i + split]
                                             for i in range(0, len(stream), split)]
    assert _typed(_events(chunks)) == ["key:x", KEPT, "key:y"]


def test_keys_outside_a_paste_are_untouched() -> None:
    assert _typed(_events(["\x1b[A", "\x1bOP", "q"])) == ["key:up", "key:f1", "key:q"]
    # A lone Esc press at the end of a read is not held back waiting for a paste marker.
    parser = PasteSafeParser()
    got = [*parser.feed("\x1b")]
    deadline = 50
    while not got and deadline:
        got += [*parser.tick()]
        deadline -= 1
        import time

        time.sleep(0.01)
    assert _typed(got) == ["key:escape"]
