-- Drawer reports (X, Z) total one drawer's side of the ledger by tender, and the other side of
-- the same journals by fund and GL (issue 12). These indexes hold every column those totals
-- read, so a report reads indexes only, never the table row of each of a day's entries.
--
-- ledger_drawer replaces ledger_session: the same first column under the same condition (every
-- query that used that one can use this), plus the journal (to leave deposits out), the tender,
-- the amount and the entry kind (what the drawer "took" leaves a count's over/short out).
-- ledger_journal_totals replaces ledger_journal the same way (journal first), plus book, fund,
-- GL and amount. receipts_session_totals replaces receipts_session (plus the total: the
-- report's receipt count and sum). A payment still writes one entry in each per row: wider
-- indexes, not more of them.
CREATE INDEX ledger_drawer ON ledger_entries
    (drawer_session_id, book, journal_id, tender, amount_cents, kind)
    WHERE drawer_session_id IS NOT NULL;
DROP INDEX ledger_session;
CREATE INDEX ledger_journal_totals ON ledger_entries (journal_id, book, fund, gl_code, amount_cents);
DROP INDEX ledger_journal;
CREATE INDEX receipts_session_totals ON receipts (drawer_session_id, total_cents);
DROP INDEX receipts_session;
