from django.contrib import admin

from core.admin import HistoryAdmin, VersionedAdmin

from .models import FinanceAmount, FinanceLine, FinanceTableYear


@admin.register(FinanceLine)
class FinanceLineAdmin(HistoryAdmin):
    list_display = ["label", "table", "participation", "partnership"]
    list_filter = ["table"]
    search_fields = ["label"]
    list_select_related = [
        "participation__municipality",
        "participation__partnership",
        "partnership",
    ]


@admin.register(FinanceTableYear)
class FinanceTableYearAdmin(VersionedAdmin):
    list_display = ["table", "year", "participation", "partnership", "not_applicable"]
    list_filter = ["table", "year"]
    list_select_related = [
        "participation__municipality",
        "participation__partnership",
        "partnership",
    ]


@admin.register(FinanceAmount)
class FinanceAmountAdmin(HistoryAdmin):
    list_display = ["line", "year", "kind", "amount", "not_applicable"]
    list_filter = ["kind", "year"]
    list_select_related = ["line"]
