"""Every SQL read of the analysis: parameterised statements over the documented schema.

Conventions shared by all functions here:
- `sites` is a JSON list of site ids bound as one parameter and unpacked with `json_each`, so a
  site id never becomes SQL text;
- dates are `YYYY-MM-DD` strings; a time window over `*_at` timestamps is `[start, end)` where
  both bounds are dates (`'2012-12-01' <= '2012-12-01T09:00:00' < '2012-12-02'`);
- working days come from the temp table `workday_index` (see `install_workday_index`): the
  cumulative count of working days up to each day, so a latency is a subtraction, not a loop.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from analysis.findings.maintenance import covered_sql
from analysis.workdays import WorkdayCalendar

SITES_IN = "SELECT value FROM json_each(:sites)"
UNVERIFIABLE = "unverifiable"  # links.error of a link the monitoring network could not check
WORKDAY_INDEX_SPAN_DAYS = 4000  # about 11 years back: every lookback window a rule may use
WORKDAY_INDEX_AHEAD_DAYS = 400  # projections (early warnings) look up to a year ahead


class AnalysisError(Exception):
    """The database cannot be analysed (missing file, empty, unknown site); a user message."""


def connect(db: str | Path | sqlite3.Connection | Any) -> sqlite3.Connection:
    """A connection for a path, a sqlite3 connection or a sqlite_utils Database."""
    if isinstance(db, sqlite3.Connection):
        return db
    conn = getattr(db, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        return conn
    path = Path(db)
    if not path.exists():
        raise AnalysisError(f"{path}: no such database (run `sitewatch crawl` first)")
    from crawler.store import open_db

    return open_db(path).conn


def sites_param(site_ids: Iterable[str]) -> str:
    """The JSON text bound to :sites."""
    return json.dumps(list(site_ids), ensure_ascii=False)


def rows(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Run a statement and return its rows as dicts."""
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def runs_between(conn: sqlite3.Connection, start: date, end: date) -> int:
    """Crawl or probe runs whose clock falls on days [start, end]: was the month monitored?"""
    sql = "SELECT COUNT(*) AS runs FROM crawl_runs WHERE clock >= :start AND clock < :end"
    found = rows(conn, sql, {"start": start.isoformat(), "end": next_day(end)})
    return int(found[0]["runs"])


def next_day(day: date) -> str:
    """The exclusive end bound for timestamps on or before `day`."""
    return (day + timedelta(days=1)).isoformat()


# --- sites ------------------------------------------------------------------------------------


def site_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """All sites, ordered the way the config lists them (province, departments, cities…)."""
    return rows(
        conn,
        "SELECT id, name, unit_type, parent, home_url FROM sites ORDER BY"
        " CASE unit_type WHEN 'province' THEN 0 WHEN 'department' THEN 1 WHEN 'city' THEN 2"
        " WHEN 'county' THEN 3 ELSE 4 END, rowid",
        {},
    )


# --- columns and posts ------------------------------------------------------------------------

# A post counts in a window when published in it and not gone before the window started: a
# post deleted later was still published (and seen) in the period.
COLUMN_FACTS_SQL = """
WITH letters AS (
    SELECT column_id, COUNT(*) AS n FROM consultations
    WHERE column_id IS NOT NULL AND site_id IN (SELECT value FROM json_each(:sites))
    GROUP BY column_id
), latest_fetch AS (
    SELECT url, status, error, MAX(id) FROM fetches
    WHERE kind = 'list' AND site_id IN (SELECT value FROM json_each(:sites))
    GROUP BY url
)
SELECT c.id AS column_id, c.site_id, c.key, c.name, c.url, c.category, c.on_home_page,
    c.first_crawled_at, c.extraction_state,
    (SELECT MAX(p.published_on) FROM posts p
        WHERE p.column_id = c.id AND p.published_on <= :cutoff) AS last_post_on,
    (SELECT COUNT(*) FROM posts p WHERE p.column_id = c.id
        AND p.published_on BETWEEN :start AND :end
        AND (p.gone_at IS NULL OR p.gone_at >= :start)) AS posts_in_window,
    (SELECT COUNT(*) FROM posts p WHERE p.column_id = c.id
        AND p.published_on BETWEEN :prev_start AND :prev_end
        AND (p.gone_at IS NULL OR p.gone_at >= :prev_start)) AS posts_in_previous,
    EXISTS (SELECT 1 FROM posts p WHERE p.column_id = c.id) AS has_posts,
    COALESCE(letters.n, 0) AS letters,
    (f.error IS NOT NULL OR f.status >= 400) AS fetch_failed
FROM columns c
LEFT JOIN letters ON letters.column_id = c.id
LEFT JOIN latest_fetch f ON f.url = c.url
WHERE c.site_id IN (SELECT value FROM json_each(:sites)) AND c.last_crawled_at IS NOT NULL
ORDER BY c.site_id, c.id
"""


def column_facts(
    conn: sqlite3.Connection,
    sites: str,
    cutoff: date,
    window: tuple[date, date],
    previous: tuple[date, date] | None = None,
) -> list[dict[str, Any]]:
    """Per crawled column: newest dated post up to cutoff, posts in a window and the one before,
    whether it holds any post or letter, and whether its latest list fetch failed."""
    prev = previous or window
    return rows(
        conn,
        COLUMN_FACTS_SQL,
        {
            "sites": sites,
            "cutoff": cutoff.isoformat(),
            "start": window[0].isoformat(),
            "end": window[1].isoformat(),
            "prev_start": prev[0].isoformat(),
            "prev_end": prev[1].isoformat(),
        },
    )


def posts_by_category(
    conn: sqlite3.Connection, sites: str, start: date, end: date
) -> list[dict[str, Any]]:
    """Posts published in [start, end] per site and column category."""
    sql = (
        "SELECT p.site_id, COALESCE(c.category, 'other') AS category, COUNT(*) AS posts"
        " FROM posts p LEFT JOIN columns c ON c.id = p.column_id"
        f" WHERE p.site_id IN ({SITES_IN}) AND p.published_on BETWEEN :start AND :end"
        " AND (p.gone_at IS NULL OR p.gone_at >= :start)"
        " GROUP BY p.site_id, category ORDER BY p.site_id, category"
    )
    return rows(conn, sql, {"sites": sites, "start": start.isoformat(), "end": end.isoformat()})


def posts_by_department(
    conn: sqlite3.Connection, sites: str, start: date, end: date
) -> list[dict[str, Any]]:
    """Posts published in [start, end] per site and posting department (来源; NULL unknown)."""
    sql = (
        "SELECT site_id, department, COUNT(*) AS posts FROM posts"
        f" WHERE site_id IN ({SITES_IN}) AND published_on BETWEEN :start AND :end"
        " AND (gone_at IS NULL OR gone_at >= :start)"
        " GROUP BY site_id, department ORDER BY site_id, posts DESC, department"
    )
    return rows(conn, sql, {"sites": sites, "start": start.isoformat(), "end": end.isoformat()})


def posts_by_day(
    conn: sqlite3.Connection, sites: str, start: date, end: date
) -> list[dict[str, Any]]:
    """Posts per site and publication day in [start, end] (heat maps, trends)."""
    sql = (
        "SELECT site_id, published_on AS day, COUNT(*) AS posts FROM posts"
        f" WHERE site_id IN ({SITES_IN}) AND published_on BETWEEN :start AND :end"
        " AND (gone_at IS NULL OR gone_at >= :start)"
        " GROUP BY site_id, published_on ORDER BY site_id, published_on"
    )
    return rows(conn, sql, {"sites": sites, "start": start.isoformat(), "end": end.isoformat()})


def posts_by_month(
    conn: sqlite3.Connection, sites: str, start: date, end: date
) -> list[dict[str, Any]]:
    """Posts per site and calendar month (YYYY-MM) published in [start, end].

    A year of posts is most of a million rows, and grouping them by (site, month) sorted every
    one. Posts are counted month by month from the (site_id, published_on) index alone (no sort,
    no row read), less those gone from the site before their month began, found by one scan
    that keeps only them: about twice as fast at 1 M posts.
    """
    params = {"sites": sites, "start": start.isoformat(), "end": end.isoformat()}
    gone_sql = (
        "SELECT site_id, substr(published_on, 1, 7) AS month, COUNT(*) AS posts"
        f" FROM posts NOT INDEXED WHERE site_id IN ({SITES_IN})"
        " AND published_on BETWEEN :start AND :end"
        " AND gone_at < substr(published_on, 1, 7) || '-01'"
        " GROUP BY site_id, month"
    )
    gone = {(r["site_id"], r["month"]): r["posts"] for r in rows(conn, gone_sql, params)}
    count_sql = (
        f"SELECT site_id, COUNT(*) AS posts FROM posts WHERE site_id IN ({SITES_IN})"
        " AND published_on >= :start AND published_on < :end GROUP BY site_id"
    )
    out = []
    for month, lower, upper in month_windows(params["start"], next_day(end)):
        for row in rows(conn, count_sql, dict(params, start=lower, end=upper)):
            posts = row["posts"] - gone.get((row["site_id"], month), 0)
            if posts:
                out.append({"site_id": row["site_id"], "month": month, "posts": posts})
    out.sort(key=lambda r: (r["site_id"], r["month"]))
    return out


def distribution_sql(values_sql: str) -> str:
    """Wrap a query of (grp, v) rows into per-grp n, median, p90 (nearest rank) and max of v."""
    return f"""
WITH v AS ({values_sql}),
r AS (
    SELECT grp, v, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY v) AS rn,
        COUNT(*) OVER (PARTITION BY grp) AS n
    FROM v WHERE v IS NOT NULL
)
SELECT grp, MAX(n) AS n,
    AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN v END) AS median,
    MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN v END) AS p90,
    MAX(v) AS max
FROM r GROUP BY grp ORDER BY grp
"""


# Gaps between consecutive publication days of a site in [start, end], the first one measured
# from the site's last publication day before the window (so a window's first post has a gap).
GAPS_VALUES_SQL = """
SELECT site_id AS grp,
    julianday(day) - julianday(LAG(day) OVER (PARTITION BY site_id ORDER BY day)) AS v
FROM (
    SELECT DISTINCT site_id, published_on AS day FROM posts
    WHERE site_id IN (SELECT value FROM json_each(:sites))
        AND published_on BETWEEN :start AND :end
    UNION
    SELECT s.value, (SELECT MAX(p.published_on) FROM posts p
        WHERE p.site_id = s.value AND p.published_on < :start)
    FROM json_each(:sites) s
)
WHERE day IS NOT NULL
"""


def post_gaps(conn: sqlite3.Connection, sites: str, start: date, end: date) -> list[dict[str, Any]]:
    """Per site: number, median and longest gap in days between consecutive publication days."""
    params = {"sites": sites, "start": start.isoformat(), "end": end.isoformat()}
    return rows(conn, distribution_sql(GAPS_VALUES_SQL), params)


# Sources of a post's date. First-seen counts only for posts found after their column's first
# crawl: a baseline post was already there, so when we first saw it says nothing.
POST_DATE_GAP_SQL = """
SELECT p.id AS post_id, p.site_id, p.url, p.title, p.published_on, p.list_date, p.meta_date,
    p.text_date, p.url_date, p.baseline, substr(p.first_seen_at, 1, 10) AS first_seen_on,
    CAST(julianday(MAX(p.published_on, COALESCE(p.list_date, p.published_on),
            COALESCE(p.meta_date, p.published_on), COALESCE(p.text_date, p.published_on),
            COALESCE(p.url_date, p.published_on),
            CASE WHEN p.baseline = 0 THEN substr(p.first_seen_at, 1, 10)
                ELSE p.published_on END))
        - julianday(MIN(p.published_on, COALESCE(p.list_date, p.published_on),
            COALESCE(p.meta_date, p.published_on), COALESCE(p.text_date, p.published_on),
            COALESCE(p.url_date, p.published_on),
            CASE WHEN p.baseline = 0 THEN substr(p.first_seen_at, 1, 10)
                ELSE p.published_on END)) AS INTEGER) AS gap_days
FROM posts p
WHERE p.site_id IN (SELECT value FROM json_each(:sites))
    AND p.published_on BETWEEN :start AND :end
    AND (p.gone_at IS NULL OR p.gone_at >= :start)
"""


def post_date_gaps(
    conn: sqlite3.Connection, sites: str, start: date, end: date, over_days: int
) -> list[dict[str, Any]]:
    """Posts published in [start, end] whose date sources disagree by more than over_days."""
    sql = f"SELECT * FROM ({POST_DATE_GAP_SQL}) WHERE gap_days > :over ORDER BY site_id, post_id"
    params = {"sites": sites, "start": start.isoformat(), "end": end.isoformat()}
    return rows(conn, sql, {**params, "over": over_days})


# --- working days -----------------------------------------------------------------------------


def install_workday_index(
    conn: sqlite3.Connection, calendar: WorkdayCalendar, around: date
) -> None:
    """(Re)build temp.workday_index(day, n) — n = working days up to and including day — over
    a span around `around`, unless the present table already covers it."""
    first = around - timedelta(days=WORKDAY_INDEX_SPAN_DAYS)
    last = around + timedelta(days=WORKDAY_INDEX_AHEAD_DAYS)
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS workday_index"
        " (day TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID"
    )
    have = conn.execute("SELECT MIN(day), MAX(day) FROM temp.workday_index").fetchone()
    if have[0] is not None and have[0] <= first.isoformat() and have[1] >= last.isoformat():
        return
    days: list[tuple[str, int]] = []
    count, day = 0, first
    while day <= last:
        count += calendar.is_workday(day)
        days.append((day.isoformat(), count))
        day += timedelta(days=1)
    conn.execute("DELETE FROM temp.workday_index")
    conn.executemany("INSERT INTO temp.workday_index (day, n) VALUES (?, ?)", days)


# --- consultations ----------------------------------------------------------------------------

# One row per letter asked in [:asked_from, :cutoff]: what is known on :cutoff, judged on :at.
# A reply dated after the cutoff is not known yet. `status = 'replied'` without a date counts
# as replied (the site says so) but has no latency. Waiting time runs to the reply, else to :at.
LETTERS_SQL = """
SELECT l.*,
    CASE WHEN l.replied_on IS NULL AND l.replied THEN NULL
        ELSE CAST(julianday(COALESCE(l.replied_on, :at)) - julianday(l.asked_on) AS INTEGER)
        END AS days,
    CASE WHEN l.replied_on IS NULL AND l.replied THEN NULL
        WHEN COALESCE(l.replied_on, :at) > l.asked_on THEN wr.n - wa.n ELSE 0 END AS workdays
FROM (
    SELECT c.id AS letter_id, c.site_id, c.url, c.title, c.asked_on, c.status,
        CASE WHEN c.replied_on <= :cutoff THEN c.replied_on END AS replied_on,
        CASE WHEN c.replied_on <= :cutoff THEN 1
            WHEN c.replied_on IS NULL AND c.status = 'replied' THEN 1 ELSE 0 END AS replied
    FROM consultations c
    WHERE c.site_id IN (SELECT value FROM json_each(:sites))
        AND c.asked_on BETWEEN :asked_from AND :cutoff
) l
LEFT JOIN temp.workday_index wa ON wa.day = l.asked_on
LEFT JOIN temp.workday_index wr ON wr.day = COALESCE(l.replied_on, :at)
"""


def letter_params(sites: str, asked_from: date, cutoff: date, at: date) -> dict[str, Any]:
    """The parameters of LETTERS_SQL."""
    return {
        "sites": sites,
        "asked_from": asked_from.isoformat(),
        "cutoff": cutoff.isoformat(),
        "at": at.isoformat(),
    }


def letter_summary(
    conn: sqlite3.Connection,
    params: dict[str, Any],
    *,
    over_days: int,
    over_workdays: int,
    grace_workdays: int,
) -> list[dict[str, Any]]:
    """Per site: letters asked, replied, pending, left over the day/workday limits, and those
    old enough to be judged for the reply rate (older than grace_workdays working days)."""
    sql = f"""
SELECT site_id, COUNT(*) AS received, SUM(replied) AS replied, SUM(NOT replied) AS pending,
    SUM(days > :over_days) AS over_days,
    SUM(workdays > :over_workdays) AS over_workdays,
    SUM(NOT replied AND workdays > :over_workdays) AS pending_over_workdays,
    SUM(COALESCE(wait_so_far, 0) >= :grace) AS judged,
    SUM(replied AND COALESCE(wait_so_far, 0) >= :grace) AS judged_replied,
    MAX(replied_on) AS last_reply_on
FROM (
    SELECT x.*, wat.n - waa.n AS wait_so_far FROM ({LETTERS_SQL}) x
    LEFT JOIN temp.workday_index waa ON waa.day = x.asked_on
    LEFT JOIN temp.workday_index wat ON wat.day = :at
)
GROUP BY site_id ORDER BY site_id
"""
    extra = {"over_days": over_days, "over_workdays": over_workdays, "grace": grace_workdays}
    return rows(conn, sql, {**params, **extra})


def year_letters(
    conn: sqlite3.Connection, sites: str, start: date, end: date
) -> list[dict[str, Any]]:
    """Per site: letters asked in [start, end] and those answered by `end` (the year view)."""
    sql = (
        f"SELECT site_id, COUNT(*) AS received, SUM(replied) AS replied FROM ({LETTERS_SQL})"
        " GROUP BY site_id ORDER BY site_id"
    )
    return rows(conn, sql, letter_params(sites, start, end, end))


def letters_over(
    conn: sqlite3.Connection, params: dict[str, Any], *, over_days: int, over_workdays: int
) -> list[dict[str, Any]]:
    """Letters that waited more than over_days calendar days or over_workdays working days."""
    sql = (
        f"SELECT * FROM ({LETTERS_SQL}) WHERE days > :over_days OR workdays > :over_workdays"
        " ORDER BY site_id, asked_on, letter_id"
    )
    return rows(conn, sql, {**params, "over_days": over_days, "over_workdays": over_workdays})


def reply_latency(
    conn: sqlite3.Connection, params: dict[str, Any], *, by: str = "site", workdays: bool = True
) -> list[dict[str, Any]]:
    """Distribution (n, median, p90, max) of reply times of replied letters, per site or per
    site and month asked (`by='site_month'`, grp = 'site|YYYY-MM'), in working or calendar days."""
    value = "workdays" if workdays else "days"
    grp = {
        "site": "site_id",
        "site_month": "site_id || '|' || substr(asked_on, 1, 7)",
        "group": "'all'",  # the whole group as one
    }[by]
    values = f"SELECT {grp} AS grp, {value} AS v FROM ({LETTERS_SQL}) WHERE replied_on IS NOT NULL"
    return rows(conn, distribution_sql(values), params)


def reply_workday_values(conn: sqlite3.Connection, params: dict[str, Any]) -> list[int]:
    """Working days each replied letter of the cohort waited, smallest first (for a histogram)."""
    sql = (
        f"SELECT workdays FROM ({LETTERS_SQL}) WHERE replied_on IS NOT NULL"
        " AND workdays IS NOT NULL ORDER BY workdays"
    )
    return [int(row["workdays"]) for row in rows(conn, sql, params)]


def last_replies(conn: sqlite3.Connection, sites: str, cutoff: date) -> list[dict[str, Any]]:
    """Per site with letters: how many letters up to cutoff, and the newest reply date."""
    sql = (
        "SELECT site_id, COUNT(*) AS letters,"
        " MAX(CASE WHEN replied_on <= :cutoff THEN replied_on END) AS last_reply_on"
        f" FROM consultations WHERE site_id IN ({SITES_IN}) AND asked_on <= :cutoff"
        " GROUP BY site_id"
    )
    return rows(conn, sql, {"sites": sites, "cutoff": cutoff.isoformat()})


def consultation_channels(conn: sqlite3.Connection, sites: str) -> list[dict[str, Any]]:
    """Per site: consultation columns and letters found (any time)."""
    sql = """
SELECT s.value AS site_id,
    (SELECT COUNT(*) FROM columns c
        WHERE c.site_id = s.value AND c.category = 'consultation') AS columns,
    (SELECT COUNT(*) FROM consultations l WHERE l.site_id = s.value) AS letters
FROM json_each(:sites) s
"""
    return rows(conn, sql, {"sites": sites})


# --- probes -----------------------------------------------------------------------------------

# A visit fails on an error, an HTTP error status, or when slower than the timeout.
PROBE_FAILED = "(p.ok = 0 OR p.status >= 400 OR COALESCE(p.elapsed_ms, 0) > :timeout_ms)"
# Visits inside a maintenance filing (临时报备) count neither as visits nor as failures.
PROBE_KEPT = f"NOT {covered_sql()}"


def probe_params(sites: str, start: date, end: date, timeout_s: float) -> dict[str, Any]:
    """Parameters for probes visited on days [start, end]."""
    return {
        "sites": sites,
        "start": start.isoformat(),
        "end": next_day(end),
        "timeout_ms": timeout_s * 1000,
    }


def probe_summary(conn: sqlite3.Connection, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Per site: visits and failed visits in the window."""
    sql = (
        f"SELECT p.site_id, COUNT(*) AS visits, SUM({PROBE_FAILED}) AS failures FROM probes p"
        f" WHERE p.site_id IN ({SITES_IN}) AND p.probed_at >= :start AND p.probed_at < :end"
        f" AND {PROBE_KEPT}"
        " GROUP BY p.site_id"
    )
    return rows(conn, sql, params)


def probe_summary_by_month(
    conn: sqlite3.Connection, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Per site and month: visits and failed visits in the window.

    A year of hourly probes is millions of rows, and grouping them all by (site, month) sorted
    every one. Visits are counted month by month from the (site_id, probed_at) index alone, in
    its order (no sort, no table row read); failures, a few in a hundred visits, by one
    sequential scan that groups only the failed ones: about 2.5x faster at 300 sites.
    """
    failed_sql = (
        "SELECT p.site_id, substr(p.probed_at, 1, 7) AS month, COUNT(*) AS failures"
        # Hourly probes of all sites interleave on disk: for a year of them one sequential
        # scan is about 3x faster than walking the (site_id, probed_at) index.
        " FROM probes p NOT INDEXED"
        f" WHERE p.site_id IN ({SITES_IN}) AND p.probed_at >= :start AND p.probed_at < :end"
        f" AND {PROBE_FAILED} AND {PROBE_KEPT} GROUP BY p.site_id, month"
    )
    failed = {(r["site_id"], r["month"]): r["failures"] for r in rows(conn, failed_sql, params)}
    visits_sql = (
        "SELECT p.site_id, COUNT(*) AS visits FROM probes p"
        f" WHERE p.site_id IN ({SITES_IN}) AND p.probed_at >= :start AND p.probed_at < :end"
        f" AND {PROBE_KEPT} GROUP BY p.site_id"
    )
    out = []
    for month, start, end in month_windows(params["start"], params["end"]):
        for row in rows(conn, visits_sql, dict(params, start=start, end=end)):
            failures = failed.get((row["site_id"], month), 0)
            out.append({"site_id": row["site_id"], "month": month, "visits": row["visits"],
                        "failures": failures})  # fmt: skip
    out.sort(key=lambda r: (r["site_id"], r["month"]))
    return out


def month_windows(start: str, end: str) -> list[tuple[str, str, str]]:
    """("YYYY-MM", from, to) for each calendar month the window [start, end) touches, cut to
    the window (ISO dates or timestamps)."""
    out = []
    year, month = int(start[:4]), int(start[5:7])
    lower = start
    while lower < end:
        following = f"{year + month // 12:04d}-{month % 12 + 1:02d}-01"
        out.append((f"{year:04d}-{month:02d}", lower, min(following, end)))
        lower, year, month = following, year + month // 12, month % 12 + 1
    return out


# Every visit of the window in site and time order (the (site_id, probed_at) index gives that
# order without a sort): runs of failed visits are found in one pass in Python, about 2.4x
# faster at 300 sites than the window-function (gaps and islands) query it replaces.
VISITS_IN_ORDER_SQL = f"""
SELECT p.site_id, p.probed_at, {PROBE_FAILED} AS failed, p.failed_from FROM probes p
WHERE p.site_id IN ({SITES_IN}) AND p.probed_at >= :start AND p.probed_at < :end
    AND {PROBE_KEPT}
ORDER BY p.site_id, p.probed_at
"""


def failed_runs(conn: sqlite3.Connection, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Runs of consecutive failed visits per site, in site order. An outage lasts from its first
    failed visit to the next visit (a successful one: `ended`), or is still open (`ended` None)
    when the window's last visit failed."""
    out: list[dict[str, Any]] = []
    run: dict[str, Any] | None = None
    site = None
    for site_id, at, failed, failed_from in conn.execute(VISITS_IN_ORDER_SQL, params):
        if site_id != site:
            run, site = None, site_id
        if not failed:
            if run is not None:
                run["ended"], run = at, None
            continue
        if run is None:
            run = {"site_id": site_id, "visits": 0, "began": at, "last_failed": at, "ended": None}
            run["failed_from"] = set()
            out.append(run)
        run["visits"] += 1
        run["last_failed"] = at
        if failed_from:
            run["failed_from"].update(failed_from.split(","))
    for run in out:
        run["failed_from"] = ",".join(sorted(run["failed_from"])) or None
    return out


def run_hours(run: dict[str, Any]) -> float:
    """An outage's length in hours: to the next successful visit, or to the last failed one."""
    began = datetime.fromisoformat(run["began"])
    return (
        datetime.fromisoformat(run["ended"] or run["last_failed"]) - began
    ).total_seconds() / 3600


def probe_outages(conn: sqlite3.Connection, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Per site with an outage: longest run of failed visits (count), longest outage (hours),
    outages."""
    by_site: dict[str, dict[str, Any]] = {}
    for run in failed_runs(conn, params):
        site = by_site.setdefault(
            run["site_id"],
            {"site_id": run["site_id"], "longest_failures": 0, "longest_outage_h": 0.0,
             "outages": 0},
        )  # fmt: skip
        site["longest_failures"] = max(site["longest_failures"], run["visits"])
        site["longest_outage_h"] = max(site["longest_outage_h"], run_hours(run))
        site["outages"] += 1
    return list(by_site.values())


def probe_outage_runs(conn: sqlite3.Connection, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every run of failed visits: site, first failed visit (`began`), the next successful visit
    (`ended`, None while still down), the last failed one, the failed visits and, probed from
    several vantage points, the vantages that saw it down joined by commas (`failed_from`; None
    with one vantage; `seen_from` splits them), oldest first."""
    return sorted(failed_runs(conn, params), key=lambda r: (r["began"], r["site_id"]))


def seen_from(failed_from: str | None) -> list[str]:
    """The vantage points an outage was seen from, sorted, from a run's joined `failed_from`
    lists; empty for single-vantage probes."""
    return sorted({v.strip() for v in (failed_from or "").split(",") if v.strip()})


def trailing_failures(conn: sqlite3.Connection, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Per site: failed visits in a row ending with the latest visit before :end (within the
    window), with the first of them."""
    sql = f"""
WITH last_ok AS (
    SELECT s.value AS site_id, (SELECT p.probed_at FROM probes p
        WHERE p.site_id = s.value AND p.probed_at >= :start AND p.probed_at < :end
            AND NOT {PROBE_FAILED}
            AND {PROBE_KEPT}
        ORDER BY p.probed_at DESC LIMIT 1) AS ok_at
    FROM json_each(:sites) s
)
SELECT o.site_id, COUNT(p.probed_at) AS failures, MIN(p.probed_at) AS since
FROM last_ok o LEFT JOIN probes p ON p.site_id = o.site_id
    AND p.probed_at > COALESCE(o.ok_at, :start) AND p.probed_at >= :start AND p.probed_at < :end
    AND {PROBE_KEPT}
GROUP BY o.site_id
"""
    return rows(conn, sql, params)


# --- links ------------------------------------------------------------------------------------

# The latest check of each (site, URL, home page or not) in the window; SQLite takes the bare
# columns from the row holding MAX(checked_at).
LATEST_LINKS_SQL = """
SELECT site_id, url, on_home_page, found_on, ok, status, error, detail,
    MAX(checked_at) AS checked_at
FROM links
WHERE site_id IN (SELECT value FROM json_each(:sites))
    AND checked_at >= :start AND checked_at < :end
GROUP BY site_id, url, on_home_page
"""


def broken_links(
    conn: sqlite3.Connection, sites: str, start: date, end: date
) -> list[dict[str, Any]]:
    """Links whose latest check in days [start, end] failed (error or HTTP status >= 400).

    A link that could not be checked from the monitoring network (error 'unverifiable': no DNS
    answer, no route, a skipped host) is not broken: see `unverifiable_links`; never deducted.
    """
    sql = (
        f"SELECT * FROM ({LATEST_LINKS_SQL}) WHERE (ok = 0 OR status >= 400 OR error IS NOT NULL)"
        f" AND COALESCE(error, '') != '{UNVERIFIABLE}' ORDER BY site_id, on_home_page DESC, url"
    )
    params = {"sites": sites, "start": start.isoformat(), "end": next_day(end)}
    return rows(conn, sql, params)


def unverifiable_links(
    conn: sqlite3.Connection, sites: str, start: date, end: date
) -> list[dict[str, Any]]:
    """Links whose latest check in days [start, end] could not be made from here (with why:
    `detail` dns / no_route / skip_host)."""
    sql = (
        f"SELECT * FROM ({LATEST_LINKS_SQL}) WHERE error = '{UNVERIFIABLE}'"
        " ORDER BY site_id, on_home_page DESC, url"
    )
    params = {"sites": sites, "start": start.isoformat(), "end": next_day(end)}
    return rows(conn, sql, params)


def group_rows(items: Sequence[dict[str, Any]], key: str = "site_id") -> dict[Any, dict]:
    """Index rows by one of their keys (one row per key)."""
    return {item[key]: item for item in items}


def latest_crawl_clock(conn: sqlite3.Connection) -> str | None:
    """The clock (`--now`) of the newest crawl that ended ok, else None.

    The day `check`, the console and findings judge by default. Probe, check and report runs
    do not count: an hourly probe at today's real time must not move a December check to
    today (every site would be stale)."""
    row = conn.execute(
        "SELECT MAX(COALESCE(clock, started_at)) FROM crawl_runs"
        " WHERE kind = 'crawl' AND status = 'ok'"
    ).fetchone()
    return row[0] if row else None
