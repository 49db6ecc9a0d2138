"""The shape sites (split lists, six-argument pager, EmpireCMS, Hanweb jpage, gkmlpt and a
render-only site) crawled through the real CLI, judged by the simulator's truth.

With Chromium (Debian's, driven by scrapy-playwright) the render-only site's lists are read
after its scripts ran; without rendering its columns are 需渲染, never blank or stale.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sw_shapes import SHAPES_OPTION, shape_sites, with_shape_sites
from sw_testing import demo_config, simulator, sitewatch, worker_port

from analysis.metrics import compute_month
from analysis.report.build import column_issues_of
from analysis.report.context import ColumnProblem
from crawler.render import chromium_path
from simulator.accuracy import compare

pytestmark = pytest.mark.slow
NOW = "2012-12-31T09:00"


def crawl_shapes(tmp: Path, port: int, render: str) -> dict[str, Any]:
    with simulator(port, today="2012-12-31", faults="none", extra=SHAPES_OPTION) as sim:
        truth = sim.truth()
        config = with_shape_sites(demo_config(tmp, port, sites=["portal"]), truth, render=render)
        db = tmp / "shapes.db"
        result = sitewatch("crawl", "--config", str(config), "--db", str(db), "--now", NOW, "-q")
        assert result.returncode == 0, result.stderr[-3000:]
        return {"db": db, "truth": truth, "config": config}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if chromium_path() is None:
        pytest.skip("no Chromium on this machine (apt install chromium): cannot render")
    yield crawl_shapes(tmp_path_factory.mktemp("rendered"), worker_port(19750), "auto")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    yield crawl_shapes(tmp_path_factory.mktemp("plain"), worker_port(19760), "off")


def test_every_shape_is_read_right_with_the_browser(rendered: dict[str, Any]) -> None:
    sites = shape_sites(rendered["truth"])
    accuracy = compare(rendered["db"], {"sites": sites})
    figures = accuracy.as_dict()
    print(json.dumps({k: figures[k] for k in ("truth_posts", "posts_all_right", "extra_posts")}))
    assert accuracy.truth_posts > 500
    assert accuracy.posts_all_right == accuracy.truth_posts, figures["examples"]
    assert accuracy.extra_posts == 0 and accuracy.duplicated_posts == 0, figures["examples"]


def test_render_only_site_went_through_the_browser(rendered: dict[str, Any]) -> None:
    site = next(s for s in shape_sites(rendered["truth"]) if s["render_only"])
    accuracy = compare(rendered["db"], {"sites": [site]})
    assert accuracy.truth_posts > 50
    assert accuracy.posts_all_right == accuracy.truth_posts, accuracy.as_dict()["examples"]
    conn = sqlite3.connect(rendered["db"])
    shapes = conn.execute(
        "SELECT extraction_state, extraction_shape FROM columns WHERE site_id = ?", (site["id"],)
    ).fetchall()
    with_items = [json.loads(shape) for state, shape in shapes if state == "ok" and shape]
    assert with_items and all(shape["via"] == "rendered" for shape in with_items)
    assert all(state == "ok" for state, _ in shapes)


def test_adapters_walked_the_data_pages(rendered: dict[str, Any]) -> None:
    conn = sqlite3.connect(rendered["db"])
    fetched = [url for (url,) in conn.execute("SELECT url FROM fetches WHERE kind = 'list'")]
    assert any("/module/web/jpage/dataproxy.jsp?page=2" in url for url in fetched)
    assert any("/gkmlpt/api/all/0?page=1" in url for url in fetched)
    stored = conn.execute("SELECT extraction_shape FROM columns WHERE extraction_shape IS NOT NULL")
    vias = {json.loads(shape)["via"] for (shape,) in stored}
    assert {"hanweb_jpage", "gkmlpt", "rendered", "html"} <= vias


def test_without_rendering_the_script_site_is_needs_render_not_stale(plain: dict[str, Any]) -> None:
    site = next(s for s in shape_sites(plain["truth"]) if s["render_only"])
    conn = sqlite3.connect(plain["db"])
    states = dict(
        conn.execute("SELECT key, extraction_state FROM columns WHERE site_id = ?", (site["id"],))
    )
    assert states and set(states.values()) == {"needs_render"}
    others = [s for s in shape_sites(plain["truth"]) if not s["render_only"]]
    accuracy = compare(plain["db"], {"sites": others})
    assert accuracy.posts_all_right == accuracy.truth_posts, accuracy.as_dict()["examples"]
    month = compute_month(conn, "2012-12", with_trends=False)
    columns = [c for c in month.columns if c.site_id == site["id"]]
    assert columns and all(c.extraction == "needs_render" for c in columns)
    assert not any(c.stale or c.blank for c in columns)
    # The report lists them as 需渲染 (section 3), under no rule.
    urls = {c.url for c in columns}
    issues = [i for i in column_issues_of(month, {}) if i.column_url in urls]
    assert {i.problem for i in issues} == {ColumnProblem.NEEDS_RENDER}
    assert len(issues) == len(columns) and not any(i.rule_id for i in issues)
