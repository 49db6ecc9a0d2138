"""办事指南 (service guides): which of the required elements a guide page shows.

The 2019 checklist's "服务不实用" judges a guide by its elements; a page is judged by the labels
it shows, each element known by the names CMSs give it (申请材料 for 办理材料 …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

# element -> the labels that show it (the first is the element's own name)
ELEMENTS: dict[str, tuple[str, ...]] = {
    "事项名称": ("事项名称", "项目名称", "服务事项", "审批事项"),
    "设定依据": ("设定依据", "办理依据", "法律依据", "实施依据", "法定依据"),
    "申请条件": ("申请条件", "受理条件", "办理条件", "申办条件", "准予条件"),
    "办理材料": ("办理材料", "申请材料", "申报材料", "所需材料", "提交材料", "材料目录"),
    "办理地点": ("办理地点", "受理地点", "办公地点", "办理地址", "受理地址", "办理窗口"),
    "办理时间": ("办理时间", "受理时间", "办公时间", "工作时间"),
    "联系电话": ("联系电话", "咨询电话", "咨询方式", "联系方式", "监督电话"),
    "办理流程": ("办理流程", "办事流程", "办理程序", "受理流程", "审批流程", "办理步骤"),
}
GUIDE_TITLE = re.compile(r"办事指南|服务指南|办理指南")


def is_service_guide(title: str | None, category: str | None) -> bool:
    """A post of a 办事服务 column, or one titled as a guide."""
    return category == "service" or bool(title and GUIDE_TITLE.search(title))


def missing_elements(text: str) -> list[str]:
    """The required elements none of whose labels appears in the page text."""
    compact = re.sub(r"\s+", "", text)
    return [name for name, labels in ELEMENTS.items() if not any(x in compact for x in labels)]


# --- the guide's downloads and online-application links ----------------------------------------

# Link texts that offer the online application (在线办理 / 网上申请 / 在线申报 …).
APPLY_TEXT = re.compile(
    r"(在线|网上)(办理|申请|申报|填报|预约|受理|办事)|我要(办理|申请|申报)|立即(办理|申请|申报)"
)
# An entry is a button or a short link ("在线办理", "网上申请入口"); a longer text is a title
# that happens to hold the words ("关于网上申报系统升级的通知").
APPLY_TEXT_CHARS = 12
FILE_TYPES = (".doc", ".docx", ".xls", ".xlsx", ".pdf", ".zip")
LINKS_PER_GUIDE = 10  # a guide offers a few forms and one or two application links
SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls (Compound File Binary)
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# What the body must start with (a .doc saved as .docx or RTF opens in Word all the same).
MAGIC: dict[str, tuple[bytes, ...]] = {
    ".doc": (OLE2, b"{\\rtf", *ZIP),
    ".docx": ZIP,
    ".xls": (OLE2, *ZIP),
    ".xlsx": ZIP,
    ".zip": ZIP,
    ".pdf": (b"%PDF",),
}
# Content types that contradict any of these files: the server sent a page, not the file.
PAGE_TYPES = ("text/html", "application/xhtml", "text/plain")
APPLY, ATTACHMENT = "apply", "attachment"


@dataclass(frozen=True)
class ServiceLink:
    """A guide's link to a form or file (attachment) or to its online application (apply)."""

    url: str
    text: str
    role: str

    @property
    def ext(self) -> str:
        """The file extension the URL's path names ('' for none of FILE_TYPES)."""
        return file_ext(self.url)


def file_ext(url: str) -> str:
    path = urlsplit(url).path.lower()
    return next((ext for ext in FILE_TYPES if path.endswith(ext)), "")


def link_text(anchor: HtmlElement) -> str:
    """What the reader sees of a link: its text, else its title."""
    text = re.sub(r"\s+", "", anchor.text_content() or "")
    return text or re.sub(r"\s+", "", anchor.get("title") or "")


def service_links(tree: HtmlElement, base_url: str) -> list[ServiceLink]:
    """The guide's downloads (by the file type its URL names) and online-application links (by
    their text), absolute and without fragment as the link check records them."""
    found: dict[str, ServiceLink] = {}
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.lower().startswith(SKIPPED_SCHEMES):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if urlsplit(url).scheme not in ("http", "https") or url in found:
            continue
        text = link_text(anchor)
        if len(text) <= APPLY_TEXT_CHARS and APPLY_TEXT.search(text):
            found[url] = ServiceLink(url, text, APPLY)
        elif file_ext(url):
            found[url] = ServiceLink(url, text or url.rsplit("/", 1)[-1], ATTACHMENT)
        if len(found) >= LINKS_PER_GUIDE:
            break
    return list(found.values())


def file_problem(ext: str, content_type: str | None, body: bytes) -> str | None:
    """Why a downloaded guide file is unusable (in the reader's words), or None when it is fine.

    Empty, or not the file its extension promises: the server answered with a page (an error or
    login page sent with 200), or the first bytes are not the format's signature.
    """
    if not body.strip():
        return "文件为空（0 字节）" if not body else "文件为空（只有空白）"
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind.startswith(PAGE_TYPES):
        return f"文件类型不符：扩展名为 {ext}，服务器返回的是网页（{kind}）"
    head = body[:1024].lstrip(b"\xef\xbb\xbf\r\n\t ")
    signatures = MAGIC.get(ext, ())
    if signatures and not head.startswith(signatures):
        if ext == ".pdf" and b"%PDF" in body[:1024]:
            return None  # PDF readers accept the header anywhere in the first kilobyte
        shown = "网页" if head[:1] == b"<" else "其他格式"
        return f"文件类型不符：扩展名为 {ext}，内容是{shown}"
    return None
