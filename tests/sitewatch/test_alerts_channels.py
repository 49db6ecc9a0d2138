"""Alert channels against real local receivers: SMTP with STARTTLS + AUTH, HTTP webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from pathlib import Path

import pytest
from sw_alert_servers import LOOPBACK, hook_server, smtp_server

from crawler.config.models import SmtpChannelConfig, WebhookChannelConfig
from sitewatch.alerts import Message, SendError, SmtpChannel, WebhookChannel
from sitewatch.alerts.channels import dingtalk_signed_url

MESSAGE = Message(
    key="site_down:xa-city:home",
    site_id="xa-city",
    level="site_down",
    kind="opened",
    subject="[sitewatch] 站点宕机 site down: 西安市质量技术监督局",
    body="西安市质量技术监督局\n2 consecutive failed visits",
)


def smtp_config(port: int, cert: Path, **changes: object) -> SmtpChannelConfig:
    """An email channel for the local server."""
    data = {
        "host": LOOPBACK,
        "port": port,
        "username": "alerts",
        "password_env": "SW_TEST_SMTP_PASSWORD",
        "ca_file": str(cert),
        "sender": "sitewatch@example.gov.cn",
        "to": ["it@example.gov.cn", "duty@example.gov.cn"],
        "timeout": 10.0,
    }
    return SmtpChannelConfig.model_validate({**data, **changes})


def test_email_goes_over_starttls_with_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SW_TEST_SMTP_PASSWORD", "s3cret")
    with smtp_server(tmp_path) as inbox:
        SmtpChannel(smtp_config(inbox.port, inbox.ca_file)).send(MESSAGE)
    assert inbox.logins == [("alerts", "s3cret")]
    assert inbox.tls_sessions == [True]
    [mail] = inbox.mails
    assert mail["Subject"] == MESSAGE.subject
    assert mail["To"] == "it@example.gov.cn, duty@example.gov.cn"
    assert "2 consecutive failed visits" in mail.get_content()


def test_email_without_the_password_variable_is_a_send_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SW_TEST_SMTP_PASSWORD", raising=False)
    with smtp_server(tmp_path) as inbox, pytest.raises(SendError, match="SW_TEST_SMTP_PASSWORD"):
        SmtpChannel(smtp_config(inbox.port, inbox.ca_file)).send(MESSAGE)
    assert inbox.mails == []


def test_email_refuses_a_server_certificate_it_does_not_trust(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SW_TEST_SMTP_PASSWORD", "s3cret")
    with smtp_server(tmp_path) as inbox, pytest.raises(SendError):
        SmtpChannel(smtp_config(inbox.port, inbox.ca_file, ca_file=None)).send(MESSAGE)
    assert inbox.logins == [] and inbox.mails == []


def test_wecom_payload_shape() -> None:
    with hook_server() as inbox:
        config = WebhookChannelConfig(kind="wecom", url=inbox.url("/cgi-bin/webhook/send?key=k"))
        WebhookChannel(config).send(MESSAGE)
    [(path, body)] = inbox.posts
    assert path == "/cgi-bin/webhook/send?key=k"
    assert body["msgtype"] == "markdown"
    assert set(body) == {"msgtype", "markdown"} and set(body["markdown"]) == {"content"}
    assert body["markdown"]["content"].startswith("### 【宕机】[sitewatch] 站点宕机")


def test_dingtalk_payload_shape_and_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SW_TEST_DING_SECRET", "SEC123")
    with hook_server() as inbox:
        config = WebhookChannelConfig(
            kind="dingtalk",
            url=inbox.url("/robot/send?access_token=t"),
            secret_env="SW_TEST_DING_SECRET",
        )
        WebhookChannel(config).send(MESSAGE)
    [(path, body)] = inbox.posts
    assert body == {
        "msgtype": "markdown",
        "markdown": {"title": MESSAGE.subject, "text": body["markdown"]["text"]},
    }
    assert MESSAGE.body in body["markdown"]["text"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["access_token"] == ["t"]
    # DingTalk's documented algorithm: base64(HMAC-SHA256(secret, "<timestamp>\n<secret>"))
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(b"SEC123", f"{timestamp}\nSEC123".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]


def test_dingtalk_signed_url_on_a_known_value() -> None:
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=x", "s", 1000)
    sign = base64.b64encode(hmac.new(b"s", b"1000\ns", hashlib.sha256).digest()).decode()
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1000&sign="
        + urllib.parse.quote_plus(sign)
    )


def test_json_payload_carries_every_field() -> None:
    with hook_server() as inbox:
        WebhookChannel(WebhookChannelConfig(kind="json", url=inbox.url())).send(MESSAGE)
    [(_, body)] = inbox.posts
    assert body == {
        "key": "site_down:xa-city:home",
        "site_id": "xa-city",
        "level": "site_down",
        "kind": "opened",
        "subject": MESSAGE.subject,
        "body": MESSAGE.body,
    }


def test_robot_errcode_and_http_errors_are_send_errors() -> None:
    with hook_server() as inbox:
        inbox.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
        with pytest.raises(SendError, match="93000"):
            WebhookChannel(WebhookChannelConfig(kind="wecom", url=inbox.url())).send(MESSAGE)
        inbox.status = 500
        with pytest.raises(SendError, match="HTTP 500"):
            WebhookChannel(WebhookChannelConfig(kind="json", url=inbox.url())).send(MESSAGE)


def test_unreachable_webhook_is_a_send_error() -> None:
    with hook_server() as inbox:
        url = inbox.url()
    with pytest.raises(SendError):
        WebhookChannel(WebhookChannelConfig(kind="json", url=url, timeout=2.0)).send(MESSAGE)
