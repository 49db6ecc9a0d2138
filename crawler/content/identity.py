"""Site identity and page tags (政府网站发展指引, 2017): pure functions over a parsed page.

Home pages carry, usually in the footer: the 10-character 网站标识码, the ICP 备案号, the 公安机关
备案号, the 党政机关网站标识 (a badge linking to the registration service) and a "我为政府网站
找错" entry. Article pages carry the meta tags SiteName, ColumnName, ColumnType, ArticleTitle,
PubDate (`YYYY-MM-DD HH:MM`) and ContentSource, and SiteIDCode equal to the footer's code.
Each function returns problems as (check, term, suggestion): what is wrong, and what is expected.
"""

from __future__ import annotations

import re
from datetime import date

from lxml.html import HtmlElement

from crawler.extract.tree import meta_content, raw_visible_text

SITE_CODE = re.compile(r"(?:网站标识码|网站识别码)\s*[:：]?\s*([0-9A-Za-z]{10})(?![0-9A-Za-z])")
ICP = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP备\s*\d+号")
POLICE = re.compile(r"公网安备\s*\d{10,16}\s*号")
PARTY_MARK_HOSTS = ("bszs.conac.cn",)  # the badge's target (site.conac.cn links are not it)
PARTY_MARK_IDS = ("_ideConac", "imgConac")  # the registration service's badge snippet
PARTY_MARK_WORDS = ("党政机关",)
ERROR_REPORT_WORDS = ("我为政府网站找错",)
ERROR_REPORT_HOSTS = ("zfwzzc.www.gov.cn",)
# The national 找错 widget is a script (`<script id="_jiucuo_" sitecode=… src=…/jiucuo.js>`).
ERROR_REPORT_SCRIPT = "jiucuo"
ARTICLE_TAGS = ("SiteName", "ColumnName", "ColumnType", "ArticleTitle", "PubDate", "ContentSource")
# YYYY-MM-DD HH:MM; many compliant CMSs add seconds, which is accepted.
PUBDATE_FORM = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?$")

Problem = tuple[str, str, str]  # check, term, suggestion


def footer_site_code(text: str) -> str | None:
    """The 网站标识码 written on the page, if any."""
    found = SITE_CODE.search(text)
    return found.group(1) if found else None


def has_party_mark(tree: HtmlElement) -> bool:
    """A 党政机关网站标识 badge: a link to the registration service or an image named for it."""
    for anchor in tree.iter("a"):
        if any(host in (anchor.get("href") or "") for host in PARTY_MARK_HOSTS):
            return True
    for element in tree.iter("span", "img", "div"):
        if element.get("id") in PARTY_MARK_IDS:
            return True
    for image in tree.iter("img"):
        label = f"{image.get('alt') or ''}{image.get('title') or ''}"
        if any(word in label for word in PARTY_MARK_WORDS):
            return True
    return False


def has_error_report_entry(tree: HtmlElement) -> bool:
    """A 我为政府网站找错 link (by its words, image text, the national service's host) or the
    national widget's script."""
    for script in tree.iter("script"):
        if ERROR_REPORT_SCRIPT in f"{script.get('id') or ''}{script.get('src') or ''}":
            return True
    for anchor in tree.iter("a"):
        label = raw_visible_text(anchor) + (anchor.get("title") or "")
        label += "".join(img.get("alt") or "" for img in anchor.iter("img"))
        href = anchor.get("href") or ""
        if any(w in label for w in ERROR_REPORT_WORDS) or any(
            h in href for h in ERROR_REPORT_HOSTS
        ):
            return True
    return False


def home_problems(tree: HtmlElement) -> list[Problem]:
    """What the home page lacks of the site's identity, and a 标识码 its meta contradicts."""
    text = raw_visible_text(next(tree.iter("body"), tree))
    problems: list[Problem] = []
    code = footer_site_code(text)
    meta_code = meta_content(tree, "SiteIDCode")
    if code is None:
        problems.append(("site_code_missing", "网站标识码", meta_code or ""))
    elif meta_code and meta_code.strip() != code:
        problems.append(("site_code_mismatch", meta_code.strip(), code))
    if not ICP.search(text):
        problems.append(("icp_missing", "ICP备案号", ""))
    if not POLICE.search(text):
        problems.append(("police_record_missing", "公安机关备案号", ""))
    if not has_party_mark(tree):
        problems.append(("party_mark_missing", "党政机关网站标识", ""))
    if not has_error_report_entry(tree):
        problems.append(("error_report_missing", "我为政府网站找错", ""))
    return problems


def meta_values(tree: HtmlElement) -> dict[str, str]:
    """Every <meta> tag's content by lower-cased name, read in one pass (as `meta_content`
    reads them: the first tag of a name wins, contents stripped) — six look-ups per article
    each walking the tree cost more than the check."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip()
        content = meta.get("content")
        if key and content is not None and key.lower() not in found:
            found[key.lower()] = content.strip()
    return found


def article_problems(tree: HtmlElement, shown: date | None) -> list[Problem]:
    """Missing article meta tags, a PubDate not in `YYYY-MM-DD HH:MM` form or not the shown date."""
    problems: list[Problem] = []
    metas = meta_values(tree)
    values = {name: metas.get(name.lower(), "") for name in ARTICLE_TAGS}
    missing = [name for name, value in values.items() if not value]
    if missing:
        problems.append(("meta_missing", "、".join(missing), ""))
    pubdate = values["PubDate"]
    if pubdate and not PUBDATE_FORM.match(pubdate):
        problems.append(("pubdate_form", pubdate, "YYYY-MM-DD HH:MM"))
    elif pubdate and shown is not None and pubdate[:10] != shown.isoformat():
        problems.append(("pubdate_disagrees", pubdate[:10], shown.isoformat()))
    return problems
