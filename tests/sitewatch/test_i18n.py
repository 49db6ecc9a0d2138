"""The message catalogue: every CLI string has its Chinese, and the locale picks the language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from sitewatch import i18n

SITEWATCH = Path(i18n.__file__).parent
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z]+\)s")


def source_messages() -> set[str]:
    """Every literal passed to _() or ngettext() in sitewatch/ (singular ids)."""
    found = set()
    keywords = {"_": None, "ngettext": (1, 2)}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(SITEWATCH), keywords=keywords, method_map=[("**.py", "python")]
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def chinese_catalogue() -> dict[str, object]:
    with i18n.po_path("zh").open("rb") as handle:
        catalog = read_po(handle)
    return {
        message.id if isinstance(message.id, str) else message.id[0]: message.string
        for message in catalog
        if message.id
    }


def test_every_cli_message_has_a_chinese_translation() -> None:
    catalogue = chinese_catalogue()
    missing = sorted(m for m in source_messages() if not catalogue.get(m))
    assert missing == []


def test_translations_keep_every_placeholder() -> None:
    for message_id, translated in chinese_catalogue().items():
        strings = translated if isinstance(translated, tuple) else (translated,)
        wanted = set(PLACEHOLDER.findall(message_id))
        for text in strings:
            # A plural's single Chinese form may use the plural's placeholders instead.
            assert set(PLACEHOLDER.findall(str(text))) <= wanted | {
                "{possibilities}",
                "{choices}",
                "{nargs}",
            }, message_id


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL overrides LANG
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "C"}, "zh"),
    ],
)
def test_language_from_the_locale(environ: dict[str, str], expected: str) -> None:
    assert i18n.language_from_locale(environ) == expected


def test_lang_option_in_argv() -> None:
    assert i18n.language_from_argv(["--lang", "zh", "check"]) == "zh"
    assert i18n.language_from_argv(["--lang=en", "check"]) == "en"
    assert i18n.language_from_argv(["check", "--db", "x"]) is None


def test_cli_speaks_the_chosen_language() -> None:
    from sitewatch.cli import cli

    try:
        chinese = CliRunner().invoke(cli, ["--lang", "zh", "stats"])
        assert chinese.exit_code == 2
        assert "错误：缺少选项" in chinese.output and "Error" not in chinese.output
        english = CliRunner().invoke(cli, ["--lang", "en", "stats"])
        assert "Error: Missing option" in english.output
    finally:
        i18n.set_language(None)


# The commands of the core CLI; commands added later should join this list with their Chinese.
CORE_COMMANDS = (
    "check", "crawl", "demo", "discover", "inspect", "probe", "report", "runs", "schedule",
    "simulate", "stats", "validate",
)  # fmt: skip


def test_every_core_command_help_has_a_chinese_translation() -> None:
    from sitewatch.cli import cli

    catalogue = chinese_catalogue()
    missing = []
    for name in ("sitewatch", *CORE_COMMANDS):
        command = cli if name == "sitewatch" else cli.commands[name]
        texts = i18n.help_paragraphs(command.help or "")
        texts += [p.help for p in command.params if getattr(p, "help", None)]
        missing += [f"{name}: {text}" for text in texts if not catalogue.get(text)]
    assert missing == []


def test_help_is_translated_paragraph_by_paragraph_and_examples_are_kept() -> None:
    text = "Do the thing.\n\nLonger words\nover two lines.\n\n\b\nExample:\n    sitewatch x --y"
    assert i18n.help_paragraphs(text) == [
        "Do the thing.",
        "Longer words over two lines.",
        "Example:",
    ]
    try:
        i18n.set_language("zh")
        shown = i18n.translate_help(text)
    finally:
        i18n.set_language(None)
    assert shown.endswith("\b\n示例：\n    sitewatch x --y")
