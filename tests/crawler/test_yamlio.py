"""The hardened YAML loader: what it refuses, and what it no longer refuses by mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import ConfigError, load_config, yamlio
from crawler.config.yamlio import load_yaml


def sites_yaml(count: int) -> str:
    """A config-shaped document of `count` sites, no aliases."""
    sites = "".join(
        f"  - {{id: s{n}, name: 站{n}, unit_type: city, home_url: 'http://s{n}.gov.cn/'}}\n"
        for n in range(count)
    )
    return "group: {name: x}\nsites:\n" + sites


def test_a_big_config_without_aliases_is_not_an_alias_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    # Scaled down: the alias limit at 1,000 values and a config of 2,000 sites (18,000 values),
    # as a 100,000-site config stands to the real 500,000 limit. Values written in the file are
    # bounded by the file size, not by the alias limit.
    monkeypatch.setattr(yamlio, "MAX_ALIAS_EXPANSION", 1_000)
    assert len(load_yaml(sites_yaml(2_000), "big.yaml")["sites"]) == 2_000


def test_aliases_that_add_too_many_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_ALIAS_EXPANSION", 1_000)
    text = "ten: &ten [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nmany: [" + ", ".join(["*ten"] * 150) + "]\n"
    with pytest.raises(ConfigError) as refused:
        load_yaml(text, "bomb.yaml")
    assert str(refused.value) == (
        "bomb.yaml: line 1, column 1: aliases expand to more than 1,000 values beyond the 15 "
        "written in the file; write the values out"
    )


def test_a_few_aliases_are_fine() -> None:
    text = "d: &d {delay: 1}\nsites: [{crawl: *d}, {crawl: *d}]\n"
    assert load_yaml(text, "x.yaml")["sites"][1]["crawl"] == {"delay": 1}


def test_a_file_over_the_size_limit_names_that_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(sites_yaml(1) + "#" * (9 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert str(refused.value) == f"{path}: too large (9 MB; at most 8 MB)"


def test_deep_nesting_is_one_line_not_a_recursion_error() -> None:
    with pytest.raises(ConfigError) as refused:
        load_yaml("a: " + "[" * 20000 + "]" * 20000 + "\n", "deep.yaml")
    assert str(refused.value) == "deep.yaml: line 1, column 53: nested more than 50 levels deep"
