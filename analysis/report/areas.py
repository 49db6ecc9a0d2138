"""The checklist areas of issue 15 beyond updates, replies and availability, one report section
each: site identity and page tags, search, services, policy interpretation, the yearly report,
HTTPS and IPv6 (content errors have their own section: analysis/content/report.py), and one
annex of the 通报 (附件4) that gives every area's checks at a glance.

An area is a set of metric names and name prefixes, so a rule on a new metric of the area (e.g.
an `https_…` or `ipv6_…` check) lands in its section without a change here. The figures per
area are grouped from the engine's verdicts in `build.areas_of`; `area_section` only lays them
out, with the same evidence sentences as the findings table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    """One checklist area: its section key, heading and the metrics it gathers."""

    key: str
    heading: tuple[str, str]  # zh, en
    metrics: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    # Laid out by a section of its own (content errors: analysis/content/report.py); the area
    # still has its row in the annex of checks.
    own_section: bool = False

    def holds(self, metric: str) -> bool:
        """Whether a rule on this metric belongs to the area."""
        return metric in self.metrics or metric.startswith(self.prefixes)


AREAS: tuple[Area, ...] = (
    Area(
        "content",
        ("内容错误（错敏信息）", "Content errors"),
        frozenset(
            {
                "content_serious_errors",
                "content_suspected_errors",
                "content_pending_review",
                "personal_data_exposed",
            }
        ),
        ("content_",),
        own_section=True,
    ),
    Area(
        "identity",
        ("网站标识与页面标签", "Site identity and page tags"),
        frozenset({"site_identity_problems", "page_tag_problems"}),
        ("identity_", "page_tag_"),
    ),
    Area(
        "search",
        ("站内搜索", "Site search"),
        frozenset({"site_search_broken"}),
        ("search_", "site_search_"),
    ),
    Area(
        "services",
        ("办事服务", "Online services"),
        frozenset({"service_guides_incomplete", "service_links_unusable"}),
        ("service_",),
    ),
    Area(
        "interpretation",
        ("政策解读", "Policy interpretation"),
        frozenset({"policies_without_interpretation"}),
        ("interpretation_",),
    ),
    Area(
        "yearly_report",
        ("政府网站工作年度报表", "Yearly work report"),
        frozenset({"yearly_report_missing"}),
        ("yearly_report_",),
    ),
    Area(
        "transport",
        ("HTTPS 与 IPv6 支持", "HTTPS and IPv6"),
        frozenset({"certificate_days_left", "http_not_redirected"}),
        ("https_", "ipv6_", "certificate_", "tls_"),
    ),
)


def area_of(metric: str) -> Area | None:
    """The area a rule's metric belongs to, if any."""
    return next((area for area in AREAS if area.holds(metric)), None)
