"""Keystroke bench job for passports (being built)."""
async def job_adult_book_cash(pilot):  # noqa: ANN001, ANN201
    return []
