from django.contrib import admin

from core.admin import HistoryAdmin, VersionedAdmin

from .models import (
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
class PartnershipAdmin(HistoryAdmin):
    list_display = ["name", "afkorting", "vorm", "bbv_categorie"]
    search_fields = ["name", "afkorting"]
    list_filter = ["vorm", "bbv_categorie"]
    list_select_related = ["vorm", "bbv_categorie"]
    filter_horizontal = ["onderwerpen", "aard", "organisations"]
    inlines = [ParticipationInline]


class BoardSeatInline(admin.TabularInline):
    model = BoardSeat
    extra = 0


class ProcessEntryInline(admin.TabularInline):
    model = ProcessEntry
    extra = 0


@admin.register(Participation)
class ParticipationAdmin(HistoryAdmin):
    list_display = ["partnership", "municipality", "bestuurlijk_belang", "financieel_belang"]
    list_filter = ["municipality"]
    list_select_related = ["partnership", "municipality"]
    filter_horizontal = ["belang_waarom", "belang_wie"]
    inlines = [BoardSeatInline, ProcessEntryInline]


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
