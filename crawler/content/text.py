"""The text content checks read: a page's visible text, and the text of cheap attachments.

Attachments are read without running anything they contain: .docx/.xlsx are zip files of XML
whose text is taken with the tags stripped (each member capped, so a zip bomb stops early);
PDF text comes from poppler's `pdftotext` when it is installed, with a time limit.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.textmap import build_text_map

ATTACHMENT_TYPES = (".docx", ".xlsx", ".pdf")
MAX_MEMBER_BYTES = 8 * 1024 * 1024  # uncompressed XML read per zip member
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024  # attachments larger than this are not read
PDFTOTEXT_TIMEOUT_S = 10
PDF_STREAM = b"stream"  # every page's text sits in a content stream
TAG = re.compile(r"<[^>]+>")
# Paragraph, row and cell ends become breaks so words of two cells never run together.
BREAK_TAGS = re.compile(r"</w:p>|</row>|</c>|</si>|<w:tab/>|<w:br/>")
DOCX_MEMBERS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
XLSX_MEMBERS = re.compile(r"xl/(sharedStrings|worksheets/sheet\d+)\.xml$")


def page_text(tree: HtmlElement, title: str | None = None, body_text: str | None = None) -> str:
    """The listed title and the page body's visible text (scripts and styles left out,
    whitespace runs as one space): `body_text` when the crawl already took it (a detail page's
    text map, crawler/extract/detail.py), else taken here the same way."""
    if body_text is None:
        body_text = build_text_map(next(tree.iter("body"), tree)).text
    return f"{title}\n{body_text}" if title else body_text


# A link whose href does not even mention a file type is not resolved (most links do not).
ATTACHMENT_HINT = re.compile(r"\.(?:docx|xlsx|pdf)", re.IGNORECASE)
_HREFS = etree.XPath("//a/@href", smart_strings=False)


def attachment_hrefs(tree: HtmlElement, every: bool = False) -> list[str]:
    """The page's link targets that mention .docx/.xlsx/.pdf, as written (or all of them:
    `every`, when a page's own path names such a file and its links may be relative ones)."""
    hrefs: list[str] = _HREFS(tree)  # type: ignore[assignment]
    if every:
        return hrefs
    # One search over all hrefs first: most pages link no attachment at all. (An XPath filter
    # with translate() was 6x slower than this.)
    if not ATTACHMENT_HINT.search("\n".join(hrefs)):
        return []
    return [href for href in hrefs if ATTACHMENT_HINT.search(href)]


def attachment_kind(url: str) -> str | None:
    """'.docx', '.xlsx' or '.pdf' when the URL's path names such a file, else None."""
    path = urlsplit(url).path.lower()
    return next((ext for ext in ATTACHMENT_TYPES if path.endswith(ext)), None)


def _zip_text(body: bytes, members: re.Pattern[str]) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for info in archive.infolist():
            if not members.search(info.filename):
                continue
            with archive.open(info) as member:
                xml = member.read(MAX_MEMBER_BYTES).decode("utf-8", errors="replace")
            parts.append(html.unescape(TAG.sub("", BREAK_TAGS.sub("\n", xml))))
    return "\n".join(parts)


def pdf_text(body: bytes) -> str:
    """Text of a PDF via pdftotext (empty when poppler is not installed or the file is bad)."""
    tool = shutil.which("pdftotext")
    if tool is None or PDF_STREAM not in body:
        return ""  # no content stream, no text: not worth a process
    try:
        # A fixed tool with the file on stdin, no shell.
        done = subprocess.run(
            [tool, "-q", "-enc", "UTF-8", "-", "-"],
            input=body,
            capture_output=True,
            timeout=PDFTOTEXT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.decode("utf-8", errors="replace")


def attachment_text(body: bytes, kind: str) -> str:
    """The text of a .docx/.xlsx/.pdf attachment; empty when it cannot be read."""
    if len(body) > MAX_ATTACHMENT_BYTES:
        return ""
    try:
        if kind == ".docx":
            return _zip_text(body, DOCX_MEMBERS)
        if kind == ".xlsx":
            return _zip_text(body, XLSX_MEMBERS)
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    return pdf_text(body) if kind == ".pdf" else ""
