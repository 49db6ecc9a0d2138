"""Pure checks and helpers for config values: URLs, domains, slugs, selectors, addresses."""

from __future__ import annotations

import hashlib
import ipaddress
import re
from urllib.parse import urlsplit

from crawler.selectors import to_xpath

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# A host name or IP literal; unicode labels allowed because some .政务 domains use them.
DOMAIN_RE = re.compile(r"^[^\s/:@?#\[\].]+(\.[^\s/:@?#\[\].]+)*$")
WHITESPACE_RE = re.compile(r"\s")
SLUG_JUNK_RE = re.compile(r"[^a-z0-9]+")
# Index pages say nothing about which column they are; drop them from derived column ids.
INDEX_PAGE_RE = re.compile(r"/(index|default)\.[a-z]+$")
HTTP_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_SLUG = 63
URL_RULE = "must be an http(s) URL"
SLUG_RULE = "must be a slug: lowercase a-z, 0-9 and '-', starting with a letter or digit, max 63"
DOMAIN_RULE = "must be a bare domain like 'example.gov.cn' (no scheme, path or port)"


def url_host(url: str) -> str:
    """The lower-case host of a URL (empty when it has none)."""
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def is_ip_literal(host: str) -> bool:
    """True when host is an IPv4/IPv6 address rather than a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_in_domains(host: str, domains: list[str]) -> bool:
    """True when host equals an allowed domain or is a subdomain of one (IPs: exact only)."""
    host = host.lower().rstrip(".")
    if is_ip_literal(host):
        return host in domains
    return any(host == d or host.endswith("." + d) for d in domains)


def is_private_address(host: str) -> bool:
    """True for non-global IP literals (loopback, private, link-local…) and localhost; no DNS."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False


def is_link_local_literal(host: str) -> bool:
    """True for link-local IP literals (169.254.0.0/16, fe80::/10): metadata services live there."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_link_local
    except ValueError:
        return False


def normalize_url(url: str) -> str:
    """A comparable form of a URL: lower-case scheme and host, no default port, no fragment."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = url_host(url)
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{parts.path or '/'}{query}"


def slug_from_url(url: str) -> str:
    """A stable column id from a URL's path and query, e.g. /xxgk/tzgg/index.html -> xxgk-tzgg."""
    parts = urlsplit(url)
    path = INDEX_PAGE_RE.sub("/", parts.path.lower())
    raw = f"{path}?{parts.query.lower()}" if parts.query else path
    slug = SLUG_JUNK_RE.sub("-", raw).strip("-")
    if not raw.isascii() or len(slug) > MAX_SLUG:
        # Non-ASCII or long paths would collide once squeezed; a hash of the raw path keeps
        # the id unique and stable while the head stays readable.
        digest = hashlib.sha1(raw.encode()).hexdigest()[:8]
        head = slug[: MAX_SLUG - 9].strip("-")
        return f"{head}-{digest}" if head else f"c-{digest}"
    return slug or "home"


def check_http_url(value: str) -> str:
    """Return value when it is an absolute http(s) URL with a host; raise ValueError otherwise."""
    if not value or WHITESPACE_RE.search(value):
        raise ValueError(URL_RULE)
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        raise ValueError(URL_RULE) from None
    if parts.scheme.lower() not in HTTP_SCHEMES or not parts.hostname:
        raise ValueError(URL_RULE)
    return value


def check_slug(value: str) -> str:
    """Return value when it is a valid slug; raise ValueError otherwise."""
    if not SLUG_RE.match(value):
        raise ValueError(SLUG_RULE)
    return value


def clean_domain(value: str) -> str:
    """The lower-case form of a bare domain; ValueError when it is not one."""
    domain = value.strip().lower().rstrip(".")
    if not DOMAIN_RE.match(domain):
        raise ValueError(DOMAIN_RULE)
    return domain


def check_selector(value: str) -> str:
    """Return value when it is a valid CSS selector or XPath expression (as extraction reads
    it: `crawler.selectors.to_xpath`); raise ValueError otherwise."""
    to_xpath(value)
    return value


def outside_domains_message(url: str, domains: list[str]) -> str:
    """The message for a URL whose host is not among the site's allowed domains."""
    return f"host '{url_host(url)}' is not in allowed_domains ({', '.join(domains)})"
