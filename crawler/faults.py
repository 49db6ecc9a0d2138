"""One vocabulary for why a fetch failed: the `error` column of `fetches`, `links` and `probes`.

Every fetch path (Scrapy's downloads, link checks, probes, `inspect`) names its faults with
`Fault`, so a reader of the database (and the report's Chinese wording) has one list to map.
This module imports neither Scrapy nor Twisted (the report reads the vocabulary too); naming
the fault behind a Scrapy failure is `crawler.scrapy_faults`, re-exported here on first use.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Fault(StrEnum):
    """Why a fetch failed (stored as its value)."""

    TIMEOUT = "timeout"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_LOST = "connection_lost"
    NO_RESPONSE = "no_response"
    CONNECT_ERROR = "connect_error"
    NO_ROUTE = "no_route"
    DNS = "dns"
    TLS = "tls"
    TOO_LARGE = "too_large"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    RATE_LIMITED = "rate_limited"
    REDIRECT_LOOP = "redirect_loop"
    BAD_REDIRECT = "bad_redirect"
    # Refused by the guards before any connection:
    OFFSITE = "offsite"
    PRIVATE_ADDRESS = "private_address"
    SCHEME = "scheme"
    TRAP = "trap"
    ROBOTS = "robots"
    # A link that cannot be checked from the monitoring network (无法验证): never "broken".
    UNVERIFIABLE = "unverifiable"
    IGNORED = "ignored"
    ERROR = "error"


#: Faults that say nothing about the link itself, only about the monitoring network's reach.
UNREACHABLE_FROM_HERE = frozenset({Fault.DNS, Fault.NO_ROUTE})


def classify_os_error(exc: BaseException) -> Fault:
    """The fault behind a plain Python exception (socket errors, time-outs)."""
    import errno
    import socket

    if isinstance(exc, TimeoutError) or "timeout" in type(exc).__name__.lower():
        return Fault.TIMEOUT
    if isinstance(exc, ConnectionRefusedError):
        return Fault.CONNECTION_REFUSED
    if isinstance(exc, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return Fault.CONNECTION_LOST
    if isinstance(exc, socket.gaierror):
        return Fault.DNS
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return Fault.NO_ROUTE
    return Fault.ERROR


def classify_status(status: int) -> Fault | None:
    """The fault a status code stands for, None for success, redirects and not-modified."""
    if status < 400:
        return None
    if status == 429:
        return Fault.RATE_LIMITED
    return Fault.HTTP_5XX if status >= 500 else Fault.HTTP_4XX


def __getattr__(name: str) -> Any:
    """`RefusedRequest` and `classify_exception` from crawler.scrapy_faults, loaded on use."""
    if name in ("RefusedRequest", "classify_exception"):
        from crawler import scrapy_faults

        return getattr(scrapy_faults, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
