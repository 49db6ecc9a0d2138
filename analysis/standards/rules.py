"""One small class per metric family: it computes each site's value and evidence for a rule.

Comparing values with thresholds is not done here: `engine.RuleCheck` does it for every family.
A family only measures, for the snapshot's sites, the metric a rule names with the rule's
params. Windows of N days "before the check" are the N days ending on the judging day.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from datetime import date, timedelta
from typing import Any, ClassVar

from analysis import queries
from analysis.standards.evidence import Item, Measurement, Snapshot
from analysis.standards.profile import Rule

NEVER = math.inf
MAX_EVIDENCE = 50  # evidence entries kept per rule and site (the count says how many more)
SINCE_EVER = date(1970, 1, 1)
UNLIMITED = 10**9


def window_start(day: date, days: int) -> date:
    """First day of the `days` days ending on `day`."""
    return day - timedelta(days=days - 1)


def days_since(at: date, last: str | None) -> float:
    """Days from an ISO date to `at`; NEVER when there is no date."""
    return NEVER if last is None else float((at - date.fromisoformat(last)).days)


class MetricFamily(ABC):
    """Computes the metrics named in `metrics` for every site of a snapshot."""

    metrics: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        """site_id -> measurement of rule.metric with rule.params (sites may be absent: n/a)."""


# --- columns and posts ------------------------------------------------------------------------


def columns_of(snap: Snapshot, params: dict[str, Any], period_days: int = 1) -> list[dict]:
    """Crawled columns of the rule's categories (and home page only when asked), with facts."""
    window = (window_start(snap.cutoff, period_days), snap.cutoff)
    facts = snap.cached(
        ("columns", window),
        lambda: queries.column_facts(snap.conn, snap.sites_json, snap.cutoff, window),
    )
    categories = set(params.get("categories") or ())
    home_only = params.get("home_page_only", False)
    return [
        c
        for c in facts
        if (not categories or c["category"] in categories) and (c["on_home_page"] or not home_only)
    ]


def column_evidence(column: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """How evidence names a column."""
    return {
        "column": column["name"],
        "url": column["url"],
        "category": column["category"],
        "last_post_on": column["last_post_on"],
        **extra,
    }


def by_site(site_ids: tuple[str, ...]) -> dict[str, list]:
    """An empty list per site."""
    return {site_id: [] for site_id in site_ids}


class HomeUpdateFamily(MetricFamily):
    """Days since the newest dated post in the home page's columns."""

    metrics = ("days_since_home_update",)

    def measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        """Newest dated post over the on_home_page columns (all columns when none is flagged)."""
        grouped = by_site(snap.site_ids)
        for column in columns_of(snap, {}):
            grouped[column["site_id"]].append(column)
        out: dict[str, Measurement] = {}
        for site_id, columns in grouped.items():
            home = [c for c in columns if c["on_home_page"]] or columns
            if not any(c["has_posts"] for c in columns):
                # Nothing extracted from any column: an extraction failure as likely as a dead
                # site, so no verdict; the columns are the pages to look at.
                out[site_id] = Measurement(
                    evidence=[column_evidence(c) for c in home],
                    note="no post extracted from the site's columns",
                    no_data=True,
                )
                continue
            dated = [c for c in home if c["last_post_on"]]
            newest = max(dated, key=lambda c: c["last_post_on"], default=None)
            last = newest["last_post_on"] if newest else None
            evidence = [column_evidence(newest)] if newest else []
            note = "" if newest else "no dated post in the home page's columns"
            out[site_id] = Measurement(days_since(snap.at, last), evidence, note=note)
        return out


class ColumnStalenessFamily(MetricFamily):
    """Stale columns (count per site) and days since update per column."""

    metrics = ("stale_columns", "column_days_since_update")

    def measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        """Columns without any post are blank: skipped, or stale with include_blank."""
        params = rule.params
        per_column = rule.metric == "column_days_since_update"
        out = {site_id: Measurement(items=[] if per_column else None) for site_id in snap.site_ids}
        for column in columns_of(snap, params):
            site = out[column["site_id"]]
            blank = not column["has_posts"]
            since = days_since(snap.at, column["last_post_on"])
            if per_column:
                if not blank:
                    site.items.append(Item(since, column_evidence(column, days=_days(since))))
                continue
            if blank and not params["include_blank"]:
                continue
            limit = params["stale_days_by_category"].get(column["category"], params["stale_days"])
            if since > limit:
                site.evidence.append(column_evidence(column, days=_days(since), limit=limit))
        if not per_column:
            for site in out.values():
                site.value = float(len(site.evidence))
        return out


def _days(value: float) -> int | None:
    """Days for evidence (None for never)."""
    return None if math.isinf(value) else int(value)


class BlankColumnsFamily(MetricFamily):
    """Columns fetched fine that hold no post and no letter at all."""

    metrics = ("blank_columns",)

    def measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        """Count blank columns; a column whose latest list fetch failed is not blank."""
        out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
        for column in columns_of(snap, rule.params):
            if column["has_posts"] or column["letters"] or column["fetch_failed"]:
                continue
            site = out[column["site_id"]]
            site.evidence.append(column_evidence(column))
            site.value = float(len(site.evidence))
        return out


class PostVolumeFamily(MetricFamily):
    """Posts published in the last period_days, per site or per column."""

    metrics = ("posts_in_period", "column_posts_in_period")

    def measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        """Sum the columns' window counts (posts not gone before the window started)."""
        period = rule.params["period_days"]
        per_column = rule.metric == "column_posts_in_period"
        out = {
            site_id: Measurement(0.0, items=[] if per_column else None) for site_id in snap.site_ids
        }
        start = window_start(snap.cutoff, period).isoformat()
        for column in columns_of(snap, rule.params, period):
            site = out[column["site_id"]]
            posts = column["posts_in_window"]
            evidence = column_evidence(column, posts=posts, since=start)
            if per_column:
                site.items.append(Item(float(posts), evidence))
            else:
                site.value += posts
                site.evidence.append(evidence)
        return out


# --- probes and links -------------------------------------------------------------------------


class ProbeFamily(MetricFamily):
    """Home-page availability: failure rate over a window, failures in a row."""

    metrics = ("home_failure_rate", "home_consecutive_failures")
    CONSECUTIVE_LOOKBACK_DAYS = 31  # a run of failures is looked for this far back

    def measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        """Probes up to the end of the cutoff day; a site never visited has no data."""
        unvisited = Measurement(note="no probe visit in the window", no_data=True)
        return {site_id: unvisited for site_id in snap.site_ids} | self._measure(snap, rule)

    def _measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        timeout = rule.params["timeout_seconds"]
        if rule.metric == "home_failure_rate":
            start = window_start(snap.cutoff, rule.params["window_days"])
            params = queries.probe_params(snap.sites_json, start, snap.cutoff, timeout)
            return {
                row["site_id"]: Measurement(
                    row["failures"] / row["visits"],
                    [{"visits": row["visits"], "failures": row["failures"], "since": str(start)}],
                )
                for row in queries.probe_summary(snap.conn, params)
            }
        start = window_start(snap.cutoff, self.CONSECUTIVE_LOOKBACK_DAYS)
        params = queries.probe_params(snap.sites_json, start, snap.cutoff, timeout)
        visited = queries.group_rows(queries.probe_summary(snap.conn, params))
        return {
            row["site_id"]: Measurement(
                float(row["failures"]),
                [{"failed_visits": row["failures"], "since": row["since"]}]
                if row["failures"]
                else [],
            )
            for row in queries.trailing_failures(snap.conn, params)
            if row["site_id"] in visited
        }


class LinkFamily(MetricFamily):
    """Links whose latest check failed, on the home page or on inner pages."""

    metrics = ("broken_links_home", "broken_links_inner", "link_broken")

    def measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        """The latest check of each link up to the cutoff (per link: only broken ones listed)."""
        found = snap.cached(
            "broken_links",
            lambda: queries.broken_links(snap.conn, snap.sites_json, SINCE_EVER, snap.cutoff),
        )
        per_link = rule.metric == "link_broken"
        home = rule.metric == "broken_links_home" or (
            per_link and rule.params.get("home_page_only", False)
        )
        out = {
            site_id: Measurement(0.0, items=[] if per_link else None) for site_id in snap.site_ids
        }
        for link in found:
            if rule.metric == "broken_links_inner" and link["on_home_page"]:
                continue
            if home and not link["on_home_page"]:
                continue
            evidence = {
                key: link[key] for key in ("url", "found_on", "status", "error", "checked_at")
            }
            site = out[link["site_id"]]
            if per_link:
                site.items.append(Item(1.0, evidence))
            else:
                site.value += 1
                site.evidence.append(evidence)
        return out


# --- consultations ----------------------------------------------------------------------------


def letter_evidence(row: dict[str, Any]) -> dict[str, Any]:
    """How evidence names a letter."""
    return {
        "url": row["url"],
        "title": row["title"][:80],
        "asked_on": row["asked_on"],
        "replied_on": row["replied_on"],
        "days": row["days"],
        "workdays": row["workdays"],
    }


class ConsultationFamily(MetricFamily):
    """Consultation channel, letters left unanswered, reply rate and reply times."""

    metrics = (
        "consultation_channel_missing",
        "consultations_unanswered_over_days",
        "reply_rate",
        "replies_over_workdays",
        "reply_workdays_max",
        "reply_workdays_p90",
        "days_since_last_reply",
        "reply_workdays",
    )

    def measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        """Dispatch to the metric's own small method."""
        queries.install_workday_index(snap.conn, snap.calendar, snap.cutoff)
        return getattr(self, f"_{rule.metric}")(snap, rule.params)

    def _params(self, snap: Snapshot, params: dict[str, Any]) -> dict[str, Any]:
        """Letters asked within the lookback before the judging day."""
        asked_from = window_start(snap.at, params["lookback_days"])
        return queries.letter_params(snap.sites_json, asked_from, snap.cutoff, snap.at)

    def _consultation_channel_missing(
        self, snap: Snapshot, params: dict[str, Any]
    ) -> dict[str, Measurement]:
        found = queries.consultation_channels(snap.conn, snap.sites_json)
        return {
            row["site_id"]: Measurement(
                float(not row["columns"] and not row["letters"]),
                [{"consultation_columns": row["columns"], "letters": row["letters"]}],
            )
            for row in found
        }

    def _summary(self, snap: Snapshot, params: dict[str, Any], **limits: int) -> dict[str, dict]:
        summary = queries.letter_summary(snap.conn, self._params(snap, params), **limits)
        return queries.group_rows(summary)

    def _over(
        self, snap: Snapshot, params: dict[str, Any], over_days: int, over_workdays: int
    ) -> dict[str, Measurement]:
        """Letters that waited too long: count and the letters themselves."""
        out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
        found = queries.letters_over(
            snap.conn, self._params(snap, params), over_days=over_days, over_workdays=over_workdays
        )
        for row in found:
            site = out[row["site_id"]]
            site.value += 1
            site.evidence.append(letter_evidence(row))
        return out

    def _consultations_unanswered_over_days(
        self, snap: Snapshot, params: dict[str, Any]
    ) -> dict[str, Measurement]:
        return self._over(snap, params, params["over_days"], UNLIMITED)

    def _replies_over_workdays(
        self, snap: Snapshot, params: dict[str, Any]
    ) -> dict[str, Measurement]:
        return self._over(snap, params, UNLIMITED, params["workdays"])

    def _reply_rate(self, snap: Snapshot, params: dict[str, Any]) -> dict[str, Measurement]:
        summary = self._summary(
            snap, params, over_days=0, over_workdays=0, grace_workdays=params["grace_workdays"]
        )
        out: dict[str, Measurement] = {}
        for site_id, row in summary.items():
            judged, replied = row["judged"], row["judged_replied"]
            evidence = [{"letters": judged, "replied": replied, "pending": judged - replied}]
            note = "" if judged else "no letter old enough to judge"
            out[site_id] = Measurement(replied / judged if judged else None, evidence, note=note)
        return out

    def _latency(self, snap: Snapshot, params: dict[str, Any], key: str) -> dict[str, Measurement]:
        found = queries.reply_latency(snap.conn, self._params(snap, params))
        return {
            row["grp"]: Measurement(
                float(row[key]), [{"replied_letters": row["n"], key + "_workdays": row[key]}]
            )
            for row in found
        }

    def _reply_workdays_max(self, snap: Snapshot, params: dict[str, Any]) -> dict:
        return self._latency(snap, params, "max")

    def _reply_workdays_p90(self, snap: Snapshot, params: dict[str, Any]) -> dict:
        return self._latency(snap, params, "p90")

    def _days_since_last_reply(
        self, snap: Snapshot, params: dict[str, Any]
    ) -> dict[str, Measurement]:
        found = queries.last_replies(snap.conn, snap.sites_json, snap.cutoff)
        return {
            row["site_id"]: Measurement(
                days_since(snap.at, row["last_reply_on"]),
                [{"letters": row["letters"], "last_reply_on": row["last_reply_on"]}],
                note="" if row["last_reply_on"] else "no letter was ever answered",
            )
            for row in found
        }

    def _reply_workdays(self, snap: Snapshot, params: dict[str, Any]) -> dict[str, Measurement]:
        out = {site_id: Measurement(items=[]) for site_id in snap.site_ids}
        found = queries.letters_over(
            snap.conn, self._params(snap, params), over_days=-1, over_workdays=-1
        )
        for row in found:
            if row["workdays"] is not None:
                out[row["site_id"]].items.append(Item(float(row["workdays"]), letter_evidence(row)))
        return out


# --- dates ------------------------------------------------------------------------------------


class PostDateFamily(MetricFamily):
    """Posts whose date sources disagree (suspected fake publication dates)."""

    metrics = ("suspicious_dates", "post_date_disagreement_days")

    def measure(self, snap: Snapshot, rule: Rule) -> dict[str, Measurement]:
        """Posts published in the last period_days; per post only those with any gap listed."""
        per_post = rule.metric == "post_date_disagreement_days"
        over = 0 if per_post else rule.params["max_disagreement_days"]
        start = window_start(snap.cutoff, rule.params["period_days"])
        found = queries.post_date_gaps(snap.conn, snap.sites_json, start, snap.cutoff, over)
        out = {
            site_id: Measurement(0.0, items=[] if per_post else None) for site_id in snap.site_ids
        }
        for row in found:
            evidence = {
                key: row[key]
                for key in (
                    "url",
                    "published_on",
                    "list_date",
                    "meta_date",
                    "text_date",
                    "url_date",
                    "gap_days",
                )
            }
            evidence["first_seen_on"] = None if row["baseline"] else row["first_seen_on"]
            site = out[row["site_id"]]
            if per_post:
                site.items.append(Item(float(row["gap_days"]), evidence))
            else:
                site.value += 1
                site.evidence.append(evidence)
        return out


FAMILIES: tuple[type[MetricFamily], ...] = (
    HomeUpdateFamily,
    ColumnStalenessFamily,
    BlankColumnsFamily,
    PostVolumeFamily,
    ProbeFamily,
    LinkFamily,
    ConsultationFamily,
    PostDateFamily,
)


def family_for(metric: str) -> MetricFamily:
    """The family computing a metric (KeyError for a metric no family computes)."""
    for family in FAMILIES:
        if metric in family.metrics:
            return family()
    raise KeyError(metric)
