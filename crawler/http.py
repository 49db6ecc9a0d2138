"""The one guarded HTTP path for fetches outside Scrapy: probes, `inspect`, `discover`.

Every hop is checked before a connection is made: the scheme (http/https only), the host and
every address it resolves to (`crawler.guards.NetworkPolicy`). The connection then goes to the
address that was checked (the URL carries the IP; Host header and TLS SNI carry the name), so a
DNS answer that changes between check and connect cannot steer it elsewhere. Redirects are
followed by hand, each hop checked the same way, and the whole request — resolution, connect,
headers and the full body — runs under one deadline.

httpx (async) rather than urllib3: its AsyncClient probes a few hundred home pages
concurrently on one event loop with a total deadline per request (`asyncio.timeout`) instead of
a thread per site, and its `sni_hostname` request extension makes pinning the checked address
for HTTPS a documented one-liner.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from crawler.config import DEFAULT_USER_AGENT
from crawler.config.checks import host_in_domains, is_ip_literal
from crawler.faults import Fault, classify_os_error
from crawler.guards import ANY_PRIVATE, PUBLIC_ONLY, NetworkPolicy, refused_address
from crawler.limits import DNS_TIMEOUT, FETCH_DEADLINE, MAX_PAGE_BYTES, MAX_REDIRECTS

Resolve = Callable[[str], Awaitable[list[str]]]
REDIRECTS = frozenset({301, 302, 303, 307, 308})
SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Fetched:
    """One response: final URL, status, content type, body and time taken."""

    url: str
    status: int
    content_type: str | None
    body: bytes
    elapsed_ms: int


class FetchError(Exception):
    """A fetch that failed or was refused; `fault` names why (see `crawler.faults.Fault`)."""

    def __init__(self, fault: Fault, detail: str) -> None:
        super().__init__(f"{fault}: {detail}")
        self.fault = fault
        self.detail = detail


@dataclass(frozen=True)
class FetchPolicy:
    """Where a fetch may go: `network` applies to hosts inside `private_domains`, public
    addresses only everywhere else (so a redirect never inherits an intranet allowance)."""

    network: NetworkPolicy = PUBLIC_ONLY
    private_domains: tuple[str, ...] = ()

    def for_host(self, host: str) -> NetworkPolicy:
        """The network policy for one hop's host."""
        if self.private_domains and host_in_domains(host, list(self.private_domains)):
            return self.network
        return PUBLIC_ONLY


def operator_policy(url: str) -> FetchPolicy:
    """`inspect`/`discover`: the operator named this host, so its private addresses are fine;
    redirects to any other private host are not."""
    host = (urlsplit(url).hostname or "").lower()
    return FetchPolicy(ANY_PRIVATE, (host,)) if host else FetchPolicy()


async def system_resolve(host: str) -> list[str]:
    """The host's addresses from the system resolver, without blocking the event loop."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def checked_address(host: str, policy: NetworkPolicy, resolve: Resolve) -> str:
    """Resolve a host (bounded in time) and return an address the policy allows to connect to."""
    if is_ip_literal(host):
        addresses = [host]
    else:
        try:
            addresses = await asyncio.wait_for(resolve(host), DNS_TIMEOUT)
        except (OSError, UnicodeError, TimeoutError) as exc:
            raise FetchError(Fault.DNS, f"{host}: {exc}") from None
        if not addresses:
            raise FetchError(Fault.DNS, f"{host}: no address")
    refused = refused_address(addresses, policy)
    if refused is not None:
        raise FetchError(Fault.PRIVATE_ADDRESS, f"{host} -> {refused}")
    return addresses[0]


def pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL with the checked address as host, plus the Host header and SNI that name it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    ip = f"[{address}]" if ":" in address else address
    netloc = f"{ip}:{parts.port}" if parts.port else ip
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = f"{host}:{parts.port}" if parts.port else host
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return target, {"Host": host_header}, extensions


def hop_fault(exc: BaseException) -> Fault:
    """The fault behind an httpx failure (the socket error it wraps, when there is one)."""
    if isinstance(exc, httpx.TimeoutException):
        return Fault.TIMEOUT
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return Fault.TLS
        if isinstance(cause, OSError):
            return classify_os_error(cause)
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if "refused" in text:
            return Fault.CONNECTION_REFUSED
        return Fault.NO_ROUTE if "unreachable" in text else Fault.CONNECT_ERROR
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return Fault.CONNECTION_LOST
    return Fault.ERROR


async def one_hop(
    client: httpx.AsyncClient, url: str, address: str, user_agent: str
) -> tuple[httpx.Response, bytes]:
    """GET one URL at the checked address; the body read up to MAX_PAGE_BYTES."""
    target, headers, extensions = pinned(url, address)
    headers["User-Agent"] = user_agent
    request = client.build_request("GET", target, headers=headers, extensions=extensions)
    try:
        response = await client.send(request, stream=True)
    except httpx.HTTPError as exc:
        raise FetchError(hop_fault(exc), f"{url}: {exc}") from None
    try:
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > MAX_PAGE_BYTES:
                raise FetchError(Fault.TOO_LARGE, f"{url}: over {MAX_PAGE_BYTES} bytes")
    except httpx.HTTPError as exc:
        raise FetchError(hop_fault(exc), f"{url}: {exc}") from None
    finally:
        await response.aclose()
    return response, bytes(body)


async def guarded_get(
    client: httpx.AsyncClient,
    url: str,
    *,
    policy: FetchPolicy,
    deadline: float = FETCH_DEADLINE,
    user_agent: str = DEFAULT_USER_AGENT,
    resolve: Resolve = system_resolve,
) -> Fetched:
    """GET a page through the guard, following redirects; FetchError when it fails or is refused.

    HTTP error statuses are answers, returned like any other.
    """
    started = time.monotonic()
    try:
        async with asyncio.timeout(deadline):
            response, body, final = await follow(client, url, policy, user_agent, resolve)
    except TimeoutError:
        message = f"{url}: no complete answer within {deadline:g} s"
        raise FetchError(Fault.TIMEOUT, message) from None
    elapsed = int((time.monotonic() - started) * 1000)
    content_type = response.headers.get("Content-Type")
    return Fetched(final, response.status_code, content_type, body, elapsed)


async def follow(
    client: httpx.AsyncClient, url: str, policy: FetchPolicy, user_agent: str, resolve: Resolve
) -> tuple[httpx.Response, bytes, str]:
    """The redirect chain from url, each hop checked before it connects."""
    seen: set[str] = set()
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme.lower() not in SCHEMES or not parts.hostname:
            raise FetchError(Fault.SCHEME, f"{url}: only http and https are fetched")
        host = parts.hostname.lower().rstrip(".")
        address = await checked_address(host, policy.for_host(host), resolve)
        seen.add(url)
        response, body = await one_hop(client, url, address, user_agent)
        location = response.headers.get("Location")
        if response.status_code not in REDIRECTS or not location:
            return response, body, url
        url = urljoin(url, location.strip())
        if url in seen:
            raise FetchError(Fault.REDIRECT_LOOP, f"{url}: redirect loop")
    raise FetchError(Fault.REDIRECT_LOOP, f"{url}: more than {MAX_REDIRECTS} redirects")


def new_client(connections: int = 16) -> httpx.AsyncClient:
    """A client for guarded fetches: no proxies from the environment (they would bypass the
    address check), no automatic redirects (each hop is checked here), one idle connection
    budget; time is bounded by the caller's deadline, not per operation."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=0)
    return httpx.AsyncClient(follow_redirects=False, trust_env=False, limits=limits, timeout=None)


def fetch(
    url: str,
    *,
    deadline: float = FETCH_DEADLINE,
    user_agent: str = DEFAULT_USER_AGENT,
    policy: FetchPolicy | None = None,
) -> Fetched:
    """One guarded GET from synchronous code (`inspect`, `discover`)."""

    async def run() -> Fetched:
        async with new_client(1) as client:
            return await guarded_get(
                client,
                url,
                policy=policy or operator_policy(url),
                deadline=deadline,
                user_agent=user_agent,
            )

    return asyncio.run(run())
