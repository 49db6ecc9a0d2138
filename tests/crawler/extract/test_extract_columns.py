"""Unit tests for crawler.extract.columns."""

from __future__ import annotations

import pytest

from crawler.categories import Category
from crawler.extract.columns import category_for, category_from_meta, discover_columns

HOME = "http://www.example.gov.cn/"
PAGE = """<html><head><base href="."></head><body>
<div class="nav">
  <a href="/">网站首页</a>
  <a href="/gzdt/">工作动态</a>
  <a href="/tzgg/index.html">通知公告</a>
  <div onclick="window.open('zcfg/','_blank')">政策法规</div>
  <span onclick="location.href='/hdjl/jzxx/'">局长信箱</span>
  <a href="javascript:void(0)">无效链接</a>
  <a href="mailto:office@example.gov.cn">联系邮箱</a>
  <a href="http://www.gov.cn/">中国政府网</a>
</div>
<ul class="news">
  <li><a href="/gzdt/202405/t20240520_1.html">省局召开全省计量工作会议</a></li>
</ul>
<div class="footer"><a href="/gywm/">关于我们</a></div>
</body></html>"""


def test_discover_columns_from_nav_and_onclick() -> None:
    """Anchors and onclick targets, on-site, without home/js/mailto/post/footer links."""
    columns = discover_columns(PAGE, HOME)
    assert [(c.name, c.url, c.category) for c in columns] == [
        ("工作动态", "http://www.example.gov.cn/gzdt/", Category.NEWS),
        ("通知公告", "http://www.example.gov.cn/tzgg/index.html", Category.NOTICE),
        ("政策法规", "http://www.example.gov.cn/zcfg/", Category.POLICY),
        ("局长信箱", "http://www.example.gov.cn/hdjl/jzxx/", Category.CONSULTATION),
    ]


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("工作动态", Category.NEWS), ("质监要闻", Category.NEWS), ("通知公告", Category.NOTICE),
        ("政策文件", Category.POLICY), ("法规规章", Category.POLICY),
        ("政府信息公开", Category.DISCLOSURE), ("机构设置", Category.BASIC_INFO),
        ("领导之窗", Category.BASIC_INFO), ("人事信息", Category.PERSONNEL),
        ("规划计划", Category.PLANNING), ("财政预决算", Category.FINANCE),
        ("统计数据", Category.STATISTICS), ("办事指南", Category.SERVICE),
        ("表格下载", Category.SERVICE), ("局长信箱", Category.CONSULTATION),
        ("在线咨询", Category.CONSULTATION), ("在线访谈", Category.INTERVIEW),
        ("网上调查", Category.SURVEY), ("意见征集", Category.SURVEY), ("联系我们", Category.OTHER),
    ],
)  # fmt: skip
def test_category_keywords(name: str, category: Category) -> None:
    """Column names map to the fixed category list."""
    assert category_for(name) is category


def test_category_from_meta() -> None:
    """The ColumnType meta, when present, names the category; absent gives None."""
    assert category_from_meta('<meta name="ColumnType" content="通知公告">') is Category.NOTICE
    assert category_from_meta("<html><head></head></html>") is None


def test_junk_does_not_crash() -> None:
    """Arbitrary input gives an empty list."""
    assert discover_columns("", HOME) == []
    assert discover_columns('<div onclick="window.open(\'">x</div>', HOME) == []
