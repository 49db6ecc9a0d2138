"""Charts of the report as print-resolution PNGs (matplotlib, Agg, the CJK font by file).

Uses the object API (Figure + FigureCanvasAgg), not pyplot: no global figure state and no
backend selection, so rendering is safe in any process.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from analysis.report.context import ReportContext
from analysis.report.fonts import register_cjk_font
from analysis.report.i18n import Lang, label, trend_label

DPI = 200
WIDTH_INCHES = 8.0
MAX_LABEL_CHARS = 18
HEAT_CMAP = "Blues"
# One colour per quantity, the same in every chart (a reader learns it once).
QUANTITY_COLORS = {
    "posts": "#2b6cb0",
    "consultations_received": "#805ad5",
    "consultations_replied": "#2f855a",
    "reply_rate": "#38a169",
    "availability": "#dd6b20",
    "broken_links": "#c53030",
    "sites_failing": "#9b2c2c",
}
OTHER_COLOR = "#4a5568"
PERCENT_FLOOR_MARGIN = 2.0  # percentage points below the lowest value on a zoomed axis


def color_of(quantity: str) -> str:
    """The colour of a quantity in every chart."""
    return QUANTITY_COLORS.get(quantity, OTHER_COLOR)


def percent_limits(values: list[float]) -> tuple[float, float]:
    """A percentage axis within [0, 100]: zoomed to the data (down to a whole 5 below the
    lowest value), the full range when there is no data."""
    known = [v for v in values if v == v]  # NaN is not equal to itself
    if not known:
        return 0.0, 100.0
    low = max(0.0, min(known) - PERCENT_FLOOR_MARGIN)
    return float(int(low // 5 * 5)), 100.0


@dataclass(frozen=True)
class Chart:
    """A rendered chart: its key (posts, heatmap, latency, availability, trend), title, PNG."""

    key: str
    title: str
    png: bytes


def chart_label(name: str) -> str:
    """An untrusted name made safe for a chart: no mathtext ($ escaped), short enough to fit."""
    short = name if len(name) <= MAX_LABEL_CHARS else name[: MAX_LABEL_CHARS - 1] + "…"
    return short.replace("$", r"\$")


@contextmanager
def cjk_style() -> Iterator[None]:
    """matplotlib settings for the report: the CJK font, ASCII minus, no interactive backend."""
    family = register_cjk_font()
    settings: dict[Any, Any] = {  # matplotlib types its keys as a Literal of every rc name
        "font.family": [family],
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 9,
    }
    with matplotlib.rc_context(settings):
        yield


MAX_CHART_ROWS = 40
T = TypeVar("T")


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes at print resolution."""
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    # Constrained layout already fits every label and legend inside the figure: no second
    # draw to crop it ("tight" bounding box), which took about a third of the charts' time.
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def new_figure(height: float) -> Figure:
    """A report-width figure with constrained layout (set before any colorbar is added)."""
    return Figure(figsize=(WIDTH_INCHES, height), layout="constrained")


def rows_height(rows: int) -> float:
    """Figure height for a chart with one bar or row per site."""
    return max(2.5, 0.28 * rows + 1.2)


def sampled_title(key: str, lang: Lang, shown: int, total: int) -> str:
    """A chart title, saying how many sites it shows when it cannot show them all."""
    title = label(key, lang)
    if shown < total:
        title += label("chart_sample", lang).format(shown=shown, total=total)
    return title


def ends(rows: list[T], limit: int = MAX_CHART_ROWS) -> list[T]:
    """Rows sorted already: all of them, or the first and last halves of the limit.

    A chart with a bar per site is unreadable (and slow to draw) past a few dozen sites; the
    tables keep every site, the chart keeps the ends the report is read for.
    """
    if len(rows) <= limit:
        return rows
    half = limit // 2
    return rows[:half] + rows[-half:]


def posts_chart(ctx: ReportContext, lang: Lang) -> Figure | None:
    """Horizontal bars: posts per site this month, most first."""
    sites = ends(sorted(ctx.sites, key=lambda s: s.posts))
    if not sites:
        return None
    fig = new_figure(rows_height(len(sites)))
    ax = fig.add_subplot()
    ax.barh([chart_label(s.name) for s in sites], [s.posts for s in sites], color=color_of("posts"))
    ax.set_title(sampled_title("chart_posts", lang, len(sites), len(ctx.sites)))
    ax.set_xlabel(label("posts", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def heatmap_chart(ctx: ReportContext, lang: Lang) -> Figure | None:
    """Site × week grid of post counts, each cell annotated with its number."""
    weekly = ctx.weekly_posts
    if not weekly.site_names or not weekly.week_starts:
        return None
    # The least active sites are the ones to look at when not all fit.
    rows = sorted(zip(weekly.site_names, weekly.counts, strict=True), key=lambda r: sum(r[1]))
    rows = rows[:MAX_CHART_ROWS]
    names, counts = [name for name, _ in rows], [list(c) for _, c in rows]
    fig = new_figure(rows_height(len(names)))
    ax = fig.add_subplot()
    image = ax.imshow(counts, cmap=HEAT_CMAP, aspect="auto")
    ax.set_xticks(range(len(weekly.week_starts)))
    ax.set_xticklabels([d.strftime("%m-%d") for d in weekly.week_starts])
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([chart_label(n) for n in names])
    ax.set_xlabel(label("week_of", lang))
    top = max((max(row, default=0) for row in counts), default=0)
    for y, row in enumerate(counts):
        for x, value in enumerate(row):
            # Dark cells get white figures so the number stays readable.
            colour = "white" if top and value > top * 0.6 else "black"
            ax.text(x, y, str(value), ha="center", va="center", color=colour, fontsize=7)
    ax.set_title(sampled_title("chart_heatmap", lang, len(names), len(weekly.site_names)))
    fig.colorbar(image, ax=ax, fraction=0.03)
    return fig


def latency_chart(ctx: ReportContext, lang: Lang) -> Figure | None:
    """Histogram of reply times in working days, one bar per whole day."""
    latencies = ctx.reply_latencies_workdays
    if not latencies:
        return None
    fig = new_figure(3.2)
    ax = fig.add_subplot()
    bins = [x - 0.5 for x in range(min(latencies), max(latencies) + 2)]
    ax.hist(latencies, bins=bins, color=color_of("consultations_replied"), edgecolor="white")
    ax.set_title(label("chart_latency", lang))
    ax.set_xlabel(label("workdays", lang))
    ax.set_ylabel(label("letters", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def availability_chart(ctx: ReportContext, lang: Lang) -> Figure | None:
    """Horizontal bars: home-page availability per site, worst at the top."""
    rows = [a for a in ctx.availability if a.availability is not None]
    if not rows:
        return None
    total = len(rows)
    rows.sort(key=lambda a: a.availability or 0.0)
    rows = rows[:MAX_CHART_ROWS]  # the worst ones when not all fit
    rows.reverse()  # barh draws bottom-up: the worst at the top
    fig = new_figure(rows_height(len(rows)))
    ax = fig.add_subplot()
    values = [(a.availability or 0.0) * 100 for a in rows]
    ax.barh([chart_label(a.site_name) for a in rows], values, color=color_of("availability"))
    low, high = percent_limits(values)
    ax.set_xlim(min(low, 90.0), high)
    ax.xaxis.set_major_formatter(PercentFormatter())
    ax.set_title(sampled_title("chart_availability", lang, len(rows), total))
    return fig


def trend_chart(ctx: ReportContext, lang: Lang) -> Figure | None:
    """Lines over twelve months: counts on the left axis, ratios (in %, within 0–100) on the
    right; the legend below the plot, never over the lines."""
    trend = ctx.trend
    if not trend.months or not trend.series:
        return None
    fig = new_figure(4.0)
    ax = fig.add_subplot()
    ratio_ax = None
    x = range(len(trend.months))
    ratio_values: list[float] = []
    for series in trend.series:
        values = [float("nan") if v is None else v for v in series.values[: len(trend.months)]]
        colour = color_of(series.key)
        if series.is_ratio:
            ratio_ax = ratio_ax or ax.twinx()
            scaled = [v * 100 for v in values]
            ratio_values += scaled
            ratio_ax.plot(x, scaled, "--", marker="s", color=colour,
                          label=trend_label(series.key, lang))  # fmt: skip
        else:
            ax.plot(x, values, marker="o", color=colour, label=trend_label(series.key, lang))
    ax.set_xticks(list(x))
    ax.set_xticklabels(trend.months, rotation=45, ha="right")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    handles, names = ax.get_legend_handles_labels()
    if ratio_ax is not None:
        ratio_ax.set_ylim(*percent_limits(ratio_values))
        ratio_ax.yaxis.set_major_formatter(PercentFormatter())
        ratio_ax.spines["right"].set_visible(True)
        more_handles, more_names = ratio_ax.get_legend_handles_labels()
        handles, names = handles + more_handles, names + more_names
    fig.legend(handles, names, loc="outside lower center", fontsize=8, ncols=len(names))
    ax.set_title(label("chart_trend", lang))
    return fig


CHART_BUILDERS: dict[str, tuple[str, Callable[[ReportContext, Lang], Figure | None]]] = {
    "posts": ("chart_posts", posts_chart),
    "heatmap": ("chart_heatmap", heatmap_chart),
    "latency": ("chart_latency", latency_chart),
    "availability": ("chart_availability", availability_chart),
    "trend": ("chart_trend", trend_chart),
}


def render_charts(ctx: ReportContext, lang: Lang) -> dict[str, Chart]:
    """Every chart that has data, by key."""
    charts: dict[str, Chart] = {}
    with cjk_style():
        for key, (title_key, build) in CHART_BUILDERS.items():
            fig = build(ctx, lang)
            if fig is None:
                continue
            charts[key] = Chart(key, label(title_key, lang), to_png(fig))
    return charts
