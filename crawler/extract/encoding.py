"""Bytes to text for Chinese government pages: BOM, header, meta, detection, GBK as GB18030."""

from __future__ import annotations

import codecs
import re

# Charset declarations sit in the first few KB; looking further only costs time.
META_SCAN_BYTES = 4096
# Strict decoding of a whole multi-MB page is cheap, but cap what we check to bound time.
CHECK_BYTES = 2_000_000

HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
XML_ENCODING = re.compile(rb"<\?xml[^>]{0,100}encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Every GB-family label decodes as GB18030, its superset (browsers do the same for gb2312).
GB_ALIASES = frozenset(
    {
        "gbk",
        "gb2312",
        "gb_2312",
        "gb_2312-80",
        "gb18030",
        "x-gbk",
        "cp936",
        "ms936",
        "windows-936",
        "euc-cn",
        "csgb2312",
        "chinese",
        "iso-ir-58",
        "csiso58gb231280",
        "hz-gb-2312",
    }
)


def normalise_codec(label: str | None) -> str | None:
    """Python codec name for a charset label (GB family → gb18030), or None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in GB_ALIASES:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if not usable_codec(codec):
        return None  # `undefined`, `idna`, base64 …: a label no page can mean; detect instead
    if codec in ("gbk", "gb2312", "gb18030", "hz"):
        return "gb18030"
    # Pages labelled latin-1/ascii are in practice windows-1252 (the WHATWG rule).
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return codec


#: Python codecs that exist but never decode a web page (some raise on every byte).
UNUSABLE_CODECS = frozenset({"undefined", "idna", "punycode", "utf-7", "unicode-escape"})
ASCII_PROBE = b"<html><meta charset=x>"


def usable_codec(codec: str) -> bool:
    """True for a text codec that decodes plain ASCII markup as itself (as every web page
    charset does, UTF-16 aside, which only a BOM can announce)."""
    if codec.replace("_", "-") in UNUSABLE_CODECS or "escape" in codec:
        return False
    try:
        return ASCII_PROBE.decode(codec) == ASCII_PROBE.decode("ascii")
    except (UnicodeError, LookupError, TypeError):
        return False


def charset_from_header(content_type: str | None) -> str | None:
    """Codec named by an HTTP Content-Type header, if any."""
    if not content_type:
        return None
    match = HEADER_CHARSET.search(content_type)
    return normalise_codec(match.group(1)) if match else None


def charset_from_meta(body: bytes) -> str | None:
    """Codec named by <meta charset>, <meta http-equiv> or an XML declaration."""
    head = body[:META_SCAN_BYTES]
    match = META_CHARSET.search(head) or XML_ENCODING.search(head)
    if not match:
        return None
    return normalise_codec(match.group(1).decode("ascii", "ignore"))


def decodes_cleanly(body: bytes, codec: str) -> bool:
    """True when the (capped) bytes decode under codec without a single error."""
    sample = body[:CHECK_BYTES]
    try:
        sample.decode(codec)
    except UnicodeDecodeError as exc:
        # A cut at CHECK_BYTES may split the last character; that is not a wrong codec.
        return len(sample) == CHECK_BYTES and exc.start >= len(sample) - 4
    except LookupError:
        return False
    return True


def is_ascii(body: bytes) -> bool:
    """True when the bytes are pure 7-bit ASCII (any ASCII-compatible codec decodes them)."""
    return body[:CHECK_BYTES].isascii()


def detect_codec(body: bytes) -> str:
    """Guess the codec from the bytes: UTF-8 if it decodes strictly, else GB18030, else cp1252."""
    if decodes_cleanly(body, "utf-8"):
        return "utf-8"
    if decodes_cleanly(body, "gb18030"):
        return "gb18030"
    return "utf-8"


def choose_codec(body: bytes, candidates: list[str]) -> str:
    """First declared codec that decodes the bytes cleanly; otherwise detect from the bytes."""
    for codec in candidates:
        # A utf-8 page mislabelled gbk usually *does* decode as gb18030 (it accepts most byte
        # pairs), so a utf-8 strict success outranks a GB declaration.
        if codec == "gb18030" and not is_ascii(body) and decodes_cleanly(body, "utf-8"):
            return "utf-8"
        if decodes_cleanly(body, codec):
            return codec
    return detect_codec(body)


def decode_html(
    body: bytes, content_type: str | None = None, declared: str | None = None
) -> tuple[str, str]:
    """Decode page bytes to (text, codec used): BOM, header, meta, detection; no mojibake."""
    for bom, codec in BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace"), codec
    candidates = [
        c
        for c in (
            normalise_codec(declared),
            charset_from_header(content_type),
            charset_from_meta(body),
        )
        if c is not None
    ]
    codec = choose_codec(body, list(dict.fromkeys(candidates)))
    return body.decode(codec, errors="replace"), codec
