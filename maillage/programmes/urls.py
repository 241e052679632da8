from __future__ import annotations

from django.urls import path

from maillage.programmes import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/nouveau/", views.programme_create, name="programme_create"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("programmes/<slug:slug>/modifier/", views.programme_edit, name="programme_edit"),
    path("programmes/<slug:slug>/equipe/", views.staffing_add, name="staffing_add"),
    path(
        "programmes/<slug:slug>/equipe/<int:pk>/retirer/",
        views.staffing_delete,
        name="staffing_delete",
    ),
]
