"""The report as one self-contained HTML file: inline CSS, charts as data: URIs, inline sorter.

Jinja2 autoescapes every value; only the report's own CSS and script (files of this package,
never crawled text) are marked safe. A Content-Security-Policy admits nothing from outside: no
network fetches, images only from data: URIs, and only the sorter script (by its hash).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from analysis.report.charts import Chart
from analysis.report.context import ReportContext
from analysis.report.fmt import clean_text
from analysis.report.fonts import subset_font_woff
from analysis.report.i18n import LABELS, Lang, label
from analysis.report.tables import Cell, Part, Section

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "report.html.j2"
EMBEDDED_FAMILY = "Report Sans CJK"  # the name report.css puts first in font-family
CSS_ONLY_CHARS = "▲▼"  # drawn by report.css (sort arrows), absent from the page text
FONT_SLOT = "/*@font-face*/"  # where the embedded font goes, inside the page's <style>
WIDE_COLUMNS = 8  # a section with a table of more columns prints on landscape pages


@dataclass(frozen=True)
class EmbeddedChart:
    """A chart ready for the page: title and data: URI."""

    title: str
    uri: str


def sort_value(cell: Cell) -> str:
    """The data-value the sorter reads: numbers in full precision, dates ISO, else the text."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_class(cell: Cell) -> str:
    """CSS classes of a cell: numbers right-aligned, outcomes coloured."""
    classes = []
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        classes.append("num")
    if isinstance(cell.value, date):
        classes.append("date")
    if cell.outcome:
        classes.append(f"o-{cell.outcome.replace('/', '')}")
    return " ".join(classes)


def escape_html(text: str) -> str:
    """Text escaped for HTML content and attributes, as markupsafe does (the same entities)."""
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def row_html(row: list[Cell]) -> Markup:
    """A table row's cells as HTML, every text and URL escaped. One call per row: a template
    loop per cell cost a third of the page's time on a group of a few hundred sites."""
    out = []
    for cell in row:
        body = escape_html(cell.text)
        if cell.url:
            body = (
                f'<a href="{escape_html(cell.url)}" rel="noopener noreferrer nofollow"'
                f' target="_blank">{body}</a>'
            )
        classes, value = escape_html(cell_class(cell)), escape_html(sort_value(cell))
        out.append(f'<td class="{classes}" data-value="{value}">{body}</td>')
    return Markup("".join(out))


def data_uri(png: bytes) -> str:
    """A PNG as a data: URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def csp(script: str) -> str:
    """A policy that loads nothing from outside and runs only this exact script."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def font_face_css(page: str) -> str:
    """An @font-face rule embedding the CJK font subset for the characters of `page`."""
    woff = base64.b64encode(subset_font_woff(page)).decode("ascii")
    return (
        f'@font-face {{ font-family: "{EMBEDDED_FAMILY}"; font-display: swap; '
        f'src: url(data:font/woff;base64,{woff}) format("woff"); }}\n'
    )


def environment() -> Environment:
    """The Jinja2 environment with autoescape on for every template."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["sort_value"] = sort_value
    env.filters["cell_class"] = cell_class
    env.filters["row_html"] = row_html
    return env


def render_html(
    ctx: ReportContext, sections: list[Section], charts: dict[str, Chart], lang: Lang
) -> str:
    """The whole report page as an HTML string."""
    script = (TEMPLATES / "sort.js").read_text(encoding="utf-8")
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    template = environment().get_template(TEMPLATE_NAME)
    notice = next((s for s in sections if s.part == Part.NOTICE), None)
    values = dict(
        html_lang="zh-CN" if lang == "zh" else "en",
        csp=csp(script),
        css=Markup(css),  # the package's own stylesheet, not crawled text
        script=Markup(script),  # the package's own sorter, not crawled text
        title=notice.heading if notice else clean_text(f"{ctx.group_name} {label('title', lang)}"),
        notice_headings={label(k, lang) for k in ("n1", "n2", "n3")},
        wide={s.key for s in sections if any(len(t.headers) > WIDE_COLUMNS for t in s.tables)},
        month=ctx.month,
        check_date=ctx.check_date.isoformat(),
        generated=ctx.generated_at.strftime("%Y-%m-%d %H:%M"),
        labels={key: label(key, lang) for key in LABELS},
        sections=sections,
        charts={key: EmbeddedChart(c.title, data_uri(c.png)) for key, c in charts.items()},
    )
    # Render once; the font subset is made from that page's characters and put in its place.
    page = template.render(**values, font_css=Markup(FONT_SLOT))
    return page.replace(FONT_SLOT, font_face_css(page + CSS_ONLY_CHARS), 1)


def write_html(
    ctx: ReportContext, sections: list[Section], charts: dict[str, Chart], lang: Lang, path: Path
) -> Path:
    """Write the HTML report to `path`."""
    path.write_text(render_html(ctx, sections, charts, lang), encoding="utf-8")
    return path
