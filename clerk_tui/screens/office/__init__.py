"""The office's screens (issue 17): customer record and payment transfer (account A menu);
the day report, GL file and AP refunds (F9 Reports)."""
