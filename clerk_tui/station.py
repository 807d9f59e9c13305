"""The workstation's devices as the counter uses them: after a payment, open the drawer and
print the receipt; on request, reprint (marked DUPLICATE), kick the drawer, print a test page,
print a plain-text document (a report, a deposit slip, a refund slip) with `print_text`.

Money moves first, paper second: everything here runs after the receipt has committed, in a
worker thread, and never raises for a device problem — a paper-out printer leaves a committed
receipt that can be reprinted, and the clerk sees one plain message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clerk_tui.config import Config, WorkstationConfig, sim_workstation
from clerk_tui.domain.rules import load_rules
from clerk_tui.domain.text import visible
from clerk_tui.hardware.devices import Devices, devices_for
from clerk_tui.hardware.drawer import DrawerResult
from clerk_tui.hardware.escpos import EscPos, UnsafePayload
from clerk_tui.hardware.printer import PrintResult
from clerk_tui.hardware.receipt import (
    TRAINING_BANNER,
    ReceiptDoc,
    ReceiptItem,
    ReceiptTender,
    render_text,
)
from clerk_tui.hardware.sim import SimPrinter, SimTransport
from clerk_tui.paths import reference_data_dir

if TYPE_CHECKING:
    from clerk_tui.domain.cashier.receipts import ReceiptView


def __getattr__(name: str) -> Any:
    """`TENDER_LABELS`: one tender-label table, the domain's, so the receipt prints what the
    screens show. Looked up on first use: importing the cashier domain package pulls in all of
    it (and tabulate), which the counter's start-up to its sign-in screen does not need."""
    if name == "TENDER_LABELS":
        from clerk_tui.domain.cashier.tenders import LABELS

        return LABELS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Site:
    name: str = "City Counter"
    lines: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()

    @property
    def header_lines(self) -> tuple[str, ...]:
        return (self.name, *self.lines)


def load_site(path: Path | None = None) -> Site:
    path = path or reference_data_dir() / "site.toml"
    if not path.exists():
        return Site()  # no site file: the receipt says "City Counter"
    raw = load_rules(path)
    return Site(str(raw.get("name", "City Counter")), tuple(map(str, raw.get("lines", []))),
                tuple(map(str, raw.get("footer", []))))


@dataclass(frozen=True)
class StationResult:
    receipt_number: int
    printed: PrintResult | None
    drawer: DrawerResult | None
    messages: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return (self.printed is None or self.printed.ok) and \
            (self.drawer is None or self.drawer.ok)


def receipt_doc(view: ReceiptView, site: Site, *, duplicate: bool = False) -> ReceiptDoc:
    """What prints, built only from the committed receipt."""
    from clerk_tui.domain.cashier.tenders import LABELS as labels

    items = tuple(
        ReceiptItem(visible(i.description), i.amount_cents, visible(i.reference),
                    i.new_balance_cents)
        for i in view.items
    )
    tenders = []
    for t in view.tenders:
        detail = ""
        if t.kind in ("check", "money_order") and t.check_number:
            detail = f"No. {t.check_number}"
        elif t.kind == "card" and t.card_last4:
            detail = f"x{t.card_last4}" + (f" auth {t.auth_code}" if t.auth_code else "")
        tenders.append(ReceiptTender(labels.get(t.kind, t.kind), t.tendered_cents,
                                     visible(detail)))
    return ReceiptDoc(
        receipt_number=view.number,
        issued_at=view.issued_at,
        clerk=view.clerk,
        workstation=view.workstation,
        items=items,
        tenders=tuple(tenders),
        change_cents=view.change_cents,
        header_lines=site.header_lines,
        payer=visible(view.payer),
        footer_lines=site.footer,
        training=view.training,
        duplicate=duplicate or view.duplicate,
        void=view.voided,
    )


def printer_lines(text: str, width: int) -> list[str]:
    """A plain-text document cut to the printer's width: a longer line (a wide table row, the
    audit chain's 64-character head) continues on the next line, indented by two, so nothing
    is lost off the edge of the paper. Control characters are shown, never sent."""
    width = max(width, 8)
    out: list[str] = []
    for raw in text.splitlines():
        line = visible(raw.expandtabs(4)).rstrip()
        if len(line) <= width:
            out.append(line)
            continue
        out.append(line[:width])
        rest = line[width:]
        while rest:
            out.append("  " + rest[:width - 2])
            rest = rest[width - 2:]
    return out


def text_job(title: str, text: str, width: int, *, header_lines: tuple[str, ...] = (),
             training: bool = False, safe7: bool = False) -> bytes:
    """ESC/POS for a titled plain-text document: the site's heading, the title, the lines,
    TRAINING banners in the sandbox, and the cut. `safe7` for the terminal path."""
    e = EscPos(safe7=safe7).init()
    banner = f"*** {TRAINING_BANNER} ***" if training else ""
    if banner:
        e.align("center").bold(True).line(banner).bold(False).align("left")
    for i, h in enumerate(header_lines):
        e.align("center")
        if i == 0:
            e.bold(True)
        e.line(visible(h)[:width])
        if i == 0:
            e.bold(False)
        e.align("left")
    e.align("center").bold(True).line(visible(title)[:width]).bold(False).align("left")
    e.line("-" * width)
    for line in printer_lines(text, width):
        e.line(line)
    e.line("-" * width)
    if banner:
        e.align("center").bold(True).line(banner).bold(False).align("left")
    return e.cut(partial=True, feed=4).bytes()


class Station:
    """One workstation's printer, drawer and scanner, for the app's workers to call."""

    def __init__(self, devices: Devices, *, site: Site | None = None,
                 training: bool = False) -> None:
        self.devices = devices
        self.site = site or load_site()
        self.training = training
        """The sandbox: everything printed here says TRAINING."""

    @classmethod
    def build(cls, workstation: str, config: Config | None, *, sandbox: bool,
              ssh_address: str | None = None,
              terminal_sink: Callable[[str], None] | None = None) -> Station:
        ws: WorkstationConfig
        if config is not None:
            ws = config.for_workstation(workstation, ssh_address)
        else:
            ws = sim_workstation(workstation)
        return cls(devices_for(ws, sandbox=sandbox, terminal_sink=terminal_sink),
                   training=sandbox)

    @property
    def name(self) -> str:
        return self.devices.config.name

    def doc(self, view: ReceiptView, *, duplicate: bool = False) -> ReceiptDoc:
        return receipt_doc(view, self.site, duplicate=duplicate)

    def preview(self, view: ReceiptView, *, duplicate: bool = False) -> str:
        return render_text(self.doc(view, duplicate=duplicate), self.devices.printer.columns)

    def after_payment(self, view: ReceiptView) -> StationResult:
        """Open the drawer (cash or check taken) then print. Blocking: call from a worker."""
        messages: list[str] = []
        drawer_result = None
        if view.opens_drawer and self.devices.drawer is not None:
            drawer_result = self._safe(self.devices.drawer.kick, "Cash drawer")
            if not drawer_result.ok:
                messages.append(f"{drawer_result.message} — open the drawer by key and "
                                "tell a supervisor.")
        printed = self._print(view, duplicate=False)
        if not printed.ok:
            messages.append(f"{printed.message} Receipt {view.number} is saved: reprint it "
                            "when the printer is ready.")
        return StationResult(view.number, printed, drawer_result, tuple(messages))

    def reprint(self, view: ReceiptView) -> StationResult:
        printed = self._print(view, duplicate=True)
        msgs = () if printed.ok else (printed.message,)
        return StationResult(view.number, printed, None, msgs)

    def kick_drawer(self) -> DrawerResult:
        if self.devices.drawer is None:
            return DrawerResult(False, 0, "No cash drawer is configured for this workstation.")
        return self._safe(self.devices.drawer.kick, "Cash drawer")

    def test_page(self) -> PrintResult:
        return self._safe(self.devices.printer.print_test_page, "Receipt printer")

    def print_text(self, title: str, text: str, *, training: bool = False) -> PrintResult:
        """Print a plain-text document (an X/Z report, a deposit slip, a register, a refund
        slip) under the site's heading. Blocking: call from a worker. Never raises; a printer
        that cannot print says so in the result's message, naming the document."""
        printer = self.devices.printer
        try:
            data = text_job(title, text, printer.columns, header_lines=self.site.header_lines,
                            training=training or self.training, safe7=printer.safe7)
        except (UnsafePayload, ValueError) as e:
            return PrintResult(False, f"{title} not printed: {e}")
        result = self._safe(lambda: printer.print_bytes(data), "Receipt printer")
        if not result.ok and result.message.startswith("Receipt "):
            result = replace(result, message=f"{title} {result.message[len('Receipt '):]}")
        return result

    def _print(self, view: ReceiptView, *, duplicate: bool) -> PrintResult:
        doc = self.doc(view, duplicate=duplicate)
        return self._safe(lambda: self.devices.printer.print_receipt(doc), "Receipt printer")

    @staticmethod
    def _safe(call: Callable, what: str):  # type: ignore[no-untyped-def]
        """Devices promise not to raise; this is the belt to their braces."""
        try:
            return call()
        except Exception as e:  # a device fault must never reach the counter as a crash
            if what == "Cash drawer":
                return DrawerResult(False, 0, f"{what}: {e}")
            return PrintResult(False, f"{what}: {e}")

    # -- simulated devices (sandbox, tests, the diagnostics screen) ---------------------------
    @property
    def sim_printer(self) -> SimPrinter | None:
        transport = self.devices.printer.transport
        return transport.device if isinstance(transport, SimTransport) else None

    def printer_text(self) -> list[str]:
        sim = self.sim_printer
        return sim.printed_lines() if sim is not None else []

    def close(self) -> None:
        self.devices.close()
