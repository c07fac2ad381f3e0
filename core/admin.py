"""Admin plumbing without a domain: every admin page keeps history (django-simple-history), and
records with a `version` are saved through the same optimistic lock as the clerks' forms, so an
edit in the admin neither overwrites a clerk's save nor is overwritten by a clerk's open form."""

from simple_history.admin import SimpleHistoryAdmin

from django import forms
from django.db import transaction

from .locking import lock_versioned, save_versioned

SEEN_VERSION = "seen_version"


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the admin page showed; a save on a replaced version is refused."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[SEEN_VERSION].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != cleaned.get(SEEN_VERSION):
                raise forms.ValidationError(
                    "Iemand anders heeft dit record opgeslagen nadat u het opende. Open het "
                    "opnieuw en breng uw wijziging dan aan.",
                    code="stale",
                )
        return cleaned


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin page with a "Geschiedenis" button: every change, who and when, and revert."""


class VersionedAdmin(HistoryAdmin):
    """For models with a `version`: the admin bumps it and refuses stale saves."""

    form = VersionedAdminForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        first_name, first = fieldsets[0]
        fields = [f for f in first["fields"] if f != SEEN_VERSION]
        return [(first_name, {**first, "fields": [*fields, SEEN_VERSION]}), *fieldsets[1:]]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        lock_versioned(
            type(obj).objects.filter(pk=obj.pk),
            expected_version=form.cleaned_data.get(SEEN_VERSION),
            what="dit record",
        )
        save_versioned(obj)
        return None
