"""Publication dates: posts whose date sources disagree (suspected fake publication dates)."""

from __future__ import annotations

from analysis import queries
from analysis.standards.evidence import Item, Measurement, Snapshot
from analysis.standards.metrics.common import window_start
from analysis.standards.registry import DayGap, Days, Metric, MetricParams, Scope, Unit, param
from crawler import defaults

PERIOD = "count posts published within this many days before the check"
EVIDENCE_KEYS = (
    "url",
    "published_on",
    "list_date",
    "meta_date",
    "text_date",
    "url_date",
    "gap_days",
)


class PeriodParams(MetricParams):
    """Which posts count."""

    period_days: Days = param(defaults.PERIOD_DAYS, PERIOD)


def date_gaps(
    snap: Snapshot, period_days: int, over: int, per_post: bool
) -> dict[str, Measurement]:
    """Posts of the period whose date sources lie more than `over` days apart."""
    start = window_start(snap.cutoff, period_days)
    found = queries.post_date_gaps(snap.conn, snap.sites_json, start, snap.cutoff, over)
    out = {site_id: Measurement(0.0, items=[] if per_post else None) for site_id in snap.site_ids}
    for row in found:
        evidence = {key: row[key] for key in EVIDENCE_KEYS}
        evidence["first_seen_on"] = None if row["baseline"] else row["first_seen_on"]
        site = out[row["site_id"]]
        if site.items is not None:
            site.items.append(Item(float(row["gap_days"]), evidence))
        else:
            site.value = (site.value or 0.0) + 1
            site.evidence.append(evidence)
    return out


class SuspiciousParams(PeriodParams):
    """The largest tolerated gap between date sources."""

    max_disagreement_days: DayGap = param(
        defaults.SUSPICIOUS_OVER_DAYS, "largest tolerated gap between date sources"
    )


class SuspiciousDates(Metric):
    """Posts whose dates disagree by more than max_disagreement_days: list date, PubDate meta,
    date in the URL, and first-seen time (first-seen only for posts that appeared after the
    column was first crawled, and only when it is earlier than the claimed date or later than it
    by more than the limit — a back-dated post)."""

    name = "suspicious_dates"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("posts",)
    title = "疑似虚假发布日期"
    description = (
        "检查日前 period_days 天内发布的信息中，列表日期、PubDate 元数据、网址中的日期与首次"
        "发现时间相差超过 max_disagreement_days 天的条数（首次发现时间只对首次抓取后新出现的"
        "信息使用）。"
    )
    recommendation = (
        "核实发布日期,禁止倒签或篡改日期。",
        "Check publication dates; never back-date posts.",
    )
    Params = SuspiciousParams

    def measure(self, snap: Snapshot, params: SuspiciousParams) -> dict[str, Measurement]:
        """Count the posts whose sources disagree too much."""
        return date_gaps(snap, params.period_days, params.max_disagreement_days, per_post=False)


class PostDateDisagreementDays(Metric):
    """For each post: the largest gap in days between its date sources (list date, PubDate
    meta, URL date, first-seen time)."""

    name = "post_date_disagreement_days"
    scope = Scope.POST
    unit = Unit.DAYS
    needs = ("posts",)
    title = "发布日期差异天数"
    description = (
        "每条信息：其列表日期、PubDate 元数据、网址日期与首次发现时间之间的最大差距（天）。"
    )
    recommendation = (
        "核实发布日期,禁止倒签或篡改日期。",
        "Check publication dates; never back-date posts.",
    )
    Params = PeriodParams

    def measure(self, snap: Snapshot, params: PeriodParams) -> dict[str, Measurement]:
        """One item per post with any gap."""
        return date_gaps(snap, params.period_days, 0, per_post=True)
