"""Consultations (政务咨询): channel, letters left unanswered, reply rate and reply times.

Letters are those asked within `lookback_days` before the judging day; working days follow the
official calendar (the snapshot's), through the temp workday index.
"""

from __future__ import annotations

from typing import Any

from analysis import queries
from analysis.standards.evidence import Item, Measurement, Snapshot
from analysis.standards.metrics.common import UNLIMITED, days_since, letter_evidence, window_start
from analysis.standards.registry import (
    Days,
    Metric,
    MetricParams,
    Scope,
    Unit,
    WorkdayCount,
    Workdays,
    param,
)
from crawler import defaults

LOOKBACK = "only messages asked within this many days before the check"


class LookbackParams(MetricParams):
    """Which letters count."""

    lookback_days: Days = param(defaults.LETTERS_LOOKBACK_DAYS, LOOKBACK)


def letter_window(snap: Snapshot, lookback_days: int) -> dict[str, Any]:
    """Query parameters of the letters asked within the lookback before the judging day."""
    queries.install_workday_index(snap.conn, snap.calendar, snap.cutoff)
    asked_from = window_start(snap.at, lookback_days)
    return queries.letter_params(snap.sites_json, asked_from, snap.cutoff, snap.at)


def letters_over(
    snap: Snapshot, lookback_days: int, over_days: int, over_workdays: int
) -> dict[str, Measurement]:
    """Letters that waited too long: the count per site and the letters themselves."""
    out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
    found = queries.letters_over(
        snap.conn,
        letter_window(snap, lookback_days),
        over_days=over_days,
        over_workdays=over_workdays,
    )
    for row in found:
        site = out[row["site_id"]]
        site.value = (site.value or 0.0) + 1
        site.evidence.append(letter_evidence(row))
    return out


def reply_latency(snap: Snapshot, lookback_days: int, key: str) -> dict[str, Measurement]:
    """The max or p90 reply time in working days of each site's replied letters."""
    found = queries.reply_latency(snap.conn, letter_window(snap, lookback_days))
    return {
        row["grp"]: Measurement(
            float(row[key]), [{"replied_letters": row["n"], key + "_workdays": row[key]}]
        )
        for row in found
    }


class ConsultationChannelMissing(Metric):
    """1 when the site has no working government-consultation channel: no column of category
    consultation and no consultation message found; else 0."""

    name = "consultation_channel_missing"
    scope = Scope.SITE
    unit = Unit.FLAG
    needs = ("columns", "consultations")
    title = "无政务咨询渠道"
    description = "网站既没有政务咨询类栏目，也找不到任何咨询留言时为 1，否则为 0。"
    recommendation = (
        "开设有效的在线咨询渠道(如局长信箱)。",
        "Open a working online consultation channel (e.g. a director's mailbox).",
    )

    def measure(self, snap: Snapshot, params: Any) -> dict[str, Measurement]:
        """Consultation columns and letters per site."""
        found = queries.consultation_channels(snap.conn, snap.sites_json)
        return {
            row["site_id"]: Measurement(
                float(not row["columns"] and not row["letters"]),
                [{"consultation_columns": row["columns"], "letters": row["letters"]}],
            )
            for row in found
        }


class UnansweredParams(LookbackParams):
    """The longest acceptable wait in calendar days."""

    over_days: Days = param(
        defaults.OVERDUE_DAYS, "longest acceptable wait in days (3 months ≈ 91)"
    )


class ConsultationsUnansweredOverDays(Metric):
    """Consultation messages asked within lookback_days before the check that were left
    unanswered more than over_days: replied later than that, or still unanswered and older."""

    name = "consultations_unanswered_over_days"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("consultations",)
    projectable = True
    title = "超期未答复留言数"
    description = (
        "检查日前 lookback_days 天内的留言中，超过 over_days 天才答复或至今未答复且已超过 "
        "over_days 天的条数。"
    )
    recommendation = (
        "尽快答复逾期留言,建立留言办理督办机制。",
        "Answer the overdue letters now and track every letter to its reply.",
    )
    Params = UnansweredParams

    def measure(self, snap: Snapshot, params: UnansweredParams) -> dict[str, Measurement]:
        """Letters over the calendar-day limit."""
        return letters_over(snap, params.lookback_days, params.over_days, UNLIMITED)


class ReplyRateParams(LookbackParams):
    """Which letters are judged."""

    grace_workdays: WorkdayCount = param(
        defaults.REPLY_LIMIT_WORKDAYS, "working days a new message may wait unanswered"
    )


class ReplyRate(Metric):
    """Replied messages / messages asked within lookback_days; messages younger than
    grace_workdays working days are left out (they may still be answered in time)."""

    name = "reply_rate"
    scope = Scope.SITE
    unit = Unit.RATIO
    needs = ("consultations",)
    title = "留言答复率"
    description = (
        "检查日前 lookback_days 天内留言的已答复比例；不足 grace_workdays 个工作日的新留言不计。"
    )
    recommendation = ("确保每条咨询都得到答复。", "Make sure every consultation gets a reply.")
    Params = ReplyRateParams

    def measure(self, snap: Snapshot, params: ReplyRateParams) -> dict[str, Measurement]:
        """Replied / judged letters; no letter old enough: not applicable."""
        summary = queries.group_rows(
            queries.letter_summary(
                snap.conn,
                letter_window(snap, params.lookback_days),
                over_days=0,
                over_workdays=0,
                grace_workdays=params.grace_workdays,
            )
        )
        out: dict[str, Measurement] = {}
        for site_id, row in summary.items():
            judged, replied = row["judged"], row["judged_replied"]
            evidence = [{"letters": judged, "replied": replied, "pending": judged - replied}]
            note = "" if judged else "no letter old enough to judge"
            out[site_id] = Measurement(replied / judged if judged else None, evidence, note=note)
        return out


class OverWorkdaysParams(LookbackParams):
    """The longest acceptable wait in working days."""

    workdays: Workdays = param(defaults.REPLY_LIMIT_WORKDAYS, "longest acceptable wait")


class RepliesOverWorkdays(Metric):
    """Messages asked within lookback_days whose reply took more than `workdays` working days,
    or that are unanswered and have waited longer than that."""

    name = "replies_over_workdays"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("consultations",)
    projectable = True
    title = "超时答复留言数"
    description = (
        "检查日前 lookback_days 天内的留言中，答复用时超过 workdays 个工作日，"
        "或未答复且已等待超过该时限的条数。"
    )
    recommendation = (
        "在规定的工作日内答复咨询。",
        "Reply within the required number of working days.",
    )
    Params = OverWorkdaysParams

    def measure(self, snap: Snapshot, params: OverWorkdaysParams) -> dict[str, Measurement]:
        """Letters over the working-day limit."""
        return letters_over(snap, params.lookback_days, UNLIMITED, params.workdays)


class ReplyWorkdaysMax(Metric):
    """Longest reply time, in working days, of the messages replied within lookback_days."""

    name = "reply_workdays_max"
    scope = Scope.SITE
    unit = Unit.WORKDAYS
    needs = ("consultations",)
    title = "最长答复用时"
    description = "检查日前 lookback_days 天内已答复留言的最长答复用时（工作日）。"
    recommendation = ("缩短最长答复用时。", "Shorten the longest reply times.")
    Params = LookbackParams

    def measure(self, snap: Snapshot, params: LookbackParams) -> dict[str, Measurement]:
        """The longest reply time per site."""
        return reply_latency(snap, params.lookback_days, "max")


class ReplyWorkdaysP90(Metric):
    """90th percentile (nearest rank) of reply times in working days, messages replied within
    lookback_days."""

    name = "reply_workdays_p90"
    scope = Scope.SITE
    unit = Unit.WORKDAYS
    needs = ("consultations",)
    title = "答复用时 90 分位"
    description = "检查日前 lookback_days 天内已答复留言答复用时（工作日）的 90 分位数。"
    recommendation = ("缩短答复用时。", "Shorten reply times.")
    Params = LookbackParams

    def measure(self, snap: Snapshot, params: LookbackParams) -> dict[str, Measurement]:
        """The 90th-percentile reply time per site."""
        return reply_latency(snap, params.lookback_days, "p90")


class DaysSinceLastReply(Metric):
    """Days from the newest reply (replied_on) in the consultation columns to the check date
    (留言答复 not updated)."""

    name = "days_since_last_reply"
    scope = Scope.SITE
    unit = Unit.DAYS
    needs = ("consultations",)
    projectable = True
    title = "留言答复更新间隔"
    description = "咨询栏目中最新一次答复距检查日的天数（留言答复栏目未更新）。"
    recommendation = ("及时更新留言答复栏目。", "Keep the replies column up to date.")

    def measure(self, snap: Snapshot, params: Any) -> dict[str, Measurement]:
        """The newest reply per site; never answered: never."""
        found = queries.last_replies(snap.conn, snap.sites_json, snap.cutoff)
        return {
            row["site_id"]: Measurement(
                days_since(snap.at, row["last_reply_on"]),
                [{"letters": row["letters"], "last_reply_on": row["last_reply_on"]}],
                note="" if row["last_reply_on"] else "no letter was ever answered",
            )
            for row in found
        }


class ReplyWorkdays(Metric):
    """For each message asked within lookback_days: working days until its reply, or waited so
    far when unanswered."""

    name = "reply_workdays"
    scope = Scope.CONSULTATION
    unit = Unit.WORKDAYS
    needs = ("consultations",)
    projectable = True
    title = "留言答复用时"
    description = (
        "检查日前 lookback_days 天内的每条留言：答复用时（工作日），未答复的为已等待的工作日。"
    )
    recommendation = (
        "在规定的工作日内答复咨询。",
        "Reply within the required number of working days.",
    )
    Params = LookbackParams

    def measure(self, snap: Snapshot, params: LookbackParams) -> dict[str, Measurement]:
        """One item per letter."""
        out = {site_id: Measurement(items=[]) for site_id in snap.site_ids}
        found = queries.letters_over(
            snap.conn, letter_window(snap, params.lookback_days), over_days=-1, over_workdays=-1
        )
        for row in found:
            items = out[row["site_id"]].items
            if row["workdays"] is not None and items is not None:
                items.append(Item(float(row["workdays"]), letter_evidence(row)))
        return out
