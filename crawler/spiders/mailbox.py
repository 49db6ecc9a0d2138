"""Mailboxes (局长信箱 / 在线咨询) for the group spider: letter lists, letters, late replies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import scrapy
from lxml.html import HtmlElement
from scrapy.http import Response

from crawler.extract.consultations import (
    extract_consultation_detail_from_tree,
    extract_consultation_list_from_tree,
)
from crawler.extract.tree import parse_html
from crawler.items import ConsultationItem
from crawler.spiders.requests import PageRequests
from crawler.spiders.walks import ColumnWalk, ListPage, decoded
from crawler.state import CrawlContext, KnownLetter
from crawler.urls import url_key


def letter_unchanged(previous: KnownLetter, status: str | None) -> bool:
    """A known letter whose status on the list is what it was last time."""
    return previous.replied or status in (None, previous.status)


class MailboxReader:
    """Reads mailbox pages and letters; re-reads unanswered ones."""

    def __init__(self, context: CrawlContext, requests: PageRequests) -> None:
        self.context = context
        self.today: date = context.now.date()
        self.requests = requests

    def list_page(self, walk: ColumnWalk, tree: HtmlElement, page_url: str) -> ListPage:
        """The letters of one mailbox page, and requests for those that may have changed."""
        site = walk.site
        letters = extract_consultation_list_from_tree(tree, page_url, today=self.today)
        known = self.context.state.letters.setdefault(site.id, {})
        page = ListPage(listed=len(letters), in_horizon=len(letters))
        changed_here = 0
        last_unchanged = False
        for letter in letters:
            key = url_key(letter.url) if letter.url else f"title:{letter.title}|{letter.asked}"
            if letter.url:
                walk.seen_urls.append(letter.url)
            previous = known.get(key)
            last_unchanged = previous is not None and letter_unchanged(previous, letter.status)
            if not last_unchanged:
                changed_here += 1
            page.output.append(
                ConsultationItem(
                    site_id=site.id,
                    column_key=walk.key,
                    url=letter.url,
                    title=letter.title,
                    asked_on=letter.asked,
                    replied_on=letter.replied,
                    status=letter.status,
                )
            )
            # Re-read a letter only when it may have changed: new, or not yet answered and the
            # list does not say it still waits.
            settled = (
                previous is not None
                and previous.detail_done
                and (previous.replied or letter.status == "pending")
            )
            if (
                letter.url
                and not settled
                and site.allows_url(letter.url)
                and url_key(letter.url) not in self.requests.requested
            ):
                page.output.append(
                    self.requests.page(
                        site,
                        letter.url,
                        "consultation_detail",
                        self.parse_letter,
                        cb_kwargs={"walk": walk, "listed_title": letter.title},
                    )
                )
        # As for posts: a page ending in a letter we knew, unchanged, is where news stops; older
        # unanswered letters are re-read directly once a day (recheck_letters).
        page.fresh = 0 if last_unchanged else changed_here
        return page

    def recheck_letters(self, walk: ColumnWalk) -> Iterator[scrapy.Request]:
        """Re-read the column's unanswered letters the walk did not reach (once a day)."""
        for url in self.context.state.letters_to_recheck.get((walk.site.id, walk.key), []):
            if url_key(url) in self.requests.requested or not walk.site.allows_url(url):
                continue
            yield self.requests.page(
                walk.site, url, "consultation_detail", self.parse_letter, cb_kwargs={"walk": walk}
            )

    def parse_letter(
        self, response: Response, walk: ColumnWalk, listed_title: str = ""
    ) -> list[Any]:
        """A letter's own page: its dates and whether it was answered."""
        letter = extract_consultation_detail_from_tree(
            parse_html(decoded(response)), response.url, today=self.today
        )
        return [
            ConsultationItem(
                site_id=walk.site.id,
                column_key=walk.key,
                url=response.meta.get("page_url", response.url),
                title=listed_title or letter.title,
                asked_on=letter.asked,
                replied_on=letter.replied,
                status=letter.status,
                from_detail=True,
            )
        ]
