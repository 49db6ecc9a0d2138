"""HTTPS and IPv6 checks through the guarded path, against real servers on 127.0.0.1 and ::1
with a CA made in the test; 无法验证 (unverifiable) whenever the monitoring host cannot tell."""

from __future__ import annotations

import asyncio
import http.server
import socket
import ssl
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from crawler.guards import ANY_PRIVATE
from crawler.http import FetchPolicy, system_resolve
from crawler.transport import (
    Ipv6Check,
    Outcome,
    Unverifiable,
    check_http_redirect,
    check_https,
    check_inner_links,
    check_ipv6_home,
    has_route,
    ipv6_resolver,
)
from crawler.transport_run import new_tls_client
from simulator.transport import Authority

HOST = "127.0.0.1"
PAGE = (
    "<html><head><title>首页</title></head><body>陕西省质量技术监督局 首页 新闻 公告</body></html>"
)
OTHER_PAGE = "<html><body>维护中，请稍后访问。This server is not the site.</body></html>"
POLICY = FetchPolicy(ANY_PRIVATE, (HOST, "::1"))
NOW = datetime.now(UTC)


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


needs_ipv6 = pytest.mark.skipif(not ipv6_loopback(), reason="no ::1 on this machine")


def handler(body: str, location: str | None) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if location:
                self.send_response(301)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            return

    return Handler


@contextmanager
def serve(
    host: str = HOST,
    port: int = 0,
    *,
    body: str = PAGE,
    location: str | None = None,
    tls: tuple[Path, Path] | None = None,
) -> Iterator[int]:
    """A threaded HTTP(S) server on loopback; yields its port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_class = type("S", (http.server.ThreadingHTTPServer,), {"address_family": family})
    server = server_class((host, port), handler(body, location))
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def free_port(host: str = HOST) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("pki")
    ca, stranger = Authority.make(NOW), Authority.make(NOW)
    (folder / "ca.pem").write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))

    def issued(authority: Authority, name: str, start: int, end: int) -> tuple[Path, Path]:
        cert, key = authority.issue(HOST, NOW + timedelta(days=start), NOW + timedelta(days=end))
        (folder / f"{name}.pem").write_bytes(cert)
        (folder / f"{name}.key").write_bytes(key)
        return folder / f"{name}.pem", folder / f"{name}.key"

    return {
        "ca_file": str(folder / "ca.pem"),
        "valid": issued(ca, "valid", -1, 200),
        "expired": issued(ca, "expired", -300, -3),
        "stranger": issued(stranger, "stranger", -1, 200),
    }


def run(ca_file: str | None, make: Callable[[Any], Awaitable[Outcome]]) -> Outcome:
    async def main() -> Outcome:
        async with new_tls_client(ca_file, 4) as client:
            return await make(client)

    return asyncio.run(main())


def https_state(pki: dict[str, Any], cert: str, *, trust: bool = True) -> Outcome:
    with serve(tls=pki[cert]) as port:
        url = f"https://{HOST}:{port}/"
        ca_file = pki["ca_file"] if trust else None
        return run(
            ca_file, lambda c: check_https(c, url, POLICY, system_resolve, "sitewatch-test", 5)
        )


def test_https_verified_with_the_configured_ca_and_its_expiry_kept(pki: dict[str, Any]) -> None:
    outcome = https_state(pki, "valid")
    assert outcome.state == "ok"
    assert outcome.value is not None
    expires = datetime.fromisoformat(outcome.value)
    assert abs((expires - (NOW + timedelta(days=200))).total_seconds()) < 5


def test_without_the_ca_the_certificate_is_invalid_never_unverified(pki: dict[str, Any]) -> None:
    assert https_state(pki, "valid", trust=False).state == "invalid"


def test_expired_and_untrusted_certificates(pki: dict[str, Any]) -> None:
    assert https_state(pki, "expired").state == "expired"
    assert https_state(pki, "stranger").state == "invalid"


def test_no_https_service_is_missing() -> None:
    url = f"https://{HOST}:{free_port()}/"
    outcome = run(None, lambda c: check_https(c, url, POLICY, system_resolve, "t", 5))
    assert outcome.state == "missing"


def test_policy_refusal_is_unverifiable_not_a_failure(pki: dict[str, Any]) -> None:
    with serve(tls=pki["valid"]) as port:
        url = f"https://{HOST}:{port}/"
        public_only = FetchPolicy()
        outcome = run(None, lambda c: check_https(c, url, public_only, system_resolve, "t", 5))
    assert outcome.state == "unverifiable"


def redirect_state(**server: Any) -> Outcome:
    with serve(**server) as port:
        url = f"http://{HOST}:{port}/"
        return run(None, lambda c: check_http_redirect(c, url, POLICY, system_resolve, "t", 5))


def test_http_entrance_redirects_or_not() -> None:
    assert redirect_state(location="https://www.example.gov.cn/").state == "redirects"
    assert redirect_state().state == "not_redirected"
    assert redirect_state(location="http://www.example.gov.cn/").state == "not_redirected"
    url = f"http://{HOST}:{free_port()}/"
    closed = run(None, lambda c: check_http_redirect(c, url, POLICY, system_resolve, "t", 5))
    assert closed.state == "not_served"


def ipv6_state(
    overrides: dict[str, list[str]],
    *,
    body6: str = PAGE,
    route: Callable[[str], bool] = has_route,
    serve6: bool = True,
) -> Outcome:
    """The home page of http://127.0.0.1:P/ with ::1:P serving body6 (when serve6)."""
    for _attempt in range(5):
        with serve(HOST) as port:
            try:
                context = serve("::1", port, body=body6) if serve6 else None
                if context is not None:
                    context.__enter__()
            except OSError:
                continue  # the port is taken on ::1: another pair
            try:
                return run(None, lambda c: check_ipv6_home(check(c, overrides, route), home(port)))
            finally:
                if context is not None:
                    context.__exit__(None, None, None)
    raise RuntimeError("no port free on both 127.0.0.1 and ::1")


def home(port: int) -> str:
    return f"http://{HOST}:{port}/"


def check(
    client: Any, overrides: dict[str, list[str]], route: Callable[[str], bool] = has_route
) -> Ipv6Check:
    return Ipv6Check(client, POLICY, ipv6_resolver(overrides), "t", 5, route=route)


@needs_ipv6
def test_ipv6_home_alike_differs_and_without_aaaa() -> None:
    assert ipv6_state({HOST: ["::1"]}).state == "ok"
    assert ipv6_state({HOST: ["::1"]}, body6=OTHER_PAGE).state == "differs"
    assert ipv6_state({HOST: []}).state == "no_aaaa"
    assert ipv6_state({HOST: ["::1"]}, serve6=False).state == "unreachable"


def test_ipv4_literal_without_override_is_unverifiable() -> None:
    outcome = ipv6_state({}, serve6=False)
    assert outcome.state == "unverifiable"
    assert "IPv4" in outcome.detail


def test_no_ipv6_route_here_is_unverifiable_never_a_failure() -> None:
    outcome = ipv6_state({HOST: ["2001:db8::5"]}, serve6=False, route=lambda _address: False)
    assert outcome.state == "unverifiable"
    assert "route" in outcome.detail


def test_dns_failure_is_unverifiable() -> None:
    async def failing(host: str) -> list[str]:
        raise Unverifiable(f"DNS: {host}: temporary failure")

    async def main() -> Outcome:
        async with new_tls_client(None, 2) as client:
            ipv6 = Ipv6Check(client, POLICY, failing, "t", 5)
            return await check_ipv6_home(ipv6, "http://www.example.gov.cn/")

    assert asyncio.run(main()).state == "unverifiable"


def test_routes_of_this_machine() -> None:
    assert has_route("::1") is ipv6_loopback()


@needs_ipv6
def test_inner_pages_over_ipv6_counted_per_page() -> None:
    with serve("::1") as port:
        good = f"http://{HOST}:{port}/a.html"
        elsewhere = f"http://127.0.0.9:{port}/b.html"  # its host has no AAAA

        async def main() -> list[Any]:
            async with new_tls_client(None, 2) as client:
                ipv6 = check(client, {HOST: ["::1"], "127.0.0.9": []})
                return await check_inner_links(ipv6, [good, elsewhere])

        links = asyncio.run(main())
    assert [(link.url, link.state) for link in links] == [(good, "ok"), (elsewhere, "failed")]


def test_resolve_override_takes_ipv6_addresses_only() -> None:
    from pydantic import ValidationError

    from crawler.transport_config import TransportConfig

    config = TransportConfig.model_validate({"resolve": {"WWW.Example.gov.cn.": ["2001:DB8::1"]}})
    assert config.resolve == {"www.example.gov.cn": ["2001:db8::1"]}
    for wrong in (["10.0.0.1"], ["fe80::1"], ["not-an-address"]):
        with pytest.raises(ValidationError):
            TransportConfig.model_validate({"resolve": {"www.example.gov.cn": wrong}})
    with pytest.raises(ValidationError):
        TransportConfig.model_validate({"verify": False})  # there is no switch to turn it off
