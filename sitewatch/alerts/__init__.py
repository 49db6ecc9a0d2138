"""Alerts: conditions from the rule engine and the probes, channels, and the dispatcher."""

from __future__ import annotations

from sitewatch.alerts.channels import (
    Message,
    SendError,
    SmtpChannel,
    WebhookChannel,
    channels_from_config,
    webhook_payload,
)
from sitewatch.alerts.conditions import (
    Assessment,
    Condition,
    conditions_from_check,
    conditions_from_verdicts,
    extraction_assessment,
    probe_assessment,
)
from sitewatch.alerts.dispatcher import Dispatcher

__all__ = [
    "Assessment",
    "Condition",
    "Dispatcher",
    "Message",
    "SendError",
    "SmtpChannel",
    "WebhookChannel",
    "channels_from_config",
    "conditions_from_check",
    "conditions_from_verdicts",
    "extraction_assessment",
    "probe_assessment",
    "webhook_payload",
]
