"""Mail, drop-box and lockbox payment batches: keyed fast against a control, posted whole,
approved by a supervisor, deposited as a batch; the bank's lockbox file imported once.

Every function key (F1-F12) and the free home letters belong to other counters, and a
`Counter` needs a function key, so batches are a job on the utility desk (F11, letter P)."""

from __future__ import annotations

from clerk_tui.counters.manifest import JobSpec, Manifest

MANIFEST = Manifest(
    name="batches",
    desk_jobs=(
        JobSpec("batches", "p", "Payment batches: mail, drop box, lockbox", "payment.take",
                "clerk_tui.screens.batches.screen:BatchesScreen", order=70),
    ),
    migrations="batches",
    rules_files=("batches/batches.toml",),
    demo="clerk_tui.domain.batches.demo:sandbox_builder",
    bench_jobs=("clerk_tui.screens.batches.bench:job_mail_batch_stubs",),
)
