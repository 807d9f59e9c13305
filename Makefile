.PHONY: test bench bench-quick lint

test:
	pytest

# Full size (1M accounts, 100k receipts, 100k accounts for the desk-job contention): the first
# run builds and caches the databases (~4 + ~4 minutes + ~20 s on 2 cores) under
# ~/.cache/clerk-tui-bench; later runs start at once.
bench:
	python -m bench

# Small sizes, a minute or so: a smoke run, not figures to quote.
bench-quick:
	python -m bench.startup --runs 2
	python -m bench.lookup --accounts 20000
	python -m bench.posting --workers 1,4
	python -m bench.reports --receipts 5000
	python -m bench.keystrokes
	python -m bench.contention --accounts 5000 --baseline 3

lint:
	ruff check clerk_tui tests bench
