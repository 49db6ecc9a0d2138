"""Broken links in the monthly report against a hand-built database: a link still broken when
re-checked is counted in the new month; a link the monitoring network could not check
(无法验证) is listed apart and never deducted."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from analysis.report.build import build_context
from analysis.standards.engine import evaluate
from analysis.standards.profile import load_profile

NATIONAL = Path(__file__).resolve().parents[3] / "config" / "standards" / "national.yaml"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/analysis: the db builder
from sw_analysis_db import new_world  # noqa: E402


def check(world, url: str, at: str, *, ok: bool, status: int | None, error: str | None,
          detail: str | None = None, home: bool = False) -> None:  # fmt: skip
    """One link check as the crawler stores it."""
    world.conn.execute(
        "INSERT INTO links (site_id, url, found_on, on_home_page, ok, status, error, detail,"
        " checked_at) VALUES ('s1', ?, 'http://s1.test/a/1.html', ?, ?, ?, ?, ?, ?)",
        (url, int(home), int(ok), status, error, detail, at),
    )


def world_with_links(tmp_path: Path):
    world = new_world(tmp_path)
    world.column("news")
    world.post("news", "2012-12-20")
    world.post("news", "2012-11-20")
    dead = "http://s1.test/old/zt.html"
    check(world, dead, "2012-11-30T22:10:00", ok=False, status=404, error="http_4xx")
    check(world, dead, "2012-12-03T23:05:00", ok=False, status=404, error="http_4xx")
    check(world, "http://gone.example.org/a.html", "2012-12-03T23:06:00", ok=False, status=None,
          error="unverifiable", detail="dns")  # fmt: skip
    world.done()
    return world, dead


def test_a_link_broken_on_11_30_and_still_broken_is_counted_in_december(tmp_path: Path) -> None:
    world, dead = world_with_links(tmp_path)
    december = build_context(world.path, "2012-12", NATIONAL)
    broken = [b for b in december.broken_links if not b.unverifiable]
    assert [(b.url, b.status) for b in broken] == [(dead, "HTTP 404 页面不存在")]
    assert december.overview.broken_links == 1
    assert december.overview.broken_links_previous == 1  # November saw it too: no false "fix"
    inner = {a.site_name: a.broken_links_inner for a in december.availability}
    assert inner == {"站点": 1}


def test_a_dns_failure_of_an_external_host_is_unverifiable_and_not_deducted(
    tmp_path: Path,
) -> None:
    world, _dead = world_with_links(tmp_path)
    ctx = build_context(world.path, "2012-12", NATIONAL)
    apart = [b for b in ctx.broken_links if b.unverifiable]
    assert [(b.url, b.status) for b in apart] == [
        ("http://gone.example.org/a.html", "无法验证（域名无法解析）")
    ]
    assert ctx.overview.unverifiable_links == 1 and ctx.overview.broken_links == 1
    verdict = evaluate(world.path, load_profile(NATIONAL), date(2012, 12, 31))[0]
    link_rules = [r for r in verdict.rules if r.metric.startswith("broken_links")]
    assert link_rules
    for rule in link_rules:
        urls = [e.get("url") for e in rule.evidence]
        assert "http://gone.example.org/a.html" not in urls
    inner = next(r for r in verdict.rules if r.metric == "broken_links_inner")
    assert inner.value == 1
