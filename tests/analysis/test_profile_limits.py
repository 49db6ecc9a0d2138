"""Every limit comes from the one resolved profile: `stats`, the report and `check` agree.

A local profile extends the shipped national one and tightens the news columns' staleness limit
from 14 to 7 days. A news column last updated 10 days before the check date is then stale for
all three — the monthly figures used to keep their own hard-coded 14 days.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sw_analysis_db import World, new_world

from analysis.metrics import MonthSettings, compute_month
from analysis.report.build import build_context
from analysis.report.tables import definition
from analysis.standards import load_profile
from analysis.standards.engine import evaluate
from sitewatch.cli import cli

AS_OF = date(2012, 12, 31)
LOCAL = """\
id: local
name: 本地规范
extends: national
rules:
  - id: columns-not-updated-dynamic
    title: 动态类栏目 7 天未更新
    citation: 本地规范（测试）
    level: veto
    metric: stale_columns
    scope: site
    params: {categories: [news, notice, policy], stale_days: 7,
             stale_days_by_category: {notice: 183, policy: 183}}
    operator: ">="
    threshold: 1
"""


def world_with_a_news_column_10_days_old(tmp_path: Path) -> World:
    """One site, one news column last updated on 2012-12-21 (10 days before the check)."""
    world = new_world(tmp_path)
    world.column("news", "news")
    world.post("news", "2012-12-21")
    world.post("news", "2012-12-03")
    world.done()
    return world


def local_profile(tmp_path: Path) -> Path:
    """The local profile file."""
    path = tmp_path / "local.yaml"
    path.write_text(LOCAL, encoding="utf-8")
    return path


def test_the_profile_s_news_limit_is_the_limit_of_stats_report_and_check(tmp_path: Path) -> None:
    world = world_with_a_news_column_10_days_old(tmp_path)
    profile_path = local_profile(tmp_path)
    profile = load_profile(profile_path)

    check = {r.id: r for r in evaluate(world.path, profile, AS_OF)[0].rules}
    dynamic = check["columns-not-updated-dynamic"]
    assert (dynamic.outcome.value, dynamic.value) == ("fail", 1)
    assert dynamic.evidence[0]["limit"] == 7
    assert dynamic.flagged == ("http://s1.test/news/",)

    result = CliRunner().invoke(
        cli,
        [
            "stats",
            "--db",
            str(world.path),
            "--config",
            str(tmp_path / "none.yaml"),
            "--month",
            "2012-12",
            "--standard",
            str(profile_path),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    column = stats["columns"][0]
    assert (column["stale"], column["stale_limit_days"]) == (True, 7)
    assert column["stale_rule"] == "columns-not-updated-dynamic"
    assert stats["sites"][0]["stale_columns"] == 1

    report = build_context(world.path, "2012-12", profile_path)
    issue = next(i for i in report.column_issues if i.column_url == "http://s1.test/news/")
    assert (issue.limit_days, issue.rule_id) == (7, "columns-not-updated-dynamic")
    # ... and the report's definitions quote the profile's limits, not fixed numbers.
    assert "工作动态 7 天" in definition("stale_columns", report.method, "zh")
    assert "超过 91 天" in definition("overdue", report.method, "zh")


def test_with_the_national_profile_the_same_column_is_not_stale(tmp_path: Path) -> None:
    world = world_with_a_news_column_10_days_old(tmp_path)
    check = {r.id: r for r in evaluate(world.path, load_profile("national"), AS_OF)[0].rules}
    assert check["columns-not-updated-dynamic"].value == 0
    metrics = compute_month(world.path, "2012-12")  # no profile named: national's limits
    assert (metrics.columns[0].stale, metrics.columns[0].stale_limit_days) == (False, 14)


def test_month_settings_take_the_strictest_rule_and_name_it() -> None:
    settings = MonthSettings.from_profile(load_profile("national"))
    # statistics columns: 365 days under the basic-information veto, 91 under the deduction
    assert settings.stale_days["statistics"] == 91
    assert settings.stale_rules["statistics"] == "service-statistics-stale"
    assert settings.stale_rules["planning"] == "columns-not-updated-basic-info"
    assert (settings.probe_timeout_s, settings.overdue_days) == (15.0, 91)
    assert "consultation" not in settings.stale_days
