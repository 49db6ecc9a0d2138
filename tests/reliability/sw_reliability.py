"""Pages and faulty routes for the reliability tests, served by tests/sw_servers.py."""

from __future__ import annotations

import socket
import struct
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import yaml
from sw_servers import Answer, Journal, Route, html, serve

__all__ = ["Journal", "detail_page", "html", "list_page", "reset_connection", "serve"]
__all__ += ["slow_drip", "write_config"]


def list_page(posts: list[tuple[str, str, str]], extra: str = "") -> str:
    """A column list page: (href, title, date) rows in a <ul>, and some extra markup."""
    rows = "".join(
        f'<li><a href="{href}">{title}</a><span>{day}</span></li>' for href, title, day in posts
    )
    return f"<html><body><ul class='list'>{rows}</ul>{extra}</body></html>"


def detail_page(title: str, day: str) -> str:
    """A detail page with its title and publication date."""
    return (
        f"<html><body><h1>{title}</h1><div class='info'>发布日期：{day}</div>"
        "<div class='content'><p>正文内容。</p></div></body></html>"
    )


def reset_connection(handler: BaseHTTPRequestHandler) -> Answer:
    """Close the socket with RST (SO_LINGER 0) before any answer: a connection reset."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()
    return None


def slow_drip(seconds: float, chunks: int = 40) -> Route:
    """Headers at once, then the body a few bytes at a time over `seconds`."""

    def route(handler: BaseHTTPRequestHandler) -> Answer:
        body = b"<html><body>" + b"x" * chunks + b"</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body[:12])
            for byte in body[12:]:
                time.sleep(seconds / chunks)
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
        except OSError:
            pass  # the client gave up: that is the point
        handler.close_connection = True
        return None

    return route


def write_config(path: Path, sites: list[dict[str, Any]], **defaults: Any) -> Path:
    """A loopback group config with these sites and crawl defaults."""
    config = {
        "group": {"name": "可靠性测试网站群", "allow_private_addresses": True},
        "defaults": {"delay": 0, "concurrency": 4, "timeout": 5, **defaults},
        "sites": sites,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
