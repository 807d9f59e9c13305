"""Run a command as user nobody with this test run's own Python, even as root in CI.

Root ignores file modes, so a read-only file is read-only only to someone else: `setpriv` drops
to nobody (65534). The catch is that nobody must be able to run this Python and import
clerk_tui, and in CI it cannot: the interpreter may live under /root (0700), the venv in a
`mktemp -d` folder (0700), the test's files under /tmp/pytest-of-root (0700). So the command
runs in a private mount namespace (`unshare -m`) in which each such closed folder on the way
to the interpreter, the venv, the checkout and the given folders is covered by a tmpfs (0755)
holding bind mounts of just the entries needed. Every path stays the same, so the venv's
links, libpython's rpath and the editable install's .pth work unchanged, and nothing outside
the namespace changes. Not root: file modes already bite, so the command runs as is.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import require_tool

NOBODY = 65534


def _needed(extra: Sequence[Path]) -> list[Path]:
    paths = {Path(sys.executable).absolute(), Path(os.path.realpath(sys.executable)),
             Path(sys.prefix), Path(sys.base_prefix), *map(Path, extra)}
    paths |= {Path(p) for p in sys.path if p and Path(p).exists()}
    paths |= {Path(os.path.realpath(p)) for p in paths}  # what a symlink on the way leads to
    return sorted({Path(os.path.abspath(p)) for p in paths})


def _closed(path: Path) -> bool:
    """A folder nobody cannot pass through."""
    st = path.lstat()
    return stat.S_ISDIR(st.st_mode) and not st.st_mode & stat.S_IXOTH


def _overlay_script(extra: Sequence[Path], hold: Path) -> list[str]:
    """Shell lines that open every closed folder on the needed paths, outermost first."""
    expose: dict[Path, set[str] | None] = {}  # closed folder -> children to keep (None: all)
    for target in _needed(extra):
        parts = target.parts
        for depth in range(1, len(parts) + 1):
            folder = Path(*parts[:depth])
            if not folder.exists() or not _closed(folder):
                continue
            if depth == len(parts):
                expose[folder] = None
            elif expose.get(folder, set()) is not None:
                expose.setdefault(folder, set()).add(parts[depth])
    lines = ["set -e"]
    for n, folder in enumerate(sorted(expose, key=lambda p: len(p.parts))):
        keep = expose[folder]
        children = sorted(os.listdir(folder)) if keep is None else sorted(keep)
        saved = hold / str(n)
        lines += [f"mkdir {shlex.quote(str(saved))}",
                  f"mount --bind {shlex.quote(str(folder))} {shlex.quote(str(saved))}",
                  f"mount -t tmpfs -o mode=0755 tmpfs {shlex.quote(str(folder))}"]
        for child in children:
            src, dst = shlex.quote(str(saved / child)), shlex.quote(str(folder / child))
            make = "mkdir" if (folder / child).is_dir() and not (folder / child).is_symlink() \
                else "touch"
            if (folder / child).is_symlink():
                lines.append(f"cp -P {src} {dst}")
                continue
            lines += [f"{make} {dst}", f"mount --bind {src} {dst}"]
    return lines


def run_as_nobody(argv: Sequence[str], *, visible: Sequence[Path] = (),
                  env: dict[str, str] | None = None,
                  timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `argv` as nobody (root) or as is (not root); `visible` folders are reachable."""
    environ = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    if os.geteuid() != 0:
        return subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout,
                              env=environ)
    setpriv = require_tool("setpriv")
    unshare = require_tool("unshare")
    hold = Path(tempfile.mkdtemp(prefix="nobody-", dir="/tmp"))
    try:
        lines = _overlay_script(visible, hold)
        lines.append(" ".join(shlex.quote(a) for a in (
            setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--",
            *argv)))
        return subprocess.run([unshare, "-m", "sh", "-c", "\n".join(lines)],
                              capture_output=True, text=True, timeout=timeout, env=environ)
    finally:
        # rmdir, never rmtree: should a mount ever outlive the namespace, an empty-folder
        # removal fails instead of deleting what the mount shows.
        for saved in hold.iterdir():
            saved.rmdir()
        hold.rmdir()
