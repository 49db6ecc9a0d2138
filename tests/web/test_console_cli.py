"""`sitewatch users`, `sitewatch findings` and the demo's console account, through the CLI."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sw_console import World

from crawler.store import open_db
from sitewatch.cli import cli
from sitewatch.web.auth import authenticate
from sitewatch.web.demo_account import DEMO_PASSWORD, DEMO_USER, console_hint


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_users_add_hashes_and_refuses_duplicates(world: World) -> None:
    db = str(world.path)
    env = {"SITEWATCH_PASSWORD": "a-long-secret"}
    added = run("users", "add", "li", "--role", "reviewer", "--db", db, env=env)
    assert added.exit_code == 0, added.output
    stored = world.conn.execute("SELECT password_hash FROM users WHERE name = 'li'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "a-long-secret" not in stored
    again = run("users", "add", "li", "--role", "viewer", "--db", db, env=env)
    assert again.exit_code == 1 and "已存在" in again.output
    short = run(
        "users", "add", "wu", "--role", "viewer", "--db", db, env={"SITEWATCH_PASSWORD": "x"}
    )
    assert short.exit_code == 1 and "至少" in short.output
    assert "li\treviewer" in run("users", "list", "--db", db).output


def test_findings_commands_move_a_finding_with_an_audit_record(world: World) -> None:
    db = str(world.path)
    listed = json.loads(run("findings", "list", "--db", db, "--format", "json").output)
    assert {"stale", "flaky"} <= {row["site_id"] for row in listed}
    target = next(row for row in listed if row["rule_id"] == "site-not-updated")
    refused = run("findings", "set-state", str(target["id"]), "误报", "--db", db)
    assert refused.exit_code == 1 and "理由" in refused.output
    moved = run("findings", "set-state", str(target["id"]), "误报", "--note", "导航页",
                "--by", "li", "--db", db, "--now", "2013-01-02T10:00")  # fmt: skip
    assert moved.exit_code == 0 and "误报" in moved.output
    shown = run("findings", "show", str(target["id"]), "--db", db).output
    assert "2013-01-02T10:00:00  li  新发现 → 误报  导航页" in shown
    rejected = run("findings", "list", "--db", db, "--state", "false_positive", "--format", "json")
    assert [row["id"] for row in json.loads(rejected.output)] == [target["id"]]


def test_check_records_findings_and_discounts_false_positives(world: World) -> None:
    db = str(world.path)
    first = json.loads(run("check", "--db", db, "--as-of", "2012-12-31", "--format", "json").output)
    stale = next(s for s in first["sites"] if s["site_id"] == "stale")
    assert stale["veto"]
    for row in json.loads(
        run("findings", "list", "--db", db, "--site", "stale", "--format", "json").output
    ):
        run(
            "findings",
            "set-state",
            str(row["id"]),
            "false_positive",
            "--note",
            "核实无误",
            "--db",
            db,
        )
    second = json.loads(
        run("check", "--db", db, "--as-of", "2012-12-31", "--format", "json").output
    )
    assert not next(s for s in second["sites"] if s["site_id"] == "stale")["veto"]


@pytest.mark.parametrize("times", [1, 2])
def test_demo_hint_creates_one_working_account(tmp_path: Path, times: int) -> None:
    db = tmp_path / "demo.db"
    for _ in range(times):
        hint = console_hint(db, Path("config/demo.yaml"))
    assert "sitewatch serve --config config/demo.yaml" in hint and DEMO_PASSWORD in hint
    conn = open_db(db).conn
    assert authenticate(conn, DEMO_USER, DEMO_PASSWORD, datetime(2012, 12, 31)) is not None
    assert conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 1
