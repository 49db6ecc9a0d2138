"""Hostile routes for the security tests, served by tests/sw_servers.py: redirects, a dripping
body, and an injected DNS for crawls in a subprocess."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import yaml
from sw_servers import Answer, Route, html, serve

__all__ = ["drip", "fake_lookup", "page", "redirect", "serve", "write_config"]


def page(body: str, *, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    """An HTML answer (UTF-8)."""
    return html(body, status=status, headers=headers)


def redirect(location: str, status: int = 302) -> Route:
    """A route that redirects."""
    return lambda _h: page("", status=status, headers={"Location": location})


def drip(seconds: float, size: int = 100_000) -> Route:
    """Headers with a large Content-Length at once, then one byte per second-ish."""

    def route(handler: BaseHTTPRequestHandler) -> Answer:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(1.0)
        except OSError:
            pass  # the client gave up: the point of the test
        handler.close_connection = True
        return None

    return route


def write_config(path: Path, sites: list[dict[str, Any]], **sections: Any) -> Path:
    """A group config of these sites; `group` and other sections may be given."""
    config: dict[str, Any] = {
        "group": {"name": "安全测试网站群", "allow_private_addresses": False},
        "defaults": {"delay": 0, "concurrency": 4, "timeout": 5},
        **sections,
        "sites": sites,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- an injected DNS for crawls in a subprocess (SITEWATCH_DNS_LOOKUP) -----------------------
# No test may send a DNS query off the machine: every name a hostile crawl meets is answered
# here. `rebind.test` answers 127.0.0.125 once and 127.0.0.126 ever after (DNS rebinding);
# `slowNN.example.gov.cn` take 2 s and do not resolve (a slow resolver, then a DNS failure).
REBIND_FIRST, REBIND_LATER = "127.0.0.125", "127.0.0.126"
_rebind_answers = [REBIND_FIRST]
LOOKUPS: list[str] = []


def fake_lookup(host: str) -> list[str]:
    """The injected resolver of the hostile crawl."""
    LOOKUPS.append(host)
    if host == "rebind.test":
        return [_rebind_answers.pop()] if _rebind_answers else [REBIND_LATER]
    if host.startswith("slow") and host.endswith(".example.gov.cn"):
        time.sleep(2.0)
        return []
    return []
