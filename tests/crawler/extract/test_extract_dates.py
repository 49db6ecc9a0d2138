"""Unit tests for crawler.extract.dates: every date form, URL dates, plausibility."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.dates import (
    date_from_url,
    is_plausible,
    list_date,
    parse_date,
    year_month_from_url,
)

TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012-05-15", date(2012, 5, 15)),
        ("2012/5/15", date(2012, 5, 15)),
        ("2012.05.15", date(2012, 5, 15)),
        ("2012年5月15日", date(2012, 5, 15)),
        ("2012 年 5 月 15 日", date(2012, 5, 15)),
        ("发布时间：2012-05-15 09:30", date(2012, 5, 15)),
        ("时间：2019-09-18 06:23:01", date(2019, 9, 18)),
        ("2021年06月10日 17:35", date(2021, 6, 10)),
    ],
)
def test_full_date_forms(text: str, expected: date) -> None:
    """Year-month-day dates in every common separator style."""
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["[05-15]", "05-15", "5月15日", "05/15"])
def test_month_day_takes_default_year(text: str) -> None:
    """Dates without a year use default_year and are None without one."""
    assert parse_date(text, default_year=2012, today=TODAY) == date(2012, 5, 15)
    assert parse_date(text, today=TODAY) is None


def test_rejects_future_and_pre_1990() -> None:
    """A date after today or before 1990-01-01 is never returned."""
    assert parse_date("2024-06-02", today=TODAY) is None
    assert parse_date("1989-12-31", today=TODAY) is None
    assert parse_date("1990-01-01", today=TODAY) == date(1990, 1, 1)
    assert parse_date("2024-06-01", today=TODAY) == TODAY
    # A future date is skipped in favour of the next plausible one.
    assert parse_date("2030-01-01 发布 2020-02-02", today=TODAY) == date(2020, 2, 2)


def test_invalid_calendar_dates_are_skipped() -> None:
    """2012-02-30 and month 13 do not exist."""
    assert parse_date("2012-02-30", today=TODAY) is None
    assert parse_date("2012-13-01", today=TODAY) is None


def test_today_header_distractor_is_ignored() -> None:
    """'今天是…星期…' header clocks are not dates of the content."""
    text = "今天是2024年5月1日 星期三 农历三月廿三 发布日期：2023-12-04"
    assert parse_date(text, today=TODAY) == date(2023, 12, 4)
    assert parse_date("2024年5月1日 星期三", today=TODAY) is None


def test_year_ranges_are_not_dates() -> None:
    """'2025-2026学年' and version-like numbers are not dates."""
    assert parse_date("2025-2026学年", today=date(2030, 1, 1)) is None
    assert parse_date("v1.2.2012.05", today=TODAY) is None


@pytest.mark.parametrize("junk", ["", "   ", "not a date", "\x00\x01\ufffd", "9" * 5000, "-/-/-"])
def test_never_crashes_on_junk(junk: str) -> None:
    """Arbitrary strings give None, not an exception."""
    assert parse_date(junk, default_year=2020, today=TODAY) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://a.gov.cn/xw/201205/t20120515_123.html", date(2012, 5, 15)),
        ("http://a.gov.cn/art/2012/5/15/art_1_2.html", date(2012, 5, 15)),
        ("http://www.kepu.gov.cn/politics/2023-12/01/content_1755244.html", date(2023, 12, 1)),
        ("http://x.gov.cn/sitegroup/root/html/40288/20171204154605239.html", date(2017, 12, 4)),
        ("http://a.gov.cn/xw/201205/", None),
        ("http://a.gov.cn/index.html", None),
    ],
)
def test_date_from_url(url: str, expected: date | None) -> None:
    """Publish days written into URLs by TRS, Hanweb and news CMSs."""
    assert date_from_url(url) == expected


def test_year_month_from_url() -> None:
    """A month folder gives only (year, month); a full URL date gives its year and month."""
    assert year_month_from_url("http://a.gov.cn/xw/201205/abc.html") == (2012, 5)
    assert year_month_from_url("http://a.gov.cn/t20110302_1.html") == (2011, 3)
    assert year_month_from_url("http://a.gov.cn/xw/index.html") is None


def test_is_plausible_bounds() -> None:
    """Bounds are inclusive: 1990-01-01 and today are plausible."""
    assert is_plausible(date(1990, 1, 1), TODAY)
    assert is_plausible(TODAY, TODAY)
    assert not is_plausible(date(1989, 12, 31), TODAY)
    assert not is_plausible(date(2024, 6, 2), TODAY)


def test_list_date_policy() -> None:
    """One list-date policy: full date, month-day with a year from URL/page/crawl day, relative."""
    today = date(2025, 1, 10)
    page = "http://x.gov.cn/tzgg/index.html"
    assert list_date("2024-12-20", item_url=None, page_url=page, today=today) == date(2024, 12, 20)
    # The item URL's folder gives the year; else the crawl year, a year back if in the future.
    assert list_date(
        "05-15", item_url="http://x.gov.cn/202305/t1.html", page_url=page, today=today
    ) == date(2023, 5, 15)
    assert list_date(
        "12-20", item_url="http://x.gov.cn/a/1.html", page_url=page, today=today
    ) == date(2024, 12, 20)
    assert list_date(
        "01-05", item_url="http://x.gov.cn/a/1.html", page_url=page, today=today
    ) == date(2025, 1, 5)
    assert list_date("3天前", item_url=None, page_url=page, today=today) == date(2025, 1, 7)
    assert list_date("昨天 10:20", item_url=None, page_url=page, today=today) == date(2025, 1, 9)
    # An impossible full date is never guessed around; no date at all falls back to the URL.
    assert list_date("2031-01-01", item_url=None, page_url=page, today=today) is None
    assert list_date(
        "", item_url="http://x.gov.cn/a/t20240102_1.html", page_url=page, today=today
    ) == date(2024, 1, 2)
