"""The `transport:` block of a site-group config: how the HTTPS and IPv6 checks run.

```yaml
transport:
  enabled: true
  every_hours: 24          # hours between two checks of a site (run by the probe)
  https_port: 443          # where https://host/ is looked for when the home URL is http
  http_port: 80            # the plain-HTTP entrance that must redirect to HTTPS
  ca_file: config/intranet-ca.pem   # a CA bundle trusted besides the system's (never "no verify")
  inner_links: 20          # inner pages (columns, posts) tried over IPv6 per check
  resolve:                 # IPv6 addresses (AAAA) of hosts, for these checks only; [] = no AAAA
    www.example.gov.cn: ["2001:db8::10"]
```

`resolve:` is a hosts-file style override for networks whose DNS the monitoring host cannot
ask, and for the simulated group (its sites are IPv4 literals, which have no AAAA record). Hosts
not listed are looked up in DNS (AAAA), as in production.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator

from crawler import defaults

Port = Annotated[int, Strict(), Field(ge=1, le=65535)]


class TransportConfig(BaseModel):
    """HTTPS and IPv6 checks run by `sitewatch probe` (docs/transport-checks.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: Annotated[bool, Strict()] = True
    every_hours: Annotated[float, Strict(), Field(gt=0, le=24 * 31)] = defaults.TRANSPORT_EVERY_H
    https_port: Port = 443
    http_port: Port = 80
    ca_file: Annotated[str, Field(min_length=1)] | None = None
    inner_links: Annotated[int, Strict(), Field(ge=0, le=500)] = defaults.IPV6_INNER_LINKS
    resolve: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("resolve")
    @classmethod
    def _ipv6_only(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        """Host names lower-case; every address an IPv6 literal that is not link-local."""
        out: dict[str, list[str]] = {}
        for host, addresses in value.items():
            checked = []
            for address in addresses:
                try:
                    ip = ipaddress.ip_address(address)
                except ValueError:
                    raise ValueError(f"{host}: {address!r} is not an IP address") from None
                if ip.version != 6 or ip.is_link_local:
                    raise ValueError(f"{host}: {address} is not a usable IPv6 address")
                checked.append(str(ip))
            out[host.lower().rstrip(".")] = checked
        return out
