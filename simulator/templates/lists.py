"""Column list pages in the three CMS flavours, with each family's pagination."""

from __future__ import annotations

from simulator import urls
from simulator.model import Column, DateStyle, Family, Post
from simulator.templates.chrome import Ctx, esc, link_pager, page, position
from simulator.world import page_count, visible_posts

# TRS WCM writes its pager with this inline function (shape as on real TRS sites).
CREATE_PAGE_HTML_JS = r"""function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
	if(_nPageCount == null || _nPageCount<=1){
		return;
	}
	var nCurrIndex = _nCurrIndex || 0;
	document.write("共"+_nPageCount+"页&nbsp;");
	if(nCurrIndex == 0){
		document.write("首页&nbsp;上一页&nbsp;");
	}else{
		document.write("<a href=\""+_sPageName+"."+_sPageExt+"\">首页</a>&nbsp;");
		if(nCurrIndex == 1){
			document.write("<a href=\""+_sPageName+"."+_sPageExt+"\">上一页</a>&nbsp;");
		}else{
			var sPrev = _sPageName+"_"+(nCurrIndex-1)+"."+_sPageExt;
			document.write("<a href=\""+sPrev+"\">上一页</a>&nbsp;");
		}
	}
	if(nCurrIndex == _nPageCount-1){
		document.write("下一页&nbsp;尾页");
	}else{
		var sNext = _sPageName+"_"+(nCurrIndex+1)+"."+_sPageExt;
		document.write("<a href=\""+sNext+"\">下一页</a>&nbsp;");
		document.write("<a href=\""+_sPageName+"_"+(_nPageCount-1)+"."+_sPageExt+"\">尾页</a>");
	}
}"""

EMPTY_LIST = '<p class="nodata">暂无信息</p>\n'


def format_list_date(style: DateStyle, post: Post) -> str:
    """A post date as a hand-made site shows it in lists ('' when only the URL has it)."""
    day = post.day
    if style is DateStyle.SHORT:
        return f"[{day:%m-%d}]"
    if style is DateStyle.CHINESE:
        return f"{day.year}年{day.month}月{day.day}日"
    if style is DateStyle.SLASH:
        return f"{day.year}/{day.month}/{day.day}"
    if style is DateStyle.URL_ONLY:
        return ""
    return day.isoformat()


def _trs_items(ctx: Ctx, column: Column, posts: list[Post]) -> str:
    """TRS <ul> with ./YYYYMM/t… links relative to the column folder."""
    rows = []
    for post in posts:
        href = "." + post.path.removeprefix(column.path.rstrip("/"))
        rows.append(
            f'<li><span class="date">{post.day.isoformat()}</span>'
            f'<a href="{href}" target="_blank" title="{esc(post.title)}">{esc(post.title)}</a></li>'
        )
    return '<ul class="list_ul">\n' + "\n".join(rows) + "\n</ul>\n"


def _trs_pager(total: int, current: int) -> str:
    """The TRS pager: the function definition and its call."""
    return (
        '<div class="page"><script type="text/javascript">\n'
        f"{CREATE_PAGE_HTML_JS}\n"
        f'createPageHTML({total}, {current}, "index", "html");\n'
        "</script></div>\n"
    )


def _hanweb_items(ctx: Ctx, posts: list[Post]) -> str:
    """Hanweb table rows with absolute links and a date cell."""
    rows = [
        f'<tr><td class="bt_link"><a href="{ctx.site.url(post.path)}" target="_blank" '
        f'title="{esc(post.title)}">{esc(post.title)}</a></td>'
        f'<td class="bt_time" width="90">{post.day.isoformat()}</td></tr>'
        for post in posts
    ]
    return (
        '<table class="list-table" width="100%" cellspacing="0">\n'
        + "\n".join(rows)
        + "\n</table>\n"
    )


def _handmade_items(ctx: Ctx, column: Column, posts: list[Post]) -> str:
    """A hand-made table; links relative to the column folder, dates in the site's style."""
    folder = column.path.rsplit("/", 1)[0] + "/"
    rows = []
    for post in posts:
        shown = format_list_date(ctx.site.date_style, post)
        date_cell = f'<td class="time" width="100">{shown}</td>' if shown else ""
        rows.append(
            f'<tr><td class="title">·<a href="{post.path.removeprefix(folder)}" '
            f'target="_blank">{esc(post.title)}</a></td>{date_cell}</tr>'
        )
    return (
        '<table class="newslist" width="96%" border="0" cellpadding="0" cellspacing="0">\n'
        + "\n".join(rows)
        + "\n</table>\n"
    )


def _relative_page_href(ctx: Ctx, column: Column, page_no: int) -> str:
    """Pager link of a Hanweb/hand-made list page, relative to the column folder."""
    path = urls.list_page_path(ctx.site.family, column, page_no)
    return path.rsplit("/", 1)[1]


def render_list(ctx: Ctx, column: Column, page_no: int) -> str | None:
    """List page `page_no` (0-based) of a column as of ctx.day; None when out of range."""
    site = ctx.site
    posts = visible_posts(column, ctx.day)
    total = page_count(len(posts), site.page_size)
    if page_no >= total:
        return None
    chunk = posts[page_no * site.page_size : (page_no + 1) * site.page_size]
    if site.family is Family.TRS:
        items = _trs_items(ctx, column, chunk) if chunk else EMPTY_LIST
        pager = _trs_pager(total, page_no)
    elif site.family is Family.HANDMADE:
        items = _handmade_items(ctx, column, chunk) if chunk else EMPTY_LIST
        pager = link_pager(page_no, total, lambda n: _relative_page_href(ctx, column, n))
    else:
        items = _hanweb_items(ctx, chunk) if chunk else EMPTY_LIST
        pager = link_pager(page_no, total, lambda n: _relative_page_href(ctx, column, n))
    main = (
        position(ctx, column)
        + f'<div class="list-box"><div class="list-title"><h2>{esc(column.name)}</h2></div>\n'
        + f'<div class="list" id="list">\n{items}</div>\n{pager}</div>\n'
    )
    meta = [("ColumnName", column.name)] if site.pubdate_meta else []
    return page(ctx, f"{column.name} - {site.name}", main, current=column, meta=meta)
