"""Passports (F6): DS-11 acceptance, transmittals, appointments, reports."""
