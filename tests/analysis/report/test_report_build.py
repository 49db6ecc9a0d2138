"""The adapter from hand-made month metrics and engine verdicts to the report context."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from analysis.metrics.model import (
    Availability,
    BrokenLink,
    ColumnMonth,
    HeatMap,
    MonthMetrics,
    OpenLetter,
    SiteMonth,
    Trends,
)
from analysis.report.build import context_from, previous_month, week_start
from analysis.report.context import ColumnProblem, EmptyReportError, Outcome
from analysis.report.render import render_report
from analysis.standards.evidence import Outcome as EngineOutcome
from analysis.standards.evidence import RuleResult, SiteVerdict
from analysis.standards.profile import load_profile
from crawler.categories import Category, UnitType

NATIONAL = Path(__file__).resolve().parents[3] / "config" / "standards" / "national.yaml"


def site(site_id: str, name: str, unit: str, posts: int, before: int, **more: object) -> SiteMonth:
    """A SiteMonth with quiet defaults."""
    fields: dict = dict(
        site_id=site_id,
        name=name,
        unit_type=unit,
        parent=None,
        posts=posts,
        posts_previous=before,
        posts_change=posts - before,
        posts_by_category={},
        posts_per_week=1.0,
        median_gap_days=None,
        longest_gap_days=None,
        last_post_on="2012-12-20",
        days_since_update=11,
        columns=3,
        stale_columns=0,
        blank_columns=0,
        consultations_received=0,
        consultations_replied=0,
        consultations_pending=0,
        reply_rate=None,
        median_reply_days=None,
        median_reply_workdays=None,
        p90_reply_workdays=None,
        max_reply_workdays=None,
        overdue_letters=0,
        pending_over_limit=0,
        availability=Availability(),
        broken_links_home=0,
        broken_links_inner=0,
    )
    fields.update(more)
    return SiteMonth(**fields)


def metrics(sites: list[SiteMonth], **more: object) -> MonthMetrics:
    """A MonthMetrics for December 2012 with two weeks of heat map."""
    fields: dict = dict(
        month="2012-12",
        as_of="2012-12-31",
        period_start="2012-12-01",
        period_end="2012-12-31",
        previous_start="2012-11-01",
        previous_end="2012-11-30",
        sites=sites,
        columns=[],
        unit_types=[],
        departments=[],
        posts_by_category={"news": 30, "notice": 8},
        open_letters=[],
        broken_links=[],
        suspicious_posts=[],
        trends=Trends(
            months=["2012-11", "2012-12"],
            posts={s.site_id: [s.posts_previous, s.posts] for s in sites},
            replied={s.site_id: [0, s.consultations_replied] for s in sites},
            visits={s.site_id: [0, s.availability.visits] for s in sites},
            failure_rate={s.site_id: [None, s.availability.failure_rate] for s in sites},
        ),
        heatmap=HeatMap(weeks=["2012-W48", "2012-W49"], counts={s.site_id: [1, 2] for s in sites}),
    )
    fields.update(more)
    return MonthMetrics(**fields)


def result(rule_id: str, level: str, outcome: EngineOutcome, value: float) -> RuleResult:
    """An engine result with one piece of evidence."""
    return RuleResult(
        id=rule_id,
        title=rule_id,
        level=level,
        metric="m",
        scope="site",
        outcome=outcome,
        value=value,
        threshold=0.05,
        operator=">=",
        evidence=[{"url": "http://127.0.0.9/", "failed": 40}],
        citation="",
        confirmed=True,
    )


def sample() -> tuple[MonthMetrics, MonthMetrics, list[SiteVerdict]]:
    """Two sites: a busy portal and a city bureau with problems."""
    portal = site(
        "portal",
        "门户",
        "province",
        30,
        25,
        consultations_received=10,
        consultations_replied=9,
        consultations_pending=1,
        reply_rate=0.9,
        median_reply_workdays=2.0,
        max_reply_workdays=6.0,
        availability=Availability(visits=100, failures=0, failure_rate=0.0),
    )
    city = site(
        "xa",
        "西安",
        "city",
        8,
        10,
        availability=Availability(visits=100, failures=10, failure_rate=0.1, outages=2),
        broken_links_home=1,
        stale_columns=1,
        blank_columns=1,
    )
    month = metrics(
        [portal, city],
        columns=[
            ColumnMonth(
                "xa",
                1,
                "通知公告",
                "k1",
                "http://127.0.0.9/tz/",
                "notice",
                True,
                0,
                0,
                "2012-05-01",
                244,
                False,
                True,
                183,
            ),
            ColumnMonth(
                "xa",
                2,
                "人事",
                "k2",
                "http://127.0.0.9/rs/",
                "personnel",
                False,
                0,
                0,
                None,
                None,
                True,
                False,
                None,
            ),
            ColumnMonth(
                "xa",
                3,
                "动态",
                "k3",
                "http://127.0.0.9/dt/",
                "news",
                True,
                8,
                10,
                "2012-12-28",
                3,
                False,
                False,
                14,
            ),
        ],
        open_letters=[
            OpenLetter("portal", None, "问题", "2012-08-01", 152, 100, True),
            OpenLetter("portal", "http://127.0.0.1/l/2", "近期", "2012-12-20", 11, 7, False),
        ],
        broken_links=[
            BrokenLink(
                "xa",
                "http://127.0.0.9/x",
                "http://127.0.0.9/a",
                False,
                None,
                "timeout",
                "2012-12-30T10:00",
            ),
            BrokenLink(
                "xa", "http://127.0.0.9/y", "http://127.0.0.9/", True, 404, None, "2012-12-30T10:00"
            ),
        ],
    )
    before = metrics([site("portal", "门户", "province", 25, 20)], posts_by_category={"news": 20})
    verdicts = [
        SiteVerdict(
            "portal",
            "门户",
            "province",
            False,
            100.0,
            True,
            [result("site-unreachable", "veto", EngineOutcome.PASS, 0.0)],
        ),
        SiteVerdict(
            "xa",
            "西安",
            "city",
            True,
            100.0,
            False,
            [result("site-unreachable", "veto", EngineOutcome.FAIL, 0.1)],
        ),
    ]
    return month, before, verdicts


def test_figures_map_onto_the_context() -> None:
    month, before, verdicts = sample()
    urls = {"portal": "http://127.0.0.1/", "xa": "http://127.0.0.9/"}
    ctx = context_from(
        month,
        before,
        verdicts,
        load_profile(NATIONAL),
        urls,
        "群",
        datetime(2013, 1, 1),
        previous_failing=0,
    )
    o = ctx.overview
    assert (o.sites_monitored, o.posts, o.posts_previous) == (2, 38, 35)
    assert (o.consultations_received, o.consultations_replied, o.reply_rate) == (10, 9, 0.9)
    assert o.availability == 0.95 and o.availability_previous is None  # 10 of 200 visits failed
    assert (o.broken_links, o.broken_links_previous) == (2, 0)
    assert (o.sites_failing, o.sites_vetoed, o.sites_failing_previous) == (1, 1, 0)
    assert [(c.category, c.posts, c.posts_previous) for c in o.posts_by_category] == [
        (Category.NEWS, 30, 20),
        (Category.NOTICE, 8, None),
    ]
    xa = next(s for s in ctx.sites if s.site_id == "xa")
    assert (xa.unit_type, xa.change, xa.rank, xa.url) == (UnitType.CITY, -2, 1, urls["xa"])
    assert xa.last_update == date(2012, 12, 20)
    assert [(c.column_name, c.problem, c.rule_id) for c in ctx.column_issues] == [
        ("通知公告", ColumnProblem.STALE, "columns-not-updated-dynamic"),
        ("人事", ColumnProblem.BLANK, "blank-columns"),
    ]
    assert [(x.title, x.waiting_workdays, x.url) for x in ctx.overdue_letters] == [
        ("问题", 100, "")
    ]
    assert [a.site_name for a in ctx.availability] == ["西安", "门户"]  # worst first
    assert ctx.availability[0].availability == pytest.approx(0.9)
    assert [(b.status, b.on_home_page) for b in ctx.broken_links] == [
        ("HTTP 404 页面不存在", True),
        ("超时", False),
    ]
    assert [c.site_name for c in ctx.consultations] == ["门户", "西安"]  # every site
    assert ctx.consultations[0].max_latency_workdays == 6
    comp = ctx.compliance
    assert len(comp.rules) == len(load_profile(NATIONAL).rules) and comp.pass_score == 60
    assert [(s.site_name, s.passed, s.vetoes) for s in comp.sites] == [
        ("门户", True, []),
        ("西安", False, ["site-unreachable"]),
    ]
    assert [(f.site_name, f.outcome, f.value) for f in comp.findings] == [
        ("西安", Outcome.FAIL, 0.1)
    ]
    assert comp.findings[0].evidence[0].url == "http://127.0.0.9/"
    assert ctx.weekly_posts.week_starts == [date(2012, 11, 26), date(2012, 12, 3)]
    assert ctx.trend.months == ["2012-11", "2012-12"]
    assert ctx.trend.series[0].values == [35, 38]
    assert ctx.trend.series[2].values == [None, 0.95]


def test_adapted_context_renders(tmp_path: Path) -> None:
    month, before, verdicts = sample()
    ctx = context_from(
        month, before, verdicts, load_profile(NATIONAL), {}, "群", datetime(2013, 1, 1)
    )
    written = render_report(ctx, tmp_path, ["xlsx", "html"], "en")
    assert sorted(written) == ["html", "xlsx"]
    assert all(p.stat().st_size > 0 for p in written.values())


def test_month_without_data_is_empty() -> None:
    quiet = metrics([site("portal", "门户", "province", 0, 0, columns=0)])
    with pytest.raises(EmptyReportError, match="2012-12"):
        context_from(quiet, None, [], None, {}, "", datetime(2013, 1, 1))


def test_month_helpers() -> None:
    assert previous_month("2013-01") == "2012-12" and previous_month("2012-12") == "2012-11"
    assert week_start("2012-W49") == date(2012, 12, 3)


def stale_result(
    rule_id: str, level: str, outcome: EngineOutcome, columns: list[dict]
) -> RuleResult:
    """A stale_columns result listing its columns as the engine does."""
    return RuleResult(
        id=rule_id, title=rule_id, level=level, metric="stale_columns", scope="site",
        outcome=outcome, value=float(len(columns)), threshold=5, operator=">=",
        evidence=columns, citation="", confirmed=True,
    )  # fmt: skip


def test_a_stale_planning_column_is_cited_under_the_basic_information_rule() -> None:
    month, before, verdicts = sample()
    planning = ColumnMonth(
        "xa", 4, "规划计划", "k4", "http://127.0.0.9/gh/", "planning", False, 0, 0,
        "2011-06-01", 579, False, True, 365,
    )  # fmt: skip
    month.columns.append(planning)
    evidence = {"column": "规划计划", "url": planning.url, "category": "planning",
                "last_post_on": "2011-06-01", "days": 579, "limit": 365}  # fmt: skip
    verdicts[1].rules += [
        stale_result("columns-not-updated-dynamic", "veto", EngineOutcome.PASS, []),
        stale_result("columns-not-updated-basic-info", "veto", EngineOutcome.PASS, [evidence]),
    ]
    ctx = context_from(month, before, verdicts, load_profile(NATIONAL), {}, "群",
                       datetime(2013, 1, 1))  # fmt: skip
    cited = {c.column_name: c.rule_id for c in ctx.column_issues}
    assert cited["规划计划"] == "columns-not-updated-basic-info"
    # Without the engine's evidence the column's category still picks the right rule.
    verdicts[1].rules = verdicts[1].rules[:1]
    ctx = context_from(month, before, verdicts, load_profile(NATIONAL), {}, "群",
                       datetime(2013, 1, 1))  # fmt: skip
    assert {c.column_name: c.rule_id for c in ctx.column_issues}["规划计划"] == (
        "columns-not-updated-basic-info"
    )


def test_a_projected_warning_shows_todays_wait_and_the_distance_to_the_line() -> None:
    month, before, verdicts = sample()
    # The engine judged 14 days ahead: the letter asked 2012-10-01 waits 105 days on 01-14;
    # today (12-31) it has waited 91 days, one day short of the > 91 days veto. Working days
    # after 10-01: October 18 (holiday to 10-07), November 22, December 21.
    projected = {"url": "http://127.0.0.1/l/9", "title": "办证咨询", "asked_on": "2012-10-01",
                 "replied_on": None, "days": 105, "workdays": 70}  # fmt: skip
    warned = RuleResult(
        id="consultation-unanswered", title="t", level="veto",
        metric="consultations_unanswered_over_days", scope="site", outcome=EngineOutcome.WARNING,
        value=0.0, threshold=1, operator=">=", evidence=[projected], citation="", confirmed=True,
        warning="will fail within 14 days if nothing changes",
    )  # fmt: skip
    verdicts[0].rules.append(warned)
    ctx = context_from(month, before, verdicts, load_profile(NATIONAL), {}, "群",
                       datetime(2013, 1, 1))  # fmt: skip
    finding = next(f for f in ctx.compliance.findings if f.outcome is Outcome.WARNING)
    from analysis.report.wording import evidence_text

    sentence = evidence_text(finding.evidence[0])
    assert sentence == (
        "留言《办证咨询》于 2012-10-01 提交，截至 12-31 已 91 天（61 个工作日）未答复，"
        "再过 1 天将触发"
    )
    assert "105" not in sentence and "None" not in sentence


def test_no_probes_is_no_data_for_availability() -> None:
    month, before, verdicts = sample()
    no_data = result("site-unreachable", "veto", EngineOutcome.NO_DATA, 0.0)
    no_data.value, no_data.evidence, no_data.note = None, [], "no probe visit in the window"
    verdicts[0].rules = [no_data]
    ctx = context_from(month, before, verdicts, load_profile(NATIONAL), {}, "群",
                       datetime(2013, 1, 1))  # fmt: skip
    portal = next(s for s in ctx.compliance.sites if s.site_name == "门户")
    assert portal.outcomes["site-unreachable"] is Outcome.NO_DATA
    assert ctx.overview.sites_with_no_data == 1
    finding = next(f for f in ctx.compliance.findings if f.outcome is Outcome.NO_DATA)
    from analysis.report.wording import no_data_reason

    assert "没有首页访问记录" in no_data_reason(finding.note)


def test_evidence_of_every_kind_reads_as_a_sentence_without_keys() -> None:
    from analysis.report.build import evidence_kind
    from analysis.report.context import Evidence
    from analysis.report.wording import evidence_text

    shapes = [
        ({"year": 2011, "due_on": "2012-01-31"}, "yearly_report"),
        ({"url": "http://a/", "check": "网站名称不符", "found": "某局", "expected": None},
         "page_check"),
        ({"url": "http://a/s", "check": "站内搜索无结果", "searched": "通知"}, "search_check"),
        ({"visits": 168, "failures": 12, "since": "2012-12-25"}, "probe_rate"),
        ({"failed_visits": 3, "since": "2012-12-30T21:00:00"}, "probe_run"),
        ({"consultation_columns": 0, "letters": 0}, "channel"),
        ({"letters": 4, "replied": 3, "pending": 1}, "reply_rate"),
        ({"replied_letters": 5, "max_workdays": 12}, "latency"),
        ({"letters": 2, "last_reply_on": None}, "last_reply"),
        ({"url": "http://a/x", "found_on": "http://a/", "status": None,
          "error": "connection_refused", "checked_at": "2012-12-30T23:00"}, "link"),
        ({"column": "通知公告", "url": "http://a/tz/", "category": "notice",
          "last_post_on": None, "days": None, "limit": 183}, "stale_column"),
        ({"more": 7}, "more"),
    ]  # fmt: skip
    for raw, kind in shapes:
        assert evidence_kind(raw, "") == kind, raw
        sentence = evidence_text(Evidence(kind, raw))
        assert re.search(r"[\u4e00-\u9fff]", sentence), sentence
        assert "None" not in sentence and not re.search(r"\b[a-z]+_[a-z_]+\b", sentence)
    link = evidence_text(Evidence("link", shapes[9][0]))
    assert link == "页面 http://a/ 上的链接 http://a/x 无法访问（连接被拒绝）"
    assert evidence_text(Evidence("channel", shapes[5][0])) == "未发现政务咨询栏目"
