"""The fixed list of column categories that site configs and standard profiles refer to."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """What a column (栏目) holds; the standard profiles judge staleness by these."""

    NEWS = "news"  # 工作动态 / 要闻
    NOTICE = "notice"  # 通知公告
    POLICY = "policy"  # 政策文件 / 法规
    DISCLOSURE = "disclosure"  # 信息公开目录
    BASIC_INFO = "basic_info"  # 机构 / 领导 / 职能
    PERSONNEL = "personnel"  # 人事
    PLANNING = "planning"  # 规划计划
    FINANCE = "finance"  # 财政 / 预决算
    STATISTICS = "statistics"  # 统计数据
    SERVICE = "service"  # 办事服务
    CONSULTATION = "consultation"  # 在线咨询 / 局长信箱
    INTERVIEW = "interview"  # 在线访谈
    SURVEY = "survey"  # 调查征集
    OTHER = "other"


CATEGORY_LABELS_ZH: dict[Category, str] = {
    Category.NEWS: "工作动态",
    Category.NOTICE: "通知公告",
    Category.POLICY: "政策文件",
    Category.DISCLOSURE: "信息公开",
    Category.BASIC_INFO: "基本信息",
    Category.PERSONNEL: "人事信息",
    Category.PLANNING: "规划计划",
    Category.FINANCE: "财政信息",
    Category.STATISTICS: "统计数据",
    Category.SERVICE: "办事服务",
    Category.CONSULTATION: "在线咨询",
    Category.INTERVIEW: "在线访谈",
    Category.SURVEY: "调查征集",
    Category.OTHER: "其他",
}

CATEGORY_NAMES: tuple[str, ...] = tuple(c.value for c in Category)


class UnitType(StrEnum):
    """The kind of unit that runs a site in the group."""

    PROVINCE = "province"  # the bureau's own portal
    DEPARTMENT = "department"  # 处室
    CITY = "city"  # 市局
    COUNTY = "county"  # 县局
    AFFILIATED = "affiliated"  # 直属单位


UNIT_TYPE_LABELS_ZH: dict[UnitType, str] = {
    UnitType.PROVINCE: "省局门户",
    UnitType.DEPARTMENT: "机关处室",
    UnitType.CITY: "市局",
    UnitType.COUNTY: "县局",
    UnitType.AFFILIATED: "直属单位",
}
