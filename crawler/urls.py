"""URL identity shared by the spider, the state loader and the store."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from crawler.config.checks import DEFAULT_PORTS

if TYPE_CHECKING:
    from scrapy import Request

SESSION_ID_PARAM = re.compile(r";jsessionid=[^?#]*", re.IGNORECASE)


def url_key(url: str) -> str:
    """A URL's identity for de-duplication: canonical form without fragment or session id."""
    cleaned = SESSION_ID_PARAM.sub("", url.strip())
    canonical = canonicalize_url(cleaned, keep_fragments=False)
    parts = urlsplit(canonical)
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def linked_url(request: Request) -> str:
    """The URL a request was made for, before any redirect: the link as a page wrote it."""
    return str(request.meta.get("redirect_urls", [request.url])[0])
