"""The validated site-group config: `load_config(path)` or `parse_config(text, source)`.

Every problem becomes one `ConfigError` whose `str()` names the file, the site, the column and
the field, e.g. `config/x.yaml: site 'xa-city', column 'tzgg': url: must be an http(s) URL`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from crawler.config.checks import is_private_address, is_xpath, slug_from_url
from crawler.config.errors import ConfigError, format_validation_error, load_yaml
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


#: A config of 1,000 sites with 20 columns each is about 2 MB; more is a mistake or an attack.
MAX_CONFIG_BYTES = 8 * 1024 * 1024


def load_config(path: str | Path) -> GroupConfig:
    """Read, parse and validate a config file; ConfigError with one clear message on failure."""
    source = str(path)
    try:
        size = Path(path).stat().st_size if Path(path).is_file() else 0
        if size > MAX_CONFIG_BYTES:
            limit_mb = MAX_CONFIG_BYTES // (1024 * 1024)
            message = f"{source}: too large ({size / 1024 / 1024:.0f} MB; at most {limit_mb} MB)"
            raise ConfigError(message)
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{source}: is a directory, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")  # editors on Windows like to add a BOM
    except UnicodeDecodeError as exc:
        message = f"{source}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8"
        raise ConfigError(message) from None
    return parse_config(text, source)
