"""Performance harness: each script measures clerk-tui against a baseline in the same run and
prints ratios, so figures from different machines stay comparable. Run all: `python -m bench`."""
