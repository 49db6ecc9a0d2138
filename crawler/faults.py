"""Name the fault behind a failed fetch: the `error` column of `fetches` and `links`."""

from __future__ import annotations

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


class RefusedRequest(IgnoreRequest):
    """A request the guards refused; `kind` says why (offsite, private_address, trap)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


def classify_exception(exc: BaseException) -> str:
    """A short stable name for a download failure."""
    if isinstance(exc, RefusedRequest):
        return exc.kind
    if isinstance(exc, IgnoreRequest):
        text = str(exc).lower()
        if "robots.txt" in text:
            return "robots"
        if "redirect" in text:
            return "redirect_loop"
        return "ignored"
    if isinstance(exc, (net_error.TimeoutError, net_error.TCPTimedOutError, DownloadTimeoutError)):
        return "timeout"
    if isinstance(exc, (net_error.ConnectionRefusedError, DownloadConnectionRefusedError)):
        return "connection_refused"
    if isinstance(exc, (net_error.DNSLookupError, CannotResolveHostError)):
        return "dns"
    if isinstance(exc, DownloadCancelledError):
        return "too_large"
    lost = (net_error.ConnectionLost, net_error.ConnectionDone, ResponseFailed)
    if isinstance(exc, (*lost, ResponseDataLossError, DownloadFailedError)):
        return "connection_lost"
    if isinstance(exc, ResponseNeverReceived):
        return "no_response"
    if isinstance(exc, net_error.ConnectError):
        return "connect_error"
    name = type(exc).__name__
    if name == "TimeoutError" or "timeout" in name.lower():
        return "timeout"
    return name.lower() or "error"


def classify_status(status: int) -> str | None:
    """The fault a status code stands for, None for success and not-modified."""
    if status < 400:
        return None
    return "http_5xx" if status >= 500 else "http_4xx"
