"""Name resolution for the crawl: asynchronous, bounded in time, once per host per crawl, and
the same answer for the guard's check and for the connection.

`GuardMiddleware` asks `AddressBook.addresses(host)` and checks every address; Twisted then
connects through `PinnedResolver.getHostByName`, which answers from the same book, so a name
that answers a public address first and an intranet one second is never looked up twice (DNS
rebinding). Look-ups run in a thread pool of their own, so a slow resolver never blocks the
reactor and thirty slow names cost one time-out, not thirty.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from scrapy.utils.misc import load_object
from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from crawler.config.checks import is_ip_literal
from crawler.limits import DNS_THREADS, DNS_TIMEOUT

if TYPE_CHECKING:
    from twisted.internet.base import ReactorBase

Lookup = Callable[[str], list[str]]


def system_addresses(host: str) -> list[str]:
    """Addresses of a host name from the system resolver (blocking; run in the book's pool)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressBook:
    """Per-crawl answers: each host looked up once, concurrently, within `timeout` seconds."""

    def __init__(self, lookup: Lookup = system_addresses, timeout: float = DNS_TIMEOUT) -> None:
        self.lookup = lookup
        self.timeout = timeout
        self.answers: dict[str, asyncio.Future[list[str]]] = {}
        self.pool = ThreadPoolExecutor(max_workers=DNS_THREADS, thread_name_prefix="dns")

    def known(self, host: str) -> list[str] | None:
        """The host's addresses when already looked up (DNSLookupError when that failed)."""
        if is_ip_literal(host):
            return [host]
        if host == "localhost" or host.endswith(".localhost"):
            return ["127.0.0.1"]  # loopback by definition (RFC 6761), whatever DNS says
        future = self.answers.get(host)
        if future is None or not future.done():
            return None
        return future.result()

    async def addresses(self, host: str) -> list[str]:
        """The host's addresses; DNSLookupError when it does not resolve in time."""
        known = self.known(host)
        if known is not None:
            return known
        future = self.answers.get(host)
        if future is None:
            future = asyncio.ensure_future(self._look_up(host))
            self.answers[host] = future
        return await asyncio.shield(future)

    async def _look_up(self, host: str) -> list[str]:
        loop = asyncio.get_running_loop()
        try:
            call = loop.run_in_executor(self.pool, self.lookup, host)
            addresses = await asyncio.wait_for(call, self.timeout)
        except TimeoutError:
            raise DNSLookupError(f"{host}: no answer within {self.timeout:g} s") from None
        if not addresses:
            raise DNSLookupError(f"{host}: does not resolve")
        return list(addresses)


#: The book of the running crawl (one crawl per process: Scrapy's reactor runs once).
_installed: AddressBook | None = None


def installed_book() -> AddressBook | None:
    """The address book the reactor connects through, when PinnedResolver is installed."""
    return _installed


def crawl_book(settings: Any) -> AddressBook:
    """The process's one address book, made from the settings on first use.

    Scrapy builds the middlewares before it installs the resolver, so whichever asks first
    creates it and both share it.
    """
    global _installed
    if _installed is None:
        lookup = load_object(settings.get("SITEWATCH_DNS_LOOKUP") or system_addresses)
        _installed = AddressBook(lookup, settings.getfloat("DNS_TIMEOUT", DNS_TIMEOUT))
    return _installed


@implementer(IResolverSimple)
class PinnedResolver:
    """Scrapy's TWISTED_DNS_RESOLVER: connections go to the addresses the guard checked."""

    def __init__(self, reactor: ReactorBase, book: AddressBook) -> None:
        self.reactor = reactor
        self.book = book

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: ReactorBase) -> PinnedResolver:
        return cls(reactor, crawl_book(crawler.settings))

    def install_on_reactor(self) -> None:
        # Twisted declares the interface with zope (IResolverSimple); mypy cannot see it.
        self.reactor.installResolver(self)  # type: ignore[arg-type]

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        try:
            known = self.book.known(name)
        except DNSLookupError as exc:
            return defer.fail(exc)
        if known is not None:
            return defer.succeed(known[0])
        future = asyncio.ensure_future(self.book.addresses(name))
        return defer.Deferred.fromFuture(future).addCallback(lambda found: found[0])
