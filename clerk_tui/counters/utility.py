"""The utility desk (F11): service, reads, billing, adjustments, deposits, collections, mailing;
its duties on the account `A` menu and its account alerts."""

from __future__ import annotations

from clerk_tui.counters.manifest import ActionSpec, Counter, JobSpec, Manifest

_U = "clerk_tui.screens.utility"
_D = "clerk_tui.domain.utility"

MANIFEST = Manifest(
    name="utility",
    counters=(
        Counter("utility", "Utility desk", "f11", "u", "utility.desk",
                "Service orders, billing runs, delinquency", f"{_U}.desk:COUNTER_SCREEN"),
    ),
    account_actions=(
        ActionSpec("order", "o", "New service order", "service.order",
                   f"{_U}.service:new_order", order=10),
        ActionSpec("read", "m", "Enter meter read", "meter.read", f"{_U}.service:ReadForm",
                   order=11),
        ActionSpec("close", "c", "Close account", "account.close", f"{_U}.service:CloseForm",
                   order=12),
        ActionSpec("transfer", "t", "Transfer service", "account.transfer",
                   f"{_U}.service:TransferForm", order=13),
        ActionSpec("adjust", "j", "Adjust bill", "bill.adjust",
                   f"{_U}.adjustments:AdjustBillScreen", order=40),
        ActionSpec("assistance", "i", "Assistance application", "assistance.take",
                   f"{_U}.adjustments:AssistanceScreen", order=60),
        ActionSpec("medical", "k", "Medical certification", "medical.record",
                   f"{_U}.adjustments:MedicalCertificationScreen", order=61),
        ActionSpec("collections.plan", "p", "Payment plan", "payment_plan.create",
                   f"{_U}.collections:PlanScreen", order=60),
        ActionSpec("collections.extension", "x", "Extension (pay by a date)",
                   "payment_plan.create", f"{_U}.collections:open_extension", order=61),
        ActionSpec("collections.letters", "e", "Letters", "letter.print",
                   f"{_U}.collections:LettersScreen", order=62),
        ActionSpec("collections.restore", "s", "Restore service after shutoff",
                   "service.order", f"{_U}.collections:RestoreScreen", order=63),
        # office (issue 17): the customer's name, phone, email, mailing address, language
        ActionSpec("office.record", "u", "Customer record (name, address, returned mail)",
                   "customer.edit", "clerk_tui.screens.office.records:open_record", order=14),
    ),
    desk_jobs=(
        JobSpec("new_account", "n", "New account (start service)", "account.open",
                f"{_U}.service:NewAccountForm", order=10),
        JobSpec("route_list", "l", "Route list of open orders", "service.order",
                f"{_U}.service:RouteListScreen", order=11),
        JobSpec("orders", "w", "Service orders: dispatch, complete", "service.order",
                f"{_U}.service:OrdersScreen", order=12),
        JobSpec("billing_run", "b", "Billing run (register, finalize)", "billing.run",
                f"{_U}.billing:BillingRunForm", order=20),
        JobSpec("late_fees", "k", "Late fees", "billing.run", f"{_U}.billing:LateFeeForm",
                order=21),
        JobSpec("deposit_refunds", "f", "Deposit refunds", "deposit.refund",
                f"{_U}.deposits:DepositRefundsScreen", order=40),
        JobSpec("assistance_queue", "v", "Assistance approvals", "assistance.approve",
                f"{_U}.adjustments:AssistanceQueueScreen", order=60),
        JobSpec("collections.notices", "d", "Delinquency notices run", "delinquency.run",
                f"{_U}.collections:notices_run", order=60),
        JobSpec("collections.shutoff", "s", "Shutoff list (SB 998)", "delinquency.run",
                f"{_U}.collections:shutoff_run", order=61),
        JobSpec("collections.referrals", "r", "Collection agency referrals",
                "collections.refer", f"{_U}.collections:referral_run", order=62),
        JobSpec("mail_letters", "m", "Mail letters (print or save the queue)", "letter.print",
                f"{_U}.mailing:MailLettersScreen", order=63),
    ),
    alert_rules=(
        f"{_D}.orders:orders_alert",
        f"{_D}.reads:flagged_read_alert",
        f"{_D}.plans:plan_alert",
        f"{_D}.deposits:deposit_alert",
        f"{_D}.delinquency:shutoff_alert",
    ),
    migrations="utility",
    rules_files=("utility/rates.toml", "utility/service.toml", "utility/adjustments.toml",
                 "utility/assistance.toml", "utility/collections.toml",
                 "utility/holidays.toml"),
    demo="clerk_tui.domain.demo:sandbox_builder",
)
