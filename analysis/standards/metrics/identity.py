"""Site identity and page tags (政府网站发展指引, 2017), as the crawl's content checks saw them.

The home page's identity problems are kept as its current state (a fixed footer clears them);
article pages' meta-tag problems are those of pages dated within `lookback_days`.
"""

from __future__ import annotations

from analysis.content.queries import (
    CHECK_NAMES,
    IDENTITY_CHECKS,
    SEARCH_CHECKS,
    TAG_CHECKS,
    findings_between,
)
from analysis.standards.evidence import Measurement, Snapshot
from analysis.standards.metrics.common import window_start
from analysis.standards.registry import Days, Metric, MetricParams, Scope, Unit, param
from crawler import defaults

LOOKBACK = "only article pages dated within this many days before the check"


class TagParams(MetricParams):
    """Which article pages count."""

    lookback_days: Days = param(defaults.CONTENT_LOOKBACK_DAYS, LOOKBACK)


def problems(snap: Snapshot, kinds: tuple[str, ...], lookback_days: int) -> list[dict]:
    """Findings of these kinds for the snapshot's sites."""
    start = window_start(snap.cutoff, lookback_days)
    rows = snap.cached(
        ("content_findings", start),
        lambda: findings_between(snap.conn, snap.sites_json, start, snap.cutoff),
    )
    return [row for row in rows if row["check_kind"] in kinds]


class SiteIdentityProblems(Metric):
    """What the home page lacks of the site's identity: 网站标识码 (or a SiteIDCode meta that
    contradicts it), ICP 备案号, 公安机关备案号, 党政机关网站标识, a 我为政府网站找错 entry."""

    name = "site_identity_problems"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("content_findings",)
    title = "网站标识与备案信息缺失"
    description = (
        "首页缺少的网站身份信息项数：网站标识码（或 SiteIDCode 元数据与其不一致）、ICP 备案号、"
        "公安机关备案号、党政机关网站标识、“我为政府网站找错”入口。"
    )
    recommendation = (
        "在首页底部标注网站标识码、ICP 和公安机关备案号，"
        "加挂党政机关网站标识和“我为政府网站找错”入口。",
        "Show the site code, ICP and police filing numbers, the party-government badge and the "
        "error-report entry on the home page.",
    )
    Params = TagParams

    def measure(self, snap: Snapshot, params: TagParams) -> dict[str, Measurement]:
        """Count the identity problems of each site's home page."""
        out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
        for row in problems(snap, IDENTITY_CHECKS, params.lookback_days):
            site = out[row["site_id"]]
            site.value = (site.value or 0.0) + 1
            site.evidence.append(
                {
                    "url": row["page_url"],
                    "check": CHECK_NAMES.get(row["check_kind"], row["check_kind"]),
                    "found": row["term"],
                    "expected": row["suggestion"] or None,
                }
            )
        return out


class PageTagProblems(Metric):
    """Article pages without the meta tags SiteName, ColumnName, ColumnType, ArticleTitle,
    PubDate and ContentSource, with a PubDate not in `YYYY-MM-DD HH:MM` form, or one that is not
    the page's shown date."""

    name = "page_tag_problems"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("content_findings",)
    title = "页面元数据不规范"
    description = (
        "检查日前 lookback_days 天内发布的文章页中，缺少 SiteName、ColumnName、ColumnType、"
        "ArticleTitle、PubDate、ContentSource 元数据，或 PubDate 格式不是 YYYY-MM-DD HH:MM、"
        "与页面显示日期不一致的页面数。"
    )
    recommendation = (
        "按《政府网站发展指引》在文章页补齐元数据，PubDate 与发布日期一致。",
        "Add the guideline's meta tags to article pages; PubDate must be the publication date.",
    )
    Params = TagParams

    def measure(self, snap: Snapshot, params: TagParams) -> dict[str, Measurement]:
        """Count the article pages with tag problems (evidence: the first few)."""
        out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
        seen: set[tuple[str, str]] = set()
        for row in problems(snap, TAG_CHECKS, params.lookback_days):
            site = out[row["site_id"]]
            if (row["site_id"], row["page_url"]) not in seen:
                seen.add((row["site_id"], row["page_url"]))
                site.value = (site.value or 0.0) + 1
            if len(site.evidence) < MAX_PAGES_CITED:
                site.evidence.append(
                    {
                        "url": row["page_url"],
                        "check": CHECK_NAMES.get(row["check_kind"], row["check_kind"]),
                        "found": row["term"],
                        "expected": row["suggestion"] or None,
                    }
                )
        return out


MAX_PAGES_CITED = 20  # evidence entries per site; the value counts every page


class SiteSearchBroken(Metric):
    """1 when the home page has no search form, or its search for the first words of a post
    the home page lists does not list that post; else 0 (also when robots.txt forbids the
    search or no post could be picked: not verified, not failed)."""

    name = "site_search_broken"
    scope = Scope.SITE
    unit = Unit.FLAG
    needs = ("content_findings",)
    title = "站内搜索不可用"
    description = (
        "首页没有站内搜索，或用首页所列一条信息标题的前几个字搜索，结果中没有该信息时为 1。"
    )
    recommendation = (
        "修复站内搜索，保证新发布的信息能及时被检索到。",
        "Fix the site search so that new posts can be found.",
    )
    Params = TagParams

    def measure(self, snap: Snapshot, params: TagParams) -> dict[str, Measurement]:
        """Flag the sites whose latest search check failed."""
        out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
        for row in problems(snap, SEARCH_CHECKS, params.lookback_days):
            site = out[row["site_id"]]
            site.value = 1.0
            site.evidence.append(
                {
                    "url": row["page_url"],
                    "check": CHECK_NAMES.get(row["check_kind"], row["check_kind"]),
                    "searched": row["suggestion"] or None,
                }
            )
        return out
