"""Build the scanner's `ContentRules` from a group's `content:` config and its files."""

from __future__ import annotations

from pathlib import Path

from crawler.config import GroupConfig
from crawler.config.models import resolve_config_path
from crawler.content.config import ContentConfig
from crawler.content.dictionaries import (
    WordEntry,
    default_confusions,
    leader_shapes,
    load_leaders,
    load_shape_file,
    load_word_file,
    merged_shapes,
)
from crawler.content.scanner import ContentRules


def content_config(group: GroupConfig) -> ContentConfig:
    """The group's content settings (defaults when the config has no `content:` block)."""
    return getattr(group, "content", None) or ContentConfig()


def _path(value: str | None, group: GroupConfig) -> Path | None:
    return None if value is None else resolve_config_path(value, group)


def rules_from_files(
    config: ContentConfig,
    *,
    leaders: Path | None,
    confusion: Path | None,
    sensitive: Path | None,
    markings: Path | None,
    shapes: Path | None = None,
) -> ContentRules:
    """Read the files (ContentFileError names the file and line of a mistake)."""
    confusions: dict[str, WordEntry] = {}
    if confusion is not None:
        for entry in load_word_file(confusion, default_severity="suspected", pairs=True):
            confusions[entry.term] = entry
    return ContentRules(
        leaders=load_leaders(leaders) if leaders else [],
        confusions=confusions,
        four_char_slips=default_confusions() if config.default_confusion else {},
        sensitive=load_word_file(sensitive, default_severity="serious") if sensitive else [],
        markings=load_word_file(markings, default_severity="serious") if markings else [],
        personal_data=config.personal_data,
        similar_shapes=merged_shapes(
            leader_shapes(leaders) if leaders else {},
            load_shape_file(shapes) if shapes else {},
        ),
    )


def rules_for_group(group: GroupConfig) -> ContentRules:
    """The content rules a group's config asks for."""
    config = content_config(group)
    return rules_from_files(
        config,
        leaders=_path(config.leaders, group),
        confusion=_path(config.confusion, group),
        sensitive=_path(config.sensitive_words, group),
        markings=_path(config.classified_markings, group),
        shapes=_path(config.similar_shapes, group),
    )


def check_content_files(group: GroupConfig) -> None:
    """Read the group's content-check files (not the default dictionary): ContentFileError
    names the file and line of the first mistake."""
    config = content_config(group)
    if not config.enabled:
        return
    rules_from_files(
        config.model_copy(update={"default_confusion": False}),
        leaders=_path(config.leaders, group),
        confusion=_path(config.confusion, group),
        sensitive=_path(config.sensitive_words, group),
        markings=_path(config.classified_markings, group),
        shapes=_path(config.similar_shapes, group),
    )
