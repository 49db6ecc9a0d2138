"""Metrics and checks of the crawled demo world equal figures computed from the simulator's truth.

Every expected value is computed here from the truth dict (per-column posts with date and
department; per-site letters with asked/replied dates), working days with `chinese_calendar`
directly. The demo crawl is exact (see tests/e2e), so equality is exact.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import chinese_calendar
import pytest

from analysis.metrics import compute_month
from analysis.standards import load_profile
from analysis.standards.engine import evaluate

AS_OF = date(2012, 12, 31)
MONTHS = [f"2012-{m:02d}" for m in range(1, 13)]


@pytest.fixture(scope="module")
def december(crawled_demo: dict[str, Any]):
    """The December 2012 metrics of the demo database."""
    return compute_month(crawled_demo["db"], "2012-12", AS_OF)


def truth_posts(site: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(date, category, department) of every post of a site in the truth."""
    return [
        (post["date"], column["category"], post["department"])
        for column in site["columns"]
        for post in column["posts"]
    ]


def workdays(start: str, end: str) -> int:
    """Working days after start up to and including end, on the official calendar."""
    day, last, count = date.fromisoformat(start), date.fromisoformat(end), 0
    while day < last:
        day += timedelta(days=1)
        count += chinese_calendar.is_workday(day)
    return count


def test_posts_per_site_per_month(crawled_demo: dict[str, Any], december) -> None:
    for site in crawled_demo["truth"]["sites"]:
        months = Counter(d[:7] for d, _c, _dep in truth_posts(site))
        assert december.trends.posts[site["id"]] == [months[m] for m in MONTHS], site["id"]
        figures = december.site(site["id"])
        assert figures.posts == months["2012-12"]
        assert figures.posts_previous == months["2012-11"]


def test_posts_per_category_and_department(crawled_demo: dict[str, Any], december) -> None:
    departments = Counter(
        (d.site_id, d.department) for d in december.departments for _ in range(d.posts)
    )
    expected_departments: Counter = Counter()
    for site in crawled_demo["truth"]["sites"]:
        posts = [p for p in truth_posts(site) if p[0].startswith("2012-12")]
        categories = Counter(category for _d, category, _dep in posts)
        assert december.site(site["id"]).posts_by_category == dict(sorted(categories.items()))
        expected_departments.update((site["id"], dep) for _d, _c, dep in posts)
    assert departments == expected_departments


def test_update_frequency(crawled_demo: dict[str, Any], december) -> None:
    for site in crawled_demo["truth"]["sites"]:
        dates = sorted({d for d, _c, _dep in truth_posts(site)})
        figures = december.site(site["id"])
        assert figures.last_post_on == dates[-1]
        assert figures.days_since_update == (AS_OF - date.fromisoformat(dates[-1])).days
        in_month = [d for d in dates if d.startswith("2012-12")]
        before = [d for d in dates if d < "2012-12-01"]
        days = [date.fromisoformat(d) for d in before[-1:] + in_month]
        gaps = [(b - a).days for a, b in pairwise(days)]
        assert figures.median_gap_days == (statistics.median(gaps) if gaps else None)


def test_columns_posts_and_blank(crawled_demo: dict[str, Any], december) -> None:
    for site in crawled_demo["truth"]["sites"]:
        expected = sorted(
            (len([p for p in c["posts"] if p["date"].startswith("2012-12")]), c["category"])
            for c in site["columns"]
        )
        stored = sorted(
            (c.posts, c.category)
            for c in december.columns
            if c.site_id == site["id"] and c.category != "consultation"
        )
        assert stored == expected, site["id"]
        blank = sum(not c["posts"] for c in site["columns"])
        assert december.site(site["id"]).blank_columns == blank, site["id"]


def test_consultations_and_reply_latency(crawled_demo: dict[str, Any], december) -> None:
    for site in crawled_demo["truth"]["sites"]:
        letters = [x for x in site["consultations"] if x["asked"].startswith("2012-12")]
        replied = [x for x in letters if x["replied"]]
        figures = december.site(site["id"])
        assert figures.consultations_received == len(letters), site["id"]
        assert figures.consultations_replied == len(replied)
        assert figures.consultations_pending == len(letters) - len(replied)
        latency = sorted(workdays(x["asked"], x["replied"]) for x in replied)
        days = [
            (date.fromisoformat(x["replied"]) - date.fromisoformat(x["asked"])).days
            for x in replied
        ]
        if not latency:
            assert figures.median_reply_workdays is None
            continue
        assert figures.median_reply_workdays == statistics.median(latency)
        assert figures.median_reply_days == statistics.median(days)
        assert figures.max_reply_workdays == latency[-1]
        assert figures.p90_reply_workdays == latency[math.ceil(0.9 * len(latency)) - 1]


def test_reply_latency_trend(crawled_demo: dict[str, Any], december) -> None:
    for site in crawled_demo["truth"]["sites"]:
        by_month: dict[str, list[int]] = {}
        for x in site["consultations"]:
            if x["replied"] and x["asked"] >= "2012-01-01":
                by_month.setdefault(x["asked"][:7], []).append(workdays(x["asked"], x["replied"]))
        expected = [statistics.median(by_month[m]) if m in by_month else None for m in MONTHS]
        assert december.trends.median_reply_workdays[site["id"]] == expected, site["id"]


def test_open_letters_and_unanswered_rule(crawled_demo: dict[str, Any], december) -> None:
    profile = load_profile("config/standards/national.yaml")
    verdicts = {v.site_id: v for v in evaluate(crawled_demo["db"], profile, AS_OF)}
    for site in crawled_demo["truth"]["sites"]:
        pending = [x for x in site["consultations"] if not x["replied"]]
        overdue = [x for x in pending if (AS_OF - date.fromisoformat(x["asked"])).days > 91]
        assert december.site(site["id"]).overdue_letters == sum(
            x["asked"] > "2011-12-31" for x in overdue
        )
        late = [
            x
            for x in site["consultations"]
            if x["asked"] >= "2012-01-01"
            and (
                date.fromisoformat(x["replied"] or AS_OF.isoformat())
                - date.fromisoformat(x["asked"])
            ).days
            > 91
        ]
        rule = next(r for r in verdicts[site["id"]].rules if r.id == "consultation-unanswered")
        assert rule.value == len(late), site["id"]
        assert rule.outcome.value == "fail" if late else rule.outcome.value != "fail"


def test_broken_links_match_the_truth(crawled_demo: dict[str, Any], december) -> None:
    from crawler.urls import url_key

    for site in crawled_demo["truth"]["sites"]:
        found = {url_key(b.url) for b in december.broken_links if b.site_id == site["id"]}
        assert found == {url_key(u) for u in site["broken_links"]}, site["id"]


def test_group_reply_latency(crawled_demo: dict[str, Any], december) -> None:
    replied = [
        letter
        for site in crawled_demo["truth"]["sites"]
        for letter in site["consultations"]
        if letter["asked"].startswith("2012-12") and letter["replied"]
    ]
    latency = sorted(workdays(x["asked"], x["replied"]) for x in replied)
    assert latency, "the demo world answers some December letters"
    assert december.reply_workdays == latency
    assert december.median_reply_workdays == statistics.median(latency)
