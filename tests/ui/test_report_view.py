"""The report view's wrapping rule (issue 10 G6): a line that fits is left alone, a longer one
is broken at spaces or, for one long word like an audit hash, inside it; nothing is lost."""

from __future__ import annotations

from clerk_tui.widgets.report_view import wrap_lines

HASH = "0123456789abcdef" * 4


def test_fitting_lines_are_left_alone() -> None:
    lines = ["Tender      Taken", "Cash      $209.03", "", "x" * 74]
    assert wrap_lines(lines, 74) == lines


def test_a_long_line_breaks_at_spaces_and_keeps_every_character() -> None:
    line = f"Audit head {HASH}"  # 75 characters: one too many at 74 columns
    out = wrap_lines([line], 74)
    assert out == ["Audit head", f"  {HASH}"]
    assert all(len(part) <= 74 for part in out)


def test_a_word_longer_than_the_view_is_cut_across_lines() -> None:
    out = wrap_lines([HASH * 2], 40)
    assert all(len(part) <= 40 for part in out)
    assert "".join(part.strip() for part in out) == HASH * 2


def test_trailing_table_padding_does_not_wrap() -> None:
    assert wrap_lines(["1000148-5  Morgan  Shutoff" + " " * 60], 40) == [
        "1000148-5  Morgan  Shutoff"]
