from __future__ import annotations

from django.urls import path

from maillage.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("lieux/", views.place_search, name="place_search"),
    path("lieux/<int:pk>/", views.place_detail, name="place_detail"),
    path("lieux/<int:pk>/signaler-une-erreur/", views.place_error, name="place_error"),
    path("lieux/<int:pk>/etre-rappele/", views.place_call_back, name="place_call_back"),
    path("rejoindre/", views.join, name="join"),
    path("rejoindre/reunions/<int:pk>/", views.meeting_register, name="meeting_register"),
    path("appels/<slug:slug>/", views.call_apply, name="call_apply"),
    path("donnees/lieux-mediation-numerique.csv", views.places_csv, name="places_csv"),
    path("donnees/lieux-mediation-numerique.json", views.places_json, name="places_json"),
    path(
        "donnees/data-inclusion/structures.json",
        views.data_inclusion_structures,
        name="data_inclusion_structures",
    ),
    path(
        "donnees/data-inclusion/services.json",
        views.data_inclusion_services,
        name="data_inclusion_services",
    ),
    path("appels/<slug:slug>/brouillon/<str:token>/", views.call_draft, name="call_draft"),
]
