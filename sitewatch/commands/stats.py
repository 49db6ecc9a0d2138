"""`sitewatch stats`: the month's update figures per site and column."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from sitewatch.clock import DATE
from sitewatch.commands.check import open_database, optional_group
from sitewatch.database import no_data_error, read_only_connection
from sitewatch.i18n import _
from sitewatch.options import (
    config_option,
    db_option,
    load_standard,
    resolve_db,
    resolve_standard,
    site_option,
    standard_option,
)
from sitewatch.output import console as output_console

FORMATS = ("table", "json", "csv")
CSV_FIELDS = (
    "site_id",
    "name",
    "unit_type",
    "posts",
    "posts_previous",
    "posts_change",
    "posts_per_week",
    "last_post_on",
    "days_since_update",
    "stale_columns",
    "blank_columns",
    "consultations_received",
    "consultations_replied",
    "reply_rate",
    "median_reply_workdays",
    "overdue_letters",
    "broken_links_home",
    "broken_links_inner",
)


def stats_document(metrics: Any) -> dict[str, Any]:
    """The stable JSON shape of `stats` (more keys than the minimum are welcome)."""
    data = metrics.to_dict()
    sites = [
        {
            **site,
            "broken_links": site["broken_links_home"] + site["broken_links_inner"],
        }
        for site in data["sites"]
    ]
    columns = [
        {
            key: column[key]
            for key in (
                "site_id",
                "column",
                "category",
                "posts",
                "posts_previous",
                "last_post_on",
                "days_since_update",
                "blank",
                "stale",
                "stale_limit_days",
                "stale_rule",
                "url",
            )
        }
        for column in data["columns"]
    ]
    return {
        "month": data["month"],
        "as_of": data["as_of"],
        "period": [data["period_start"], data["period_end"]],
        "sites": sites,
        "columns": columns,
        "unit_types": data["unit_types"],
        "posts_by_category": data["posts_by_category"],
    }


def stats_csv(metrics: Any) -> str:
    """One CSV row per site."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_FIELDS, "failure_rate"])
    for site in metrics.sites:
        writer.writerow(
            [*(getattr(site, name) for name in CSV_FIELDS), site.availability.failure_rate]
        )
    return out.getvalue()


def cell(value: Any) -> str:
    """A table cell: '-' for unknown, ratios as percentages."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def print_table(metrics: Any) -> None:
    """The month's site figures as a rich table."""
    from rich import box
    from rich.table import Table

    title = _("{month} (to {end})").format(month=metrics.month, end=metrics.period_end)
    table = Table(title=title, box=box.SIMPLE)
    headers = (
        _("site"),
        _("posts"),
        _("previous month"),
        "Δ",
        _("last post"),
        _("days since"),
        _("stale columns"),
        _("blank columns"),
        _("letters"),
        _("replied"),
        _("median reply (working days)"),
        _("failure rate"),
        _("broken links"),
    )
    for number, header in enumerate(headers):
        table.add_column(header, justify="left" if number == 0 else "right", no_wrap=True)
    for site in metrics.sites:
        rate = site.availability.failure_rate
        table.add_row(
            site.site_id,
            cell(site.posts),
            cell(site.posts_previous),
            f"{site.posts_change:+d}",
            cell(site.last_post_on),
            cell(site.days_since_update),
            cell(site.stale_columns),
            cell(site.blank_columns),
            cell(site.consultations_received),
            cell(site.consultations_replied),
            cell(site.median_reply_workdays),
            "-" if rate is None else f"{rate:.1%}",
            cell(site.broken_links),
        )
    output_console().print(table)  # full width off a terminal, never cut


def has_data(metrics: Any) -> bool:
    """True when the month holds any post, letter, probe or link check."""
    return any(
        s.posts or s.consultations_received or s.availability.visits or s.broken_links
        for s in metrics.sites
    ) or any(c.posts for c in metrics.columns)


@click.command("stats")
@click.option("--month", required=True, help="The month, YYYY-MM.")
@config_option
@db_option
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="Count up to this day (default: the month's last day).",
)
@site_option
@standard_option
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
def stats(
    month: str,
    config_path: Path,
    db_path: Path | None,
    as_of: date | None,
    site_ids: tuple[str, ...],
    standard: Path | None,
    output: str,
) -> None:
    """Print the month's figures: posts, update frequency, consultations, availability.

    \b
    The limits (stale days per column class, reply limit, probe timeout) are the standard
    profile's, as in `check` and `report`.

    \b
    Example:
        sitewatch stats --config config/demo.yaml --month 2012-12
        sitewatch stats --db data/demo.db --month 2012-12 --format json --standard national
    """
    from analysis.metrics import MonthSettings, compute_month
    from analysis.metrics.periods import parse_month
    from analysis.queries import AnalysisError

    try:
        parse_month(month)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None
    group = optional_group(config_path, db_path)
    db = open_database(db_path, group)
    settings = MonthSettings.from_profile(load_standard(resolve_standard(standard, group)))
    conn = read_only_connection(db)  # stats only reads: never migrates or writes the file
    try:
        sites = list(site_ids) or None
        metrics = compute_month(conn, month, as_of, sites=sites, settings=settings)
    except AnalysisError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        conn.close()
    if not has_data(metrics):
        raise no_data_error(month, db, shown=resolve_db(db_path, group))
    if output == "json":
        click.echo(json.dumps(stats_document(metrics), ensure_ascii=False, indent=2))
    elif output == "csv":
        click.echo(stats_csv(metrics), nl=False)
    else:
        print_table(metrics)
