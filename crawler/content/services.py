"""办事指南 (service guides): which of the required elements a guide page shows.

The 2019 checklist's "服务不实用" judges a guide by its elements; a page is judged by the labels
it shows, each element known by the names CMSs give it (申请材料 for 办理材料 …).
"""

from __future__ import annotations

import re

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
