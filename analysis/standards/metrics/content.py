"""Content errors (严重表述错误 / 错敏信息) found by the crawl's content checks.

Serious findings count only once a person confirmed them (`sitewatch findings confirm`) unless
the rule sets `require_confirmation: false`; findings marked 误报 never count. The serious
findings nobody reviewed yet are `content_pending_review`, a warning that shows them as 待确认.
"""

from __future__ import annotations

from typing import Any

from analysis.content.queries import (
    CHECK_NAMES,
    PERSONAL_CHECKS,
    REVIEW_NAMES,
    SERVICE_CHECKS,
    SEVERITY_NAMES,
    WORDING_CHECKS,
    findings_between,
)
from analysis.standards.evidence import Measurement, Snapshot
from analysis.standards.metrics.common import window_start
from analysis.standards.registry import Days, Flag, Metric, MetricParams, Scope, Unit, param
from crawler import defaults

LOOKBACK = "only findings on pages dated within this many days before the check"
CONFIRM = "count a finding only after a person confirmed it (待确认 ones are listed, not counted)"


class ContentParams(MetricParams):
    """Which findings count."""

    lookback_days: Days = param(defaults.CONTENT_LOOKBACK_DAYS, LOOKBACK)
    require_confirmation: Flag = param(defaults.CONTENT_REQUIRE_CONFIRMATION, CONFIRM)


def evidence_of(row: dict[str, Any]) -> dict[str, Any]:
    """How a finding is cited: the page, what was found, the suggestion, its review."""
    return {
        "url": row["page_url"],
        "finding_id": row["id"],
        "title": row["page_title"],
        "page_date": row["page_date"],
        "attachment_url": row["attachment_url"] or None,
        "check": CHECK_NAMES.get(row["check_kind"], row["check_kind"]),
        "term": row["term"],
        "suggestion": row["suggestion"] or None,
        "severity": SEVERITY_NAMES.get(row["severity"], row["severity"]),
        "snippet": row["snippet"],
        "review": REVIEW_NAMES.get(row["review"], row["review"]),
    }


def count_findings(
    snap: Snapshot,
    params: ContentParams,
    *,
    personal: bool,
    severity: str | None,
    kinds: tuple[str, ...] | None = None,
) -> dict[str, Measurement]:
    """Per site: findings of the kind not marked 误报 (待确认 ones only without confirmation)."""
    start = window_start(snap.cutoff, params.lookback_days)
    rows = snap.cached(
        ("content_findings", start),
        lambda: findings_between(snap.conn, snap.sites_json, start, snap.cutoff),
    )
    out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
    for row in rows:
        wanted = kinds or (PERSONAL_CHECKS if personal else WORDING_CHECKS)
        if row["check_kind"] not in wanted or row["review"] == "rejected":
            continue
        if severity is not None and row["severity"] != severity:
            continue
        if row["review"] == "pending" and params.require_confirmation:
            continue  # listed by content_pending_review, not counted here
        site = out[row["site_id"]]
        site.value = (site.value or 0.0) + 1
        site.evidence.append(evidence_of(row))
    return out


class ContentSeriousErrors(Metric):
    """Serious content errors on the site's pages: a listed leader's name written wrong or with
    a title not held on the page's date, a serious wrong word, a sensitive word, a classified
    marking. With require_confirmation, only findings a person confirmed count."""

    name = "content_serious_errors"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("content_findings",)
    title = "严重表述错误"
    description = (
        "检查日前 lookback_days 天内发布的页面及其附件中，严重级别的内容错误条数：领导姓名或职务"
        "错误、严重错别字、敏感词、涉密标识。require_confirmation 为真时只计人工确认的（待确认的"
        "列出但不计），标为误报的不计。"
    )
    recommendation = (
        "立即核实并更正或撤下出错内容，核对领导姓名与职务，落实内容发布三审制度。",
        "Correct or withdraw the content at once; check leader names and titles before publishing.",
    )
    Params = ContentParams

    def measure(self, snap: Snapshot, params: ContentParams) -> dict[str, Measurement]:
        """Count the serious findings."""
        return count_findings(snap, params, personal=False, severity="serious")


class SuspectedParams(ContentParams):
    """Suspected findings count without confirmation by default: they only warn."""

    require_confirmation: Flag = param(False, CONFIRM)


class ContentSuspectedErrors(Metric):
    """Suspected content errors (疑似): a wrong word from the confusion dictionary, a name that
    sounds like a listed leader's without a title next to it."""

    name = "content_suspected_errors"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("content_findings",)
    title = "疑似错别字"
    description = (
        "检查日前 lookback_days 天内发布的页面及其附件中，疑似级别的内容错误条数（错别字词典命中、"
        "与领导姓名同音的写法等），标为误报的不计。"
    )
    recommendation = (
        "核对疑似错别字并更正，确属正确写法的标为误报。",
        "Check the suspected wrong words; mark correct ones as false alarms.",
    )
    Params = SuspectedParams

    def measure(self, snap: Snapshot, params: SuspectedParams) -> dict[str, Measurement]:
        """Count the suspected findings."""
        return count_findings(snap, params, personal=False, severity="suspected")


class PersonalDataExposed(Metric):
    """Personal data exposed on pages and attachments: ID numbers with a valid check digit,
    bank card numbers (Luhn, next to a card word), mobile numbers."""

    name = "personal_data_exposed"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("content_findings",)
    title = "泄露个人信息"
    description = (
        "检查日前 lookback_days 天内发布的页面及其附件中，公开的身份证号码（校验位正确）、银行卡号"
        "（Luhn 校验正确且前有卡号字样）和手机号码条数；require_confirmation 为真时只计人工确认的。"
    )
    recommendation = (
        "撤下或遮盖页面和附件中的个人信息，公开前做脱敏处理。",
        "Remove or mask personal data in pages and attachments before publishing.",
    )
    Params = ContentParams

    def measure(self, snap: Snapshot, params: ContentParams) -> dict[str, Measurement]:
        """Count the personal-data findings."""
        return count_findings(snap, params, personal=True, severity=None)


class PendingParams(MetricParams):
    """Which findings wait for a person."""

    lookback_days: Days = param(defaults.CONTENT_LOOKBACK_DAYS, LOOKBACK)


class ContentPendingReview(Metric):
    """Findings that count only once confirmed (serious ones, personal data and incomplete
    service guides) that nobody has reviewed yet: they do not veto, the report shows them as
    待确认."""

    name = "content_pending_review"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("content_findings",)
    title = "待确认的内容问题"
    description = (
        "检查日前 lookback_days 天内发布的页面及其附件中，尚未人工确认（待确认）的严重内容问题"
        "和个人信息条数（确认后才计入否决或扣分）。"
    )
    recommendation = (
        "尽快人工核实：属实的用 sitewatch findings confirm 确认，不属实的用 reject 标为误报。",
        "Review them: confirm real ones (sitewatch findings confirm), reject false alarms.",
    )
    Params = PendingParams

    def measure(self, snap: Snapshot, params: PendingParams) -> dict[str, Measurement]:
        """Count the serious and personal-data findings still 待确认."""
        start = window_start(snap.cutoff, params.lookback_days)
        rows = snap.cached(
            ("content_findings", start),
            lambda: findings_between(snap.conn, snap.sites_json, start, snap.cutoff),
        )
        out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
        for row in rows:
            kind = row["check_kind"]
            confirmable = (
                kind in PERSONAL_CHECKS
                or kind in SERVICE_CHECKS
                or (kind in WORDING_CHECKS and row["severity"] == "serious")
            )
            if confirmable and row["review"] == "pending":
                site = out[row["site_id"]]
                site.value = (site.value or 0.0) + 1
                site.evidence.append(evidence_of(row))
        return out


class ServiceGuidesIncomplete(Metric):
    """办事指南 pages lacking required elements (事项名称, 设定依据, 申请条件, 办理材料, 办理地点,
    办理时间, 联系电话, 办理流程), judged by the labels the page shows; labels vary, so with
    require_confirmation only guides a person confirmed count."""

    name = "service_guides_incomplete"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("content_findings",)
    title = "办事指南要素缺失"
    description = (
        "检查日前 lookback_days 天内发布的办事指南中，缺少事项名称、设定依据、申请条件、办理材料、"
        "办理地点、办理时间、联系电话、办理流程任一要素的指南数；require_confirmation 为真时只计"
        "人工确认的。"
    )
    recommendation = (
        "补齐办事指南的全部要素，确保准确、实用。",
        "Complete every element of the service guides.",
    )
    Params = ContentParams

    def measure(self, snap: Snapshot, params: ContentParams) -> dict[str, Measurement]:
        """Count the incomplete guides."""
        return count_findings(snap, params, personal=False, severity=None, kinds=SERVICE_CHECKS)
