"""Fixtures of the report tests: the sample context and the report rendered once."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_sample import sample_context

from analysis.report.context import ReportContext
from analysis.report.render import render_report


@pytest.fixture(scope="session")
def context() -> ReportContext:
    """The sample context."""
    return sample_context()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The sample report rendered once in every format, in Chinese and in English."""
    out = tmp_path_factory.mktemp("report")
    ctx = sample_context()
    return {
        "zh": render_report(ctx, out / "zh", ("html", "docx", "xlsx"), "zh"),
        "en": render_report(ctx, out / "en", ("html", "docx", "xlsx"), "en"),
    }
