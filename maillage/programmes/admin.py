from __future__ import annotations

from django.contrib import admin

from maillage.programmes.models import Funder, Programme


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["funders", "departments"]
    raw_id_fields = ["partner_structures"]
