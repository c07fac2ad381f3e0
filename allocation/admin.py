from django.contrib import admin

from core.admin import HistoryAdmin

from .models import AllocationModel, AllocationVariant, Measure


@admin.register(Measure)
class MeasureAdmin(HistoryAdmin):
    list_display = ["code", "municipality", "year", "period", "value", "bron", "peildatum"]
    list_filter = ["code", "year"]
    search_fields = ["municipality__name", "code"]
    list_select_related = ["municipality"]


class VariantInline(admin.StackedInline):
    model = AllocationVariant
    extra = 0


@admin.register(AllocationModel)
class AllocationModelAdmin(HistoryAdmin):
    list_display = ["name", "partnership", "year"]
    list_select_related = ["partnership"]
    inlines = [VariantInline]
