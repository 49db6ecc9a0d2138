"""The conventions the docs promise, checked: schema, command table, metric wording.

- docs/schema.md names every table and every column of a freshly migrated database;
- the README's command table lists every `sitewatch` command;
- every registered metric has a Chinese title and description and a recommendation (zh, en).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.standards.catalog import METRICS
from crawler.store import open_db
from sitewatch.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
HEADING = re.compile(r"^## `([a-z_]+)`", re.MULTILINE)
CODE = re.compile(r"`([a-z][a-z0-9_]*)`")  # column names may hold digits (ipv6_state)
CJK = re.compile(r"[\u4e00-\u9fff]")


def migrated_schema() -> dict[str, list[str]]:
    """Table -> columns of a freshly migrated database (SQLite's own tables left out)."""
    conn = open_db(":memory:").conn
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: [row[1] for row in conn.execute(f"PRAGMA table_info('{t}')")] for t in tables}


def documented_schema() -> dict[str, set[str]]:
    """Table -> the columns named in the first cell of its section's table rows."""
    parts = HEADING.split(SCHEMA)
    out: dict[str, set[str]] = {}
    for table, body in zip(parts[1::2], parts[2::2], strict=True):
        cells = [line.split("|")[1] for line in body.splitlines() if line.startswith("| `")]
        out[table] = {name for cell in cells for name in CODE.findall(cell)}
    return out


SCHEMA_NOW = migrated_schema()
DOCUMENTED = documented_schema()


@pytest.mark.parametrize("table", sorted(t for t in SCHEMA_NOW if t != "_sqlite_migrations"))
def test_schema_doc_names_every_table_and_column(table: str) -> None:
    assert table in DOCUMENTED, f"docs/schema.md has no section for table {table}"
    missing = [c for c in SCHEMA_NOW[table] if c not in DOCUMENTED[table]]
    assert not missing, f"docs/schema.md, table {table}: columns not described: {missing}"


def test_schema_doc_describes_no_table_that_does_not_exist() -> None:
    assert set(DOCUMENTED) <= set(SCHEMA_NOW)


def test_readme_command_table_lists_every_command() -> None:
    rows = [line for line in README.splitlines() if line.startswith("| `sitewatch ")]
    listed = {line.split("`")[1].split()[1] for line in rows}
    assert sorted(set(cli.commands) - listed) == []


@pytest.mark.parametrize("name", sorted(METRICS))
def test_every_metric_has_its_wording(name: str) -> None:
    metric = METRICS[name]
    assert CJK.search(metric.title) and CJK.search(metric.description), name
    zh, en = metric.recommendation
    assert CJK.search(zh) and en.strip() and not CJK.search(en), name
    assert metric.__doc__ and metric.__doc__.strip(), name  # the developer's definition
    for info in metric.params_info():
        assert info.description, f"{name}: params.{info.name}"
