"""One vocabulary for why a fetch failed: the `error` column of `fetches`, `links` and `probes`.

Every fetch path (Scrapy's downloads, link checks, probes, `inspect`) names its faults with
`Fault`, so a reader of the database (and the report's Chinese wording) has one list to map.
"""

from __future__ import annotations

from enum import StrEnum

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as net_error
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived


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


class RefusedRequest(IgnoreRequest):
    """A request stopped before any connection; `kind` says why (offsite, private_address, …)."""

    def __init__(self, kind: Fault | str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = Fault(kind)


def classify_exception(exc: BaseException) -> Fault:
    """The fault behind a Scrapy download failure."""
    if isinstance(exc, RefusedRequest):
        return exc.kind
    if isinstance(exc, IgnoreRequest):
        text = str(exc).lower()
        if "robots.txt" in text:
            return Fault.ROBOTS
        if "redirect" in text:
            return Fault.REDIRECT_LOOP
        return Fault.IGNORED
    if isinstance(exc, (net_error.TimeoutError, net_error.TCPTimedOutError, DownloadTimeoutError)):
        return Fault.TIMEOUT
    if isinstance(exc, (net_error.ConnectionRefusedError, DownloadConnectionRefusedError)):
        return Fault.CONNECTION_REFUSED
    if isinstance(exc, (net_error.DNSLookupError, CannotResolveHostError)):
        return Fault.DNS
    if isinstance(exc, net_error.NoRouteError):
        return Fault.NO_ROUTE
    if isinstance(exc, DownloadCancelledError):
        return Fault.TOO_LARGE
    lost = (net_error.ConnectionLost, net_error.ConnectionDone, ResponseFailed)
    if isinstance(exc, (*lost, ResponseDataLossError, DownloadFailedError)):
        return Fault.CONNECTION_LOST
    if isinstance(exc, ResponseNeverReceived):
        return Fault.NO_RESPONSE
    if isinstance(exc, net_error.ConnectError):
        return Fault.NO_ROUTE if "unreachable" in str(exc).lower() else Fault.CONNECT_ERROR
    return classify_os_error(exc)


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
