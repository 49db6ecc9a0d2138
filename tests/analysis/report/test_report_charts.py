"""Charts: Chinese labels render with the bundled CJK font, no glyph warnings, print resolution."""

from __future__ import annotations

import io
import warnings

from matplotlib.font_manager import FontProperties
from PIL import Image

from analysis.report.charts import DPI, chart_label, render_charts
from analysis.report.context import ReportContext
from analysis.report.fonts import cjk_font_path, register_cjk_font


def test_font_is_the_bundled_noto_sans_cjk_file() -> None:
    path = cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and "mplfonts" in str(path)
    assert register_cjk_font() == FontProperties(fname=str(path)).get_name() == "Noto Sans CJK SC"


def test_charts_render_without_glyph_warnings(context: ReportContext) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts = render_charts(context, "zh")
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "Glyph" in m or "missing from" in m], messages
    assert not [m for m in messages if "findfont" in m], messages
    assert set(charts) == {"posts", "heatmap", "latency", "availability", "trend"}
    for chart in charts.values():
        image = Image.open(io.BytesIO(chart.png))
        assert image.format == "PNG"
        assert round(image.info["dpi"][0]) >= 200 == DPI
        assert image.width >= 1200


def test_chart_labels_do_not_run_mathtext() -> None:
    assert chart_label("$x^2$ 站") == r"\$x^2\$ 站"
    long_name = "很长的网站名称" * 5
    assert len(chart_label(long_name)) == 18 and chart_label(long_name).endswith("…")
