"""Content errors planted in the simulated group, with their truth (issue 15).

The province bureau's leaders (mirrored by config/leaders.yaml) and one case per kind of
content finding, each in a named site's newest news or notice post published before
PLANT_BEFORE (so the baseline crawl of the demo and every later crawl read it). Sites with no
case are clean: a content check that reports anything there is wrong.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from crawler.categories import Category
from simulator.model import Attachment, Post, Site

PLANT_BEFORE = date(2012, 11, 30)

# The province bureau's leadership as the bureau's own list has it (config/leaders.yaml).
LEADERS: list[dict[str, str | None]] = [
    {
        "name": "郑光荣",
        "title": "局长",
        "unit": "省质量技术监督局",
        "from": "2008-03-01",
        "to": "2012-06-30",
    },
    {
        "name": "郑光荣",
        "title": "巡视员",
        "unit": "省质量技术监督局",
        "from": "2012-07-01",
        "to": None,
    },
    {
        "name": "何思源",
        "title": "局长",
        "unit": "省质量技术监督局",
        "from": "2012-07-01",
        "to": None,
    },
    {
        "name": "韩德胜",
        "title": "副局长",
        "unit": "省质量技术监督局",
        "from": "2010-01-01",
        "to": None,
    },
]

# The look-alike characters the bureau lists with its leaders (config/leaders.yaml
# `similar_shapes:`): 思 and 恩 are mistaken for each other, they do not sound alike.
SIMILAR_SHAPES = ("思恩",)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """A resident ID number with its GB 11643 check character."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def luhn_number(prefix: str, length: int) -> str:
    """A card number of `length` digits starting with prefix, with a valid Luhn digit."""
    body = prefix.ljust(length - 1, "0")
    total = 0
    for index, char in enumerate(reversed(body)):
        value = int(char)
        if index % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return body + str((10 - total % 10) % 10)


def masked(value: str, keep_start: int, keep_end: int) -> str:
    """How sitewatch shows a personal number: the middle hidden."""
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


@dataclass(frozen=True)
class Case:
    """One planted error: which site (1-based order) and column category, the sentence, and
    what a content check must report (term, suggestion, severity)."""

    site: int
    category: Category
    sentence: str
    check: str
    term: str
    suggestion: str
    severity: str


LEAKED_ID = id_number("11010519700307123")
LEAKED_CARD = luhn_number("622202123456789", 19)
LEAKED_MOBILE = "13907551234"

CASES: tuple[Case, ...] = (
    Case(
        1, Category.NEWS, "局长何思远出席会议并讲话。", "leader_name", "何思远", "何思源", "serious"
    ),
    Case(  # a similar-shaped slip (形近字), found through SIMILAR_SHAPES
        3,
        Category.NEWS,
        "局长何恩源主持召开专题会议。",
        "leader_name",
        "何恩源",
        "何思源",
        "serious",
    ),
    Case(
        1,
        Category.NOTICE,
        "郑光荣局长对下一阶段工作提出要求。",
        "leader_title",
        "郑光荣（局长）",
        "巡视员",
        "serious",
    ),
    Case(
        2,
        Category.NEWS,
        "企业代表迫不急待地希望尽快完成计量检定。",
        "confusion",
        "迫不急待",
        "迫不及待",
        "suspected",
    ),
    Case(
        3,
        Category.NOTICE,
        f"获奖人员：王某，身份证号码：{LEAKED_ID}。",
        "id_number",
        masked(LEAKED_ID, 6, 4),
        "",
        "serious",
    ),
    Case(
        4, Category.NEWS, "本文件密级：秘密★1年，请妥善保管。", "classified", "秘密★", "", "serious"
    ),
    Case(
        5,
        Category.NOTICE,
        f"培训费请汇至收款账号：{LEAKED_CARD}。",
        "bank_card",
        masked(LEAKED_CARD, 4, 4),
        "",
        "serious",
    ),
    Case(
        5,
        Category.NEWS,
        f"联系人：刘某，手机{LEAKED_MOBILE}。",
        "mobile",
        masked(LEAKED_MOBILE, 3, 4),
        "",
        "suspected",
    ),
)


def newest_post(site: Site, category: Category, taken: set[int]) -> Post | None:
    """The site's newest post of a category published before PLANT_BEFORE (not yet used)."""
    posts = [
        post
        for column in site.columns
        if column.category is category
        for post in column.posts
        if post.day < PLANT_BEFORE and id(post) not in taken
    ]
    return max(posts, key=lambda p: p.published, default=None)


def plant_content_cases(sites: list[Site]) -> None:
    """Add each case's sentence to its post's body and record the truth on the site."""
    taken: set[int] = set()
    plant_identity_cases(sites)
    plant_yearly_reports(sites)
    plant_service_guides(sites)
    plant_guide_links(sites)
    plant_broken_search(sites)
    plant_interpretations(sites)
    plant_attachment_leak(sites, taken)
    for case in CASES:
        if case.site > len(sites):
            continue
        site = sites[case.site - 1]
        post = newest_post(site, case.category, taken)
        if post is None:
            continue
        taken.add(id(post))
        post.body.append(case.sentence)
        site.content_errors.append(
            {
                "url": site.url(post.path),
                "check": case.check,
                "term": case.term,
                "suggestion": case.suggestion,
                "severity": case.severity,
            }
        )


# --- site identity (政府网站发展指引 2017): footer and SiteIDCode meta ---

IDENTITY_CASES: tuple[tuple[int, str], ...] = (
    (6, "site_code_missing"),  # the footer shows no 网站标识码
    (7, "site_code_mismatch"),  # the pages' SiteIDCode meta is not the footer's code
    (8, "police_record_missing"),  # no 公安机关备案号 in the footer
)


def site_code(site: Site) -> str:
    """The site's 10-character 网站标识码 (province 61, then 8 digits)."""
    return f"61{sum(map(ord, site.site_id)) * 7919 % 10**8:08d}"


def wrong_site_code(site: Site) -> str:
    """The SiteIDCode a site with a mismatched meta carries (another site's code)."""
    return f"61{(sum(map(ord, site.site_id)) * 7919 + 1) % 10**8:08d}"


def identity_faults(site: Site) -> set[str]:
    """Which identity cases are planted on this site."""
    return {case["check"] for case in site.content_errors if case["check"] in IDENTITY_CHECKS}


IDENTITY_CHECKS = frozenset(check for _site, check in IDENTITY_CASES)


def site_code_meta(site: Site) -> str:
    """The SiteIDCode meta every page of the site carries."""
    return (
        wrong_site_code(site) if "site_code_mismatch" in identity_faults(site) else site_code(site)
    )


def identity_footer(site: Site) -> str:
    """Footer lines with the site's identity (HTML; the planted cases leave parts out)."""
    faults = identity_faults(site)
    police = 61010302000000 + sum(map(ord, site.site_id))
    parts = [] if "site_code_missing" in faults else [f"网站标识码：{site_code(site)}"]
    if "police_record_missing" not in faults:
        parts.append(f"陕公网安备 {police}号")
    return (
        f"<p>{'　'.join(parts)}</p>\n"
        '<p><img src="/images/dzjg.png" alt="党政机关网站标识" /> '
        '<a href="/#zc">我为政府网站找错</a></p>\n'
    )


def plant_identity_cases(sites: list[Site]) -> None:
    """Record each identity case's truth on its site (the templates read it to render)."""
    for index, check in IDENTITY_CASES:
        if index > len(sites):
            continue
        site = sites[index - 1]
        term, suggestion = {
            "site_code_missing": ("网站标识码", site_code(site)),
            "site_code_mismatch": (wrong_site_code(site), site_code(site)),
            "police_record_missing": ("公安机关备案号", ""),
        }[check]
        site.content_errors.append(
            {
                "url": site.home_url,
                "check": check,
                "term": term,
                "suggestion": suggestion,
                "severity": "suspected",
            }
        )


def missing_meta_tags(site: Site) -> str:
    """The article meta tags the site's detail pages lack ('' when they carry all six)."""
    if site.pubdate_meta:
        return ""
    return "、".join(("SiteName", "ColumnName", "ColumnType", "PubDate", "ContentSource"))


# --- the yearly work report (政府网站工作年度报表), due on the home page by 31 January ---------

REPORT_YEAR = 2011
REPORT_DUE = date(2012, 1, 31)
NO_YEARLY_REPORT = (9,)  # sites (1-based) that never publish it


def yearly_report_title(site: Site) -> str:
    """The title a site gives its yearly report."""
    return f"{site.short_name}{REPORT_YEAR}年政府网站工作年度报表"


def plant_yearly_reports(sites: list[Site]) -> None:
    """Retitle each site's first January notice (or disclosure) post as its yearly report."""
    for index, site in enumerate(sites, start=1):
        if index in NO_YEARLY_REPORT:
            continue
        posts = [
            post
            for column in site.columns
            if column.category in (Category.NOTICE, Category.DISCLOSURE)
            for post in column.posts
            if post.day.year == REPORT_DUE.year and post.day <= REPORT_DUE
        ]
        if posts:
            post = min(posts, key=lambda p: p.published)
            post.title = yearly_report_title(site)
            site.yearly_report_url = site.url(post.path)


# --- 办事指南: every guide shows its eight elements, one lacks 办理材料 ---------------------------

GUIDE_LACKING = (4, "办理材料")  # site (1-based) whose newest guide lacks an element


def guide_paragraphs(post: Post, leave_out: str | None) -> list[str]:
    """The labelled elements of a guide, as its body paragraphs."""
    name = post.title.removesuffix("办事指南")
    elements = [
        ("事项名称", name),
        ("设定依据", "《中华人民共和国行政许可法》及相关法规"),
        ("申请条件", "依法设立、具备相应能力的法人或其他组织"),
        ("办理材料", "申请书一份、营业执照复印件一份"),
        ("办理地点", "本局政务服务大厅"),
        ("办理时间", "工作日 9:00—12:00，13:30—17:30"),
        ("联系电话", "029-87650000"),
        ("办理流程", "申请、受理、审查、决定、送达"),
    ]
    return [f"{label}：{value}" for label, value in elements if label != leave_out]


def plant_service_guides(sites: list[Site]) -> None:
    """Give every 办事指南 its elements; the planted site's newest one lacks one (truth)."""
    for index, site in enumerate(sites, start=1):
        guides = [
            post
            for column in site.columns
            if column.category is Category.SERVICE
            for post in column.posts
        ]
        lacking = None
        if index == GUIDE_LACKING[0]:
            lacking = max(
                (p for p in guides if p.day < PLANT_BEFORE), key=lambda p: p.published, default=None
            )
        for post in guides:
            leave_out = GUIDE_LACKING[1] if post is lacking else None
            post.body.extend(guide_paragraphs(post, leave_out))
        if lacking is not None:
            site.content_errors.append(
                {
                    "url": site.url(lacking.path),
                    "check": "service_elements_missing",
                    "term": GUIDE_LACKING[1],
                    "suggestion": "",
                    "severity": "suspected",
                }
            )


# --- 站内搜索: the header's search works everywhere but on one site ------------------------------

BROKEN_SEARCH = 10  # site (1-based) whose search never finds anything


def plant_broken_search(sites: list[Site]) -> None:
    """Record the broken search's truth; simulator/templates/search.py reads it."""
    if BROKEN_SEARCH <= len(sites):
        site = sites[BROKEN_SEARCH - 1]
        site.content_errors.append(
            {
                "url": site.home_url,
                "check": "search_broken",
                "term": "站内搜索",
                "suggestion": "",
                "severity": "suspected",
            }
        )


# --- 政策解读: policy documents and their interpretations ---

INTERPRETED_SITES = (1, 2)  # sites (1-based) where the newest judged policy gets its 解读
INTERPRETATION_WINDOW = 7  # days (crawler/defaults.INTERPRETATION_WINDOW_DAYS)
LOOKBACK = 365
JUDGED_BEFORE = date(2012, 12, 31)


def _policies(site: Site) -> list[Post]:
    return [
        post
        for column in site.columns
        if column.category is Category.POLICY
        for post in column.posts
        if "解读" not in post.title
    ]


def plant_interpretations(sites: list[Site]) -> None:
    """Retitle a news post within a week after a site's newest judged policy as its 解读."""
    for index in INTERPRETED_SITES:
        if index > len(sites):
            continue
        site = sites[index - 1]
        last = JUDGED_BEFORE - timedelta(days=INTERPRETATION_WINDOW)
        policy = max(
            (p for p in _policies(site) if p.day <= last), key=lambda p: p.published, default=None
        )
        if policy is None:
            continue
        news = [
            post
            for column in site.columns
            if column.category is Category.NEWS
            for post in column.posts
            if policy.day <= post.day <= policy.day + timedelta(days=INTERPRETATION_WINDOW)
        ]
        if news:
            reading = min(news, key=lambda p: p.published)
            reading.title = f"关于《{policy.title}》的解读"
            site.interpreted_policies.append(site.url(policy.path))


def uninterpreted_policies(site: Site, day: date) -> list[str]:
    """URLs of the site's policies judged on `day` that have no 解读 (the truth)."""
    first = day - timedelta(days=LOOKBACK - 1)
    last = day - timedelta(days=INTERPRETATION_WINDOW)
    return sorted(
        site.url(post.path)
        for post in _policies(site)
        if first <= post.day <= last and site.url(post.path) not in site.interpreted_policies
    )


# --- an ID number leaked in an .xlsx attachment ----------------------------------------------

ATTACHMENT_SITE = 11  # site (1-based) whose newest notice links the spreadsheet
ATTACHMENT_ID = id_number("61010319850612123")
ATTACHMENT_LABEL = "附件：拟表彰人员名单.xlsx"


def attachment_body(path: str) -> bytes | None:
    """The bytes of a planted attachment: an empty file, an error page saved under a file's
    name, the spreadsheet with an ID number (None for ordinary attachments)."""
    if path.endswith(EMPTY_FILE):
        return b""
    if path.endswith(PAGE_AS_FILE):
        return LOGIN_PAGE.encode("utf-8")
    if not path.endswith(".xlsx"):
        return None
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "姓名", "身份证号码", "单位"])
    sheet.append([1, "李某", ATTACHMENT_ID, "某计量检定所"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plant_attachment_leak(sites: list[Site], taken: set[int]) -> None:
    """Link the spreadsheet from the site's newest notice and record the truth."""
    if ATTACHMENT_SITE > len(sites):
        return
    site = sites[ATTACHMENT_SITE - 1]
    post = newest_post(site, Category.NOTICE, taken)
    if post is None:
        return
    taken.add(id(post))
    stem = post.path.rsplit(".", 1)[0]
    post.attachments.append(Attachment(f"{stem}_mingdan.xlsx", ATTACHMENT_LABEL))
    site.content_errors.append(
        {
            "url": site.url(post.path),
            "check": "id_number",
            "term": masked(ATTACHMENT_ID, 6, 4),
            "suggestion": "",
            "severity": "serious",
        }
    )


# --- 办事指南 downloads and online-application links (服务不实用) ---------------------------------

GUIDE_LINKS_SITE = 7  # site (1-based) whose four newest guides each carry one unusable link
FORM_LABEL = "附件：行政许可申请表.doc"
APPLY_LABEL = "在线办理"
EMPTY_FILE = "_sqb_kb.doc"  # served empty
PAGE_AS_FILE = "_sqb_cw.pdf"  # served as a login page under a .pdf name
LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>请登录</title></head><body>请重新登录。</body></html>"
)


def guide_links(post: Post) -> tuple[Attachment, Attachment]:
    """A guide's form and its online-application link. The simulator serves only files, so the
    application "system" is a file route too: the check judges it by its answer, not its type."""
    stem = post.path.rsplit(".", 1)[0]
    return Attachment(f"{stem}_sqb.doc", FORM_LABEL), Attachment(f"{stem}_wsbl.doc", APPLY_LABEL)


def plant_guide_links(sites: list[Site]) -> None:
    """Every guide links a working form and application; on one site the four newest guides
    have, in turn, a form that answers 404, an empty form, a login page named .pdf and an
    application link that answers 404 (truth)."""
    for index, site in enumerate(sites, start=1):
        guides = [
            post for column in site.columns if column.category is Category.SERVICE
            for post in column.posts
        ]  # fmt: skip
        for post in guides:
            post.attachments.extend(guide_links(post))
        if index != GUIDE_LINKS_SITE:
            continue
        newest = sorted(
            (p for p in guides if p.day < PLANT_BEFORE), key=lambda p: p.published, reverse=True
        )
        for post, fault in zip(newest, ("broken", "empty", "page", "apply_dead"), strict=False):
            plant_guide_fault(site, post, fault)


def plant_guide_fault(site: Site, post: Post, fault: str) -> None:
    """Make one link of a guide unusable and record what the check must report."""
    form, apply = post.attachments[-2], post.attachments[-1]
    stem = post.path.rsplit(".", 1)[0]
    if fault in ("broken", "apply_dead") and not site.faults.broken_paths:
        return  # links that answer 404 belong to the broken_links fault: off, the group has none
    if fault == "broken":
        site.faults.broken_paths.append(form.path)
        check, term = "service_attachment_broken", form.label
    elif fault == "apply_dead":
        site.faults.broken_paths.append(apply.path)
        check, term = "service_apply_dead", apply.label
    else:
        empty = fault == "empty"
        suffix = EMPTY_FILE if empty else PAGE_AS_FILE
        label = FORM_LABEL if empty else FORM_LABEL.replace(".doc", ".pdf")
        post.attachments[-2] = Attachment(f"{stem}{suffix}", label)
        check = "service_attachment_empty" if empty else "service_attachment_type"
        term = label
    site.content_errors.append(
        {
            "url": site.url(post.path),
            "check": check,
            "term": term,
            "suggestion": "",
            "severity": "suspected",
        }
    )
