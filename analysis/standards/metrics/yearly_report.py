"""The yearly work report (政府网站工作年度报表): last year's, on the home page by 31 January."""

from __future__ import annotations

from datetime import date
from typing import Any

from analysis.content.queries import yearly_reports
from analysis.standards.evidence import Measurement, Snapshot
from analysis.standards.registry import Metric, Scope, Unit

DUE_MONTH, DUE_DAY = 1, 31


def report_due(on: date) -> tuple[int, date]:
    """The latest report year already due on `on`, and its due date (31 January after it)."""
    due_this_year = date(on.year, DUE_MONTH, DUE_DAY)
    year = on.year - 1 if on > due_this_year else on.year - 2
    return year, date(year + 1, DUE_MONTH, DUE_DAY)


class YearlyReportMissing(Metric):
    """1 when the site's home-page columns hold no post titled as the website work report
    (…<year>年…网站…年度报表…) of the latest year already due, published by its 31 January;
    a report published late still counts as missing (the evidence says when it came)."""

    name = "yearly_report_missing"
    scope = Scope.SITE
    unit = Unit.FLAG
    needs = ("posts", "columns")
    title = "未按时公开网站年度报表"
    description = (
        "检查日已过期限的最近一年（次年 1 月 31 日前应公开）的政府网站工作年度报表，"
        "未在首页栏目中按时发布为 1，否则为 0。"
    )
    recommendation = (
        "每年 1 月 31 日前在首页公开上一年度政府网站工作年度报表。",
        "Publish last year's website work report on the home page by 31 January.",
    )

    def measure(self, snap: Snapshot, params: Any) -> dict[str, Measurement]:
        """Per site: 0 when a report of the due year was published on time, else 1."""
        year, due = report_due(snap.cutoff)
        due_on = due.isoformat()
        out = {
            site_id: Measurement(1.0, [{"year": year, "due_on": due_on}])
            for site_id in snap.site_ids
        }
        for row in yearly_reports(snap.conn, snap.sites_json, year, snap.cutoff):
            site = out[row["site_id"]]
            if site.value == 0.0:
                continue  # an on-time report is already cited
            on_time = row["published_on"] is not None and row["published_on"] <= due_on
            site.value = 0.0 if on_time else 1.0
            site.evidence = [
                {
                    "url": row["url"],
                    "title": row["title"],
                    "published_on": row["published_on"],
                    "due_on": due_on,
                }
            ]
        return out
