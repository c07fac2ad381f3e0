"""The views of the reports app, by topic; `reports.urls` names them from here."""

from .calendar import MeetingsEditView, municipality_feed
from .documents import bundle_form, bundle_pdf, bundle_status, comparison_pdf, year_pdf
from .history import PartnershipHistoryView, YearHistoryView
from .home import home, my_municipality
from .overview import compare_municipalities, compare_partnerships, overview
from .pages import (
    SharedYearPublishView,
    YearStatusView,
    partnership_detail,
    year_detail,
    year_version,
    year_versions,
)
from .paragraph import PolicyEditView, paragraph_latest, paragraph_page, paragraph_pdf

__all__ = [
    "MeetingsEditView",
    "PartnershipHistoryView",
    "PolicyEditView",
    "SharedYearPublishView",
    "YearHistoryView",
    "YearStatusView",
    "bundle_form",
    "bundle_pdf",
    "bundle_status",
    "compare_municipalities",
    "compare_partnerships",
    "comparison_pdf",
    "home",
    "municipality_feed",
    "my_municipality",
    "overview",
    "paragraph_latest",
    "paragraph_page",
    "paragraph_pdf",
    "partnership_detail",
    "year_detail",
    "year_pdf",
    "year_version",
    "year_versions",
]
