"""The Excel report: a sheet per table, frozen filtered headers, native numbers and dates."""

from __future__ import annotations

from datetime import datetime

from openpyxl import load_workbook
from report_sample import CITY, CITY2, FORMULA_TITLE, HOSTILE_SITE, XSS_TITLE

from analysis.report.context import ReportContext

SHEETS_ZH = [
    "00 通报",
    "01 附件1 各单位监测结果汇总表",
    "02 附件2 问题清单",
    "03 各网站首页访问次数",
    "04 指标定义",
    "05 附件4 专项检查情况",
    "06 概况",
    "07 分类信息量",
    "08 信息更新情况（省局门户）",
    "09 信息更新情况（机关处室）",
    "10 信息更新情况（市局）",
    "11 信息更新情况（直属单位）",
    "12 栏目更新情况",
    "13 互动回应情况",
    "14 逾期未答复留言",
    "15 可用性与链接",
    "16 首页访问中断记录",
    "17 失效链接",
    "18 对照建设规范检查结果",
    "19 不合格项及证据",
    "20 近12个月趋势",
]


def open_xlsx(rendered: dict, lang: str = "zh"):
    """The rendered workbook, opened with openpyxl."""
    return load_workbook(rendered[lang]["xlsx"])


def rows_by_first(ws) -> dict:
    """Data rows keyed by their first cell."""
    return {row[0].value: row for row in ws.iter_rows(min_row=2)}


def test_one_sheet_per_table_frozen_and_filtered(rendered: dict) -> None:
    wb = open_xlsx(rendered)
    assert wb.sheetnames == SHEETS_ZH  # one convention: NN and the table's title
    assert wb.worksheets[0]["A1"].value.startswith("关于2012年12月")
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws["A1"].font.b
        for letter, dim in ws.column_dimensions.items():
            assert 6 <= dim.width <= 60, (ws.title, letter)
    assert len(open_xlsx(rendered, "en").sheetnames) == len(SHEETS_ZH)


def test_numbers_are_numbers_and_dates_are_dates(rendered: dict, context: ReportContext) -> None:
    wb = open_xlsx(rendered)
    city = rows_by_first(wb["10 信息更新情况（市局）"])
    site = next(s for s in context.sites if s.name == CITY)
    row = city[CITY]
    assert [row[i].value for i in (1, 2, 3, 7, 8, 9, 10)] == [
        site.posts,
        site.posts_previous,
        site.change,
        site.days_since_update,
        site.stale_columns,
        site.blank_columns,
        site.rank,
    ]
    assert all(row[i].data_type == "n" for i in (1, 2, 3, 7))
    assert row[6].value == datetime(2012, 12, 28) and row[6].is_date
    assert row[6].number_format == "yyyy-mm-dd"
    assert city[CITY2][6].value is None  # no last update
    overview = rows_by_first(wb["06 概况"])
    assert overview["回复率"][1].value == context.overview.reply_rate
    assert overview["回复率"][1].number_format == "0.0%"
    consult = rows_by_first(wb["13 互动回应情况"])
    assert consult[CITY][5].value == 0.8333333333333334
    outages = list(wb["16 首页访问中断记录"].iter_rows(min_row=2, values_only=True))
    assert outages[0][1] == datetime(2012, 12, 3, 2) and outages[1][2] == "检查日仍未恢复"


def test_formula_injection_is_stored_as_text(rendered: dict) -> None:
    wb = open_xlsx(rendered)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    formula_like = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula_like, "the hostile title must be in the workbook"
    for cell in formula_like:
        assert cell.value == FORMULA_TITLE
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert not [c for c in cells if c.data_type == "f"]
    shown = {c.value for c in cells}
    assert {XSS_TITLE, HOSTILE_SITE} <= shown


def test_only_http_links(rendered: dict) -> None:
    wb = open_xlsx(rendered)
    targets = [
        c.hyperlink.target
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.hyperlink
    ]
    assert targets and all(t.startswith(("http://", "https://")) for t in targets)
