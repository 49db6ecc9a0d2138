"""Page chrome shared by every family: head, header, navigation, sidebar, friend links, footer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape

from simulator import urls
from simulator.content_cases import identity_footer, site_code_meta
from simulator.model import Column, Family, Site
from simulator.world import World

FRIEND_LINK_LIMIT = 6
STYLE = (
    "body{margin:0;font:12px/1.8 SimSun,serif}.wrap{width:1000px;margin:0 auto}"
    ".nav li{display:inline;margin:0 8px}.sidebar{float:left;width:230px}"
    ".main{float:right;width:750px}.footer{clear:both;text-align:center}"
)


@dataclass(frozen=True)
class Ctx:
    """Everything a template needs: the world, the site being rendered, the simulated day."""

    world: World
    site: Site
    day: date


def esc(text: str) -> str:
    """HTML-escape text and attribute values."""
    return escape(text, quote=True)


def meta_charset_label(site: Site, detail: bool) -> str:
    """The charset a page declares in its <meta> (wrong_charset pages keep gb2312 here)."""
    if site.encoding == "utf-8":
        return "utf-8"
    return (
        "gb2312" if (detail and site.faults.wrong_charset) or not site.charset_in_header else "gbk"
    )


def head(ctx: Ctx, title: str, extra_meta: list[tuple[str, str]], detail: bool = False) -> str:
    """Doctype, <head> with charset meta, title and the CMS meta tags."""
    site = ctx.site
    label = meta_charset_label(site, detail)
    if site.family is Family.HANDMADE and site.encoding == "utf-8":
        charset_meta = f'<meta charset="{label}">'
    else:
        charset_meta = f'<meta http-equiv="Content-Type" content="text/html; charset={label}" />'
    extra_meta = [("SiteIDCode", site_code_meta(site)), *extra_meta]
    metas = "\n".join(f'<meta name="{esc(n)}" content="{esc(v)}" />' for n, v in extra_meta)
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        f"{charset_meta}\n<title>{esc(title)}</title>\n"
        f'<meta name="keywords" content="{esc(site.short_name)},质量技术监督" />\n'
        f'{metas}\n<style type="text/css">{STYLE}</style>\n</head>\n'
    )


def column_href(ctx: Ctx, column: Column) -> str:
    """How the nav links a column (through a redirect chain when that fault is on)."""
    site = ctx.site
    for start in site.faults.redirect_links:
        if start.endswith(f"/{column.slug}/"):
            return start
    if site.family in (Family.HANWEB_LINKS, Family.HANWEB_QUERY):
        return site.url(column.path)
    return column.path


def header(ctx: Ctx) -> str:
    """Top banner with the site name, a search box and the date-writing script."""
    site = ctx.site
    return (
        '<div class="header"><div class="wrap">\n'
        f'<div class="logo"><a href="/"><span>{esc(site.name)}</span></a></div>\n'
        '<div class="top-tools"><script type="text/javascript">\n'
        'var d=new Date();document.write("今天是"+d.getFullYear()+"年"+(d.getMonth()+1)+"月"'
        '+d.getDate()+"日");\n</script>\n'
        '<form name="searchform" action="/search/" method="get">'
        '<input type="text" name="q" value="请输入关键字" /><input type="submit" value="搜索" />'
        "</form></div>\n</div></div>\n"
    )


def nav(ctx: Ctx) -> str:
    """The navigation bar: home, every column, the mailbox."""
    site = ctx.site
    items = ['<li class="first"><a href="/">首页</a></li>']
    items.extend(
        f'<li><a href="{esc(column_href(ctx, column))}">{esc(column.name)}</a></li>'
        for column in site.columns
    )
    if site.mailbox_slug is not None:
        items.append(
            f'<li><a href="{urls.mailbox_path(site)}">{esc(site.mailbox_name or "")}</a></li>'
        )
    return '<div class="nav" id="nav"><ul>\n' + "\n".join(items) + "\n</ul></div>\n"


def sidebar(ctx: Ctx, current: Column | None) -> str:
    """Left column: 栏目导航 (no dates, so the list extractor can ignore it) and contacts."""
    site = ctx.site
    items = []
    for column in site.columns:
        css = ' class="on"' if column is current else ""
        items.append(
            f'<li{css}><a href="{esc(column_href(ctx, column))}">{esc(column.name)}</a></li>'
        )
    return (
        '<div class="sidebar">\n<div class="side-box"><h3>栏目导航</h3><ul>\n'
        + "\n".join(items)
        + "\n</ul></div>\n"
        '<div class="side-box"><h3>联系我们</h3><p>值班电话：029-8721xxxx<br />'
        "监督举报：12365</p></div>\n</div>\n"
    )


def friend_links(ctx: Ctx) -> str:
    """友情链接: the portal and a few sibling sites of the group."""
    others = [s for s in ctx.world.sites if s is not ctx.site][:FRIEND_LINK_LIMIT]
    links = " | ".join(f'<a href="{s.home_url}" target="_blank">{esc(s.name)}</a>' for s in others)
    return f'<div class="yqlj"><h3>友情链接</h3><p>{links}</p></div>\n'


def footer(ctx: Ctx) -> str:
    """版权所有, ICP number and address."""
    site = ctx.site
    icp = 5000000 + sum(map(ord, site.site_id)) * 7
    return (
        '<div class="footer"><div class="wrap">\n'
        f"<p>版权所有：{esc(site.name)}　地址：陕西省西安市　邮编：710000</p>\n"
        f"<p>陕ICP备{icp}号　技术支持：{esc(site.short_name)}信息中心</p>\n"
        + identity_footer(site)
        + "</div></div>\n"
    )


def page(
    ctx: Ctx,
    title: str,
    main: str,
    *,
    current: Column | None = None,
    meta: list[tuple[str, str]] | None = None,
    detail: bool = False,
    side: str | None = None,
) -> str:
    """A whole page: head, header, nav, sidebar, main area, friend links, footer."""
    if side is None:
        side = sidebar(ctx, current)
    return (
        head(ctx, title, meta or [], detail)
        + "<body>\n"
        + header(ctx)
        + nav(ctx)
        + '<div class="wrap content">\n'
        + side
        + f'<div class="main">\n{main}</div>\n'
        + "</div>\n"
        + friend_links(ctx)
        + footer(ctx)
        + "</body>\n</html>\n"
    )


def position(ctx: Ctx, column: Column | None, label: str | None = None) -> str:
    """The breadcrumb line (当前位置)."""
    crumbs = ['<a href="/">首页</a>']
    if column is not None:
        crumbs.append(f'<a href="{esc(column_href(ctx, column))}">{esc(column.name)}</a>')
    if label:
        crumbs.append(esc(label))
    return '<div class="position">当前位置：' + " &gt; ".join(crumbs) + "</div>\n"


def link_pager(page: int, total: int, href_of: Callable[[int], str]) -> str:
    """首页/上一页/下一页/尾页 text links (Hanweb, hand-made); href_of maps a 0-based page."""
    parts = [f"共{total}页　当前第{page + 1}页　"]
    if page > 0:
        parts.append(f'<a href="{href_of(0)}">首页</a> <a href="{href_of(page - 1)}">上一页</a> ')
    if page < total - 1:
        parts.append(
            f'<a href="{href_of(page + 1)}">下一页</a> <a href="{href_of(total - 1)}">尾页</a>'
        )
    return '<div class="pages">' + "".join(parts) + "</div>\n"
