"""The Textual application: sign-in, home, counters, lock, override, help.

Built for clerks on thin terminals over SSH at 80x24: keyboard only (mouse reporting off), no
blinking cursor and no clock, so an idle session sends nothing; 16-colour terminals get an ANSI
theme and the Linux console gets ASCII borders; every key has a binding id so a site can remap
it (`keymap` in the workstation config). Screens call domain functions; this module holds the
session (who is signed in, locked or not) and the rules for moving between screens without
throwing typed work away.

It also owns the workstation's devices (`self.station`, see clerk_tui/station.py): printing
through the clerk's own terminal goes out through Textual's writer, in order with screen
updates; every key passes the keyboard-wedge assembler first, so a barcode scan becomes one
`ScanReceived` message (never keys) and is routed by what it means (clerk_tui/scanning.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.events import Event, Key, Paste
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker

from clerk_tui.config import Config
from clerk_tui.counters import load_builtin
from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import DENY, Authority
from clerk_tui.domain.authority import authority as load_rules
from clerk_tui.domain.errors import ClerkError, ValidationError
from clerk_tui.domain.scanlines import parse_scan
from clerk_tui.domain.text import visible
from clerk_tui.hardware.drawer import DrawerResult
from clerk_tui.hardware.scanner import KeyEvent as WedgeKey
from clerk_tui.hardware.scanner import ScanEvent, WedgeAssembler
from clerk_tui.hardware.transports import DeviceError
from clerk_tui.scanning import (
    ScanLog,
    ScannerProblem,
    ScanReceived,
    scan_handler,
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
from clerk_tui.station import Station, StationResult
from clerk_tui.widgets.ascii_look import use_ascii
from clerk_tui.widgets.statusbar import StatusBar
from clerk_tui.workstation import ssh_client_address

log = logging.getLogger(__name__)

T = TypeVar("T")

DrawerStateFn = Callable[[Database, Actor], str | None]

TERMINAL_PRINT_TIMEOUT = 10.0
"""Seconds a worker waits for the UI thread to hand a `terminal:` print job to the writer."""

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


class ClerkApp(App[None], inherit_bindings=False):
    """One clerk session on one workstation."""

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
        self._key_queue: deque[Key] = deque()
        self._key_wait = False
        self._key_task: asyncio.Task[None] | None = None
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
        """Ask the cashier domain for the clerk's drawer state; a failure shows "?"."""
        if self.actor is None:
            self.drawer_state = "—"
        else:
            try:
                self.drawer_state = self._drawer_state_fn(self.db, self.actor) or "—"
            except Exception:
                log.exception("drawer state")
                self.drawer_state = "?"
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

    async def _deliver_key(self, event: Key) -> None:
        """Type-ahead: typed keys reach the screens one at a time, each after the last one's
        effect has landed.

        Textual hands a key to the focused widget's own queue and goes on to the next key at
        once, while the effect of the first (a binding that opens another screen, an Enter
        that moves focus to the next field) lands later. A clerk who types ahead — or an SSH
        connection that delivers "F3 Enter 130 Enter" in one read — would lose keys or put them
        in the wrong field. So keys queue here. A printable key typed into a focused field goes
        straight through; any other key (Enter, Tab, F-keys, shortcuts) holds the queue until
        the app is idle again, and nothing is delivered to a screen that is still starting
        (`ClerkScreen.settled`).
        """
        self._key_queue.append(event)
        await self._pump_keys()

    def _keys_blocked(self) -> bool:
        screen = self.screen
        return isinstance(screen, ClerkScreen) and not screen.settled

    async def _pump_keys(self) -> None:
        while self._key_queue and not self._key_wait and not self._keys_blocked():
            key = self._key_queue.popleft()
            focused = self.focused
            typing = (isinstance(focused, Input) and key.is_printable
                      and key.character is not None)
            await super().on_event(key)
            if not typing:
                self._key_wait = True
                self._key_task = asyncio.get_running_loop().create_task(
                    self._keys_after_idle())
                return

    async def _keys_after_idle(self) -> None:
        try:
            await _until_idle(0.5)
        finally:
            self._key_wait = False
        if self._key_queue and self.is_running:
            self.call_later(self._pump_keys)

    def resume_keys(self) -> None:
        """A screen that was starting has settled: deliver the keys typed meanwhile."""
        if self._key_queue:
            self.call_later(self._pump_keys)

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

    # ---- devices: building, printing through the terminal, closing -------------------------
    def _build_station(self) -> Station:
        """The workstation's devices from the config file (sim in the sandbox, always).

        A dict config (tests, or no file) has no device sections: simulated devices, as
        Station.build gives for no configuration. Nothing is opened until first use.
        """
        config = self.config if isinstance(self.config, Config) else None
        return Station.build(self.workstation, config, sandbox=self.sandbox,
                             ssh_address=self.ssh_address, terminal_sink=self._terminal_sink)

    def _build_wedge(self) -> WedgeAssembler | None:
        """The keyboard-wedge assembler, or None for a serial scanner.

        Burst timing is only a fallback for local terminals: over SSH the network batches
        keys, so typed-ahead text would look like a scan. It is used only when a config file
        asks for it (`timing = true`, the file's default) and the session is not over SSH;
        without a file only the prefix (default Ctrl+^) marks a scan.
        """
        wedge = self.station.devices.wedge
        if wedge is None:
            return None
        timing = (isinstance(self.config, Config) and wedge.use_timing
                  and self.ssh_address is None)
        self.wedge_timing = bool(timing)
        return WedgeAssembler(prefix=wedge.prefix, suffixes=wedge.suffixes,
                              max_gap=wedge.max_gap, min_length=wedge.min_length,
                              use_timing=self.wedge_timing)

    def _terminal_sink(self, block: str) -> None:
        """`terminal:` printing: hand the ESC[5i…ESC[4i block to Textual's own writer.

        Called from worker threads, so it is marshalled onto the UI thread: there the block
        goes out as one write between screen updates, never inside one (a second writer on
        the tty could split an escape sequence and print screen garbage)."""
        loop = self._loop
        if self._driver is None or loop is None:
            raise DeviceError("The terminal is not ready to print (the app is not running)")
        if threading.get_ident() == self._thread_id:
            self._write_to_terminal(block)
            return
        # Not call_from_thread: it waits forever, and a worker printing while the app shuts
        # down must get an answer, not hang.
        done: Future[None] = Future()

        def write() -> None:
            try:
                self._write_to_terminal(block)
            except BaseException as e:  # handed back to the worker that asked
                done.set_exception(e)
            else:
                done.set_result(None)

        try:
            loop.call_soon_threadsafe(write)
            done.result(timeout=TERMINAL_PRINT_TIMEOUT)
        except RuntimeError as e:  # the loop has closed
            raise DeviceError("The terminal is not ready to print (the app is closing)") from e
        except FutureTimeout as e:
            raise DeviceError("The terminal did not take the print job in time") from e

    def _write_to_terminal(self, block: str) -> None:
        driver = self._driver
        if driver is None:
            raise DeviceError("The terminal is not ready to print (the app is not running)")
        driver.write(block)
        driver.flush()

    def on_mount(self) -> None:
        """A serial scanner's reader thread starts with the app (a wedge needs nothing)."""
        self.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
        try:
            self.station.devices.start_serial_scanner(self._serial_scan, self._serial_error)
        except Exception as e:  # a scanner must never stop the counter from starting
            log.exception("serial scanner")
            self.notify(f"Scanner not started: {e}", severity="warning", markup=False)

    def on_unmount(self) -> None:
        """Stop the scanner thread and close the ports when the app ends."""
        self.station.close()

    # ---- keyboard-wedge scanner --------------------------------------------------------
    async def _feed_wedge(self, event: Key) -> None:
        assert self._wedge is not None
        self._wedge_held[(event.key, event.time)] = event
        await self._wedge_results(self._wedge.feed(event.key, event.time, event.character))

    async def _wedge_results(self, results: list[WedgeKey | ScanEvent]) -> None:
        """Pass typed keys on (the original events, in order); turn scans into messages."""
        assert self._wedge is not None
        for item in results:
            if isinstance(item, WedgeKey):
                key = self._wedge_held.pop((item.key, item.t), None) or Key(item.key,
                                                                           item.character)
                await self._deliver_key(key)
            else:
                burst = list(self._wedge_held.values())
                self._wedge_held.clear()
                await self._wedge_scan(item, burst)
        if not self._wedge.in_scan and self._wedge.deadline() is None:
            self._wedge_held.clear()  # keys swallowed into a finished scan
        self._arm_wedge_timer()

    def _arm_wedge_timer(self) -> None:
        """Held keys (timing mode) and an unfinished prefixed scan need a wake-up call."""
        if self._wedge_timer is not None:
            self._wedge_timer.stop()
            self._wedge_timer = None
        deadline = self._wedge.deadline() if self._wedge is not None else None
        if deadline is not None:
            delay = max(deadline - time.monotonic(), 0.001)
            self._wedge_timer = self.set_timer(delay, self._wedge_poll, name="wedge")

    async def _wedge_poll(self) -> None:
        self._wedge_timer = None
        if self._wedge is not None:
            await self._wedge_results(self._wedge.poll(time.monotonic()))

    async def _wedge_scan(self, scan: ScanEvent, burst: list[Key]) -> None:
        """A prefixed scan is always a scan. A burst found by timing is only a guess: when it
        is not a code we know, or nobody may scan now, the keys go on as typed."""
        if scan.via == "timing" and not self._timing_scan_wanted(scan.data):
            for key in burst:
                await self._deliver_key(key)
            return
        self.post_message(ScanReceived(scan.data, scan.raw.encode("latin-1", "replace"),
                                       via=scan.via, symbology=scan.symbology))

    def _timing_scan_wanted(self, data: str) -> bool:
        if isinstance(self.screen, DiagnosticsScreen):
            return True
        if self.actor is None or self.locked or isinstance(self.screen, ModalScreen):
            return False
        try:
            parse_scan(data)
        except ClerkError:
            return False
        return True

    # ---- serial scanner ----------------------------------------------------------------
    def _serial_scan(self, text: str) -> None:
        """Reader thread: one CR/LF frame. post_message is thread-safe."""
        scanner = self.station.devices.scanner
        raw = scanner.last_raw[-1] if scanner is not None and scanner.last_raw else \
            text.encode("latin-1", "replace")
        self.post_message(ScanReceived(text, bytes(raw), via="serial"))

    def _serial_error(self, text: str) -> None:
        self.post_message(ScannerProblem(text))

    def on_scanner_problem(self, message: ScannerProblem) -> None:
        self.notify(message.text, severity="warning", markup=False)

    # ---- what a scan does ----------------------------------------------------------------
    def on_scan_received(self, message: ScanReceived) -> None:
        """Route a scan by what it means; a bad or untimely scan beeps and changes nothing."""
        record = self.scan_log.add(message)
        screen = self.screen
        if isinstance(screen, DiagnosticsScreen):
            try:
                record.outcome = parse_scan(message.data).display
            except ClerkError as e:
                record.outcome = f"not recognised: {e}"
            screen.show_scans()
            return
        if self.actor is None or self.locked:
            record.outcome = "ignored (not signed in)" if self.actor is None else \
                "ignored (locked)"
            self.notify("Scan ignored: sign in first." if self.actor is None else
                        "Scan ignored: the terminal is locked.", severity="warning",
                        markup=False)
            return
        if isinstance(screen, ModalScreen):
            record.outcome = "ignored (dialog open)"
            self._refuse_scan("Scan ignored: finish or close the open dialog first.")
            return
        try:
            result = parse_scan(message.data)
        except ValidationError as e:
            record.outcome = f"refused: {e}"
            self._refuse_scan(str(e))
            return
        handler = scan_handler(result.kind)
        if handler is None:
            record.outcome = f"{result.kind}: no counter handles it"
            self._refuse_scan(f"Scanned {result.display}, but no counter here handles "
                              f"{result.kind.replace('_', ' ')} scans yet.")
            return
        record.outcome = result.display
        handler(self, result)

    def _refuse_scan(self, message: str) -> None:
        self.bell()
        self.notify(message, title="Scan", severity="error", markup=False)

    # ---- drawer and printer results ----------------------------------------------------
    def report_station_result(self, result: StationResult, duplicate: bool = False) -> None:
        """What the devices said after a payment or reprint (UI thread): the till state in the
        status bar, a warning when a cash sale ended with a drawer that never opened, an
        error when the receipt did not print (it can be reprinted)."""
        drawer = result.drawer
        if drawer is not None:
            self.note_drawer_result(drawer)
        for message in result.messages:
            is_drawer = drawer is not None and not drawer.ok and \
                message.startswith(drawer.message)
            if is_drawer:
                self.notify(f"Receipt {result.receipt_number}: the cash drawer never opened. "
                            f"{message}", title="Cash drawer", severity="warning",
                            markup=False, timeout=15)
            else:
                self.notify(message, title="Receipt printer", severity="error", markup=False,
                            timeout=15)

    def note_drawer_result(self, result: DrawerResult) -> None:
        """After a kick: "open" (confirmed), "shut" (never opened), "?" (cannot tell)."""
        self.note_drawer_state(result.opened)
        if result.opened is True:
            self._watch_till()

    def note_drawer_state(self, opened: bool | None) -> None:
        state = {True: "open", False: "shut"}.get(opened, "?")  # type: ignore[arg-type]
        if state != self.till_state:
            self.till_state = state
            self.refresh_status()

    def _watch_till(self) -> None:
        """While the drawer is known open, ask the printer now and then until it is shut, so
        the status bar shows the clerk closed it. Device traffic only: nothing is redrawn
        (or sent over SSH) until the state changes."""
        drawer = self.station.devices.drawer
        if drawer is None or not drawer.can_confirm or self._till_timer is not None:
            return
        self._till_timer = self.set_interval(1.5, self._poll_till, name="till")

    def _poll_till(self) -> None:
        self.run_worker(self._till_state_worker, thread=True, exclusive=True, group="till")

    def _till_state_worker(self) -> None:
        drawer = self.station.devices.drawer
        state = drawer.state() if drawer is not None else None
        self.call_from_thread(self._till_polled, state)

    def _till_polled(self, state: bool | None) -> None:
        self.note_drawer_state(state)
        if state is not True and self._till_timer is not None:
            self._till_timer.stop()
            self._till_timer = None

    def record_drawer_kick(self, result: DrawerResult, *, reason: str) -> None:
        """A drawer opened outside a sale is audited (a "no sale" is how cash walks)."""
        from clerk_tui.domain.device_log import record_drawer_opened

        self.note_drawer_result(result)
        if self.actor is not None:
            record_drawer_opened(self.db, self.actor, reason=reason, result=result.message)

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


async def _until_idle(limit: float) -> None:
    """Wait until this process stops working (CPU time stalls against wall time) — the same
    test Textual's Pilot uses between keys — or `limit` seconds, whichever is first."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        cpu = time.process_time()
        await asyncio.sleep(0.01)
        if time.process_time() - cpu < 0.001:
            return


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
    app = ClerkApp(db, workstation=workstation, sandbox=sandbox, config=config)
    try:
        app.run(mouse=False)
    finally:
        app.station.close()
