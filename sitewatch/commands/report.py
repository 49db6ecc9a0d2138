"""`sitewatch report`: the monthly monitoring report as HTML, Word and Excel."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import click

from sitewatch.database import for_reading, no_data_error
from sitewatch.i18n import _
from sitewatch.locks import command_lock, wait_option
from sitewatch.options import config_option, db_option, resolve_standard, standard_option
from sitewatch.runlog import recorded_run

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DEFAULT_OUT = "reports"
DEFAULT_FORMATS = "html,docx,xlsx"


def check_month(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Accept YYYY-MM only (or nothing, with --year)."""
    if value is not None and not MONTH.match(value):
        raise click.BadParameter(f"expected YYYY-MM, got {value!r}")
    return value


def split_formats(_ctx: click.Context, _param: click.Parameter, value: str) -> list[str]:
    """`html,docx` -> ["html", "docx"], checked against the known formats."""
    from analysis.report.render import UnknownFormatError, parse_formats

    try:
        return parse_formats(part for part in value.split(",") if part.strip())
    except UnknownFormatError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("report")
@click.option("--month", callback=check_month, help="Report month, YYYY-MM.")
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    help="Write the year view instead: posts per category and unit, consultations, "
    "availability and the months each site failed (OUT/<year>/).",
)
@click.option(
    "--notices",
    is_flag=True,
    help="Also write a rectification notice per unit with problems: "
    "OUT/<month>/notices/<site-id>.docx.",
)
@config_option
@db_option
@standard_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Output folder; the report goes to OUT/<month>/.",
)
@click.option(
    "--format",
    "formats",
    default=DEFAULT_FORMATS,
    show_default=True,
    callback=split_formats,
    help="Comma-separated formats: html, docx, xlsx.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@wait_option
def report(
    month: str | None,
    year: int | None,
    notices: bool,
    config_path: Path,
    db_path: Path | None,
    standard: Path | None,
    out_dir: Path,
    formats: list[str],
    lang: str,
    wait: bool,
) -> None:
    """Write the monthly monitoring report and print the paths of the files written.

    \b
    Examples:
        sitewatch report --month 2012-12 --config config/demo.yaml --out reports
        sitewatch report --month 2012-12 --notices   # and a notice to each unit
        sitewatch report --year 2012                 # the year view
    """
    from analysis.report.build import build_context
    from analysis.report.context import EmptyReportError
    from analysis.report.render import render_report
    from sitewatch.options import load_group, resolve_db

    if (month is None) == (year is None):
        raise click.UsageError(_("give either --month YYYY-MM or --year YYYY"))
    period = month or str(year)
    group = load_group(config_path)
    db = resolve_db(db_path, group)
    source = for_reading(db)
    profile = resolve_standard(standard, group)
    target = check_out_dir(out_dir, period)
    try:
        with (
            command_lock(db, "report", wait),
            recorded_run(source, "report", datetime.now(), enabled=source == db) as run,
        ):
            run.figures["note"] = period
            if year is not None:
                written = write_year(source, year, profile, group.group.name, out_dir, lang)
            else:
                context = build_context(
                    source,
                    period,
                    profile_path=profile,
                    group_name=group.group.name,
                )
                written = render_report(context, out_dir, formats, lang)  # type: ignore[arg-type]
                if notices:
                    written |= write_notices(context, out_dir, lang)
    except EmptyReportError:
        raise no_data_error(period, source, shown=db) from None
    except OSError as exc:
        raise click.ClickException(
            _("{path}: cannot write the report: {reason}").format(
                path=exc.filename or target, reason=exc.strerror or exc
            )
        ) from None
    for path in written.values():
        click.echo(str(path))


def write_year(
    db: Path, year: int, profile: str | Path | None, group_name: str, out_dir: Path, lang: str
) -> dict[str, Path]:
    """The year view in every format."""
    from analysis.report.year import build_year, render_year

    built = build_year(db, year, profile_path=profile, group_name=group_name)
    return render_year(built, out_dir, lang)  # type: ignore[arg-type]


def write_notices(context: object, out_dir: Path, lang: str) -> dict[str, Path]:
    """A notice per unit with problems, keyed notice:<site-id>."""
    from analysis.report.notices import render_notices

    written = render_notices(context, out_dir, lang)  # type: ignore[arg-type]
    return {f"notice:{site_id}": path for site_id, path in written.items()}


def check_out_dir(out_dir: Path, month: str) -> Path:
    """OUT/<month>, or stop in one line when it cannot be a folder we write into."""
    target = out_dir / month
    for folder in (out_dir, target):
        if folder.exists() and not folder.is_dir():
            raise click.ClickException(
                _("{path}: exists and is not a folder; remove it or choose another --out").format(
                    path=folder
                )
            )
    existing = next(p for p in (target, *target.parents) if p.exists() or p == Path("."))
    if existing.exists() and not os.access(existing, os.W_OK | os.X_OK):
        raise click.ClickException(
            _("{path}: cannot write the report here; choose another --out").format(path=existing)
        )
    return target
