"""An article's publish date chosen by evidence: every date on the page scored, the best kept.

Evidence for a date: its label (发布时间 for, 报名时间 against), its place (the meta line under
the headline, the block holding 来源/作者/浏览), its distance from the headline, a time of day,
a date-named element, and agreement with the PubDate meta or the URL. Dates in navigation,
banners, related-article boxes, links, the footer and the headline itself are not candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from lxml.html import HtmlElement

from crawler.extract.dates import FULL_DATE, is_distractor, make_date
from crawler.extract.patterns import (
    DATE_CLASS,
    DOCUMENT_LABEL_BEFORE,
    GENERIC_LABEL_BEFORE,
    META_WORDS,
    NEIGHBOUR_LINK_BEFORE,
    OTHER_HEADING,
    OTHER_LABEL_BEFORE,
    OTHER_ZONE,
    PUBLISH_LABEL_BEFORE,
)
from crawler.extract.textmap import TextMap
from crawler.extract.tree import class_id, is_content_block

# Day and year-month shown in separate elements: <div class=day>21</div><div>2024年02月</div>.
SPLIT_DAY_FIRST = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\s{0,3}(?P<y>(?:19|20)\d\d)\s?(?:[-/.]|年)\s?(?P<m>\d{1,2})月?(?![\d])"
)
SPLIT_YEAR_LAST = re.compile(
    r"(?<![\d.])(?P<m>\d{1,2})\s?(?:[-/.]|月)\s?(?P<d>\d{1,2})日?\s{0,3}(?P<y>(?:19|20)\d\d)年?(?![\d/.-])"
)
SPLIT_DAY_LAST = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d\d)\s?(?:[-/.]|年)\s?(?P<m>\d{1,2})月?\s{1,3}(?P<d>\d{1,2})日?(?![\d])"
)
LABEL_CHARS = 14
NEIGHBOUR_CHARS = 80
# "（2007年6月29日第十届…会议通过）": a date opening a bracketed note dates something else.
NOTE_AROUND = re.compile(r"[（(]\s*$")
NOTE_AFTER = re.compile(r"^[^）)\d:：]{0,3}[\u4e00-\u9fff]{2}[^）)]{0,80}[）)]")
RANGE_AFTER = re.compile(r"^\s*(?:至|到|~|～|—|－|-)\s*\d")
TIME_AFTER = re.compile(r"^\s*\d{1,2}\s*[:：时]\s*\d{2}")
OTHER_ZONE_TAGS = frozenset({"a", "nav", "footer", "aside", "select", "option", "button"})
# Box headings are short ("相关新闻", "推荐阅读"); a headline like "关于推荐…的通知" is not one.
BOX_HEADING_CHARS = 8
LIST_RECORD_TAGS = frozenset({"li", "tr", "dd", "dt"})
NEAR_HEADLINE = 120
MID_HEADLINE = 400
# The one table of evidence: each reason a date may have, and what it weighs.
WEIGHTS: dict[str, float] = {
    "publish label": 6.0,
    "date label": 3.0,
    "document label": 2.0,
    "other label": -8.0,
    "previous/next article": -8.0,
    "bracketed note": -4.0,
    "under headline": 4.0,
    "near headline": 2.0,
    "before headline": -2.0,
    "first under headline": 2.0,
    "meta line": 3.0,
    "in prose": -4.0,
    "list record": -8.0,
    "time of day": 1.0,
    "date element": 2.0,
    "agrees with url": 3.0,
    "agrees with meta": 2.0,
}
NEGATIVE_REASONS = frozenset(reason for reason, weight in WEIGHTS.items() if weight < 0)
PROSE_CHARS = 150
INFO_BLOCK_CHARS = 300
# A date needs at least this much evidence to count as the visible publish date.
MIN_SCORE = 2.0


@dataclass(frozen=True)
class DateCandidate:
    """One date seen on a detail page, with its score and the reasons for it."""

    when: date
    offset: int
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Found:
    """A date string in the text map: its date and span."""

    when: date
    start: int
    end: int


def found_dates(tmap: TextMap, today: date | None) -> list[Found]:
    """Every plausible date in the text: whole dates, and dates split over adjacent elements."""
    text = tmap.text
    found: list[Found] = []
    for match in FULL_DATE.finditer(text):
        if is_distractor(text, match.start(), match.end()) and not labelled(text, match.start()):
            continue
        year, month, day = (int(g) for g in match.groups())
        when = make_date(year, month, day, today=today)
        if when is not None:
            found.append(Found(when, match.start(), match.end()))
    taken = [(f.start, f.end) for f in found]
    for pattern in (SPLIT_DAY_FIRST, SPLIT_YEAR_LAST, SPLIT_DAY_LAST):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            if not split_over_elements(tmap, match):
                continue
            when = make_date(int(match["y"]), int(match["m"]), int(match["d"]), today)
            if when is not None:
                found.append(Found(when, match.start(), match.end()))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def labelled(text: str, start: int) -> bool:
    """True when a publish or date label precedes the date ('发布时间：2024年5月1日 星期三')."""
    label = text[max(0, start - LABEL_CHARS) : start]
    return bool(PUBLISH_LABEL_BEFORE.search(label) or GENERIC_LABEL_BEFORE.search(label))


def split_over_elements(tmap: TextMap, match: re.Match[str]) -> bool:
    """True when a split date's parts are each the whole text of their own element."""
    pieces = {tmap.piece_at(match.start(g)) for g in ("y", "m", "d")}
    if len(pieces) < 2:
        return False
    return all(len(tmap.piece_text(i).strip()) <= 12 for i in pieces)


def path_up(el: HtmlElement, stop: HtmlElement | None) -> list[HtmlElement]:
    """el and its ancestors up to (not including) stop or <body>."""
    path: list[HtmlElement] = []
    node: HtmlElement | None = el
    while node is not None and node is not stop and node.tag not in ("body", "html"):
        path.append(node)
        node = node.getparent()
    return path


def common_ancestor(a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    """The lowest element holding both a and b."""
    chain = [a, *a.iterancestors()]  # referenced, so each node keeps one proxy (and id)
    ancestors = {id(n) for n in chain}
    node: HtmlElement | None = b
    while node is not None:
        if id(node) in ancestors:
            return node
        node = node.getparent()
    return None


def in_other_zone(path: list[HtmlElement]) -> bool:
    """True when a date's path crosses a link, navigation, footer or a related-articles box."""
    for node in path:
        if not isinstance(node.tag, str):
            continue
        if node.tag in OTHER_ZONE_TAGS:
            return True
        if OTHER_ZONE.search(class_id(node)) and not is_content_block(node):
            return True
        if under_other_heading(node):
            return True
    return False


def under_other_heading(node: HtmlElement) -> bool:
    """True when node follows a box heading (相关新闻, 推荐阅读, 上一篇), not an article title."""
    previous = node.getprevious()
    if previous is None or not isinstance(previous.tag, str):
        return False
    heading = "".join((previous.text_content() or "")[:40].split())
    return len(heading) <= BOX_HEADING_CHARS and OTHER_HEADING.match(heading) is not None


def in_link_record(path: list[HtmlElement]) -> bool:
    """True when the date sits in a list record next to a link (another article's date)."""
    for node in path:
        if node.tag in LIST_RECORD_TAGS:
            return any(len((a.text_content() or "").strip()) >= 5 for a in node.iter("a"))
    return False


def own_text_chars(el: HtmlElement) -> int:
    """Characters of el's own text (not its children's): long own text is prose."""
    own = (el.text or "") + "".join(child.tail or "" for child in el)
    return len("".join(own.split()))


def info_block_text(tmap: TextMap, el: HtmlElement) -> str:
    """Text of the small block around a date (climbing while it is only a few characters)."""
    node: HtmlElement | None = el
    text = ""
    for _ in range(4):
        if node is None or node.tag in ("body", "html"):
            break
        span = tmap.span(node)
        text = tmap.text[span[0] : span[1]] if span else ""
        if len(text.strip()) >= 40:
            break
        node = node.getparent()
    return text if len(text) <= INFO_BLOCK_CHARS else ""


def label_reason(label: str, after: str, line: str) -> str | None:
    """What the words right before a date (and a range right after it) say about it."""
    if OTHER_LABEL_BEFORE.search(label) or RANGE_AFTER.match(after):
        return "other label"
    if NEIGHBOUR_LINK_BEFORE.search(line):
        return "previous/next article"
    if NOTE_AROUND.search(label) and NOTE_AFTER.match(after):
        return "bracketed note"
    if PUBLISH_LABEL_BEFORE.search(label):
        return "publish label"
    if DOCUMENT_LABEL_BEFORE.search(label):
        return "document label"
    if GENERIC_LABEL_BEFORE.search(label):
        return "date label"
    return None


def headline_reason(
    offset: int, owner: HtmlElement, headline: HtmlElement | None, tmap: TextMap
) -> str | None:
    """Where a date sits from the headline; "inside" for a date within the headline's text."""
    if headline is None:
        return None
    if owner is headline:
        return "inside"
    span = tmap.span(headline)
    if span is None:
        return None
    if offset < span[0]:
        return "before headline"
    distance = max(0, offset - span[1])
    if distance <= NEAR_HEADLINE:
        return "under headline"
    if distance <= MID_HEADLINE:
        return "near headline"
    return None


def score_date(
    found: Found,
    tmap: TextMap,
    headline: HtmlElement | None,
    agree: dict[str, date],
) -> DateCandidate | None:
    """One date's score from every piece of evidence, or None where a date never counts."""
    owner = tmap.owner_at(found.start)
    stop = common_ancestor(owner, headline) if headline is not None else None
    path = path_up(owner, stop)
    placed = headline_reason(found.start, owner, headline, tmap)
    if placed == "inside" or in_other_zone(path):
        return None
    label = tmap.text[max(0, found.start - LABEL_CHARS) : found.start]
    after = tmap.text[found.end : found.end + 100]
    line = tmap.text[max(0, found.start - NEIGHBOUR_CHARS) : found.start]
    parent = owner.getparent()
    evidence = {
        label_reason(label, after, line): True,
        placed: True,
        "list record": in_link_record(path),
        "meta line": bool(META_WORDS.search(info_block_text(tmap, owner))),
        "in prose": own_text_chars(owner) > PROSE_CHARS,
        "time of day": bool(TIME_AFTER.match(after)),
        "date element": bool(
            DATE_CLASS.search(class_id(owner) + (class_id(parent) if parent is not None else ""))
        ),
        "agrees with url": agree.get("url") == found.when,
        "agrees with meta": agree.get("meta") == found.when,
    }
    reasons = tuple(r for r, present in evidence.items() if r is not None and present)
    return DateCandidate(found.when, found.start, sum(WEIGHTS[r] for r in reasons), reasons)


def date_candidates(
    tmap: TextMap, headline: HtmlElement | None, agree: dict[str, date], today: date | None
) -> list[DateCandidate]:
    """Every date candidate of an article page, best first (ties: earlier on the page)."""
    scored = [
        candidate
        for found in found_dates(tmap, today)
        if (candidate := score_date(found, tmap, headline, agree)) is not None
    ]
    return sorted(mark_first_under_headline(scored), key=lambda c: (-c.score, c.offset))


def mark_first_under_headline(candidates: list[DateCandidate]) -> list[DateCandidate]:
    """The first date under the headline with nothing against it gets a bonus: the meta line's."""
    under = [
        c
        for c in candidates
        if "under headline" in c.reasons and not NEGATIVE_REASONS.intersection(c.reasons)
    ]
    if not under:
        return candidates
    first = min(under, key=lambda c: c.offset)
    bonus = replace(
        first,
        score=first.score + WEIGHTS["first under headline"],
        reasons=(*first.reasons, "first under headline"),
    )
    return [bonus if c is first else c for c in candidates]


def best_visible_date(candidates: list[DateCandidate]) -> date | None:
    """The publish date shown on the page: the best candidate with enough evidence."""
    if candidates and candidates[0].score >= MIN_SCORE:
        return candidates[0].when
    return None
