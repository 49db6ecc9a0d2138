"""Months, periods and weeks the metrics are computed over."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
TREND_MONTHS = 12


@dataclass(frozen=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def as_tuple(self) -> tuple[date, date]:
        """(start, end), the shape the queries take."""
        return (self.start, self.end)


def parse_month(text: str) -> date:
    """The first day of a `YYYY-MM` month; ValueError when malformed."""
    match = MONTH.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a month like 2012-12")
    return date(int(match[1]), int(match[2]), 1)


def month_end(first: date) -> date:
    """The last day of the month starting at `first`."""
    return add_months(first, 1) - timedelta(days=1)


def add_months(first: date, months: int) -> date:
    """The first day of the month `months` after (negative: before) the month of `first`."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_label(day: date) -> str:
    """`YYYY-MM` of a day."""
    return f"{day.year:04d}-{day.month:02d}"


def month_period(first: date, as_of: date) -> Period:
    """The month's days up to as_of (the whole month when as_of is later)."""
    return Period(first, min(month_end(first), as_of))


def previous_period(period: Period) -> Period:
    """The same span of days in the month before (cut at that month's end), for a fair change."""
    start = add_months(period.start, -1)
    return Period(start, min(month_end(start), start + timedelta(days=period.days - 1)))


def trend_months(first: date, count: int = TREND_MONTHS) -> list[date]:
    """First days of the `count` months ending with the month of `first`, oldest first."""
    return [add_months(first, offset) for offset in range(1 - count, 1)]


def iso_week(day: date) -> str:
    """ISO week label like `2012-W49`."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def weeks_of(period: Period) -> list[str]:
    """The ISO weeks touching the period, in order."""
    weeks: list[str] = []
    day = period.start
    while day <= period.end:
        label = iso_week(day)
        if label not in weeks:
            weeks.append(label)
        day += timedelta(days=1)
    return weeks
