"""`terminal:` printing proven end to end: a Textual app in a real pty prints a receipt through
ANSI printer-controller mode, and the bytes between ESC[5i and ESC[4i are exactly the 7-bit-safe
job we built — while an 8-bit block written the naive way arrives mangled."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from clerk_tui.hardware.escpos import unsafe_7bit_positions
from clerk_tui.hardware.receipt import render_escpos
from tests.hardware.ptyrun import MEDIA_OFF, PtySession, media_copy_blocks
from tests.hardware.receipts import sample_receipt

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_session(tmp_path: Path):
    record = tmp_path / "sent.bin"
    session = PtySession([sys.executable, "-m", "tests.hardware.termprint_app", str(record)],
                         cwd=str(ROOT), env={"PYTHONPATH": str(ROOT)})
    session.start()
    try:
        session.wait_for(b"READY", timeout=30)
        yield session, record
    finally:
        session.close()


@pytest.mark.ui
@pytest.mark.timeout(90)
def test_receipt_reaches_the_terminal_byte_for_byte(app_session) -> None:
    session, record = app_session
    session.send(b"p")
    session.wait_for(MEDIA_OFF, timeout=20)
    session.wait_for(b"PRINTED", timeout=20)
    blocks = media_copy_blocks(session.output())
    assert len(blocks) == 1
    sent = record.read_bytes()
    expected = render_escpos(sample_receipt(payer="Zoë Ñúñez", training=True), 42, safe7=True,
                             kick=(2, 100))
    assert sent == expected
    assert blocks[0] == expected
    assert unsafe_7bit_positions(blocks[0]) == []
    assert b"TRAINING - NOT A RECEIPT" in blocks[0] and b"Zoe Nunez" in blocks[0]

    # Control: the same pty mangles a naive block (LF -> CR LF, e-acute -> two UTF-8 bytes),
    # which is why the transport insists on 7-bit-safe payloads.
    session.send(b"r")
    session.wait_for(b"RAW SENT", timeout=20)
    raw = media_copy_blocks(session.output())[1]
    assert raw == b"A\r\nB\xc3\xa9"

    session.send(b"u")
    session.wait_for(b"REFUSED", timeout=20)
    assert len(media_copy_blocks(session.output())) == 2  # nothing unsafe went out

    session.send(b"q")
    assert session.wait_exit(15) == 0
