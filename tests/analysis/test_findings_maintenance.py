"""Maintenance filings (临时报备): their hours leave availability, the failure-rate rule, trends
and down alerts — on real probes in a real SQLite file."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sw_analysis_db import World, new_world, profile_of

from analysis.findings.maintenance import (
    Filing,
    FilingError,
    add_filing,
    describe,
    filings_between,
    in_maintenance,
    list_filings,
    recurring,
    withdraw,
)
from analysis.metrics import compute_month
from analysis.standards.engine import evaluate
from sitewatch.alerts.conditions import probe_assessment

NOW = datetime(2012, 12, 31, 10, 0)
FAILED_HOURS = (2, 3)  # Sunday 2012-12-02, 02:30 and 03:30
RATE = (
    "  - id: rate\n    title: 首页可用率\n    citation: c\n    level: deduction\n    points: 5\n"
    "    metric: home_failure_rate\n    scope: home_page\n    operator: '>'\n    threshold: 0\n"
)


def sunday_world(tmp_path: Path) -> World:
    """Site s1 probed hourly on Sunday 2012-12-02 and Monday 2012-12-03; two failed visits on
    Sunday night, one on Monday at 02:30."""
    world = new_world(tmp_path)
    for day, failing in (("2012-12-02", FAILED_HOURS), ("2012-12-03", (2,))):
        for hour in range(24):
            world.probe(f"{day}T{hour:02d}:30:00", ok=hour not in failing)
    world.done()
    return world


def availability(world: World):
    return compute_month(world.conn, "2012-12", date(2012, 12, 31)).site("s1").availability


def weekly_sunday(site: str = "s1") -> Filing:
    return recurring(site, date(2012, 12, 1), None, "02:00", "04:00", "服务器例行维护", "王科长", 0)


def test_weekly_window_leaves_its_hours_out(tmp_path: Path) -> None:
    world = sunday_world(tmp_path)
    before = availability(world)
    assert (before.visits, before.failures) == (48, 3)
    add_filing(world.conn, weekly_sunday(), "li", NOW)
    after = availability(world)
    # Sunday 02:30 and 03:30 are out; Monday 02:30 is not a Sunday: still a failure.
    assert (after.visits, after.failures) == (46, 1)
    assert after.failure_rate == round(1 / 46, 4)
    assert after.outages == 1


def test_failure_rate_rule_reads_the_same_probes(tmp_path: Path) -> None:
    world = sunday_world(tmp_path)
    profile = profile_of(RATE)
    before = evaluate(world.conn, profile, date(2012, 12, 3))[0].rules[0]
    add_filing(world.conn, weekly_sunday(), "li", NOW)
    after = evaluate(world.conn, profile, date(2012, 12, 3))[0].rules[0]
    assert before.value == pytest.approx(3 / 48)
    assert after.value == pytest.approx(1 / 46)


def test_once_window_and_withdrawal(tmp_path: Path) -> None:
    world = sunday_world(tmp_path)
    once = Filing(
        "s1", datetime(2012, 12, 3, 2, 0), datetime(2012, 12, 3, 3, 0), "改版上线", "王科长"
    )
    filing_id = add_filing(world.conn, once, "li", NOW)
    assert (availability(world).visits, availability(world).failures) == (47, 2)
    assert in_maintenance(world.conn, "s1", "2012-12-03T02:30:00")
    assert not in_maintenance(world.conn, "s1", "2012-12-03T03:00:00")  # end is exclusive
    assert not in_maintenance(world.conn, "s2", "2012-12-03T02:30:00")
    withdraw(world.conn, filing_id, "li", NOW)
    assert (availability(world).visits, availability(world).failures) == (48, 3)
    with pytest.raises(FilingError):
        withdraw(world.conn, filing_id, "li", NOW)
    assert list_filings(world.conn)[0]["withdrawn_by"] == "li"
    assert filings_between(world.conn, date(2012, 12, 1), date(2012, 12, 31)) == []


def test_down_alert_is_not_raised_inside_a_window(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.probe("2012-12-02T01:30:00", ok=True)
    world.probe("2012-12-02T02:30:00", ok=False)
    world.probe("2012-12-02T03:30:00", ok=False)
    world.done()
    assert [c.key for c in probe_assessment(world.conn).present] == ["site_down:s1:home"]
    add_filing(world.conn, weekly_sunday(), "li", NOW)
    assert probe_assessment(world.conn).present == ()


@pytest.mark.parametrize(
    ("filing", "message"),
    [
        (Filing("s1", datetime(2012, 12, 3), None, "x", "y"), "结束时间"),
        (Filing("s1", datetime(2012, 12, 3), datetime(2012, 12, 2), "x", "y"), "晚于"),
        (Filing("s1", datetime(2012, 12, 3), datetime(2012, 12, 4), " ", "y"), "事由"),
        (recurring("s1", date(2012, 12, 1), None, "23:00", "01:00", "x", "y", 0), "跨零点"),
        (recurring("s1", date(2012, 12, 1), None, "2:00", "04:00", "x", "y"), "HH:MM"),
        (recurring("nope", date(2012, 12, 1), None, "02:00", "04:00", "x", "y"), "没有站点"),
    ],
)
def test_bad_filings_are_refused_with_a_reason(tmp_path: Path, filing: Filing, message: str):
    world = new_world(tmp_path)
    with pytest.raises(FilingError, match=message):
        add_filing(world.conn, filing, "li", NOW)
    assert list_filings(world.conn) == []


def test_descriptions_read_as_chinese(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    add_filing(world.conn, weekly_sunday(), "li", NOW)
    add_filing(
        world.conn,
        recurring("s1", date(2012, 12, 1), date(2012, 12, 31), "01:00", "02:00", "备份", "王"),
        "li",
        NOW,
    )
    texts = [describe(row) for row in list_filings(world.conn)]
    assert texts == [
        "每天 01:00–02:00（2012-12-01 至 2012-12-31）",
        "每周日 02:00–04:00（2012-12-01 起长期有效）",
    ]
