"""The site search (站内搜索) the header's form points at: titles containing the words.

One planted site's search answers every query with nothing (truth: a `search_broken` entry
in its content_errors, simulator/content_cases.py).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote_to_bytes

from simulator.templates.chrome import Ctx, esc, page
from simulator.world import visible_posts

SEARCH_PATH = "/search/"
MAX_RESULTS = 20


def query_words(site_encoding: str, query: str) -> str:
    """The q parameter, decoded as UTF-8 or else the site's own charset (as forms send it)."""
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if name == "q":
            raw = unquote_to_bytes(value.replace("+", " "))
            try:
                return raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                return raw.decode(site_encoding, errors="replace").strip()
    return parse_qs(query).get("q", [""])[0].strip()


def render_search(ctx: Ctx, query: str) -> str:
    """A result page listing the visible posts whose title contains the words."""
    site = ctx.site
    words = query_words(site.encoding, query)
    broken = any(case["check"] == "search_broken" for case in site.content_errors)
    found = []
    if words and not broken:
        posts = [post for column in site.columns for post in visible_posts(column, ctx.day)]
        found = [p for p in posts if words in p.title]
        found.sort(key=lambda p: p.published, reverse=True)
    items = "\n".join(
        f'<li><a href="{site.url(p.path)}" target="_blank">{esc(p.title)}</a>'
        f'<span class="date">{p.day:%Y-%m-%d}</span></li>'
        for p in found[:MAX_RESULTS]
    )
    main = (
        f'<div class="search-result"><h2>搜索“{esc(words)}”</h2>'
        f"<p>共找到 {len(found)} 条结果</p>\n"
        f"<ul>\n{items or '<li>没有找到相关结果</li>'}\n</ul></div>\n"
    )
    return page(ctx, f"站内搜索 - {site.name}", main)
