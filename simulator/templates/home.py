"""Home pages (latest-post blocks of the main columns, special links) and the small pages."""

from __future__ import annotations

import calendar

from crawler.categories import Category
from simulator import urls
from simulator.faults import MISSING_SPECIAL_PATH
from simulator.model import Column, Family, Post
from simulator.templates.chrome import Ctx, column_href, esc, page, position, sidebar
from simulator.templates.lists import format_list_date
from simulator.world import visible_letters, visible_posts

BLOCK_CATEGORIES = (Category.NEWS, Category.NOTICE, Category.POLICY, Category.DISCLOSURE)
BLOCK_ITEMS = 7
TITLE_CUT = 20


def _home_date(ctx: Ctx, post: Post) -> str:
    """Dates on the home page as portals show them: [MM-DD], MM-DD or the site's list style."""
    family = ctx.site.family
    if family is Family.TRS:
        return f"[{post.day:%m-%d}]"
    if family is Family.HANDMADE:
        return format_list_date(ctx.site.date_style, post)
    return f"{post.day:%m-%d}"


def _block(ctx: Ctx, column: Column) -> str:
    """One block with a column's latest posts, truncated titles, and a 更多 link."""
    items = []
    for post in visible_posts(column, ctx.day)[:BLOCK_ITEMS]:
        shown = post.title if len(post.title) <= TITLE_CUT else post.title[:TITLE_CUT] + "..."
        items.append(
            f'<li><a href="{ctx.site.url(post.path)}" title="{esc(post.title)}" target="_blank">'
            f'{esc(shown)}</a><span class="date">{_home_date(ctx, post)}</span></li>'
        )
    body = "\n".join(items) if items else "<li>暂无信息</li>"
    return (
        f'<div class="block" id="block-{column.slug}"><div class="block-title">'
        f"<h2>{esc(column.name)}</h2>"
        f'<a class="more" href="{esc(column_href(ctx, column))}">更多&gt;&gt;</a></div>\n'
        f"<ul>\n{body}\n</ul></div>\n"
    )


def _special_links(ctx: Ctx) -> str:
    """专题专栏: the retired topic page, the private area, the calendar, the old site."""
    site = ctx.site
    links = []
    if MISSING_SPECIAL_PATH in site.faults.broken_paths:
        links.append(f'<li><a href="{MISSING_SPECIAL_PATH}">2011年质量月专题</a></li>')
    links.extend(f'<li><a href="{path}">内部办公</a></li>' for path in site.robots_disallow)
    if site.faults.trap_prefix:
        links.append(
            f'<li><a href="{site.faults.trap_prefix}index.html?y=2012&amp;m=12">活动日历</a></li>'
        )
    links.extend(f'<li><a href="{url}">原网站入口</a></li>' for url in site.faults.dead_port_urls)
    if site.mailbox_slug is not None:
        received = len(visible_letters(site, ctx.day))
        links.append(
            f'<li><a href="{urls.mailbox_path(site)}">{esc(site.mailbox_name or "")}'
            f"（累计来信{received}件）</a></li>"
        )
    if not links:
        return ""
    return '<div class="zt"><h3>专题专栏</h3><ul>\n' + "\n".join(links) + "\n</ul></div>\n"


def render_home(ctx: Ctx) -> str:
    """The home page as of ctx.day."""
    site = ctx.site
    main_columns = [c for c in site.columns if c.category in BLOCK_CATEGORIES]
    main = "".join(_block(ctx, column) for column in main_columns) + _special_links(ctx)
    return page(ctx, site.name, main)


def render_private(ctx: Ctx) -> str:
    """The robots-disallowed area (served, so a crawler that ignores robots.txt is caught)."""
    return page(
        ctx,
        f"内部办公 - {ctx.site.name}",
        position(ctx, None, "内部办公") + "<p>内部办公系统，请登录。</p>\n",
    )


def render_calendar(ctx: Ctx, year: int, month: int) -> str:
    """One month of the endless 活动日历 trap: links to every day and to both neighbours."""
    prefix = ctx.site.faults.trap_prefix or "/rili/"
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    days = "".join(
        f'<a href="{prefix}index.html?y={year}&amp;m={month}&amp;d={d}">{d}</a> '
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
    )
    main = (
        position(ctx, None, "活动日历")
        + f'<div class="calendar"><h2>{year}年{month}月</h2>\n'
        + f'<a href="{prefix}index.html?y={prev_y}&amp;m={prev_m}">上个月</a> '
        + f'<a href="{prefix}index.html?y={next_y}&amp;m={next_m}">下个月</a>\n'
        + f"<p>{days}</p><p>本月暂无活动安排。</p></div>\n"
    )
    return page(ctx, f"活动日历 - {ctx.site.name}", main, side=sidebar(ctx, None))


def render_not_found(ctx: Ctx) -> str:
    """A plain 404 page in the site's chrome."""
    return page(
        ctx,
        "页面不存在",
        position(ctx, None, "404") + "<p>对不起，您访问的页面不存在或已被删除。</p>\n",
    )
