"""Demo data (being built)."""
def sandbox_builder(db, *, seed, accounts):  # noqa: ANN001, ANN201
    return None
