"""Dates in the forms Chinese government sites use: in text, in URLs, with or without a year."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

MIN_DATE = date(1990, 1, 1)
# parse_date scans at most this much text: dates that matter sit near the top of a block.
MAX_SCAN_CHARS = 200_000

# 2012-05-15, 2012/5/15, 2012.05.15, 2012年5月15日, 2012 年 5 月 15 日 (time part ignored).
FULL_DATE = re.compile(
    r"(?<![\d.])((?:19|20)\d\d)[ \t]{0,2}(?:[-/.]|年)[ \t]{0,2}(\d{1,2})"
    r"[ \t]{0,2}(?:[-/.]|月)[ \t]{0,2}(\d{1,2})(?![\d])"
)
# Compact 20120515 only counts when fenced by non-digits (e.g. "t20120515_", "20120515.html").
COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)")
# [05-15], 05-15, 5月15日, 05/15: month and day only; the year comes from context.
SHORT_DATE = re.compile(r"(?<![\d./-])(\d{1,2})[ \t]{0,2}(?:-|/|月)[ \t]{0,2}(\d{1,2})(?![\d./-])")
# "今天是2024年5月1日 星期三" style page-header clocks are not publish dates.
DISTRACTOR_BEFORE = re.compile(r"(今天是?|今日|当前日期|现在是|现在时间|当前时间)[:：\s]*$")
DISTRACTOR_AFTER = re.compile(r"^日?[\s,，]*(星期|礼拜|周[一二三四五六日天])")

URL_DAY_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"[/_]t((?:19|20)\d\d)(\d\d)(\d\d)_\d+"),  # TRS t20120515_123.html
    re.compile(r"/art/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/"),  # Hanweb /art/2012/5/15/
    re.compile(r"/((?:19|20)\d\d)-(\d\d)/(\d\d)/"),  # /2023-12/01/content_1.html
    re.compile(r"/((?:19|20)\d\d)(\d\d)/(\d\d)/"),  # /201205/15/
    re.compile(r"/((?:19|20)\d\d)/(\d\d)(\d\d)/"),  # /2012/0515/
    re.compile(r"/((?:19|20)\d\d)/(\d\d)(\d\d)_\d+\.[a-z]{2,5}(?:$|\?)"),  # /2012/0515_12.html
    re.compile(r"/((?:19|20)\d\d)-(\d\d)-(\d\d)/"),  # /2012-05-15/
    re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/"),  # /2012/05/15/
    re.compile(
        r"[/_]((?:19|20)\d\d)(\d\d)(\d\d)\d{0,9}\.[a-z]{2,5}(?:$|\?)"
    ),  # 20171204154605.html
)
URL_MONTH_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"/((?:19|20)\d\d)(\d\d)/"),  # TRS /201205/
    re.compile(r"/((?:19|20)\d\d)-(\d\d)/"),  # /2012-05/
    re.compile(r"/((?:19|20)\d\d)/(\d\d)/"),  # /2012/05/
)


def is_plausible(d: date, today: date | None = None) -> bool:
    """A publish date is plausible when it lies between 1990-01-01 and today (the fetch clock)."""
    return MIN_DATE <= d <= (today or date.today())


def make_date(year: int, month: int, day: int, today: date | None = None) -> date | None:
    """date(year, month, day) if it exists and is plausible, else None."""
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d if is_plausible(d, today) else None


def is_distractor(text: str, start: int, end: int) -> bool:
    """True when the date at text[start:end] is a page-header clock ('今天是…星期…')."""
    before = text[max(0, start - 12) : start]
    after = text[end : end + 8]
    return bool(DISTRACTOR_BEFORE.search(before) or DISTRACTOR_AFTER.match(after))


def full_dates(text: str, today: date | None = None) -> list[date]:
    """Every plausible, non-distractor year-month-day date in text, in order."""
    found: list[date] = []
    scan = text[:MAX_SCAN_CHARS]
    for match in FULL_DATE.finditer(scan):
        if is_distractor(scan, match.start(), match.end()):
            continue
        year, month, day = (int(g) for g in match.groups())
        d = make_date(year, month, day, today)
        if d is not None:
            found.append(d)
    return found


def parse_date(
    text: str, *, default_year: int | None = None, today: date | None = None
) -> date | None:
    """First plausible date in text; month-day-only dates need default_year."""
    if not text:
        return None
    full = full_dates(text, today)
    if full:
        return full[0]
    if default_year is None:
        return None
    scan = text[:MAX_SCAN_CHARS]
    for match in SHORT_DATE.finditer(scan):
        month, day = int(match.group(1)), int(match.group(2))
        d = make_date(default_year, month, day, today)
        if d is not None and not is_distractor(scan, match.start(), match.end()):
            return d
    return None


def parse_datetime_value(value: str, today: date | None = None) -> date | None:
    """Date from a machine-written value: meta content, JSON field, ISO string or epoch ms."""
    value = value.strip()
    if value.isdigit() and len(value) in (10, 13):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        d = datetime.fromtimestamp(seconds, tz=UTC).date()
        return d if is_plausible(d, today) else None
    found = parse_date(value, today=today)
    if found is not None:
        return found
    match = COMPACT_DATE.search(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return make_date(year, month, day, today=today)
    return None


def date_from_url(url: str, today: date | None = None) -> date | None:
    """Publish day encoded in a URL (t20120515_, /art/2012/5/15/, /2023-12/01/), else None."""
    path = url.split("?", 1)[0][:2000]
    for pattern in URL_DAY_PATTERNS:
        match = pattern.search(path)
        if match:
            year, month, day = (int(g) for g in match.groups())
            d = make_date(year, month, day, today=today)
            if d is not None:
                return d
    return None


def year_month_from_url(url: str) -> tuple[int, int] | None:
    """(year, month) from a URL: a full URL date, else a month folder like /201205/."""
    day = date_from_url(url)
    if day is not None:
        return day.year, day.month
    path = url.split("?", 1)[0][:2000]
    for pattern in URL_MONTH_PATTERNS:
        for match in pattern.finditer(path):
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and year >= MIN_DATE.year:
                return year, month
    return None


def year_for_month_day(month: int, day: int, url: str | None, fallback: int | None) -> int | None:
    """Year for a month-day list date: the item URL's year, else the fallback year."""
    ym = year_month_from_url(url) if url else None
    if ym is not None:
        year, url_month = ym
        # An item published in January may sit in a December folder of the year before, and
        # vice versa; the URL's folder month is the publish month almost always.
        if month == 12 and url_month == 1:
            return year - 1
        if month == 1 and url_month == 12:
            return year + 1
        return year
    return fallback


# Relative dates some CMSs print next to fresh items: 今天, 昨天, 3天前, 5小时前, 刚刚.
RELATIVE_DATE = re.compile(r"(刚刚|今天|今日|昨天|昨日|前天|(\d{1,3})\s*(分钟|小时|天|日)前)")
RELATIVE_DAYS = {"刚刚": 0, "今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}


def relative_date(text: str, today: date) -> date | None:
    """Date of a relative expression ('3天前', '昨天 10:20') counted back from the crawl day."""
    match = RELATIVE_DATE.search(text[:200])
    if match is None:
        return None
    word, count, unit = match.groups()
    if count is None:
        return date.fromordinal(today.toordinal() - RELATIVE_DAYS[word])
    if unit in ("分钟", "小时"):
        # Hours ago may cross midnight; without the crawl time, the crawl day is the best guess.
        return today if unit == "分钟" or int(count) < 24 else None
    return date.fromordinal(today.toordinal() - int(count))


def month_day_date(
    month: int, day: int, item_url: str | None, page_url: str | None, today: date
) -> date | None:
    """A month-day list date with its year: item URL, else page URL, else the crawl year.

    A date that would fall after the crawl day belongs to the year before ('12-20' read in
    January), whichever source the year came from.
    """
    year = year_for_month_day(month, day, item_url, None)
    if year is None:
        year = year_for_month_day(month, day, page_url, today.year)
    assert year is not None
    found = make_date(year, month, day, today)
    if found is None and year == today.year:
        found = make_date(year - 1, month, day, today)
    return found


def list_date(
    text: str, *, item_url: str | None, page_url: str | None, today: date | None
) -> date | None:
    """The one list-date policy used by every list path (heuristic, overrides, mailboxes).

    A full date wins (an implausible full date gives None: never guess around it); else a
    month-day date takes its year from the item URL, the page URL or the crawl date; else a
    relative date ('3天前') counts back from the crawl day; else the date in the item URL.
    """
    day = today or date.today()
    scan = text[:500]
    full = full_dates(scan, day)
    if full:
        return full[0]
    if FULL_DATE.search(scan):
        return None
    for match in SHORT_DATE.finditer(scan):
        if is_distractor(scan, match.start(), match.end()):
            continue
        found = month_day_date(int(match.group(1)), int(match.group(2)), item_url, page_url, day)
        if found is not None:
            return found
    found = relative_date(scan, day)
    if found is not None:
        return found
    return date_from_url(item_url, day) if item_url else None
