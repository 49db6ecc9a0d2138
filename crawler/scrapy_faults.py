"""Name the fault behind a Scrapy download failure, in the vocabulary of `crawler.faults`."""

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

from crawler.faults import Fault, classify_os_error


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
