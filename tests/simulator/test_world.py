"""The world model: determinism, scale, calendar, rhythms and letters (no network)."""

from __future__ import annotations

import json
from datetime import date, datetime

from simulator.holidays import add_workdays, is_workday
from simulator.world import build_world

END = datetime(2012, 12, 31)


def test_truth_is_deterministic_and_seed_dependent() -> None:
    first = json.dumps(build_world().truth(END), ensure_ascii=False)
    again = json.dumps(build_world().truth(END), ensure_ascii=False)
    other = json.dumps(build_world(seed=99).truth(END), ensure_ascii=False)
    assert first == again
    assert first != other


def test_scaling_spills_into_the_next_octet_with_unique_sites() -> None:
    world = build_world(n_sites=256)
    hosts = [s.host for s in world.sites]
    assert hosts[0] == "127.0.0.2" and hosts[253] == "127.0.0.255" and hosts[255] == "127.0.1.1"
    assert (
        len(set(hosts))
        == len({s.site_id for s in world.sites})
        == len({s.name for s in world.sites})
        == 256
    )
    assert {s.unit_type.value for s in world.sites} == {
        "province",
        "department",
        "city",
        "county",
        "affiliated",
    }
    assert [s.site_id for s in world.sites[:12]] == [s.site_id for s in build_world().sites]


def test_working_day_calendar_2012() -> None:
    assert not is_workday(date(2012, 10, 1)) and not is_workday(date(2012, 9, 30))
    assert is_workday(date(2012, 9, 29))  # Saturday make-up day
    assert not is_workday(date(2012, 1, 23)) and is_workday(date(2012, 1, 29))  # Sunday make-up
    assert add_workdays(date(2012, 9, 28), 2) == date(2012, 10, 8)  # Sat 9-29 worked
    assert add_workdays(date(2012, 1, 20), 3) == date(2012, 1, 30)
    assert add_workdays(date(2012, 1, 20), 1) == date(2012, 1, 21)


def test_column_rhythms_give_busy_stale_and_blank_columns() -> None:
    truth = build_world().truth(END)
    columns = [c for s in truth["sites"] for c in s["columns"]]
    news = [c for c in columns if c["category"] == "news" and c["rhythm"] == "daily"]
    assert news and all(len(c["posts"]) > 100 for c in news)
    stale = [c for c in columns if c["rhythm"] == "stale"]
    # Stale columns stopped at least two weeks (the shortest staleness limit) before 12-31.
    assert stale and all(max(p["date"] for p in c["posts"]) < "2012-12-17" for c in stale)
    archived = [c for c in columns if c["rhythm"] == "archived"]
    assert archived and all(max(p["date"] for p in c["posts"]) < "2011-12-01" for c in archived)
    assert sum(not c["posts"] for c in columns) >= 3
    assert any(
        c["rhythm"] == "rare" and max(p["date"] for p in c["posts"]) < "2012-01-01" for c in columns
    )
    portal = truth["sites"][0]
    assert len(portal["columns"][0]["posts"]) >= 150
    for site in truth["sites"]:
        assert 15 <= site["page_size"] <= 25
        for column in site["columns"]:
            dates = [p["date"] for p in column["posts"]]
            assert dates == sorted(dates, reverse=True)
            assert all(p["department"] for p in column["posts"])


def test_letters_span_holidays_and_some_stay_unanswered() -> None:
    truth = build_world().truth(END)
    letters = [c for s in truth["sites"] for c in s["consultations"]]
    assert any(c["asked"] == "2012-09-28" and c["replied"] == "2012-10-08" for c in letters)
    assert any(c["asked"] == "2012-01-20" and c["replied"] == "2012-01-30" for c in letters)
    assert any(c["replied"] is None and c["asked"] < "2012-09-01" for c in letters)
    slow = [
        c
        for c in letters
        if c["replied"]
        and (date.fromisoformat(c["replied"]) - date.fromisoformat(c["asked"])).days > 92
    ]
    assert slow
    assert all(c["replied"] is None or c["replied"] >= c["asked"] for c in letters)
    assert sum(1 for s in truth["sites"] if s["consultation_url"] is None) == 1


def test_truth_as_of_a_day_hides_later_items() -> None:
    world = build_world()
    mid = world.truth(datetime(2012, 6, 30, 23))
    assert mid["today"] == "2012-06-30"
    for site in mid["sites"]:
        assert all(p["date"] <= "2012-06-30" for c in site["columns"] for p in c["posts"])
        assert all(c["asked"] <= "2012-06-30" for c in site["consultations"])
        assert all(
            c["replied"] is None or c["replied"] <= "2012-06-30" for c in site["consultations"]
        )
    full = world.truth(END)
    assert sum(len(c["posts"]) for c in mid["sites"][0]["columns"]) < sum(
        len(c["posts"]) for c in full["sites"][0]["columns"]
    )
