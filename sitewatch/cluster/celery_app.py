"""The Celery app for Celery's own tools, on $SITEWATCH_BROKER (default: local Redis).

celery -A sitewatch.cluster.celery_app inspect active
"""

from __future__ import annotations

from sitewatch.cluster.app import broker_settings, make_app

app = make_app(broker_settings(None))
