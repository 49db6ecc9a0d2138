"""List pages and data endpoints of the shape sites (see simulator/shapes.py)."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import parse_qs

from simulator.model import Column, Post, Site
from simulator.shapes import (
    GKMLPT_COLUMN,
    GKMLPT_SID,
    JPAGE_WEBID,
    jpage_unit,
    list_page_path,
)
from simulator.templates.chrome import Ctx, esc, page, position
from simulator.templates.lists import CREATE_PAGE_HTML_JS, EMPTY_LIST, render_list
from simulator.world import page_count, visible_posts

SPLIT_GROUP = 5
JPAGE_PROXY = "/module/web/jpage/dataproxy.jsp"
GKMLPT_API = "/gkmlpt/api/all/"
RENDER_SCRIPT = "/static/list-app.js"
RENDER_API = "/api/list"

# The render-only site draws its lists from JSON after the page loaded (text via textContent).
LIST_APP_JS = """function loadList(column) {
  var page = parseInt(new URLSearchParams(location.search).get('page') || '1', 10);
  fetch('/api/list?column=' + encodeURIComponent(column) + '&page=' + page)
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var box = document.getElementById('news-list');
      if (!data.rows.length) { box.textContent = '暂无信息'; return; }
      var ul = document.createElement('ul');
      ul.className = 'news';
      data.rows.forEach(function (row) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = row.u; a.textContent = row.t; a.target = '_blank';
        var span = document.createElement('span');
        span.className = 'date'; span.textContent = row.d;
        li.appendChild(a); li.appendChild(span); ul.appendChild(li);
      });
      box.appendChild(ul);
      var pager = document.getElementById('pager');
      pager.appendChild(document.createTextNode('共' + data.pages + '页 '));
      if (page < data.pages) {
        var next = document.createElement('a');
        next.href = 'list.html?page=' + (page + 1); next.textContent = '下一页';
        pager.appendChild(next);
      }
    });
}
"""


def _chunk(site: Site, posts: list[Post], page_no: int) -> list[Post]:
    """The posts of 0-based list page page_no."""
    return posts[page_no * site.page_size : (page_no + 1) * site.page_size]


def _li(ctx: Ctx, post: Post, date_tag: str = "span") -> str:
    """One linked, dated list item with an absolute path."""
    return (
        f'<li><a href="{post.path}" target="_blank" title="{esc(post.title)}">{esc(post.title)}'
        f"</a><{date_tag}>{post.day.isoformat()}</{date_tag}></li>"
    )


def _frame(ctx: Ctx, column: Column, body: str) -> str:
    """A list page around `body` in the site's chrome."""
    main = (
        position(ctx, column)
        + f'<div class="list-box"><div class="list-title"><h2>{esc(column.name)}</h2></div>\n'
        + body
        + "</div>\n"
    )
    return page(ctx, f"{column.name} - {ctx.site.name}", main, current=column)


def _friend_links_only(ctx: Ctx) -> str:
    """A blank column's page on the split site: the group's sites where posts would be."""
    others = [s for s in ctx.world.sites if s is not ctx.site][:8]
    rows = "\n".join(
        f'<li><a href="{s.home_url}" target="_blank">{esc(s.name)}</a></li>' for s in others
    )
    return f'<div class="con"><ul>\n{rows}\n</ul></div>\n'


def _split(ctx: Ctx, column: Column, posts: list[Post], page_no: int, total: int) -> str:
    """Sibling <ul> blocks of five items, TRS pager."""
    if not posts:
        return _friend_links_only(ctx) if not column.posts else EMPTY_LIST
    groups = [posts[i : i + SPLIT_GROUP] for i in range(0, len(posts), SPLIT_GROUP)]
    blocks = "\n".join(
        '<ul class="list_ul">' + "".join(_li(ctx, p) for p in group) + "</ul>" for group in groups
    )
    pager = (
        '<div class="page"><script type="text/javascript">\n'
        f"{CREATE_PAGE_HTML_JS}\n"
        f'createPageHTML({total}, {page_no}, "index", "html");\n'
        "</script></div>\n"
    )
    return f'<div class="list" id="list">\n{blocks}\n</div>\n{pager}'


def _pager6(ctx: Ctx, column: Column, posts: list[Post], page_no: int, total: int) -> str:
    """Items and the six-argument createPageHTML call inside an HTML comment."""
    records = len(visible_posts(column, ctx.day))
    rows = "\n".join(_li(ctx, p, "b") for p in posts)
    call = f"createPageHTML('page_div',{total}, {page_no + 1},'index','shtml',{records});"
    return (
        f'<ul class="xxgklist">\n<!--\n{rows}\n'
        f'<script type="text/javascript" src="/js/page.js"></script><script>{call}</script>-->\n'
        '</ul>\n<div class="fenye"><div class="page"><div id="page_div"></div></div></div>\n'
    )


def _empire(ctx: Ctx, column: Column, posts: list[Post], page_no: int, total: int) -> str:
    """EmpireCMS: index.html, index_2.html …, a pagelist with record count and 尾页."""
    site = ctx.site
    rows = "\n".join(
        f'<li><a href="{p.path}" class="title" target="_blank">{esc(p.title)}</a> '
        f'<span class="time">{p.day.isoformat()}</span></li>'
        for p in posts
    )
    records = len(visible_posts(column, ctx.day))
    parts = [f'<a title="Total record">&nbsp;<b>{records}</b> </a>&nbsp;&nbsp;']
    if page_no > 0:
        parts.append(f'<a href="{list_page_path(site, column, 0)}">首页</a>&nbsp;')
        parts.append(f'<a href="{list_page_path(site, column, page_no - 1)}">上一页</a>&nbsp;')
    for number in range(total):
        if number == page_no:
            parts.append(f"<b>{number + 1}</b>&nbsp;")
        else:
            parts.append(f'<a href="{list_page_path(site, column, number)}">{number + 1}</a>&nbsp;')
    if page_no < total - 1:
        parts.append(f'<a href="{list_page_path(site, column, page_no + 1)}">下一页</a>&nbsp;')
        parts.append(f'<a href="{list_page_path(site, column, total - 1)}">尾页</a>')
    items = f'<ul class="e2">\n{rows}\n</ul>\n' if posts else EMPTY_LIST
    return f'<div class="listbox">\n{items}</div>\n<div class="pagelist">{"".join(parts)}</div>\n'


def jpage_records(ctx: Ctx, posts: list[Post]) -> str:
    """jpage <record> elements, each an <li> inside CDATA."""
    return "\n".join(
        f'<record><![CDATA[\n<li><a href="{ctx.site.url(p.path)}" target="_blank" '
        f'title="{esc(p.title)}">{esc(p.title)}</a><span class="bt-data-time">'
        f"{p.day.isoformat()}</span></li>\n]]></record>"
        for p in posts
    )


def jpage_query(column: Column, page_no: int) -> str:
    """The dataproxy.jsp query of 1-based page page_no."""
    return (
        f"page={page_no}&webid={JPAGE_WEBID}&path=/&columnid={column.col_id}"
        f"&unitid={jpage_unit(column)}&permissiontype=0"
    )


def _jpage(ctx: Ctx, column: Column, posts: list[Post], page_no: int, total: int) -> str:
    """Hanweb jpage: the page's records embedded as XML, the rest behind dataproxy.jsp."""
    unit = jpage_unit(column)
    records = len(visible_posts(column, ctx.day))
    return (
        f'<div id="{unit}"><script type="text/xml"><datastore>\n'
        f'<nextgroup><![CDATA[<a href="{JPAGE_PROXY}?{jpage_query(column, page_no + 1)}"></a>]]>'
        f"</nextgroup>\n<recordset>\n{jpage_records(ctx, posts)}\n</recordset>\n"
        "</datastore></script></div>\n"
        '<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>\n'
        '<script type="text/javascript">$(document).ready(function(){$(\'#'
        f"{unit}').jpage({{dataStore: dataStore, proxyUrl: '{JPAGE_PROXY}', "
        f"perPage: {ctx.site.page_size}, totalRecord: {records}, groupSize: 1, "
        "barPosition: 'bottom'});});</script>\n"
    )


def _gkmlpt(ctx: Ctx, column: Column) -> str:
    """Guangdong's disclosure directory: an empty app whose list comes from the JSON API."""
    return (
        '<div id="app" class="gkml-list"></div>\n'
        f"<script>window._CONFIG = {{SID: '{GKMLPT_SID}', DOMAIN: '{ctx.site.base_url}', "
        "API: '/gkmlpt/api/all/'};</script>\n"
        '<script src="/gkmlpt/gkml/pc/js/chunk-vendors.js"></script>\n'
        '<script src="/gkmlpt/gkml/pc/js/app.js"></script>\n'
    )


def _render_shell(column: Column) -> str:
    """The render-only site: an empty list and a pager drawn by a script from JSON."""
    return (
        '<div class="list" id="news-list"></div>\n<div class="pages" id="pager"></div>\n'
        f'<script type="text/javascript" src="{RENDER_SCRIPT}"></script>\n'
        f"<script type=\"text/javascript\">loadList('{column.slug}');</script>\n"
    )


def _switched(posts: list[Post]) -> str:
    """The new template of a site that switched: cards opened by script, no <a> at all."""
    cards = "\n".join(
        f'<div class="card" data-href="{p.path}" '
        "onclick=\"window.open(this.getAttribute('data-href'))\">"
        f'<h4>{esc(p.title)}</h4><p class="card-date">{p.day.isoformat()}</p></div>'
        for p in posts
    )
    return f'<div class="news-cards">\n{cards}\n</div>\n'


def render_shape_list(ctx: Ctx, column: Column, page_no: int, query: str) -> str | None:
    """List page `page_no` (0-based) of a shape or switched site; None when out of range."""
    site = ctx.site
    visible = visible_posts(column, ctx.day)
    total = page_count(len(visible), site.page_size)
    if site.shape == "jpage":
        page_no = _query_int(query, "pageNum", 1) - 1
    if page_no < 0 or page_no >= total:
        return None
    posts = _chunk(site, visible, page_no)
    if site.template_switch and ctx.day >= site.template_switch:
        return _frame(ctx, column, _switched(posts))
    builders = {"split": _split, "pager6": _pager6, "empire": _empire, "jpage": _jpage}
    if site.shape in builders:
        return _frame(ctx, column, builders[site.shape](ctx, column, posts, page_no, total))
    if site.shape == "gkmlpt" and column.slug == GKMLPT_COLUMN:
        return _frame(ctx, column, _gkmlpt(ctx, column))
    if site.shape == "render":
        return _frame(ctx, column, _render_shell(column))
    return render_list(ctx, column, page_no)


def _query_int(query: str, name: str, default: int) -> int:
    """An integer query parameter (-1 when it is not a number)."""
    raw = parse_qs(query).get(name)
    if not raw:
        return default
    return int(raw[0]) if raw[0].isdigit() else -1


def _column_by(site: Site, test: str, value: str) -> Column | None:
    """A column of the site by slug or jpage column id."""
    for column in site.columns:
        if (test == "slug" and column.slug == value) or (
            test == "col_id" and str(column.col_id) == value
        ):
            return column
    return None


def render_shape_data(ctx: Ctx, path: str, query: str) -> tuple[str, str] | None:
    """(body, content type) of a shape site's data endpoint or script; None if not one."""
    site = ctx.site
    if site.shape == "jpage" and path == JPAGE_PROXY:
        return _jpage_data(ctx, query)
    if site.shape == "gkmlpt" and path.startswith(GKMLPT_API):
        return _gkmlpt_data(ctx, query)
    if site.shape == "render" and path == RENDER_SCRIPT:
        return LIST_APP_JS, "application/javascript; charset=utf-8"
    if site.shape == "render" and path == RENDER_API:
        return _render_data(ctx, query)
    return None


def _jpage_data(ctx: Ctx, query: str) -> tuple[str, str] | None:
    """dataproxy.jsp: page N of a column as jpage XML."""
    column = _column_by(ctx.site, "col_id", (parse_qs(query).get("columnid") or [""])[0])
    page_no = _query_int(query, "page", 1)
    if column is None:
        return None
    visible = visible_posts(column, ctx.day)
    total = page_count(len(visible), ctx.site.page_size)
    if not 1 <= page_no <= total:
        return None
    records = jpage_records(ctx, _chunk(ctx.site, visible, page_no - 1))
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
        f"<totalrecord>{len(visible)}</totalrecord>\n<totalpage>{total}</totalpage>\n"
        f"<recordset>\n{records}\n</recordset>\n</datastore>\n"
    )
    return body, "text/xml; charset=UTF-8"


def _gkmlpt_data(ctx: Ctx, query: str) -> tuple[str, str] | None:
    """/gkmlpt/api/all/<category>?page=N&sid=…: one page of articles as JSON."""
    column = _column_by(ctx.site, "slug", GKMLPT_COLUMN)
    page_no = _query_int(query, "page", 1)
    if column is None or (parse_qs(query).get("sid") or [""])[0] != GKMLPT_SID:
        return None
    visible = visible_posts(column, ctx.day)
    if page_no < 1 or page_no > page_count(len(visible), ctx.site.page_size):
        return None
    articles = [
        {
            "id": p.doc_id,
            "title": p.title,
            "url": ctx.site.url(p.path),
            "created_at": f"{p.published:%Y-%m-%d %H:%M:%S}",
            "first_publish_time": int((p.published - datetime(1970, 1, 1, 8)).total_seconds()),
        }
        for p in _chunk(ctx.site, visible, page_no - 1)
    ]
    body = {"total": len(visible), "page": page_no, "articles": articles}
    return json.dumps(body, ensure_ascii=False), "application/json; charset=utf-8"


def _render_data(ctx: Ctx, query: str) -> tuple[str, str] | None:
    """/api/list?column=slug&page=N: the render-only site's rows with short keys."""
    column = _column_by(ctx.site, "slug", (parse_qs(query).get("column") or [""])[0])
    page_no = _query_int(query, "page", 1)
    if column is None:
        return None
    visible = visible_posts(column, ctx.day)
    pages = page_count(len(visible), ctx.site.page_size)
    if not 1 <= page_no <= pages:
        return None
    rows = [
        {"t": p.title, "u": p.path, "d": p.day.isoformat()}
        for p in _chunk(ctx.site, visible, page_no - 1)
    ]
    return json.dumps({"pages": pages, "rows": rows}, ensure_ascii=False), "application/json"
