"""Paragraph numbers of the 通报 in Chinese numerals, past 20 too (the demo has more than 20)."""

from __future__ import annotations

import pytest

from analysis.report.narrative import cn_index, cn_number

# Written out by hand, as a 公文 numbers its paragraphs.
EXPECTED = {
    1: "一",
    9: "九",
    10: "十",
    11: "十一",
    20: "二十",
    21: "二十一",
    35: "三十五",
    99: "九十九",
    100: "一百",
    105: "一百零五",
    110: "一百一十",
    123: "一百二十三",
}


@pytest.mark.parametrize(("n", "text"), sorted(EXPECTED.items()))
def test_cn_number(n: int, text: str) -> None:
    assert cn_number(n) == text


def test_cn_index_is_one_based_and_bracketed() -> None:
    assert cn_index(0) == "（一）"
    assert cn_index(20) == "（二十一）"


def test_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        cn_number(0)
