"""Operating agents: the systemd unit printed for them, broker settings, the help."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner
from sw_testing import DEMO_CONFIG

from crawler.config import load_config
from sitewatch.cli import cli
from sitewatch.cluster.app import broker_settings
from sitewatch.schedule_export import systemd_units


def config_with(tmp_path: Path, **cluster: object) -> Path:
    data = yaml.safe_load(DEMO_CONFIG.read_text(encoding="utf-8"))
    data.pop("standard", None)
    if cluster:
        data["cluster"] = cluster
    path = tmp_path / "group.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_systemd_output_has_an_agent_unit_only_with_a_cluster(tmp_path: Path) -> None:
    plain = systemd_units(load_config(config_with(tmp_path)), tmp_path / "g.yaml", tmp_path / "x")
    assert "sitewatch-agent.service" not in plain
    group = load_config(config_with(tmp_path, broker="redis://10.1.2.3:6379/0"))
    units = systemd_units(group, tmp_path / "g.yaml", tmp_path / "x.db")
    agent = units.split("sitewatch-agent.service ---", 1)[1]
    assert "sitewatch agent --broker redis://10.1.2.3:6379/0" in agent
    assert "Restart=always" in agent and "User=" in agent


def test_the_broker_password_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    group = load_config(
        config_with(tmp_path, broker="redis://10.1.2.3:6379/0", password_env="SW_REDIS_PW")
    )
    monkeypatch.delenv("SITEWATCH_BROKER", raising=False)
    monkeypatch.setenv("SW_REDIS_PW", "s3cr:t")
    settings = broker_settings(group.cluster)
    assert settings.url == "redis://:s3cr%3At@10.1.2.3:6379/0"
    assert "s3cr" not in settings.display()


def test_a_bad_cluster_section_is_one_clear_error(tmp_path: Path) -> None:
    path = config_with(tmp_path, broker="redis://x/0", vantage_quorum="most")
    result = CliRunner().invoke(cli, ["validate", "--config", str(path)])
    assert result.exit_code != 0
    assert "vantage_quorum" in result.output


def test_agent_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["agent", "--help"])
    assert result.exit_code == 0
    assert "sitewatch agent --broker" in result.output
