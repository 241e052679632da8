from __future__ import annotations

from django.contrib import admin

from maillage.network.models import Application, Call, CoachingPlan, Structure, Training


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "relay_status"]
    list_filter = ["kind", "relay_status"]
    search_fields = ["name", "siret", "commune__name"]
    raw_id_fields = ["commune"]
    readonly_fields = ["relay_status"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on", "places", "is_published"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["departments"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Statuses change through the screens (the workflow records who and when): read only."""

    list_display = ["reference", "structure_name", "call", "status", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["reference", "structure_name"]
    readonly_fields = ["status", "structure", "committee", "submitted_at", "decided_at"]
    raw_id_fields = ["commune"]


@admin.register(CoachingPlan)
class CoachingPlanAdmin(admin.ModelAdmin):
    list_display = ["structure", "coach", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    search_fields = ["structure__name"]
    raw_id_fields = ["structure", "coach", "application", "closing"]
    readonly_fields = ["status", "closed_on"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "days", "is_active"]
