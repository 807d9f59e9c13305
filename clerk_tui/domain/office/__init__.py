"""The office's day (issue 17): the day report over every drawer, batch and counter, the GL
file for finance (once per closed day) and the city checks accounts payable must issue.

All three read the ledger (journals of a business day), not any counter's own tables, so a
new counter or a new kind of posting shows up without a change here.
"""
