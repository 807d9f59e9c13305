"""The cashier's counter: drawer sessions, sales, receipts, voids, balancing and the deposit.

Screens import from here. Every operation that changes something is one `db.write()`
transaction with its audit row, moves money only through `ledger.post`/`ledger.reverse`, and
returns a plain dataclass. Operations that may need a supervisor raise `OverrideRequired`; the
screen asks for the supervisor's name and PIN (`auth.authorize_override(...)` with the error's
`permission`, `amount_cents` and `limit`) and calls again with `override=`.
"""

from clerk_tui.domain.cashier.closing import (
    CloseResult,
    approval_note_problem,
    approve_session,
    awaiting_approval,
    begin_balancing,
    reopen_session,
    resume_session,
    submit_count,
)
from clerk_tui.domain.cashier.denominations import (
    DENOMINATIONS,
    CountedItem,
    Denomination,
    DrawerCount,
)
from clerk_tui.domain.cashier.deposit import (
    DayClose,
    DepositItem,
    DepositSlip,
    close_business_day,
    create_deposit,
    depositable,
    render_deposit_slip,
    waiting_batches,
)
from clerk_tui.domain.cashier.items import (
    ItemKind,
    ItemQuote,
    SaleItem,
    get_kind,
    kinds,
    quote_item,
    register,
)
from clerk_tui.domain.cashier.movements import (
    CashMovement,
    paid_in,
    paid_out,
    pickup,
)
from clerk_tui.domain.cashier.payments import (
    PaymentResult,
    SalePreview,
    new_idempotency_key,
    plan_tenders,
    post_payment,
    price_items,
)
from clerk_tui.domain.cashier.receipts import (
    ReceiptItemView,
    ReceiptView,
    TenderView,
    VoidView,
    get_receipt,
    last_receipt_for_account,
    last_receipt_for_clerk,
    last_receipt_for_key,
    reprint,
)
from clerk_tui.domain.cashier.refunds import (
    RefundResult,
    refund_credit,
)
from clerk_tui.domain.cashier.reports import (
    SessionReport,
    format_report,
    x_report,
    z_report,
)
from clerk_tui.domain.cashier.rules import rules as cashier_rules
from clerk_tui.domain.cashier.sessions import (
    SessionView,
    current_session,
    get_session,
    latest_session,
    list_sessions,
    open_session,
)
from clerk_tui.domain.cashier.tenders import (
    Tender,
    TenderPlan,
)
from clerk_tui.domain.cashier.voids import (
    NsfResult,
    VoidResult,
    nsf_return,
    reverse_receipt,
    void_receipt,
)

__all__ = [
    "CashMovement",
    "CloseResult",
    "CountedItem",
    "DENOMINATIONS",
    "DayClose",
    "Denomination",
    "DepositItem",
    "DepositSlip",
    "DrawerCount",
    "ItemKind",
    "ItemQuote",
    "NsfResult",
    "PaymentResult",
    "ReceiptItemView",
    "ReceiptView",
    "RefundResult",
    "SaleItem",
    "SalePreview",
    "SessionReport",
    "SessionView",
    "Tender",
    "TenderPlan",
    "TenderView",
    "VoidResult",
    "VoidView",
    "approval_note_problem",
    "approve_session",
    "awaiting_approval",
    "begin_balancing",
    "cashier_rules",
    "close_business_day",
    "create_deposit",
    "current_session",
    "depositable",
    "format_report",
    "get_kind",
    "get_receipt",
    "get_session",
    "kinds",
    "last_receipt_for_account",
    "last_receipt_for_clerk",
    "last_receipt_for_key",
    "latest_session",
    "list_sessions",
    "new_idempotency_key",
    "nsf_return",
    "open_session",
    "paid_in",
    "paid_out",
    "pickup",
    "plan_tenders",
    "post_payment",
    "price_items",
    "quote_item",
    "refund_credit",
    "register",
    "render_deposit_slip",
    "waiting_batches",
    "reopen_session",
    "reprint",
    "resume_session",
    "reverse_receipt",
    "submit_count",
    "void_receipt",
    "x_report",
    "z_report",
]
