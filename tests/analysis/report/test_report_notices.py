"""Rectification notices: one Word file per unit with problems, its own rows and sentences."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from report_sample import CITY, CITY2, PORTAL, sample_context

from analysis.report.notices import notice_file, render_notices


def test_one_notice_per_unit_with_problems(tmp_path: Path) -> None:
    written = render_notices(sample_context(), tmp_path)
    # 宝鸡 (vetoes, deduction, stale columns), 西安 (a warning), the portal (no data)
    assert sorted(written) == ["baoji", "portal", "xian"]
    assert all(p.parent == tmp_path / "2012-12" / "notices" for p in written.values())
    doc = Document(str(written["baoji"]))
    title = next(p.text for p in doc.paragraphs if p.style.name == "Title")
    assert title == f"关于{CITY2}网站2012年12月监测问题的整改通知"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.splitlines()[1] == f"{CITY2}："
    assert "得分 42.5 分，结论为不达标（触发单项否决：互动回应差）" in text
    assert "（一）站点无法访问（单项否决）。自 2012-12-25 起访问首页 620 次，失败 31 次" in text
    assert "请于收到本通知后 10 个工作日内完成整改" in text
    sites = {row.cells[3].text for row in doc.tables[0].rows[1:]}
    assert sites == {CITY2}  # only the unit's own problems
    assert CITY not in text and PORTAL not in text


def test_notice_file_names_are_safe() -> None:
    assert notice_file("xa-city") == "xa-city.docx"
    assert notice_file("../etc/passwd") == ".._etc_passwd.docx"
