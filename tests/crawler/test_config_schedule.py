"""The `schedule:` and `alerts:` sections of the site-group config."""

from __future__ import annotations

import pytest

from crawler.config import ConfigError, parse_config
from crawler.config.models import cron_fields

BASE = """group: {name: 测试网站群}
sites:
  - {id: portal, name: 门户, unit_type: province, home_url: 'http://www.example.gov.cn/'}
"""


def parse(extra: str):
    """Parse BASE plus extra top-level sections."""
    return parse_config(BASE + extra, "cfg.yaml")


def error_of(extra: str) -> ConfigError:
    """The ConfigError of BASE plus extra."""
    with pytest.raises(ConfigError) as info:
        parse(extra)
    return info.value


def test_defaults_match_the_issue() -> None:
    config = parse("")
    assert config.schedule.jobs() == {
        "crawl": "0 2 * * *",
        "probe": "0 * * * *",
        "check": "30 6 * * *",
        "report": "0 8 1 * *",
    }
    assert config.alerts.enabled and config.alerts.email is None and config.alerts.webhooks == []


def test_null_switches_a_job_off_and_spaces_are_normalised() -> None:
    config = parse("schedule:\n  report: null\n  probe: '*/30   *  * * *'\n")
    assert config.schedule.jobs() == {
        "crawl": "0 2 * * *",
        "probe": "*/30 * * * *",
        "check": "30 6 * * *",
    }


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "schedule:\n  crawl: '0 25 * * *'\n",
            "cfg.yaml: schedule: crawl: '0 25 * * *' is not a valid cron expression",
        ),
        ("schedule:\n  probe: hourly\n", "cfg.yaml: schedule: probe: 'hourly' is not a cron"),
        ("schedule:\n  check: '0 6 * * 8'\n", "cfg.yaml: schedule: check: '0 6 * * 8'"),
        ("schedule:\n  crawll: '0 2 * * *'\n", "unknown key (did you mean 'crawl'?)"),
        ("schedule:\n  timezone: Asia/Xian\n", "schedule: timezone: unknown time zone"),
    ],
)
def test_bad_schedule_is_one_line_naming_file_and_field(section: str, message: str) -> None:
    error = str(error_of(section))
    assert message in error
    assert "\n" not in error


def test_a_literal_password_is_an_error() -> None:
    error = str(
        error_of(
            "alerts:\n  email:\n    host: smtp.example.gov.cn\n    username: u\n"
            "    password: hunter2\n    sender: a@example.gov.cn\n    to: [b@example.gov.cn]\n"
        )
    )
    assert error.startswith("cfg.yaml: alerts: email: password: do not put the password")
    assert "password_env" in error and "hunter2" not in error


def test_email_and_webhooks_validate() -> None:
    config = parse(
        "alerts:\n  email:\n    host: smtp.example.gov.cn\n    username: u\n"
        "    password_env: SITEWATCH_SMTP_PASSWORD\n    sender: a@example.gov.cn\n"
        "    to: [b@example.gov.cn]\n  webhooks:\n"
        "    - {kind: wecom, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x'}\n"
        "    - {kind: dingtalk, name: duty, url: 'https://oapi.dingtalk.com/robot/send'}\n"
        "  quiet_hours: '22:00-07:00'\n  digest: true\n"
    )
    assert config.alerts.email is not None and config.alerts.email.port == 587
    assert [hook.label() for hook in config.alerts.webhooks] == ["webhook:wecom", "webhook:duty"]
    assert config.alerts.quiet_window() == ((22, 0), (7, 0))


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "alerts:\n  webhooks: [{kind: slack, url: 'http://x.example/'}]\n",
            "alerts: webhooks: item 1: kind: must be one of: wecom, dingtalk, json",
        ),
        ("alerts:\n  webhooks: [{url: 'ftp://x.example/'}]\n", "alerts: webhooks: item 1: url:"),
        ("alerts:\n  quiet_hours: '22-7'\n", "alerts: quiet_hours: '22' is not a time"),
        (
            "alerts:\n  email: {host: h, sender: a, to: [b], password_env: 'my secret'}\n",
            "password_env: 'my secret' is not an environment variable name",
        ),
        (
            "alerts:\n  email: {host: h, sender: a, to: []}\n",
            "alerts: email: to: must not be empty",
        ),
    ],
)
def test_bad_alerts_are_one_line(section: str, message: str) -> None:
    assert message in str(error_of(section))


def test_crontab_weekdays_count_from_sunday() -> None:
    # crontab: 0 and 7 are Sunday, 1 is Monday (APScheduler 3 would read 0 as Monday)
    assert cron_fields("0 6 * * 0")["day_of_week"] == "sun"
    assert cron_fields("0 6 * * 7")["day_of_week"] == "sun"
    assert cron_fields("0 6 * * 1-5")["day_of_week"] == "mon-fri"
    assert cron_fields("0 6 * * sat,1")["day_of_week"] == "sat,mon"
