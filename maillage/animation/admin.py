from __future__ import annotations

from django.contrib import admin

from maillage.animation.models import Application, Call, CoachingPlan, Training


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on", "places", "is_published"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["departments", "programmes"]


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
