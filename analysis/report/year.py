"""The year view (`sitewatch report --year 2012`), like the annual report the IT centre writes:
posts per category and per unit, consultations received / replied / reply rate / median and
longest reply time, availability, and the months each site failed the standard.

`build_year` reads the database (twelve monthly metrics, the year's letters and probes, the
engine at each month's end); `year_sections` lays the figures out as the same sections the
monthly renderers draw, so HTML, Word and Excel come from the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from analysis.report import fmt
from analysis.report.context import EmptyReportError
from analysis.report.i18n import Lang, category_label, label, unit_type_label
from analysis.report.tables import Part, Section, Table, count, decimal, ratio, text
from crawler.categories import CATEGORY_NAMES, Category, UnitType


@dataclass(frozen=True)
class YearSite:
    """One site over the year."""

    site_id: str
    name: str
    unit_type: UnitType
    posts: int
    posts_by_category: dict[str, int]
    received: int
    replied: int
    reply_rate: float | None
    median_latency_workdays: float | None
    max_latency_workdays: float | None
    visits: int
    failures: int
    availability: float | None
    failed_months: list[str]  # YYYY-MM of the months it failed the standard


@dataclass(frozen=True)
class YearReport:
    """Everything the year view shows (duck-types the report context for the renderers)."""

    year: int
    group_name: str
    generated_at: datetime
    check_date: date
    sites: list[YearSite]
    posts_by_category: dict[str, int]
    posts_by_month: list[tuple[str, int]]
    received: int
    replied: int
    reply_rate: float | None
    median_latency_workdays: float | None
    max_latency_workdays: float | None
    availability: float | None
    standard_name: str = ""
    months_checked: list[str] = field(default_factory=list)

    @property
    def month(self) -> str:
        """The folder name and label of the period: the year."""
        return str(self.year)


def months_of(year: int) -> list[str]:
    """YYYY-MM of the twelve months."""
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def month_end(month: str) -> date:
    """The last day of a YYYY-MM month."""
    year, mon = (int(p) for p in month.split("-"))
    first_next = date(year + (mon == 12), mon % 12 + 1, 1)
    return date.fromordinal(first_next.toordinal() - 1)


def failed_months(
    db: Any, profile: Any, months: Sequence[str], calendar: Any
) -> dict[str, list[str]]:
    """site id → the months (of those monitored) it failed the standard at the month's end."""
    from analysis.standards.engine import evaluate

    failed: dict[str, list[str]] = {}
    for month in months:
        for verdict in evaluate(db, profile, month_end(month), calendar=calendar):
            if not verdict.passed:
                failed.setdefault(verdict.site_id, []).append(month)
    return failed


def build_year(
    db: str | Path,
    year: int,
    profile_path: str | Path | None = None,
    group_name: str = "",
    generated_at: datetime | None = None,
) -> YearReport:
    """The year's figures; EmptyReportError when the database holds nothing of that year."""
    from analysis import queries
    from analysis.metrics import MonthSettings, compute_month
    from analysis.standards.profile import load_profile
    from analysis.workdays import load_calendar

    conn = queries.connect(db)
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = queries.site_rows(conn)
    sites = queries.sites_param(r["id"] for r in rows)
    known = {r["month"] for r in queries.posts_by_month(conn, sites, start, end)}
    months = [m for m in months_of(year) if m in known]
    if not months:
        raise EmptyReportError(f"{year}: no monitoring data for this year")
    # The profile's limits for every month, as `check`, `stats` and the monthly report use.
    profile = load_profile(profile_path) if profile_path else None
    settings = MonthSettings.from_profile(profile) if profile else MonthSettings.default()
    monthly = [compute_month(db, m, settings=settings, with_trends=False) for m in months]
    calendar = load_calendar()
    queries.install_workday_index(conn, calendar, end)
    letters = queries.group_rows(queries.year_letters(conn, sites, start, end))
    latency = queries.group_rows(
        queries.reply_latency(conn, queries.letter_params(sites, start, end, end)), "grp"
    )
    whole = queries.reply_latency(conn, queries.letter_params(sites, start, end, end), by="group")
    probes = queries.group_rows(
        queries.probe_summary(
            conn, queries.probe_params(sites, start, end, settings.probe_timeout_s)
        )
    )
    failed = failed_months(db, profile, months, calendar) if profile else {}
    out_sites: list[YearSite] = []
    for row in rows:
        by_cat: dict[str, int] = {}
        for metrics in monthly:
            for site in metrics.sites:
                if site.site_id == row["id"]:
                    for cat, n in site.posts_by_category.items():
                        by_cat[cat] = by_cat.get(cat, 0) + n
        got = letters.get(row["id"], {})
        received, replied = int(got.get("received") or 0), int(got.get("replied") or 0)
        lat = latency.get(row["id"], {})
        visits = int(probes.get(row["id"], {}).get("visits") or 0)
        fails = int(probes.get(row["id"], {}).get("failures") or 0)
        out_sites.append(
            YearSite(
                row["id"], row["name"], UnitType(row["unit_type"]), sum(by_cat.values()), by_cat,
                received, replied, replied / received if received else None,
                lat.get("median"), lat.get("max"), visits, fails,
                1 - fails / visits if visits else None, failed.get(row["id"], []),
            )
        )  # fmt: skip
    by_category: dict[str, int] = {}
    for year_site in out_sites:
        for cat, n in year_site.posts_by_category.items():
            by_category[cat] = by_category.get(cat, 0) + n
    received = sum(s.received for s in out_sites)
    replied = sum(s.replied for s in out_sites)
    visits = sum(s.visits for s in out_sites)
    fails = sum(s.failures for s in out_sites)
    return YearReport(
        year=year,
        group_name=group_name,
        generated_at=generated_at or datetime.now(),
        check_date=end,
        sites=out_sites,
        posts_by_category=by_category,
        posts_by_month=[(m.month, sum(s.posts for s in m.sites)) for m in monthly],
        received=received,
        replied=replied,
        reply_rate=replied / received if received else None,
        median_latency_workdays=whole[0]["median"] if whole else None,
        max_latency_workdays=whole[0]["max"] if whole else None,
        availability=1 - fails / visits if visits else None,
        standard_name=profile.name if profile else "",
        months_checked=months if profile else [],
    )


def year_text(rep: YearReport) -> list[str]:
    """一、总体情况 of the year, in the manner of the annual report."""
    cats = "，".join(
        f"{category_label(Category(c), 'zh')} {n} 条"
        for c, n in sorted(rep.posts_by_category.items(), key=lambda kv: -kv[1])
        if c in CATEGORY_NAMES
    )
    posts = sum(rep.posts_by_category.values())
    text_posts = f"{rep.year}年，网站群 {len(rep.sites)} 个网站共发布信息 {posts} 条，其中{cats}。"
    letters = (
        f"全年共收到网民咨询 {rep.received} 件，截至 {rep.check_date.isoformat()} 已答复 "
        f"{rep.replied} 件，答复率 {fmt.fmt_ratio(rep.reply_rate)}"
    )
    if rep.median_latency_workdays is not None:
        letters += (
            f"，答复用时中位数 {fmt.fmt_decimal(rep.median_latency_workdays)} 个工作日，"
            f"最长 {fmt.fmt_number(rep.max_latency_workdays)} 个工作日"
        )
    letters += f"。首页可用率 {fmt.fmt_ratio(rep.availability)}。"
    failing = [s for s in rep.sites if s.failed_months]
    judged = ""
    if rep.months_checked:
        judged = (
            f"对照《{fmt.clean_text(rep.standard_name)}》逐月检查，{len(failing)} 个网站"
            f"在部分月份不达标，详见附件 2。"
        )
    return [fmt.full_width(t) for t in (text_posts, letters + judged)]


def year_sections(rep: YearReport, lang: Lang = "zh") -> list[Section]:
    """The year view as sections: the text, then the tables as annexes."""
    title = f"{fmt.clean_text(rep.group_name)}{rep.year}年度信息更新质量监测情况"
    notice = Section("notice", title, [label("n1", lang), *year_text(rep)], part=Part.NOTICE)
    cats = Table(
        "year_categories",
        label("year_annex1", lang),
        [label("category", lang), label("posts", lang)],
        [
            [text(category_label(Category(c), lang)), count(n)]
            for c, n in sorted(rep.posts_by_category.items(), key=lambda kv: -kv[1])
            if c in CATEGORY_NAMES
        ]
        + [[text(label("total", lang)), count(sum(rep.posts_by_category.values()))]],
    )
    months = Table(
        "year_months",
        label("year_months", lang),
        [label("trend_month", lang), label("posts", lang)],
        [[text(m), count(n)] for m, n in rep.posts_by_month],
    )
    keys = (
        "site", "unit_type", "posts", "received", "replied", "reply_rate", "median_latency",
        "max_latency", "probes", "availability", "failed_months",
    )  # fmt: skip
    per_site = Table(
        "year_sites",
        label("year_annex2", lang),
        [label(k, lang) for k in keys],
        [
            [
                text(s.name), text(unit_type_label(s.unit_type, lang)), count(s.posts),
                count(s.received), count(s.replied), ratio(s.reply_rate),
                decimal(s.median_latency_workdays), decimal(s.max_latency_workdays),
                count(s.visits), ratio(s.availability),
                text("、".join(str(int(m[5:])) + "月" for m in s.failed_months) or "—"),
            ]
            for s in sorted(rep.sites, key=lambda s: list(UnitType).index(s.unit_type))
        ],
    )  # fmt: skip
    return [
        notice,
        Section("year_annex1", label("year_annex1", lang), tables=[cats, months], part=Part.ANNEX),
        Section("year_annex2", label("year_annex2", lang), tables=[per_site], part=Part.ANNEX),
    ]


def render_year(rep: YearReport, out_dir: Path, lang: Lang = "zh") -> dict[str, Path]:
    """Write OUT/<year>/report.{html,docx,xlsx}; return the paths."""
    from analysis.files import atomic_write
    from analysis.report.docx import render_docx
    from analysis.report.html import write_html
    from analysis.report.xlsx import render_xlsx

    target = Path(out_dir) / rep.month
    target.mkdir(parents=True, exist_ok=True)
    sections = year_sections(rep, lang)
    # Each file is written to a temporary name and renamed (analysis/files.atomic_write).
    return {
        "html": atomic_write(
            target / "report.html",
            lambda tmp: write_html(rep, sections, {}, lang, tmp),  # type: ignore[arg-type]
        ),
        "docx": atomic_write(
            target / "report.docx",
            lambda tmp: render_docx(rep, sections, {}, lang, tmp),  # type: ignore[arg-type]
        ),
        "xlsx": atomic_write(
            target / "report.xlsx",
            lambda tmp: render_xlsx(rep, sections, lang, tmp),  # type: ignore[arg-type]
        ),
    }
