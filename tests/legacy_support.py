"""A production database as clerk-tui made it before migration 0007 (no site secret), for the
tests that prove such a database still verifies and migrates forward untouched."""

from __future__ import annotations

from typing import Any

from clerk_tui.db import legacy_sequence, split_statements


def begin_pre_0007_production(conn: Any) -> None:
    """On a raw connection (autocommit), BEGIN and write the schema of migrations 0001-0005,
    recorded in schema_migrations, with meta kind 'production'; the caller adds rows and
    COMMITs."""
    conn.execute("BEGIN")
    for m in legacy_sequence()[:5]:
        for stmt in split_statements(m.sql):
            conn.execute(stmt)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", [m.version, m.name])
    conn.execute("INSERT INTO meta VALUES ('kind', 'production')")
