"""Twelve-month trends (posts, replies, reply latency, availability) and the weekly heat map."""

from __future__ import annotations

from datetime import date

from analysis import queries
from analysis.metrics.context import MonthContext
from analysis.metrics.model import HeatMap, Trends
from analysis.metrics.periods import iso_week, month_label, trend_months, weeks_of


def trends(ctx: MonthContext) -> Trends:
    """Per site and month, the 12 months ending with the report month (cut at the as-of)."""
    months = trend_months(ctx.month)
    labels = [month_label(m) for m in months]
    first, last = months[0], ctx.period.end
    result = Trends(months=labels)
    position = {label: i for i, label in enumerate(labels)}

    def series(default: float | None) -> dict[str, list]:
        return {site_id: [default] * len(labels) for site_id in ctx.site_ids}

    result.posts = series(0)
    for row in queries.posts_by_month(ctx.conn, ctx.sites_json, first, last):
        result.posts[row["site_id"]][position[row["month"]]] = row["posts"]

    queries.install_workday_index(ctx.conn, ctx.calendar, ctx.as_of)
    params = queries.letter_params(ctx.sites_json, first, last, last)
    result.replied, result.median_reply_workdays = series(0), series(None)
    for row in queries.reply_latency(ctx.conn, params, by="site_month"):
        site_id, month = row["grp"].rsplit("|", 1)
        result.replied[site_id][position[month]] = row["n"]
        result.median_reply_workdays[site_id][position[month]] = row["median"]

    probe = queries.probe_params(ctx.sites_json, first, last, ctx.settings.probe_timeout_s)
    result.visits, result.failure_rate = series(0), series(None)
    for row in queries.probe_summary_by_month(ctx.conn, probe):
        index = position[row["month"]]
        result.visits[row["site_id"]][index] = row["visits"]
        result.failure_rate[row["site_id"]][index] = round(row["failures"] / row["visits"], 4)
    return result


def heatmap(ctx: MonthContext) -> HeatMap:
    """Posts per site and ISO week of the period."""
    weeks = weeks_of(ctx.period)
    position = {week: i for i, week in enumerate(weeks)}
    counts = {site_id: [0] * len(weeks) for site_id in ctx.site_ids}
    for row in queries.posts_by_day(ctx.conn, ctx.sites_json, *ctx.period.as_tuple()):
        counts[row["site_id"]][position[iso_week(date.fromisoformat(row["day"]))]] += row["posts"]
    return HeatMap(weeks=weeks, counts=counts)
