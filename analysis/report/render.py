"""Render the monthly report in the requested formats: `render_report(context, out_dir, ...)`."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from analysis.files import atomic_write
from analysis.report.charts import render_charts
from analysis.report.context import EmptyReportError, ReportContext
from analysis.report.docx import render_docx
from analysis.report.html import write_html
from analysis.report.i18n import LANGS, Lang, label
from analysis.report.tables import build_sections
from analysis.report.xlsx import render_xlsx

FORMATS: tuple[str, ...] = ("html", "docx", "xlsx")
CHART_FORMATS = frozenset({"html"})  # the Word 通报 carries text and annex tables only
CHARTS_DIR = "charts"


class UnknownFormatError(ValueError):
    """A requested output format is not one of FORMATS."""


def parse_formats(formats: Iterable[str]) -> list[str]:
    """Requested formats, lower-cased, de-duplicated and checked, in the order given."""
    wanted: list[str] = []
    for name in (f.strip().lower() for f in formats):
        if name not in FORMATS:
            raise UnknownFormatError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
        if name not in wanted:
            wanted.append(name)
    if not wanted:
        raise UnknownFormatError(f"no format given (choose from {', '.join(FORMATS)})")
    return wanted


def month_dir(out_dir: Path, month: str) -> Path:
    """The folder a month's report goes into: OUT/YYYY-MM."""
    return out_dir / month


def render_report(
    context: ReportContext,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    lang: Lang = "zh",
) -> dict[str, Path]:
    """Write OUT/<month>/report.<format> for each format (+ charts/*.png); return the paths.

    Raises EmptyReportError when the month has no data and UnknownFormatError / ValueError for
    a bad format or language.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (choose from {', '.join(LANGS)})")
    wanted = parse_formats(formats)
    if context.is_empty():
        raise EmptyReportError(label("empty", lang).format(month=context.month))
    target = month_dir(Path(out_dir), context.month)
    target.mkdir(parents=True, exist_ok=True)
    sections = build_sections(context, lang)
    charts = render_charts(context, lang) if CHART_FORMATS.intersection(wanted) else {}
    written: dict[str, Path] = {}
    if charts:
        (target / CHARTS_DIR).mkdir(exist_ok=True)
        for key, chart in charts.items():
            png = partial(Path.write_bytes, data=chart.png)
            atomic_write(target / CHARTS_DIR / f"{key}.png", png)
    # Each file is written to a temporary name and renamed: never half-written, never through
    # a symlink planted at report.<format>.
    for name in wanted:
        path = target / f"report.{name}"
        if name == "html":
            written[name] = atomic_write(
                path, lambda tmp: write_html(context, sections, charts, lang, tmp)
            )
        elif name == "docx":
            written[name] = atomic_write(
                path, lambda tmp: render_docx(context, sections, charts, lang, tmp)
            )
        else:
            written[name] = atomic_write(
                path, lambda tmp: render_xlsx(context, sections, lang, tmp)
            )
    return written
