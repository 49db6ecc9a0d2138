"""The console in a real browser (Playwright driving Debian's Chromium).

On the crawled demo database: log in, see the failing sites, open one, mark a finding 误报 with
a note and see it leave the report's count. On the small group: file a maintenance window and
see the site's availability rise; a viewer sees no form and is refused (403); a POST without the
CSRF token is refused. Set SITEWATCH_SCREENSHOTS=DIR to save the pages shown in docs/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sw_browser import browser, log_in, serving
from sw_console import NATIONAL, PASSWORD, World, accounts, national
from sw_testing import sitewatch

from analysis.findings.review import reviewed_verdicts
from analysis.findings.store import list_findings
from crawler.store import open_db

pytestmark = pytest.mark.slow
SHOTS = os.environ.get("SITEWATCH_SCREENSHOTS")


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot when SITEWATCH_SCREENSHOTS names a folder."""
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=False)


@pytest.fixture
def demo_db(crawled_demo: dict[str, Any], tmp_path: Path) -> Path:
    """A copy of the crawled demo database with the December check recorded and accounts."""
    db = tmp_path / "demo.db"
    shutil.copy(crawled_demo["db"], db)
    conn = open_db(db).conn
    reviewed_verdicts(conn, national(), datetime(2012, 12, 31).date(), record_at=CLOCK)
    accounts(World(db, conn))
    conn.close()
    return db


CLOCK = datetime(2012, 12, 31, 9, 0)


def report_counts(db: Path) -> tuple[int, int]:
    """(failing sites, findings) of the December report built from the database."""
    from analysis.report.build import build_context

    ctx = build_context(db, "2012-12", NATIONAL)
    return ctx.overview.sites_failing, len(ctx.compliance.findings)


def test_demo_failing_sites_and_a_false_positive(demo_db: Path, crawled_demo) -> None:
    from sitewatch.web.app import create_app

    checked = sitewatch("check", "--db", str(demo_db), "--standard", str(NATIONAL),
                        "--as-of", "2012-12-31", "--format", "json")  # fmt: skip
    assert checked.returncode == 0, checked.stderr[-2000:]
    failing = {s["name"] for s in json.loads(checked.stdout)["sites"] if not s["passed"]}
    assert failing, "the demo world should have failing sites"
    app = create_app(demo_db, national(), clock=lambda: CLOCK)
    with serving(app) as base, browser() as context:
        page = context.new_page()
        log_in(page, base, "reviewer", PASSWORD)
        shown = set(page.locator("#failing-sites tbody tr td:first-child").all_inner_texts())
        assert shown == failing
        failing_before, findings_before = report_counts(demo_db)
        assert page.locator('[data-figure="failing"]').inner_text() == str(failing_before)
        shot(page, "console-overview.png")

        conn = open_db(demo_db).conn
        rows = list_findings(conn)
        per_rule: dict[tuple[str, str], int] = {}
        for row in rows:
            per_rule[(row["site_id"], row["rule_id"])] = (
                per_rule.get((row["site_id"], row["rule_id"]), 0) + 1
            )
        target = next(r for r in rows if per_rule[(r["site_id"], r["rule_id"])] == 1)
        page.goto(f"{base}/sites")
        page.locator(f'#sites tr[data-site="{target["site_id"]}"] a').first.click()
        page.wait_for_url(re.compile(rf".*/sites/{re.escape(target['site_id'])}$"))
        assert page.locator("h1").inner_text().startswith(target["site_name"])
        shot(page, "console-site.png")
        row = page.locator(f'#site-findings tr[data-finding="{target["id"]}"]')
        row.locator("select[name=state]").select_option("false_positive")
        row.locator("input[name=note]").fill("人工核实：该栏目已按规定撤并")
        with page.expect_navigation():
            row.get_by_role("button", name="提交").click()
        row = page.locator(f'#site-findings tr[data-finding="{target["id"]}"]')
        assert row.get_attribute("data-state") == "false_positive"
        assert "人工核实" in row.inner_text()
        failing_after, findings_after = report_counts(demo_db)
        assert findings_after == findings_before - 1
        page.goto(f"{base}/")
        assert page.locator('[data-figure="failing"]').inner_text() == str(failing_after)
        page.goto(f"{base}/findings?state=new")
        shot(page, "console-findings.png")
        assert page.locator("#findings tbody tr").count() == len(rows) - 1
        conn.close()


def test_maintenance_window_raises_availability(world: World, app) -> None:
    with serving(app) as base, browser() as context:
        page = context.new_page()
        log_in(page, base, "reviewer", PASSWORD)
        page.goto(f"{base}/sites/flaky")
        assert page.locator('[data-figure="availability"]').inner_text() == "98.8%"
        page.goto(f"{base}/filings")
        form = page.locator("#new-filing")
        form.locator("select[name=site_id]").select_option("flaky")
        form.locator("select[name=recurrence]").select_option("weekly")
        assert form.locator('fieldset[data-for="once"]').is_hidden()  # progressive enhancement
        form.locator("select[name=recurrence]").select_option("once")
        form.locator("input[name=starts_at]").fill("2012-12-29T00:00")
        form.locator("input[name=ends_at]").fill("2012-12-29T07:00")
        form.locator("input[name=reason]").fill("机房搬迁")
        form.locator("input[name=approved_by]").fill("王科长")
        with page.expect_navigation():
            form.get_by_role("button", name="登记报备").click()
        assert "已登记" in page.locator(".flash").first.inner_text()
        page.goto(f"{base}/sites/flaky")
        assert page.locator('[data-figure="availability"]').inner_text() == "100.0%"
        assert "机房搬迁" in page.content()


def test_viewer_sees_no_form_and_is_refused(world: World, app) -> None:
    fid = list_findings(world.conn)[0]["id"]
    with serving(app) as base, browser() as context:
        page = context.new_page()
        log_in(page, base, "viewer", PASSWORD)
        for path in ("/findings", f"/findings/{fid}", "/filings"):
            page.goto(base + path)
            assert page.locator("form.move").count() == 0
            assert page.locator("#new-filing").count() == 0
        token = page.locator("input[name=csrf_token]").first.get_attribute("value")
        answer = page.request.post(
            f"{base}/findings/{fid}/state",
            form={"state": "false_positive", "note": "x", "csrf_token": token},
        )
        assert answer.status == 403
        assert list_findings(world.conn)[0]["state"] == "new"


def test_post_without_csrf_token_is_refused(world: World, app) -> None:
    fid = list_findings(world.conn)[0]["id"]
    with serving(app) as base, browser() as context:
        page = context.new_page()
        log_in(page, base, "reviewer", PASSWORD)
        page.goto(f"{base}/findings/{fid}")
        page.evaluate("document.querySelector('form.move input[name=csrf_token]').remove()")
        page.locator("form.move select[name=state]").select_option("false_positive")
        page.locator("form.move input[name=note]").fill("x")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator("form.move").get_by_role("button", name="提交").click()
        assert posted.value.status == 403
        assert list_findings(world.conn)[0]["state"] == "new"


def test_sites_table_sorts_by_a_heading(world: World, app) -> None:
    with serving(app) as base, browser() as context:
        page = context.new_page()
        log_in(page, base, "viewer", PASSWORD)
        page.goto(f"{base}/sites")
        page.locator("#sites thead th", has_text="得分").click()
        scores = [float(s) for s in page.locator("#sites tbody td:nth-child(3)").all_inner_texts()]
        assert scores == sorted(scores) and len(scores) == 3
        page.locator("#sites thead th", has_text="得分").click()
        again = [float(s) for s in page.locator("#sites tbody td:nth-child(3)").all_inner_texts()]
        assert again == sorted(scores, reverse=True)
