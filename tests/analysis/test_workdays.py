"""Working days on the official calendar, on days whose status is public record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analysis.workdays import WorkdayCalendar, WorkdayError, load_calendar

CALENDAR = WorkdayCalendar()


def test_2012_national_day_week() -> None:
    # 2012: 9-30 Mid-Autumn and 10-1..10-7 National Day off; Saturday 9-29 was worked.
    assert CALENDAR.is_workday(date(2012, 9, 29)) is True
    for day in range(1, 8):
        assert CALENDAR.is_workday(date(2012, 10, day)) is False
    assert CALENDAR.is_workday(date(2012, 10, 8)) is True


def test_ordinary_weekend_and_weekday() -> None:
    assert CALENDAR.is_workday(date(2012, 12, 1)) is False  # Saturday
    assert CALENDAR.is_workday(date(2012, 12, 3)) is True  # Monday


def test_latency_across_national_day() -> None:
    # Asked Friday 9-28, answered Monday 10-8: 9-29 (make-up Saturday) and 10-8 count.
    assert CALENDAR.workdays_between(date(2012, 9, 28), date(2012, 10, 8)) == 2
    assert CALENDAR.workdays_between(date(2012, 12, 7), date(2012, 12, 10)) == 1
    assert CALENDAR.workdays_between(date(2012, 12, 10), date(2012, 12, 10)) == 0


def test_override_file_covers_years_the_package_does_not(tmp_path: Path) -> None:
    path = tmp_path / "workdays.yaml"
    path.write_text("workdays: [2031-01-04]\nholidays: [2031-01-01]\n", encoding="utf-8")
    calendar = load_calendar(path)
    assert calendar.is_covered(date(2031, 1, 2)) is False
    assert calendar.is_workday(date(2031, 1, 1)) is False  # a Wednesday, declared holiday
    assert calendar.is_workday(date(2031, 1, 4)) is True  # a Saturday, declared workday
    assert calendar.is_workday(date(2031, 1, 2)) is True  # plain Thursday


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("holidays: 2031-01-01\n", "holidays: must be a list"),
        ("holidays: [soon]\n", "holidays: item 1: 'soon' is not a date like 2027-10-01"),
        ("vacations: []\n", "vacations: unknown key"),
        (
            "workdays: [2031-01-01]\nholidays: [2031-01-01]\n",
            "2031-01-01 is listed as both workday and holiday",
        ),
    ],
)
def test_bad_override_files_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkdayError) as excinfo:
        load_calendar(path)
    assert str(excinfo.value) == f"{path}: {message}"


def test_shipped_override_file_loads() -> None:
    assert isinstance(load_calendar(), WorkdayCalendar)
