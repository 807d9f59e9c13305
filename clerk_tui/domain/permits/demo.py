def sandbox_builder(db, *, seed, accounts):
    return None
