"""The thin CLI: help everywhere, clear user errors, validate / inspect / discover."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sw_testing import ROOT, worker_port

from simulator.server import SimulatorServer
from simulator.world import build_world
from sitewatch.cli import cli

REAL_PAGES = ROOT / "tests" / "fixtures" / "real_pages"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_version_and_command_list() -> None:
    code, out = run("--version")
    assert code == 0 and "sitewatch" in out
    code, out = run("--help")
    for command in ("simulate", "validate", "crawl", "probe", "inspect", "discover"):
        assert command in out


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out = run(command, "--help")
    assert code == 0
    assert "Example" in out and f"sitewatch {command}" in out


def test_validate_demo_config_and_standard() -> None:
    code, out = run("validate", "--config", str(ROOT / "config" / "demo.yaml"))
    assert code == 0, out
    assert ("12 sites" in out and "national" in out.lower()) or "rules" in out


def test_validate_reports_one_clear_line_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "x.yaml"
    bad.write_text(
        "group: {name: g}\nsites:\n  - {id: xa-city, name: 西安, unit_type: city,"
        " home_url: 'http://www.example.gov.cn/', columns: [{name: 通知公告, id: tzgg,"
        " url: 'ftp://x', category: notice}]}\n",
        encoding="utf-8",
    )
    code, out = run("validate", "--config", str(bad))
    assert code == 1
    assert (
        out.strip() == f"Error: {bad}: site 'xa-city', column 'tzgg': url: must be an http(s) URL"
    )


def test_missing_default_config_says_what_to_do(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITEWATCH_CONFIG", raising=False)
    code, out = run("validate")
    assert code == 1 and "config/sites.example.yaml" in out and "Traceback" not in out


def test_inspect_real_list_page_as_json() -> None:
    labels = {
        row["file"]: row
        for row in map(json.loads, (REAL_PAGES / "labels.jsonl").read_text().splitlines())
    }
    label = labels["013.html"]
    base = label["original_url"].split()[0]
    code, out = run(
        "inspect", str(REAL_PAGES / "013.html"), "--url", base, "--json", "--today", "2025-01-01"
    )
    assert code == 0, out
    data = json.loads(out)
    keys = {"page_type", "items", "pagination", "detail", "consultations", "columns"}
    assert set(data) == keys | {"http_status"} and data["http_status"] is None  # a file
    assert data["page_type"] == "list"
    expected = [item["date"] for item in label["labels"]["items"]]
    assert [item["date"] for item in data["items"]] == expected


def test_inspect_unknown_file_is_a_clear_error() -> None:
    code, out = run("inspect", "no-such-page.html")
    assert code == 1 and "no such file" in out


@pytest.fixture(scope="module")
def served_port() -> Iterator[int]:
    port = worker_port(19900)
    world = build_world(port=port, faults=frozenset())
    server = SimulatorServer(world, datetime(2012, 12, 31))
    server.start()
    yield port
    server.stop()


def test_discover_prints_a_loadable_site_block(served_port: int, tmp_path: Path) -> None:
    port = served_port
    code, out = run("discover", f"http://127.0.0.3:{port}/", "--id", "jlc")
    assert code == 0, out
    sites = yaml.safe_load(out)
    assert sites[0]["id"] == "jlc"
    categories = {column["category"] for column in sites[0]["columns"]}
    assert {"news", "notice", "consultation"} <= categories
    config = tmp_path / "found.yaml"
    group = {"group": {"name": "g", "allow_private_addresses": True}, "sites": sites}
    config.write_text(yaml.safe_dump(group, allow_unicode=True), encoding="utf-8")
    code, out = run("validate", "--config", str(config))
    assert code == 0, out


def test_the_readme_command_table_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `sitewatch ([a-z-]+)`", readme, re.MULTILINE))
    assert set(cli.commands) - listed == set()
