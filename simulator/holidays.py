"""The 2012 official working-day calendar of mainland China (holidays and make-up days)."""

from __future__ import annotations

from datetime import date, timedelta


def _span(first: str, last: str) -> frozenset[date]:
    """All dates from `first` to `last` inclusive (ISO strings)."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return frozenset(start + timedelta(days=i) for i in range((end - start).days + 1))


# 国务院办公厅 2012 holiday notice; 2011/2013 New Year included so spans across years work.
HOLIDAYS: frozenset[date] = (
    _span("2011-10-01", "2011-10-07")
    | _span("2012-01-01", "2012-01-03")
    | _span("2012-01-22", "2012-01-28")  # Spring Festival
    | _span("2012-04-02", "2012-04-04")  # Qingming
    | _span("2012-04-29", "2012-05-01")
    | _span("2012-06-22", "2012-06-24")  # Dragon Boat
    | _span("2012-09-30", "2012-10-07")  # Mid-Autumn + National Day
    | _span("2013-01-01", "2013-01-03")
)

# Weekend days that were official working days (调休).
MAKEUP_WORKDAYS: frozenset[date] = frozenset(
    date.fromisoformat(d)
    for d in (
        "2011-10-08",
        "2011-10-09",
        "2011-12-31",
        "2012-01-21",
        "2012-01-29",
        "2012-03-31",
        "2012-04-01",
        "2012-04-28",
        "2012-09-29",
        "2013-01-05",
        "2013-01-06",
    )
)


def is_workday(day: date) -> bool:
    """True when government offices work on `day`."""
    if day in MAKEUP_WORKDAYS:
        return True
    if day in HOLIDAYS:
        return False
    return day.weekday() < 5


def add_workdays(day: date, count: int) -> date:
    """The date `count` working days after `day` (count >= 1)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current
