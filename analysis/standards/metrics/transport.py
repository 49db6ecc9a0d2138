"""HTTPS and IPv6 of each site, from the latest check the probe made (`transport_checks`).

Only the latest check within `lookback_days` counts: a fixed certificate clears the finding at
the next check. A check that could not be made from the monitoring host (无法验证: no IPv6
route, DNS failure) is "no data" — never a failure.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from analysis.standards.evidence import Measurement, Snapshot
from analysis.standards.metrics.common import window_start
from analysis.standards.registry import Days, Metric, MetricParams, Scope, Unit, param
from crawler import defaults

UNVERIFIABLE = "无法验证：本监测点无法完成该项检查（无 IPv6 路由或域名解析失败）"
NOT_CHECKED = "检查期内未做 HTTPS/IPv6 检查"
MAX_LINKS_CITED = 5  # inner pages cited per site; the value counts every one tried

HTTPS_CHECKS = {
    "missing": "未提供 HTTPS 访问（无法建立加密连接）",
    "expired": "HTTPS 证书已过期",
    "invalid": "HTTPS 证书无效（不受信任或与网站地址不符）",
}
IPV6_CHECKS = {
    "no_aaaa": "域名没有 IPv6 地址（AAAA 记录）",
    "unreachable": "首页无法通过 IPv6 访问",
    "differs": "首页通过 IPv6 访问的内容与 IPv4 不一致",
}


class TransportParams(MetricParams):
    """Which check counts."""

    lookback_days: Days = param(
        defaults.TRANSPORT_LOOKBACK_DAYS, "the latest check within this many days counts"
    )


def latest_checks(snap: Snapshot, lookback_days: int) -> dict[str, dict[str, Any]]:
    """site_id -> its latest transport check in the window ending on the cutoff day."""
    start = window_start(snap.cutoff, lookback_days).isoformat()
    end = (snap.cutoff + timedelta(days=1)).isoformat()

    def query() -> dict[str, dict[str, Any]]:
        cursor = snap.conn.execute(
            "SELECT * FROM transport_checks"
            " WHERE site_id IN (SELECT value FROM json_each(?))"
            " AND checked_at >= ? AND checked_at < ? ORDER BY checked_at, id",
            (snap.sites_json, start, end),
        )
        names = [d[0] for d in cursor.description]
        latest: dict[str, dict[str, Any]] = {}
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            latest[row["site_id"]] = row  # ordered by time: the last one wins
        return latest

    found: dict[str, dict[str, Any]] = snap.cached(("transport_checks", start, end), query)
    return found


def not_checked(snap: Snapshot) -> dict[str, Measurement]:
    """Every site without a check in the window: no data."""
    return {site_id: Measurement(note=NOT_CHECKED, no_data=True) for site_id in snap.site_ids}


def unverifiable() -> Measurement:
    """无法验证: no verdict, and the report says why."""
    return Measurement(note=UNVERIFIABLE, no_data=True)


def cited(url: str, check: str, found: str = "") -> dict[str, Any]:
    """Evidence the report words as 页面 URL：check，发现“found”."""
    return {"url": url, "check": check, "found": found}


def state_flags(
    snap: Snapshot, lookback_days: int, state_of: str, url_of: str, failing: dict[str, str]
) -> dict[str, Measurement]:
    """Per site, from the latest check's `state_of` column: 1 (cited at `url_of`) for a state
    in `failing` (state → what failed), 无法验证 for `unverifiable`, else 0."""
    out = not_checked(snap)
    for site_id, row in latest_checks(snap, lookback_days).items():
        state = row[state_of]
        if state == "unverifiable":
            out[site_id] = unverifiable()
        elif state in failing:
            out[site_id] = Measurement(1.0, [cited(row[url_of], failing[state])])
        else:
            out[site_id] = Measurement(0.0)
    return out


class HttpsUnavailable(Metric):
    """1 when the HTTPS home page cannot be opened with a valid certificate: no HTTPS service,
    an expired certificate, or one not trusted or not for the site's name; else 0."""

    name = "https_unavailable"
    scope = Scope.SITE
    unit = Unit.FLAG
    needs = ("transport_checks",)
    title = "HTTPS 不可用或证书无效"
    description = (
        "最近一次检查中，网站首页无法通过 HTTPS 访问，"
        "或证书已过期、不受信任、与网站地址不符时为 1。"
    )
    recommendation = (
        "为网站部署 HTTPS，使用受信任机构签发的有效证书，并在到期前及时更换。",
        "Serve the site over HTTPS with a valid certificate from a trusted CA; renew it in time.",
    )
    Params = TransportParams

    def measure(self, snap: Snapshot, params: TransportParams) -> dict[str, Measurement]:
        """Per site: 1 for a missing service or a bad certificate, 0 when verified."""
        return state_flags(snap, params.lookback_days, "https_state", "https_url", HTTPS_CHECKS)


class CertificateDaysLeft(Metric):
    """Days from the judging day to the expiry of the HTTPS certificate verified by the latest
    check (negative once expired); not applicable without a verified certificate."""

    name = "certificate_days_left"
    scope = Scope.SITE
    unit = Unit.DAYS
    needs = ("transport_checks",)
    title = "HTTPS 证书剩余有效天数"
    description = "最近一次检查验证通过的 HTTPS 证书距到期的天数；没有有效证书时不适用。"
    recommendation = (
        "在 HTTPS 证书到期前更换证书，建议设置自动续期。",
        "Renew the HTTPS certificate before it expires; automate renewal.",
    )
    Params = TransportParams

    def measure(self, snap: Snapshot, params: TransportParams) -> dict[str, Measurement]:
        """Per site: days left on the judging day (`snap.at`)."""
        out = not_checked(snap)
        for site_id, row in latest_checks(snap, params.lookback_days).items():
            expires = row["cert_not_after"]
            if row["https_state"] != "ok" or not expires:
                out[site_id] = Measurement(None, note="没有验证通过的 HTTPS 证书")
                continue
            until = datetime.fromisoformat(expires).date()
            left = (until - snap.at).days
            found = f"证书有效期至 {until:%Y年%m月%d日}，剩余 {left} 天"
            out[site_id] = Measurement(
                float(left), [cited(row["https_url"], "HTTPS 证书有效期", found)]
            )
        return out


class HttpNotRedirected(Metric):
    """1 when the plain-HTTP home page is served as a page instead of redirecting to
    https://; 0 when it redirects or nothing is served over plain HTTP."""

    name = "http_not_redirected"
    scope = Scope.SITE
    unit = Unit.FLAG
    needs = ("transport_checks",)
    title = "HTTP 访问未跳转到 HTTPS"
    description = "最近一次检查中，通过 HTTP 访问网站首页时没有跳转到 HTTPS 地址为 1。"
    recommendation = (
        "将 HTTP 访问统一跳转（301）到 HTTPS 地址。",
        "Redirect every plain-HTTP request (301) to its HTTPS address.",
    )
    Params = TransportParams

    def measure(self, snap: Snapshot, params: TransportParams) -> dict[str, Measurement]:
        """Per site: 1 when HTTP served the page, 0 otherwise."""
        failing = {"not_redirected": "通过 HTTP 访问首页未跳转到 HTTPS"}
        return state_flags(snap, params.lookback_days, "http_state", "http_url", failing)


class Ipv6HomeUnsupported(Metric):
    """1 when the site's host has no AAAA record, its home page does not answer over IPv6, or
    answers with other content than over IPv4; 0 when it answers alike; no data (无法验证)
    when the monitoring host has no IPv6 route or DNS failed."""

    name = "ipv6_home_unsupported"
    scope = Scope.SITE
    unit = Unit.FLAG
    needs = ("transport_checks",)
    title = "首页不支持 IPv6 访问"
    description = (
        "最近一次检查中，网站域名没有 IPv6 地址、首页无法通过 IPv6 访问，或 IPv6 与 IPv4 "
        "访问内容不一致时为 1；监测点没有 IPv6 网络时为无法验证，不判为问题。"
    )
    recommendation = (
        "为网站域名配置 IPv6 地址（AAAA 记录），确保通过 IPv6 访问与 IPv4 内容一致。",
        "Give the site's host an IPv6 address (AAAA) serving the same pages as over IPv4.",
    )
    Params = TransportParams

    def measure(self, snap: Snapshot, params: TransportParams) -> dict[str, Measurement]:
        """Per site: 1 for each failing state, 0 for `ok`."""
        return state_flags(snap, params.lookback_days, "ipv6_state", "home_url", IPV6_CHECKS)


class Ipv6InnerLinkRate(Metric):
    """Share of the inner pages tried (columns and newest posts) that answered over IPv6 with
    a status below 400; pages that could not be tried from here (无法验证) are left out."""

    name = "ipv6_inner_link_rate"
    scope = Scope.SITE
    unit = Unit.RATIO
    needs = ("transport_checks", "transport_links")
    title = "内页 IPv6 支持率"
    description = (
        "最近一次检查抽查的栏目页和信息页中，能通过 IPv6 正常访问的比例；"
        "监测点无法验证的页面不计入。"
    )
    recommendation = (
        "完成网站二级、三级页面的 IPv6 改造，确保内页均可通过 IPv6 访问。",
        "Make every inner page (columns, posts) reachable over IPv6.",
    )
    Params = TransportParams

    def measure(self, snap: Snapshot, params: TransportParams) -> dict[str, Measurement]:
        """Per site: ok / (ok + failed); no data when nothing could be tried."""
        out = not_checked(snap)
        for site_id, row in latest_checks(snap, params.lookback_days).items():
            tried = row["inner_ok"] + row["inner_failed"]
            if not tried:
                out[site_id] = unverifiable() if row["inner_unverifiable"] else out[site_id]
                continue
            rate = row["inner_ok"] / tried
            summary = (
                f"抽查内页 {tried} 个，{row['inner_ok']} 个可通过 IPv6 访问，支持率 {rate:.0%}"
            )
            evidence = [cited(row["home_url"], summary)]
            evidence += [
                cited(url, "内页无法通过 IPv6 访问") for url in failed_links(snap, row["id"])
            ]
            out[site_id] = Measurement(rate, evidence)
        return out


def failed_links(snap: Snapshot, check_id: int) -> list[str]:
    """The first inner pages of a check that failed over IPv6."""
    rows = snap.conn.execute(
        "SELECT url FROM transport_links WHERE check_id = ? AND state = 'failed' ORDER BY id"
        " LIMIT ?",
        (check_id, MAX_LINKS_CITED),
    )
    return [url for (url,) in rows]
