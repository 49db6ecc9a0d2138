"""Fixtures of the console tests: the small group's database with recorded findings, accounts,
and the console app on it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "analysis"))  # sw_analysis_db

from sw_console import NOW, World, accounts, national, record_check, small_group

from crawler.store import open_db


@pytest.fixture(scope="session")
def built_group(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small group with the national check recorded and three accounts, built once (the
    argon2 hashes are slow on purpose); each test works on its own copy."""
    built = small_group(tmp_path_factory.mktemp("console_group"))
    record_check(built)
    accounts(built)
    built.conn.close()
    return built.path


@pytest.fixture
def world(built_group: Path, tmp_path: Path) -> World:
    """A private copy of the small group."""
    path = tmp_path / "group.db"
    shutil.copy(built_group, path)
    return World(path, open_db(path).conn)


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
