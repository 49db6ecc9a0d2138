"""A 办事指南's downloads and online-application links: what is judged, and from what.

The post-crawl pass runs against a real SQLite database and a real HTTP server on loopback:
a URL the link check already judged is never fetched again; only the others are.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from crawler.config import load_config
from crawler.content.service_links import (
    APPLY_DEAD,
    BROKEN,
    EMPTY,
    WRONG_TYPE,
    PendingLink,
    judge_pending,
)
from crawler.content.services import APPLY, ATTACHMENT, ServiceLink, file_problem, service_links
from crawler.content.store import PageRef
from crawler.extract.tree import parse_html
from crawler.store import iso, open_db

NOW = datetime(2012, 12, 31, 9, 0)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# --- which links a guide offers ----------------------------------------------------------------

GUIDE = """<html><body><h1>计量标准考核办事指南</h1>
<p>申请表：<a href="/files/sqb.doc">申请表.doc</a> <a href="files/cl.xlsx#top">材料清单</a></p>
<p><a href="https://zwfw.example.gov.cn/apply?id=1"><span>在线 办理</span></a>
   <a href="/wsbs/" title="网上申请"><img src="btn.png"/></a>
   <a href="/notice/1.html">关于网上申报系统升级维护期间暂停受理业务的通知</a>
   <a href="mailto:a@b.cn">邮箱</a> <a href="/files/sqb.doc">再次链接</a></p></body></html>"""


def test_guide_links_by_file_type_and_by_text() -> None:
    links = service_links(parse_html(GUIDE), "http://a.gov.cn/bsfw/1.html")
    assert [(x.role, x.text, x.url) for x in links] == [
        (ATTACHMENT, "申请表.doc", "http://a.gov.cn/files/sqb.doc"),
        (ATTACHMENT, "材料清单", "http://a.gov.cn/bsfw/files/cl.xlsx"),
        (APPLY, "在线办理", "https://zwfw.example.gov.cn/apply?id=1"),
        (APPLY, "网上申请", "http://a.gov.cn/wsbs/"),
    ]


# --- whether a downloaded file is usable --------------------------------------------------------


@pytest.mark.parametrize(
    ("ext", "content_type", "body"),
    [
        (".doc", "application/msword", OLE2),
        (".doc", "application/octet-stream", docx()),  # a .docx named .doc opens all the same
        (".docx", None, docx()),
        (".xls", "application/vnd.ms-excel", OLE2),
        (".pdf", "application/pdf", b"%PDF-1.7\n..."),
        (".pdf", "application/pdf", b"\r\n  %PDF-1.4\n"),
        (".zip", "application/zip", docx()),
    ],
)
def test_usable_files(ext: str, content_type: str | None, body: bytes) -> None:
    assert file_problem(ext, content_type, body) is None


@pytest.mark.parametrize(
    ("ext", "content_type", "body", "problem"),
    [
        (".doc", "application/msword", b"", "文件为空（0 字节）"),
        (".pdf", "application/pdf", b"  \n", "文件为空（只有空白）"),
        (".pdf", "text/html; charset=utf-8", b"%PDF-1.4", "服务器返回的是网页（text/html）"),
        (".docx", "application/octet-stream", b"<html>login</html>", "内容是网页"),
        (".docx", None, OLE2, "内容是其他格式"),
        (".xlsx", None, b"%PDF-1.4", "内容是其他格式"),
    ],
)
def test_unusable_files(ext: str, content_type: str | None, body: bytes, problem: str) -> None:
    found = file_problem(ext, content_type, body)
    assert found is not None and problem in found


# --- the post-crawl pass: earlier results reused, the rest fetched once --------------------------


class Files(BaseHTTPRequestHandler):
    """A tiny site: a form, an empty form, a login page named .pdf, an application page."""

    routes: dict[str, tuple[int, str, bytes]] = {
        "/form.doc": (200, "application/msword", OLE2),
        "/empty.doc": (200, "application/msword", b""),
        "/login.pdf": (200, "text/html", b"<html>login</html>"),
        "/apply/": (200, "text/html", b"<html>apply</html>"),
        "/checked-ok.doc": (200, "text/html", b"<html>not a doc, but a HEAD cannot tell</html>"),
    }
    requested: list[str] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.requested.append(self.path)
        status, kind, body = self.routes.get(self.path, (404, "text/html", b"gone"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[str]:
    Files.requested = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_post_crawl_pass_reuses_link_checks_and_fetches_only_the_rest(
    server: str, tmp_path: Path
) -> None:
    config = tmp_path / "group.yaml"
    config.write_text(
        "group: {name: t, allow_private_addresses: true}\n"
        f"sites:\n  - {{id: s, name: 站点, unit_type: city, home_url: '{server}/'}}\n",
        encoding="utf-8",
    )
    site = load_config(config).sites[0]
    db = open_db(tmp_path / "t.db")
    conn = db.conn
    # The link check's results: one dead link, one fine (judged by HEAD), one a week too old.
    checks = [
        (f"{server}/dead-apply/", 0, 404, "http_4xx", NOW - timedelta(hours=1)),
        (f"{server}/checked-ok.doc", 1, 200, None, NOW - timedelta(hours=1)),
        (f"{server}/apply/", 0, 500, "http_5xx", NOW - timedelta(days=30)),
        (f"{server}/unreachable/", 0, None, "unverifiable", NOW - timedelta(hours=1)),
    ]
    for url, ok, status, error, at in checks:
        conn.execute(
            "INSERT INTO links (run_id, site_id, url, found_on, on_home_page, ok, status, error,"
            " checked_at) VALUES (NULL, 's', ?, 'x', 0, ?, ?, ?, ?)",
            (url, ok, status, error, iso(at)),
        )
    conn.commit()
    page = PageRef("s", f"{server}/guide.html", "某事项办事指南", NOW.date())
    links = [
        ServiceLink(f"{server}/dead-apply/", "在线办理", APPLY),
        ServiceLink(f"{server}/checked-ok.doc", "表格.doc", ATTACHMENT),
        ServiceLink(f"{server}/unreachable/", "网上申请", APPLY),
        ServiceLink(f"{server}/apply/", "网上申报", APPLY),
        ServiceLink(f"{server}/form.doc", "申请表.doc", ATTACHMENT),
        ServiceLink(f"{server}/empty.doc", "空表.doc", ATTACHMENT),
        ServiceLink(f"{server}/login.pdf", "须知.pdf", ATTACHMENT),
        ServiceLink(f"{server}/gone.xls", "清单.xls", ATTACHMENT),
    ]
    pending = [PendingLink(page, link, site, 5.0, "sitewatch-test") for link in links]
    reused, fetched = judge_pending(
        conn, pending, since=NOW - timedelta(days=7), run_id=None, now=NOW
    )
    assert (reused, fetched) == (3, 5)
    assert sorted(Files.requested) == [
        "/apply/",
        "/empty.doc",
        "/form.doc",
        "/gone.xls",
        "/login.pdf",
    ]
    found = set(
        conn.execute(
            "SELECT attachment_url, check_kind, term FROM content_findings WHERE page_url = ?",
            (page.url,),
        ).fetchall()
    )
    assert found == {
        (f"{server}/dead-apply/", APPLY_DEAD, "在线办理"),
        (f"{server}/empty.doc", EMPTY, "空表.doc"),
        (f"{server}/login.pdf", WRONG_TYPE, "须知.pdf"),
        (f"{server}/gone.xls", BROKEN, "清单.xls"),
    }
    # A link fixed by the next check stops being reported.
    Files.routes["/gone.xls"] = (200, "application/vnd.ms-excel", OLE2)
    try:
        judge_pending(conn, pending[-1:], since=NOW, run_id=None, now=NOW)
    finally:
        del Files.routes["/gone.xls"]
    kinds = {row[0] for row in conn.execute("SELECT attachment_url FROM content_findings")}
    assert f"{server}/gone.xls" not in kinds
    conn.close()
