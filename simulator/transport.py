"""HTTPS and IPv6 of the simulated group: which sites, which certificates, the listeners, the truth.

The crawl reads every simulated site over plain HTTP on `port` (8800); that is the simulator's
back door, so the crawl needs no TLS. The sites' public face for the transport checks is:

- HTTPS on `port + 443` of each site's address, with a certificate for that address signed by
  a CA made at run time (`ca.pem`, to be trusted with `transport.ca_file` — the checks verify,
  they never switch verification off);
- a plain-HTTP entrance on `port + 80` that redirects to the HTTPS home page;
- IPv6: one listener on `::1`, port `port`, answering for a site by its Host header (the
  checks connect to `::1` with `Host: 127.0.0.x:8800`). The simulated DNS is the `resolve:`
  map written to `transport.yaml` — `::1` for each site with IPv6, `[]` (no AAAA) otherwise.

Cases (by position, so renaming a site keeps them): site 7 is HTTP-only (no HTTPS service, its
HTTP entrance serves the page), site 8 has an expired certificate, site 5 has no IPv6. Every
other site is right. The truth (`transport` in the world's truth) lists them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from simulator.app import Reply, SimulatorApp
from simulator.model import Site

if TYPE_CHECKING:
    from simulator.world import World

HTTPS_OFFSET = 443  # HTTPS port = site port + this (8800 -> 9243)
HTTP_OFFSET = 80  # plain-HTTP entrance port = site port + this (8800 -> 8880)
IPV6_ADDRESS = "::1"
CASE_SITES = {"http_only": 7, "expired_certificate": 8, "no_ipv6": 5}  # 1-based positions
CERT_DAYS = 825  # a right certificate's lifetime from now (real time: OpenSSL checks real time)


def transport_cases(sites: list[Site]) -> dict[str, str]:
    """site id -> its case (`http_only`, `expired_certificate`, `no_ipv6`); others are right."""
    return {
        sites[position - 1].site_id: case
        for case, position in CASE_SITES.items()
        if position <= len(sites)
    }


def transport_truth(sites: list[Site]) -> dict[str, Any]:
    """The truth of the transport cases: the sites of each, and the simulated IPv6 address."""
    cases = transport_cases(sites)
    truth: dict[str, Any] = {case: [] for case in CASE_SITES}
    for site_id, case in cases.items():
        truth[case].append(site_id)
    truth["ipv6_address"] = IPV6_ADDRESS
    truth["https_port_offset"] = HTTPS_OFFSET
    truth["http_port_offset"] = HTTP_OFFSET
    return truth


# --- certificates ---------------------------------------------------------------------------


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass(frozen=True)
class Authority:
    """A CA made at run time."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @classmethod
    def make(cls, now: datetime) -> Authority:
        """A fresh self-signed CA, valid from yesterday for ten years."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name("sitewatch simulator CA"))
            .issuer_name(_name("sitewatch simulator CA"))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        return cls(key, cert)

    def issue(self, address: str, start: datetime, end: datetime) -> tuple[bytes, bytes]:
        """A server certificate (PEM) and key for an IP address, valid from start to end."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(address))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(address))]),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.PEM), _pem_key(key)


# --- the plan and its listeners -------------------------------------------------------------


@dataclass
class TransportPlan:
    """Where the transport face of a world listens, with its certificates on disk."""

    world: World
    folder: Path
    https_port: int
    http_port: int
    cases: dict[str, str]
    contexts: dict[str, ssl.SSLContext] = field(default_factory=dict)

    @property
    def ca_file(self) -> Path:
        """The CA certificate the checks must trust."""
        return self.folder / "ca.pem"

    def ipv6_sites(self) -> list[Site]:
        """Sites with an IPv6 address (an AAAA record in the simulated DNS)."""
        return [s for s in self.world.sites if self.cases.get(s.site_id) != "no_ipv6"]

    def config_block(self) -> dict[str, Any]:
        """The `transport:` block of a sitewatch config for this world."""
        with_ipv6 = {s.site_id for s in self.ipv6_sites()}
        return {
            "https_port": self.https_port,
            "http_port": self.http_port,
            "ca_file": str(self.ca_file),
            "resolve": {
                s.host: [IPV6_ADDRESS] if s.site_id in with_ipv6 else [] for s in self.world.sites
            },
        }

    def write_config(self) -> Path:
        """Write `transport.yaml` (the config block) next to the CA; its path."""
        path = self.folder / "transport.yaml"
        path.write_text(yaml.safe_dump({"transport": self.config_block()}), encoding="utf-8")
        return path

    async def listen(self, app: SimulatorApp) -> list[asyncio.Server]:
        """Open the HTTPS, plain-HTTP entrance and IPv6 listeners."""
        loop = asyncio.get_running_loop()
        servers = []
        redirect = cast(SimulatorApp, RedirectToHttps(app, self.https_port))
        for site in self.world.sites:
            case = self.cases.get(site.site_id)
            entrance = app if case == "http_only" else redirect
            servers.append(await _server(loop, _bound(entrance, site), site.host, self.http_port))
            if case != "http_only":
                factory = _bound(app, site)
                context = self.contexts[site.site_id]
                servers.append(
                    await _server(loop, factory, site.host, self.https_port, context=context)
                )
        by_host = cast(SimulatorApp, ByHostHeader(app, self.ipv6_sites()))
        placeholder = self.world.sites[0]
        servers.append(
            await _server(loop, _bound(by_host, placeholder), IPV6_ADDRESS, self.world.port)
        )
        return servers


def plan_transport(world: World, folder: Path, now: datetime | None = None) -> TransportPlan:
    """Certificates for every site with HTTPS (the expired one already expired), the CA file,
    and the ports, derived from the world's port."""
    now = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    authority = Authority.make(now)
    (folder / "ca.pem").write_bytes(authority.cert.public_bytes(serialization.Encoding.PEM))
    plan = TransportPlan(
        world,
        folder,
        world.port + HTTPS_OFFSET,
        world.port + HTTP_OFFSET,
        transport_cases(world.sites),
    )
    for site in world.sites:
        case = plan.cases.get(site.site_id)
        if case == "http_only":
            continue
        if case == "expired_certificate":
            start, end = now - timedelta(days=400), now - timedelta(days=10)
        else:
            start, end = now - timedelta(days=1), now + timedelta(days=CERT_DAYS)
        cert, key = authority.issue(site.host, start, end)
        cert_path, key_path = folder / f"{site.site_id}.pem", folder / f"{site.site_id}.key"
        cert_path.write_bytes(cert)
        key_path.write_bytes(key)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        plan.contexts[site.site_id] = context
    return plan


class RedirectToHttps:
    """The plain-HTTP entrance of a site with HTTPS: every path 301 to its HTTPS twin."""

    def __init__(self, app: SimulatorApp, https_port: int) -> None:
        self.app = app
        self.https_port = https_port

    def handle(self, site: Site, method: str, target: str, headers: dict[str, str]) -> Reply:
        """301 to https://<site address>:<https port><target>."""
        location = f"https://{site.host}:{self.https_port}{target}"
        body = f'<a href="{location}">{location}</a>\n'.encode()
        return Reply(301, [("Location", location), ("Content-Type", "text/html")], body)


class ByHostHeader:
    """The `::1` listener: the site named by the Host header, when it has IPv6."""

    def __init__(self, app: SimulatorApp, sites: list[Site]) -> None:
        self.app = app
        self.sites = {site.host: site for site in sites}

    def handle(self, _site: Site, method: str, target: str, headers: dict[str, str]) -> Reply:
        """Answer as the named site; 421 for a name this address does not serve."""
        host = headers.get("host", "").rsplit(":", 1)[0].strip("[]")
        site = self.sites.get(host)
        if site is None:
            return Reply(421, [("Content-Type", "text/plain")], b"not served over IPv6\n")
        return self.app.handle(site, method, target, headers)


def _bound(app: SimulatorApp, site: Site) -> Callable[[], asyncio.Protocol]:
    """A protocol factory of the simulator's HTTP server for one site and app."""
    from simulator.server import _Connection

    return lambda: _Connection(app, site)


async def _server(
    loop: asyncio.AbstractEventLoop,
    factory: Callable[[], asyncio.Protocol],
    host: str,
    port: int,
    context: ssl.SSLContext | None = None,
) -> asyncio.Server:
    """One listener, like the simulator's own."""
    return await loop.create_server(
        factory, host=host, port=port, ssl=context, reuse_address=True, backlog=1024
    )
