"""Which workstation this session is: named on the command line, by `CLERK_WORKSTATION`, or by
the SSH client's address (each thin terminal has a fixed address), else this host's name."""

from __future__ import annotations

import os
import re
import socket

from clerk_tui.domain.errors import ValidationError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def ssh_client_address(environ: dict[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    raw = env.get("SSH_CLIENT") or env.get("SSH_CONNECTION")
    if not raw:
        return None
    return raw.split()[0]


def resolve_name(cli_value: str | None = None, environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    name = cli_value or env.get("CLERK_WORKSTATION") or ssh_client_address(env)
    if not name:
        name = socket.gethostname() or "local"
    if not _NAME.match(name):
        raise ValidationError(f"Workstation name {name!r} is not valid (letters, digits, . _ : -).")
    return name
