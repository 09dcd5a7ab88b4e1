"""The report pages, mounted through the admin site by ``admin_hits.report.urls``."""

from __future__ import annotations

from admin_hits.report.views.drilldown import ObjectExportView, ObjectReportView
from admin_hits.report.views.live import live_json
from admin_hits.report.views.report import ReportExportView, ReportView

__all__ = ["ObjectExportView", "ObjectReportView", "ReportExportView", "ReportView", "live_json"]
