"""Reliability tests: crash safety, concurrency and stateful fuzzing of the cashier's books."""
