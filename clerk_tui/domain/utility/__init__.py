"""The utility side of an account: service, reads, billing, adjustments, deposits, collections.

Rules live in `data/utility/*.toml` (effective-dated); tables in migrations/utility/.
"""
