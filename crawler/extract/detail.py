"""Article (detail) pages: title, publish date (visible, meta and URL kept apart) and source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from lxml.html import HtmlElement

from crawler.extract.dates import FULL_DATE, date_from_url, parse_datetime_value
from crawler.extract.detail_dates import DateCandidate, best_visible_date, date_candidates
from crawler.extract.headline import find_headline
from crawler.extract.patterns import SOURCE_LABEL
from crawler.extract.textmap import TextMap, build_text_map
from crawler.extract.tree import meta_content, parse_html

# A label's value ends at a space, a bar, a bracket or a field word.
SOURCE_STOP = re.compile(r"\s|[|｜【\[]|(?:作者|时间|日期|发布|浏览|点击|字号)")
# ... and at the next label ("访问量：199"): a few CJK characters and a colon.
NEXT_LABEL = re.compile(r"[\u4e00-\u9fff]{1,6}\s*[:：]")
META_DATE_NAMES = (
    "PubDate", "publishdate", "pubdate", "firstpublishedtime", "article:published_time",
    "og:release_date", "dc.date.issued", "dcterms.issued", "dc.date", "publish_date",
    "publication_date", "datePublished",
)  # fmt: skip


Day = date  # the type, under a name the Detail.date field does not shadow


@dataclass(frozen=True)
class Detail:
    """What a detail page says about itself; `dates` keeps each source's date apart."""

    title: str
    date: date | None
    date_source: str | None
    source: str | None
    dates: dict[str, Day] = field(default_factory=dict)  # Day: `date` is a field name here
    # The body's visible text (whitespace runs as one space): the content checks scan it.
    text: str = ""


def meta_date(tree: HtmlElement, today: date | None) -> date | None:
    """Publish date from the PubDate / published_time family of metas (not Maketime)."""
    value = meta_content(tree, *META_DATE_NAMES)
    return parse_datetime_value(value, today) if value else None


def label_value(text: str, start: int) -> str:
    """The value of a label starting at text[start]: up to a space, a bar or the next label."""
    rest = text[start : start + 80]
    value = SOURCE_STOP.split(rest, maxsplit=1)[0]
    return NEXT_LABEL.split(value, maxsplit=1)[0]


def visible_source(tmap: TextMap, anchor: int) -> str | None:
    """The 来源 the page shows ('来源：新华社'); an empty label ('来源： 访问量：199') shows none.

    The label nearest the article's date or headline (anchor) is read first: a body or a
    footer may quote other sources.
    """
    matches = sorted(SOURCE_LABEL.finditer(tmap.text), key=lambda m: abs(m.start() - anchor))
    for match in matches:
        value = label_value(tmap.text, match.end())
        if value and not FULL_DATE.match(value):
            return value
    return None


def detail_dates(
    tree: HtmlElement, url: str, tmap: TextMap, headline: HtmlElement | None, today: date | None
) -> tuple[dict[str, date], list[DateCandidate]]:
    """Each source's date (visible text, meta, URL) and the scored visible candidates."""
    dates: dict[str, date] = {}
    in_meta = meta_date(tree, today)
    if in_meta is not None:
        dates["meta"] = in_meta
    in_url = date_from_url(url, today)
    if in_url is not None:
        dates["url"] = in_url
    candidates = date_candidates(tmap, headline, dict(dates), today)
    shown = best_visible_date(candidates)
    if shown is not None:
        dates = {"text": shown, **dates}
    return dates, candidates


def explain_detail(
    tree: HtmlElement, url: str, *, today: date | None = None
) -> list[DateCandidate]:
    """The scored date candidates of a detail page, best first (for `inspect --explain`)."""
    tmap = build_text_map(next(tree.iter("body"), tree))
    headline = find_headline(tree, tmap)
    return detail_dates(tree, url, tmap, headline.element, today)[1]


def extract_detail_from_tree(tree: HtmlElement, url: str, *, today: date | None = None) -> Detail:
    """Detail data of a parsed article page (see extract_detail)."""
    tmap = build_text_map(next(tree.iter("body"), tree))
    headline = find_headline(tree, tmap)
    dates, candidates = detail_dates(tree, url, tmap, headline.element, today)
    # Visible text wins: metas are often the page-generation time, URLs the upload day.
    source_key = next((k for k in ("text", "meta", "url") if k in dates), None)
    span = tmap.span(headline.element) if headline.element is not None else None
    anchor = candidates[0].offset if "text" in dates else (span[1] if span else 0)
    source = visible_source(tmap, anchor)
    source = source or meta_content(tree, "ContentSource", "source")
    return Detail(
        title=headline.title,
        date=dates[source_key] if source_key else None,
        date_source=source_key,
        source=source or None,
        dates=dates,
        text=tmap.text,
    )


def extract_detail(html: str, url: str, *, today: date | None = None) -> Detail:
    """Title, publish date (text > meta > URL), 来源 and every date source of an article page."""
    return extract_detail_from_tree(parse_html(html), url, today=today)
