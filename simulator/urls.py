"""URL shapes of each CMS family: column, list page, detail page, attachment, mailbox."""

from __future__ import annotations

from simulator.model import Column, Family, Letter, Post, Site


def column_path(family: Family, column: Column) -> str:
    """Path of a column's first list page (the column URL)."""
    if family is Family.TRS:
        return f"/{column.slug}/"
    if family in (Family.HANWEB_LINKS, Family.HANWEB_QUERY):
        return f"/col/col{column.col_id}/index.html"
    return f"/{column.slug}/list.html"


def list_page_path(family: Family, column: Column, page: int) -> str:
    """Path (with query, if any) of list page `page` (0-based)."""
    if page == 0:
        return column_path(family, column)
    if family is Family.TRS:
        return f"/{column.slug}/index_{page}.html"
    if family is Family.HANWEB_LINKS:
        return f"/col/col{column.col_id}/index_{page + 1}.html"
    if family is Family.HANWEB_QUERY:
        return f"/col/col{column.col_id}/index.html?pageIndex={page + 1}"
    return f"/{column.slug}/list_{page + 1}.html"


def detail_path(family: Family, column: Column, post: Post) -> str:
    """Path of a post's detail page."""
    day = post.day
    if family is Family.TRS:
        return f"/{column.slug}/{day:%Y%m}/t{day:%Y%m%d}_{post.doc_id}.html"
    if family in (Family.HANWEB_LINKS, Family.HANWEB_QUERY):
        return f"/art/{day.year}/{day.month}/{day.day}/art_{column.col_id}_{post.doc_id}.html"
    return f"/{column.slug}/{day.year}/{day:%m%d}_{post.doc_id}.html"


def attachment_path(family: Family, column: Column, post: Post, index: int, ext: str) -> str:
    """Path of attachment `index` of a post."""
    day = post.day
    if family is Family.TRS:
        return f"/{column.slug}/{day:%Y%m}/P0{day:%Y%m%d}{post.doc_id}{index}.{ext}"
    if family in (Family.HANWEB_LINKS, Family.HANWEB_QUERY):
        return f"/module/download/{day.year}/{post.doc_id}_{index}.{ext}"
    return f"/uploadfiles/{day.year}{day:%m}/{post.doc_id}_{index}.{ext}"


def mailbox_path(site: Site, page: int = 0) -> str:
    """Path of mailbox list page `page` (0-based)."""
    if page == 0:
        return f"/{site.mailbox_slug}/"
    return f"/{site.mailbox_slug}/list_{page + 1}.html"


def letter_path(site: Site, letter: Letter) -> str:
    """Path of one letter's detail page."""
    return f"/{site.mailbox_slug}/letter_{letter.letter_id}.html"
