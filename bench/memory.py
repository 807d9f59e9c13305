"""Memory of a long session: a clerk signs in and opens account after account all day.

Each run is a fresh process (`python -m bench.memory --child ...`) driving the real `ClerkApp`
headless under Textual's Pilot at 80x24 on a scratch copy of the training database, started as
`clerk-tui` starts it (collector paused until the sign-in screen is drawn, PIN checks as
`run_app` makes them): the sign-in screen, then csr2 signs in by keys (a real scrypt at the
cost stored in the database), then Lookup, then accounts opened one after another the way
Lookup opens them (the account screen pushed, its account loaded, Esc back). After each step:
resident memory (VmRSS), peak resident memory so far (VmHWM), and the widgets alive (all,
and those no longer in the DOM) after a full collection. The widget counts leave out what
start-up froze (`gc.freeze` after the sign-in screen is drawn: the collector no longer lists
those), so they count what the session made since; they must not grow from one checkpoint
to the next.

The baseline is bench/bare_app.py's app (header, input, table, footer) run the same way in its
own fresh process: what any Textual program of the counter's shape holds once it is up.
Several `--runs` alternate app and baseline; each figure is the median over the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.common import median, scratch, show, working_copy

DEFAULT_ACCOUNTS = "20,40,200,500"
CLERK, PIN = "csr2", "3333"


def _status_kib() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in KiB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def _widgets() -> tuple[int, int]:
    from textual.widget import Widget

    gc.collect()
    widgets = [o for o in gc.get_objects() if isinstance(o, Widget)]
    return len(widgets), sum(1 for w in widgets if not w.is_attached)


def _report(step: str, accounts: int) -> None:
    kib = _status_kib()
    live, detached = _widgets()
    print(json.dumps({"step": step, "accounts": accounts, "rss": kib["VmRSS"],
                      "peak": kib["VmHWM"], "widgets": live, "detached": detached}),
          flush=True)


async def _until(pilot: object, ready: object, what: str, tries: int = 3000) -> None:
    for _ in range(tries):  # 0.01 s each: 30 s at most
        if ready():  # type: ignore[operator]
            return
        await pilot.pause(0.01)  # type: ignore[attr-defined]
    raise RuntimeError(f"timed out waiting for {what}")


async def _app_session(db_path: Path, checkpoints: list[int]) -> None:
    gc.disable()  # as `clerk-tui` starts (cli.main); the app turns it back on when drawn
    from clerk_tui.app import ClerkApp
    from clerk_tui.domain import auth
    from clerk_tui.sandbox import open_sandbox
    from clerk_tui.screens.account import AccountScreen
    from clerk_tui.screens.counters import get_counter
    from clerk_tui.screens.home import HomeScreen
    from clerk_tui.screens.login import LoginScreen
    from clerk_tui.screens.lookup import LookupScreen

    if not hasattr(sys.modules["clerk_tui.app"], "resume_gc"):
        gc.enable()  # a checkout from before issue 12 never turns the collector back on

    if hasattr(auth, "scrypt_in_child_process"):  # as `run_app` does (a checkout from before
        auth.scrypt_in_child_process(True)        # issue 12 has no such switch)
    db = open_sandbox(db_path)
    ids = [int(r["id"]) for r in db.all("SELECT id FROM accounts ORDER BY id LIMIT ?",
                                        [max(checkpoints, default=0)])]
    if len(ids) < max(checkpoints, default=0):
        raise SystemExit(f"the training database has only {len(ids)} accounts")
    app = ClerkApp(db, workstation="bench", sandbox=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, LoginScreen)
                     and bool(app.screen.query("#login-pin")), "the sign-in screen")
        await pilot.pause(0.05)
        _report("sign-in screen", 0)
        await pilot.press(*CLERK, "enter", *PIN, "enter")
        await _until(pilot, lambda: app.actor is not None
                     and isinstance(app.screen, HomeScreen), "the sign-in")
        await pilot.pause(0.05)
        _report("signed in", 0)
        await pilot.press("f2")
        await _until(pilot, lambda: isinstance(app.screen, LookupScreen), "Lookup")
        for done, account_id in enumerate(ids, 1):
            screen = AccountScreen(get_counter("lookup"), account_id)
            app.push_screen(screen)
            await _until(pilot, lambda s=screen: s.view is not None, "an account")
            await pilot.pause()
            await pilot.press("escape")
            await _until(pilot, lambda: isinstance(app.screen, LookupScreen), "Esc back")
            if done in checkpoints:
                _report("accounts opened", done)
    db.close()


async def _bare_session() -> None:
    from bench.bare_app import BareApp

    app = BareApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.05)
        _report("started", 0)


def _child(args: argparse.Namespace) -> int:
    if args.child == "bare":
        asyncio.run(_bare_session())
    else:
        checkpoints = sorted({int(n) for n in args.accounts.split(",") if n.strip()})
        asyncio.run(_app_session(Path(args.db), checkpoints))
    return 0


def _run_child(argv: list[str], env: dict[str, str]) -> list[dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "bench.memory", *argv],
                         cwd=Path(__file__).resolve().parents[1], capture_output=True,
                         text=True, timeout=3600, env={**os.environ, **env})
    if out.returncode != 0:
        raise RuntimeError(f"bench.memory {' '.join(argv)} failed:\n{out.stderr[-3000:]}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def _mib(kib: float) -> float:
    return kib / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", default=DEFAULT_ACCOUNTS,
                    help=f"accounts opened, as checkpoints (default {DEFAULT_ACCOUNTS})")
    ap.add_argument("--runs", type=int, default=1, help="sessions of each (default 1)")
    ap.add_argument("--child", choices=("app", "bare"), help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return _child(args)
    if not Path("/proc/self/status").exists():
        raise SystemExit("the memory bench reads /proc/<pid>/status (Linux)")
    from bench.startup import prepare_sandbox

    folder = scratch("memory")
    app_runs: list[list[dict[str, object]]] = []
    bare_runs: list[list[dict[str, object]]] = []
    try:
        env = prepare_sandbox(folder)  # the training database, built once (not measured)
        bare_env = {k: v for k, v in env.items() if not k.startswith("CLERK_")}
        built = Path(env["CLERK_TUI_SANDBOX_DB"])
        for run in range(args.runs):  # alternate: drift hits both alike
            work_folder, work = working_copy(built, "memory-run", f"run{run}.db")
            try:
                app_runs.append(_run_child(["--child", "app", "--db", str(work),
                                            "--accounts", args.accounts], env))
            finally:
                shutil.rmtree(work_folder, ignore_errors=True)
            bare_runs.append(_run_child(["--child", "bare"], bare_env))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def med(runs: list[list[dict[str, object]]], i: int, key: str) -> float:
        return median([float(r[i][key]) for r in runs])  # type: ignore[arg-type]

    bare_rss, bare_peak = med(bare_runs, 0, "rss"), med(bare_runs, 0, "peak")
    rows: list[list[object]] = [["bare Textual app", "started", "", len(bare_runs),
                                 _mib(bare_rss), _mib(bare_peak), med(bare_runs, 0, "widgets"),
                                 med(bare_runs, 0, "detached"), 1.0]]
    for i, step in enumerate(app_runs[0]):
        rss = med(app_runs, i, "rss")
        rows.append(["clerk-tui", step["step"], step["accounts"] or "", len(app_runs),
                     _mib(rss), _mib(med(app_runs, i, "peak")), med(app_runs, i, "widgets"),
                     med(app_runs, i, "detached"), rss / bare_rss])
    steps = app_runs[0]
    signed = next(i for i, s in enumerate(steps) if s["step"] == "signed in")
    peak_signed = med(app_runs, signed, "peak")
    summary = (f"session peak with sign-in {_mib(peak_signed):.1f} MiB "
               f"({peak_signed / bare_peak:.2f}x the bare app's {_mib(bare_peak):.1f} MiB)")
    opened = [i for i, s in enumerate(steps) if s["step"] == "accounts opened"]
    if opened:
        first, last = opened[0], opened[-1]
        rss_first, rss_last = med(app_runs, first, "rss"), med(app_runs, last, "rss")
        per = ((rss_last - rss_first) / (int(steps[last]["accounts"])  # type: ignore[arg-type]
                                         - int(steps[first]["accounts"]))  # type: ignore[arg-type]
               if last != first else 0.0)
        summary += (f"; after {steps[last]['accounts']} accounts RSS {_mib(rss_last):.1f} MiB, "
                    f"peak {_mib(med(app_runs, last, 'peak')):.1f} MiB "
                    f"({rss_last / bare_rss:.2f}x the bare app), "
                    f"{per:+.1f} KiB per account after the first {steps[first]['accounts']}")
    show("Memory: a long session (Pilot, 80x24)",
         ["program", "step", "accounts", "runs", "RSS MiB", "peak MiB", "widgets",
          "detached", "RSS vs bare"], rows, summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
