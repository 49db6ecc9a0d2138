"""The December report of the crawled demo world, read back from its files and compared with the
simulator's truth: the figures a person reads are the figures that happened."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import lxml.html
import openpyxl
import pytest
from docx import Document
from sw_testing import sitewatch

UNIT_SHEETS = (
    "发布信息数-省局门户",
    "发布信息数-机关处室",
    "发布信息数-市局",
    "发布信息数-直属单位",
)


@pytest.fixture(scope="module")
def report(crawled_demo: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = sitewatch(
        "report", "--month", "2012-12", "--config", str(crawled_demo["config"]),
        "--db", str(crawled_demo["db"]), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    printed = result.stdout.split()
    assert [Path(p).name for p in printed] == ["report.html", "report.docx", "report.xlsx"]
    return out / "2012-12"


def truth_by_name(truth: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {site["name"]: site for site in truth["sites"]}


def posts_in(site: dict[str, Any], month: str) -> int:
    return sum(
        1
        for column in site["columns"]
        for post in column["posts"]
        if post["date"].startswith(month)
    )


def sheet_rows(path: Path, title: str) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(path)[title]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_xlsx_posts_per_site_equal_the_truth(report: Path, crawled_demo: dict[str, Any]) -> None:
    sites = truth_by_name(crawled_demo["truth"])
    seen = set()
    for title in UNIT_SHEETS:
        for row in sheet_rows(report / "report.xlsx", title):
            site = sites[row["网站"]]
            seen.add(site["id"])
            assert row["本月发布"] == posts_in(site, "2012-12"), site["id"]
            assert row["上月发布"] == posts_in(site, "2012-11"), site["id"]
            assert isinstance(row["本月发布"], int)
    assert seen == {site["id"] for site in crawled_demo["truth"]["sites"]}


def test_xlsx_consultations_equal_the_truth(report: Path, crawled_demo: dict[str, Any]) -> None:
    sites = truth_by_name(crawled_demo["truth"])
    rows = sheet_rows(report / "report.xlsx", "四、互动回应")
    assert rows
    for row in rows:
        letters = [x for x in sites[row["网站"]]["consultations"] if x["asked"] >= "2012-12"]
        assert row["收到"] == len(letters)
        assert row["已回复"] == sum(1 for x in letters if x["replied"])


def test_xlsx_broken_links_equal_the_truth(report: Path, crawled_demo: dict[str, Any]) -> None:
    listed = Counter(row["链接"] for row in sheet_rows(report / "report.xlsx", "失效链接"))
    expected = {url for site in crawled_demo["truth"]["sites"] for url in site["broken_links"]}
    assert set(listed) == expected


def test_html_tables_agree_with_the_xlsx_and_have_no_external_assets(report: Path) -> None:
    page = lxml.html.parse(str(report / "report.html")).getroot()
    assert not page.xpath("//link[@rel='stylesheet'] | //script[@src]")
    assert all(src.startswith("data:") for src in page.xpath("//img/@src"))
    headings = [h.text_content().strip() for h in page.xpath("//h2")]
    for heading in ("概述", "各单位信息更新情况", "栏目更新", "互动回应", "可用性与链接",
                    "对照建设规范", "趋势", "问题清单与整改建议"):  # fmt: skip
        assert any(heading in h for h in headings), heading
    html_posts: dict[str, int] = {}
    for table in page.xpath("//table"):
        header = [th.text_content().strip() for th in table.xpath(".//thead//th")]
        if header[:2] != ["网站", "本月发布"]:
            continue
        for tr in table.xpath(".//tbody/tr"):
            cells = [td.text_content().strip() for td in tr.xpath("./td")]
            html_posts[cells[0]] = int(cells[1])
    xlsx_posts = {
        row["网站"]: row["本月发布"]
        for title in UNIT_SHEETS
        for row in sheet_rows(report / "report.xlsx", title)
    }
    assert html_posts == xlsx_posts


def test_docx_has_the_sections_and_tables(report: Path) -> None:
    document = Document(str(report / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) >= 8
    assert len(document.tables) >= 10


def test_xlsx_overview_compares_with_the_previous_month(
    report: Path, crawled_demo: dict[str, Any]
) -> None:
    overview = {row["指标"]: row for row in sheet_rows(report / "report.xlsx", "一、概述")}
    letters = [x for site in crawled_demo["truth"]["sites"] for x in site["consultations"]]
    for month, column in (("2012-12", "本月"), ("2012-11", "上月")):
        asked = [x for x in letters if x["asked"].startswith(month)]
        assert overview["收到咨询"][column] == len(asked), month
    posts = sum(posts_in(site, "2012-12") for site in crawled_demo["truth"]["sites"])
    assert overview["发布信息数"]["本月"] == posts


def test_a_month_without_data_is_a_clear_error(
    crawled_demo: dict[str, Any], tmp_path: Path
) -> None:
    result = sitewatch(
        "report", "--month", "2013-05", "--config", str(crawled_demo["config"]),
        "--db", str(crawled_demo["db"]), "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: 2013-05: no monitoring data for this month"
    assert not list(tmp_path.iterdir())
