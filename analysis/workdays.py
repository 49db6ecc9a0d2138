"""Working days on the official Chinese calendar: holidays off, make-up weekend days on.

The `chinesecalendar` package carries the State Council's published calendar; the override
file (`config/workdays.yaml`) adds years it does not cover yet and local rules. Outside both,
plain Monday–Friday is assumed (and said so by `is_covered`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import yaml

DEFAULT_OVERRIDES = Path(__file__).resolve().parent.parent / "config" / "workdays.yaml"


class WorkdayError(Exception):
    """A malformed override file; the message names the file and the entry."""


@dataclass(frozen=True)
class WorkdayCalendar:
    """Decides whether a day is a working day; overrides win over the package."""

    workdays: frozenset[date] = field(default_factory=frozenset)
    holidays: frozenset[date] = field(default_factory=frozenset)

    def is_workday(self, day: date) -> bool:
        """True when people work that day (including make-up Saturdays/Sundays)."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    def is_covered(self, day: date) -> bool:
        """True when the official calendar (package or overrides) knows the day's year."""
        if day in self.workdays or day in self.holidays:
            return True
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start).

        A letter asked on Friday and answered on Monday took 1 working day.
        """
        if end <= start:
            return 0
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            count += self.is_workday(day)
            day += timedelta(days=1)
        return count


def parse_days(values: object, source: str, key: str) -> frozenset[date]:
    """A list of ISO dates from the override file."""
    if values is None:
        return frozenset()
    if not isinstance(values, list):
        raise WorkdayError(f"{source}: {key}: must be a list of dates like 2027-10-01")
    days: set[date] = set()
    for index, value in enumerate(values):
        if isinstance(value, date):
            days.add(value)
            continue
        try:
            days.add(date.fromisoformat(str(value)))
        except ValueError:
            raise WorkdayError(f"{source}: {key}[{index}]: {value!r} is not a date") from None
    return frozenset(days)


def load_calendar(path: str | Path | None = DEFAULT_OVERRIDES) -> WorkdayCalendar:
    """The calendar with the override file applied (no file: the package alone)."""
    if path is None or not Path(path).exists():
        return WorkdayCalendar()
    source = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise WorkdayError(f"{source}: YAML syntax error: {exc}") from None
    if not isinstance(data, dict):
        raise WorkdayError(f"{source}: must be a mapping with 'workdays' and 'holidays'")
    unknown = set(data) - {"workdays", "holidays"}
    if unknown:
        raise WorkdayError(f"{source}: unknown key '{sorted(unknown)[0]}'")
    workdays = parse_days(data.get("workdays"), source, "workdays")
    holidays = parse_days(data.get("holidays"), source, "holidays")
    both = workdays & holidays
    if both:
        raise WorkdayError(f"{source}: {min(both)} is listed as both workday and holiday")
    return WorkdayCalendar(workdays=workdays, holidays=holidays)
