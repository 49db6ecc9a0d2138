"""The monthly report: context model, charts and one renderer per format (HTML, Word, Excel)."""

from analysis.report.context import EmptyReportError, ReportContext
from analysis.report.render import FORMATS, render_report

__all__ = ["FORMATS", "EmptyReportError", "ReportContext", "render_report"]
