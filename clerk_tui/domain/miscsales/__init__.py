"""Misc. sales: copies, bus passes, permit replacements, notary and other over-the-desk items.

Sold as items of an ordinary receipt (item kind `misc`, reference `CODE*QTY`), so they are
paid in any tender, voided, reversed and reported by the cashier's machinery; this package only
knows the catalogue (`data/miscsales/items.toml`), the price of a line and its day report.
"""

from clerk_tui.domain.miscsales.catalogue import (
    Catalogue,
    CatalogueItem,
    catalogue,
    load_catalogue,
)
from clerk_tui.domain.miscsales.items import (
    KIND,
    Line,
    MiscItem,
    format_reference,
    parse_reference,
    price_line,
    sale_items,
)
from clerk_tui.domain.miscsales.reports import DayLine, day_report, format_day_report

__all__ = ["KIND", "Catalogue", "CatalogueItem", "DayLine", "Line", "MiscItem", "catalogue",
           "day_report", "format_day_report", "format_reference", "load_catalogue",
           "parse_reference", "price_line", "sale_items"]
