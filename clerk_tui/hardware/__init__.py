"""Devices at the workstation: receipt printer, cash drawer, barcode scanners.

Blocking, thread-safe APIs with timeouts (the app calls them from Textual workers); this
package never imports Textual. Start at devices.py (`devices_for`), then printer.py, drawer.py,
scanner.py (keyboard wedge), serial_scanner.py, receipt.py; escpos.py holds the bytes.
"""
