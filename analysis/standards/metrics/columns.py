"""Column metrics: home-page updates, stale and blank columns, posts in a period."""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from analysis.standards.evidence import Item, Measurement, Snapshot
from analysis.standards.metrics.common import (
    column_evidence,
    columns_of,
    days_since,
    whole_days,
    window_start,
)
from analysis.standards.registry import (
    Categories,
    CategoryDays,
    Days,
    Flag,
    Metric,
    MetricParams,
    ParamProblem,
    Scope,
    Unit,
    param,
)
from crawler import defaults
from crawler.categories import CATEGORY_NAMES

ALL_CATEGORIES = "column categories counted (default: all)"
HOME_ONLY = "count only columns linked from the home page (columns.on_home_page)"
PERIOD = "count posts published within this many days before the check"


class ColumnParams(MetricParams):
    """Which columns count."""

    categories: Categories = param(CATEGORY_NAMES, ALL_CATEGORIES)
    home_page_only: Flag = param(False, HOME_ONLY)


class ColumnPeriodParams(ColumnParams):
    """Which columns count, and the window of posts."""

    period_days: Days = param(defaults.PERIOD_DAYS, PERIOD)


class DaysSinceHomeUpdate(Metric):
    """Days from the newest dated post in any home-page column to the check date; posts without
    a publication date do not count as updates. When the home page is navigation only, the
    columns of its second-level pages are flagged on_home_page by the crawler."""

    name = "days_since_home_update"
    scope = Scope.HOME_PAGE
    unit = Unit.DAYS
    needs = ("columns", "posts")
    projectable = True
    title = "首页更新间隔"
    description = (
        "首页各栏目最新一条有发布日期的信息距检查日的天数；无发布日期的信息不算更新。"
        "首页仅为导航页时，看其二级页面的栏目。"
    )
    recommendation = (
        "首页栏目至少每两周更新,落实信息发布责任人。",
        "Update the home-page columns at least every two weeks; name who publishes.",
    )

    def measure(self, snap: Snapshot, params: Any) -> dict[str, Measurement]:
        """Newest dated post over the on_home_page columns (all columns when none is flagged)."""
        grouped: dict[str, list[dict[str, Any]]] = {site_id: [] for site_id in snap.site_ids}
        for column in columns_of(snap):
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


class StaleColumnsParams(ColumnParams):
    """Stale columns: which columns, the limits, and whether blank ones count."""

    stale_days: Days = param(
        defaults.STALE_DAYS_NEWS, "staleness limit in days for every listed category"
    )
    stale_days_by_category: CategoryDays = param({}, "per-category limits overriding stale_days")
    include_blank: Flag = param(False, "count blank columns as stale")

    @model_validator(mode="after")
    def _limits_for_listed_categories(self) -> StaleColumnsParams:
        """A per-category limit must be for a category the rule counts."""
        outside = sorted(set(self.stale_days_by_category) - set(self.categories))
        if outside:
            raise ParamProblem(
                "stale_days_by_category",
                f"category {outside[0]!r} is not in params.categories",
            )
        return self

    def limit_for(self, category: str) -> int:
        """The staleness limit of a category."""
        return self.stale_days_by_category.get(category, self.stale_days)


class StaleColumns(Metric):
    """Columns of the given categories whose newest dated post is more than the staleness limit
    old: stale_days, or stale_days_by_category[category] where given. Blank columns (no post at
    all) are only counted when include_blank is true."""

    name = "stale_columns"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("columns", "posts")
    projectable = True
    title = "不更新栏目数"
    description = (
        "所列类别中，最新一条有日期的信息早于时限（stale_days，或按类别的 "
        "stale_days_by_category）的栏目个数；空白栏目仅在 include_blank 为 true 时计入。"
    )
    recommendation = (
        "按栏目时限及时更新;确无内容的栏目应合并或撤销。",
        "Update columns within their limits; merge or close columns with nothing to publish.",
    )
    Params = StaleColumnsParams

    def measure(self, snap: Snapshot, params: StaleColumnsParams) -> dict[str, Measurement]:
        """Count the stale columns; each one is evidence with its age and limit."""
        out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
        for column in columns_of(snap, params.categories, params.home_page_only):
            if not column["has_posts"] and not params.include_blank:
                continue
            since = days_since(snap.at, column["last_post_on"])
            limit = params.limit_for(column["category"])
            if since > limit:
                site = out[column["site_id"]]
                site.evidence.append(column_evidence(column, days=whole_days(since), limit=limit))
        for site in out.values():
            site.value = float(len(site.evidence))
        return out


class ColumnDaysSinceUpdate(Metric):
    """For each column of the given categories: days from its newest dated post to the check
    date (blank columns are skipped here; see blank_columns)."""

    name = "column_days_since_update"
    scope = Scope.COLUMN
    unit = Unit.DAYS
    needs = ("columns", "posts")
    projectable = True
    title = "栏目更新间隔"
    description = "所列类别的每个栏目：最新一条有日期的信息距检查日的天数（空白栏目不计）。"
    recommendation = ("按规定周期更新该栏目。", "Update this column on its required schedule.")
    Params = ColumnParams

    def measure(self, snap: Snapshot, params: ColumnParams) -> dict[str, Measurement]:
        """One item per column that holds posts."""
        out = {site_id: Measurement(items=[]) for site_id in snap.site_ids}
        for column in columns_of(snap, params.categories, params.home_page_only):
            if not column["has_posts"]:
                continue
            since = days_since(snap.at, column["last_post_on"])
            items = out[column["site_id"]].items
            assert items is not None
            items.append(Item(since, column_evidence(column, days=whole_days(since))))
        return out


class BlankColumns(Metric):
    """Columns of the given categories that were fetched successfully but hold no post at all
    (a column whose page could not be fetched is a fetch error, not blank)."""

    name = "blank_columns"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("columns", "posts", "fetches")
    title = "空白栏目数"
    description = "所列类别中，页面能正常打开却没有任何信息的栏目个数（打不开的栏目不算空白）。"
    recommendation = ("补充空白栏目内容,或撤销无内容栏目。", "Fill blank columns or remove them.")
    Params = ColumnParams

    def measure(self, snap: Snapshot, params: ColumnParams) -> dict[str, Measurement]:
        """Count blank columns; a column whose latest list fetch failed is not blank."""
        out = {site_id: Measurement(0.0) for site_id in snap.site_ids}
        for column in columns_of(snap, params.categories, params.home_page_only):
            if column["has_posts"] or column["letters"] or column["fetch_failed"]:
                continue
            site = out[column["site_id"]]
            site.evidence.append(column_evidence(column))
            site.value = float(len(site.evidence))
        return out


def post_volumes(
    snap: Snapshot, params: ColumnPeriodParams, per_column: bool
) -> dict[str, Measurement]:
    """Posts published in the last period_days, per site or per column."""
    out = {site_id: Measurement(0.0, items=[] if per_column else None) for site_id in snap.site_ids}
    start = window_start(snap.cutoff, params.period_days).isoformat()
    found = columns_of(snap, params.categories, params.home_page_only, params.period_days)
    for column in found:
        site = out[column["site_id"]]
        posts = column["posts_in_window"]
        evidence = column_evidence(column, posts=posts, since=start)
        if site.items is not None:
            site.items.append(Item(float(posts), evidence))
        else:
            site.value = (site.value or 0.0) + posts
            site.evidence.append(evidence)
    return out


class PostsInPeriod(Metric):
    """Posts of the given categories published within period_days before the check."""

    name = "posts_in_period"
    scope = Scope.SITE
    unit = Unit.COUNT
    needs = ("columns", "posts")
    title = "期内发布量"
    description = "所列类别的栏目在检查日前 period_days 天内发布的信息条数。"
    recommendation = (
        "加强信息报送,保证每月发布数量。",
        "Publish more regularly to reach the monthly volume.",
    )
    Params = ColumnPeriodParams

    def measure(self, snap: Snapshot, params: ColumnPeriodParams) -> dict[str, Measurement]:
        """Sum the columns' window counts (posts not gone before the window started)."""
        return post_volumes(snap, params, per_column=False)


class ColumnPostsInPeriod(Metric):
    """For each column of the given categories: posts published within period_days before the
    check."""

    name = "column_posts_in_period"
    scope = Scope.COLUMN
    unit = Unit.COUNT
    needs = ("columns", "posts")
    title = "栏目期内发布量"
    description = "所列类别的每个栏目在检查日前 period_days 天内发布的信息条数。"
    recommendation = ("加强该栏目的信息报送。", "Publish more in this column.")
    Params = ColumnPeriodParams

    def measure(self, snap: Snapshot, params: ColumnPeriodParams) -> dict[str, Measurement]:
        """One item per column."""
        return post_volumes(snap, params, per_column=True)
