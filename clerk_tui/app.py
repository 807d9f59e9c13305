"""The Textual application: sign-in, home, counters, lock, override, help.

Built for clerks on thin terminals over SSH at 80x24: keyboard only (mouse reporting off), no
blinking cursor and no clock, so an idle session sends nothing; 16-colour terminals get an ANSI
theme and the Linux console gets ASCII borders; every key has a binding id so a site can remap
it (`keymap` in the workstation config). Screens call domain functions; this module holds the
session (who is signed in, locked or not) and the rules for moving between screens without
throwing typed work away.

Its other concerns live in clerk_tui/shell/, one module each, mixed into `ClerkApp`: the
type-ahead key queue (`typeahead.py`), the scanners and scan routing (`scans.py`), the devices
and the terminal print sink (`devices.py`), the till watch (`till.py`) and the look
(`theme.py`). The supervisor-override retry and running domain calls off the UI thread are
`Session.run` (clerk_tui/session.py), which is also all a screen should use of the app.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.events import Event, Key, Paste
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from clerk_tui.config import Config
from clerk_tui.counters import load_builtin
from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import DENY, Authority
from clerk_tui.domain.authority import authority as load_rules
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.text import visible
from clerk_tui.scanning import (
    ScanLog,
)
from clerk_tui.screens.base import ClerkScreen, CounterScreen
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.counters import COUNTERS, Counter, get_counter, screen_for
from clerk_tui.screens.diagnostics import DiagnosticsScreen
from clerk_tui.screens.help import HelpScreen, keys_text
from clerk_tui.screens.home import HomeScreen
from clerk_tui.screens.lock import LockScreen
from clerk_tui.screens.login import LoginScreen
from clerk_tui.session import Session
from clerk_tui.shell.devices import TERMINAL_PRINT_TIMEOUT, Devices
from clerk_tui.shell.scans import ScanRouting
from clerk_tui.shell.theme import (
    CLERK_ANSI,
    FULL_THEME,
    LIMITED_THEME,
    limited_colours,
    pick_theme,
    wants_ascii,
)
from clerk_tui.shell.till import TillWatch
from clerk_tui.shell.typeahead import TypeAhead
from clerk_tui.station import Station
from clerk_tui.widgets import textual_fixes
from clerk_tui.widgets.ascii_look import use_ascii
from clerk_tui.widgets.statusbar import StatusBar
from clerk_tui.workstation import ssh_client_address

log = logging.getLogger(__name__)

__all__ = [
    "CLERK_ANSI", "FULL_THEME", "LIMITED_THEME", "TERMINAL_PRINT_TIMEOUT", "ClerkApp", "css_path",
    "limited_colours", "pick_theme", "run_app", "wants_ascii",
]

T = TypeVar("T")

DrawerStateFn = Callable[[Database, Actor], str | None]


def _config_value(config: object | None, name: str) -> Any:
    """Read an optional UI setting from the workstation config (a mapping or an object)."""
    if config is None:
        return None
    if isinstance(config, Mapping):
        return config.get(name)
    return getattr(config, name, None)


def _default_drawer_state(db: Database, actor: Actor) -> str | None:
    """The cashier domain's word for the clerk's drawer ("open", "counting", "closed")."""
    try:
        from clerk_tui.domain.cashier_views import drawer_state_label
    except ImportError:  # a build without the cashier domain
        return None
    return drawer_state_label(db, actor)


def _counter_bindings() -> list[BindingType]:
    return [
        Binding(c.key, f"open_counter('{c.id}')", c.name, show=False, id=c.binding_id)
        for c in COUNTERS
    ]


class ClerkApp(TypeAhead, ScanRouting, Devices, TillWatch, App[None], inherit_bindings=False):
    """One clerk session on one workstation: sign-in, lock, moving between screens. Its other
    concerns are mixins in clerk_tui/shell/ (type-ahead, scans, devices, till watch, theme);
    screens use `self.session` (clerk_tui/session.py), not the app."""

    CSS_PATH = "app.tcss"
    TITLE = "clerk-tui"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_DISPLAY = "^P"
    AUTO_FOCUS = "*"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+l", "lock", "Lock", id="app.lock"),
        Binding("ctrl+q", "sign_out", "Sign out", id="app.sign_out"),
        Binding("f10", "diagnostics", "Diagnostics", show=False, id="app.diagnostics"),
        # The home screen's letter for diagnostics (check_action keeps it to home).
        Binding("g", "home_diagnostics", "Diagnostics (Home)", show=False,
                id="home.diagnostics"),
        # Textual adds its own palette binding unless one exists: ours has an id to remap.
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True,
                id="app.palette"),
        *_counter_bindings(),
    ]

    def __init__(self, db: Database, *, workstation: str, sandbox: bool = False,
                 config: object | None = None, authority: Authority | None = None,
                 idle_lock_seconds: float | None = None, theme: str | None = None,
                 ascii_borders: bool | None = None,
                 drawer_state: DrawerStateFn | None = None,
                 environ: Mapping[str, str] | None = None,
                 station: Station | None = None) -> None:
        super().__init__()
        textual_fixes.apply()  # a Textual cache that kept every widget's render cache alive
        self.session = Session(self)
        """What screens use of the app (clerk_tui/session.py)."""
        load_builtin()  # the counter manifests: refuses a misspelt or clashing one at start
        env = os.environ if environ is None else environ
        self.ssh_address = ssh_client_address(dict(env))
        self.db = db
        self.workstation = workstation
        self.sandbox = sandbox
        self.config = config
        self.rules = authority or load_rules()
        self.actor: Actor | None = None
        self.locked = False
        self.drawer_state = "—"
        self._drawer_state_fn = drawer_state or _default_drawer_state
        minutes = self.rules.idle_lock_minutes
        self.idle_lock_seconds = (idle_lock_seconds if idle_lock_seconds is not None
                                  else float(minutes) * 60.0)
        self._last_input = time.monotonic()
        self._idle_timer: Timer | None = None
        self.register_theme(CLERK_ANSI)
        configured = _config_value(config, "theme")
        if configured and configured not in self.available_themes:
            log.warning("theme %r from the configuration is not installed", configured)
            configured = None
        self.theme = theme or configured or pick_theme(env)
        ascii_cfg = _config_value(config, "ascii_borders")
        if ascii_borders is None:
            ascii_borders = bool(ascii_cfg) if ascii_cfg is not None else wants_ascii(env)
        self.ascii_look = bool(ascii_borders)
        """Every glyph drawn is ASCII (clerk_tui/widgets/ascii_look.py), borders included."""
        if ascii_borders:
            self.add_class("-ascii")
        if sandbox:
            self.add_class("-training")
        keymap = _config_value(config, "keymap")
        if keymap:
            self.set_keymap(dict(keymap))
        # ---- devices ----
        self.station: Station = station if station is not None else self._build_station()
        self.till_state: str | None = None
        """The cash drawer itself ("open", "shut", "?"); None until a device has said anything."""
        self._till_timer: Timer | None = None
        self.scan_log = ScanLog()
        self._init_type_ahead()
        self.wedge_timing = False
        self._wedge = self._build_wedge()
        self._wedge_held: dict[tuple[str, float], Key] = {}
        self._wedge_timer: Timer | None = None

    # ---- screens -----------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """Sign-in is the bottom of the stack: signing out pops everything back to it."""
        screen = LoginScreen()
        if self.ascii_look:
            use_ascii(screen)
        return screen

    def _screen_changed(self, screen: Screen) -> None:
        """Every screen pushed (ours, dialogs, Textual's command palette) gets the ASCII look
        before it is first drawn."""
        if self.ascii_look:
            use_ascii(screen)

    def role_label(self, role: str) -> str:
        try:
            return self.rules.role(role).label
        except ClerkError:
            return role

    def may_open(self, counter: Counter) -> bool:
        """Whether the signed-in clerk's role may use a counter at all (authority.toml)."""
        if self.actor is None:
            return False
        if counter.permission is None:
            return True
        try:
            return self.rules.mode(self.actor.role, counter.permission) != DENY
        except ClerkError:
            return False

    def key_display_for(self, binding_id: str, default_key: str) -> str:
        """How a key is named on home and in help, honouring the site keymap (first key)."""
        key = self._keymap.get(binding_id, default_key).split(",")[0].strip()
        return self.long_key_display(key)

    def long_key_display(self, key: str) -> str:
        """A key as printed on the keyboard: "F2", "Ctrl+L", "Esc", "P"."""
        key = key.split(",")[0].strip()
        if key.startswith("ctrl+") and len(key) > 5:
            return "Ctrl+" + self.long_key_display(key[5:])
        if len(key) in (2, 3) and key[0] == "f" and key[1:].isdigit():
            return key.upper()
        if len(key) == 1:
            return key.upper()
        named = {"enter": "Enter", "escape": "Esc", "tab": "Tab", "shift+tab": "Shift+Tab",
                 "up": "Up", "down": "Down", "left": "Left", "right": "Right",
                 "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End",
                 "delete": "Del", "backspace": "Backspace", "space": "Space"}
        return named.get(key, key)

    def get_key_display(self, binding: Binding) -> str:
        """Footer keys, short so more fit in 80 columns: "F2", "^L", "Esc", "Enter" (ASCII
        only: the Linux console has no glyph for Textual's arrows and return symbol)."""
        if binding.key_display:
            return binding.key_display
        key = binding.key
        if key.startswith("ctrl+") and len(key) > 5:
            return "^" + self.long_key_display(key[5:])
        return self.long_key_display(key)

    def refresh_status(self) -> None:
        """Redraw the status bar on every screen in the stack (only when something changed)."""
        for screen in self.screen_stack:
            for bar in screen.query(StatusBar):
                bar.refresh()

    def refresh_drawer_state(self) -> None:
        """Ask the cashier domain for the clerk's drawer state, in a thread (no SQL on the UI
        thread); the status bar shows it when it arrives, "?" if the read fails."""
        actor = self.actor
        if actor is None:
            self.drawer_state = "—"
            self.refresh_status()
            return
        self.run_worker(lambda: self._read_drawer_state(actor), thread=True, group="status",
                        exclusive=True, exit_on_error=False)

    def _read_drawer_state(self, actor: Actor) -> None:
        try:
            state = self._drawer_state_fn(self.db, actor) or "—"
        except Exception:
            log.exception("drawer state")
            state = "?"
        self.call_from_thread(self._show_drawer_state, actor, state)

    def _show_drawer_state(self, actor: Actor, state: str) -> None:
        if self.actor is actor:  # still the same clerk's session
            self.drawer_state = state
            self.refresh_status()

    def _stack_work(self) -> list[CounterScreen]:
        return [s for s in self.screen_stack
                if isinstance(s, CounterScreen) and s.has_unsaved_work()]

    def _pop_to_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def open_counter(self, counter_id: str, *,
                     prepare: Callable[[Screen], object] | None = None) -> None:
        """Open a counter (F-key, letter, palette, Enter on home, a scan), if the role allows
        it. `prepare(screen)` runs on the new screen before it is shown (a scan uses it to
        fill in what was scanned)."""
        if self.actor is None or self.locked:
            return
        counter = get_counter(counter_id)
        if not self.may_open(counter):
            self.notify(f"A {self.role_label(self.actor.role)} may not use {counter.name}.",
                        severity="warning", markup=False)
            return
        current = self.screen
        if isinstance(current, CounterScreen) and current.counter.id == counter_id \
                and prepare is None:
            return

        def go() -> None:
            self._pop_to_home()
            screen = screen_for(counter)
            if prepare is not None:
                prepare(screen)
            self.push_screen(screen)

        if self._stack_work():
            names = ", ".join(s.counter.name for s in self._stack_work())
            self.confirm(f"Leave {names}? What you typed there is not saved and will be lost.",
                         lambda yes: go() if yes else None, yes="Leave")
        else:
            go()

    def action_open_counter(self, counter_id: str) -> None:
        self.open_counter(counter_id)

    def leave_screen(self, screen: Screen) -> None:
        """Esc on a counter: back, but never silently throw typed work away."""
        if screen is not self.screen:
            return
        unsaved = isinstance(screen, ClerkScreen) and screen.has_unsaved_work()
        if unsaved:
            self.confirm("Leave this screen? What you typed is not saved and will be lost.",
                         lambda yes: self.pop_screen() if yes else None, yes="Leave")
        else:
            self.pop_screen()

    def confirm(self, question: str, then: Callable[[bool], object], *, yes: str = "Yes",
                no: str = "Stay", default: bool = False) -> None:
        """Ask a yes/no question in a modal; `then(answer)` runs afterwards."""

        def done(answer: bool | None) -> None:
            then(bool(answer))

        self.push_screen(ConfirmScreen(question, yes=yes, no=no, default=default), done)

    # ---- session -----------------------------------------------------------------------
    def start_session(self, actor: Actor) -> None:
        """Signed in: home screen, status bar, idle timer."""
        self.actor = actor
        self.locked = False
        self.refresh_drawer_state()
        self.push_screen(HomeScreen())
        self._touch()
        self._arm_idle(self.idle_lock_seconds)

    def action_sign_out(self) -> None:
        """Ctrl+Q: sign out (asking first if work is unsaved or the terminal is locked)."""
        if self.actor is None:
            self.exit()
            return
        work = self._stack_work()
        if self.locked or work:
            who = visible(self.actor.full_name or self.actor.username)
            what = (f" Unsaved work on {', '.join(s.counter.name for s in work)} will be lost."
                    if work else " Anything not yet saved will be lost.")
            self.confirm(f"Sign out {who}?{what}",
                         lambda yes: self._end_session() if yes else None, yes="Sign out")
        else:
            self._end_session()

    def _end_session(self) -> None:
        actor = self.actor
        if actor is None:
            return
        self.workers.cancel_group(self, "override")
        self.actor = None
        self.locked = False
        self.drawer_state = "—"
        if self._idle_timer is not None:
            self._idle_timer.stop()
            self._idle_timer = None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.refresh_status()
        self._record_sign_out(actor)

    @work(thread=True, group="signout")
    def _record_sign_out(self, actor: Actor) -> None:
        """The audit row for sign-out; a busy database must not keep the clerk waiting."""
        try:
            auth.sign_out(self.db, actor)
        except Exception:
            log.exception("sign-out audit row for %s", actor.username)

    # ---- locking -----------------------------------------------------------------------
    def action_lock(self) -> None:
        """Ctrl+L: lock now (the clerk steps away); the screen beneath keeps its work."""
        self.lock("manual")

    def lock(self, reason: str = "manual") -> None:
        if self.actor is None or self.locked:
            return
        self.locked = True
        if self._idle_timer is not None:
            self._idle_timer.stop()
            self._idle_timer = None
        self.push_screen(LockScreen(reason="idle" if reason == "idle" else "manual"),
                         self._unlocked)

    def _unlocked(self, _result: None = None) -> None:
        self.locked = False
        self._touch()
        self._arm_idle(self.idle_lock_seconds)
        self.refresh_status()

    def _touch(self) -> None:
        self._last_input = time.monotonic()

    def _arm_idle(self, delay: float) -> None:
        """One timer for the whole session: it wakes once per timeout, never redraws."""
        if self._idle_timer is not None:
            self._idle_timer.stop()
        self._idle_timer = self.set_timer(max(delay, 0.01), self._idle_check, name="idle-lock")

    def _idle_check(self) -> None:
        self._idle_timer = None
        if self.actor is None or self.locked:
            return
        idle = time.monotonic() - self._last_input
        if idle >= self.idle_lock_seconds:
            self.lock("idle")
        else:
            self._arm_idle(self.idle_lock_seconds - idle)

    def get_driver_class(self) -> type[Driver]:
        """On a Linux terminal, input is read through `ClerkDriver`: a bracketed paste reaches
        the field in order, its control characters dropped (clerk_tui/widgets/inputs.py)."""
        from textual.drivers.linux_driver import LinuxDriver

        from clerk_tui.widgets.inputs import ClerkDriver

        driver = super().get_driver_class()
        return ClerkDriver if driver is LinuxDriver else driver

    async def on_event(self, event: Event) -> None:
        """Every key (or scanner paste) counts as activity for the idle lock; every key from
        the terminal passes the wedge assembler before any screen sees it."""
        if isinstance(event, Key | Paste):
            self._last_input = time.monotonic()
        if isinstance(event, Key) and not event.is_forwarded and self._wedge is not None:
            await self._feed_wedge(event)
            return
        if isinstance(event, Key) and not event.is_forwarded:
            await self._deliver_key(event)
            return
        await super().on_event(event)


    # ---- global actions ----------------------------------------------------------------
    def action_help(self) -> None:
        """F1: every key of the current screen, the counters and the global keys."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(keys_text(self, self.screen)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing but the PIN works on a locked terminal, and no counter before sign-in."""
        gated = action in ("command_palette", "open_counter", "lock", "help", "diagnostics",
                           "home_diagnostics")
        if gated and (self.actor is None or self.locked):
            return False
        if action == "diagnostics" and isinstance(self.screen, DiagnosticsScreen):
            return False
        return not (action == "home_diagnostics" and not isinstance(self.screen, HomeScreen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Command palette: every counter the clerk may use, plus help, lock, sign out."""
        if self.actor is None or self.locked:
            return
        for c in COUNTERS:
            if self.may_open(c):
                key = self.key_display_for(c.binding_id, c.key)
                yield SystemCommand(c.name, f"{key}: {c.summary}",
                                    lambda cid=c.id: self.open_counter(cid))
        yield SystemCommand("Diagnostics", "F10: printer, drawer and scanner; test page, "
                            "last scans in hex", self.action_diagnostics)
        yield SystemCommand("Help / keys", "F1: every key on this screen", self.action_help)
        yield SystemCommand("Lock terminal", "Ctrl+L: lock until your PIN",
                            self.action_lock)
        yield SystemCommand("Sign out", "Ctrl+Q: end this clerk's session",
                            self.action_sign_out)


    def on_mount(self) -> None:
        """A serial scanner's reader thread starts with the app (a wedge needs nothing)."""
        self.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
        if not gc.isenabled():  # `clerk-tui` paused the collector for start-up (cli.main)
            self.screen.call_after_refresh(resume_gc)
        try:
            self.station.devices.start_serial_scanner(self._serial_scan, self._serial_error)
        except Exception as e:  # a scanner must never stop the counter from starting
            log.exception("serial scanner")
            self.notify(f"Scanner not started: {e}", severity="warning", markup=False)

    def on_unmount(self) -> None:
        """Stop the scanner thread and close the ports when the app ends."""
        self.station.close()




    def action_home_diagnostics(self) -> None:
        self.action_diagnostics()

    def action_diagnostics(self) -> None:
        """F10 (G on home): devices, status, test page, drawer kick, last scans in hex."""
        if isinstance(self.screen, DiagnosticsScreen):
            return
        self.push_screen(DiagnosticsScreen())

    # ---- supervisor override -----------------------------------------------------------
    async def with_override(self, fn: Callable[..., T], what: str = "") -> T | None:
        """`fn(override=None)` in a thread, and again with a supervisor's approval when the
        domain asks for one; None if the clerk cancels. Await it inside a worker."""
        return await self.session.with_override(fn, what)

    def run_with_override(self, fn: Callable[..., T], what: str,
                          on_done: Callable[[T | None], object], *,
                          on_error: Callable[[ClerkError], object] | None = None
                          ) -> Worker[None] | None:
        """`Session.run` under its old name: `fn(override=…)` in a thread, the override retry,
        `on_done(result)` on the UI thread (None when the supervisor step was cancelled)."""
        return self.session.run(fn, what=what, on_done=on_done, on_error=on_error)



def resume_gc() -> None:
    """After start-up: one collection (start-up's own garbage), then everything still alive
    moves to the permanent generation (`gc.freeze`) so later collections never walk the
    long-lived start-up objects again, and the collector is back on."""
    gc.collect()
    gc.freeze()
    gc.enable()


def css_path() -> Path:
    return Path(__file__).with_name("app.tcss")


def run_app(db: Database, *, workstation: str, sandbox: bool,
            config: object | None = None) -> None:
    """Run the counter in this terminal until the clerk quits from the sign-in screen.

    Without a configuration file a production counter has no devices (every print fails
    with a plain "no printer is configured", so the clerk knows to reprint), never the
    simulated ones the sandbox and tests use: a receipt "printed" to a simulator is a lost one.
    """
    if config is None and not sandbox:
        config = Config("(no configuration file)", {})
    # PINs are checked in a short-lived child process: scrypt's 16 MiB must not set the
    # session's peak memory for the rest of the day (issue 12).
    was = auth.scrypt_in_child_process(True)
    try:
        app = ClerkApp(db, workstation=workstation, sandbox=sandbox, config=config)
        try:
            app.run(mouse=False)
        finally:
            app.station.close()
    finally:
        auth.scrypt_in_child_process(was)
