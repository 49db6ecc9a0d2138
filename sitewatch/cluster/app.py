"""The Celery application agents and the writer share: JSON only, late acks, one job per site.

Why Celery (not RQ or Dramatiq): it has late acknowledgement with redelivery of a dead
worker's job (`task_acks_late` + `task_reject_on_worker_lost` and the Redis transport's
visibility timeout), named queues an agent subscribes to (`crawl`, `probe.<vantage>`), a result
backend on the same Redis, and the widest operational tooling (`celery inspect`, Flower).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from celery import Celery

CRAWL_QUEUE = "crawl"
PROBE_QUEUE_PREFIX = "probe."
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
BROKER_ENV = "SITEWATCH_BROKER"
VISIBILITY_ENV = "SITEWATCH_VISIBILITY_TIMEOUT_S"
CRAWL_TASK = "sitewatch.crawl_site"
PROBE_TASK = "sitewatch.probe_sites"
#: How long results wait in Redis for the writer (a writer down for a weekend still finds them).
RESULT_EXPIRES_S = 7 * 24 * 3600


@dataclass(frozen=True)
class BrokerSettings:
    """Where the queue is and how long one job may take before it is handed to another agent."""

    url: str = DEFAULT_BROKER
    job_timeout_s: int = 2 * 3600
    # How long a delivered job may stay unacknowledged before it goes to another agent: a little
    # longer than a job may run, so a live agent's job is not handed out twice.
    visibility_s: int | None = None

    @property
    def visibility_timeout(self) -> int:
        """Seconds before an unacknowledged job (its agent died) is delivered again."""
        return self.visibility_s or int(self.job_timeout_s * 1.1) + 5

    def display(self) -> str:
        """The URL without its password, for messages."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))


def broker_settings(cluster: object | None, url: str | None = None) -> BrokerSettings:
    """--broker, else $SITEWATCH_BROKER, else the config's `cluster.broker` (+ password_env)."""
    timeout = 2 * 3600
    configured = None
    if cluster is not None:
        timeout = int(getattr(cluster, "job_timeout_minutes", 120)) * 60
        configured = str(getattr(cluster, "broker", DEFAULT_BROKER))
        password_env = getattr(cluster, "password_env", None)
        password = os.environ.get(password_env) if password_env else None
        if password:
            parts = urlsplit(configured)
            netloc = f":{quote(password, safe='')}@{parts.hostname}"
            netloc += f":{parts.port}" if parts.port else ""
            configured = urlunsplit(parts._replace(netloc=netloc))
    chosen = url or os.environ.get(BROKER_ENV) or configured or DEFAULT_BROKER
    # For tests that kill an agent and must not wait the hours a real crawl may take.
    visibility = int(os.environ.get(VISIBILITY_ENV) or 0) or None
    return BrokerSettings(chosen, timeout, visibility)


def make_app(settings: BrokerSettings) -> Celery:
    """A Celery app on the broker, with sitewatch's tasks registered."""
    app = Celery("sitewatch", broker=settings.url, backend=settings.url)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        # At least once: a job is acknowledged when it has returned its result (stored in the
        # backend), and a job whose agent died is redelivered.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={"visibility_timeout": settings.visibility_timeout},
        result_expires=RESULT_EXPIRES_S,
        result_extended=True,
        task_default_queue=CRAWL_QUEUE,
        task_track_started=True,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    from sitewatch.cluster import tasks

    tasks.register(app, settings)
    return app


def probe_queue(vantage: str | None) -> str:
    """The queue an agent at this vantage point takes probe jobs from."""
    return f"{PROBE_QUEUE_PREFIX}{vantage or 'default'}"
