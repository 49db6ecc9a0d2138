"""Parsing the --now / --as-of values every command accepts."""

from __future__ import annotations

from datetime import date, datetime

import click


class DateTimeParam(click.ParamType):
    """A click parameter for `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]` (space also accepted)."""

    name = "DATETIME"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, datetime):
            return value
        text = str(value).strip().replace(" ", "T")
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            self.fail(
                f"{value!r} is not a date-time like 2012-12-05 or 2012-12-05T13:00", param, ctx
            )


class DateParam(click.ParamType):
    """A click parameter for `YYYY-MM-DD`."""

    name = "DATE"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date like 2012-12-31", param, ctx)


DATETIME = DateTimeParam()
DATE = DateParam()
