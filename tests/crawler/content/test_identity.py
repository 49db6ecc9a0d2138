"""Site identity (home page) and article meta tags, on made-up and real pages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawler.content.identity import article_problems, home_problems
from crawler.extract.encoding import decode_html
from crawler.extract.tree import parse_html

PAGES = Path(__file__).parents[4] / "shared" / "fixtures" / "real-pages"

FOOTER = (
    '<html><head><meta name="SiteIDCode" content="{meta}"></head><body>'
    "<p>网站标识码：6100000001　陕ICP备05001234号　陕公网安备 61010302000123号</p>"
    '<a href="http://bszs.conac.cn/sitename?method=show&id=1"><img src="red.png"></a>'
    '<script id="_jiucuo_" sitecode="6100000001" src="/jiucuo.js"></script></body></html>'
)
ARTICLE = (
    '<html><head><meta name="SiteName" content="省局"><meta name="ColumnName" content="要闻">'
    '<meta name="ColumnType" content="工作动态"><meta name="ArticleTitle" content="标题">'
    '<meta name="PubDate" content="{pubdate}"><meta name="ContentSource" content="办公室">'
    "</head><body><h1>标题</h1></body></html>"
)


def test_complete_home_page_has_no_problem() -> None:
    assert home_problems(parse_html(FOOTER.format(meta="6100000001"))) == []


def test_mismatched_site_code_and_missing_parts() -> None:
    tree = parse_html(FOOTER.format(meta="6100000002"))
    assert home_problems(tree) == [("site_code_mismatch", "6100000002", "6100000001")]
    bare = parse_html("<html><body><p>版权所有</p></body></html>")
    assert [check for check, _t, _s in home_problems(bare)] == [
        "site_code_missing",
        "icp_missing",
        "police_record_missing",
        "party_mark_missing",
        "error_report_missing",
    ]


def test_article_tags_form_and_agreement() -> None:
    shown = date(2012, 11, 29)
    ok = parse_html(ARTICLE.format(pubdate="2012-11-29 09:30"))
    assert article_problems(ok, shown) == []
    with_seconds = parse_html(ARTICLE.format(pubdate="2012-11-29 09:30:05"))
    assert article_problems(with_seconds, shown) == []
    date_only = parse_html(ARTICLE.format(pubdate="2012-11-29"))
    assert article_problems(date_only, shown) == [
        ("pubdate_form", "2012-11-29", "YYYY-MM-DD HH:MM")
    ]
    other_day = parse_html(ARTICLE.format(pubdate="2012-12-03 10:00"))
    assert article_problems(other_day, shown) == [("pubdate_disagrees", "2012-12-03", "2012-11-29")]
    assert article_problems(parse_html("<html><body>x</body></html>"), shown)[0][0] == (
        "meta_missing"
    )


# Read off the real pages by hand: which identity items each home page shows, and the PubDate
# each article page carries against the date it shows (labels.jsonl publish_date).
REAL_HOME = {
    "014.html": [("site_code_missing", "网站标识码", "")],  # code only inside the 找错 widget
    "032.html": [],
}
REAL_DATE_PROBLEMS = {
    "007.html": [("pubdate_form", "2021-10-11", "YYYY-MM-DD HH:MM")],
    "018.html": [("pubdate_disagrees", "2025-03-27", "2025-02-26")],
    "019.html": [("pubdate_disagrees", "2022-04-24", "2017-05-15")],
    "020.html": [("pubdate_form", "2022-04-26", "YYYY-MM-DD HH:MM")],
    "023.html": [("pubdate_disagrees", "2022-10-14", "2020-09-15")],
    "024.html": [("pubdate_disagrees", "2023-05-12", "2009-09-30")],
}


def test_real_pages() -> None:
    if not (PAGES / "labels.jsonl").exists():
        pytest.skip(f"{PAGES}: the shared real pages are not here")
    labels = [json.loads(line) for line in (PAGES / "labels.jsonl").read_text().splitlines()]
    checked = 0
    for label in labels:
        html, _codec = decode_html((PAGES / label["file"]).read_bytes(), None)
        tree = parse_html(html)
        if label["file"] in REAL_HOME:
            assert home_problems(tree) == REAL_HOME[label["file"]], label["file"]
            checked += 1
        elif label["page_type"] == "detail":
            shown = label["labels"].get("publish_date")
            found = article_problems(tree, date.fromisoformat(shown) if shown else None)
            dates = [p for p in found if p[0] != "meta_missing"]
            assert dates == REAL_DATE_PROBLEMS.get(label["file"], []), label["file"]
            checked += 1
    assert checked >= 25
