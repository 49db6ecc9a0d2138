"""Posts and letters of a site across 2012: rhythms, realistic titles, reply latencies."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from crawler.categories import Category, UnitType
from simulator import urls
from simulator import wordlists as words
from simulator.catalog import BUSY_FACTOR
from simulator.holidays import add_workdays, is_workday
from simulator.model import Attachment, Column, Letter, Post, Rhythm, Site

HISTORY_START = date(2012, 1, 1)
HISTORY_END = date(2012, 12, 31)
# Basic-info items may be older than the simulated year: that is what makes them stale.
RARE_START = date(2010, 3, 1)
# ARCHIVED columns were last touched before this day: over a year stale all December 2012.
ARCHIVE_END = date(2011, 11, 30)
ATTACHMENT_CATEGORIES = {Category.NOTICE, Category.POLICY, Category.DISCLOSURE, Category.FINANCE}

# Letters pinned around holidays so every world has replies spanning them (asked, reply days).
HOLIDAY_LETTERS: list[tuple[datetime, int]] = [
    (datetime(2012, 1, 20, 16, 5), 3),  # Friday before Spring Festival
    (datetime(2012, 9, 28, 10, 40), 2),  # just before Mid-Autumn + National Day
    (datetime(2012, 9, 30, 21, 12), 4),  # asked during the holiday
]
# Letters planned so December shows one interaction veto and one early warning, not a veto on
# every site (site id -> (asked, working days to the reply or None for never)): 宝鸡 leaves one
# letter unanswered since August and answered another after more than three months; 咸阳 has
# one waiting since early October (89 days on 12-31: warned, vetoed two days later).
PLANNED_LETTERS: dict[str, list[tuple[datetime, int | None]]] = {
    "bj-city": [(datetime(2012, 8, 20, 10, 5), None), (datetime(2012, 3, 12, 9, 40), 70)],
    "xy-city": [(datetime(2012, 10, 3, 15, 20), None)],
}


def _days(start: date, end: date) -> list[date]:
    """Every date from start to end inclusive."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _post_days(rhythm: Rhythm, busy: float, rng: random.Random) -> list[date]:
    """Publication dates of one column for a rhythm (several posts a day possible)."""
    year = _days(HISTORY_START, HISTORY_END)
    if rhythm is Rhythm.BLANK:
        return []
    if rhythm in (Rhythm.DAILY, Rhythm.WEEKLY, Rhythm.STALE):
        chance = (0.75 if rhythm is not Rhythm.WEEKLY else 0.3) * max(busy, 0.35)
        out = []
        for day in year:
            if is_workday(day) and rng.random() < chance:
                out.extend([day] * (2 if rng.random() < 0.12 else 1))
        return out
    if rhythm in (Rhythm.RARE, Rhythm.ARCHIVED):
        span = _days(RARE_START, ARCHIVE_END if rhythm is Rhythm.ARCHIVED else HISTORY_END)
        return [rng.choice(span) for _ in range(rng.randint(1, 3))]
    per_month = {
        Rhythm.MONTHLY: (2, 5),
        Rhythm.POLICY: (0, 2),
        Rhythm.DISCLOSURE: (1, 3),
        Rhythm.SERVICE: (0, 1),
    }[rhythm]
    out = []
    for month in range(1, 13):
        workdays = [d for d in year if d.month == month and is_workday(d)]
        out.extend(rng.choice(workdays) for _ in range(rng.randint(*per_month)))
    return out


def _title(category: Category, site: Site, day: date, rng: random.Random) -> str:
    """A realistic Chinese title for a post of `category` published on `day`."""
    topic, action = rng.choice(words.TOPICS), rng.choice(words.ACTIONS)
    region = "全省" if site.unit_type is UnitType.PROVINCE else site.short_name
    org = site.short_name
    year = day.year
    person = rng.choice(words.SURNAMES) + rng.choice(words.GIVEN)
    options: dict[Category, list[str]] = {
        Category.NEWS: [
            f"{region}{topic}{action}{rng.choice(words.ACHIEVEMENTS)}",
            f"{org}召开{year}年{topic}{rng.choice(words.MEETINGS)}",
            f"{person}{rng.choice(words.LEADER_ROLES)}带队检查{topic}工作",
            f"{region}开展“质量月”{topic}宣传活动",
        ],
        Category.NOTICE: [
            f"关于开展{year}年{topic}{action}的通知",
            f"关于公布{year}年第{rng.randint(1, 9)}批{topic}监督抽查结果的公告",
            f"关于举办{topic}业务培训班的通知",
        ],
        Category.POLICY: [
            f"{words.PROVINCE}{topic}监督管理办法",
            f"关于进一步加强{topic}工作的意见",
            f"《{topic}管理规定》解读",
        ],
        Category.DISCLOSURE: [
            f"{year}年{day.month}月{topic}监督抽查信息",
            f"{org}{topic}行政许可信息公示",
        ],
        Category.BASIC_INFO: [
            f"{org}主要职责",
            f"{org}内设机构",
            f"{rng.choice(words.LEADER_ROLES)}：{person}",
        ],
        Category.PERSONNEL: [f"{org}{year}年公开招聘工作人员公告", f"关于{person}同志任职的通知"],
        Category.PLANNING: [f"{org}{year}年工作要点", f"{topic}发展“十二五”规划"],
        Category.FINANCE: [f"{org}{year}年部门预算公开", f"{org}{year - 1}年部门决算公开"],
        Category.STATISTICS: [
            f"{year}年{day.month}月特种设备安全状况",
            f"{year}年第{(day.month - 1) // 3 + 1}季度计量检定统计",
        ],
        Category.SERVICE: [f"{rng.choice(words.SERVICES)}办事指南"],
        Category.INTERVIEW: [f"在线访谈：{topic}"],
    }
    return rng.choice(options.get(category, [f"{topic}{action}"]))


def _unique_title(
    category: Category, site: Site, day: date, rng: random.Random, seen: set[str]
) -> str:
    """A title not yet used in the column (a few redraws, then a numbered suffix)."""
    title = _title(category, site, day, rng)
    for _ in range(6):
        if title not in seen:
            break
        title = _title(category, site, day, rng)
    base, n = title, 2
    while title in seen:
        title, n = f"{base}（{n}）", n + 1
    seen.add(title)
    return title


def _body(site: Site, day: date, rng: random.Random) -> list[str]:
    """Three to five paragraphs of body text."""
    lead = f"{day.month}月{day.day}日，{site.short_name}{rng.choice(words.TOPICS)}工作会议召开。"
    return [lead, *rng.sample(words.SENTENCES, rng.randint(2, 4))]


def _column_posts(site: Site, column: Column, rng: random.Random) -> list[Post]:
    """Posts of one column, unnumbered and without paths yet."""
    base = column.rhythm
    if base is Rhythm.STALE:
        base = Rhythm.DAILY if column.category is Category.NEWS else Rhythm.POLICY
    days = _post_days(base, BUSY_FACTOR[site.unit_type], rng)
    if column.stale_after is not None:
        days = [d for d in days if d <= column.stale_after]
    posts: list[Post] = []
    seen: set[str] = set()
    for day in sorted(days):
        moment = datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59)))
        department = rng.choice(site.departments)
        title = _unique_title(column.category, site, day, rng, seen)
        posts.append(Post(0, title, moment, department, _body(site, day, rng)))
    return posts


def _add_attachments(site: Site, column: Column, post: Post, rng: random.Random) -> None:
    """Give some notices/policies .doc/.pdf attachments."""
    if column.category not in ATTACHMENT_CATEGORIES or rng.random() > 0.35:
        return
    for index in range(1, rng.randint(1, 2) + 1):
        ext = rng.choice(["doc", "pdf"])
        path = urls.attachment_path(site.family, column, post, index, ext)
        post.attachments.append(Attachment(path, f"附件{index}：{post.title[:12]}.{ext}"))


def fill_posts(site: Site, rng: random.Random) -> None:
    """Generate every column's posts, number them site-wide in time order, assign paths."""
    tagged: list[tuple[datetime, int, Post]] = []
    for index, column in enumerate(site.columns):
        column.path = urls.column_path(site.family, column)
        tagged.extend((post.published, index, post) for post in _column_posts(site, column, rng))
    tagged.sort(key=lambda item: (item[0], item[1]))
    doc_id = rng.randint(100000, 600000)
    for _, index, post in tagged:
        doc_id += rng.randint(1, 40)
        post.doc_id = doc_id
        column = site.columns[index]
        post.path = urls.detail_path(site.family, column, post)
        _add_attachments(site, column, post, rng)
        column.posts.append(post)
    for column in site.columns:
        column.posts.sort(key=lambda p: (p.published, p.doc_id), reverse=True)


def _reply_delay(rng: random.Random) -> int | None:
    """Working days until the reply: most within two weeks, the rest within two months (the
    letters left longer are planned: PLANNED_LETTERS)."""
    if rng.random() < 0.75:
        return rng.randint(1, 10)
    return rng.randint(11, 40)


def _letter(
    site: Site, letter_id: int, asked: datetime, delay: int | None, rng: random.Random
) -> Letter:
    """One letter asked at `asked`, answered `delay` working days later (or never)."""
    replied = None
    if delay is not None:
        reply_day = add_workdays(asked.date(), delay)
        replied = datetime.combine(reply_day, time(rng.randint(9, 17), rng.randint(0, 59)))
    title = rng.choice(words.QUESTIONS)
    asker = rng.choice(words.SURNAMES) + "先生" if rng.random() < 0.6 else "匿名"
    question = f"您好，{title.removeprefix('关于').removesuffix('的咨询')}，请问应如何处理？谢谢！"
    return Letter(
        letter_id=letter_id,
        title=title,
        question=question,
        asker=asker,
        asked=asked,
        replied=replied,
        reply_department=rng.choice(site.departments),
        reply_text=rng.choice(words.REPLIES),
    )


def fill_letters(site: Site, rng: random.Random) -> None:
    """Generate a mailbox's letters across the year, newest first."""
    if site.mailbox_slug is None:
        return
    per_month = (4, 9) if site.unit_type is UnitType.PROVINCE else (0, 4)
    asked_times: list[tuple[datetime, int | None]] = [
        (datetime(2012, month, rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)), None)
        for month in range(1, 13)
        for _ in range(rng.randint(*per_month))
    ]
    asked_times.extend((moment, delay) for moment, delay in HOLIDAY_LETTERS)
    asked_times.extend(PLANNED_LETTERS.get(site.site_id, []))
    asked_times.sort(key=lambda item: item[0])
    letter_id = rng.randint(1000, 5000)
    for asked, pinned_delay in asked_times:
        letter_id += rng.randint(1, 9)
        planned = (asked, pinned_delay) in PLANNED_LETTERS.get(site.site_id, [])
        delay = pinned_delay if pinned_delay is not None or planned else _reply_delay(rng)
        letter = _letter(site, letter_id, asked, delay, rng)
        letter.path = urls.letter_path(site, letter)
        site.letters.append(letter)
    site.letters.sort(key=lambda item: item.asked, reverse=True)
