"""URL helpers shared by the spider, the guards and the store: identity, hosts, address classes."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url

SESSION_ID_PARAM = re.compile(r";jsessionid=[^?#]*", re.IGNORECASE)


def url_key(url: str) -> str:
    """A URL's identity for de-duplication: canonical form without fragment or session id."""
    cleaned = SESSION_ID_PARAM.sub("", url.strip())
    canonical = canonicalize_url(cleaned, keep_fragments=False)
    parts = urlsplit(canonical)
    host = (parts.hostname or "").lower()
    port = parts.port
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    """The lower-case host name of a URL ('' when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def host_allowed(host: str, allowed_domains: list[str]) -> bool:
    """True when the host is one of the domains or a sub-domain of one."""
    host = host.lower().rstrip(".")
    for domain in allowed_domains:
        domain = domain.lower().rstrip(".")
        if host == domain or host.endswith("." + domain):
            return True
    return False


def is_private_address(host: str) -> bool:
    """True when the host is a literal private, loopback, link-local or reserved IP address."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.lower() in ("localhost", "localhost.localdomain")
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
        or address.is_multicast
    )
