"""HTTPS and IPv6 of a site's home page: pure network checks with the standard library.

`https_problems` connects to the host's HTTPS port, verifies the certificate chain and name
(against the system's CAs, or `cafile`), and reports a missing HTTPS service, an invalid or
expired certificate, one expiring within `warn_days`, and a plain-HTTP home page that does not
redirect to HTTPS. `ipv6_problems` looks up the host's IPv6 addresses, fetches the home page
over IPv6 and compares it with the IPv4 page; when this machine has no IPv6 route the answer
is "unverifiable" (无法验证), never a failure. Only the site's own host is contacted.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, date, datetime

WARN_DAYS = 30  # a certificate expiring this soon is a warning
TIMEOUT_S = 10.0
UNREACHABLE = {101, 113}  # ENETUNREACH, EHOSTUNREACH: no IPv6 route here

Problem = tuple[str, str, str]  # check, term, suggestion


@dataclass(frozen=True)
class Fetched:
    """One GET of a page: status, Location header, body digest."""

    status: int
    location: str
    digest: str


def _get(conn: http.client.HTTPConnection, path: str, host_header: str) -> Fetched:
    try:
        conn.request("GET", path, headers={"Host": host_header, "User-Agent": "sitewatch"})
        response = conn.getresponse()
        body = response.read(2_000_000)
    finally:
        conn.close()
    return Fetched(response.status, response.getheader("Location") or "", _digest(body))


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def certificate_days_left(cert: dict, today: date) -> int:
    """Days from today to the certificate's notAfter."""
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), UTC)
    return (expires.date() - today).days


def https_problems(
    host: str,
    *,
    https_port: int = 443,
    http_port: int | None = 80,
    cafile: str | None = None,
    today: date,
    warn_days: int = WARN_DAYS,
    timeout: float = TIMEOUT_S,
) -> list[Problem]:
    """What is wrong with the site's HTTPS (empty: served with a valid, lasting certificate)."""
    context = ssl.create_default_context(cafile=cafile)
    problems: list[Problem] = []
    try:
        with (
            socket.create_connection((host, https_port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            cert = tls.getpeercert() or {}
    except ssl.SSLCertVerificationError as exc:
        check = "cert_expired" if "expired" in str(exc.verify_message) else "cert_invalid"
        return [(check, str(exc.verify_message), "")]
    except (OSError, ssl.SSLError) as exc:
        return [("https_missing", type(exc).__name__, "")]
    left = certificate_days_left(cert, today)
    if left <= warn_days:
        problems.append(("cert_expiring", f"{left}", str(cert.get("notAfter", ""))))
    if http_port is not None and not http_redirects_to_https(host, http_port, timeout):
        problems.append(("http_no_redirect", f"http://{host}:{http_port}/", ""))
    return problems


def http_redirects_to_https(host: str, port: int, timeout: float = TIMEOUT_S) -> bool:
    """Whether the plain-HTTP home page redirects to https:// (True when HTTP is not served)."""
    try:
        fetched = _get(http.client.HTTPConnection(host, port, timeout=timeout), "/", host)
    except OSError:
        return True  # nothing on HTTP: nobody lands on an unencrypted page
    return 300 <= fetched.status < 400 and fetched.location.lower().startswith("https://")


def ipv6_addresses(host: str) -> list[str]:
    """The host's IPv6 addresses (an IPv6 literal is its own; none for an IPv4 literal)."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        return [str(literal)] if literal.version == 6 else []
    try:
        infos = socket.getaddrinfo(host, None, socket.AF_INET6, socket.SOCK_STREAM)
    except OSError:
        return []
    return sorted({str(info[4][0]) for info in infos})


def ipv6_problems(
    host: str, port: int, path: str, ipv4_digest: str | None, timeout: float = TIMEOUT_S
) -> list[Problem] | None:
    """IPv6 problems of the home page; None when this machine cannot tell (no IPv6 route)."""
    addresses = ipv6_addresses(host)
    if not addresses:
        return [("ipv6_missing", host, "")]
    try:
        conn = http.client.HTTPConnection(addresses[0], port, timeout=timeout)
        fetched = _get(conn, path, host if ":" not in host else f"[{addresses[0]}]")
    except OSError as exc:
        return ipv6_failure(addresses[0], exc)
    if fetched.status >= 400:
        return [("ipv6_unreachable", addresses[0], f"HTTP {fetched.status}")]
    if ipv4_digest is not None and fetched.digest != ipv4_digest:
        return [("ipv6_differs", addresses[0], "")]
    return []


def ipv6_failure(address: str, exc: OSError) -> list[Problem] | None:
    """A failed IPv6 fetch: None (无法验证) when this machine has no IPv6 route, else a problem."""
    if exc.errno in UNREACHABLE:
        return None
    return [("ipv6_unreachable", address, type(exc).__name__)]


def page_digest(body: bytes) -> str:
    """The digest ipv6_problems compares with."""
    return _digest(body)
