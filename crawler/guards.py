"""Pure checks that keep the crawler on its sites and out of traps."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

MAX_URL_LENGTH = 512
MAX_QUERY_PARAMS = 6
MAX_PATH_DEPTH = 12
MAX_SEGMENT_REPEATS = 2
CALENDAR_PARAM = re.compile(
    r"^(date|day|month|year|ym|ymd|cal|calendar|time|y|m|d|yy|mm|dd|yyyy|week)$", re.IGNORECASE
)
# Calendars need two date parts (year and month, month and day) to be a calendar.
MIN_CALENDAR_PARAMS = 2
SESSION_PARAM = re.compile(r"^(sid|sessionid|session_id|jsessionid|phpsessid|token)$", re.I)
CALENDAR_PATH = re.compile(r"/(19|20)\d{2}[-/]\d{1,2}[-/]\d{1,2}/.*(19|20)\d{2}[-/]\d{1,2}")


def trap_reason(url: str) -> str | None:
    """Why a URL looks like a crawler trap, or None when it looks like an ordinary page."""
    if len(url) > MAX_URL_LENGTH:
        return "url too long"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_DEPTH:
        return "path too deep"
    repeats = Counter(segments)
    if repeats and max(repeats.values()) > MAX_SEGMENT_REPEATS:
        return "repeating path segments"
    params = parse_qsl(parts.query, keep_blank_values=True)
    if len(params) > MAX_QUERY_PARAMS:
        return "too many query parameters"
    names = [name for name, _ in params]
    if any(SESSION_PARAM.match(name) for name in names) or ";jsessionid=" in parts.path.lower():
        return "session id in url"
    if sum(1 for name in names if CALENDAR_PARAM.match(name)) >= MIN_CALENDAR_PARAMS:
        return "calendar parameters"
    if CALENDAR_PATH.search(parts.path):
        return "calendar path"
    return None
