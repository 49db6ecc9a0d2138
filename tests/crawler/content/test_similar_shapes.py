"""Similar-shaped slips (形近字) of leader names, from the group's shape file or leader list.

No permissively licensed PyPI package ships a shape-confusion table without heavy dependencies
(docs/content-checks.md, Limits), so the groups come from the group's own files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.content.dictionaries import (
    ContentFileError,
    Leader,
    leader_shapes,
    load_shape_file,
    name_variants,
    shape_groups,
)
from crawler.content.scanner import ContentRules, ContentScanner

ROOT = Path(__file__).parents[3]
LEADERS = [Leader("何思源", "局长", "省局", date(2012, 7, 1), None)]
DAY = date(2012, 11, 20)


def found(text: str, shapes: dict[str, frozenset[str]]) -> list[tuple[str, str, str, str]]:
    scanner = ContentScanner(ContentRules(leaders=LEADERS, similar_shapes=shapes))
    return [(f.check, f.term, f.suggestion, f.severity) for f in scanner.scan(text, DAY)]


def test_shape_file_groups_with_or_without_spaces_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "shapes.txt"
    path.write_text("# 注释\n己 已 巳\n思恩  # 何思源\n\n", encoding="utf-8")
    table = load_shape_file(path)
    assert table["己"] == {"已", "巳"} and table["恩"] == {"思"}
    path.write_text("己 已\n思\n", encoding="utf-8")
    with pytest.raises(ContentFileError, match=r"shapes.txt, line 2: expected two or more"):
        load_shape_file(path)
    with pytest.raises(ContentFileError, match=r"expected two or more"):
        shape_groups([("x", "ab")])


def test_shipped_template_is_empty_and_demo_leaders_list_the_simulated_groups() -> None:
    from simulator.content_cases import SIMILAR_SHAPES

    assert load_shape_file(ROOT / "config" / "similar-shapes.example.txt") == {}
    assert leader_shapes(ROOT / "config" / "leaders.yaml") == shape_groups(
        [("", group) for group in SIMILAR_SHAPES]
    )


def test_a_look_alike_in_a_name_is_a_slip_like_a_homophone() -> None:
    shapes = shape_groups([("", "思恩")])
    assert name_variants("何思源", shapes)["何恩源"] == "何思源"
    assert "何恩源" not in name_variants("何思源")  # not a homophone: only the table finds it
    assert found("局长何恩源出席。", shapes) == [("leader_name", "何恩源", "何思源", "serious")]
    assert found("何恩源出席。", shapes) == [("leader_name", "何恩源", "何思源", "suspected")]
    assert found("局长何恩源出席。", {}) == []
    assert found("局长何思源出席。", shapes) == []
