"""Business licenses (F5): applications routed to departments for review, the license tax
(flat, per employee or gross receipts; proration; out-of-town multiplier; minimum), the state
CASp fee split, late penalties, renewals by scanned notice, certificates, BID assessments and
their monthly remittance, and the counter's notices and reports.

Rules: data/licenses/*.toml (rules.py). Pure arithmetic: tax.py, due.py. The record:
records.py. Money: items.py (item kinds `license` and `bid`).
"""
