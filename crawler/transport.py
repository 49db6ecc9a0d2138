"""HTTPS and IPv6 of a site, checked through the guarded HTTP path (`crawler.http`).

Every connection is made the way `crawler.http` makes them: the host resolved (bounded in
time), every address checked against the site's network policy before connecting, the
connection pinned to the checked address (Host header and TLS SNI carry the name), no proxy,
the whole exchange under one deadline. What differs is what is looked at:

- **HTTPS**: one GET of the HTTPS home page, the certificate chain and name verified against
  the system's CAs plus the configured CA bundle (never "no verify"); on success the
  certificate's expiry is kept.
- **HTTP → HTTPS**: one GET of the plain-HTTP home page; it must redirect to an https:// URL.
- **IPv6**: the host's AAAA addresses (DNS, or the config's `resolve:` override), then the home
  page fetched over IPv6 only and compared with the page fetched over IPv4 only; then a sample
  of inner pages over IPv6.

Whatever is about the monitoring host rather than the site — no IPv6 route here, a DNS
failure, an address the policy forbids — is 无法验证 (`unverifiable`), never a failure.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import re
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from crawler import defaults
from crawler.config.checks import is_ip_literal
from crawler.faults import Fault
from crawler.http import (
    REDIRECTS,
    FetchError,
    FetchPolicy,
    checked_address,
    hop_fault,
    one_hop,
    pinned,
)
from crawler.limits import DNS_TIMEOUT, MAX_REDIRECTS

Family = Callable[[str], Awaitable[list[str]]]  # host -> addresses of one family

# Faults that say something about this monitoring host's network, not the site.
LOCAL_FAULTS = frozenset({Fault.DNS, Fault.NO_ROUTE, Fault.PRIVATE_ADDRESS})
CERT_EXPIRED = 10  # X509_V_ERR_CERT_HAS_EXPIRED
NO_ANSWER = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.S | re.I)
TEXT_CHARS = 200_000  # the comparison reads this much of each page's text


class Unverifiable(Exception):
    """The check cannot be made from this monitoring host (无法验证); the reason is the message."""


@dataclass(frozen=True)
class Outcome:
    """One check's verdict: `state` (see each check), a detail for people, an optional value."""

    state: str
    detail: str = ""
    value: str | None = None


@dataclass(frozen=True)
class InnerLink:
    """An inner page tried over IPv6: `ok`, `failed` or `unverifiable`."""

    url: str
    state: str
    detail: str = ""


@dataclass
class TransportResult:
    """Everything one check of one site found."""

    site_id: str
    home_url: str
    https_url: str
    https: Outcome
    http_url: str
    http: Outcome
    ipv6: Outcome
    inner: list[InnerLink] = field(default_factory=list)


# --- URLs -------------------------------------------------------------------------------------


def https_home(url: str, port: int) -> str:
    """The HTTPS home page: the home URL when it is https, else https://host[:port]/."""
    return url if urlsplit(url).scheme == "https" else entrance(url, "https", 443, port)


def entrance(url: str, scheme: str, default_port: int, port: int) -> str:
    """`scheme://host[:port]/` of the home URL's host (the port left out when the default)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    netloc = host if port == default_port else f"{host}:{port}"
    return urlunsplit((scheme, netloc, "/", "", ""))


# --- HTTPS ------------------------------------------------------------------------------------


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """The system's CAs plus the configured bundle; verification always on."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def verify_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification error behind an httpx failure, if that is what it was."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def not_after(response: httpx.Response) -> str | None:
    """The verified peer certificate's expiry (ISO, UTC), from the open connection."""
    stream = response.extensions.get("network_stream")
    tls = stream.get_extra_info("ssl_object") if stream is not None else None
    cert = tls.getpeercert() if tls is not None else None
    if not cert or "notAfter" not in cert:
        return None
    seconds = ssl.cert_time_to_seconds(str(cert["notAfter"]))
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


async def check_https(
    client: httpx.AsyncClient,
    url: str,
    policy: FetchPolicy,
    resolve: Family,
    user_agent: str,
    deadline: float,
) -> Outcome:
    """`ok` (value: the certificate's notAfter), `expired`, `invalid`, `missing` (no HTTPS
    service) or `unverifiable`."""
    host = (urlsplit(url).hostname or "").lower()
    try:
        async with asyncio.timeout(deadline):
            address = await checked_address(host, policy.for_host(host), resolve)
            target, headers, extensions = pinned(url, address)
            headers["User-Agent"] = user_agent
            request = client.build_request("GET", target, headers=headers, extensions=extensions)
            response = await client.send(request, stream=True)
            try:
                return Outcome("ok", f"HTTP {response.status_code}", not_after(response))
            finally:
                await response.aclose()
    except TimeoutError:
        return Outcome("missing", f"no TLS answer within {deadline:g} s")
    except FetchError as exc:
        return Outcome("unverifiable" if exc.fault in LOCAL_FAULTS else "missing", exc.detail)
    except httpx.HTTPError as exc:
        return https_failure(exc)


def https_failure(exc: httpx.HTTPError) -> Outcome:
    """Why the HTTPS home page failed: its certificate, or no HTTPS service at all."""
    bad = verify_error(exc)
    if bad is not None:
        state = "expired" if bad.verify_code == CERT_EXPIRED else "invalid"
        return Outcome(state, str(bad.verify_message or bad))
    fault = hop_fault(exc)
    return Outcome("unverifiable" if fault in LOCAL_FAULTS else "missing", f"{fault}: {exc}")


# --- HTTP -> HTTPS ----------------------------------------------------------------------------


async def check_http_redirect(
    client: httpx.AsyncClient,
    url: str,
    policy: FetchPolicy,
    resolve: Family,
    user_agent: str,
    deadline: float,
) -> Outcome:
    """`redirects` (to https://), `not_redirected` (a page served over plain HTTP: a finding),
    `not_served` (nothing on plain HTTP, or an error status), or `unverifiable`."""
    host = (urlsplit(url).hostname or "").lower()
    try:
        async with asyncio.timeout(deadline):
            address = await checked_address(host, policy.for_host(host), resolve)
            response, _body = await one_hop(client, url, address, user_agent)
    except TimeoutError:
        return Outcome("not_served", f"no answer within {deadline:g} s")
    except FetchError as exc:
        if exc.fault in LOCAL_FAULTS:
            return Outcome("unverifiable", exc.detail)
        return Outcome("not_served", exc.detail)
    location = urljoin(url, (response.headers.get("Location") or "").strip())
    if response.status_code in REDIRECTS:
        if urlsplit(location).scheme == "https":
            return Outcome("redirects", location)
        return Outcome("not_redirected", f"HTTP {response.status_code} -> {location}")
    if response.status_code < 300:
        return Outcome("not_redirected", f"HTTP {response.status_code}")
    return Outcome("not_served", f"HTTP {response.status_code}")


# --- IPv6 -------------------------------------------------------------------------------------


async def family_addresses(host: str, family: socket.AddressFamily) -> list[str]:
    """The host's addresses of one family from the system resolver ([] for "none")."""
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, None, family=family, proto=socket.IPPROTO_TCP), DNS_TIMEOUT
        )
    except socket.gaierror as exc:
        if exc.errno in NO_ANSWER:
            return []
        raise Unverifiable(f"DNS: {host}: {exc}") from None
    except (OSError, UnicodeError, TimeoutError) as exc:
        raise Unverifiable(f"DNS: {host}: {exc or 'timeout'}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos if info[0] == family))


def ipv6_resolver(overrides: dict[str, list[str]]) -> Family:
    """AAAA addresses of a host: the config's override, an IPv6 literal itself, else DNS.

    No AAAA is only believed when the same name has an IPv4 address (DNS works and the name
    exists); otherwise, and for an IPv4 literal without an override, it is 无法验证.
    """

    async def resolve(host: str) -> list[str]:
        host = host.lower().rstrip(".").strip("[]")
        if host in overrides:
            return list(overrides[host])
        if is_ip_literal(host):
            if ipaddress.ip_address(host).version == 6:
                return [host]
            raise Unverifiable(f"{host}: an IPv4 address has no AAAA record to look up")
        found = await family_addresses(host, socket.AF_INET6)
        if not found and not await family_addresses(host, socket.AF_INET):
            raise Unverifiable(f"DNS: {host}: no address at all")
        return found

    return resolve


async def ipv4_resolve(host: str) -> list[str]:
    """A addresses only (the IPv4 side of the comparison)."""
    return await family_addresses(host, socket.AF_INET)


def has_route(address: str) -> bool:
    """Whether this machine can send to an IPv6 address (a UDP connect sends nothing)."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
            probe.connect((address, 9))
    except OSError as exc:
        # No route, or no IPv6 at all; anything else: let the connection itself tell.
        unroutable = (
            errno.ENETUNREACH,
            errno.EHOSTUNREACH,
            errno.EADDRNOTAVAIL,
            errno.EAFNOSUPPORT,
        )
        return exc.errno not in unroutable
    return True


async def fetch_over(
    client: httpx.AsyncClient,
    url: str,
    policy: FetchPolicy,
    resolve: Family,
    user_agent: str,
    route: Callable[[str], bool] = has_route,
) -> tuple[int, bytes, str]:
    """GET a page through one address family, following redirects (each hop resolved in that
    family and checked against the policy): status, body, the address of the last hop.

    Raises Unverifiable (no route here, DNS failed) or FetchError (the site failed).
    """
    for _hop in range(MAX_REDIRECTS + 1):
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        addresses = await resolve(host)
        if not addresses:
            raise FetchError(Fault.DNS, f"{host}: no address of this family")
        address = await checked_address(addresses[0], policy.for_host(host), _literal)
        if ":" in address and not route(address):
            raise Unverifiable(f"no IPv6 route to {address} from this host")
        try:
            response, body = await one_hop(client, url, address, user_agent)
        except FetchError as exc:
            if exc.fault in LOCAL_FAULTS:
                raise Unverifiable(exc.detail) from None
            raise
        location = response.headers.get("Location")
        if response.status_code not in REDIRECTS or not location:
            return response.status_code, body, address
        url = urljoin(url, location.strip())
    raise FetchError(Fault.REDIRECT_LOOP, f"{url}: more than {MAX_REDIRECTS} redirects")


async def _literal(host: str) -> list[str]:
    """checked_address is handed literals only; it never needs to resolve."""
    return [host]


def page_text(body: bytes) -> str:
    """The visible text of a page, whitespace collapsed (what the comparison reads)."""
    text = TAG.sub(" ", body[: TEXT_CHARS * 4].decode("utf-8", "replace"))
    return " ".join(text.split())[:TEXT_CHARS]


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' character 5-grams (1.0 for equal texts)."""
    if a == b:
        return 1.0
    grams_a = {a[i : i + 5] for i in range(max(1, len(a) - 4))}
    grams_b = {b[i : i + 5] for i in range(max(1, len(b) - 4))}
    return len(grams_a & grams_b) / max(1, len(grams_a | grams_b))


@dataclass(frozen=True)
class Ipv6Check:
    """What the IPv6 check needs besides the site: the clients' shared settings."""

    client: httpx.AsyncClient
    policy: FetchPolicy
    resolve6: Family
    user_agent: str
    deadline: float
    same_page: float = defaults.SAME_PAGE_SIMILARITY
    route: Callable[[str], bool] = has_route  # whether this host can reach an IPv6 address


async def check_ipv6_home(check: Ipv6Check, url: str) -> Outcome:
    """`ok` (value: the IPv6 address), `no_aaaa`, `unreachable`, `differs` or `unverifiable`."""
    host = (urlsplit(url).hostname or "").lower()
    try:
        async with asyncio.timeout(check.deadline):
            addresses = await check.resolve6(host)
            if not addresses:
                return Outcome("no_aaaa", host)
            status6, body6, address = await fetch_over(
                check.client, url, check.policy, check.resolve6, check.user_agent, check.route
            )
    except Unverifiable as exc:
        return Outcome("unverifiable", str(exc))
    except TimeoutError:
        return Outcome("unreachable", f"no answer over IPv6 within {check.deadline:g} s")
    except FetchError as exc:
        return Outcome("unreachable", exc.detail)
    if status6 >= 400:
        return Outcome("unreachable", f"HTTP {status6} over IPv6", address)
    return await compare_with_ipv4(check, url, body6, address)


async def compare_with_ipv4(check: Ipv6Check, url: str, body6: bytes, address: str) -> Outcome:
    """The IPv6 page against the IPv4 one; when IPv4 fails there is nothing to compare."""
    resolve4 = _ipv4_or_literal
    try:
        async with asyncio.timeout(check.deadline):
            status4, body4, _ = await fetch_over(
                check.client, url, check.policy, resolve4, check.user_agent
            )
    except (Unverifiable, FetchError, TimeoutError) as exc:
        return Outcome("ok", f"IPv4 page not compared: {exc or 'timeout'}", address)
    if status4 >= 400:
        return Outcome("ok", f"IPv4 page not compared: HTTP {status4}", address)
    alike = similarity(page_text(body4), page_text(body6))
    if alike < check.same_page:
        return Outcome("differs", f"{alike:.0%} alike", address)
    return Outcome("ok", f"{alike:.0%} alike", address)


async def _ipv4_or_literal(host: str) -> list[str]:
    """IPv4 addresses of a host (an IPv4 literal is its own)."""
    if is_ip_literal(host):
        return [host] if ipaddress.ip_address(host.strip("[]")).version == 4 else []
    try:
        return await ipv4_resolve(host)
    except Unverifiable:
        return []


async def check_inner_links(check: Ipv6Check, urls: list[str]) -> list[InnerLink]:
    """Each inner page fetched over IPv6 (status < 400 is `ok`), one after another."""
    out = []
    for url in urls:
        try:
            async with asyncio.timeout(check.deadline):
                status, _body, _ = await fetch_over(
                    check.client, url, check.policy, check.resolve6, check.user_agent, check.route
                )
        except Unverifiable as exc:
            out.append(InnerLink(url, "unverifiable", str(exc)))
            continue
        except TimeoutError:
            out.append(InnerLink(url, "failed", f"no answer within {check.deadline:g} s"))
            continue
        except FetchError as exc:
            out.append(InnerLink(url, "failed", exc.detail))
            continue
        state = "ok" if status < 400 else "failed"
        out.append(InnerLink(url, state, f"HTTP {status}"))
    return out
