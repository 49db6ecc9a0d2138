"""The validated site-group config: `load_config(path)` or `parse_config(text, source)`.

Every problem becomes one `ConfigError` whose `str()` names the file, the site, the column and
the field, e.g. `config/x.yaml: site 'xa-city', column 'tzgg': url: must be an http(s) URL`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from crawler.config.checks import is_private_address, slug_from_url
from crawler.config.errors import ConfigError, format_validation_error
from crawler.config.models import (
    DEFAULT_USER_AGENT,
    ColumnConfig,
    CrawlOverrides,
    CrawlSettings,
    ExtractOverrides,
    GroupConfig,
    GroupInfo,
    SiteConfig,
    StorageConfig,
    resolve_config_path,
)
from crawler.config.yamlio import MAX_YAML_BYTES, load_yaml, read_yaml_text
from crawler.selectors import is_xpath

__all__ = [
    "DEFAULT_USER_AGENT",
    "ColumnConfig",
    "ConfigError",
    "CrawlOverrides",
    "CrawlSettings",
    "ExtractOverrides",
    "GroupConfig",
    "GroupInfo",
    "SiteConfig",
    "StorageConfig",
    "is_private_address",
    "is_xpath",
    "load_config",
    "parse_config",
    "resolve_config_path",
    "slug_from_url",
]


def parse_config(text: str, source: str) -> GroupConfig:
    """Parse and validate config text; `source` names the file in error messages."""
    data = load_yaml(text, source)
    try:
        config = GroupConfig.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc, data, source, text, GroupConfig) from None
    config._config_file = Path(source)
    return config


#: Kept for callers of the old name: the size bound of every YAML file.
MAX_CONFIG_BYTES = MAX_YAML_BYTES


def load_config(path: str | Path) -> GroupConfig:
    """Read, parse and validate a config file; ConfigError with one clear message on failure."""
    return parse_config(read_yaml_text(path), str(path))
