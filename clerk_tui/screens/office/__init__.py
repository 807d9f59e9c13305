"""The office's screens (issue 17): customer record, payment transfer."""
