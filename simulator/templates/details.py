"""Detail (article) pages in the three CMS flavours, with attachments and related links."""

from __future__ import annotations

from crawler.categories import CATEGORY_LABELS_ZH
from simulator.model import Column, Family, Post
from simulator.templates.chrome import Ctx, esc, page, position

RELATED_COUNT = 3


def _related(ctx: Ctx, column: Column, post: Post) -> str:
    """相关链接: the next older posts of the column (stable once published, so no dates)."""
    index = column.posts.index(post)
    older = column.posts[index + 1 : index + 1 + RELATED_COUNT]
    if not older:
        return ""
    items = "\n".join(
        f'<li><a href="{ctx.site.url(p.path)}" target="_blank">{esc(p.title)}</a></li>'
        for p in older
    )
    return f'<div class="related"><h3>相关链接</h3><ul>\n{items}\n</ul></div>\n'


def _attachments(ctx: Ctx, post: Post) -> str:
    """附件 links (absolute paths)."""
    if not post.attachments:
        return ""
    links = "<br />\n".join(f'<a href="{a.path}">{esc(a.label)}</a>' for a in post.attachments)
    return f'<div class="attach"><p>附件：</p><p>{links}</p></div>\n'


def _body(post: Post) -> str:
    """The article text as <p> paragraphs."""
    return "\n".join(f'<p style="text-indent:2em">{esc(line)}</p>' for line in post.body)


def _info_line(ctx: Ctx, post: Post) -> str:
    """The 发布日期 / 来源 line in the family's wording."""
    family, moment = ctx.site.family, post.published
    if family is Family.TRS:
        return f"发布时间：{moment:%Y-%m-%d %H:%M}　来源：{esc(post.department)}"
    if family is Family.HANDMADE:
        clicks = 37 + post.doc_id % 900
        shown = f"{moment.year}年{moment.month}月{moment.day}日"
        return f"发布日期：{shown}　来源：{esc(post.department)}　点击数：{clicks}"
    return (
        f"发布日期：{moment:%Y-%m-%d}　信息来源：{esc(post.department)}　"
        '浏览次数：<span id="count"></span>'
    )


def render_detail(ctx: Ctx, column: Column, post: Post) -> str:
    """The detail page of one post."""
    site = ctx.site
    meta = [("ArticleTitle", post.title)]
    if site.pubdate_meta:
        meta += [
            ("SiteName", site.name),
            ("ColumnName", column.name),
            ("ColumnType", CATEGORY_LABELS_ZH[column.category]),
            ("PubDate", f"{post.published:%Y-%m-%d %H:%M}"),
            ("ContentSource", post.department),
        ]
    text_css = "TRS_Editor" if site.family is Family.TRS else "zoom"
    main = (
        position(ctx, column, "正文")
        + '<div class="detail">\n'
        + f'<h1 class="title">{esc(post.title)}</h1>\n'
        + f'<div class="info">{_info_line(ctx, post)}</div>\n'
        + f'<div class="{text_css}" id="zoom">\n{_body(post)}\n</div>\n'
        + _attachments(ctx, post)
        + '<div class="tools"><a href="javascript:window.print()">【打印本页】</a> '
        + '<a href="javascript:window.close()">【关闭窗口】</a></div>\n'
        + _related(ctx, column, post)
        + "</div>\n"
    )
    return page(ctx, f"{post.title} - {site.name}", main, current=column, meta=meta, detail=True)
