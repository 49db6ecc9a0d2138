"""Script-rendered lists: tell them from blank columns, and render them through Chromium.

A column page whose list container is empty in the HTML while the page loads scripts that
fetch data (and no CMS adapter knows the family) is `needs_render`. With `render: auto` and
a browser on the machine, the spider fetches it again through scrapy-playwright driving
Debian's Chromium: few pages at once, images/fonts/media and every other host aborted, one
browser context per site, closed when the site is done.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.config import GroupConfig, SiteConfig
from crawler.extract.tree import class_id, visible_text

#: Where Debian (and most distributions) put Chromium; `playwright install` is not needed.
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: Rendering is costly: at most this many browser pages per site context, and contexts.
MAX_PAGES_PER_CONTEXT = 2
MAX_CONTEXTS = 4
#: Resource types a list never needs.
ABORTED_TYPES = frozenset({"image", "font", "media"})
#: Wait until the page's own requests are done (lists arrive by XHR/fetch after load).
GOTO_KWARGS = {"wait_until": "networkidle"}
RENDER_TIMEOUT_MS = 20_000

# Names of list containers; kept narrow: an empty one on a blank column must not look scripted.
LISTISH = re.compile(r"list|news|article|content|app\b|result|items?\b|xxgk|wzlb", re.I)
DATA_SCRIPT = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\b|axios|\.load\s*\(|new\s+Vue"
    r"|createApp|ReactDOM|jsonp|loadList|render\w*\(",
    re.I,
)
CONTAINER_TAGS = frozenset({"div", "ul", "ol", "tbody", "table", "section", "dl"})
SKIPPED_AREAS = re.compile(r"nav|menu|foot|header|banner|search|share|page_?div|pager", re.I)


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when the machine has none."""
    for path in CHROMIUM_PATHS:
        if shutil.which(path):
            return path
    return shutil.which("chromium")


def empty_list_containers(tree: HtmlElement) -> list[HtmlElement]:
    """Elements named like a list container that hold no element and no text."""
    found = []
    for node in tree.iter(*CONTAINER_TAGS):
        label = class_id(node)
        if not LISTISH.search(label) or SKIPPED_AREAS.search(label):
            continue
        if len(node) == 0 and not visible_text(node):
            found.append(node)
    return found


def loads_data_by_script(tree: HtmlElement) -> bool:
    """The page runs scripts from files or inline scripts that fetch or draw data."""
    for script in tree.iter("script"):
        kind = (script.get("type") or "text/javascript").lower()
        if "javascript" not in kind and "module" not in kind:
            continue
        if script.get("src") or DATA_SCRIPT.search(script.text or ""):
            return True
    return False


def needs_render(tree: HtmlElement) -> bool:
    """A list page (that yielded no items) whose list only scripts draw."""
    return bool(empty_list_containers(tree)) and loads_data_by_script(tree)


def render_mode(site: SiteConfig, group: GroupConfig, column_url: str) -> str:
    """`auto` or `off` for one column: its own setting, else the site's, else the group's."""
    for column in site.columns or []:
        if column.url == column_url and column.render is not None:
            return column.render
    return site.effective_crawl(group.defaults).render


def wants_render(group: GroupConfig, sites: Iterable[SiteConfig]) -> bool:
    """True when some site or column of the crawl may be rendered."""
    for site in sites:
        if site.effective_crawl(group.defaults).render == "auto":
            return True
        if any(column.render == "auto" for column in site.columns or []):
            return True
    return False


def abort_off_site(hosts: set[str]) -> Callable[[Any], bool]:
    """PLAYWRIGHT_ABORT_REQUEST: images, fonts, media, and any host outside the group."""

    def should_abort(request: Any) -> bool:
        if request.resource_type in ABORTED_TYPES:
            return True
        host = urlsplit(request.url).hostname or ""
        return not any(host == h or host.endswith("." + h) for h in hosts)

    return should_abort


def render_settings(group: GroupConfig, sites: list[SiteConfig]) -> dict[str, Any]:
    """Scrapy settings that route rendered requests through Chromium ({} when none may be)."""
    executable = chromium_path()
    if executable is None or not wants_render(group, sites):
        return {}
    hosts = {urlsplit(site.home_url).hostname or "" for site in sites}
    for site in sites:
        hosts.update(site.allowed_domains)
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": executable, "headless": True},
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": MAX_PAGES_PER_CONTEXT,
        "PLAYWRIGHT_MAX_CONTEXTS": MAX_CONTEXTS,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": RENDER_TIMEOUT_MS,
        "PLAYWRIGHT_ABORT_REQUEST": abort_off_site({h for h in hosts if h}),
        "SITEWATCH_RENDER": True,
    }


def render_meta(site_id: str) -> dict[str, Any]:
    """Request meta of a rendered page: the site's own browser context, the page kept open
    for the callback so it can close it (and the context when the site is done)."""
    return {
        "playwright": True,
        "playwright_context": f"site-{site_id}",
        "playwright_include_page": True,
        "playwright_page_goto_kwargs": dict(GOTO_KWARGS),
    }
