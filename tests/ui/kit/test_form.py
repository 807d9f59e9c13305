"""The kit's form at 80x24, by keys: a field check keeps the form open and writes nothing, a
domain refusal too; Esc asks before dropping typed work and leaves at once when nothing was
typed; the work runs through the `run` it was given, off the UI thread."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from clerk_tui.domain.errors import ValidationError
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.kit import ConfirmDialog, Field, Form, required
from tests.ui.kit.host import HostApp
from tests.ui.kit.support import SIZE, keys, screen_text


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (name TEXT, count INTEGER)")
    return path


def _rows(path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT name, count FROM notes").fetchall()


def _digits(value: str) -> str | None:
    return None if value.isdigit() else "digits only."


def _form(path: Path) -> Any:
    def submit(values: dict[str, str]) -> int:
        if values["name"].lower() == "nobody":
            raise ValidationError("No customer called nobody.")
        with sqlite3.connect(path) as conn:
            conn.execute("INSERT INTO notes VALUES (?, ?)", (values["name"], int(values["count"])))
        return int(values["count"])

    def make(app: HostApp) -> Form:
        form = Form("Count the boxes", [
            Field("name", "Name", check=required("A name")),
            Field("count", "Boxes", "1", check=_digits),
        ], submit, lambda n: f"SAVED {n} boxes.")
        form._run = app.run_for(form)
        return form

    return make


async def test_check_keeps_the_form_open_and_writes_nothing(tmp_path: Path) -> None:
    path = _db(tmp_path)
    app = HostApp(_form(path))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "A", "n", "n", "enter", "backspace", "x", "enter")
        assert isinstance(app.screen, Form)
        text = screen_text(app)
        assert "Boxes: digits only." in text
        assert app.screen.focused is app.screen.field("count")
        assert _rows(path) == [] and app.work_threads == []
        await keys(pilot, "backspace", "4", "ctrl+y")
        assert "SAVED 4 boxes." in screen_text(app)
        assert _rows(path) == [("Ann", 4)]
        assert app.work_threads and threading.main_thread().name not in app.work_threads
        await keys(pilot, "escape")  # done: nothing unsaved, Esc leaves with the result
        assert app.results == [4]


async def test_a_blank_required_field_says_so(tmp_path: Path) -> None:
    path = _db(tmp_path)
    app = HostApp(_form(path))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "ctrl+y")
        assert "Name: A name is needed." in screen_text(app)
        assert isinstance(app.screen, Form) and _rows(path) == []


async def test_domain_refusal_is_shown_and_nothing_changes(tmp_path: Path) -> None:
    path = _db(tmp_path)
    app = HostApp(_form(path))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, *"nobody", "enter", "enter")
        assert "No customer called nobody." in screen_text(app)
        assert isinstance(app.screen, Form) and _rows(path) == []
        assert app.screen.field("name").value == "nobody"  # what was typed stays


async def test_esc_asks_before_dropping_typed_work(tmp_path: Path) -> None:
    path = _db(tmp_path)
    app = HostApp(_form(path))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "B", "o")
        await keys(pilot, "escape")
        assert isinstance(app.screen, ConfirmDialog) and isinstance(app.screen, ConfirmScreen)
        assert "not saved" in screen_text(app)
        await keys(pilot, "n")  # stay
        assert isinstance(app.screen, Form) and app.screen.field("name").value == "Bo"
        await keys(pilot, "escape", "y")
        assert not isinstance(app.screen, Form | ConfirmDialog)
        assert app.results == [None] and _rows(path) == []


async def test_esc_leaves_at_once_when_only_defaults_are_there(tmp_path: Path) -> None:
    app = HostApp(_form(_db(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "escape")
        assert app.results == [None]
        assert not isinstance(app.screen, Form | ConfirmDialog)


async def test_retry_question_sends_again_confirmed_and_heading_is_read_through_run(
        tmp_path: Path) -> None:
    path = _db(tmp_path)
    sent: list[dict[str, str]] = []
    heading_threads: list[str] = []

    def submit(values: dict[str, str]) -> str:
        sent.append(values)
        if values.get("_confirmed") != "1":
            raise ValidationError("Final read not accepted: 9000 is far above the usual.")
        with sqlite3.connect(path) as conn:
            conn.execute("INSERT INTO notes VALUES (?, ?)", ("final", int(values["reading"])))
        return values["reading"]

    def heading() -> str:
        heading_threads.append(threading.current_thread().name)
        return "Account 1234567-4  Ann Lee  120 N Main St"

    def make(app: HostApp) -> Form:
        form = Form("Close the account", [Field("reading", "Final reading")], submit,
                    lambda r: f"CLOSED with {r}.", load_heading=heading,
                    retry=lambda e, v: "The final read looks wrong. Use it?")
        form._run = app.run_for(form)
        return form

    app = HostApp(make)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot)
        assert "Ann Lee" in screen_text(app)
        assert heading_threads and heading_threads[0] != threading.main_thread().name
        await keys(pilot, *"9000", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert _rows(path) == []
        await keys(pilot, "n")
        assert "Final read not accepted" in screen_text(app) and _rows(path) == []
        await keys(pilot, "enter", "y")
        assert "CLOSED with 9000." in screen_text(app)
        assert _rows(path) == [("final", 9000)] and sent[-1]["_confirmed"] == "1"
