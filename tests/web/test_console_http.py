"""The console over HTTP (Starlette's test client): log-in, roles, CSRF, the workflow, and the
same numbers as the report."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from sw_console import NATIONAL, PASSWORD, World, token

from analysis.findings.store import list_findings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def client(app, name: str | None = None, password: str = PASSWORD) -> TestClient:
    """A client, logged in as `name` when given."""
    c = TestClient(app, follow_redirects=False)
    if name:
        page = c.get("/login")
        answer = c.post(
            "/login", data={"name": name, "password": password, "csrf_token": token(page.text)}
        )
        assert answer.status_code == 303, answer.text
    return c


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found, name
    return found.group(1)


def finding_id(world: World, site: str, rule: str) -> int:
    return next(
        r["id"] for r in list_findings(world.conn) if r["site_id"] == site and r["rule_id"] == rule
    )


def test_pages_need_a_login(app) -> None:
    c = client(app)
    for path in ("/", "/sites", "/sites/stale", "/findings", "/filings", "/reports", "/runs"):
        answer = c.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert c.get("/reports/2012-12/report.html").status_code == 303


def test_session_cookie_is_httponly_and_samesite(app) -> None:
    c = client(app)
    page = c.get("/login")
    answer = c.post(
        "/login", data={"name": "viewer", "password": PASSWORD, "csrf_token": token(page.text)}
    )
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")


def test_login_is_rate_limited(app) -> None:
    c = client(app)
    csrf = token(c.get("/login").text)
    for _ in range(5):
        wrong = c.post("/login", data={"name": "admin", "password": "nope", "csrf_token": csrf})
        assert wrong.status_code == 401
        assert "用户名或密码不正确" in wrong.text
    right = c.post("/login", data={"name": "admin", "password": PASSWORD, "csrf_token": csrf})
    assert right.status_code == 429 and "分钟后再试" in right.text


def test_login_without_csrf_token_is_refused(app) -> None:
    c = client(app)
    c.get("/login")
    answer = c.post("/login", data={"name": "admin", "password": PASSWORD})
    assert answer.status_code == 403


def test_post_without_csrf_token_is_refused(app, world: World) -> None:
    c = client(app, "reviewer")
    fid = finding_id(world, "stale", "site-not-updated")
    answer = c.post(f"/findings/{fid}/state", data={"state": "false_positive", "note": "x"})
    assert answer.status_code == 403
    forged = c.post(
        f"/findings/{fid}/state",
        data={"state": "false_positive", "note": "x", "csrf_token": "forged"},
    )
    assert forged.status_code == 403
    assert next(r for r in list_findings(world.conn) if r["id"] == fid)["state"] == "new"


def test_viewer_reads_but_cannot_change_anything(app, world: World) -> None:
    c = client(app, "viewer")
    fid = finding_id(world, "stale", "site-not-updated")
    for path in ("/findings", f"/findings/{fid}", "/sites/stale", "/filings", "/reports"):
        page = c.get(path)
        assert page.status_code == 200
        assert 'class="move"' not in page.text and 'id="new-filing"' not in page.text
        assert "生成报告" not in page.text
    csrf = token(c.get("/findings").text)  # the logout form's token: a valid one
    attempts = [
        (f"/findings/{fid}/state", {"state": "false_positive", "note": "x"}),
        ("/filings/new", {"site_id": "flaky", "recurrence": "once"}),
        ("/reports/generate", {"month": "2012-12"}),
        ("/users/new", {"name": "eve", "role": "admin", "password": "12345678"}),
    ]
    for path, data in attempts:
        assert c.post(path, data={**data, "csrf_token": csrf}).status_code == 403, path
    assert c.get("/users").status_code == 403
    assert next(r for r in list_findings(world.conn) if r["id"] == fid)["state"] == "new"
    assert world.conn.execute("SELECT COUNT(*) FROM maintenance_filings").fetchone()[0] == 0


def test_crawled_text_is_escaped(app) -> None:
    c = client(app, "viewer")
    for path in ("/", "/sites", "/sites/stale", "/findings"):
        html = c.get(path).text
        assert "<b>陈旧</b>" not in html
        assert "&lt;b&gt;陈旧&lt;/b&gt;" in html, path


def test_false_positive_leaves_the_console_and_the_report_counts(app, world: World) -> None:
    from analysis.report.build import build_context

    c = client(app, "reviewer")

    def report_counts() -> tuple[int, int]:
        ctx = build_context(world.path, "2012-12", NATIONAL)
        return ctx.overview.sites_failing, ctx.overview.sites_vetoed

    before = c.get("/").text
    assert (int(figure(before, "failing")), int(figure(before, "vetoed"))) == report_counts()
    assert int(figure(before, "failing")) >= 2  # stale and flaky at least
    issues_before = int(figure(before, "issues"))
    fid = finding_id(world, "stale", "site-not-updated")
    csrf = token(c.get(f"/findings/{fid}").text)
    answer = c.post(
        f"/findings/{fid}/state",
        data={"state": "false_positive", "note": "首页改版，信息在二级页", "csrf_token": csrf},
    )
    assert answer.status_code == 303
    after = c.get("/").text
    assert int(figure(after, "issues")) == issues_before - 1
    assert (int(figure(after, "failing")), int(figure(after, "vetoed"))) == report_counts()
    detail = c.get(f"/findings/{fid}").text
    assert "误报" in detail and "首页改版，信息在二级页" in detail and "reviewer" in detail


def test_maintenance_filing_raises_availability(app, world: World) -> None:
    c = client(app, "reviewer")
    before = c.get("/sites/flaky").text
    assert figure(before, "availability") == "98.8%"
    before_sites = c.get("/sites").text  # 3 of 248 December visits failed
    csrf = token(c.get("/filings").text)
    answer = c.post(
        "/filings/new",
        data={
            "csrf_token": csrf,
            "site_id": "flaky",
            "recurrence": "once",
            "starts_at": "2012-12-29T00:00",
            "ends_at": "2012-12-29T07:00",
            "reason": "机房搬迁",
            "approved_by": "王科长",
        },
    )
    assert answer.status_code == 303
    after = c.get("/sites/flaky").text
    assert figure(after, "availability") == "100.0%"
    assert "机房搬迁" in after
    sites = c.get("/sites").text
    row = sites[sites.index('data-site="flaky"') :].split("</tr>")[0]
    row_before = before_sites[before_sites.index('data-site="flaky"') :].split("</tr>")[0]
    assert "站点无法访问" in row_before and "站点无法访问" not in row  # the veto is lifted


def test_bad_filing_is_refused_with_a_message(app, world: World) -> None:
    c = client(app, "reviewer")
    csrf = token(c.get("/filings").text)
    data = {"csrf_token": csrf, "site_id": "flaky", "recurrence": "weekly", "weekday": "0"}
    data |= {"day_start": "04:00", "day_end": "02:00", "first_day": "2012-12-01"}
    data |= {"reason": "x", "approved_by": "y"}
    answer = c.post("/filings/new", data=data, follow_redirects=True)
    assert "每日结束时刻须晚于开始时刻" in answer.text
    assert world.conn.execute("SELECT COUNT(*) FROM maintenance_filings").fetchone()[0] == 0


def test_admin_manages_users_reviewer_does_not(app) -> None:
    assert client(app, "reviewer").get("/users").status_code == 403
    c = client(app, "admin")
    csrf = token(c.get("/users").text)
    data = {"name": "zhang", "role": "viewer", "password": "long-enough-1", "csrf_token": csrf}
    assert c.post("/users/new", data=data).status_code == 303
    assert "zhang" in c.get("/users").text
    client(app, "zhang", "long-enough-1")  # can log in


@pytest.mark.parametrize("path", ["/reports/2012-12/..%2Fetc", "/reports/../x/report.html"])
def test_report_downloads_only_report_files(app, path: str, tmp_path: Path) -> None:
    c = client(app, "viewer")
    assert c.get(path).status_code == 404


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "http://evil.example/"])
def test_login_never_redirects_off_site(app, target: str) -> None:
    c = client(app)
    csrf = token(c.get("/login").text)
    data = {"name": "viewer", "password": PASSWORD, "csrf_token": csrf, "next": target}
    assert c.post("/login", data=data).headers["location"] == "/"


@pytest.mark.slow
def test_reviewer_generates_and_downloads_the_report(app, tmp_path: Path) -> None:
    c = client(app, "reviewer")
    csrf = token(c.get("/reports").text)
    made = c.post("/reports/generate", data={"month": "2012-12", "csrf_token": csrf})
    assert made.status_code == 303
    page = c.get("/reports").text
    assert "2012-12 月报已生成" in page
    for name in ("report.html", "report.docx", "report.xlsx"):
        assert f'href="/reports/2012-12/{name}"' in page
        download = c.get(f"/reports/2012-12/{name}")
        assert download.status_code == 200
        assert download.content == (tmp_path / "reports" / "2012-12" / name).read_bytes()
    assert "不稳市局" in c.get("/reports/2012-12/report.html").text


def test_run_history_and_its_log(app, world: World) -> None:
    world.conn.execute(
        "INSERT INTO fetches (run_id, site_id, url, kind, status, error, fetched_at)"
        " VALUES (1, 'stale', 'http://stale.test/gone/', 'list', 404, 'http_404', ?)",
        ("2012-12-31T22:01:00",),
    )
    world.conn.commit()
    c = client(app, "viewer")
    assert 'href="/runs/1"' in c.get("/runs").text
    log = c.get("/runs/1").text
    assert "http://stale.test/gone/" in log and "http_404" in log
    assert c.get("/runs/999").status_code == 404
    assert c.get("/sites/nope").status_code == 404
    assert "没有这个站点" in c.get("/sites/nope").text
