from django.contrib import admin

from .models import (
    AllocationModel,
    AllocationVariant,
    FinanceAmount,
    FinanceLine,
    FinanceTableYear,
    Measure,
)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "municipality", "year", "period", "value", "bron", "peildatum"]
    list_filter = ["code", "year"]
    search_fields = ["municipality__name", "code"]
    list_select_related = ["municipality"]


class VariantInline(admin.StackedInline):
    model = AllocationVariant
    extra = 0


@admin.register(AllocationModel)
class AllocationModelAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "year"]
    list_select_related = ["partnership"]
    inlines = [VariantInline]


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
