"""HTTPS and IPv6 checks against real servers on loopback, with a CA made in the test."""

from __future__ import annotations

import errno
import http.server
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crawler.content.transport import (
    https_problems,
    ipv6_failure,
    ipv6_problems,
    page_digest,
)

HOST = "127.0.0.1"
TODAY = datetime.now(UTC).date()
BODY = "<html><body>首页</body></html>".encode()


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_ca() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("sitewatch test CA"))
        .issuer_name(_name("sitewatch test CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=400))
        .not_valid_after(now + timedelta(days=400))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def server_cert(
    ca: tuple[ec.EllipticCurvePrivateKey, x509.Certificate], folder: Path, name: str, *, days: int
) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 valid until `days` from now (negative: already expired)."""
    ca_key, ca_cert = ca
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(HOST))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=300))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Page(http.server.BaseHTTPRequestHandler):
    body = BODY
    redirect: str | None = None

    def do_GET(self) -> None:
        if self.redirect:
            self.send_response(301)
            self.send_header("Location", self.redirect)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        return


@contextmanager
def serve(
    host: str = HOST,
    *,
    tls: tuple[Path, Path] | None = None,
    body: bytes = BODY,
    redirect: str | None = None,
) -> Iterator[int]:
    """An HTTP(S) server on a free loopback port, stopped at the end."""
    handler = type("Handler", (Page,), {"body": body, "redirect": redirect})
    server_class = http.server.HTTPServer
    if ":" in host:
        server_class = type("V6", (http.server.HTTPServer,), {"address_family": socket.AF_INET6})
    server = server_class((host, 0), handler)
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


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("pki")
    ca = make_ca()
    ca_file = folder / "ca.pem"
    ca_file.write_bytes(ca[1].public_bytes(serialization.Encoding.PEM))
    other_ca = make_ca()
    return {
        "ca_file": str(ca_file),
        "valid": server_cert(ca, folder, "valid", days=200),
        "soon": server_cert(ca, folder, "soon", days=10),
        "expired": server_cert(ca, folder, "expired", days=-5),
        "stranger": server_cert(other_ca, folder, "stranger", days=200),
    }


def check(pki: dict[str, object], cert: str, http_port: int | None = None) -> list:
    with serve(tls=pki[cert]) as port:  # type: ignore[arg-type]
        return https_problems(
            HOST, https_port=port, http_port=http_port, cafile=pki["ca_file"], today=TODAY
        )  # type: ignore[arg-type]


def test_valid_certificate_and_redirecting_http(pki: dict[str, object]) -> None:
    with serve(redirect=f"https://{HOST}/") as http_port:
        assert check(pki, "valid", http_port) == []


def test_http_page_that_does_not_redirect(pki: dict[str, object]) -> None:
    with serve() as http_port:
        found = check(pki, "valid", http_port)
    assert found == [("http_no_redirect", f"http://{HOST}:{http_port}/", "")]


def test_expiring_expired_and_untrusted_certificates(pki: dict[str, object]) -> None:
    (soon,) = check(pki, "soon")
    assert soon[0] == "cert_expiring" and 9 <= int(soon[1]) <= 10
    assert [p[0] for p in check(pki, "expired")] == ["cert_expired"]
    assert [p[0] for p in check(pki, "stranger")] == ["cert_invalid"]


def test_no_https_service(pki: dict[str, object]) -> None:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        free = probe.getsockname()[1]
    found = https_problems(HOST, https_port=free, http_port=None, today=TODAY, timeout=2)
    assert [p[0] for p in found] == ["https_missing"]


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not ipv6_loopback(), reason="no ::1 on this machine")
def test_ipv6_same_content_differs_and_missing() -> None:
    with serve("::1") as port:
        assert ipv6_problems("::1", port, "/", page_digest(BODY)) == []
        found = ipv6_problems("::1", port, "/", page_digest(b"other"))
        assert found == [("ipv6_differs", "::1", "")]
    assert ipv6_problems(HOST, 80, "/", None) == [("ipv6_missing", HOST, "")]


def test_no_ipv6_route_is_unverifiable_not_a_failure() -> None:
    assert ipv6_failure("2001:db8::1", OSError(errno.ENETUNREACH, "unreachable")) is None
    refused = ipv6_failure("::1", ConnectionRefusedError(errno.ECONNREFUSED, "refused"))
    assert refused == [("ipv6_unreachable", "::1", "ConnectionRefusedError")]
