from django.contrib import admin

from .models import FinanceAmount, FinanceLine, FinanceTableYear


@admin.register(FinanceLine)
class FinanceLineAdmin(admin.ModelAdmin):
    list_display = ["label", "table", "participation", "partnership"]
    list_filter = ["table"]
    search_fields = ["label"]
    list_select_related = [
        "participation__municipality",
        "participation__partnership",
        "partnership",
    ]


@admin.register(FinanceTableYear)
class FinanceTableYearAdmin(admin.ModelAdmin):
    list_display = ["table", "year", "participation", "partnership", "not_applicable"]
    list_filter = ["table", "year"]
    list_select_related = [
        "participation__municipality",
        "participation__partnership",
        "partnership",
    ]


@admin.register(FinanceAmount)
class FinanceAmountAdmin(admin.ModelAdmin):
    list_display = ["line", "year", "kind", "amount", "not_applicable"]
    list_filter = ["kind", "year"]
    list_select_related = ["line"]
