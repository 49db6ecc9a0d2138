"""Broken links: the latest check of each link, on the home page or on inner pages."""

from __future__ import annotations

from typing import Any

from analysis import queries
from analysis.standards.evidence import Item, Measurement, Snapshot
from analysis.standards.metrics.common import SINCE_EVER
from analysis.standards.registry import Flag, Metric, MetricParams, Scope, Unit, param

EVIDENCE_KEYS = ("url", "found_on", "status", "error", "checked_at")


def broken_links(snap: Snapshot, home: bool | None, per_link: bool) -> dict[str, Measurement]:
    """Links whose latest check up to the cutoff failed: home (True), inner (False) or all."""
    found = snap.cached(
        "broken_links",
        lambda: queries.broken_links(snap.conn, snap.sites_json, SINCE_EVER, snap.cutoff),
    )
    out = {site_id: Measurement(0.0, items=[] if per_link else None) for site_id in snap.site_ids}
    for link in found:
        if home is not None and bool(link["on_home_page"]) != home:
            continue
        evidence = {key: link[key] for key in EVIDENCE_KEYS}
        site = out[link["site_id"]]
        if site.items is not None:
            site.items.append(Item(1.0, evidence))
        else:
            site.value = (site.value or 0.0) + 1
            site.evidence.append(evidence)
    return out


class BrokenLinksHome(Metric):
    """Links found on the home page whose latest check failed (error or HTTP status >= 400)."""

    name = "broken_links_home"
    scope = Scope.HOME_PAGE
    unit = Unit.COUNT
    needs = ("links",)
    title = "首页不可用链接数"
    description = "首页上最近一次检查打不开（出错或 HTTP 状态码 ≥ 400）的链接个数。"
    recommendation = (
        "修复或删除首页失效链接。",
        "Fix or remove the broken links on the home page.",
    )

    def measure(self, snap: Snapshot, params: Any) -> dict[str, Measurement]:
        """Count the broken home-page links."""
        return broken_links(snap, home=True, per_link=False)


class BrokenLinksInner(Metric):
    """Links found on pages other than the home page whose latest check failed."""

    name = "broken_links_inner"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("links",)
    title = "其他页面不可用链接数"
    description = "首页以外的页面上最近一次检查打不开的链接个数。"
    recommendation = (
        "定期检查并修复其他页面的失效链接。",
        "Check and fix the broken links on inner pages regularly.",
    )

    def measure(self, snap: Snapshot, params: Any) -> dict[str, Measurement]:
        """Count the broken links of inner pages."""
        return broken_links(snap, home=False, per_link=False)


class LinkParams(MetricParams):
    """Which links count."""

    home_page_only: Flag = param(False, "only links found on the home page")


class LinkBroken(Metric):
    """For each checked link: 1 when its latest check failed (error or HTTP status >= 400)."""

    name = "link_broken"
    scope = Scope.LINK
    unit = Unit.FLAG
    needs = ("links",)
    title = "链接不可用"
    description = "每个检查过的链接：最近一次检查打不开为 1，否则为 0。"
    recommendation = ("修复或删除失效链接。", "Fix or remove the broken links.")
    Params = LinkParams

    def measure(self, snap: Snapshot, params: LinkParams) -> dict[str, Measurement]:
        """One item per broken link."""
        return broken_links(snap, home=True if params.home_page_only else None, per_link=True)
