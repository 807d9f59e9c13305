.PHONY: test bench lint

test:
	pytest

bench:
	python -m bench

lint:
	ruff check clerk_tui tests bench
