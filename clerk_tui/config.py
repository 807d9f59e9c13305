"""Workstation configuration: which printer, drawer and scanner belong to which terminal.

One TOML file for the whole office (`--config`, default `workstations.toml` in the user's config
dir; see data/workstations.example.toml and docs/hardware.md). Each `[workstation.NAME]`
section names its devices with pyserial URLs (or `terminal:`, `sim:`, `none`); a session picks
its section by workstation name, or by the SSH client address listed in `match`. `[default]`
covers terminals nobody listed.

A mistake in the file is refused at start-up with the file, the line and what is wrong: a
counter that silently prints to nowhere is worse than one that will not start.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clerk_tui.domain.errors import ValidationError
from clerk_tui.hardware.scanner import DEFAULT_PREFIX, SUFFIXES
from clerk_tui.hardware.transports import SerialSettings

_SERIAL_SCHEMES = ("socket://", "rfc2217://", "loop://", "spy://", "alt://", "hwgrep://",
                   "cp2110://")
_SUFFIX_NAMES = {"any": SUFFIXES, "enter": ("\r",), "cr": ("\r",), "crlf": ("\r",),
                 "ctrl+j": ("\n",), "lf": ("\n",), "tab": ("\t",), "none": ()}


@dataclass(frozen=True)
class PrinterConfig:
    url: str = "none"
    serial: SerialSettings = field(default_factory=SerialSettings)
    columns: int = 42
    status: bool = True  # ask DLE EOT status before/after printing


@dataclass(frozen=True)
class DrawerConfig:
    url: str = "printer"  # "printer" = kicked by the receipt printer; or a URL; or "none"
    serial: SerialSettings = field(default_factory=SerialSettings)
    pin: int = 2
    pulse_ms: int = 50  # ESC p 0 25 250: 50 ms on, 500 ms off
    open_level: str = "high"  # level of kick-connector pin 3 that means "open"
    command: bytes | None = None  # what a serial drawer of its own opens on


@dataclass(frozen=True)
class ScannerConfig:
    mode: str = "wedge"  # wedge | serial
    url: str = ""  # serial mode only
    serial: SerialSettings = field(default_factory=SerialSettings)
    prefix: str = DEFAULT_PREFIX
    suffixes: tuple[str, ...] = SUFFIXES
    max_gap_ms: int = 35
    min_length: int = 4
    timing: bool = True


@dataclass(frozen=True)
class WorkstationConfig:
    name: str
    match: tuple[str, ...] = ()
    description: str = ""
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    drawer: DrawerConfig = field(default_factory=DrawerConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    source: str = ""  # "file:line" of the section, for the diagnostics screen

    def matches_address(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return address in self.match
        for m in self.match:
            try:
                if ip in ipaddress.ip_network(m, strict=False):
                    return True
            except ValueError:
                continue
        return False


def sim_workstation(name: str = "sandbox", *,
                    drawer_autoclose: float | None = None) -> WorkstationConfig:
    """Simulated printer, drawer and wedge scanner: the sandbox and tests.

    `drawer_autoclose`: seconds after which the simulated drawer shuts itself (the sandbox's
    trainee has no till to push shut); None keeps it open until a test closes it."""
    url = f"sim:{name}" if drawer_autoclose is None else \
        f"sim:{name}?autoclose={drawer_autoclose:g}"
    return WorkstationConfig(name=name, printer=PrinterConfig(url=url),
                             drawer=DrawerConfig(url="printer"), source="sandbox")


@dataclass(frozen=True)
class Config:
    path: str
    workstations: dict[str, WorkstationConfig]
    default: WorkstationConfig | None = None
    # [ui]: read by the app (clerk_tui/app.py) when present; None/empty = decide from TERM.
    theme: str | None = None
    ascii_borders: bool | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> key(s), e.g. {"counter.payments": "f12", "app.lock": "ctrl+l,f12"}."""
    site_secret: str | None = None
    """[site] secret: the site secret file (site_secret.py); None = `<database>.secret`."""

    def for_workstation(self, name: str, ssh_address: str | None = None) -> WorkstationConfig:
        """Section by exact name, then by SSH client address in `match`, then `[default]`;
        else a workstation with no devices (every job fails with a plain message)."""
        if name in self.workstations:
            return self.workstations[name]
        for candidate in (ssh_address, name):
            if not candidate:
                continue
            for ws in self.workstations.values():
                if ws.matches_address(candidate):
                    return ws
        if self.default is not None:
            return WorkstationConfig(**{**self.default.__dict__, "name": name})
        return WorkstationConfig(name=name, drawer=DrawerConfig(url="none"), source="(none)")


# -- loading ----------------------------------------------------------------------------------
def load_config(path: str | Path) -> Config:
    """Read and check a configuration file; ValidationError names file, line and problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ValidationError(f"{p}: configuration file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{p}: cannot read configuration ({exc})") from exc
    return parse_config(text, str(p))


def parse_config(text: str, path: str = "<config>") -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        where = f"line {m.group(1)}" if m else "?"
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise ValidationError(f"{path}, {where}: {problem}") from exc
    return _Checker(text, path).config(data)


class _Checker:
    """Walks the parsed TOML, building dataclasses and raising with line numbers."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = _key_lines(text)

    def fail(self, where: tuple[str, ...], problem: str) -> ValidationError:
        line = self.lines.get(where)
        probe = where
        while line is None and probe:
            probe = probe[:-1]
            line = self.lines.get(probe)
        at = f"line {line}" if line else "?"
        return ValidationError(f"{self.path}, {at}: {problem}")

    def config(self, data: dict[str, Any]) -> Config:
        self.known(data, (), {"workstation", "default", "ui", "site"})
        stations: dict[str, WorkstationConfig] = {}
        raw = data.get("workstation", {})
        if not isinstance(raw, dict):
            raise self.fail(("workstation",), "[workstation] must be a table of workstations")
        for name, section in raw.items():
            stations[name] = self.workstation(("workstation", name), name, section)
        default = None
        if "default" in data:
            default = self.workstation(("default",), "default", data["default"])
        ui = self.table(("ui",), data.get("ui", {}))
        self.known(ui, ("ui",), {"theme", "ascii_borders", "keymap"})
        theme = self.get(ui, ("ui",), "theme", str, None)
        if theme is not None and not _THEME.fullmatch(theme):
            raise self.fail(("ui", "theme"), f"theme {theme!r} is not a theme name "
                            "(e.g. \"ansi-dark\", \"textual-dark\")")
        return Config(self.path, stations, default, theme=theme,
                      ascii_borders=self.get(ui, ("ui",), "ascii_borders", bool, None),
                      keymap=self.keymap(ui.get("keymap", {})),
                      site_secret=self.site_secret(data.get("site", {})))

    def site_secret(self, value: Any) -> str | None:
        """`[site] secret = "/etc/clerk-tui/site.secret"`; relative to the config's folder."""
        site = self.table(("site",), value)
        self.known(site, ("site",), {"secret"})
        path = self.get(site, ("site",), "secret", str, None)
        if path is None:
            return None
        if not path.strip():
            raise self.fail(("site", "secret"), "site.secret must be a file path")
        p = Path(path).expanduser()
        if not p.is_absolute() and self.path not in ("<config>", ""):
            p = Path(self.path).parent / p
        return str(p)

    def keymap(self, value: Any) -> dict[str, str]:
        """`[ui.keymap]`: "binding.id" = "key" (several keys: "f12,ctrl+y"). A typo here would
        leave a clerk without a key, so each id and key is checked."""
        where = ("ui", "keymap")
        table = self.table(where, value)
        out: dict[str, str] = {}
        for binding_id, keys in table.items():
            at = (*where, binding_id)
            if not _BINDING_ID.fullmatch(binding_id):
                raise self.fail(at, f"{binding_id!r} is not a key binding id (like "
                                "\"counter.payments\" or \"app.lock\"; F1 shows them)")
            if not isinstance(keys, str) or not keys.strip():
                raise self.fail(at, f"keymap {binding_id!r} must be a key name like \"f12\"")
            for key in keys.split(","):
                if not _KEY_NAME.fullmatch(key.strip()):
                    raise self.fail(at, f"keymap {binding_id!r}: {key.strip()!r} is not a key "
                                    "(use names like \"f12\", \"ctrl+y\", \"x\", \"pagedown\")")
            out[binding_id] = ",".join(k.strip() for k in keys.split(","))
        return out

    def known(self, table: dict[str, Any], where: tuple[str, ...], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                shown = ".".join((*where, key))
                raise self.fail((*where, key), f"unknown setting {shown!r} "
                                f"(expected one of: {', '.join(sorted(allowed))})")

    def get(self, table: dict[str, Any], where: tuple[str, ...], key: str, kind: type | tuple,
            default: Any, choices: Any = None) -> Any:
        if key not in table:
            return default
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            value = None
        if value is None or not isinstance(value, kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self.fail((*where, key), f"{'.'.join((*where, key))} must be {names}, "
                            f"not {table[key]!r}")
        if choices is not None and value not in choices:
            raise self.fail((*where, key), f"{'.'.join((*where, key))} = {value!r} is not "
                            f"allowed (use {', '.join(map(repr, choices))})")
        return value

    def workstation(self, where: tuple[str, ...], name: str, section: Any) -> WorkstationConfig:
        if not isinstance(section, dict):
            raise self.fail(where, f"{'.'.join(where)} must be a table")
        self.known(section, where, {"match", "description", "printer", "drawer", "scanner"})
        match = self.get(section, where, "match", list, [])
        for i, m in enumerate(match):
            if not isinstance(m, str) or not m:
                raise self.fail((*where, "match"), f"match entry {i + 1} must be an address or name")
        return WorkstationConfig(
            name=name, match=tuple(match),
            description=self.get(section, where, "description", str, ""),
            printer=self.printer((*where, "printer"), section.get("printer", {})),
            drawer=self.drawer((*where, "drawer"), section.get("drawer", {})),
            scanner=self.scanner((*where, "scanner"), section.get("scanner", {})),
            source=f"{self.path}:{self.lines.get(where, '?')}",
        )

    def table(self, where: tuple[str, ...], value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"{'.'.join(where)} must be a table")
        return value

    def serial(self, t: dict[str, Any], where: tuple[str, ...]) -> SerialSettings:
        d = SerialSettings()
        baud = self.get(t, where, "baudrate", int, d.baudrate)
        if not 50 <= baud <= 4_000_000:
            raise self.fail((*where, "baudrate"), f"baudrate {baud} is not a serial speed")
        return SerialSettings(
            baudrate=baud,
            bytesize=self.get(t, where, "bytesize", int, d.bytesize, (5, 6, 7, 8)),
            parity=self.get(t, where, "parity", str, d.parity, ("N", "E", "O", "M", "S")),
            stopbits=self.get(t, where, "stopbits", (int, float), d.stopbits, (1, 1.5, 2)),
            flow=self.get(t, where, "flow", str, d.flow, ("none", "rtscts", "dsrdtr", "xonxoff")),
        )

    def url(self, t: dict[str, Any], where: tuple[str, ...], default: str,
            extra: tuple[str, ...] = ()) -> str:
        url = self.get(t, where, "url", str, default).strip()
        ok = (url in ("", "none", *extra) or url.startswith(("sim:", "terminal:", "/dev/"))
              or re.fullmatch(r"COM[0-9]+", url) is not None)
        if url.startswith(_SERIAL_SCHEMES):
            ok = True
            if url.startswith(("socket://", "rfc2217://")) and \
                    not re.match(r"^[a-z0-9]+://[^:/?]+:[0-9]{1,5}([/?].*)?$", url):
                raise self.fail((*where, "url"), f"{url!r} needs host:port (e.g. socket://10.0.0.5:9100)")
        if not ok:
            raise self.fail((*where, "url"), f"{url!r} is not a device URL (use /dev/ttyUSB0, "
                            "socket://host:port, rfc2217://host:port, terminal:, sim: or none)")
        return url

    def printer(self, where: tuple[str, ...], value: Any) -> PrinterConfig:
        t = self.table(where, value)
        self.known(t, where, {"url", "baudrate", "bytesize", "parity", "stopbits", "flow",
                              "columns", "status"})
        columns = self.get(t, where, "columns", int, 42)
        if not 20 <= columns <= 80:
            raise self.fail((*where, "columns"), "columns must be between 20 and 80")
        return PrinterConfig(url=self.url(t, where, "none"), serial=self.serial(t, where),
                             columns=columns, status=self.get(t, where, "status", bool, True))

    def drawer(self, where: tuple[str, ...], value: Any) -> DrawerConfig:
        t = self.table(where, value)
        self.known(t, where, {"url", "baudrate", "bytesize", "parity", "stopbits", "flow",
                              "pin", "pulse_ms", "open_level", "command"})
        pulse = self.get(t, where, "pulse_ms", int, 50)
        if not 10 <= pulse <= 510:
            raise self.fail((*where, "pulse_ms"), "pulse_ms must be between 10 and 510")
        command = self.get(t, where, "command", str, None)
        if command is not None:
            try:
                command_bytes = command.encode("latin-1")
            except UnicodeEncodeError as exc:
                raise self.fail((*where, "command"), "command must be bytes written as \\u00XX") from exc
        return DrawerConfig(
            url=self.url(t, where, "printer", ("printer",)), serial=self.serial(t, where),
            pin=self.get(t, where, "pin", int, 2, (2, 5)), pulse_ms=pulse,
            open_level=self.get(t, where, "open_level", str, "high", ("high", "low")),
            command=command_bytes if command is not None else None,
        )

    def scanner(self, where: tuple[str, ...], value: Any) -> ScannerConfig:
        t = self.table(where, value)
        self.known(t, where, {"mode", "url", "baudrate", "bytesize", "parity", "stopbits", "flow",
                              "prefix", "suffix", "max_gap_ms", "min_length", "timing"})
        mode = self.get(t, where, "mode", str, "wedge", ("wedge", "serial"))
        url = self.url(t, where, "")
        if mode == "serial" and url in ("", "none"):
            raise self.fail((*where, "mode"), "a serial scanner needs url = \"/dev/ttyACM0\" (or similar)")
        prefix = self.get(t, where, "prefix", str, DEFAULT_PREFIX)
        if len(prefix) > 1:
            raise self.fail((*where, "prefix"), "prefix must be one character (e.g. \"\\u001e\" for Ctrl+^)")
        if prefix and prefix in SUFFIXES:
            raise self.fail((*where, "prefix"), "prefix cannot be Enter, Ctrl+J or Tab")
        suffix = self.get(t, where, "suffix", str, "any", tuple(_SUFFIX_NAMES))
        gap = self.get(t, where, "max_gap_ms", int, 35)
        if not 5 <= gap <= 500:
            raise self.fail((*where, "max_gap_ms"), "max_gap_ms must be between 5 and 500")
        min_length = self.get(t, where, "min_length", int, 4)
        if not 2 <= min_length <= 64:
            raise self.fail((*where, "min_length"), "min_length must be between 2 and 64")
        return ScannerConfig(mode=mode, url=url, serial=self.serial(t, where), prefix=prefix,
                             suffixes=_SUFFIX_NAMES[suffix], max_gap_ms=gap, min_length=min_length,
                             timing=self.get(t, where, "timing", bool, True))


_THEME = re.compile(r"[a-z0-9][a-z0-9_-]{0,40}")
_BINDING_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_NAMED_KEYS = (
    "enter|escape|tab|backspace|delete|insert|home|end|pageup|pagedown|up|down|left|right|"
    "space|minus|plus|slash|backslash|comma|full_stop|semicolon|colon|apostrophe|"
    "quotation_mark|left_square_bracket|right_square_bracket|grave_accent|tilde|at|"
    "number_sign|dollar_sign|percent_sign|circumflex_accent|ampersand|asterisk|"
    "left_parenthesis|right_parenthesis|underscore|equals_sign|exclamation_mark|"
    "question_mark|less_than_sign|greater_than_sign|vertical_line|left_curly_bracket|"
    "right_curly_bracket"
)
_KEY_NAME = re.compile(r"(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*"
                       rf"(?:f(?:[1-9]|1[0-9]|2[0-4])|{_NAMED_KEYS}|[a-z0-9]|[!-~])")
"""A key as Textual names it (lower case): "f12", "ctrl+l", "x", "pagedown", "shift+tab"."""

_HEADER = re.compile(r"^\s*\[(?!\[)\s*(.+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")
_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)")


def _split_dotted(name: str) -> tuple[str, ...]:
    return tuple(a or b or c for a, b, c in _PART.findall(name))


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Line number of every table header and key, so errors can point at them (tomllib only
    reports lines for syntax errors)."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for n, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m:
            table = _split_dotted(m.group(1))
            lines.setdefault(table, n)
            continue
        m = _KEY.match(line)
        if m:
            lines.setdefault((*table, *_split_dotted(m.group(1))), n)
    return lines
