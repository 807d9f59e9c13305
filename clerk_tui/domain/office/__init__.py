"""The office (issue 17): customer records and misapplied payments."""
