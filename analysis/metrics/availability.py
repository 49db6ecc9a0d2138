"""Availability of home pages from the probes: visits, failures, outages."""

from __future__ import annotations

from analysis import queries
from analysis.metrics.context import MonthContext
from analysis.metrics.model import Availability


def availabilities(ctx: MonthContext) -> dict[str, Availability]:
    """Per site: probe visits and failures in the period, longest outage and failure run."""
    params = queries.probe_params(
        ctx.sites_json, ctx.period.start, ctx.period.end, ctx.settings.probe_timeout_s
    )
    summary = queries.group_rows(queries.probe_summary(ctx.conn, params))
    outages = queries.group_rows(queries.probe_outages(ctx.conn, params))
    out: dict[str, Availability] = {}
    for site_id in ctx.site_ids:
        visits = summary.get(site_id, {}).get("visits", 0)
        failures = summary.get(site_id, {}).get("failures", 0) or 0
        run = outages.get(site_id, {})
        hours = run.get("longest_outage_h")
        out[site_id] = Availability(
            visits=visits,
            failures=failures,
            failure_rate=round(failures / visits, 4) if visits else None,
            longest_outage_hours=round(hours, 2) if hours is not None else None,
            longest_failure_run=run.get("longest_failures", 0),
            outages=run.get("outages", 0),
        )
    return out
