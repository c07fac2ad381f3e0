from django.contrib import admin
from django.db import transaction

from core.admin import HistoryAdmin, VersionedAdmin
from core.locking import save_versioned

from .models import (
    BoardMeeting,
    BoardSeat,
    Municipality,
    Organisation,
    Participation,
    Partnership,
    ProcessEntry,
    Role,
    Term,
    YearRecord,
)
from .models.meetings import MeetingSchedule


@admin.register(Term)
class TermAdmin(HistoryAdmin):
    list_display = ["label", "vocabulary", "code", "parent", "order", "active"]
    list_filter = ["vocabulary", "active"]
    search_fields = ["label", "code"]
    list_editable = ["order", "active"]
    list_select_related = ["parent"]


@admin.register(Municipality)
class MunicipalityAdmin(HistoryAdmin):
    list_display = ["name", "cbs_code", "slug"]
    search_fields = ["name", "cbs_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["municipality"]
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(VersionedAdmin):
    """The shared record, versioned like the coördinator's form: a stale admin form is refused
    and a save bumps the version (so the site's open form is refused in turn)."""

    list_display = ["name", "afkorting", "vorm", "bbv_categorie"]
    search_fields = ["name", "afkorting"]
    list_filter = ["vorm", "bbv_categorie"]
    list_select_related = ["vorm", "bbv_categorie"]
    filter_horizontal = ["onderwerpen", "aard", "organisations"]
    readonly_fields = ["version"]
    inlines = [ParticipationInline]

    def save_formset(self, request, form, formset, change):
        """A participation changed in the inline is a versioned save of its own."""
        if formset.model is not Participation:
            return super().save_formset(request, form, formset, change)
        for participation in formset.save(commit=False):
            save_versioned(participation)
        for participation in formset.deleted_objects:
            participation.delete()
        formset.save_m2m()
        return None


class BoardSeatInline(admin.TabularInline):
    model = BoardSeat
    extra = 0


class ProcessEntryInline(admin.TabularInline):
    model = ProcessEntry
    extra = 0


@admin.register(Participation)
class ParticipationAdmin(VersionedAdmin):
    """A municipality's perspective, versioned like the clerk's forms (belang, bestuur, proces):
    an edit of its board seats or process in the inlines bumps the version too."""

    list_display = ["partnership", "municipality", "bestuurlijk_belang", "financieel_belang"]
    list_filter = ["municipality"]
    list_select_related = ["partnership", "municipality"]
    filter_horizontal = ["belang_waarom", "belang_wie"]
    readonly_fields = ["version"]
    inlines = [BoardSeatInline, ProcessEntryInline]


@admin.register(BoardMeeting)
class BoardMeetingAdmin(HistoryAdmin):
    """The partnership's board meetings. A change here replaces the version of the partnership's
    meeting sheet, so the coördinator's open form (`…/vergaderingen/`) is refused, not merged."""

    list_display = ["partnership", "date", "kind", "note"]
    list_filter = ["kind", "partnership"]
    list_select_related = ["partnership"]
    date_hierarchy = "date"
    search_fields = ["partnership__name", "partnership__afkorting", "note"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _replace_schedule(obj.partnership_id)

    @transaction.atomic
    def delete_model(self, request, obj):
        partnership_id = obj.partnership_id
        super().delete_model(request, obj)
        _replace_schedule(partnership_id)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        partnership_ids = set(queryset.values_list("partnership_id", flat=True))
        super().delete_queryset(request, queryset)
        for partnership_id in partnership_ids:
            _replace_schedule(partnership_id)


def _replace_schedule(partnership_id: int) -> None:
    """Bump the version of the partnership's meeting sheet (if it has one yet)."""
    schedule = (
        MeetingSchedule.objects.select_for_update().filter(partnership_id=partnership_id).first()
    )
    if schedule is not None:
        save_versioned(schedule)


@admin.register(YearRecord)
class YearRecordAdmin(VersionedAdmin):
    list_display = ["participation", "year", "status", "nagekeken", "updated_at"]
    list_filter = ["status", "nagekeken", "year"]
    list_select_related = ["participation__partnership", "participation__municipality"]
    readonly_fields = ["version", "updated_at", "updated_by", "copied_from"]


@admin.register(Role)
class RoleAdmin(HistoryAdmin):
    """The same grants as the site's page Rollen (/rollen/), for the beheerder who is here."""

    list_display = ["user", "kind", "municipality", "partnership", "granted_at", "granted_by"]
    list_filter = ["kind", "municipality", "partnership"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "municipality", "partnership", "granted_by"]
    raw_id_fields = ["user"]
    readonly_fields = ["granted_at", "granted_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
