"""Keyboard-wedge scans vs. a person typing: prefix first, burst timing as the fallback."""

from __future__ import annotations

from clerk_tui.hardware.scanner import KeyEvent, ScanEvent, WedgeAssembler, key_char, strip_aim

RS = "ctrl+circumflex_accent"


def keys_for(text: str) -> list[str]:
    """Textual key names for typed text (as the terminal driver would report them)."""
    names = {"\r": "enter", "\n": "ctrl+j", "\t": "tab", "-": "minus", " ": "space",
             "]": "right_square_bracket", "\x1e": RS}
    return [names.get(c, c) for c in text]


def run(w: WedgeAssembler, timed: list[tuple[str, float]]) -> list:
    events = []
    for key, t in timed:
        events += w.feed(key, t)
    events += w.poll(timed[-1][1] + 5)
    return events


def burst(text: str, start: float, gap: float = 0.004) -> list[tuple[str, float]]:
    return [(k, start + i * gap) for i, k in enumerate(keys_for(text))]


def typed(events) -> str:
    return "".join(key_char(e.key, e.character) or f"<{e.key}>" for e in events
                   if isinstance(e, KeyEvent))


def scans(events) -> list[str]:
    return [e.data for e in events if isinstance(e, ScanEvent)]


def test_key_names_map_to_characters() -> None:
    assert key_char("enter") == "\r" and key_char("ctrl+j") == "\n" and key_char("tab") == "\t"
    assert key_char("full_stop") == "." and key_char("minus") == "-" and key_char("7") == "7"
    assert key_char(RS) == "\x1e" and key_char("up") is None and key_char("ctrl+a") == "\x01"
    assert key_char("x", "X") == "X"


def test_prefixed_scan_swallows_every_key_even_shortcut_letters() -> None:
    w = WedgeAssembler()
    # "q" and "p" would be single-letter shortcuts on a screen: none may leak out
    events = run(w, burst("\x1eqp1234\r", 1.0))
    assert events == [ScanEvent("qp1234", "\x1eqp1234\r", None, "prefix", True)]


def test_prefixed_scan_split_in_two_by_ssh() -> None:
    w = WedgeAssembler()
    first = burst("\x1e1234567", 1.0)
    second = burst("40000123455\r", 1.2)  # 200 ms later: the network split the burst
    events = run(w, first + second)
    assert scans(events) == ["123456740000123455"] and typed(events) == ""


def test_prefixed_scan_at_human_speed_still_a_scan() -> None:
    """Over SSH timing means nothing: the prefix alone decides."""
    w = WedgeAssembler(use_timing=False)
    events = run(w, burst("\x1eR000012344\n", 1.0, gap=0.15))
    assert scans(events) == ["R000012344"]


def test_each_suffix_ends_a_scan_and_crlf_counts_once() -> None:
    for suffix in ("\r", "\n", "\t", "\r\n"):
        w = WedgeAssembler()
        events = run(w, burst(f"\x1e12345678{suffix}", 1.0) + burst("9", 3.0))
        assert scans(events) == ["12345678"], suffix
        assert typed(events) == "9", suffix


def test_aim_identifier_is_stripped_and_reported() -> None:
    w = WedgeAssembler()
    events = run(w, burst("\x1e]C0R000012344\r", 1.0))
    assert events[0].data == "R000012344" and events[0].symbology == "Code 128"
    assert strip_aim("]E0012345678905") == ("012345678905", "EAN/UPC")
    assert strip_aim("]Q1hello")[1] == "QR Code"
    assert strip_aim("no-aim") == ("no-aim", None)


def test_burst_without_prefix_is_a_scan_by_timing() -> None:
    w = WedgeAssembler(prefix="")
    events = run(w, burst("12345674\r", 1.0))
    assert scans(events) == ["12345674"]
    assert events[0].via == "timing"


def test_human_typing_passes_through_in_order() -> None:
    w = WedgeAssembler(prefix="")
    timed = [(k, 1.0 + i * 0.12) for i, k in enumerate(keys_for("12345674\r"))]
    events = run(w, timed)
    assert scans(events) == []
    assert typed(events) == "12345674\r"
    assert [e.key for e in events][-1] == "enter"


def test_timing_burst_split_in_two_is_joined() -> None:
    w = WedgeAssembler(prefix="")
    events = run(w, burst("123456740", 1.0) + burst("000123455\r", 1.09))
    assert scans(events) == ["123456740000123455"] and typed(events) == ""


def test_fast_paste_without_suffix_is_typing() -> None:
    w = WedgeAssembler(prefix="")
    events = run(w, burst("hello", 1.0))
    assert scans(events) == [] and typed(events) == "hello"


def test_typed_keys_wait_only_briefly() -> None:
    w = WedgeAssembler(prefix="")
    assert w.feed("a", 1.0) == []
    deadline = w.deadline()
    assert deadline is not None and deadline - 1.0 < 0.05
    assert typed(w.poll(deadline)) == "a"
    assert w.deadline() is None


def test_arrow_key_during_prefix_capture_is_given_back() -> None:
    w = WedgeAssembler()
    events = run(w, [(RS, 1.0), ("up", 1.2), ("x", 1.3)])
    assert scans(events) == []
    assert [e.key for e in events] == ["up", "x"]


def test_prefix_without_suffix_times_out_as_unterminated_scan() -> None:
    w = WedgeAssembler()
    events = w.feed(RS, 1.0) + w.feed("9", 1.01) + w.feed("9", 1.02)
    assert events == [] and w.in_scan
    events = w.poll(w.deadline() + 0.01)
    assert scans(events) == ["99"] and events[0].terminated is False


def test_hexdump_shows_prefix_and_suffix() -> None:
    from clerk_tui.hardware.scanner import hexdump

    [scan] = run(WedgeAssembler(), burst("\x1eR1\r", 1.0))
    assert hexdump(scan.raw) == "1e 52 31 0d"
    assert hexdump(b"\x00\xff") == "00 ff"
