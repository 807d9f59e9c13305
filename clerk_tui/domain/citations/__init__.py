"""Parking citations (issue 13): numbers, rules, imports, the amount due on a date (a pure
function of history), the `citation` item kind, notices, DMV holds, contests, plans, lists.

Submodules are imported where used (this package imports nothing at start-up)."""
