"""Content checks on text: personal numbers, leader names and titles, words, markings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.content.dictionaries import (
    ContentFileError,
    Leader,
    WordEntry,
    default_confusions,
    load_leaders,
    load_word_file,
)
from crawler.content.personal import (
    bank_cards,
    id_check_digit,
    id_numbers,
    luhn_valid,
    mobile_numbers,
)
from crawler.content.scanner import ContentRules, ContentScanner

LEADERS = [
    Leader("郑光荣", "局长", "省局", date(2008, 3, 1), date(2012, 6, 30)),
    Leader("郑光荣", "巡视员", "省局", date(2012, 7, 1), None),
    Leader("何思源", "局长", "省局", date(2012, 7, 1), None),
]
DAY = date(2012, 11, 20)


def scanner(**changes: object) -> ContentScanner:
    rules = ContentRules(leaders=LEADERS, **changes)  # type: ignore[arg-type]
    return ContentScanner(rules)


def kinds(text: str, **changes: object) -> list[tuple[str, str, str, str]]:
    found = scanner(**changes).scan(text, DAY)
    return [(f.check, f.term, f.suggestion, f.severity) for f in found]


# GB 11643 example number from the standard's annex, and a published test card number.
def test_id_check_digit_of_the_standard_example() -> None:
    assert id_check_digit("11010519491231002") == "X"
    assert [m.masked for m in id_numbers("号码 11010519491231002X 。")] == ["110105********002X"]
    assert id_numbers("号码 110105194912310021 。") == []  # wrong check digit
    assert id_numbers("号码 110105194913310029") == []  # month 13


def test_luhn_and_card_context() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert [m.masked for m in bank_cards("收款账号：4111 1111 1111 1111")] == ["4111********1111"]
    assert bank_cards("订单编号 4111111111111111") == []  # no card word: not reported


def test_mobile_numbers_only_as_whole_numbers() -> None:
    assert [m.masked for m in mobile_numbers("手机：13907551234。")] == ["139****1234"]
    assert mobile_numbers("编号 2013907551234") == []
    assert mobile_numbers("电话 029-87654321") == []


def test_leader_name_slip_next_to_a_title_is_serious() -> None:
    assert kinds("局长何思远出席会议") == [("leader_name", "何思远", "何思源", "serious")]
    assert kinds("何思远同志参加") == [("leader_name", "何思远", "何思源", "suspected")]


def test_title_judged_on_the_page_date() -> None:
    assert kinds("郑光荣局长讲话") == [("leader_title", "郑光荣（局长）", "巡视员", "serious")]
    assert kinds("巡视员郑光荣讲话") == []
    early = scanner().scan("郑光荣局长讲话", date(2012, 3, 1))
    assert early == []


def test_names_split_by_spaces_in_tables_are_joined() -> None:
    assert kinds("局长：何  思远") == [("leader_name", "何思远", "何思源", "serious")]


def test_confusion_markings_and_sensitive_words() -> None:
    confusions = {"迫不急待": WordEntry("迫不急待", "suspected", "迫不及待")}
    found = kinds(
        "群众迫不急待。秘密★1年。内部资料。某敏感词。",
        confusions=confusions,
        markings=[WordEntry("内部资料", "serious")],
        sensitive=[WordEntry("某敏感词", "serious")],
    )
    assert found == [
        ("confusion", "迫不急待", "迫不及待", "suspected"),
        ("classified", "秘密★", "", "serious"),
        ("classified", "内部资料", "", "serious"),
        ("sensitive", "某敏感词", "", "serious"),
    ]
    assert kinds("保守国家秘密是公民的义务。") == []


def test_snippet_masks_the_number_it_quotes() -> None:
    (finding,) = scanner().scan("身份证号码：11010519491231002X，住址略。", DAY)
    assert "11010519491231002X" not in finding.snippet
    assert "110105********002X" in finding.snippet


def test_default_dictionary_comes_from_pypinyin_data() -> None:
    confusions = default_confusions()
    assert confusions["迫不急待"] == "迫不及待"
    assert "迫不及待" not in confusions  # right words are never "wrong"
    assert len(confusions) > 100_000


def test_group_files_errors_name_file_and_line(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# 注释\n甲词\n乙词 疑似\n丙词 很严重\n", encoding="utf-8")
    with pytest.raises(ContentFileError, match=r"words.txt, line 4: severity"):
        load_word_file(words, default_severity="serious")
    leaders = tmp_path / "leaders.yaml"
    leaders.write_text("leaders:\n  - {name: 张三, title: 局长, from: 2012-13-01}\n")
    with pytest.raises(ContentFileError, match=r"leaders.yaml: cannot read"):
        load_leaders(leaders)


def test_shipped_templates_are_empty_and_leaders_match_the_simulator() -> None:
    from simulator.content_cases import LEADERS as SIMULATED

    root = Path(__file__).parents[3] / "config"
    for name in ("sensitive-words.example.txt", "classified-markings.example.txt"):
        assert load_word_file(root / name, default_severity="serious") == []
    listed = load_leaders(root / "leaders.yaml")
    assert [(x.name, x.title, str(x.start), str(x.end) if x.end else None) for x in listed] == [
        (x["name"], x["title"], x["from"], x["to"]) for x in SIMULATED
    ]
