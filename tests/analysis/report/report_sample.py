"""A hand-built, rich report context for the report tests, with hostile crawled text."""

from __future__ import annotations

from datetime import date, datetime

from analysis.report.context import (
    AvailabilityStats,
    BrokenLink,
    CategoryCount,
    ColumnIssue,
    ColumnProblem,
    Compliance,
    ConsultationStats,
    Evidence,
    Finding,
    MonitoringMethod,
    Outage,
    Outcome,
    OverdueLetter,
    Overview,
    ReportContext,
    RuleInfo,
    RuleLevel,
    SiteCompliance,
    SiteUpdate,
    Trend,
    TrendSeries,
    WeeklyPosts,
)
from crawler.categories import Category, UnitType

XSS_TITLE = "<script>alert(1)</script>"
FORMULA_TITLE = '=HYPERLINK("http://x")'
JS_URL = "javascript:alert(1)"
PORTAL = "陕西省质量技术监督局门户"
CITY = "西安市质监局"
CITY2 = "宝鸡市质监局"
DEPT = "办公室"
HOSTILE_SITE = "<b>计量院</b>"  # an affiliated unit whose crawled name carries markup


def letter(title: str, asked_on: str, days: int, workdays: int) -> dict:
    """The facts of an unanswered letter as the adapter keeps them."""
    return {"title": title, "asked_on": asked_on, "replied_on": None, "days": days,
            "workdays": workdays, "at": "2012-12-31"}  # fmt: skip


def sample_context() -> ReportContext:
    """December 2012 for five sites of every kind, every section filled, hostile titles in."""
    rules = [
        RuleInfo("site-unreachable", "站点无法访问", "home_failure_rate", RuleLevel.VETO),
        RuleInfo("site-not-updated", "网站不更新", "days_since_home_update", RuleLevel.VETO),
        RuleInfo("blank-columns", "空白栏目", "blank_columns", RuleLevel.VETO),
        RuleInfo(
            "consultation-unanswered",
            "互动回应差",
            "consultations_unanswered_over_days",
            RuleLevel.VETO,
        ),
        RuleInfo("broken-links-home", "首页链接不可用", "broken_links_home", RuleLevel.DEDUCTION),
    ]
    return ReportContext(
        month="2012-12",
        group_name="陕西省质监系统网站群",
        generated_at=datetime(2013, 1, 2, 9, 30),
        check_date=date(2012, 12, 31),
        overview=Overview(
            sites_monitored=5,
            posts=131,
            posts_previous=118,
            posts_by_category=[
                CategoryCount(Category.NEWS, 75, 70),
                CategoryCount(Category.NOTICE, 41, 36),
                CategoryCount(Category.POLICY, 15, None),
            ],
            consultations_received=23,
            consultations_replied=21,
            reply_rate=0.9130434782608695,
            median_latency_workdays=2.5,
            availability=0.9875,
            availability_previous=0.9921,
            broken_links=7,
            broken_links_previous=4,
            sites_failing=2,
            sites_failing_previous=1,
            sites_vetoed=1,
            sites_passed=1,
            pass_rate=1 / 3,
            sites_with_no_data=1,
            sites_warned=1,
            overdue_letters=2,
            outages=4,
        ),
        sites=[
            SiteUpdate(
                "portal",
                PORTAL,
                "http://127.0.0.1/",
                UnitType.PROVINCE,
                64,
                60,
                4,
                date(2012, 12, 30),
                1,
                0,
                0,
                1,
            ),
            SiteUpdate(
                "dept-office",
                DEPT,
                "http://127.0.0.2/",
                UnitType.DEPARTMENT,
                12,
                15,
                -3,
                date(2012, 12, 21),
                10,
                1,
                0,
                1,
            ),
            SiteUpdate(
                "xian",
                CITY,
                "http://127.0.0.3/",
                UnitType.CITY,
                40,
                31,
                9,
                date(2012, 12, 28),
                3,
                0,
                1,
                1,
            ),
            SiteUpdate(
                "baoji",
                CITY2,
                JS_URL,
                UnitType.CITY,
                15,
                12,
                3,
                None,
                None,
                4,
                2,
                2,
            ),
            SiteUpdate(
                "jiliang",
                HOSTILE_SITE,
                "http://127.0.0.5/",
                UnitType.AFFILIATED,
                0,
                None,
                None,
                date(2012, 10, 8),
                84,
                2,
                0,
                1,
            ),
        ],
        column_issues=[
            ColumnIssue(
                CITY2,
                "通知公告",
                "http://127.0.0.4/tzgg/",
                Category.NOTICE,
                ColumnProblem.STALE,
                date(2012, 5, 2),
                243,
                180,
                "site-not-updated",
            ),
            ColumnIssue(
                CITY2,
                XSS_TITLE,
                JS_URL,
                Category.POLICY,
                ColumnProblem.BLANK,
                None,
                None,
                None,
                "blank-columns",
            ),
        ],
        consultations=[
            ConsultationStats(PORTAL, 15, 15, 0, 1.0, 2.0, 5),
            ConsultationStats(CITY, 6, 5, 1, 0.8333333333333334, 3.5, 9),
            ConsultationStats(CITY2, 2, 1, 1, 0.5, 12.0, 12),
        ],
        overdue_letters=[
            OverdueLetter(CITY2, FORMULA_TITLE, "http://127.0.0.4/xx/1.html", date(2012, 8, 6), 98),
            OverdueLetter(CITY2, XSS_TITLE, JS_URL, date(2012, 9, 3), 79),
        ],
        availability=[
            AvailabilityStats(CITY2, "http://127.0.0.4/", 620, 31, 0.95, 3, 4, 2),
            AvailabilityStats(CITY, "http://127.0.0.3/", 620, 6, 0.9903225806451613, 1, 0, 1),
            AvailabilityStats(PORTAL, "http://127.0.0.1/", 620, 0, 1.0, 0, 0, 0),
        ],
        broken_links=[
            BrokenLink(
                CITY2,
                "http://127.0.0.4/old/zt.html",
                "http://127.0.0.4/",
                "HTTP 404 页面不存在",
                True,
            ),
            BrokenLink(CITY2, JS_URL, "http://127.0.0.4/a.html", "超时", False),
            BrokenLink(
                CITY,
                "http://127.0.0.3/dead",
                "http://127.0.0.3/b.html",
                "HTTP 500 服务器内部错误",
                False,
            ),
        ],
        compliance=Compliance(
            standard_name="国家政府网站检查指标(2019)",
            pass_score=60,
            rules=rules,
            sites=[
                SiteCompliance(PORTAL, 100, True, [], {r.rule_id: Outcome.PASS for r in rules}),
                SiteCompliance(
                    CITY,
                    97.5,
                    True,
                    [],
                    {
                        "site-unreachable": Outcome.WARNING,
                        "site-not-updated": Outcome.PASS,
                        "blank-columns": Outcome.PASS,
                        "consultation-unanswered": Outcome.PASS,
                        "broken-links-home": Outcome.PASS,
                    },
                ),
                SiteCompliance(
                    CITY2,
                    42.5,
                    False,
                    ["consultation-unanswered"],
                    {
                        "site-unreachable": Outcome.FAIL,
                        "site-not-updated": Outcome.PASS,
                        "blank-columns": Outcome.WARNING,
                        "consultation-unanswered": Outcome.FAIL,
                        "broken-links-home": Outcome.FAIL,
                    },
                ),
            ],
            findings=[
                Finding(
                    CITY2,
                    "consultation-unanswered",
                    Outcome.FAIL,
                    2,
                    0,
                    [
                        Evidence(
                            "letter",
                            letter(FORMULA_TITLE, "2012-08-06", 147, 98),
                            "http://127.0.0.4/xx/1.html",
                        ),
                        Evidence("letter", letter(XSS_TITLE, "2012-09-03", 119, 79), JS_URL),
                    ],
                ),
                Finding(
                    CITY2,
                    "site-unreachable",
                    Outcome.FAIL,
                    0.05,
                    0.05,
                    [
                        Evidence(
                            "probe_rate", {"visits": 620, "failures": 31, "since": "2012-12-25"}
                        )
                    ],
                ),
                Finding(CITY2, "broken-links-home", Outcome.FAIL, 4, 0, []),
                Finding(CITY, "site-unreachable", Outcome.WARNING, 0.0097, 0.03, []),
                Finding(
                    PORTAL,
                    "site-not-updated",
                    Outcome.NO_DATA,
                    None,
                    14,
                    [
                        Evidence(
                            "unextracted_column",
                            {"column": "质监要闻", "url": "http://127.0.0.1/zjyw/"},
                            "http://127.0.0.1/zjyw/",
                        )
                    ],
                    UnitType.PROVINCE,
                    0,
                    "no post extracted from the site's columns",
                ),
            ],
        ),
        trend=Trend(
            months=[f"2012-{m:02d}" for m in range(1, 13)],
            series=[
                TrendSeries("posts", [90, 95, 101, 99, 110, 104, 98, 100, 112, 120, 118, 131]),
                TrendSeries(
                    "consultations_received", [10, 12, 9, 14, 15, 20, 18, 17, 22, 19, 21, 23]
                ),
                TrendSeries(
                    "reply_rate",
                    [1.0, 1.0, 0.9, None, 0.95, 0.9, 1.0, 0.88, 0.9, 0.95, 0.952, 0.913],
                    is_ratio=True,
                ),
            ],
        ),
        weekly_posts=WeeklyPosts(
            week_starts=[date(2012, 12, d) for d in (3, 10, 17, 24, 31)],
            site_names=[PORTAL, DEPT, CITY, CITY2, HOSTILE_SITE],
            counts=[
                [15, 14, 16, 17, 2],
                [3, 3, 4, 2, 0],
                [10, 9, 11, 9, 1],
                [4, 4, 3, 4, 0],
                [0, 0, 0, 0, 0],
            ],
        ),
        reply_latencies_workdays=[1, 1, 2, 2, 2, 3, 3, 4, 5, 1, 2, 2, 3, 2, 1, 4, 5, 9, 2, 3, 12],
        outages=[
            Outage(CITY2, datetime(2012, 12, 3, 2), datetime(2012, 12, 3, 9), 7, 7.0),
            Outage(CITY2, datetime(2012, 12, 30, 22), None, 6, 5.0),
        ],
        method=MonitoringMethod(date(2012, 12, 1), date(2012, 12, 31), 62, 3100, 15.0, [], [], 21),
    )
