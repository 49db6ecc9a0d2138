"""Home-page availability from the probes: failure rate over a window, failures in a row."""

from __future__ import annotations

from typing import Any

from analysis import queries
from analysis.standards.evidence import Measurement, Snapshot
from analysis.standards.metrics.common import window_start
from analysis.standards.registry import (
    Metric,
    MetricParams,
    Scope,
    Seconds,
    Unit,
    WindowDays,
    param,
)
from crawler import defaults

TIMEOUT = "a visit slower than this counts as failed"


class TimeoutParams(MetricParams):
    """When a visit counts as failed."""

    timeout_seconds: Seconds = param(defaults.PROBE_TIMEOUT_S, TIMEOUT)


class FailureRateParams(TimeoutParams):
    """The probe window and the timeout."""

    window_days: WindowDays = param(defaults.PROBE_WINDOW_DAYS, "length of the probe window")


class HomeFailureRate(Metric):
    """Share of home-page visits (probes) that failed (error, HTTP status >= 400, or slower than
    timeout_seconds) over the last window_days; hours of a registered, approved temporary
    shutdown are left out."""

    name = "home_failure_rate"
    scope = Scope.HOME_PAGE
    unit = Unit.RATIO
    needs = ("probes",)
    title = "首页访问失败率"
    description = (
        "最近 window_days 天内首页访问（探测）失败的比例：出错、HTTP 状态码 ≥ 400 或超过 "
        "timeout_seconds 秒未打开即为失败；已报备批准的临时关停时段不计。"
    )
    recommendation = (
        "排查服务器与网络故障,建立首页可用性监控,临时关停须按规定报备。",
        "Fix server and network faults, monitor the home page, register any planned shutdown.",
    )
    Params = FailureRateParams

    def measure(self, snap: Snapshot, params: FailureRateParams) -> dict[str, Measurement]:
        """Probes up to the end of the cutoff day; a site never visited has no data."""
        start = window_start(snap.cutoff, params.window_days)
        found = queries.probe_params(snap.sites_json, start, snap.cutoff, params.timeout_seconds)
        return unvisited(snap) | {
            row["site_id"]: Measurement(
                row["failures"] / row["visits"],
                [{"visits": row["visits"], "failures": row["failures"], "since": str(start)}],
            )
            for row in queries.probe_summary(snap.conn, found)
        }


class HomeConsecutiveFailures(Metric):
    """Number of consecutive failed home-page visits ending with the latest probe (0 when the
    latest visit succeeded)."""

    name = "home_consecutive_failures"
    scope = Scope.HOME_PAGE
    unit = Unit.COUNT
    needs = ("probes",)
    title = "首页连续访问失败次数"
    description = "截至最近一次探测，首页连续访问失败的次数（最近一次成功则为 0）。"
    recommendation = (
        "立即检查网站运行状态,恢复首页访问。",
        "Check the site now and restore the home page.",
    )
    Params = TimeoutParams
    LOOKBACK_DAYS = 31  # a run of failures is looked for this far back

    def measure(self, snap: Snapshot, params: TimeoutParams) -> dict[str, Measurement]:
        """The trailing run of failures of each site that was probed in the lookback."""
        start = window_start(snap.cutoff, self.LOOKBACK_DAYS)
        found = queries.probe_params(snap.sites_json, start, snap.cutoff, params.timeout_seconds)
        visited = queries.group_rows(queries.probe_summary(snap.conn, found))
        return unvisited(snap) | {
            row["site_id"]: Measurement(float(row["failures"]), _run_evidence(row))
            for row in queries.trailing_failures(snap.conn, found)
            if row["site_id"] in visited
        }


def unvisited(snap: Snapshot) -> dict[str, Measurement]:
    """Every site as not visited: no data, until a probe row says otherwise."""
    measurement = Measurement(note="no probe visit in the window", no_data=True)
    return dict.fromkeys(snap.site_ids, measurement)


def _run_evidence(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Evidence of a failure run (none when the latest visit succeeded)."""
    if not row["failures"]:
        return []
    return [{"failed_visits": row["failures"], "since": row["since"]}]
