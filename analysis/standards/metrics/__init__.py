"""The metrics a standard profile rule may test, one class each (see registry.py).

Every module of this package is imported here, so defining a `Metric` subclass in any of them
(or in a new module) is all it takes to add a metric.
"""

from __future__ import annotations

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
