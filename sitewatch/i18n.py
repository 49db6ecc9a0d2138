"""The CLI's message catalogue: English source strings, Chinese for Chinese locales.

Every user-facing string of the CLI goes through `_()` (or `ngettext()` for counts):

    from sitewatch.i18n import _
    raise click.ClickException(_("{db}: no such database").format(db=db))

The catalogues are gettext `.po` files under `sitewatch/locale/<lang>/LC_MESSAGES/`. They are
read with Babel's pure-Python `.po` reader and compiled in memory into a standard
`gettext.GNUTranslations`, so a fresh clone and an installed wheel both work with no build step
and no `msgfmt` on the host.

The language is `--lang zh|en` when given, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`:
`zh_CN.UTF-8` and any other `zh*` mean Chinese), else English. Click's own messages ("Usage:",
"Error:", "Missing option") are translated from the same catalogue (`install_click`).

To add a string: write it in English inside `_()`, then add its `msgid`/`msgstr` pair to
`sitewatch/locale/zh/LC_MESSAGES/sitewatch.po`; `tests/sitewatch/test_i18n.py` fails on any
`_()` string without a Chinese translation.
"""

from __future__ import annotations

import gettext
import inspect
import io
import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import click

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "sitewatch"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "en"
# The order gettext itself consults (LANGUAGE is left out: it lists fallbacks, not the locale).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
# Click modules that bind `from gettext import gettext as _` / `ngettext` at import time.
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "utils")

NO_REWRAP = "\b"  # Click's marker: the paragraph after it is printed as written

_language: str | None = None


def language_from_locale(environ: Mapping[str, str] | None = None) -> str:
    """`zh` when the effective locale is Chinese, else English (the first set variable wins)."""
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def language_from_argv(argv: Sequence[str]) -> str | None:
    """The value of a `--lang zh|en` / `--lang=zh` before any subcommand, or None."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            return argv[index + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    return None


def set_language(language: str | None) -> str:
    """Use this language from now on (None: from the locale); returns the one chosen."""
    global _language
    _language = language if language in LANGUAGES else language_from_locale()
    return _language


def current_language() -> str:
    """The language in use (detected from the locale on first use)."""
    return _language if _language is not None else set_language(None)


def po_path(language: str) -> Path:
    """Where a language's catalogue lives."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's catalogue as gettext translations (English: the source strings)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = po_path(language)
    if language == DEFAULT_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """The message in the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for `count`, in the current language."""
    return translations(current_language()).ngettext(singular, plural, count)


def help_paragraphs(text: str) -> list[str]:
    """The message ids of a help text: each prose paragraph on one line, and the heading of
    each `\\b` block ("Example:"); the examples themselves are commands, never translated."""
    ids = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith(NO_REWRAP + "\n"):
            heading = paragraph[2:].partition("\n")[0]
            if heading.endswith(":"):
                ids.append(heading)
        elif paragraph.strip():
            ids.append(" ".join(paragraph.split()))
    return ids


def translate_help(text: str) -> str:
    """A command's help in the current language, paragraph by paragraph (see help_paragraphs)."""
    out = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith(NO_REWRAP + "\n"):
            heading, _sep, rest = paragraph[2:].partition("\n")
            shown = _(heading) if heading.endswith(":") else heading
            out.append(f"{NO_REWRAP}\n{shown}" + (f"\n{rest}" if rest else ""))
        else:
            one_line = " ".join(paragraph.split())  # Click re-wraps prose paragraphs
            out.append(_(one_line))
    return "\n\n".join(out)


def localize_help(command: click.Command) -> None:
    """Translate the help of a command, its options and its subcommands, in place."""
    if current_language() == DEFAULT_LANGUAGE:
        return
    if command.help:
        command.help = translate_help(command.help)
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = _(param.help)
    for sub in getattr(command, "commands", {}).values():
        localize_help(sub)


def install_click() -> None:
    """Route Click's own messages ("Usage:", "Error: …", "Missing option …") through `_()`."""
    import importlib

    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
