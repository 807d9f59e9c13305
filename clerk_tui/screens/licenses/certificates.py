"""Printing a certificate: the plain text on the workstation's printer and the PDF saved
under the data folder (`licenses/certificates/<number>-<year>.pdf`), in one worker."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from clerk_tui.domain.licenses import certificate, records
from clerk_tui.paths import data_home

if TYPE_CHECKING:
    from clerk_tui.screens.licenses.screen import LicensesScreen


def certificate_folder() -> Path:
    return data_home() / "licenses" / "certificates"


def print_certificate(screen: LicensesScreen, number: str, *, duplicate: bool = False) -> None:
    db, station = screen.session.db, screen.session.station

    def work() -> tuple[Any, Path]:
        lic = records.get_license(db, number)
        text = certificate.certificate_text(lic, duplicate=duplicate)
        folder = certificate_folder()
        folder.mkdir(parents=True, exist_ok=True)
        year = certificate.paid_term(lic).year
        path = folder / f"{lic.number}-{year}{'-dup' if duplicate else ''}.pdf"
        certificate.certificate_pdf(lic, path, duplicate=duplicate)
        return station.print_text(f"License certificate {lic.number}", text), path

    def done(result: tuple[Any, Path] | None) -> None:
        if result is None:
            return
        printed, path = result
        ok = getattr(printed, "ok", False)
        screen._say(("Certificate printed" if ok else
                     f"Not printed ({getattr(printed, 'message', 'no printer')})")
                    + f"; PDF saved: {path}")

    screen._run(work, "print the certificate", done)
