from __future__ import annotations

from django.urls import path

from maillage.network import views

app_name = "network"

urlpatterns = [
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/nouvelle/", views.structure_create, name="structure_create"),
    path("structures/<int:pk>/", views.structure_detail, name="structure_detail"),
    path("structures/<int:pk>/modifier/", views.structure_edit, name="structure_edit"),
    path("structures/<int:pk>/statut/", views.structure_transition, name="structure_transition"),
]
