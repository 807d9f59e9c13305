"""The supervisor-override modal and `ClerkApp.with_override`: approve, refuse, cancel, audit."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.errors import PermissionDenied
from clerk_tui.screens.home import HomeScreen
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.widgets.literal import LiteralLabel
from tests.conftest import PINS
from tests.ui.cashier_support import approve_override
from tests.ui.conftest import SignedIn, screen_text, settle


def _refund(app: ClerkApp, cents: int, calls: list[Override | None]) -> Callable[..., str]:
    """A stand-in domain operation: a refund over the clerk's limit needs a supervisor."""

    def do(*, override: Override | None = None) -> str:
        calls.append(override)
        assert app.actor is not None
        who = app.rules.require(app.actor, "refund.credit", amount_cents=cents,
                                limit="refund", override=override, what="refund a credit")
        return f"refunded, approved by {who}"

    return do


async def _approve(pilot, user: str, pin: str) -> None:
    """Answer the modal again after a refusal: from an empty name field."""
    field = pilot.app.screen.query_one("#override-user", Input)
    field.value = ""
    field.focus()
    await approve_override(pilot, user, pin)


def _message(app: ClerkApp) -> str:
    return app.screen.query_one("#override-message", LiteralLabel).plain


async def test_supervisor_approves_and_audit_has_both_names(
        signed_in: SignedIn, make_clerk: Callable[..., Actor],
        db: Database) -> None:
    make_clerk("csr1")
    make_clerk("supervisor", username="sue")
    make_clerk("csr2", username="carl")
    async with signed_in("csr1") as (app, pilot):
        calls: list[Override | None] = []
        worker = app.run_worker(app.with_override(_refund(app, 5000, calls), "refund $50.00"),
                                group="override")
        await pilot.pause()
        assert isinstance(app.screen, OverrideScreen)
        text = screen_text(app)
        assert "over your refund limit of $25.00" in text
        assert app.focused is app.screen.query_one("#override-user")

        await _approve(pilot, "sue", "0000")  # wrong PIN
        assert _message(app) == "Username or PIN not recognised."
        assert isinstance(app.screen, OverrideScreen)

        await _approve(pilot, "carl", PINS["csr2"])  # a CSR II may not approve
        assert "may not approve" in _message(app)

        await _approve(pilot, "csr1", PINS["csr1"])  # nor the clerk themself
        assert "own action" in _message(app)

        await _approve(pilot, "sue", PINS["supervisor"])
        await worker.wait()
        assert worker.result == "refunded, approved by sue"
        assert isinstance(app.screen, HomeScreen)
        assert calls[0] is None and calls[-1] is not None and calls[-1].supervisor == "sue"
    rows = db.all("SELECT clerk, workstation, action, override_by FROM audit_log "
                  "WHERE action = 'override.granted'")
    assert rows == [{"clerk": "csr1", "workstation": "ws-test", "action": "override.granted",
                     "override_by": "sue"}]


async def test_escape_cancels_without_approval(
        signed_in: SignedIn,
        db: Database) -> None:
    async with signed_in("csr1") as (app, pilot):
        calls: list[Override | None] = []
        done: list[object] = []
        app.run_with_override(_refund(app, 5000, calls), "refund $50.00", done.append)
        await pilot.pause()
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert done == [None]
        assert calls == [None]
        assert isinstance(app.screen, HomeScreen)
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'override.granted'") == 0


async def test_within_limit_needs_no_supervisor_and_refusals_reach_the_caller(
        signed_in: SignedIn) -> None:
    async with signed_in("csr1") as (app, pilot):
        calls: list[Override | None] = []
        done: list[object] = []
        app.run_with_override(_refund(app, 1000, calls), "refund $10.00", done.append)
        await settle(pilot)
        assert done == ["refunded, approved by None"]
        assert isinstance(app.screen, HomeScreen)

        def denied(*, override: Override | None = None) -> None:
            raise PermissionDenied("A CSR I may not run billing.")

        errors: list[Exception] = []
        app.run_with_override(denied, "run billing", done.append, on_error=errors.append)
        await settle(pilot)
        assert [str(e) for e in errors] == ["A CSR I may not run billing."]


async def test_wrong_pins_at_the_modal_pause_the_clerk_not_the_supervisor(
        signed_in: SignedIn, make_clerk: Callable[..., Actor],
        db: Database) -> None:
    """Issue 10 E: three wrong PINs, then this clerk's overrides are refused for 5 minutes; the
    supervisor's own sign-in is untouched (it used to lock after five)."""
    make_clerk("csr1")
    make_clerk("supervisor", username="sue")
    async with signed_in("csr1") as (app, pilot):
        calls: list[Override | None] = []
        app.run_worker(app.with_override(_refund(app, 5000, calls), "refund $50.00"),
                       group="override")
        await pilot.pause()
        for _ in range(2):
            await _approve(pilot, "sue", "0000")
            assert _message(app) == "Username or PIN not recognised."
        await _approve(pilot, "sue", "0000")
        assert _message(app).startswith("Too many wrong supervisor PINs")
        await _approve(pilot, "sue", PINS["supervisor"])  # paused: even the right PIN
        assert _message(app).startswith("Too many wrong supervisor PINs")
        assert "refused until" in screen_text(app)
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and calls == [None]
    sue = auth.get_clerk(db, "sue")
    assert sue.failed_attempts == 0 and not sue.locked
    actions = [r["action"] for r in db.all(
        "SELECT action FROM audit_log WHERE action LIKE 'override.%' ORDER BY seq")]
    assert actions == ["override.failed"] * 3 + ["override.lockout", "override.refused"]
    assert auth.sign_in(db, "sue", PINS["supervisor"], "office").username == "sue"
