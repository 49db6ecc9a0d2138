"""Fixtures shared across the test tree (helpers live in tests/sw_testing.py)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sw_testing import demo_config, simulator, sitewatch, worker_port

# The CLI speaks the locale's language (sitewatch/i18n.py); the tests read its English unless
# they choose a language themselves, whatever the locale of the machine running them.
for _name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(scope="session")
def crawled_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The default simulated world crawled once at 2012-12-31 through the real CLI.

    Yields {"db": Path, "truth": dict, "config": Path, "port": int}. Shared by the tests that
    compare stored or computed figures with the simulator's ground truth.
    """
    tmp = tmp_path_factory.mktemp("crawled_demo")
    port = worker_port(19500)
    with simulator(port) as sim:
        config = demo_config(tmp, port)
        db = tmp / "demo.db"
        result = sitewatch(
            "crawl", "--config", str(config), "--db", str(db), "--now", "2012-12-31T09:00", "-q"
        )
        assert result.returncode == 0, result.stderr[-3000:]
        truth = sim.truth()
        (tmp / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
        yield {"db": db, "truth": truth, "config": config, "port": port, "crawl": result}


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A scratch folder for config files."""
    return tmp_path


# Crawling end-to-end and reliability modules are the slow loop; `pytest -m "not slow"` skips
# them (README: Testing). Marked here by folder, so a new module there is slow too.
SLOW_FOLDERS = ("e2e", "reliability")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e/ and tests/reliability/ as slow."""
    here = Path(__file__).parent
    slow = [here / folder for folder in SLOW_FOLDERS]
    for item in items:
        if any(item.path.is_relative_to(folder) for folder in slow):
            item.add_marker(pytest.mark.slow)
