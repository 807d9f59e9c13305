"""Screens of the payment batches (utility desk job P)."""
