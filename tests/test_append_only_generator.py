"""The append-only migrations are one trigger shape per table: `db.no_replace_trigger`.

Each set's `NNNN_append_only.sql` was written table by table; this holds every
`<table>_no_replace` trigger in those files to the generator's output for the table's keys in
the migrated schema, so the shape is stated once (and a new counter's set can be generated)
while the files already applied to existing databases stay byte for byte as they were.
"""

from __future__ import annotations

import re

import pysqlite3.dbapi2 as sqlite3
import pytest

from clerk_tui.db import (
    load_migration_set,
    load_migrations,
    migration_sets,
    no_replace_trigger,
    split_statements,
    table_keys,
)

TRIGGER = re.compile(r"^CREATE TRIGGER (\w+)_no_replace .*?END;", re.M | re.S)


def _append_only_files() -> list[tuple[str, str]]:
    return [(f"{name}/{m.name}.sql", m.sql) for name in migration_sets()
            for m in load_migration_set(name) if m.name.endswith("_append_only")]


@pytest.fixture(scope="module")
def schema() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    for m in load_migrations():
        for stmt in split_statements(m.sql):
            conn.execute(stmt)
    return conn


def test_every_set_has_an_append_only_migration() -> None:
    assert {f.split("/")[0] for f, _ in _append_only_files()} == set(migration_sets())


@pytest.mark.parametrize("path", [f for f, _ in _append_only_files()])
def test_each_no_replace_trigger_is_the_generated_one(schema: sqlite3.Connection,
                                                      path: str) -> None:
    sql = dict(_append_only_files())[path]
    found = list(TRIGGER.finditer(sql))
    assert found, f"{path}: no no_replace triggers"
    for m in found:
        table = m.group(1)
        assert m.group(0) == no_replace_trigger(table, table_keys(schema, table)), (path, table)


def test_the_generator_names_every_key() -> None:
    sql = no_replace_trigger("t", [["id"], ["a", "b"]])
    assert "WHERE id = NEW.id)\n   OR EXISTS (SELECT 1 FROM t WHERE a = NEW.a AND b = NEW.b)" in sql
    assert sql.startswith("CREATE TRIGGER t_no_replace BEFORE INSERT ON t\nWHEN EXISTS")
