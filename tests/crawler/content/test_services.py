"""办事指南 elements judged by the labels a page shows."""

from __future__ import annotations

from crawler.content.services import ELEMENTS, is_service_guide, missing_elements

FULL = (
    "事项名称：计量标准考核 设定依据：《计量法》 受理条件：依法设立 申请材料：申请书 "
    "办公地点：政务大厅 受理时间：工作日 咨询电话：029-87650000 办理流程：申请、受理、决定"
)


def test_synonyms_count_as_the_element() -> None:
    assert missing_elements(FULL) == []


def test_missing_elements_named() -> None:
    assert missing_elements(FULL.replace("申请材料：申请书 ", "")) == ["办理材料"]
    assert missing_elements("计量标准考核办事指南") == list(ELEMENTS)


def test_labels_split_by_table_spaces() -> None:
    assert "办理材料" not in missing_elements("办 理 材 料：申请书")


def test_what_is_a_guide() -> None:
    assert is_service_guide("计量标准考核办事指南", "notice")
    assert is_service_guide("某事项", "service")
    assert not is_service_guide("关于开展培训的通知", "notice")
