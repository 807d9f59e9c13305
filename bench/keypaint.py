"""Keystroke to results painted: the real `clerk-tui --sandbox` in a pseudo-terminal (TERM=xterm,
80x24) on the 1M-account bench database, signed in, on the Lookup screen (F2), typing surnames
and account numbers one key at a time; against bench/echo_app.py (an Input and a DataTable
that echoes each key into the table in the key's own handler) typed the same keys in the same
run. Also the bytes each keystroke writes to the terminal.

How it is timed. A thread reads the pty's master side as fast as it arrives and timestamps
each read; a small terminal model (cursor moves, text, erase: what Textual writes) keeps the
80x24 screen. The harness answers Textual's query for synchronized output (DECRQM 2026), so
every frame arrives between `ESC[?2026h` and `ESC[?2026l` and the screen is judged only
between frames, never half drawn.

"Painted" means: the end of the first frame, after the key was written, at which the screen
shows (a) the typed text in the search box and (b) the lookup's answer for that text, as
`clerk_tui.domain.search.search_accounts` gives it in this process on the same database: the
message line says "<n> match" (n = rows found, 50 at most) and the first row shows the first
hit's account number; for no hits, the message shows the hint or "Nothing found". For the
baseline: the box shows the text and the table's row is `=<text>=`. The time is from just
before the key is written to the read that completed that frame. A key whose answer is the
same as the previous key's (e.g. "smith" after "smit") is painted once the box shows it; the
"changed" rows count only keys whose answer differs from the previous key's.

Bytes: everything the program wrote to the terminal from the key to the painted frame, and
until it fell quiet (no output for QUIET seconds, or 0.5 s), which also counts a frame drawn
after the answer (a scrollbar, a cursor). Keys are typed one at a time: the next key is
written when the screen has been quiet for QUIET seconds after the last painted answer.

Each word is typed from an empty box (Ctrl+U clears it; the clear is not timed). The words
are drawn from the database with a fixed seed. `--rounds` launches of each program,
alternating, all keys typed `--repeat` times per launch; the first pass of each launch is a
warm-up and not counted (page cache, bytecode, Textual's own first-use costs).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import fcntl
import os
import pty
import random
import re
import select
import shutil
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import median, percentile, show, working_copy
from bench.echo_app import echo
from bench.lookup import DEFAULT_ACCOUNTS, DEFAULT_SEED, cache_dir, demo_db

COLS, ROWS = 80, 24
QUIET = 0.05
SYNC_QUERY = "\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # "supported, reset": Textual then brackets every frame
SYNC_START = "\x1b[?2026h"
SYNC_END = "\x1b[?2026l"
KEYS = {"f2": b"\x1bOQ", "tab": b"\t", "enter": b"\r", "ctrl+u": b"\x15"}
CLERK, PIN = "csr2", "3333"

_TOKEN = re.compile(r"\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                    r"|\x1b[()*+][0-9A-Za-z]|\x1b[^\[\]]|[\r\n\b]|[^\x1b\r\n\b]+")


class Terminal:
    """Just enough of a VT100 for Textual's output: cursor position, text, erase."""

    def __init__(self, cols: int = COLS, rows: int = ROWS) -> None:
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self._tail = ""

    def feed(self, text: str) -> None:
        text = self._tail + text
        self._tail = ""
        cut = text.rfind("\x1b")
        if cut >= 0 and not _TOKEN.match(text, cut):  # an escape sequence cut by the read
            text, self._tail = text[:cut], text[cut:]
        for m in _TOKEN.finditer(text):
            s = m.group(0)
            if m.group(2):
                self._csi(m.group(1), m.group(2))
            elif s[0] == "\x1b":
                continue
            elif s == "\r":
                self.x = 0
            elif s == "\n":
                self.y = min(self.y + 1, self.rows - 1)
            elif s == "\b":
                self.x = max(self.x - 1, 0)
            else:
                row = self.grid[self.y]
                for ch in s:
                    if self.x < self.cols:
                        row[self.x] = ch
                    self.x += 1

    def _csi(self, params: str, final: str) -> None:
        if params.startswith("?"):
            return
        nums = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        if final in "Hf":
            self.y = min(max((nums[0] if nums and nums[0] else 1) - 1, 0), self.rows - 1)
            self.x = min(max((nums[1] if len(nums) > 1 and nums[1] else 1) - 1, 0), self.cols)
        elif final == "J" and nums[:1] in ([2], [3]):
            self.grid = [[" "] * self.cols for _ in range(self.rows)]
        elif final == "K":
            mode = nums[0] if nums else 0
            row = self.grid[self.y]
            span = range(self.x, self.cols) if mode == 0 else (
                range(0, min(self.x + 1, self.cols)) if mode == 1 else range(self.cols))
            for i in span:
                row[i] = " "
        elif final == "G":
            self.x = min(max((nums[0] if nums and nums[0] else 1) - 1, 0), self.cols)

    def lines(self) -> list[str]:
        return ["".join(r) for r in self.grid]


@dataclass
class Mark:
    """What happened after one key: when its answer was painted, and the output meanwhile."""

    check: Callable[[list[str]], bool]
    started: float
    painted: float | None = None
    bytes_to_paint: int = 0
    frames_to_paint: int = 0
    bytes: int = 0
    frames: int = 0
    last_output: float = 0.0


@dataclass
class Session:
    """A program running in a pty, its screen kept up to date by a reader thread."""

    pid: int
    fd: int
    term: Terminal = field(default_factory=Terminal)
    lock: threading.Condition = field(default_factory=threading.Condition)
    mark: Mark | None = None
    synced: bool = False
    closed: bool = False
    last_output: float = 0.0

    def start_reader(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        pending = ""
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.5)
                if not ready:
                    continue
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            now = time.perf_counter()
            if not data:
                with self.lock:
                    self.closed = True
                    self.lock.notify_all()
                return
            text = pending + decoder.decode(data)
            if SYNC_QUERY in text:
                os.write(self.fd, SYNC_REPLY)
            if SYNC_START in text:
                self.synced = True
            with self.lock:
                self.last_output = now
                mark = self.mark
                if mark is not None:
                    mark.bytes += len(data)
                    mark.last_output = now
                # Judge the screen only at frame ends (or after every read until frames are
                # bracketed, i.e. during start-up).
                pieces = text.split(SYNC_END)
                pending = pieces.pop() if self.synced else ""
                for piece in pieces if self.synced else [text]:
                    self.term.feed(piece)
                    if mark is not None:
                        mark.frames += 1
                        if mark.painted is None and mark.check(self.term.lines()):
                            mark.painted = now
                            mark.bytes_to_paint = mark.bytes
                            mark.frames_to_paint = mark.frames
                if pending and not self.synced:
                    self.term.feed(pending)
                    pending = ""
                self.lock.notify_all()

    def screen(self) -> list[str]:
        with self.lock:
            return self.term.lines()

    def wait_for(self, check: Callable[[list[str]], bool], timeout: float = 60.0) -> list[str]:
        deadline = time.monotonic() + timeout
        with self.lock:
            while not check(self.term.lines()):
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    raise RuntimeError("screen never showed what was expected:\n"
                                       + "\n".join(self.term.lines()))
                self.lock.wait(min(left, 0.05))
            return self.term.lines()

    def wait_text(self, text: str, timeout: float = 60.0) -> list[str]:
        return self.wait_for(lambda lines: any(text in line for line in lines), timeout)

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def cpu_seconds(self) -> float:
        """User + system CPU the program (all its threads) has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def quiet(self, seconds: float = QUIET, limit: float = 2.0) -> None:
        """Wait until nothing has been written for `seconds` (at most `limit`)."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            with self.lock:
                idle = time.perf_counter() - self.last_output
            if idle >= seconds:
                return
            time.sleep(seconds - idle)

    def key(self, data: bytes, check: Callable[[list[str]], bool],
            timeout: float = 10.0) -> Mark:
        """Write one key; wait until `check` holds at a frame end, then until quiet."""
        self.quiet()
        with self.lock:
            mark = self.mark = Mark(check, time.perf_counter())
            os.write(self.fd, data)
            deadline = time.monotonic() + timeout
            while mark.painted is None:
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    raise RuntimeError(f"key {data!r} never painted its answer:\n"
                                       + "\n".join(self.term.lines()))
                self.lock.wait(min(left, 0.05))
        self.quiet()
        with self.lock:
            self.mark = None
        return mark

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        for _ in range(50):
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
            time.sleep(0.05)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)


def spawn(argv: Sequence[str], env: dict[str, str]) -> Session:
    """Start `argv` on a new 80x24 pty (TERM=xterm) and start reading its output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal before the program looks at it
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execve(argv[0], list(argv), {**env, "TERM": "xterm", "COLUMNS": str(COLS),
                                            "LINES": str(ROWS)})
        finally:
            os._exit(127)
    session = Session(pid, fd)
    session.start_reader()
    return session


# ---- what is typed and what each key must show ------------------------------------------------
@dataclass(frozen=True)
class Word:
    text: str
    kind: str  # "name" | "number"


def pick_words(db_path: Path, names: int, numbers: int, seed: int) -> list[Word]:
    """Surnames and account numbers of accounts drawn with a fixed seed."""
    from clerk_tui.db import Database

    db = Database.open(db_path)
    try:
        top = int(db.scalar("SELECT max(id) FROM accounts"))
        rng = random.Random(seed)
        out: list[Word] = []
        while sum(w.kind == "name" for w in out) < names:
            name = db.scalar("SELECT c.name FROM accounts a JOIN customers c "
                             "ON c.id = a.customer_id WHERE a.id = ?", [rng.randrange(1, top + 1)])
            words = re.findall(r"[A-Za-z]{4,}", name or "")
            if words and words[-1].lower() not in {w.text for w in out}:
                out.append(Word(words[-1].lower(), "name"))
        for _ in range(numbers):
            number = db.scalar("SELECT number FROM accounts WHERE id = ?",
                               [rng.randrange(1, top + 1)])
            out.append(Word(number, "number"))
        return out
    finally:
        db.close()


@dataclass(frozen=True)
class Answer:
    """What the lookup must show for one prefix."""

    text: str
    first: str | None  # the first row's account number, or None for no rows
    message: str  # a piece of the message line


def answers(db_path: Path, words: list[Word]) -> dict[str, Answer]:
    """The lookup's answer for every prefix typed, from the function the screen calls."""
    from clerk_tui.db import Database
    from clerk_tui.domain import auth
    from clerk_tui.screens.lookup import RESULT_LIMIT

    try:
        from clerk_tui.domain.finders import ACCOUNT, search_everything
    except ImportError:  # a tree from before the finders (to time it against this one)
        search_everything = None

    db = Database.open(db_path)
    try:
        actor = auth.clerk_actor(db, CLERK, "bench")
        out = {}
        for w in words:
            for k in range(1, len(w.text) + 1):
                t = w.text[:k]
                if search_everything is None:
                    from clerk_tui.domain.search import search_accounts

                    old = search_accounts(db, t, limit=RESULT_LIMIT)
                    hint, firsts = old.hint, [h.display_number for h in old.hits]
                else:
                    r = search_everything(db, actor, t, limit=RESULT_LIMIT)
                    hint = r.hint
                    firsts = [r.accounts[int(f.key)].display_number if f.kind == ACCOUNT
                              else f.key for f in r.found]
                if firsts:
                    out[t] = Answer(t, firsts[0], f"{len(firsts)} match")
                else:
                    out[t] = Answer(t, None, hint or "Nothing found")
        return out
    finally:
        db.close()


def _lookup_rows(lines: list[str]) -> tuple[str, str, str] | None:
    """(search box, message, first result row) of the lookup screen, or None if not on it."""
    head = next((i for i, line in enumerate(lines)
                 if re.match(r"^\s+(Kind\s+Number|Account\s+Name)\s", line)), None)
    if head is None or head < 3 or head + 1 >= len(lines):
        return None
    return lines[head - 3], lines[head - 1], lines[head + 1]


def app_check(answer: Answer) -> Callable[[list[str]], bool]:
    def check(lines: list[str]) -> bool:
        rows = _lookup_rows(lines)
        if rows is None:
            return False
        box, message, first = rows
        if _box_text(box) != answer.text or answer.message not in message:
            return False
        return answer.first in first if answer.first else not first.strip(" │|▎▊▐")
    return check


def _box_text(line: str) -> str:
    return line.strip().strip("│|▊▎▐▌").strip()


def bare_check(text: str) -> Callable[[list[str]], bool]:
    row = echo(text)

    def check(lines: list[str]) -> bool:
        return (not text or any(_box_text(line) == text for line in lines[:3])) and any(
            row in line for line in lines[3:])
    return check


# ---- one launch -------------------------------------------------------------------------------
@dataclass
class Sample:
    ms: float
    bytes_to_paint: int
    bytes: int
    frames: int
    changed: bool
    kind: str


def type_words(session: Session, words: list[Word], check_for: Callable[[str], Callable],
               answers_: dict[str, Answer] | None) -> list[Sample]:
    out: list[Sample] = []
    for w in words:
        if not check_for("")(session.screen()):  # (Ctrl+U in an empty box draws nothing)
            session.key(KEYS["ctrl+u"], check_for(""))
        before: Answer | None = None
        for k in range(1, len(w.text) + 1):
            t = w.text[:k]
            mark = session.key(t[-1].encode(), check_for(t))
            assert mark.painted is not None
            now = answers_.get(t) if answers_ else None
            changed = before is None or now is None or (now.first, now.message) != (
                before.first, before.message)
            before = now
            out.append(Sample((mark.painted - mark.started) * 1000, mark.bytes_to_paint,
                              mark.bytes, mark.frames_to_paint, changed, w.kind))
    return out


def run_app(env: dict[str, str], words: list[Word], ans: dict[str, Answer],
            repeat: int) -> tuple[list[Sample], float]:
    """The keys typed into the real app; the samples and the CPU seconds they cost it."""
    session = spawn(clerk_command(), env)
    try:
        session.wait_text("PIN", timeout=120)
        session.send(CLERK.encode())
        session.send(KEYS["tab"])
        session.send(PIN.encode())
        session.send(KEYS["enter"])
        session.wait_text("Drawer:", timeout=60)
        session.quiet(0.2)
        session.send(KEYS["f2"])
        session.wait_for(lambda lines: _lookup_rows(lines) is not None, timeout=30)
        session.quiet(0.2)

        def check_for(text: str) -> Callable[[list[str]], bool]:
            if not text:  # the box shows its placeholder again
                return lambda lines: (rows := _lookup_rows(lines)) is not None and \
                    "Type to search" in rows[1]
            return app_check(ans[text])

        type_words(session, words, check_for, ans)  # warm-up pass, not counted
        cpu = session.cpu_seconds()
        samples: list[Sample] = []
        for _ in range(repeat):
            samples += type_words(session, words, check_for, ans)
        return samples, session.cpu_seconds() - cpu
    finally:
        session.close()


def run_bare(env: dict[str, str], words: list[Word], repeat: int
             ) -> tuple[list[Sample], float]:
    session = spawn([sys.executable, str(Path(__file__).with_name("echo_app.py"))], env)
    try:
        session.wait_text(echo(""), timeout=60)
        session.quiet(0.2)
        type_words(session, words, bare_check, None)  # warm-up pass, not counted
        cpu = session.cpu_seconds()
        samples: list[Sample] = []
        for _ in range(repeat):
            samples += type_words(session, words, bare_check, None)
        return samples, session.cpu_seconds() - cpu
    finally:
        session.close()


def clerk_command() -> list[str]:
    beside = Path(sys.executable).with_name("clerk-tui")
    found = str(beside) if beside.exists() else shutil.which("clerk-tui")
    if not found:
        raise RuntimeError("the clerk-tui console script is not installed (pip install -e .)")
    return [found, "--sandbox"]


def prepare(cached: Path) -> tuple[Path, dict[str, str]]:
    """A working copy of the bench database with a practice clerk; the app's environment."""
    from clerk_tui.db import Database
    from clerk_tui.domain import auth
    from clerk_tui.domain.actor import SYSTEM

    folder, work = working_copy(cached, "keypaint", "training.db")
    db = Database.open(work)
    try:
        if not db.one("SELECT 1 FROM clerks WHERE username = ?", [CLERK]):
            auth.add_clerk(db, SYSTEM, CLERK, "Bench Clerk", "csr2", PIN)
    finally:
        db.close()
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "PYTHONDONTWRITEBYTECODE")}
    env.update({
        "CLERK_TUI_SANDBOX_DB": str(work),
        "CLERK_WORKSTATION": "bench",
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
    })
    return folder, env


def _row(name: str, xs: list[Sample]) -> list[object]:
    ms = [s.ms for s in xs]
    return [name, len(xs), percentile(ms, 50), percentile(ms, 95), max(ms) if ms else 0,
            median([s.bytes_to_paint for s in xs]), median([s.bytes for s in xs]),
            median([s.frames for s in xs])]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS,
                    help="demo accounts in the database (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="demo data seed")
    ap.add_argument("--names", type=int, default=4, help="surnames typed (default 4)")
    ap.add_argument("--numbers", type=int, default=3,
                    help="account numbers typed, 8 digits each (default 3)")
    ap.add_argument("--rounds", type=int, default=2,
                    help="launches of each program, alternating (default 2)")
    ap.add_argument("--repeat", type=int, default=2,
                    help="passes over every word per launch, after one warm-up (default 2)")
    ap.add_argument("--cache", help="folder for built databases (default ~/.cache/clerk-tui-bench)")
    args = ap.parse_args(argv)

    cached, built = demo_db(args.accounts, args.seed, cache_dir(args.cache))
    if built is not None:
        print(f"built {args.accounts:,} demo accounts in {built:.0f} s -> {cached}")
    words = pick_words(cached, args.names, args.numbers, args.seed)
    folder, env = prepare(cached)
    ans = answers(Path(env["CLERK_TUI_SANDBOX_DB"]), words)
    app: list[Sample] = []
    bare: list[Sample] = []
    per_round: list[str] = []
    cpu_app = cpu_bare = 0.0
    try:
        for _ in range(args.rounds):
            a, ca = run_app(env, words, ans, args.repeat)
            b, cb = run_bare(env, words, args.repeat)
            app += a
            bare += b
            cpu_app += ca
            cpu_bare += cb
            ratio = percentile([s.ms for s in a], 95) / percentile([s.ms for s in b], 95)
            per_round.append(f"{ratio:.2f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = [
        _row("clerk-tui lookup: every key", app),
        _row("  keys that changed the answer", [s for s in app if s.changed]),
        _row("  surname keys", [s for s in app if s.kind == "name"]),
        _row("  account-number keys", [s for s in app if s.kind == "number"]),
        _row("echo baseline: every key", bare),
    ]
    a95, b95 = percentile([s.ms for s in app], 95), percentile([s.ms for s in bare], 95)
    a50, b50 = percentile([s.ms for s in app], 50), percentile([s.ms for s in bare], 50)
    show(f"Keystroke to results painted (pty 80x24, TERM=xterm, {args.accounts:,} accounts, "
         f"words: {' '.join(w.text for w in words)})",
         ["program", "keys", "p50 ms", "p95 ms", "max ms", "bytes to paint (median)",
          "bytes per key (median)", "frames to paint (median)"], rows,
         f"keystroke to results p50 {a50:.1f} ms, p95 {a95:.1f} ms: {a95 / b95:.2f}x the echo "
         f"baseline's p95 ({b95:.1f} ms; p50 {a50 / b50:.2f}x); p95 ratio per round "
         f"{', '.join(per_round)}; median bytes per key {median([s.bytes for s in app]):.0f} "
         f"vs {median([s.bytes for s in bare]):.0f}; CPU per key {cpu_app / len(app) * 1000:.1f} "
         f"ms vs {cpu_bare / len(bare) * 1000:.1f} ms ({cpu_app / cpu_bare:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
