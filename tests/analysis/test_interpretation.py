"""Policy interpretation matching by title and window."""

from __future__ import annotations

from analysis.standards.metrics.interpretation import core_title, interpreted, reading_of


def test_core_title_drops_the_wrapping() -> None:
    assert core_title("关于印发《计量监督管理办法》的通知") == "计量监督管理办法"
    assert core_title("关于进一步加强民生计量工作的意见") == "进一步加强民生计量工作的意见"


def test_interpretation_by_title_within_the_window() -> None:
    policy = {"title": "关于进一步加强民生计量工作的意见", "published_on": "2012-12-18"}
    reading = {
        "title": "关于《关于进一步加强民生计量工作的意见》的解读",
        "published_on": "2012-12-20",
    }
    late = {**reading, "published_on": "2012-12-29"}
    other = {"title": "《计量管理规定》解读", "published_on": "2012-12-19"}
    assert interpreted(policy, [reading_of(reading)], 7)
    assert not interpreted(policy, [reading_of(late)], 7)
    assert not interpreted(policy, [reading_of(other)], 7)
