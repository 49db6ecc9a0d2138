"""Policy interpretation (政策解读): policy documents without their 解读 in time.

A post of a policy column is a policy document unless its title says 解读; an interpretation
is any post of the site titled with 解读. A policy is interpreted when an interpretation,
published from the policy's day to `window_days` after it, names the policy's core title
(the title without 关于印发/关于, the closing 的通知/的公告/的通告 and quotation marks).
Policies published within the last `window_days` are not judged yet.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from analysis.content.queries import policy_posts
from analysis.standards.evidence import Measurement, Snapshot
from analysis.standards.metrics.common import window_start
from analysis.standards.registry import Days, Metric, MetricParams, Scope, Unit, param
from crawler import defaults

INTERPRETATION = "解读"
QUOTES = re.compile(r"[《》〈〉“”\"'「」\s]")
PREFIX = re.compile(r"^(?:关于印发|关于转发|关于)")
SUFFIX = re.compile(r"的(?:通知|公告|通告)$")
MIN_CORE_CHARS = 6


def core_title(title: str) -> str:
    """What an interpretation's title quotes of a policy's title."""
    return SUFFIX.sub("", PREFIX.sub("", QUOTES.sub("", title)))


def reading_of(post: dict[str, Any]) -> tuple[str, str]:
    """An interpretation as matched: its title without quotation marks, its ISO day. Made once
    per interpretation, not once per policy compared with it."""
    return QUOTES.sub("", post["title"]), post["published_on"][:10]


def interpreted(policy: dict[str, Any], readings: list[tuple[str, str]], window: int) -> bool:
    """Whether one of the site's interpretations (`reading_of`) names the policy within the
    window."""
    core = core_title(policy["title"])
    if len(core) < MIN_CORE_CHARS:
        return True  # too short to match by title: not judged
    if not readings:
        return False
    start = date.fromisoformat(policy["published_on"])
    first, last = start.isoformat(), (start + timedelta(days=window)).isoformat()
    return any(core in title and first <= day <= last for title, day in readings)


class InterpretationParams(MetricParams):
    """The window an interpretation has, and how far back policies are judged."""

    window_days: Days = param(
        defaults.INTERPRETATION_WINDOW_DAYS, "days after a policy its 解读 may come"
    )
    lookback_days: Days = param(
        defaults.CONTENT_LOOKBACK_DAYS, "policies published within this many days are judged"
    )


class PoliciesWithoutInterpretation(Metric):
    """Policy documents (posts of policy columns, not themselves 解读) published in the look-back
    period, at least window_days before the check, with no 解读 post naming them within
    window_days."""

    name = "policies_without_interpretation"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("posts", "columns")
    title = "政策文件未发布解读"
    description = (
        "检查日前 lookback_days 天内（且已超过 window_days 天）发布的政策文件中，window_days 天内"
        "没有标题点明该文件的解读信息的文件数（按标题匹配）。"
    )
    recommendation = (
        "政策文件与解读材料同步组织、同步审签、同步部署，并在文件页与解读页互相关联。",
        "Publish each policy's interpretation with it and link the two.",
    )
    Params = InterpretationParams

    def measure(self, snap: Snapshot, params: InterpretationParams) -> dict[str, Measurement]:
        """Count the policies left without an interpretation."""
        first = window_start(snap.cutoff, params.lookback_days).isoformat()
        last = (snap.cutoff - timedelta(days=params.window_days)).isoformat()
        rows = policy_posts(snap.conn, snap.sites_json, first, snap.cutoff)
        out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
        readings: dict[str, list[tuple[str, str]]] = {}
        for row in rows:
            if INTERPRETATION in row["title"]:
                readings.setdefault(row["site_id"], []).append(reading_of(row))
        for row in rows:
            judged = row["category"] == "policy" and INTERPRETATION not in row["title"]
            if not judged or not first <= row["published_on"] <= last:
                continue
            if interpreted(row, readings.get(row["site_id"], []), params.window_days):
                continue
            site = out[row["site_id"]]
            site.value = (site.value or 0.0) + 1
            site.evidence.append(
                {"url": row["url"], "title": row["title"], "published_on": row["published_on"]}
            )
        return out
