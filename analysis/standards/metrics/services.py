"""Whether a site's 办事指南 are usable (服务不实用): their downloads and online applications.

The crawl judges each guide's links (crawler/content/service_links.py): a form that does not
download, is empty or is not the file its name promises, an online-application link that does
not answer. These are facts the machine checks, so they count without review by default;
findings marked 误报 never count.
"""

from __future__ import annotations

from analysis.content.queries import SERVICE_LINK_CHECKS
from analysis.standards.evidence import Measurement, Snapshot
from analysis.standards.metrics.content import CONFIRM, ContentParams, count_findings
from analysis.standards.registry import Flag, Metric, Scope, Unit, param


class ServiceLinkParams(ContentParams):
    """A dead link is a fact: counted without confirmation unless the rule asks for it."""

    require_confirmation: Flag = param(False, CONFIRM)


class ServiceLinksUnusable(Metric):
    """Links of 办事指南 pages that do not work: attachments that do not download (an error
    status or no answer), are empty or are not the type their extension names (a page sent as
    a .doc), and online-application links (在线办理 / 网上申请 …) that do not answer 2xx/3xx."""

    name = "service_links_unusable"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("content_findings",)
    title = "办事指南附件或在线办理不可用"
    description = (
        "检查日前 lookback_days 天内发布的办事指南中，不能使用的链接数：附件无法下载、文件为空"
        "或内容与扩展名不符（如以 .doc 为名的网页），在线办理（网上申请、在线申报等）链接打不开。"
        "require_confirmation 为真时只计人工确认的；标为误报的不计。"
    )
    recommendation = (
        "修复办事指南中无法下载或内容不符的附件和打不开的在线办理链接，确保服务可用、实用。",
        "Fix the service guides' broken or wrong downloads and dead online-application links.",
    )
    Params = ServiceLinkParams

    def measure(self, snap: Snapshot, params: ServiceLinkParams) -> dict[str, Measurement]:
        """Count the unusable links of each site's guides."""
        return count_findings(
            snap, params, personal=False, severity=None, kinds=SERVICE_LINK_CHECKS
        )
