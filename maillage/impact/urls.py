from __future__ import annotations

from django.urls import path

from maillage.impact import views

app_name = "impact"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/<slug:code>/", views.indicator_records, name="indicator_records"),
    path("programmes/<slug:slug>/objectifs/", views.target_add, name="target_add"),
    path(
        "programmes/<slug:slug>/objectifs/<int:pk>/supprimer/",
        views.target_delete,
        name="target_delete",
    ),
    path("programmes/<slug:slug>/rapport.<str:fmt>", views.report_download, name="report_download"),
]
