"""A throwaway OpenSSH server for end-to-end tests: the production SSH arrangement in miniature.

`ThrowawaySshd` writes an `sshd_config` into a temp folder with a fresh host key and a fresh
client key, listens on 127.0.0.1 at a free port, and runs in the foreground (`sshd -D -e`) as
the current user until `stop()`. Its `Match User` block carries the `ForceCommand` and the
environment the counter needs (`SetEnv`), exactly as README "SSH deployment" tells an admin to
write it, so connecting with `ssh -tt` puts a person straight into the app.

Why these settings:
- `StrictModes no`: the keys live in a world-readable temp folder.
- `UsePAM no` and public-key authentication only: no PAM stack or password needed.
- As root, sshd insists on its privilege-separation directory (`/run/sshd`), which containers
  without systemd never create; `start()` creates it (mode 0755) the way Debian's init script
  does. As any other user sshd needs no such directory, but can only log that same user in.
- sshd gives a session a clean environment: whatever the app needs comes from `SetEnv`
  (the client's TERM travels with its pty request and needs no `AcceptEnv`).
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shlex
import socket
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

PRIVSEP_DIR = Path("/run/sshd")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keygen(ssh_keygen: str, path: Path, comment: str) -> None:
    subprocess.run([ssh_keygen, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
                   check=True, capture_output=True, timeout=30)


def _setenv_value(value: str) -> str:
    if any(c in value for c in "\"\\\n") or not value:
        raise ValueError(f"SetEnv value not supported here: {value!r}")
    return f'"{value}"' if " " in value else value


class ThrowawaySshd:
    def __init__(self, folder: Path, *, sshd: str, ssh_keygen: str, force_command: str,
                 env: Mapping[str, str] | None = None, user: str | None = None) -> None:
        self.folder = folder
        self.sshd = sshd
        self.user = user or getpass.getuser()
        self.port = free_port()
        self.host_key = folder / "ssh_host_ed25519_key"
        self.client_key = folder / "client_ed25519"
        self.authorized_keys = folder / "authorized_keys"
        self.config = folder / "sshd_config"
        self.log = folder / "sshd.log"
        self.pid_file = folder / "sshd.pid"
        self.proc: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)
        _keygen(ssh_keygen, self.host_key, "clerk-test-host")
        _keygen(ssh_keygen, self.client_key, "clerk-test-client")
        self.authorized_keys.write_text(
            (folder / "client_ed25519.pub").read_text(encoding="ascii"), encoding="ascii")
        setenv = " ".join(f"{k}={_setenv_value(v)}" for k, v in (env or {}).items())
        lines = [
            f"ListenAddress 127.0.0.1:{self.port}",
            f"HostKey {self.host_key}",
            f"PidFile {self.pid_file}",
            f"AuthorizedKeysFile {self.authorized_keys}",
            "StrictModes no",
            "UsePAM no",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "PermitUserEnvironment no",
            "PrintMotd no",
            "PrintLastLog no",
            "LogLevel VERBOSE",
            f"AllowUsers {self.user}",
            "",
            f"Match User {self.user}",
            f"    ForceCommand {force_command}",
            "    PermitTTY yes",
            "    AllowTcpForwarding no",
            "    X11Forwarding no",
            "    AllowAgentForwarding no",
        ]
        if setenv:
            lines.append(f"    SetEnv {setenv}")
        self.config.write_text("\n".join(lines) + "\n", encoding="ascii")

    def start(self, timeout: float = 20.0) -> None:
        if os.geteuid() == 0 and not PRIVSEP_DIR.is_dir():
            PRIVSEP_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
        check = subprocess.run([self.sshd, "-t", "-f", str(self.config)], capture_output=True,
                               text=True, timeout=20)
        if check.returncode != 0:
            raise RuntimeError(f"sshd -t refused the config: {check.stderr.strip()}")
        log = self.log.open("wb")
        self.proc = subprocess.Popen([self.sshd, "-D", "-e", "-f", str(self.config)],
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited ({self.proc.returncode}):\n{self.log_text()}")
            if "Server listening" in self.log_text():
                return
            time.sleep(0.05)
        raise RuntimeError(f"sshd did not start listening within {timeout}s:\n{self.log_text()}")

    def ssh_command(self, ssh: str) -> list[str]:
        """The client command a thin terminal runs: a forced pty, no host-key prompt."""
        return [ssh, "-tt", "-i", str(self.client_key), "-p", str(self.port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                f"{self.user}@127.0.0.1"]

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


def quote_command(argv: list[str]) -> str:
    """A ForceCommand line (run by the user's shell with -c)."""
    return shlex.join(argv)
