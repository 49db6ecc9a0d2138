"""Site search: the form and the post to look for, on a simulated and on real home pages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawler.content.search import (
    SearchForm,
    find_search_form,
    lists_post,
    sample_post,
    search_url,
)
from crawler.extract.encoding import decode_html
from crawler.extract.tree import parse_html
from simulator.router import Router
from simulator.world import build_world

PAGES = Path(__file__).parents[4] / "shared" / "fixtures" / "real-pages"


def test_simulated_search_finds_a_listed_post_except_on_the_broken_site() -> None:
    world = build_world()
    router = Router(world)
    results = {}
    for site in world.sites:
        home = router.render(site, "/", "", date(2012, 12, 31)).body.decode(site.encoding)
        tree = parse_html(home)
        form = find_search_form(tree, site.home_url)
        sample = sample_post(tree, site.home_url, site.host)
        assert form is not None and form.method == "get" and sample is not None
        title, url = sample
        target = search_url(form, title[:8])
        assert target.startswith(f"{site.base_url}/search/?q=")
        query = target.split("?", 1)[1]
        page = router.render(site, "/search/", query, date(2012, 12, 31)).body
        results[site.site_id] = lists_post(parse_html(page.decode(site.encoding)), target, url)
    broken = {s.site_id for s in world.sites if any(
        c["check"] == "search_broken" for c in s.content_errors
    )}  # fmt: skip
    assert len(broken) == 1
    assert {site for site, ok in results.items() if not ok} == broken


def test_real_home_pages() -> None:
    if not (PAGES / "labels.jsonl").exists():
        pytest.skip("shared real pages not here")
    labels = {
        json.loads(line)["file"]: json.loads(line)
        for line in (PAGES / "labels.jsonl").read_text().splitlines()
    }
    found = {}
    for name in ("014.html", "032.html"):
        html, _codec = decode_html((PAGES / name).read_bytes(), None)
        found[name] = find_search_form(parse_html(html), labels[name]["original_url"])
    # 新乡 posts its search (not tried), 宜春 uses GET with a hidden site code.
    assert found["014.html"] is not None and found["014.html"].method == "post"
    assert found["032.html"] == SearchForm(
        "https://www.yichun.gov.cn/search4/s", "searchWord", (("siteCode", "3609000002"),)
    )
