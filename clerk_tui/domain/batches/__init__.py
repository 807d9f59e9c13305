"""Mail, drop-box and lockbox payment batches (no Textual; SQL only here and in db.py).

A clerk opens a batch with the control the mail room counted (how many payments, for how
much), keys each stub fast (a scanned stub fills account and amount due; Enter takes it), and
posts the batch only when its lines match the control. A supervisor approves it, and the batch,
not a drawer, goes onto the bank deposit slip. The bank's lockbox file becomes a batch too.

How a batch's money is marked in the ledger (what a day report or GL file reads):

- A posted batch has its own session: `drawer_sessions.workstation = 'batch:<batches.id>'`,
  `clerk` = who posted it, opening bank 0, and `batches.drawer_session_id` points at it. It is
  no drawer (never counted); `cashier.sessions.list_sessions` and the deposit's drawer list
  leave such sessions out.
- Each line is an ordinary receipt posted through `cashier.post_payment(session_id=...)`: one
  journal of kind `receipt` per line (account credit, and the tender in book `drawer` with
  `drawer_session_id` = the batch's session and `tender` = check or money_order), gapless
  receipt numbers, an audit row each. `batch_receipts(batch_id, line, receipt_id)` links them.
- Its deposit is an ordinary `deposit` journal moving that session's drawer book to the
  bank-deposit clearing GL; `deposit_sessions` lists the batch's session.

So a batch's journals are `SELECT r.journal_id FROM receipts r JOIN batches b ON
b.drawer_session_id = r.drawer_session_id WHERE b.id = ?`, and any ledger entry whose session's
workstation starts with `batch:` is batch money (`ledger_entries.drawer_session_id`).
"""
