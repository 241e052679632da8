from __future__ import annotations

from django.contrib import admin

from maillage.network.models import Structure


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "relay_status"]
    list_filter = ["kind", "relay_status"]
    search_fields = ["name", "siret", "commune__name"]
    raw_id_fields = ["commune"]
    readonly_fields = ["relay_status"]
