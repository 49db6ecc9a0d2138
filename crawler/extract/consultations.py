"""Mailbox pages (局长信箱 / 在线咨询): letter lists with status and dates, and single letters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from lxml.html import HtmlElement

from crawler.extract.dates import full_dates
from crawler.extract.headline import find_headline
from crawler.extract.items import link_title, record_anchors
from crawler.extract.tree import clean_ws, document_base, parse_html, visible_text

Status = Literal["replied", "pending"]

# Pending words first: "未回复" contains "回复".
PENDING_WORDS = re.compile(
    r"未回复|未答复|待回复|待答复|未办结|待处理|处理中|办理中|受理中|已受理|转办中|未处理|审核中"
)
REPLIED_WORDS = re.compile(r"已回复|已答复|已办结|已处理|已反馈|已回|办结|已解决|已完成")
ASKED_LABEL = re.compile(r"(?:来信|提问|留言|咨询|写信|发信|提交|投诉|申请)(?:时间|日期)")
REPLIED_LABEL = re.compile(r"(?:回复|答复|办结|反馈|处理)(?:时间|日期)")
REPLY_CONTENT_LABEL = re.compile(r"(?:回复|答复|办理)(?:内容|意见|结果)")
STATUS_LABEL = re.compile(r"(?:办理|处理|回复|信件)?状态")
TITLE_LABEL = re.compile(r"(?:信件|来信|留言|咨询|问题)?(?:标题|主题)")
# Any "label：" ends the value of the label before it.
NEXT_LABEL = re.compile(r"[\u4e00-\u9fff]{2,6}\s*[:：]")
CONSULTATION_HINT = re.compile(r"信箱|咨询|留言|来信|问政|诉求|写信|mailbox|letter|consult", re.I)
SALUTATION = re.compile(r"[\u4e00-\u9fff*＊]{0,5}(?:先生|女士|同志|网友|市民|您好|你好)")
VALUE_WINDOW = 60
MIN_LIST_ROWS = 2


@dataclass(frozen=True)
class ConsultationItem:
    """One letter / question: title, link, asked and replied dates, and its status."""

    title: str
    url: str | None
    asked: date | None
    replied: date | None
    status: Status | None


def status_of(text: str) -> Status | None:
    """'replied' / 'pending' from status words in text, or None."""
    if PENDING_WORDS.search(text):
        return "pending"
    if REPLIED_WORDS.search(text):
        return "replied"
    return None


def label_value(text: str, label: re.Pattern[str]) -> str | None:
    """Text that follows the first occurrence of a label, up to the next label."""
    match = label.search(text)
    if match is None:
        return None
    rest = text[match.end() :].lstrip(" :：")
    following = NEXT_LABEL.search(rest)
    return rest[: following.start()] if following else rest[:VALUE_WINDOW]


def labelled_date_value(text: str, label: re.Pattern[str], today: date | None) -> date | None:
    """The date written right after a label ('回复时间：2024-01-05'), or None if empty."""
    value = label_value(text, label)
    if value is None:
        return None
    found = full_dates(value[:VALUE_WINDOW], today)
    return found[0] if found else None


def header_columns(row: HtmlElement) -> dict[str, int]:
    """Column index of title/asked/replied/status in a table header row."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(c for c in row if c.tag in ("td", "th")):
        text = visible_text(cell)
        if len(text) > 12:
            continue
        for key, label in (
            ("asked", ASKED_LABEL), ("replied", REPLIED_LABEL),
            ("status", STATUS_LABEL), ("title", TITLE_LABEL),
        ):  # fmt: skip
            if key not in columns and label.search(text):
                columns[key] = index
                break
    return columns


def row_item(
    row: HtmlElement, base: str, columns: dict[str, int], today: date | None
) -> ConsultationItem | None:
    """A letter from one list row (table row with known header columns, or any record)."""
    anchors = record_anchors(row, base)
    cells = [c for c in row if c.tag in ("td", "th")]
    anchor_url = max(anchors, key=lambda p: len(link_title(p[0]))) if anchors else None
    title = link_title(anchor_url[0]) if anchor_url else ""
    if not title and "title" in columns and columns["title"] < len(cells):
        title = visible_text(cells[columns["title"]])
    text = visible_text(row)
    status = status_of(text)
    if columns and cells:
        asked = cell_date(cells, columns.get("asked"), today)
        replied = cell_date(cells, columns.get("replied"), today)
    else:
        rest = text.replace(title, " ") if title else text
        dates = full_dates(rest, today)
        asked = dates[0] if dates else None
        replied = dates[1] if len(dates) > 1 else None
    if not title or (status is None and asked is None):
        return None
    if status is None and replied is not None:
        status = "replied"
    return ConsultationItem(title, anchor_url[1] if anchor_url else None, asked, replied, status)


def cell_date(cells: list[HtmlElement], index: int | None, today: date | None) -> date | None:
    """The date in cells[index], if that column exists and holds one."""
    if index is None or index >= len(cells):
        return None
    found = full_dates(visible_text(cells[index]), today)
    return found[0] if found else None


def record_groups(tree: HtmlElement) -> list[list[HtmlElement]]:
    """Groups of same-tag sibling records (rows / list items) that could be a letter list."""
    groups: list[list[HtmlElement]] = []
    for parent in tree.iter("table", "tbody", "ul", "ol", "div", "dl"):
        by_tag: dict[str, list[HtmlElement]] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.tag in ("tr", "li", "div", "dd", "dl"):
                by_tag.setdefault(child.tag, []).append(child)
        groups.extend(rows for rows in by_tag.values() if len(rows) >= MIN_LIST_ROWS)
    return groups


def items_from_rows(
    rows: list[HtmlElement], base: str, today: date | None
) -> list[ConsultationItem]:
    """Letters from a group of rows; a header row, when present, maps the columns."""
    columns = header_columns(rows[0]) if rows[0].tag == "tr" else {}
    body = rows[1:] if len(columns) >= 2 else rows
    if len(columns) < 2:
        columns = {}
    return [item for row in body if (item := row_item(row, base, columns, today))]


def extract_consultation_list_from_tree(
    tree: HtmlElement, base_url: str, *, today: date | None = None
) -> list[ConsultationItem]:
    """Letters of a parsed mailbox list page (see extract_consultation_list)."""
    base = document_base(tree, base_url)
    best: list[ConsultationItem] = []
    best_score = 0
    for rows in record_groups(tree):
        items = items_from_rows(rows, base, today)
        with_status = sum(1 for item in items if item.status is not None)
        score = with_status * 2 + len(items)
        # Under a header row (来信时间 / 回复时间 …) one letter is a list: a last page.
        headed = rows[0].tag == "tr" and len(header_columns(rows[0])) >= 2
        enough = len(items) >= (1 if headed else MIN_LIST_ROWS)
        if enough and with_status and score > best_score:
            best, best_score = items, score
    return best


def extract_consultation_list(
    html: str, base_url: str, *, today: date | None = None
) -> list[ConsultationItem]:
    """Letters on a mailbox list page: title, link, asked/replied dates and status, in order."""
    return extract_consultation_list_from_tree(parse_html(html), base_url, today=today)


def reply_content(text: str) -> str | None:
    """The reply text after 回复内容/答复内容, '' when the field is empty, None when absent."""
    match = REPLY_CONTENT_LABEL.search(text)
    if match is None:
        return None
    rest = text[match.end() :].lstrip(" :：")
    # A reply usually opens with a salutation ("王先生：您好！") that looks like a label.
    if SALUTATION.match(rest):
        return rest[:VALUE_WINDOW]
    following = NEXT_LABEL.search(rest)
    return rest[: following.start()] if following else rest[:VALUE_WINDOW]


def cell_value(tree: HtmlElement, label: re.Pattern[str]) -> str | None:
    """The cell next to a label cell (<th>信件标题</th><td>…</td>, <dt>…</dt><dd>…</dd>)."""
    for cell in tree.iter("th", "td", "dt", "span", "label", "strong", "b"):
        text = visible_text(cell).rstrip(" :：")
        if not text or len(text) > 8 or not label.fullmatch(text):
            continue
        sibling = cell.getnext()
        if sibling is not None and isinstance(sibling.tag, str):
            value = clean_ws(visible_text(sibling))
            if value:
                return value
    return None


def letter_title(tree: HtmlElement, text: str) -> str:
    """A letter's title: the 信件标题 field, else the page's article title."""
    value = cell_value(tree, TITLE_LABEL) or label_value(
        text, re.compile(r"(?:信件|来信|留言|咨询|问题)(?:标题|主题)|标\s*题|主\s*题")
    )
    if value and clean_ws(value):
        return clean_ws(value)
    return find_headline(tree).title


def extract_consultation_detail_from_tree(
    tree: HtmlElement, url: str, *, today: date | None = None
) -> ConsultationItem:
    """A single letter of a parsed page (see extract_consultation_detail)."""
    body = next(tree.iter("body"), tree)
    text = visible_text(body)
    asked = labelled_date_value(text, ASKED_LABEL, today)
    replied = labelled_date_value(text, REPLIED_LABEL, today)
    reply = reply_content(text)
    status_text = label_value(text, STATUS_LABEL) or ""
    status = status_of(status_text)
    if status is None and (replied is not None or (reply and len(clean_ws(reply)) >= 4)):
        status = "replied"
    if status is None and (ASKED_LABEL.search(text) and REPLIED_LABEL.search(text)):
        status = "pending"
    return ConsultationItem(letter_title(tree, text), url, asked, replied, status)


def extract_consultation_detail(
    html: str, url: str, *, today: date | None = None
) -> ConsultationItem:
    """One letter's page: title, asked date (来信时间…), replied date (回复时间…) and status."""
    return extract_consultation_detail_from_tree(parse_html(html), url, today=today)
