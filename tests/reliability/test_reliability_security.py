"""Security end to end: hostile crawled text is stored verbatim (parameterised SQL) and escaped in
the HTML, Word and Excel reports (no script, no spreadsheet formula); redirects to the cloud
metadata address are refused before any connection; link-local hosts are refused at the guard
even in a group that allows loopback.

No request ever goes to 169.254.169.254: the redirect towards it is refused by the guard
middleware, which runs before the downloader, and the guard tests never download.
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Iterator
from html import escape as html_escape
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook
from scrapy import Request
from sw_reliability import detail_page, html, list_page, serve, write_config
from sw_testing import ROOT, sitewatch, worker_port

from crawler.config import parse_config
from crawler.middlewares import GuardMiddleware
from crawler.scrapy_faults import RefusedRequest

HOST = "127.0.0.120"
SCRIPT = "<script>alert(1)</script>质量投诉"
FORMULA = '=HYPERLINK("http://x","y")'
SQL = "'); DROP TABLE posts;--"
METADATA = "http://169.254.169.254/latest/meta-data/"
POSTS = {
    "/news/p1.html": (SCRIPT, "2012-12-03"),
    "/news/p2.html": (FORMULA, "2012-12-04"),
    "/news/p3.html": (SQL, "2012-12-05"),
    "/news/p4.html": ("关于开展计量器具检定工作的通知", "2012-12-06"),
}
LETTERS = [("1001", SCRIPT, "2012-08-01"), ("1002", FORMULA, "2012-08-02")]


def escape(text: str) -> str:
    """HTML-escape the way a correct site does for its own titles."""
    return html_escape(text, quote=True)


def mailbox_page() -> str:
    """A 局长信箱 table whose letters wait unanswered since August: overdue by December."""
    rows = "".join(
        f"<tr><td>{n}</td><td><a href='letter.html?id={n}' title=\"{escape(t)}\">{escape(t)}</a>"
        f"</td><td>{day}</td><td></td><td>未回复</td></tr>"
        for n, t, day in LETTERS
    )
    return (
        "<html><head><meta name='ColumnName' content='局长信箱'></head><body>"
        "<table class='xxlist'><tr><th>编号</th><th>信件标题</th><th>来信时间</th>"
        f"<th>回复时间</th><th>办理状态</th></tr>{rows}</table></body></html>"
    )


def routes() -> dict[str, Any]:
    """The hostile site's pages."""
    rows = [(path, escape(title), day) for path, (title, day) in POSTS.items()]
    rows.append(("/news/meta.html", "关于网站迁移的说明", "2012-12-07"))
    pages: dict[str, Any] = {
        "/": lambda _h: html("<html><body><a href='/news/'>工作动态</a></body></html>"),
        "/news/": lambda _h: html(list_page(rows)),
        "/news/meta.html": lambda _h: html("", status=302, headers={"Location": METADATA}),
        "/jzxx/": lambda _h: html(mailbox_page()),
    }
    for path, (title, day) in POSTS.items():
        pages[path] = lambda _h, t=title, d=day: html(detail_page(escape(t), d))
    for n, title, day in LETTERS:
        letter = f"<html><body><h1>{escape(title)}</h1><p>来信时间：{day}</p></body></html>"
        pages[f"/jzxx/letter.html?id={n}"] = lambda _h, body=letter: html(body)
    return pages


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("security")
    port = worker_port(20300)
    site = {
        "id": "hostile",
        "name": "测试站",
        "unit_type": "city",
        "home_url": f"http://{HOST}:{port}/",
        "columns": [{"name": "工作动态", "url": f"http://{HOST}:{port}/news/", "category": "news"}],
        "consultation_urls": [f"http://{HOST}:{port}/jzxx/"],
    }
    config = write_config(tmp / "hostile.yaml", [site])
    db = tmp / "hostile.db"
    with serve({HOST: routes()}, port) as journal:
        crawl = sitewatch(
            "crawl", "--config", str(config), "--db", str(db), "--now", "2012-12-31T09:00", "-q"
        )
    national = ROOT / "config" / "standards" / "national.yaml"
    report = sitewatch(
        "report", "--config", str(config), "--db", str(db), "--standard", str(national),
        "--month", "2012-12", "--out", str(tmp / "reports"),
    )  # fmt: skip
    yield {"crawl": crawl, "report": report, "db": db, "out": tmp / "reports" / "2012-12"}
    assert journal  # the server saw the crawl


def test_crawl_and_report_succeed(hostile: dict[str, Any]) -> None:
    assert hostile["crawl"].returncode == 0, hostile["crawl"].stderr[-2000:]
    assert hostile["report"].returncode == 0, hostile["report"].stderr[-2000:]


def test_hostile_titles_are_stored_verbatim(hostile: dict[str, Any]) -> None:
    conn = sqlite3.connect(hostile["db"])
    titles = {t for (t,) in conn.execute("SELECT title FROM posts")}
    assert {SCRIPT, FORMULA, SQL} <= titles
    assert conn.execute("SELECT count(*) FROM posts").fetchone()[0] == len(POSTS) + 1  # + meta
    letters = {t for (t,) in conn.execute("SELECT title FROM consultations")}
    assert letters == {title for _n, title, _d in LETTERS}


def test_redirect_to_metadata_address_is_refused(hostile: dict[str, Any]) -> None:
    conn = sqlite3.connect(hostile["db"])
    rows = conn.execute(
        "SELECT status, error FROM fetches WHERE url LIKE 'http://169.254.169.254%'"
    ).fetchall()
    assert rows and all(status is None for status, _e in rows)
    assert {error for _s, error in rows} <= {"private_address", "offsite"}


def test_html_report_escapes_crawled_text(hostile: dict[str, Any]) -> None:
    page = next(hostile["out"].glob("*.html")).read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the letter title, shown as text


def test_word_report_holds_text_not_markup(hostile: dict[str, Any]) -> None:
    with zipfile.ZipFile(next(hostile["out"].glob("*.docx"))) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml


def test_excel_report_never_holds_a_formula(hostile: dict[str, Any]) -> None:
    book = load_workbook(next(hostile["out"].glob("*.xlsx")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    hostile_cells = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert hostile_cells, "the formula-like letter title is not in the workbook"
    for cell in hostile_cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix or not cell.value.startswith("=")


GROUP_WITH_LOOPBACK = """
group: {name: 模拟网站群, allow_private_addresses: true}
sites:
  - {id: portal, name: 省局, unit_type: province, home_url: "http://127.0.0.2:8800/"}
"""


@pytest.mark.parametrize(
    "url", [METADATA, "http://169.254.1.1/", "http://[fe80::1]/"], ids=["metadata", "v4", "v6"]
)
@pytest.mark.parametrize("kind", ["link", "detail"])
def test_link_local_refused_even_where_loopback_is_allowed(url: str, kind: str) -> None:
    group = parse_config(GROUP_WITH_LOOPBACK, "group.yaml")
    sites = list(group.sites)
    context = SimpleNamespace(group=group, sites=sites, site_by_id={s.id: s for s in sites})
    guard = GuardMiddleware(SimpleNamespace(spider=SimpleNamespace(context=context)))  # type: ignore[arg-type]
    with pytest.raises(RefusedRequest) as refused:
        guard.process_request(Request(url, meta={"site_id": "portal", "kind": kind}))
    # A page there is off the site before anything else; a link check is refused the address.
    assert refused.value.kind == ("private_address" if kind == "link" else "offsite")
