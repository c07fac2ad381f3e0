from django import forms
from django.contrib import admin

from core.admin import HistoryAdmin

from . import engine, selectors
from .models import AllocationModel, AllocationVariant, Measure


@admin.register(Measure)
class MeasureAdmin(HistoryAdmin):
    list_display = ["code", "municipality", "year", "period", "value", "bron", "peildatum"]
    list_filter = ["code", "year"]
    search_fields = ["municipality__name", "code"]
    list_select_related = ["municipality"]


class VariantAdminForm(forms.ModelForm):
    """A variant saved in the admin is checked by the engine against its model's inputs, so an
    invalid definition never reaches the participants' pages."""

    class Meta:
        model = AllocationVariant
        fields = ["model", "code", "name", "omschrijving", "definition", "order", "adopted"]

    def clean(self):
        cleaned = super().clean()
        definition = cleaned.get("definition")
        model = getattr(self.instance, "model", None) if self.instance.model_id else None
        if isinstance(definition, dict) and model is not None and model.pk:
            steps = {k: v for k, v in definition.items() if k != "invoer"}
            try:
                engine.build_definition(steps, selectors.model_inputs(model))
            except engine.DefinitionError as exc:
                self.add_error("definition", f"Ongeldig verdeelmodel: {exc}")
        elif definition is not None and not isinstance(definition, dict):
            self.add_error("definition", "Een definitie is een JSON-object met stappen.")
        return cleaned


class VariantInline(admin.StackedInline):
    model = AllocationVariant
    form = VariantAdminForm
    extra = 0


@admin.register(AllocationModel)
class AllocationModelAdmin(HistoryAdmin):
    list_display = ["name", "partnership", "year"]
    list_select_related = ["partnership"]
    inlines = [VariantInline]
