"""Consultation mailbox (局长信箱 / 在线咨询): letter lists and letter detail pages."""

from __future__ import annotations

from simulator import urls
from simulator.model import Letter
from simulator.templates.chrome import Ctx, esc, link_pager, page, position
from simulator.world import page_count, reply_visible, visible_letters

PENDING = "未回复"
ANSWERED = "已回复"


def _asked_label(ctx: Ctx) -> str:
    """局长信箱 says 来信时间, 在线咨询 says 提问时间."""
    return "来信时间" if ctx.site.mailbox_slug == "jzxx" else "提问时间"


def _shows_reply_date(ctx: Ctx) -> bool:
    """Half of the mailboxes show the reply date in the list, the others only a status."""
    return sum(map(ord, ctx.site.site_id)) % 2 == 0


def _row(ctx: Ctx, letter: Letter) -> str:
    """One list row: number, title, asked date, status or reply date."""
    answered = reply_visible(letter, ctx.day)
    if _shows_reply_date(ctx):
        last = f"{letter.replied:%Y-%m-%d}" if answered and letter.replied else PENDING
    else:
        last = ANSWERED if answered else PENDING
    href = letter.path.rsplit("/", 1)[1]
    return (
        f"<tr><td>{letter.letter_id}</td>"
        f'<td class="title"><a href="{href}" target="_blank">{esc(letter.title)}</a></td>'
        f"<td>{letter.asked:%Y-%m-%d}</td><td>{last}</td></tr>"
    )


def render_mailbox(ctx: Ctx, page_no: int) -> str | None:
    """Mailbox list page `page_no` (0-based); None when out of range."""
    site = ctx.site
    letters = visible_letters(site, ctx.day)
    total = page_count(len(letters), site.page_size)
    if page_no >= total:
        return None
    chunk = letters[page_no * site.page_size : (page_no + 1) * site.page_size]
    last_header = "回复时间" if _shows_reply_date(ctx) else "处理状态"
    rows = (
        "\n".join(_row(ctx, letter) for letter in chunk) or '<tr><td colspan="4">暂无来信</td></tr>'
    )
    pager = link_pager(
        page_no, total, lambda n: urls.mailbox_path(site, n).rsplit("/", 1)[1] or "./"
    )
    main = (
        position(ctx, None, site.mailbox_name)
        + f'<div class="xj"><h2>{esc(site.mailbox_name or "")}</h2>\n'
        + '<table class="xjlist" width="100%">\n'
        + f"<tr><th>编号</th><th>信件标题</th><th>{_asked_label(ctx)}</th>"
        + f"<th>{last_header}</th></tr>\n"
        + f"{rows}\n</table>\n{pager}</div>\n"
    )
    return page(ctx, f"{site.mailbox_name} - {site.name}", main)


def render_letter(ctx: Ctx, letter: Letter) -> str:
    """One letter: question, asked time, and the reply once it has been given."""
    site = ctx.site
    answered = reply_visible(letter, ctx.day)
    rows = [
        ("信件标题", esc(letter.title)),
        ("来信人", esc(letter.asker)),
        (_asked_label(ctx), f"{letter.asked:%Y-%m-%d %H:%M:%S}"),
        ("来信内容", esc(letter.question)),
        ("处理状态", ANSWERED if answered else PENDING),
    ]
    if answered and letter.replied is not None:
        rows += [
            ("回复单位", esc(letter.reply_department)),
            ("回复时间", f"{letter.replied:%Y-%m-%d %H:%M:%S}"),
            ("回复内容", esc(letter.reply_text)),
        ]
    else:
        rows.append(("回复内容", "尚未回复，请耐心等待。"))
    table = "\n".join(f'<tr><th width="100">{k}</th><td>{v}</td></tr>' for k, v in rows)
    main = (
        position(ctx, None, site.mailbox_name)
        + '<div class="letter"><table class="letter-table" width="100%">\n'
        + f"{table}\n</table></div>\n"
    )
    return page(ctx, f"{letter.title} - {site.mailbox_name}", main)
