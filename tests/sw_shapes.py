"""Configs for the simulator's shape sites (`--shapes`) and the template-switching site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SHAPES_OPTION = ("--shapes",)


def shape_sites(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """The truth's shape sites."""
    return [site for site in truth["sites"] if site.get("shape")]


def with_shape_sites(config: Path, truth: dict[str, Any], *, render: str = "off") -> Path:
    """Add the truth's shape sites (columns discovered) to a config; `render` for the group."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["defaults"]["render"] = render
    for site in shape_sites(truth):
        data["sites"].append(
            {
                "id": site["id"],
                "name": site["name"],
                "unit_type": site["unit_type"],
                "parent": site["parent"],
                "home_url": site["home_url"],
            }
        )
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config
