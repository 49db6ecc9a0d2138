"""Every rule type against small hand-built databases, with hand-derived exact outcomes.

The check date is 2012-12-31 throughout. Working days follow the official 2012 calendar:
National Day holiday 2012-09-30 … 2012-10-07, with Saturday 2012-09-29 a make-up working day.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sw_analysis_db import World, new_world, profile_of

from analysis.standards.catalog import METRICS
from analysis.standards.engine import evaluate

AS_OF = date(2012, 12, 31)


def rule(metric: str, scope: str, operator: str, threshold: float, extra: str = "") -> str:
    """One rule as YAML, level veto unless `extra` says otherwise."""
    level = "" if "level:" in extra else "    level: veto\n"
    return (
        f"  - id: r\n    title: t\n    citation: c\n{level}    metric: {metric}\n"
        f"    scope: {scope}\n    operator: '{operator}'\n    threshold: {threshold}\n{extra}"
    )


def outcome(world: World, rules: str, as_of: date = AS_OF, **settings) -> dict:
    """The result of rule `r` for site s1, as its JSON dict."""
    world.done()
    verdict = evaluate(world.path, profile_of(rules, **settings), as_of)[0]
    return verdict.rules[0].to_dict()


HOME_UPDATE = rule("days_since_home_update", "home_page", ">", 14, "    warning: {threshold: 10}\n")


@pytest.mark.parametrize(
    ("last_post", "expected", "value"),
    [
        ("2012-12-17", "warning", 14),  # day 14 is still within 2 weeks: warned, not failed
        ("2012-12-16", "fail", 15),
        ("2012-12-20", "warning", 11),  # over the > 10 days early-warning line
        ("2012-12-21", "pass", 10),
    ],
)
def test_home_update_boundaries(tmp_path: Path, last_post: str, expected: str, value: int) -> None:
    world = new_world(tmp_path)
    world.column("news")
    world.column("inner", home=False)
    world.post("news", last_post)
    world.post("inner", "2012-12-30")  # not on the home page: does not count
    world.post("news", "2013-01-05")  # after the check date: not known yet
    result = outcome(world, HOME_UPDATE)
    assert (result["outcome"], result["value"]) == (expected, value)


def test_home_update_undated_posts_count_as_not_updated(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.column("news")
    world.post("news", None)
    result = outcome(world, HOME_UPDATE)
    assert result["outcome"] == "fail"
    assert result["never"] is True


def test_home_update_without_any_extracted_post_is_no_data(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.column("news")
    world.column("notice")
    result = outcome(world, HOME_UPDATE)
    assert result["outcome"] == "no_data"
    assert result["note"] == "no post extracted from the site's columns"
    assert {e["column"] for e in result["evidence"]} == {"栏目news", "栏目notice"}


STALE = rule(
    "stale_columns",
    "site",
    ">=",
    2,
    "    params: {categories: [news, notice], stale_days: 14,"
    " stale_days_by_category: {notice: 183}}\n    warning: {days_before: 3}\n",
)


@pytest.mark.parametrize(
    ("news_last", "notice_last", "expected", "value"),
    [
        ("2012-12-16", "2012-06-30", "fail", 2),  # 15 > 14 and 184 > 183
        ("2012-12-17", "2012-06-30", "warning", 1),  # news 14 + 3 days ahead = 17 > 14
        ("2012-12-16", "2012-07-01", "warning", 1),  # notice 183 + 3 > 183
        ("2012-12-21", "2012-07-04", "pass", 0),  # 10 + 3 = 13, 180 + 3 = 183: not over
    ],
)
def test_stale_columns_by_category_and_days_before(
    tmp_path: Path, news_last: str, notice_last: str, expected: str, value: int
) -> None:
    world = new_world(tmp_path)
    world.column("news")
    world.column("notice", "notice")
    world.column("policy", "policy")  # not a listed category
    world.column("blank", "news")  # no post at all: blank, not stale (include_blank false)
    world.post("news", news_last)
    world.post("notice", notice_last)
    world.post("policy", "2010-01-01")
    result = outcome(world, STALE)
    assert (result["outcome"], result["value"]) == (expected, value)
    if expected == "fail":
        assert {e["column"] for e in result["evidence"]} == {"栏目news", "栏目notice"}


def test_blank_columns_skip_columns_with_letters_or_failed_fetches(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    for key in ("a", "b", "c"):
        world.column(key, "planning")
    world.column("mail", "consultation")
    world.column("down", "planning")
    world.column("never", "planning", crawled=False)
    world.column("full", "planning")
    world.post("full", "2012-12-01")
    world.letter("2012-12-01", "2012-12-03", column="mail")
    world.fetch("http://s1.test/down/", None, "timeout")
    result = outcome(world, rule("blank_columns", "site", ">=", 3))
    assert (result["outcome"], result["value"]) == ("fail", 3)
    assert sorted(e["column"] for e in result["evidence"]) == ["栏目a", "栏目b", "栏目c"]


def test_posts_in_period_window_gone_and_undated(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.column("news")
    world.post("news", "2012-12-01")  # 31 days before: outside the 30-day window
    world.post("news", "2012-12-02")  # first day of the window
    world.post("news", "2012-12-31")
    world.post("news", "2012-12-10", gone_at="2012-12-20T09:00:00")  # gone inside: counts
    world.post("news", "2012-11-10", gone_at="2012-11-20T09:00:00")  # gone before: no
    world.post("news", None)  # undated: not an update
    rules = rule("posts_in_period", "site", "<", 3, "    params: {period_days: 30}\n")
    result = outcome(world, rules)
    assert (result["outcome"], result["value"]) == ("pass", 3)


def test_column_posts_in_period_fails_column_by_column(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.column("busy")
    world.column("quiet")
    for day in ("2012-12-03", "2012-12-10", "2012-12-17", "2012-12-24"):
        world.post("busy", day)
    world.post("quiet", "2012-12-24")
    extra = "    level: deduction\n    points: 1\n    params: {categories: [news]}\n"
    result = outcome(world, rule("column_posts_in_period", "column", "<", 4, extra))
    assert (result["outcome"], result["value"], result["items_triggered"]) == ("fail", 1, 1)
    assert result["points"] == 1
    assert result["evidence"][0]["column"] == "栏目quiet"


def probes(world: World, failures: int, visits: int = 140, day: str = "2012-12-31") -> None:
    """`visits` hourly probes ending on `day` 23:00, the last `failures` of them failed."""
    from datetime import datetime, timedelta

    end = datetime.fromisoformat(f"{day}T23:00:00")
    for i in range(visits):
        at = end - timedelta(hours=visits - 1 - i)
        world.probe(at.isoformat(), ok=i < visits - failures)


AVAILABILITY = rule(
    "home_failure_rate",
    "home_page",
    ">=",
    0.05,
    "    params: {window_days: 7}\n    warning: {operator: '>', threshold: 0.03}\n",
)


@pytest.mark.parametrize(
    ("failures", "expected"), [(7, "fail"), (6, "warning"), (5, "warning"), (4, "pass")]
)
def test_home_failure_rate(tmp_path: Path, failures: int, expected: str) -> None:
    # 140 visits: 7 = 5.0 % (veto), 6 = 4.3 % and 5 = 3.6 % (> 3 % warning), 4 = 2.9 %.
    world = new_world(tmp_path)
    probes(world, failures)
    result = outcome(world, AVAILABILITY)
    assert result["outcome"] == expected
    assert result["value"] == round(failures / 140, 4)


def test_failure_rate_window_and_timeout(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.probe("2012-12-24T23:00:00", ok=False)  # before the 7-day window 12-25..12-31
    for hour in range(10):
        world.probe(f"2012-12-25T{hour:02d}:00:00", elapsed_ms=100)
    world.probe("2012-12-31T12:00:00", elapsed_ms=16_000)  # slower than 15 s: failed
    result = outcome(world, AVAILABILITY)
    assert result["value"] == round(1 / 11, 4)
    assert result["outcome"] == "fail"


def test_consecutive_failures(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    probes(world, 2, visits=10)
    result = outcome(world, rule("home_consecutive_failures", "home_page", ">=", 2, ""))
    assert (result["outcome"], result["value"]) == ("fail", 2)


def test_no_probes_is_no_data(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    result = outcome(world, AVAILABILITY)
    assert (result["outcome"], result["value"]) == ("no_data", None)
    assert result["note"] == "no probe visit in the window"


def test_broken_links_use_the_latest_check(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.link("http://s1.test/a", False, home=True, at="2012-12-01T09:00:00")
    world.link("http://s1.test/a", True, home=True)  # fixed since
    world.link("http://s1.test/b", False, home=True)
    world.link("http://s1.test/c", False, home=False)
    world.link("http://s1.test/d", False, home=False, at="2013-01-02T09:00:00")  # after check
    home = outcome(world, rule("broken_links_home", "home_page", ">=", 1))
    assert (home["outcome"], home["value"]) == ("fail", 1)
    assert home["evidence"][0]["url"] == "http://s1.test/b"
    inner = outcome(world, rule("broken_links_inner", "site", ">=", 2))
    assert (inner["outcome"], inner["value"]) == ("pass", 1)


UNANSWERED = rule(
    "consultations_unanswered_over_days",
    "site",
    ">=",
    1,
    "    params: {over_days: 91}\n    warning: {days_before: 14}\n",
)


@pytest.mark.parametrize(
    ("asked", "replied", "expected"),
    [
        ("2012-10-01", None, "warning"),  # 91 days: not over 91, but 105 in 14 days
        ("2012-09-30", None, "fail"),  # 92 days
        ("2012-06-01", "2012-09-15", "fail"),  # answered after 106 days
        ("2012-06-01", "2012-08-31", "pass"),  # answered after exactly 91 days
        ("2012-10-15", None, "pass"),  # 77 days; 91 in 14 days: still not over
        ("2012-10-14", None, "warning"),  # 78 days; 92 in 14 days
        ("2011-12-01", None, "pass"),  # asked more than a year before: out of the lookback
    ],
)
def test_unanswered_over_days(
    tmp_path: Path, asked: str, replied: str | None, expected: str
) -> None:
    world = new_world(tmp_path)
    world.letter(asked, replied)
    assert outcome(world, UNANSWERED)["outcome"] == expected


def test_replies_over_workdays_follow_the_official_calendar(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    # Fri 09-28 -> Mon 10-08: working days 09-29 (make-up Saturday) and 10-08 = 2 (plain
    # Monday-Friday counting would say 6).
    world.letter("2012-09-28", "2012-10-08")
    # Mon 12-03 -> Tue 12-11: 12-04..12-07 and 12-10, 12-11 = 6 working days.
    world.letter("2012-12-03", "2012-12-11")
    # Unanswered since Mon 12-24: 12-25..12-28 and 12-31 = 5 working days so far: not over 5.
    world.letter("2012-12-24")
    rules = rule("replies_over_workdays", "site", ">=", 1, "    params: {workdays: 5}\n")
    result = outcome(world, rules)
    assert (result["outcome"], result["value"]) == ("fail", 1)
    assert [(e["asked_on"], e["workdays"]) for e in result["evidence"]] == [("2012-12-03", 6)]


def test_reply_rate_leaves_out_young_letters(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.letter("2012-11-01", "2012-11-02")
    world.letter("2012-11-05", "2012-11-06")
    world.letter("2012-11-06")  # unanswered, old: counts against
    world.letter("2012-12-27")  # 12-28, 12-31 = 2 working days old < grace 5: left out
    rules = rule("reply_rate", "site", "<", 1, "    level: deduction\n    points: 2\n")
    result = outcome(world, rules)
    assert result["outcome"] == "fail"
    assert result["value"] == round(2 / 3, 4)
    assert result["points"] == 2


def test_reply_p90_bonus_and_score(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    # Ten letters answered after 1..10 working days (Mon 12-03 + n working days, no holidays).
    replies = ["12-04", "12-05", "12-06", "12-07", "12-10", "12-11", "12-12", "12-13", "12-14"]
    for day in [*replies, "12-17"]:
        world.letter("2012-12-03", f"2012-{day}")
    p90 = (
        "  - {id: fast, title: t, citation: c, level: bonus, points: 30,"
        " metric: reply_workdays_p90, scope: site, operator: '<=', threshold: 9}\n"
        "  - {id: worst, title: t, citation: c, level: deduction, points: 15,"
        " metric: reply_workdays_max, scope: site, operator: '>', threshold: 9}\n"
    )
    world.done()
    verdict = evaluate(world.path, profile_of(p90, bonus_max=20, pass_score=100), AS_OF)[0]
    fast, worst_rule = (r.to_dict() for r in verdict.rules)
    assert (fast["value"], fast["points"]) == (9, 30)  # nearest rank: 9th of 10 values
    assert (worst_rule["value"], worst_rule["outcome"]) == (10, "fail")
    assert verdict.score == 100 - 15 + 20  # bonus capped at bonus_max
    assert verdict.passed is True
    assert verdict.veto is False


def test_days_since_last_reply_and_channel(tmp_path: Path) -> None:
    world = new_world(tmp_path, "s1", "s2")
    world.letter("2012-10-01", "2012-10-31")  # 61 days before 12-31: not over 61
    rules = rule("days_since_last_reply", "site", ">", 61)
    result = outcome(world, rules)
    assert (result["outcome"], result["value"]) == ("pass", 61)
    verdicts = evaluate(
        world.path, profile_of(rule("consultation_channel_missing", "site", "==", 1)), AS_OF
    )
    assert [v.rules[0].outcome.value for v in verdicts] == ["pass", "fail"]


def test_suspicious_dates(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.column("news")
    world.post("news", "2012-12-10", meta_date="2012-12-14")  # 4 days apart: suspicious
    world.post("news", "2012-12-10", url_date="2012-12-13")  # 3 days: tolerated
    # Found by a later crawl 10 days after its claimed date: back-dated.
    world.post("news", "2012-12-10", baseline=0, first_seen_at="2012-12-20T09:00:00")
    # A baseline post is not judged on when it was first seen.
    world.post("news", "2012-12-10", baseline=1, first_seen_at="2012-12-30T09:00:00")
    rules = rule(
        "suspicious_dates",
        "site",
        ">=",
        1,
        "    level: warning\n    params: {max_disagreement_days: 3}\n",
    )
    result = outcome(world, rules)
    assert (result["outcome"], result["value"]) == ("warning", 2)
    assert sorted(e["gap_days"] for e in result["evidence"]) == [4, 10]


def test_column_days_since_update_days_before(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    world.column("a")
    world.column("b")
    world.column("c")
    world.post("a", "2012-12-24")  # 7 days: not over 7, but 9 in 2 days
    world.post("b", "2012-12-26")  # 5 days; 7 in 2 days: fine
    world.post("c", "2012-12-23")  # 8 days: over
    extra = (
        "    level: deduction\n    points: 1\n    params: {home_page_only: true}\n"
        "    warning: {days_before: 2}\n"
    )
    result = outcome(world, rule("column_days_since_update", "column", ">", 7, extra))
    assert (result["outcome"], result["value"], result["items_triggered"]) == ("fail", 8, 1)


def test_every_registered_metric_measures() -> None:
    # measure is abstract on Metric: a class that forgot it cannot be instantiated.
    assert all(METRICS[name]().name == name for name in METRICS)


def test_flagged_names_every_counted_column_beyond_the_evidence_limit(tmp_path: Path) -> None:
    world = new_world(tmp_path)
    for n in range(60):
        world.column(f"c{n}")
        world.post(f"c{n}", "2012-11-01")  # 60 days old: stale past 14
    world.column("fresh")
    world.post("fresh", "2012-12-30")
    world.done()
    verdict = evaluate(world.path, profile_of(STALE), AS_OF)[0]
    result = verdict.rules[0]
    assert result.value == 60 and len(result.evidence) == 51  # 50 shown, then {"more": 10}
    assert len(result.flagged) == 60 and "http://s1.test/fresh/" not in result.flagged
    assert verdict.rules_flagging("http://s1.test/c59/") == [result]
    assert verdict.rules_flagging("http://s1.test/fresh/") == []
