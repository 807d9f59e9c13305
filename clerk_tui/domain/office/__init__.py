"""The office (issue 17): customer records and misapplied payments (`records`, `transfers`);
the day report over every drawer, batch and counter, the GL file for finance (once per closed
day) and the city checks accounts payable must issue (`day`, `gl`, `refunds`).

The reports read the ledger (journals of a business day), not any counter's own tables, so a
new counter or a new kind of posting shows up without a change there.
"""
