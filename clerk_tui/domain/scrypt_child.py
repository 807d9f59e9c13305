"""scrypt in a short-lived child process, so its 16 MiB never count against the session.

A PIN check at the production cost (n=2**14, r=8) makes OpenSSL allocate 128*r*n = 16 MiB for
a moment. In a counter session that moment set the process's peak memory for the whole day
(65 MiB against ~49 without it, issue 12). Run in a child process, the same scrypt with the same
parameters allocates its 16 MiB there, and they are gone when it exits; the hash strength is
untouched. The child is a bare interpreter (`-I -S`: no site-packages, no environment, only
`hashlib`), started per call (~10-20 ms beside scrypt's ~50-100 ms), and reads its inputs
from a pipe, never from its command line (which other users can see in `ps`).

If the child cannot be started or fails, the caller computes the hash itself: a sign-in must
never fail because of how it is computed.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys

log = logging.getLogger(__name__)

_CHILD = (
    "import hashlib, sys\n"
    "m, s, n, r, p, d = sys.stdin.read().split()\n"
    "sys.stdout.write(hashlib.scrypt(bytes.fromhex(m[1:]), salt=bytes.fromhex(s[1:]), n=int(n),"
    " r=int(r), p=int(p), dklen=int(d)).hex())\n"
)
TIMEOUT_SECONDS = 30.0


def scrypt_in_child(material: bytes, *, salt: bytes, n: int, r: int, p: int,
                    dklen: int) -> bytes:
    """`hashlib.scrypt(...)` computed by a child process. Whatever goes wrong there, it is
    computed here instead, so parameters scrypt refuses raise ValueError as hashlib does
    (before it allocates anything: its memory limit is checked first)."""
    # "h" before each hex string: an empty one is still a word of the request
    request = f"h{material.hex()} h{salt.hex()} {int(n)} {int(r)} {int(p)} {int(dklen)}\n"
    try:
        done = subprocess.run([sys.executable, "-I", "-S", "-c", _CHILD], input=request,
                              capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                              check=False)
        digest = done.stdout.strip()
        if done.returncode == 0 and len(digest) == 2 * dklen:
            try:
                return bytes.fromhex(digest)
            except ValueError:
                pass  # not what the child script prints: computed here below
        if "ValueError" not in done.stderr:  # a refused parameter: hashlib says so below
            log.warning("scrypt child exited %s: %s", done.returncode,
                        done.stderr.strip()[-200:])
    except (OSError, subprocess.SubprocessError) as e:
        log.warning("scrypt child not started: %s", e)
    return hashlib.scrypt(material, salt=salt, n=n, r=r, p=p, dklen=dklen)
