"""Passports (F6) counter screen (being built)."""
COUNTER_SCREEN = None
