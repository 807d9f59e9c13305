"""The police front desk (F7) screens."""
