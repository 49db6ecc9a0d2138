"""Unit tests for crawler.extract.encoding.decode_html."""

from __future__ import annotations

import codecs

from crawler.extract.encoding import decode_html

TEXT = "陕西省质量技术监督局关于开展计量器具专项检查的通知"


def page(meta: str = "") -> str:
    """A small Chinese page with an optional <meta> charset declaration."""
    return f"<html><head>{meta}<title>{TEXT}</title></head><body><p>{TEXT}</p></body></html>"


def test_gbk_with_header() -> None:
    """GBK bytes with a charset=gbk header decode as GB18030."""
    text, codec = decode_html(page().encode("gbk"), "text/html; charset=GBK")
    assert codec == "gb18030"
    assert TEXT in text


def test_gb2312_meta_only() -> None:
    """With no header, the <meta http-equiv> charset is honoured (GB2312 → GB18030)."""
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    text, codec = decode_html(page(meta).encode("gbk"))
    assert codec == "gb18030"
    assert TEXT in text


def test_header_says_utf8_but_bytes_are_gbk() -> None:
    """A wrong utf-8 declaration on GBK bytes is detected."""
    text, codec = decode_html(
        page('<meta charset="utf-8">').encode("gbk"), "text/html; charset=utf-8"
    )
    assert codec == "gb18030"
    assert TEXT in text and "\ufffd" not in text


def test_header_says_gbk_but_bytes_are_utf8() -> None:
    """A wrong GBK declaration on UTF-8 bytes is detected (no mojibake)."""
    text, codec = decode_html(page().encode("utf-8"), "text/html; charset=gbk")
    assert codec == "utf-8"
    assert TEXT in text


def test_bom_wins_over_declarations() -> None:
    """A UTF-8 BOM beats a contrary header; the BOM is not part of the text."""
    text, codec = decode_html(codecs.BOM_UTF8 + page().encode("utf-8"), "text/html; charset=gbk")
    assert codec == "utf-8"
    assert text.startswith("<html>")


def test_utf16_bom() -> None:
    """UTF-16 pages are recognised by their BOM."""
    text, _codec = decode_html(codecs.BOM_UTF16_LE + page().encode("utf-16-le"))
    assert TEXT in text


def test_detects_without_any_declaration() -> None:
    """Undeclared GBK and UTF-8 bytes are both detected."""
    assert decode_html(page().encode("gb18030"))[1] == "gb18030"
    assert decode_html(page().encode("utf-8"))[1] == "utf-8"


def test_explicit_declared_parameter() -> None:
    """The caller's declared codec (e.g. a site config) is used when it fits the bytes."""
    text, codec = decode_html(page().encode("gbk"), declared="GBK")
    assert codec == "gb18030" and TEXT in text


def test_binary_junk_does_not_crash() -> None:
    """Random bytes still give a str."""
    text, _codec = decode_html(bytes(range(256)) * 4, "text/html; charset=nonsense")
    assert isinstance(text, str)


def test_real_gbk_fixture() -> None:
    """The real GBK page 013 decodes with its Chinese intact."""
    from pathlib import Path

    body = (Path(__file__).resolve().parents[2] / "fixtures/real_pages/013.html").read_bytes()
    text, codec = decode_html(body)
    assert codec == "gb18030"
    assert "新乡市人民政府" in text
