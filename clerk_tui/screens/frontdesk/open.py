"""What an F2 lookup hit of the front desk opens (the manifest's finders' `open`): the record
in the report view (P prints). Reading a registrant or a records request here is a view:
the domain writes its audit row, in the thread, before the text comes back."""

from __future__ import annotations

from typing import Any

from clerk_tui.domain.frontdesk import records, vehicles, visitors
from clerk_tui.screens.frontdesk import records as record_screens
from clerk_tui.screens.frontdesk import registrants as registrant_screens
from clerk_tui.screens.frontdesk.common import DeskReport


def open_registrant(screen: Any, key: str) -> None:
    session = screen.session
    screen.app.push_screen(DeskReport("Registrant", load=lambda: registrant_screens.view_text(
        session, int(key))))


def open_request(screen: Any, key: str) -> None:
    session = screen.session

    def load() -> str:
        req = records.by_number(session.db, key)
        return record_screens.view_text(session, req.id)

    screen.app.push_screen(DeskReport(f"Request {key}", load=load))


def open_impound(screen: Any, key: str) -> None:
    session = screen.session

    def load() -> str:
        v = vehicles.get(session.db, session.actor, vehicles.parse_reference(key))
        return "\n".join([f"STORED VEHICLE {v.plate}", "", f"VIN: {v.vin}   Make: {v.make}",
                          f"Owner: {v.owner}", f"Stored: {v.stored_on}  CVC {v.reason_code}",
                          f"Held until: {v.hold_until}   Status: {v.status}",
                          *[f"[{'x' if ok else ' '}] {k}" for k, ok in v.checklist.items()],
                          f"Fee: {'paid' if v.fee_receipt_id else 'due'}",
                          f"Release: {v.release_number or '-'}",
                          f"Hearing: {v.hearing_on or '-'} {v.hearing_outcome or ''}"])

    screen.app.push_screen(DeskReport(f"Vehicle {key}", load=load))


def open_visitor(screen: Any, key: str) -> None:
    session = screen.session

    def load() -> str:
        v = visitors.by_badge(session.db, key)
        return "\n".join([f"VISITOR {v.badge}", "", f"Name: {v.name}",
                          f"Company: {v.company}", f"Visiting: {v.visiting}",
                          f"Purpose: {v.purpose}", f"ID seen: {'yes' if v.id_seen else 'NO'}",
                          f"In: {v.in_at} ({v.in_by})",
                          f"Out: {v.out_at or 'still in the building'}"
                          + (" BADGE NOT RETURNED" if v.badge_missing else "")])

    screen.app.push_screen(DeskReport(f"Visitor {key}", load=load))
