"""Findings with a life: sync from real checks of hand-built databases, moves, audit trail."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sw_analysis_db import World, new_world, profile_of

from analysis.findings.lifecycle import after_check
from analysis.findings.review import reviewed_verdicts
from analysis.findings.states import State, TransitionError
from analysis.findings.store import events, list_findings, set_state

AS_OF = date(2012, 12, 31)
NOW = datetime(2012, 12, 31, 10, 0)
STALE = (
    "  - id: stale\n    title: 栏目不更新\n    citation: c\n    level: veto\n"
    "    metric: stale_columns\n    scope: site\n    operator: '>'\n    threshold: {n}\n"
    "    params: {{stale_days: 30}}\n"
)
HOME = (
    "  - id: home\n    title: 首页不更新\n    citation: c\n    level: deduction\n    points: 5\n"
    "    metric: days_since_home_update\n    scope: home_page\n    operator: '>'\n"
    "    threshold: 14\n"
)


def stale_world(tmp_path: Path) -> World:
    """Site s1: column a and b stale (last post in October), column c fresh."""
    world = new_world(tmp_path)
    for key in ("a", "b", "c"):
        world.column(key)
    world.post("a", "2012-10-01")
    world.post("b", "2012-10-02")
    world.post("c", "2012-12-30")
    world.done()
    return world


def check(world: World, as_of: date = AS_OF, threshold: int = 0, at: datetime = NOW):
    """A recorded check (what `sitewatch check` does) of rules stale and home."""
    profile = profile_of(STALE.format(n=threshold) + HOME, pass_score=60)
    return reviewed_verdicts(world.conn, profile, as_of, record_at=at)


def by_label(world: World) -> dict[str, dict]:
    return {row["subject_label"]: row for row in list_findings(world.conn)}


@pytest.mark.parametrize(
    ("state", "observed", "until", "expected"),
    [
        ("fixed", True, None, ("rectifying", True)),
        ("closed", True, None, ("new", True)),
        ("exempt", True, "2012-12-30", ("new", False)),
        ("exempt", True, "2012-12-31", None),  # the last exempt day still counts as exempt
        ("false_positive", True, None, None),
        ("new", True, None, None),
        ("fixed", False, None, ("closed", False)),
        ("rectifying", False, None, ("closed", False)),
        ("false_positive", False, None, None),
        ("exempt", False, "2013-01-31", None),
        ("exempt", False, "2012-12-01", ("closed", False)),
    ],
)
def test_after_check_table(state: str, observed: bool, until: str | None, expected) -> None:
    move = after_check(state, observed, until, AS_OF)
    assert (None if move is None else (move.to.value, move.reopens)) == expected


def test_each_stale_column_is_a_finding_with_an_audit_record(tmp_path: Path) -> None:
    world = stale_world(tmp_path)
    verdict = check(world)[0]
    assert verdict.veto
    found = by_label(world)
    assert set(found) == {"栏目a", "栏目b"}
    assert {row["state"] for row in found.values()} == {"new"}
    assert found["栏目a"]["subject_url"] == "http://s1.test/a/"
    trail = events(world.conn, found["栏目a"]["id"])
    assert [(e["actor"], e["from_state"], e["to_state"]) for e in trail] == [
        ("system", None, "new")
    ]
    check(world)  # the same problems again: the same two rows, no new event
    assert len(list_findings(world.conn)) == 2
    assert len(events(world.conn, found["栏目a"]["id"])) == 1


def test_fixed_but_still_failing_reopens_then_passing_closes(tmp_path: Path) -> None:
    world = stale_world(tmp_path)
    check(world)
    finding = by_label(world)["栏目a"]
    set_state(world.conn, finding["id"], "notified", "li", NOW, "已电话通知")
    set_state(world.conn, finding["id"], "已整改（待复查）", "li", NOW, "单位称已更新")
    check(world, at=datetime(2013, 1, 2, 9, 0))  # 复查: column a still stale
    row = by_label(world)["栏目a"]
    assert (row["state"], row["reopened"], row["note"]) == ("rectifying", 1, "复查不通过")
    world.post("a", "2012-12-29")
    world.done()
    check(world, at=datetime(2013, 1, 3, 9, 0))
    row = by_label(world)["栏目a"]
    assert row["state"] == "closed"
    trail = [
        (e["actor"], e["from_state"], e["to_state"], e["note"])
        for e in events(world.conn, row["id"])
    ]
    assert trail == [
        ("system", None, "new", "检查发现"),
        ("li", "new", "notified", "已电话通知"),
        ("li", "notified", "fixed", "单位称已更新"),
        ("system", "fixed", "rectifying", "复查不通过"),
        ("system", "rectifying", "closed", "复查通过"),
    ]
    assert trail[-1][2] == by_label(world)["栏目a"]["state"]
    assert by_label(world)["栏目b"]["state"] == "new"  # untouched by a's story


def test_false_positive_needs_a_reason_and_stops_counting(tmp_path: Path) -> None:
    world = stale_world(tmp_path)
    check(world)
    found = by_label(world)
    with pytest.raises(TransitionError, match="理由"):
        set_state(world.conn, found["栏目a"]["id"], "false_positive", "li", NOW, "  ")
    set_state(world.conn, found["栏目a"]["id"], "误报", "li", NOW, "栏目已停用")
    verdict = check(world)[0]
    stale = verdict.rules[0]
    assert verdict.veto and stale.value == 1  # b still stale: still vetoed, one column counted
    assert [e["column"] for e in stale.evidence] == ["栏目b"]
    set_state(world.conn, found["栏目b"]["id"], "false_positive", "li", NOW, "归档栏目")
    verdict = check(world)[0]
    assert not verdict.veto and verdict.passed and verdict.rules[0].outcome.value == "pass"
    assert {r["state"] for r in list_findings(world.conn)} == {"false_positive"}


def test_dismissing_one_of_two_lifts_a_count_threshold(tmp_path: Path) -> None:
    world = stale_world(tmp_path)
    assert check(world, threshold=1)[0].veto  # 2 stale columns > 1
    set_state(world.conn, by_label(world)["栏目b"]["id"], "false_positive", "li", NOW, "误判")
    verdict = check(world, threshold=1)[0]
    assert not verdict.veto and verdict.rules[0].value == 1


def test_exemption_counts_until_its_end_date_then_reopens(tmp_path: Path) -> None:
    world = stale_world(tmp_path)
    check(world)
    finding = by_label(world)["栏目a"]
    with pytest.raises(TransitionError, match="截止日期"):
        set_state(world.conn, finding["id"], "exempt", "li", NOW, "改版中")
    set_state(world.conn, finding["id"], "exempt", "li", NOW, "改版中", date(2013, 1, 10))
    set_state(world.conn, by_label(world)["栏目b"]["id"], "false_positive", "li", NOW, "x")
    on_last_day = check(world, as_of=date(2013, 1, 10), at=datetime(2013, 1, 10, 9))[0]
    assert not on_last_day.veto
    assert by_label(world)["栏目a"]["state"] == "exempt"
    after = check(world, as_of=date(2013, 1, 11), at=datetime(2013, 1, 11, 9))[0]
    assert after.veto
    row = by_label(world)["栏目a"]
    assert (row["state"], row["note"]) == ("new", "豁免已到期")
    assert [e["to_state"] for e in events(world.conn, row["id"])] == ["new", "exempt", "new"]


def test_site_level_finding_and_deduction_points_back(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.column("c")
    world.post("c", "2012-11-01")  # home page stale (60 days), column stale too
    world.done()
    before = check(world)[0]
    home = next(r for r in list_findings(world.conn) if r["rule_id"] == "home")
    assert home["subject"] == ""
    set_state(world.conn, home["id"], "false_positive", "li", NOW, "首页为导航页")
    after = check(world)[0]
    assert after.score == before.score + 5
    assert next(r for r in after.rules if r.id == "home").outcome.value == "pass"


def test_moves_not_in_the_workflow_are_refused(tmp_path: Path) -> None:
    world = stale_world(tmp_path)
    check(world)
    finding = by_label(world)["栏目a"]
    with pytest.raises(TransitionError, match="不能从"):
        set_state(world.conn, finding["id"], "closed", "li", NOW)
    with pytest.raises(TransitionError, match="未知状态"):
        set_state(world.conn, finding["id"], "bogus", "li", NOW)
    assert State(by_label(world)["栏目a"]["state"]) is State.NEW
    assert len(events(world.conn, finding["id"])) == 1


def test_report_rows_show_state_and_age_of_counted_findings(tmp_path: Path) -> None:
    from analysis.findings.report import finding_states

    world = stale_world(tmp_path)
    check(world)
    rejected = by_label(world)["栏目b"]
    set_state(world.conn, rejected["id"], "false_positive", "li", NOW, "已撤并")
    set_state(world.conn, by_label(world)["栏目a"]["id"], "rectifying", "li", NOW, "")
    rows = finding_states(world.conn, AS_OF, datetime(2013, 1, 10, 9))
    assert [(r.subject, r.state, r.age_days) for r in rows] == [("栏目a", "整改中", 10)]
