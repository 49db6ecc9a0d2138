"""Render settings: only when a site may need them, Debian's Chromium, off-site requests aborted."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crawler.config import GroupConfig
from crawler.render import abort_off_site, chromium_path, render_mode, render_settings


def group(render_default: str = "off", site_render: str | None = None) -> GroupConfig:
    site: dict = {
        "id": "a",
        "name": "甲站",
        "unit_type": "city",
        "home_url": "http://www.a.gov.cn/",
        "columns": [
            {"name": "动态", "url": "http://www.a.gov.cn/dt/", "category": "news"},
            {"name": "公开", "url": "http://www.a.gov.cn/gk/", "category": "disclosure",
             "render": "auto"},
        ],
    }  # fmt: skip
    if site_render:
        site["crawl"] = {"render": site_render}
    return GroupConfig.model_validate(
        {"group": {"name": "g"}, "defaults": {"render": render_default}, "sites": [site]}
    )


def test_render_mode_column_over_site_over_group() -> None:
    config = group()
    site = config.sites[0]
    assert render_mode(site, config, "http://www.a.gov.cn/gk/") == "auto"
    assert render_mode(site, config, "http://www.a.gov.cn/dt/") == "off"
    on = group(render_default="auto")
    assert render_mode(on.sites[0], on, "http://www.a.gov.cn/dt/") == "auto"
    off = group(render_default="auto", site_render="off")
    assert render_mode(off.sites[0], off, "http://www.a.gov.cn/dt/") == "off"


def test_no_browser_settings_unless_some_column_may_render() -> None:
    config = group()
    config.sites[0].columns[1].render = "off"  # type: ignore[index]
    assert render_settings(config, config.sites) == {}


@pytest.mark.skipif(chromium_path() is None, reason="no Chromium on this machine")
def test_settings_drive_the_local_chromium() -> None:
    config = group()
    settings = render_settings(config, config.sites)
    assert settings["PLAYWRIGHT_LAUNCH_OPTIONS"]["executable_path"] == chromium_path()
    assert settings["DOWNLOAD_HANDLERS"]["http"].startswith("scrapy_playwright.")
    assert settings["PLAYWRIGHT_MAX_PAGES_PER_CONTEXT"] <= 2


@dataclass
class FakeRequest:
    """The two attributes of a Playwright request the abort rule reads."""

    url: str
    resource_type: str


def test_abort_images_fonts_media_and_other_hosts() -> None:
    abort = abort_off_site({"www.a.gov.cn", "a.gov.cn"})
    assert not abort(FakeRequest("http://www.a.gov.cn/api/list?page=2", "fetch"))
    assert not abort(FakeRequest("http://static.a.gov.cn/app.js", "script"))
    assert abort(FakeRequest("http://www.a.gov.cn/logo.png", "image"))
    assert abort(FakeRequest("http://www.a.gov.cn/f.woff", "font"))
    assert abort(FakeRequest("https://cdn.example.com/jquery.js", "script"))
    assert abort(FakeRequest("http://10.0.0.1/internal", "document"))


def test_needs_render_wants_an_empty_list_container_and_a_data_script() -> None:
    from crawler.extract.tree import parse_html
    from crawler.render import needs_render

    scripted = (
        '<html><body><div class="nav"><a href="/">首页</a></div><div id="news-list"></div>'
        '<script src="/js/list.js"></script></body></html>'
    )
    assert needs_render(parse_html(scripted))
    inline = '<div class="article-list"></div><script>$.getJSON("/api/l", draw)</script>'
    assert needs_render(parse_html(f"<html><body>{inline}</body></html>"))
    # Blank columns: an empty info box, a filled list box, or an empty list without scripts.
    blank = '<div class="info"></div><script src="/js/jquery.js"></script>'
    assert not needs_render(parse_html(f"<html><body>{blank}</body></html>"))
    filled = '<div class="list"><p>暂无信息</p></div><script src="/js/a.js"></script>'
    assert not needs_render(parse_html(f"<html><body>{filled}</body></html>"))
    assert not needs_render(parse_html('<html><body><ul class="list"></ul></body></html>'))
    # A pager's empty placeholder is not a list.
    pager = '<div id="page_div"></div><script src="/js/page.js"></script>'
    assert not needs_render(parse_html(f"<html><body>{pager}</body></html>"))
