"""The yearly work report rule: last year's report on the home page by 31 January."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from analysis.standards.engine import evaluate
from analysis.standards.metrics.yearly_report import report_due
from analysis.standards.profile import load_profile
from crawler.store import PostRecord, Store, open_db

ROOT = Path(__file__).parents[2]
NOW = datetime(2012, 12, 1)


@pytest.mark.parametrize(
    ("on", "year", "due"),
    [
        (date(2012, 12, 31), 2011, date(2012, 1, 31)),
        (date(2013, 1, 31), 2011, date(2012, 1, 31)),  # this year's is due at the day's end
        (date(2013, 2, 1), 2012, date(2013, 1, 31)),
    ],
)
def test_report_due(on: date, year: int, due: date) -> None:
    assert report_due(on) == (year, due)


def site_with(store: Store, site_id: str, title: str | None, published: date) -> None:
    store.upsert_site(
        site_id=site_id, name=site_id, unit_type="city", parent=None,
        home_url=f"http://{site_id}.example/", allowed_domains=[f"{site_id}.example"], now=NOW,
    )  # fmt: skip
    column = store.upsert_column(
        site_id=site_id, key="tzgg", name="通知公告", url=f"http://{site_id}.example/tzgg/",
        category="notice", source="config", on_home_page=True,
    )  # fmt: skip
    if title:
        record = PostRecord(site_id, column, f"http://{site_id}.example/1.html", title, published)
        store.upsert_post(record, now=NOW, run_id=None, baseline=True)


def test_on_time_late_and_missing(tmp_path: Path) -> None:
    store = Store(open_db(tmp_path / "y.db"))
    site_with(store, "on-time", "某局2011年政府网站工作年度报表", date(2012, 1, 20))
    site_with(store, "late", "某局2011年政府网站工作年度报表", date(2012, 3, 2))
    site_with(store, "other-year", "某局2010年政府网站工作年度报表", date(2011, 1, 20))
    site_with(store, "none", None, date(2012, 1, 20))
    profile = load_profile(ROOT / "config" / "standards" / "national.yaml")
    verdicts = evaluate(store.conn, profile, date(2012, 12, 31))
    failed = {
        v.site_id
        for v in verdicts
        for r in v.rules
        if r.id == "yearly-report" and r.outcome.value == "fail"
    }
    assert failed == {"late", "other-year", "none"}
