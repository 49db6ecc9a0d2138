"""Consultations: letters received, replied and pending, reply latency, letters left open.

Letters are counted by the month they were asked in; a reply counts when dated on or before
the as-of date. Latency covers the replied letters of that cohort, in calendar days and in
working days (the official calendar, via the temp workday index: one subtraction per letter
inside SQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from analysis import queries
from analysis.metrics.context import MonthContext
from analysis.metrics.model import OpenLetter


@dataclass(frozen=True)
class LetterFigures:
    """Consultation figures of one site in the period."""

    received: int = 0
    replied: int = 0
    pending: int = 0
    reply_rate: float | None = None
    median_reply_days: float | None = None
    median_reply_workdays: float | None = None
    p90_reply_workdays: float | None = None
    max_reply_workdays: float | None = None


def ratio(part: int, whole: int) -> float | None:
    """part / whole rounded to 4 places; None when whole is 0."""
    return round(part / whole, 4) if whole else None


def letter_figures(ctx: MonthContext) -> dict[str, LetterFigures]:
    """Per site: letters asked in the period, replies known by its end, and their latency."""
    queries.install_workday_index(ctx.conn, ctx.calendar, ctx.as_of)
    params = queries.letter_params(ctx.sites_json, ctx.period.start, ctx.period.end, ctx.period.end)
    summary = queries.group_rows(
        queries.letter_summary(ctx.conn, params, over_days=0, over_workdays=0, grace_workdays=0)
    )
    workdays = queries.group_rows(queries.reply_latency(ctx.conn, params), "grp")
    days = queries.group_rows(queries.reply_latency(ctx.conn, params, workdays=False), "grp")
    out: dict[str, LetterFigures] = {}
    for site_id, row in summary.items():
        wd, cd = workdays.get(site_id, {}), days.get(site_id, {})
        out[site_id] = LetterFigures(
            received=row["received"],
            replied=row["replied"],
            pending=row["pending"],
            reply_rate=ratio(row["replied"], row["received"]),
            median_reply_days=cd.get("median"),
            median_reply_workdays=wd.get("median"),
            p90_reply_workdays=wd.get("p90"),
            max_reply_workdays=wd.get("max"),
        )
    return out


def group_reply_figures(ctx: MonthContext) -> tuple[float | None, list[int]]:
    """The whole group's median reply time in working days, and every letter's, for the period."""
    queries.install_workday_index(ctx.conn, ctx.calendar, ctx.as_of)
    params = queries.letter_params(ctx.sites_json, ctx.period.start, ctx.period.end, ctx.period.end)
    group = queries.group_rows(queries.reply_latency(ctx.conn, params, by="group"), "grp")
    median = group.get("all", {}).get("median")
    return median, queries.reply_workday_values(ctx.conn, params)


def open_letters(ctx: MonthContext) -> list[OpenLetter]:
    """Letters unanswered on the as-of date that waited longer than the reply limit (working
    days) or the overdue limit (calendar days), asked within the lookback."""
    queries.install_workday_index(ctx.conn, ctx.calendar, ctx.as_of)
    settings = ctx.settings
    asked_from = ctx.period.end - timedelta(days=settings.letters_lookback_days)
    params = queries.letter_params(ctx.sites_json, asked_from, ctx.period.end, ctx.period.end)
    found = queries.letters_over(
        ctx.conn,
        params,
        over_days=settings.overdue_days,
        over_workdays=settings.reply_limit_workdays,
    )
    return [
        OpenLetter(
            site_id=row["site_id"],
            url=row["url"],
            title=row["title"],
            asked_on=row["asked_on"],
            days_open=row["days"],
            workdays_open=row["workdays"],
            over_overdue_days=row["days"] > settings.overdue_days,
        )
        for row in found
        if not row["replied"]
    ]
