"""The `content:` block of a site-group config: which files the content checks read."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ContentConfig(BaseModel):
    """Content checks (错敏信息). Paths resolve like `standard:` (CWD, then the config's folder)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    leaders: str | None = None  # YAML: leaders: [{name, title, unit, from, to}]
    confusion: str | None = None  # the group's own pairs: `wrong right [严重|疑似]` a line
    default_confusion: bool = True  # add the dictionary derived from pypinyin's phrases
    sensitive_words: str | None = None  # `word [严重|疑似]` a line (default 严重)
    classified_markings: str | None = None  # `marking [严重|疑似]` a line (default 严重)
    personal_data: bool = True  # ID numbers, bank cards, mobile numbers
    attachments: bool = True  # read linked .docx/.xlsx/.pdf files of detail pages
    identity: bool = True  # home page 标识码/备案/标识/找错 and article meta tags
    service_links: bool = True  # 办事指南 downloads and online-application links work
    similar_shapes: str | None = None  # similar-shaped characters (形近字), one group a line
