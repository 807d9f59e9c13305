"""Misc. sales (F12): pick catalogue items, then pay them on the ordinary payment screen."""
