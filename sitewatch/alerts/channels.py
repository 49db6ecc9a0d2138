"""Alert channels: email over SMTP (STARTTLS) and webhooks (WeCom, DingTalk, plain JSON).

A channel's `send` raises `SendError` with a short reason when the message did not go out;
the dispatcher records that and tries again later. Secrets come only from the environment.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from crawler.config.models import (
    AlertsConfig,
    SmtpChannelConfig,
    WebhookChannelConfig,
    WebhookKind,
)

USER_AGENT = "sitewatch-alerts/0.1"
# WeCom robots reject markdown content over 4096 bytes; DingTalk allows 20000.
WECOM_MAX_BYTES = 4000
LEVEL_MARKS = {"veto": "【否决】", "site_down": "【宕机】", "warning": "【预警】", "ok": "【恢复】"}


@dataclass(frozen=True)
class Message:
    """One alert message, independent of the channel."""

    key: str
    site_id: str | None
    level: str  # veto, site_down, warning, or digest
    kind: str  # opened, cleared, digest
    subject: str
    body: str


class SendError(Exception):
    """A message did not go out; `str()` is the short reason stored in the alerts table."""


class Channel(Protocol):
    """Anything that can deliver a Message."""

    name: str

    def send(self, message: Message) -> None:
        """Deliver the message or raise SendError."""
        ...


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """A verifying TLS context, trusting an extra CA file when given."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def env_secret(name: str | None, what: str) -> str | None:
    """The secret in environment variable `name`; SendError when it is named but unset."""
    if name is None:
        return None
    value = os.environ.get(name)
    if not value:
        raise SendError(f"environment variable {name} ({what}) is not set")
    return value


class SmtpChannel:
    """Email to a fixed list of recipients."""

    name = "email"

    def __init__(self, config: SmtpChannelConfig) -> None:
        self.config = config

    def build(self, message: Message) -> EmailMessage:
        """The email for a message."""
        email = EmailMessage()
        email["Subject"] = message.subject
        email["From"] = self.config.sender
        email["To"] = ", ".join(self.config.to)
        email["Date"] = formatdate(localtime=True)
        email["Message-ID"] = make_msgid(domain="sitewatch")
        email.set_content(message.body)
        return email

    def send(self, message: Message) -> None:
        """Connect, STARTTLS, log in when configured, send."""
        config = self.config
        password = env_secret(config.password_env, "SMTP password")
        try:
            with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
                if config.starttls:
                    smtp.starttls(context=tls_context(config.ca_file))
                if config.username and password is not None:
                    smtp.login(config.username, password)
                smtp.send_message(self.build(message))
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"smtp {config.host}:{config.port}: {exc}") from None


def markdown_text(message: Message) -> str:
    """Title line plus body, in the markdown both robots understand."""
    mark = LEVEL_MARKS["ok"] if message.kind == "cleared" else LEVEL_MARKS.get(message.level, "")
    return f"### {mark}{message.subject}\n\n{message.body}"


def truncate_bytes(text: str, limit: int) -> str:
    """Text cut to at most `limit` UTF-8 bytes without splitting a character."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"


def webhook_payload(kind: WebhookKind, message: Message) -> dict[str, Any]:
    """The JSON body for a robot of this kind."""
    if kind is WebhookKind.WECOM:
        content = truncate_bytes(markdown_text(message), WECOM_MAX_BYTES)
        return {"msgtype": "markdown", "markdown": {"content": content}}
    if kind is WebhookKind.DINGTALK:
        return {
            "msgtype": "markdown",
            "markdown": {"title": message.subject, "text": markdown_text(message)},
        }
    return {
        "key": message.key,
        "site_id": message.site_id,
        "level": message.level,
        "kind": message.kind,
        "subject": message.subject,
        "body": message.body,
    }


def dingtalk_signed_url(url: str, secret: str, now_ms: int) -> str:
    """DingTalk's signed robot URL: timestamp and an HMAC-SHA256 sign appended."""
    to_sign = f"{now_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={now_ms}&sign={sign}"


def robot_error(kind: WebhookKind, body: bytes) -> str | None:
    """The robot's own error (WeCom/DingTalk answer 200 with errcode != 0), else None."""
    if kind is WebhookKind.JSON:
        return None
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return None
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    return None if code == 0 else f"errcode {code}: {answer.get('errmsg', '')}"


class WebhookChannel:
    """A JSON POST to a robot or any HTTP receiver."""

    def __init__(self, config: WebhookChannelConfig) -> None:
        self.config = config
        self.name = config.label()

    def send(self, message: Message) -> None:
        """POST the payload; SendError on a network error, non-2xx or a robot errcode."""
        config = self.config
        url = config.url
        secret = env_secret(config.secret_env, "webhook secret")
        if secret is not None and config.kind is WebhookKind.DINGTALK:
            url = dingtalk_signed_url(url, secret, int(time.time() * 1000))
        data = json.dumps(webhook_payload(config.kind, message), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=config.timeout) as response:
                body = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise SendError(f"{self.name}: HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise SendError(f"{self.name}: {getattr(exc, 'reason', exc)}") from None
        problem = robot_error(config.kind, body)
        if problem is not None:
            raise SendError(f"{self.name}: {problem}")


def channels_from_config(config: AlertsConfig) -> list[Channel]:
    """The configured channels, email first."""
    channels: list[Channel] = []
    if config.email is not None:
        channels.append(SmtpChannel(config.email))
    channels.extend(WebhookChannel(hook) for hook in config.webhooks)
    return channels
