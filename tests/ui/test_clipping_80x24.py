"""Nothing a clerk needs is cut off at 80x24 (issue 10 G3, G6, G14): full texts are looked for
in the rendered screen, reached by keys on the sandbox's demo data."""

from __future__ import annotations

import re

import pytest
from rich.segment import Segment
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.utility import orders
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.widgets.statusbar import StatusBar
from tests.ui.conftest import SIZE, screen_text, settle
from tests.ui.screens_support import (  # noqa: F401  (fixtures)
    CLERK_NAME,
    SCREENS,
    Data,
    make_screens_app,
    screens_data,
    training_template,
)


async def _screen(data: Data, name: str, look: str = "ansi"
                  ) -> tuple[str, list[list[Segment]]]:
    app = make_screens_app(data, look)
    async with app.run_test(size=SIZE) as pilot:
        await SCREENS[name](pilot, data)
        return screen_text(app), [list(s) for s in app.screen._compositor.render_strips()]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def _unwrapped(text: str) -> str:
    """The screen's words in order, frames and line breaks gone: a wrapped text reads whole."""
    return " ".join(re.sub(r"[|│╭╮╰╯─+]", " ", text).split())


@pytest.mark.parametrize("look", ["ansi", "ascii"])
async def test_lookup_highlights_the_row_enter_opens(screens_data: Data,  # noqa: F811
                                                     look: str) -> None:
    text, strips = await _screen(screens_data, "lookup", look)
    assert "Enter opens the highlighted line" in text
    rows = [y for y, line in enumerate(_lines(text))
            if re.match(r"^\s+account\s+\d{7}-\d ", line)]
    assert len(rows) >= 2, text

    def marked(y: int) -> bool:
        styles = [seg.style for seg in strips[y] if seg.text.strip() and seg.style]
        return bool(styles) and all(s.reverse or (s.bgcolor is not None
                                                  and not s.bgcolor.is_default)
                                    for s in styles)
    assert marked(rows[0]), f"first row not highlighted under {look}"
    assert not marked(rows[1])


async def test_lookup_shows_whole_company_names(screens_data: Data) -> None:  # noqa: F811
    text, _ = await _screen(screens_data, "lookup")
    names: list[str] = []
    for line in _lines(text)[6:-1]:
        if re.match(r"^\s+account\s+\d{7}-\d ", line):  # Kind, Number, then the Name
            names.append(line[23:44].strip())
        elif names and line[23:44].strip():
            names[-1] += " " + line[23:44].strip()
    assert screens_data.name in names, names
    assert len(screens_data.name) > 30  # a name that needs the second line


async def test_payment_shows_the_customer_and_whole_hint(screens_data: Data) -> None:  # noqa: F811
    text, _ = await _screen(screens_data, "payment_items")
    assert screens_data.name in text
    assert "^R = remove last line" in text


async def test_footer_after_posting_ends_with_sign_out(screens_data: Data) -> None:  # noqa: F811
    text, _ = await _screen(screens_data, "payment_posted")
    assert _lines(text)[-1].endswith("^Q Sign out"), _lines(text)[-1]
    assert re.search(r"RECEIPT [0-9]+ ", text) and screens_data.name in text


@pytest.mark.parametrize("look", ["ansi", "ascii"])
async def test_count_keeps_the_checks_label_once_typed(screens_data: Data,  # noqa: F811
                                                       look: str) -> None:
    text, _ = await _screen(screens_data, "count", look)
    assert any(re.match(r"^\s*Checks\s+1001 25\.00", line) for line in _lines(text)), text
    assert re.search(r"\$20 bills\s+7\b", text), text  # a one-line field keeps its digits
    assert "Rolled quarters ($10)" in text


@pytest.mark.parametrize("look", ["ansi", "ascii"])
async def test_form_fields_show_what_is_typed(screens_data: Data, look: str) -> None:  # noqa: F811
    text, _ = await _screen(screens_data, "new_account", look)
    assert re.search(r"Customer name\s+Pat Example", text), text


async def test_service_orders_show_priority_and_work_whole(screens_data: Data) -> None:  # noqa: F811
    text, _ = await _screen(screens_data, "service_orders")
    assert re.search(r"routine\s+Leak check\s+open", text), text
    assert screens_data.address in text


async def test_z_report_shows_the_whole_audit_hash(screens_data: Data) -> None:  # noqa: F811
    text, _ = await _screen(screens_data, "z_report")
    assert "0123456789abcdef" * 4 in _unwrapped(text).replace(" ", ""), text
    assert re.search(r"Cash\s+\$\d", text) and "Over/short" in text


@pytest.mark.parametrize("name", [n for n in SCREENS if n != "sign_in"])
async def test_status_bar_names_the_clerk_whole(screens_data: Data, name: str) -> None:  # noqa: F811
    text, _ = await _screen(screens_data, name)
    bar = _lines(text)[0]
    assert "…" not in bar and (CLERK_NAME in bar or " csr2 " in bar), bar


async def test_status_bar_keeps_the_name_whole_when_crowded(
        make_app, db, make_clerk) -> None:  # type: ignore[no-untyped-def]
    """A long workstation name, a drawer being counted and the till open: the clerk is named
    by the username rather than cut to "Jorda…"."""
    app: ClerkApp = make_app(workstation="counter-west-07", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        app.actor = Actor("csr2", "csr2", "counter-west-07", "Jordan Two")
        app.drawer_state = "counting"
        app.till_state = "open"
        app.screen.title = "Utility desk"
        await settle(pilot)
        bar = app.screen.query_one(StatusBar).plain
        assert "…" not in bar and ("Jordan Two" in bar or " csr2" in bar), bar


async def _report(app: ClerkApp, pilot: Pilot, text: str) -> str:
    app.push_screen(ReportScreen("Report", text))
    await settle(pilot)
    return screen_text(app)


async def test_report_view_wraps_what_is_wider_than_the_screen(
        screens_data: Data) -> None:  # noqa: F811
    """A 64-character hash after a label, a route list wider than 80 columns: every word and
    every character of the hash is on screen, none past the right edge."""
    route = orders.route_list(screens_data.db)
    digest = "9f" * 32
    text = f"{route}\n\nAudit seq 1234567 hash {digest}\n" + "x" * 100
    app = make_screens_app(screens_data, "ansi")
    async with app.run_test(size=SIZE) as pilot:
        shown = await _report(app, pilot, text)
    flat = _unwrapped(shown)
    for word in text.split():
        assert word in flat or word in flat.replace(" ", ""), (word, shown)
    assert digest in flat.replace(" ", "")
    assert "x" * 100 in flat.replace(" ", "")
    assert "Tech" in shown


async def test_notices_report_headers_are_whole(screens_data: Data) -> None:  # noqa: F811
    """The delinquency notices run is wider than the screen: its headers ("Occupant", cut to
    "O" before) and every cell are on screen, the wide lines wrapped."""
    from clerk_tui.domain.actor import SYSTEM
    from clerk_tui.domain.utility import delinquency

    text = delinquency.format_run(delinquency.run_notices(screens_data.db, SYSTEM))
    head = "\n".join(text.splitlines()[:5])  # title, headers and the first rows
    app = make_screens_app(screens_data, "ascii")
    async with app.run_test(size=SIZE) as pilot:
        shown = await _report(app, pilot, head)
    assert re.search(r"\bOccupant\b", shown) and "Shutoff from" in shown, shown
    flat = _unwrapped(shown)
    for word in head.split():
        assert word in flat, (word, shown)
