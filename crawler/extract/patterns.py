"""The one bank of patterns the extractors share: page zones by class, labels, headings.

Zones are read from an element's lower-cased class and id (`tree.class_id`); labels from the
visible text right before a value. Keyed to the kinds of pages Chinese government CMSs serve,
never to one site's markup.
"""

from __future__ import annotations

import re

# --- zones by class/id -------------------------------------------------------------------

# Containers whose class/id says navigation, header, footer or link farm (list candidates
# inside them are weakened).
NAV_HINT = re.compile(
    r"nav|menu|foot|header|crumb|friend|yqlj|links?\b|lanmu|daohang|position|location|banner"
    r"|breadcrumb|share|copyright|tab_?title|bottom|side",
    re.IGNORECASE,
)
# Footer and friend-link blocks (their links are not columns).
FOOTER_HINT = re.compile(r"foot|copyright|bottom|yqlj|friend|links\b|banquan", re.IGNORECASE)
# Containers whose dates belong to something else than the article.
OTHER_ZONE = re.compile(
    r"nav|menu|foot|copyright|friend|yqlj|banner|crumb|relat|xgwz|xgxx|xglj|xgxw|recommend|"
    r"tuijian|paihang|sidebar|pager|comment|"
    r"(?:^|[\s_-])(?:hot|rank|prev|next|sxp|sxy)(?:$|[\s_\d-])"
)
# Where a headline never is: navigation, footer, banner, and the page header (a class token
# that is or starts with header/head/top; "article-header" holds headlines and is not one).
OUTSIDE_ARTICLE = re.compile(
    r"nav|menu|foot|copyright|crumb|position|location|logo|banner"
    r"|(?:^|\s)(?:header|head|top|site-?head|page-?head)[\w-]*"
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
TITLE_CLASS = re.compile(r"title|biaoti|bt\b|headline|tit\b|theme")
DATE_CLASS = re.compile(r"pub_?time|pub_?date|publish|release|fbsj|fbrq|date|time|riqi|shijian")

# --- headings ------------------------------------------------------------------------------

# Headings that announce a secondary list next to the main one.
SECONDARY_HEADING = re.compile(
    r"友情链接|相关链接|相关文章|相关新闻|相关阅读|热点|推荐|排行|热门|猜你喜欢|专题"
)
# Box headings above other articles' dates (matched at the start of a short heading).
OTHER_HEADING = re.compile(
    r"(?:相关|推荐|热点|热门|排行|上一篇|下一篇|上一条|下一条|最新|阅读更多|延伸阅读|猜你喜欢)"
)
# How site names end: 某市人民政府门户网站, 中国政府网, 某省教育厅官网.
SITE_NAME = re.compile(r"(?:网|网站|门户|官网|官方网站|人民政府|政府|portal)$", re.IGNORECASE)

# --- labels ----------------------------------------------------------------------------------

# "发布日期：2012-05-15" anywhere in a page (page-type evidence).
PUBLISH_LABEL = re.compile(r"(?:发布|发稿|公开|发表|上传)(?:日期|时间)\s*[:：]?\s*")
# The same kind of label right before a date (the text ends with it).
PUBLISH_LABEL_BEFORE = re.compile(
    r"(发布|发稿|发表|公开|上传|刊发|发布于|发表于)\s*(?:日期|时间)?\s*[:：]?\s*$"
)
DOCUMENT_LABEL_BEFORE = re.compile(r"(发文|成文)\s*(?:日期|时间)\s*[:：]?\s*$")
GENERIC_LABEL_BEFORE = re.compile(r"(?:日期|时间)\s*[:：]\s*$")
# Labels naming other dates: events, deadlines, letters, signatures, print/generation times.
OTHER_WORDS = (
    r"(报名|培训|开始|结束|截止|印发|留言|来信|回复|答复|提问|受理|办理|履约|成交|开标|会议|评审|"
    r"签订|签发|打印|生成|修改|有效|实施|施行|生效|废止|采购|浏览|访问|提交|咨询|当前|举办|活动|"
    r"考试|面试|期限|缴费|申报|登记|出生|入职)"
)
# A word only labels a date with a colon or a 日期/时间 suffix ("报名时间", "截止日期：").
OTHER_LABEL_BEFORE = re.compile(
    OTHER_WORDS
    + r"\s*(?:(?:日期|时间|期|日)\s*[:：]?|[:：])\s*$|(上一篇|下一篇|至|到|~|～|—|－)\s*[:：]?\s*$"
)
# "上一篇：<title> 2022-11-11": the date of the article before or after this one.
NEIGHBOUR_LINK_BEFORE = re.compile(
    r"(?:上一篇|下一篇|上一条|下一条|上篇|下篇)\s*[:：]?[^。；;\n]*$"
)
SOURCE_LABEL = re.compile(r"(?:信息来源|文章来源|稿件来源|内容来源|来源)\s*[:：]\s*")
# Words of an article's meta line (the block that also holds the date).
META_WORDS = re.compile(r"来源|作者|浏览|阅读|点击|编辑|字号|发布者|供稿|访问|分享|打印|责任")
