"""CMS adapters: the list data big CMS families serve without a browser.

Each adapter is one small class that registers itself by subclassing `CmsAdapter`; the
spider asks `adapter_for(tree, url)` on a column's first page and, when a family is
detected, walks the family's data pages (XML, JSON) instead of the HTML pager.
"""

from crawler.adapters import gkmlpt, jpage  # noqa: F401  (registers the adapters)
from crawler.adapters.base import ADAPTERS, AdapterPage, CmsAdapter, adapter_for

__all__ = ["ADAPTERS", "AdapterPage", "CmsAdapter", "adapter_for"]
