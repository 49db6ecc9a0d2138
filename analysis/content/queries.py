"""SQL reads of `content_findings` (written by crawler/content during the crawl)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

PERSONAL_CHECKS = ("id_number", "bank_card", "mobile")
WORDING_CHECKS = ("leader_name", "leader_title", "confusion", "sensitive", "classified")
IDENTITY_CHECKS = (
    "site_code_missing",
    "site_code_mismatch",
    "icp_missing",
    "police_record_missing",
    "party_mark_missing",
    "error_report_missing",
)
TAG_CHECKS = ("meta_missing", "pubdate_form", "pubdate_disagrees")
SERVICE_CHECKS = ("service_elements_missing",)
# A guide's download or online-application link that does not work (content/service_links.py)
SERVICE_LINK_CHECKS = (
    "service_attachment_broken",
    "service_attachment_empty",
    "service_attachment_type",
    "service_apply_dead",
)
SEARCH_CHECKS = ("search_missing", "search_broken")
CHECK_NAMES = {
    "leader_name": "领导姓名错误",
    "leader_title": "领导职务错误",
    "confusion": "错别字",
    "sensitive": "敏感词",
    "classified": "涉密标识",
    "id_number": "身份证号码",
    "bank_card": "银行卡号",
    "mobile": "手机号码",
    "site_code_missing": "未标注网站标识码",
    "site_code_mismatch": "SiteIDCode 与网站标识码不一致",
    "icp_missing": "缺少ICP备案号",
    "police_record_missing": "缺少公安机关备案号",
    "party_mark_missing": "缺少党政机关网站标识",
    "error_report_missing": "缺少“我为政府网站找错”入口",
    "meta_missing": "缺少页面元数据",
    "pubdate_form": "PubDate 格式不规范",
    "pubdate_disagrees": "PubDate 与页面日期不一致",
    "service_elements_missing": "办事指南要素缺失",
    "service_attachment_broken": "办事指南附件无法下载",
    "service_attachment_empty": "办事指南附件为空",
    "service_attachment_type": "办事指南附件类型不符",
    "service_apply_dead": "在线办理链接打不开",
    "search_missing": "首页没有站内搜索",
    "search_broken": "站内搜索查不到最新信息",
}
SEVERITY_NAMES = {"serious": "严重", "suspected": "疑似"}
REVIEW_NAMES = {"pending": "待确认", "confirmed": "已确认", "rejected": "误报"}

FINDINGS_SQL = """
SELECT id, site_id, page_url, page_title, page_date, attachment_url, check_kind, term,
       suggestion, severity, snippet, first_found_at, review, reviewed_by, reviewed_at,
       review_note
FROM content_findings
WHERE site_id IN (SELECT value FROM json_each(?))
  AND substr(first_found_at, 1, 10) <= ?
  AND (page_date IS NULL OR page_date >= ?)
ORDER BY site_id, severity, page_date DESC, id
"""


def findings_between(
    conn: sqlite3.Connection, sites_json: str, start: date, cutoff: date
) -> list[dict[str, Any]]:
    """Findings found by `cutoff` on pages dated from `start` on (undated pages always)."""
    if not table_exists(conn, "content_findings"):
        return []
    cursor = conn.execute(FINDINGS_SQL, (sites_json, cutoff.isoformat(), start.isoformat()))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    """True when the database has the table (an older file opened read-only may not)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.fetchone() is not None


# The yearly work report (政府网站工作年度报表) of a year, as a post title says it.
YEARLY_REPORT_SQL = """
SELECT p.site_id, p.url, p.title, p.published_on
FROM posts p NOT INDEXED JOIN columns c ON c.id = p.column_id
WHERE p.title LIKE '%年度报表%'
  AND p.site_id IN (SELECT value FROM json_each(:sites))
  AND c.on_home_page = 1
  AND p.title LIKE '%' || :year || '年%'
  AND p.title LIKE '%网站%'
  AND p.published_on >= :year_start
  AND substr(p.first_seen_at, 1, 10) <= :cutoff
ORDER BY p.site_id, p.published_on
"""


def yearly_reports(
    conn: sqlite3.Connection, sites_json: str, year: int, cutoff: date
) -> list[dict[str, Any]]:
    """Posts of home-page columns titled as a year's website work report, seen by `cutoff`."""
    # A year's report is dated in that year or after.
    params = {
        "sites": sites_json,
        "year": str(year),
        "year_start": f"{year:04d}-01-01",
        "cutoff": cutoff.isoformat(),
    }
    cursor = conn.execute(YEARLY_REPORT_SQL, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


# Policy documents (posts of policy columns) and interpretations (解读) of a site. Two reads:
# the policy columns' posts through the (column, date) index, and the 解读 titles in one
# sequential pass (walking the (site, date) index over a million posts costs a random row read
# each, about 3x slower). Same rows as one query with `category = 'policy' OR title LIKE`.
POLICY_POSTS_SQL = """
SELECT p.site_id, p.url, p.title, p.published_on, c.category
FROM columns c JOIN posts p ON p.column_id = c.id
WHERE c.site_id IN (SELECT value FROM json_each(:sites))
  AND c.category = 'policy'
  AND p.published_on >= :since
  AND p.gone_at IS NULL
  AND substr(p.first_seen_at, 1, 10) <= :cutoff
UNION
SELECT p.site_id, p.url, p.title, p.published_on, c.category
FROM posts p NOT INDEXED JOIN columns c ON c.id = p.column_id
WHERE p.title LIKE '%解读%'
  AND p.site_id IN (SELECT value FROM json_each(:sites))
  AND p.published_on >= :since
  AND p.gone_at IS NULL
  AND substr(p.first_seen_at, 1, 10) <= :cutoff
ORDER BY 1, 4
"""


def policy_posts(
    conn: sqlite3.Connection, sites_json: str, since: str, cutoff: date
) -> list[dict[str, Any]]:
    """Posts of policy columns and every post titled as an interpretation (解读), dated from
    `since` on (an interpretation comes after its policy, so nothing older is needed)."""
    params = {"sites": sites_json, "since": since, "cutoff": cutoff.isoformat()}
    cursor = conn.execute(POLICY_POSTS_SQL, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
