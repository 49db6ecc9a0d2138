"""`sitewatch check` and `sitewatch stats` on a hand-built database, through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sw_analysis_db import new_world

from sitewatch.commands.check import check
from sitewatch.commands.stats import stats


@pytest.fixture
def cli() -> click.Group:
    group = click.Group()
    group.add_command(check)
    group.add_command(stats)
    return group


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Site s1 fine (posts, letter answered in 1 working day); s2 without consultation channel."""
    world = new_world(tmp_path, "s1", "s2")
    world.column("news")
    world.column("n2", site="s2")
    for day in ("2012-12-03", "2012-12-20", "2012-12-28"):
        world.post("news", day)
        world.post("n2", day, site="s2")
    world.post("news", "2012-11-15")
    world.letter("2012-12-03", "2012-12-04")
    world.done()
    return world.path


def run(cli: click.Group, *args: str):
    return CliRunner().invoke(cli, [*args, "--config", "missing.yaml"], catch_exceptions=False)


def test_check_json_shape_and_gate(cli: click.Group, db: Path) -> None:
    result = run(cli, "check", "--db", str(db), "--as-of", "2012-12-31", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["as_of"], data["standard"]) == ("2012-12-31", "national")
    sites = {s["site_id"]: s for s in data["sites"]}
    assert sites["s1"]["veto"] is False
    assert sites["s2"]["veto"] is True  # no consultation channel (2019 veto)
    channel = next(r for r in sites["s2"]["rules"] if r["id"] == "consultation-channel-missing")
    assert (channel["outcome"], channel["value"], channel["threshold"]) == ("fail", 1, 1)
    assert set(channel) >= {"id", "level", "outcome", "value", "threshold", "evidence"}
    gate = run(cli, "check", "--db", str(db), "--as-of", "2012-12-31", "--fail-on", "veto")
    assert gate.exit_code == 1
    only_s1 = run(
        cli,
        "check",
        "--db",
        str(db),
        "--as-of",
        "2012-12-31",
        "--site",
        "s1",
        "--fail-on",
        "veto",
        "--format",
        "csv",
    )
    assert only_s1.exit_code == 0
    assert only_s1.output.splitlines()[1].startswith("s1,0,")


def test_check_user_errors(cli: click.Group, db: Path, tmp_path: Path) -> None:
    unknown = run(cli, "check", "--db", str(db), "--as-of", "2012-12-31", "--site", "nope")
    assert unknown.exit_code == 1
    assert "unknown site 'nope'" in unknown.output
    never_crawled = run(cli, "check", "--db", str(db))
    assert never_crawled.exit_code == 1
    assert "no completed crawl yet" in never_crawled.output
    missing = run(cli, "check", "--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 1
    assert "no such database" in missing.output


def test_stats_json(cli: click.Group, db: Path) -> None:
    result = run(cli, "stats", "--db", str(db), "--month", "2012-12", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["month"] == "2012-12"
    s1 = next(s for s in data["sites"] if s["site_id"] == "s1")
    assert (s1["posts"], s1["posts_by_category"], s1["days_since_update"]) == (3, {"news": 3}, 3)
    assert (s1["consultations_received"], s1["consultations_replied"]) == (1, 1)
    assert s1["median_reply_workdays"] == 1
    column = next(c for c in data["columns"] if c["site_id"] == "s1")
    assert (column["posts"], column["last_post_on"]) == (3, "2012-12-28")


def test_stats_user_errors(cli: click.Group, db: Path) -> None:
    empty = run(cli, "stats", "--db", str(db), "--month", "2013-05")
    assert empty.exit_code == 1
    assert "2013-05: no monitoring data" in empty.output
    bad = run(cli, "stats", "--db", str(db), "--month", "2013-13")
    assert bad.exit_code == 2
