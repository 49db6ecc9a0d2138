"""Pure checks that keep the crawler on its sites, off the intranet and out of traps."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from crawler.config.checks import host_in_domains

if TYPE_CHECKING:
    from crawler.config import SiteConfig

MAX_URL_LENGTH = 512
MAX_QUERY_PARAMS = 6
MAX_PATH_DEPTH = 12
MAX_SEGMENT_REPEATS = 2
CALENDAR_PARAM = re.compile(
    r"^(date|day|month|year|ym|ymd|cal|calendar|time|y|m|d|yy|mm|dd|yyyy|week)$", re.IGNORECASE
)
# Calendars need two date parts (year and month, month and day) to be a calendar.
MIN_CALENDAR_PARAMS = 2
SESSION_PARAM = re.compile(r"^(sid|sessionid|session_id|jsessionid|phpsessid|token)$", re.I)
CALENDAR_PATH = re.compile(r"/(19|20)\d{2}[-/]\d{1,2}[-/]\d{1,2}/.*(19|20)\d{2}[-/]\d{1,2}")


def trap_reason(url: str) -> str | None:
    """Why a URL looks like a crawler trap, or None when it looks like an ordinary page."""
    if len(url) > MAX_URL_LENGTH:
        return "url too long"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_DEPTH:
        return "path too deep"
    repeats = Counter(segments)
    if repeats and max(repeats.values()) > MAX_SEGMENT_REPEATS:
        return "repeating path segments"
    params = parse_qsl(parts.query, keep_blank_values=True)
    if len(params) > MAX_QUERY_PARAMS:
        return "too many query parameters"
    names = [name for name, _ in params]
    if any(SESSION_PARAM.match(name) for name in names) or ";jsessionid=" in parts.path.lower():
        return "session id in url"
    if sum(1 for name in names if CALENDAR_PARAM.match(name)) >= MIN_CALENDAR_PARAMS:
        return "calendar parameters"
    if CALENDAR_PATH.search(parts.path):
        return "calendar path"
    return None


# -- addresses ---------------------------------------------------------------------------------

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class NetworkPolicy:
    """Which non-public addresses a site's own hosts may resolve to.

    Public (global) addresses are always allowed. Link-local ones (169.254.0.0/16, fe80::/10:
    the cloud metadata service) never are, whatever the config says.
    """

    any_private: bool = False
    networks: tuple[IPNetwork, ...] = ()

    def allows(self, address: str) -> bool:
        """True when a connection to this address is acceptable under the policy."""
        try:
            ip: IPAddress = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # ::ffff:169.254.169.254 is 169.254.169.254
        if ip.is_link_local or ip.is_multicast:
            return False
        if ip.is_global:
            return True
        return self.any_private or any(ip in net for net in self.networks)


PUBLIC_ONLY = NetworkPolicy()
ANY_PRIVATE = NetworkPolicy(any_private=True)


def site_policy(site: SiteConfig) -> NetworkPolicy:
    """The private networks a site's own hosts may use (its setting, or the group's)."""
    networks = tuple(ipaddress.ip_network(n, strict=False) for n in site.allowed_networks)
    return NetworkPolicy(bool(site.allow_private_addresses), networks)


def host_policy(host: str, site: SiteConfig | None) -> NetworkPolicy:
    """The policy for one host: the site's own only inside its domains, else public only.

    A site allowed onto the intranet never extends that to link checks or redirects that
    leave its domains.
    """
    if site is not None and host_in_domains(host, site.allowed_domains):
        return site_policy(site)
    return PUBLIC_ONLY


def refused_address(addresses: list[str], policy: NetworkPolicy) -> str | None:
    """The first address the policy refuses, or None when all are acceptable."""
    return next((a for a in addresses if not policy.allows(a)), None)
