from __future__ import annotations

from django.contrib import admin

from maillage.territories.models import Commune, Department, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "population"]
    search_fields = ["name", "code", "postal_codes__code"]
    list_select_related = ["department"]
    raw_id_fields = ["department"]
