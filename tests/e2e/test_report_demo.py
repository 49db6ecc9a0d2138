"""The December report of the crawled demo world, read back from its files: the figures a person
reads are the figures that happened (the simulator's truth), the text is Chinese sentences
without programmer words, the narrative quotes its annex, and the Word file prints on A4."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import lxml.html
import openpyxl
import pytest
from docx import Document
from sw_testing import sitewatch

# Error codes the crawler and the prober record; none may reach a reader.
ERROR_CODES = (
    "connection_refused", "timeout", "dns", "connection_lost", "no_response", "connect_error",
    "http_4xx", "http_5xx", "too_large", "redirect_loop", "private_address", "unverifiable",
    "skip_host", "no_route",
)  # fmt: skip
IDENTIFIER = re.compile(r"\b[A-Za-z]+_[A-Za-z_]+\b")
URL = re.compile(r"(?:https?|javascript)://\S+|[\w./-]+\.(?:html?|docx?|pdf|jsp|aspx?)\b")


@pytest.fixture(scope="module")
def report(crawled_demo: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = sitewatch(
        "report", "--month", "2012-12", "--notices", "--config", str(crawled_demo["config"]),
        "--db", str(crawled_demo["db"]), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    printed = [Path(p) for p in result.stdout.split()]
    assert [p.name for p in printed[:3]] == ["report.html", "report.docx", "report.xlsx"]
    assert all(p.parent.name == "notices" and p.suffix == ".docx" for p in printed[3:])
    return out / "2012-12"


@pytest.fixture(scope="module")
def year(crawled_demo: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("year")
    result = sitewatch(
        "report", "--year", "2012", "--config", str(crawled_demo["config"]),
        "--db", str(crawled_demo["db"]), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert [Path(p).name for p in result.stdout.split()] == [
        "report.html", "report.docx", "report.xlsx",
    ]  # fmt: skip
    return out / "2012"


def truth_by_name(truth: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {site["name"]: site for site in truth["sites"]}


def posts_in(site: dict[str, Any], prefix: str) -> int:
    return sum(1 for c in site["columns"] for p in c["posts"] if p["date"].startswith(prefix))


def sheet(path: Path, suffix: str) -> list[dict[str, Any]]:
    """The rows of the sheet whose name (NN title) ends with `suffix`, keyed by header."""
    book = openpyxl.load_workbook(path)
    names = [n for n in book.sheetnames if n.split(" ", 1)[1] == suffix]
    assert len(names) == 1, (suffix, book.sheetnames)
    values = list(book[names[0]].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def reader_texts(report: Path) -> dict[str, list[str]]:
    """Every text a reader sees, by file: HTML paragraphs and cells, Word, Excel strings."""
    page = lxml.html.parse(str(report / "report.html")).getroot()
    html = [el.text_content() for el in page.xpath("//main//p | //main//td | //main//th | //h1")]
    doc = Document(str(report / "report.docx"))
    word = [p.text for p in doc.paragraphs]
    word += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    book = openpyxl.load_workbook(report / "report.xlsx")
    excel = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    return {"html": html, "docx": word, "xlsx": [c for c in excel if isinstance(c, str)]}


def test_no_identifier_none_or_error_code_anywhere(report: Path) -> None:
    for fmt, texts in reader_texts(report).items():
        for text in texts:
            plain = URL.sub("", text)
            assert not IDENTIFIER.search(plain), (fmt, text)
            assert "None" not in plain, (fmt, text)
            words = set(re.findall(r"[a-z_0-9]+", plain))
            assert not words & set(ERROR_CODES), (fmt, text)


def test_evidence_and_status_cells_are_chinese_sentences(report: Path) -> None:
    links = sheet(report / "report.xlsx", "失效链接")
    assert links and all(re.search(r"[\u4e00-\u9fff]", row["状态"]) for row in links)
    assert {row["状态"] for row in links} <= {
        "HTTP 404 页面不存在", "连接被拒绝", "超时", "HTTP 500 服务器内部错误", "域名无法解析",
        "HTTP 503 服务暂不可用", "HTTP 502 网关错误", "连接中断",
    }  # fmt: skip
    problems = sheet(report / "report.xlsx", "附件2 问题清单")
    assert problems
    for row in problems:
        assert re.search(r"[\u4e00-\u9fff]", row["情况说明"]), row


def test_narrative_numbers_equal_the_annex(report: Path) -> None:
    notice = [row[0] for row in openpyxl.load_workbook(report / "report.xlsx").worksheets[0]
              .iter_rows(values_only=True)]  # fmt: skip
    text = "".join(notice[1:])
    rows = sheet(report / "report.xlsx", "附件1 各单位监测结果汇总表")
    total = rows[-1]
    sites = rows[:-1]
    assert total["网站"] == "合计"

    def figure(pattern: str) -> int:
        found = re.search(pattern, text)
        assert found, pattern
        return int(found.group(1))

    assert figure(r"的 (\d+) 个网站进行了监测") == len(sites)
    assert figure(r"共发布信息 (\d+) 条") == total["本月发布"] == sum(s["本月发布"] for s in sites)
    assert figure(r"收到网民咨询 (\d+) 件") == total["收到"]
    assert figure(r"已答复 (\d+) 件") == total["已回复"]
    assert figure(r"达标 (\d+) 个") == sum(s["结论"] == "达标" for s in sites)
    assert figure(r"不达标 (\d+) 个") == sum(s["结论"] == "不达标" for s in sites)
    assert figure(r"发现失效链接 (\d+) 个") == total["失效链接数"]
    assert not re.search(r"[\u4e00-\u9fff][,;:()]", text), "half-width punctuation"


def test_problem_list_is_ordered_for_action(report: Path) -> None:
    rows = sheet(report / "report.xlsx", "附件2 问题清单")
    severity = ["单项否决", "扣分", "预警", "无数据", "提示"]
    units = ["省局门户", "机关处室", "市局", "县局", "直属单位"]
    keys = [(severity.index(r["性质"]), units.index(r["单位类型"])) for r in rows]
    assert keys == sorted(keys)
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))


def test_no_probes_means_no_data_for_availability(report: Path) -> None:
    # The fixture crawled once and never probed: availability cannot be judged anywhere.
    matrix = sheet(report / "report.xlsx", "对照建设规范检查结果")
    assert matrix and all(row["站点无法访问"] == "无数据" for row in matrix)
    problems = sheet(report / "report.xlsx", "附件2 问题清单")
    no_data = [r for r in problems if r["性质"] == "无数据" and r["问题"] == "站点无法访问"]
    assert len(no_data) == len(matrix)
    assert all("没有首页访问记录" in r["情况说明"] for r in no_data)


def test_xlsx_posts_per_site_equal_the_truth(report: Path, crawled_demo: dict[str, Any]) -> None:
    sites = truth_by_name(crawled_demo["truth"])
    rows = sheet(report / "report.xlsx", "附件1 各单位监测结果汇总表")[:-1]
    for row in rows:
        site = sites[row["网站"]]
        assert row["本月发布"] == posts_in(site, "2012-12"), site["id"]
        assert row["上月发布"] == posts_in(site, "2012-11"), site["id"]
        assert isinstance(row["本月发布"], int)
    assert {sites[r["网站"]]["id"] for r in rows} == {
        s["id"] for s in crawled_demo["truth"]["sites"]
    }


def test_every_site_in_the_consultation_table(report: Path, crawled_demo: dict[str, Any]) -> None:
    sites = truth_by_name(crawled_demo["truth"])
    rows = sheet(report / "report.xlsx", "互动回应情况")
    assert len(rows) == len(sites)
    for row in rows:
        site = sites[row["网站"]]
        letters = [x for x in site["consultations"] if x["asked"] >= "2012-12"]
        assert row["收到"] == len(letters)
        assert row["已回复"] == sum(1 for x in letters if x["replied"])
        assert row["咨询渠道"] == ("有" if site["consultation_url"] else "未发现")


def test_broken_links_equal_the_truth(report: Path, crawled_demo: dict[str, Any]) -> None:
    listed = Counter(row["链接"] for row in sheet(report / "report.xlsx", "失效链接"))
    expected = {url for site in crawled_demo["truth"]["sites"] for url in site["broken_links"]}
    assert set(listed) == expected


def test_notices_for_the_units_with_problems(report: Path) -> None:
    problems = sheet(report / "report.xlsx", "附件2 问题清单")
    with_problems = {r["网站"] for r in problems}
    notices = sorted((report / "notices").glob("*.docx"))
    assert len(notices) == len(with_problems)
    for path in notices:
        doc = Document(str(path))
        title = next(p.text for p in doc.paragraphs if p.style.name == "Title")
        assert title.endswith("监测问题的整改通知")
        unit = title.removeprefix("关于").split("网站2012年12月")[0]
        assert unit in with_problems
        rows = doc.tables[0].rows[1:]
        assert len(rows) == sum(r["网站"] == unit for r in problems)


def test_html_has_the_notice_and_no_external_assets(report: Path) -> None:
    page = lxml.html.parse(str(report / "report.html")).getroot()
    assert not page.xpath("//link[@rel='stylesheet'] | //script[@src]")
    assert all(src.startswith("data:") for src in page.xpath("//img/@src"))
    headings = [h.text_content().strip() for h in page.xpath("//h2")]
    for heading in ("一、总体情况", "二、存在的主要问题", "三、工作要求", "问题清单",
                    "互动回应情况", "可用性与链接", "近12个月趋势"):  # fmt: skip
        assert any(heading in h for h in headings), heading


def pdf_words_outside_pages(pdf: Path) -> list[str]:
    """Words whose box runs past their page's right edge."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True)
    outside = []
    for page in re.finditer(r'<page width="([\d.]+)".*?</page>', out.stdout, re.S):
        for word in re.finditer(r'xMax="([\d.]+)"[^>]*>([^<]*)<', page.group(0)):
            if float(word.group(1)) > float(page.group(1)):
                outside.append(word.group(2))
    return outside


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) or poppler (pdftotext) is not installed",
)
def test_word_prints_without_empty_toc_or_overflowing_tables(report: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(report / "report.docx")],
        capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "F9" not in text and "目录" not in text
    assert text.replace(" ", "").lstrip().startswith("关于2012年12月")
    assert pdf_words_outside_pages(pdf) == []


def test_year_view_equals_the_truth(year: Path, crawled_demo: dict[str, Any]) -> None:
    truth = crawled_demo["truth"]["sites"]
    per_category: Counter[str] = Counter()
    for site in truth:
        for column in site["columns"]:
            per_category[column["category"]] += sum(
                1 for p in column["posts"] if p["date"].startswith("2012")
            )
    from analysis.report.i18n import category_label
    from crawler.categories import Category

    rows = {
        r["类别"]: r["发布信息数"] for r in sheet(year / "report.xlsx", "附件1 各类信息发布数量")
    }
    expected = {category_label(Category(c), "zh"): n for c, n in per_category.items() if n}
    assert rows.pop("合计") == sum(expected.values())
    assert rows == expected
    letters = [x for site in truth for x in site["consultations"] if x["asked"].startswith("2012")]
    replied = [x for x in letters if x["replied"] and x["replied"] <= "2012-12-31"]
    sites = sheet(year / "report.xlsx", "附件2 各单位全年监测情况")
    assert sum(r["收到"] for r in sites) == len(letters)
    assert sum(r["已回复"] for r in sites) == len(replied)
    by_name = truth_by_name(crawled_demo["truth"])
    for row in sites:
        own = [x for x in by_name[row["网站"]]["consultations"] if x["asked"].startswith("2012")]
        done = sum(1 for x in own if x["replied"])
        assert row["回复率"] == (pytest.approx(done / len(own)) if own else None)
    notice = [r[0] for r in openpyxl.load_workbook(year / "report.xlsx").worksheets[0]
              .iter_rows(values_only=True)]  # fmt: skip
    assert f"共收到网民咨询 {len(letters)} 件" in "".join(notice)
    assert Document(str(year / "report.docx")).tables


def test_a_month_without_data_is_a_clear_error(
    crawled_demo: dict[str, Any], tmp_path: Path
) -> None:
    result = sitewatch(
        "report", "--month", "2013-05", "--config", str(crawled_demo["config"]),
        "--db", str(crawled_demo["db"]), "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("Error: 2013-05: no monitoring data")
    assert not list(tmp_path.iterdir())


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and shutil.which("pdftotext")),
    reason="Chromium or poppler (pdftotext) is not installed",
)
def test_html_prints_every_table_within_a4(report: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    pdf = tmp_path / "printed.pdf"
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        page.goto((report / "report.html").as_uri())
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        browser.close()
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                           text=True).stdout  # fmt: skip
    pages = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", sizes)
    assert pages
    for width, height in pages:  # A4 portrait or landscape, in points
        assert sorted((round(float(width)), round(float(height)))) == [595, 842]
    assert any(float(w) > float(h) for w, h in pages), "wide tables print on landscape pages"
    assert pdf_words_outside_pages(pdf) == []
