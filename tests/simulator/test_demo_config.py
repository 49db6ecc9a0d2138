"""config/demo.yaml describes exactly the default simulated world."""

from __future__ import annotations

from pathlib import Path

import yaml

from crawler.categories import CATEGORY_NAMES, UnitType
from simulator.world import build_world

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo.yaml"


def test_demo_yaml_matches_the_default_world() -> None:
    config = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    assert config["group"]["allow_private_addresses"] is True
    assert config["group"]["name"] == "陕西省质量技术监督局网站群（模拟）"
    assert config["defaults"]["obey_robots"] is True
    world = build_world()
    assert [s["id"] for s in config["sites"]] == [s.site_id for s in world.sites]
    listed = 0
    for entry, site in zip(config["sites"], world.sites, strict=True):
        assert entry["name"] == site.name
        assert UnitType(entry["unit_type"]) is site.unit_type
        assert entry["home_url"] == site.home_url
        assert entry.get("parent") == site.parent
        if "columns" in entry:
            listed += 1
            wanted = {(c.name, site.url(c.path), c.category.value) for c in site.columns}
            got = {(c["name"], c["url"], c["category"]) for c in entry["columns"]}
            assert got == wanted, site.site_id
            assert all(c["category"] in CATEGORY_NAMES for c in entry["columns"])
        if site.mailbox_slug:
            assert entry["consultation_urls"] == [f"{site.base_url}/{site.mailbox_slug}/"]
        else:
            assert "consultation_urls" not in entry
    assert 4 <= listed <= 8  # about half the sites rely on column discovery
