"""The CJK font: Noto Sans CJK SC shipped by mplfonts, selected explicitly by file.

No system font is needed (no root step): the font file is registered with matplotlib's font
manager by path, and charts name it by family, so Chinese labels never fall back to a font
without the glyphs. The HTML report embeds a subset of the same font (only the characters it
shows), so it renders Chinese even on a machine without any CJK font.
"""

from __future__ import annotations

import functools
import importlib.util
import io
from pathlib import Path

from matplotlib.font_manager import FontProperties, fontManager

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
# Word does not embed fonts: name the ones every Chinese Windows/WPS has (body 仿宋, headings 黑体).
DOCX_BODY_FONT_EAST_ASIA = "仿宋"
DOCX_HEADING_FONT_EAST_ASIA = "黑体"
DOCX_LATIN_FONT = "Calibri"


class FontMissingError(RuntimeError):
    """The CJK font file the charts need is not installed."""


def mplfonts_dir() -> Path:
    """The folder of font files inside the installed mplfonts package (without importing it)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissingError("mplfonts is not installed (pip install mplfonts)")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def cjk_font_path() -> Path:
    """The Noto Sans CJK SC font file."""
    path = mplfonts_dir() / CJK_FONT_FILE
    if not path.is_file():
        raise FontMissingError(f"{path}: CJK font file missing")
    return path


@functools.cache
def register_cjk_font() -> str:
    """Register the CJK font with matplotlib once and return its family name."""
    path = cjk_font_path()
    fontManager.addfont(str(path))
    return FontProperties(fname=str(path)).get_name()


def subset_font_woff(text: str) -> bytes:
    """The CJK font cut down to the characters of `text`, as WOFF (tens of kB, not 16 MB)."""
    from fontTools import subset  # a matplotlib dependency; imported only when HTML is built
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.notdef_outline = True
    options.hinting = False
    buffer = io.BytesIO()
    # recalcBBoxes off: the font's own bounds serve; recomputing them for every kept glyph
    # took a quarter of the subsetting time and changes nothing a browser uses.
    with TTFont(str(cjk_font_path()), lazy=True, recalcBBoxes=False) as font:
        subsetter = subset.Subsetter(options)
        # set() first: the page is megabytes, its alphabet a few thousand characters.
        subsetter.populate(unicodes={ord(ch) for ch in set(text) if ch.isprintable()})
        subsetter.subset(font)
        font.save(buffer)
    return buffer.getvalue()
