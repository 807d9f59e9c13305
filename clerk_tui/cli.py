"""Command line: run the counter, set up production, manage clerks, verify, back up.

Errors print one line and exit non-zero: an IT admin at a terminal needs the reason, not a
traceback (set CLERK_TUI_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import gc
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from clerk_tui import __version__
from clerk_tui.counters import load_builtin

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A refusal phrased for the admin; printed as one line."""


def _cli_actor(workstation: str = "cli"):
    """The OS user at the shell acts as admin: they own the database file (issued by auth)."""
    from clerk_tui.domain import auth

    try:
        who = getpass.getuser()
    except Exception:
        who = "unknown"
    return auth.shell_actor(f"os:{who}", workstation, "command line")


def _db_path(args: argparse.Namespace) -> Path:
    value = getattr(args, "db", None) or os.environ.get("CLERK_TUI_DB")
    if not value:
        raise CliError("Name the database with --db PATH (or set CLERK_TUI_DB).")
    return Path(value)


def _read_pin(args: argparse.Namespace, prompt: str = "PIN: ") -> str:
    if getattr(args, "pin_stdin", False):
        line = sys.stdin.readline()
        if not line:
            raise CliError("--pin-stdin: no PIN on standard input.")
        return line.strip()
    if not sys.stdin.isatty():
        raise CliError("No terminal to ask for a PIN: pass --pin-stdin and pipe it in.")
    first = getpass.getpass(prompt)
    second = getpass.getpass("Again: ")
    if first != second:
        raise CliError("The two PINs differ; nothing was changed.")
    return first


def _secret_path(args: argparse.Namespace) -> Path | None:
    """`[site] secret` from the configuration, if one is in use; None = beside the database."""
    if not (getattr(args, "config", None) or Path(_default_config()).exists()):
        return None
    config = _load_config(getattr(args, "config", None))
    if config is None or not getattr(config, "site_secret", None):
        return None
    return Path(config.site_secret)


def _open(args: argparse.Namespace):
    from clerk_tui.db import open_database

    db = open_database(_db_path(args), secret_path=_secret_path(args))
    return db


# ---- commands -------------------------------------------------------------------------------
FRAME_RATE = "120"
"""Textual's frame cap (TEXTUAL_FPS, default 60), set before Textual is imported; a site may set
its own. A keystroke in Lookup waits for two frames (the key's echo, then the results), and at
60 fps each wait is up to 17 ms of nothing: bench/keypaint.py measured p50 56 -> 47 ms at 120
and 29 ms at 240 on the 1M-account database, with the same CPU and bytes per key."""


def cmd_run(args: argparse.Namespace) -> int:
    from clerk_tui.workstation import resolve_name

    os.environ.setdefault("TEXTUAL_FPS", FRAME_RATE)

    workstation = resolve_name(args.workstation)
    config = None
    if args.config or Path(_default_config()).exists():
        config = _load_config(args.config)
    if args.sandbox:
        from clerk_tui.sandbox import open_sandbox

        db = open_sandbox(path=Path(args.db) if args.db else None)
    else:
        db = _open(args)
        try:
            db.require_kind("production")
            db.require_secret()  # refuse at start, not at the first sign-in
        except Exception:
            db.close()
            raise
    from clerk_tui.app import run_app

    try:
        run_app(db, workstation=workstation, sandbox=args.sandbox, config=config)
    finally:
        db.close()
    return EXIT_OK


def _default_config() -> Path:
    from clerk_tui.paths import default_config_path

    return default_config_path()


def _load_config(path: str | None):
    try:
        from clerk_tui.config import load_config
    except ImportError:  # hardware configuration arrives with the hardware layer
        return None
    return load_config(Path(path) if path else _default_config())


def cmd_init(args: argparse.Namespace) -> int:
    from clerk_tui.db import Database
    from clerk_tui.domain import auth, setup

    path = _db_path(args)
    if path.exists() and path.stat().st_size > 0:
        raise CliError(f"{path} already exists; init only creates a new database.")
    auth.validate_username(args.admin)
    pin = _read_pin(args, "PIN for the first administrator: ")
    auth.validate_pin(pin)
    db = Database.open(path, create=True, secret_path=_secret_path(args))
    try:
        setup.initialize(db, "production", admin_username=args.admin, admin_name=args.name,
                         admin_pin=pin, actor=_cli_actor())
    finally:
        db.close()
    print(f"Created production database {path} with administrator {args.admin!r}.")
    print(f"Site secret: {db.secret_path} (mode 0600). Back it up apart from the database: "
          "without it the database cannot be signed in to or verified.")
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    from clerk_tui.db import Database

    path = _db_path(args)
    db = Database.open(path, secret_path=_secret_path(args))
    try:
        applied = db.migrate()
        versions = db.schema_versions()
        created = db.ensure_secret()  # a database from before the site secret gets one now
    finally:
        db.close()
    if applied:
        print(f"Applied {len(applied)} migration(s): {', '.join(m.label for m in applied)}.")
    else:
        shown = ", ".join(f"{name} {v}" for name, v in versions.items())
        print(f"{path} is up to date (migration sets: {shown}).")
    if created:
        print(f"Created site secret {db.secret_path} (mode 0600): back it up apart from the "
              "database. Existing PINs keep working; reset them to pepper them with it.")
    return EXIT_OK


def cmd_clerk(args: argparse.Namespace) -> int:
    from clerk_tui.domain import auth

    db = _open(args)
    actor = _cli_actor()
    try:
        action = args.clerk_command
        if action == "list":
            from tabulate import tabulate

            from clerk_tui.domain.text import visible

            rows = [(c.username, visible(c.full_name), c.role,
                     "yes" if c.active else "no", "LOCKED" if c.locked else "")
                    for c in auth.list_clerks(db)]
            print(tabulate(rows, headers=["username", "name", "role", "active", "locked"]))
            return EXIT_OK
        if action == "add":
            pin = _read_pin(args, f"PIN for {args.username}: ")
            c = auth.add_clerk(db, actor, args.username, args.name, args.role, pin)
            print(f"Added {c.username} ({c.role}).")
        elif action == "disable":
            auth.disable_clerk(db, actor, args.username)
            print(f"Disabled {args.username}.")
        elif action == "enable":
            auth.enable_clerk(db, actor, args.username)
            print(f"Enabled {args.username}.")
        elif action == "set-role":
            c = auth.set_role(db, actor, args.username, args.role)
            print(f"{c.username} is now {c.role}.")
        elif action == "reset-pin":
            auth.get_clerk(db, args.username)
            pin = _read_pin(args, f"New PIN for {args.username}: ")
            auth.reset_pin(db, actor, args.username, pin)
            print(f"New PIN set for {args.username}; the clerk is unlocked.")
        elif action == "unlock":
            auth.unlock(db, actor, args.username)
            print(f"Unlocked {args.username}.")
    finally:
        db.close()
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from clerk_tui.domain import audit

    try:
        anchors = [audit.parse_anchor(a) for a in (getattr(args, "anchor", None) or [])]
    except ValueError as e:
        raise CliError(str(e)) from None
    if args.sandbox:
        from clerk_tui.sandbox import open_sandbox

        db = open_sandbox()
    else:
        db = _open(args)
    if getattr(args, "secret", None):  # checking a backup copy kept apart from its secret
        db.use_secret(args.secret)
    try:
        result = audit.verify(db, anchors)
    finally:
        db.close()
    if result.ok:
        print(f"Audit chain holds: {result.rows} rows, latest hash {result.head}.")
        for a in anchors:
            print(f"Anchor {a.seq} matches.")
        if not result.keyed:
            print("Note: no row is keyed with the site secret yet, so money rows are not checked.")
        return EXIT_OK
    where = f"row {result.bad_seq}" if result.bad_seq is not None else "the money rows"
    print(f"Audit chain BROKEN at {where}: {result.problem}.")
    return EXIT_FAIL


def cmd_backup(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        dest = db.backup_to(args.dest)
    finally:
        db.close()
    print(f"Backed up {db.path} to {dest}.")
    return EXIT_OK


def cmd_sandbox_reset(args: argparse.Namespace) -> int:
    from clerk_tui.sandbox import reset_sandbox

    path = reset_sandbox()
    print(f"Training database reset to its starting state: {path}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    import time

    from clerk_tui.db import Database
    from clerk_tui.domain import demo, setup

    if args.accounts < 1 or args.accounts > 5_000_000:
        raise CliError("--accounts must be between 1 and 5,000,000.")
    path = _db_path(args)
    new = not path.exists()
    db = Database.open(path, create=True)
    try:
        if new:
            setup.initialize(db, "training", actor=_cli_actor())
        else:
            db.require_current()
        started = time.monotonic()

        def progress(done: int) -> None:
            if sys.stderr.isatty():
                print(f"\r{done:,} accounts…", end="", file=sys.stderr, flush=True)

        summary = demo.generate(db, args.accounts, seed=args.seed, progress=progress)
        elapsed = time.monotonic() - started
    finally:
        db.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"Demo data in {path}: {summary} ({elapsed:.1f} s).")
    return EXIT_OK


# ---- parser ---------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="clerk-tui",
        description="Counter workstation for city and water-district customer service.",
    )
    p.add_argument("--version", action="version", version=f"clerk-tui {__version__}")
    p.add_argument("--db", help="production database file (or CLERK_TUI_DB)")
    p.add_argument("--config", help="workstation configuration (TOML)")
    p.add_argument("--workstation", help="this workstation's name (or CLERK_WORKSTATION)")
    p.add_argument("--sandbox", action="store_true",
                   help="run on the training database with demo data and simulated devices")
    p.set_defaults(func=cmd_run)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def db_arg(sp: argparse.ArgumentParser, required: bool = False) -> None:
        sp.add_argument("--db", required=required, default=argparse.SUPPRESS,
                        help="database file (or CLERK_TUI_DB)")

    sp = sub.add_parser("init", help="create a production database and its first admin")
    db_arg(sp)
    sp.add_argument("--admin", default="admin", help="first administrator's username")
    sp.add_argument("--name", default="Administrator", help="their full name")
    sp.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    sp.set_defaults(func=cmd_init)

    sp = sub.add_parser("migrate", help="apply pending database migrations")
    db_arg(sp)
    sp.set_defaults(func=cmd_migrate)

    sp = sub.add_parser("clerk", help="manage clerks")
    csub = sp.add_subparsers(dest="clerk_command", metavar="ACTION", required=True)
    c = csub.add_parser("add", help="add a clerk")
    db_arg(c)
    c.add_argument("username")
    c.add_argument("--name", required=True, help="full name")
    c.add_argument("--role", required=True,
                   choices=["trainee", "csr1", "csr2", "csr3", "supervisor", "admin"])
    c.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    c = csub.add_parser("list", help="list clerks")
    db_arg(c)
    for name, text in (("disable", "disable a clerk (never deleted)"), ("enable", "re-enable"),
                       ("unlock", "unlock after too many wrong PINs")):
        c = csub.add_parser(name, help=text)
        db_arg(c)
        c.add_argument("username")
    c = csub.add_parser("set-role", help="change a clerk's role")
    db_arg(c)
    c.add_argument("username")
    c.add_argument("role", choices=["trainee", "csr1", "csr2", "csr3", "supervisor", "admin"])
    c = csub.add_parser("reset-pin", help="set a new PIN (also unlocks)")
    db_arg(c)
    c.add_argument("username")
    c.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    sp.set_defaults(func=cmd_clerk)

    sp = sub.add_parser("audit", help="audit log tools")
    asub = sp.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    a = asub.add_parser("verify", help="check the audit hash chain (exit 1 if broken)")
    db_arg(a)
    a.add_argument("--sandbox", action="store_true", default=argparse.SUPPRESS,
                   help="verify the training database")
    a.add_argument("--anchor", action="append", metavar="SEQ:HASH",
                   help="fail unless audit row SEQ still has HASH (as printed on a Z report or "
                        "deposit slip); repeatable")
    a.add_argument("--secret", metavar="PATH",
                   help="the site secret file, when checking a copy away from its config")
    a.set_defaults(func=cmd_audit_verify)

    sp = sub.add_parser("backup", help="consistent copy of the database while clerks work")
    sp.add_argument("dest", help="new backup file (or a folder)")
    db_arg(sp)
    sp.set_defaults(func=cmd_backup)

    sp = sub.add_parser("sandbox", help="training database tools")
    ssub = sp.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)
    s = ssub.add_parser("reset", help="restore the training database to its starting state")
    s.set_defaults(func=cmd_sandbox_reset)

    sp = sub.add_parser("demo", help="fill a (training) database with demo data")
    db_arg(sp)
    sp.add_argument("--accounts", type=int, required=True, help="how many utility accounts")
    sp.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    sp.set_defaults(func=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "sandbox"):
        args.sandbox = False
    func: Callable[[argparse.Namespace], int] = args.func
    if func is cmd_run:
        # Start-up builds a great many objects that live all day (Textual, the screens, the
        # stylesheet): collecting while they pile up is wasted work (a third of the extra
        # start-up time, issue 12). The app collects once, freezes what is left and turns the
        # collector back on as soon as the sign-in screen has been drawn (`ClerkApp`).
        gc.disable()
    load_builtin()  # every counter's item kinds, scans, migration sets: before any command
    return run_guarded(func, args)


def run_guarded(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    from clerk_tui.db import DatabaseError, DriverError
    from clerk_tui.domain.errors import ClerkError

    try:
        return func(args)
    except KeyboardInterrupt:
        print("clerk-tui: interrupted", file=sys.stderr)
        return 130
    except (CliError, ClerkError, DatabaseError) as e:
        print(f"clerk-tui: {e}", file=sys.stderr)
        return EXIT_FAIL
    except DriverError as e:
        print(f"clerk-tui: database error: {e}", file=sys.stderr)
        return EXIT_FAIL
    except OSError as e:
        print(f"clerk-tui: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_FAIL
    except Exception as e:  # the last line of defence: one line, not a traceback
        if os.environ.get("CLERK_TUI_DEBUG"):
            raise
        print(f"clerk-tui: unexpected error: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAIL
