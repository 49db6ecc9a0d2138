"""One reading of a per-site selector: `validate` accepts exactly what extraction can use."""

from __future__ import annotations

import pytest

from crawler.config import ConfigError, parse_config
from crawler.extract.lists import ListOverrides, extract_list

PAGE = """<html><body><ul>
<li><a href="/a/1.html">质量工作通知第一号</a><span>2012-12-05</span></li>
<li><a href="/a/2.html">质量工作通知第二号</a><span>2012-12-04</span></li>
<li><a href="/a/3.html">质量工作通知第三号</a><span>2012-12-03</span></li>
</ul></body></html>"""


def config_with(selector: str) -> str:
    """A one-site config whose list items are picked by `selector`."""
    return (
        "group: {name: 测试}\nsites:\n  - id: s\n    name: 站\n    unit_type: city\n"
        f"    home_url: 'http://s.gov.cn/'\n    extract: {{list_item: {selector!r}}}\n"
    )


def extracted(selector: str) -> list[str]:
    """The URLs extraction picks with the selector."""
    items = extract_list(PAGE, "http://s.gov.cn/a/", overrides=ListOverrides(list_item=selector))
    return [item.url for item in items]


@pytest.mark.parametrize("selector", [" //ul/li", "//ul/li", " ul > li", "(//li)", "li "])
def test_what_validate_accepts_extraction_uses(selector: str) -> None:
    parse_config(config_with(selector), "x.yaml")  # accepted
    assert len(extracted(selector)) == 3


@pytest.mark.parametrize(
    ("selector", "why"),
    [("ul > > li", "invalid CSS selector"), ("//ul[", "invalid XPath"), ("  ", "must not be")],
)
def test_what_validate_refuses_extraction_refuses_the_same_way(selector: str, why: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_config(config_with(selector), "x.yaml")
    assert why in str(refused.value)
    with pytest.raises(ValueError, match=why):
        extracted(selector)


@pytest.mark.parametrize("selector", [" //div[@class='pager']/a/@href", "div.pager a::attr(href)"])
def test_the_spider_s_next_page_override_reads_selectors_the_same_way(selector: str) -> None:
    from crawler.spiders.columns import override_next

    parse_config(config_with(selector), "x.yaml")  # accepted by validate
    html = "<div class='pager'><a href='/a/p2.html'>下一页</a></div>"
    assert override_next(html, "http://s.gov.cn/a/", selector) == ["http://s.gov.cn/a/p2.html"]
