"""Working days on the official Chinese calendar: holidays off, make-up weekend days on.

The `chinesecalendar` package carries the State Council's published calendar; the override
file adds years it does not cover yet and local rules (`config/workdays.yaml`, shipped as the
package data `analysis/workdays.yaml`). Outside both, plain Monday–Friday is assumed (and said
so by `is_covered`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import chinese_calendar
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    field_validator,
    model_validator,
)

from crawler.config.errors import ConfigError, format_validation_error
from crawler.config.yamlio import load_yaml, read_yaml_text

DEFAULT: Any = object()  # load_calendar(): the shipped override file


# A month's report asks about the same few hundred days tens of thousands of times, and the
# package validates its argument on every call.
@lru_cache(maxsize=8192)
def official_workday(day: date) -> bool:
    """The package's answer; Monday–Friday for a year it does not cover."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


class WorkdayError(ConfigError):
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
        return official_workday(day)

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


def _iso_day(value: object) -> object:
    """A date as YAML gives it (2027-10-01 unquoted) or as an ISO string; else a clear error."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date like 2027-10-01") from None


Day = Annotated[date, BeforeValidator(_iso_day)]


class Overrides(BaseModel):
    """The override file: days worked and days off that the package does not know yet."""

    model_config = ConfigDict(extra="forbid")

    workdays: list[Day] = []
    holidays: list[Day] = []

    @field_validator("workdays", "holidays", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        """`holidays:` left empty means no holidays."""
        return [] if value is None else value

    @model_validator(mode="after")
    def _not_both(self) -> Overrides:
        """A day cannot be a workday and a holiday."""
        both = set(self.workdays) & set(self.holidays)
        if both:
            raise ValueError(f"{min(both)} is listed as both workday and holiday")
        return self


def default_overrides() -> Path:
    """The override file shipped with the package (config/workdays.yaml in the source tree)."""
    return Path(str(resources.files("analysis") / "workdays.yaml"))


def load_calendar(path: str | Path | None = DEFAULT) -> WorkdayCalendar:
    """The calendar with the override file applied (None or no file: the package alone)."""
    if path is DEFAULT:
        path = default_overrides()
    if path is None or not Path(path).exists():
        return WorkdayCalendar()
    source = str(path)
    try:
        text = read_yaml_text(path, source)
        data = load_yaml(text, source, "a mapping with workdays: and holidays:")
    except ConfigError as exc:
        raise WorkdayError(str(exc), line=exc.line) from None
    try:
        overrides = Overrides.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc, data, source, text, Overrides, WorkdayError) from None
    return WorkdayCalendar(
        workdays=frozenset(overrides.workdays), holidays=frozenset(overrides.holidays)
    )
