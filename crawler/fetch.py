"""The one-page fetch of the interactive commands (inspect, discover): the guarded HTTP path."""

from __future__ import annotations

from crawler.http import Fetched, FetchError, FetchPolicy, fetch, operator_policy

__all__ = ["FetchError", "FetchPolicy", "Fetched", "fetch", "operator_policy"]
