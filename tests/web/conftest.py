"""Fixtures of the console tests: the small group's database with recorded findings, accounts,
and the console app on it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "analysis"))  # sw_analysis_db

from sw_console import NOW, World, accounts, national, record_check, small_group


@pytest.fixture
def world(tmp_path: Path) -> World:
    """The small group with the national check recorded and three accounts."""
    built = small_group(tmp_path)
    record_check(built)
    accounts(built)
    return built


@pytest.fixture
def app(world: World, tmp_path: Path):
    from sitewatch.web.app import create_app

    return create_app(
        world.path,
        national(),
        clock=lambda: NOW,
        reports_dir=tmp_path / "reports",
        standard_path=Path("config/standards/national.yaml"),
    )
