from __future__ import annotations

from django.urls import path

from maillage.diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("", views.diagnostic_list, name="diagnostic_list"),
    path("personne/<str:reference>/commencer/", views.diagnostic_start, name="diagnostic_start"),
    path("<int:pk>/", views.diagnostic_detail, name="diagnostic_detail"),
    path("<int:pk>/etape/<int:step>/", views.diagnostic_step, name="diagnostic_step"),
    path("<int:pk>/synthese/", views.diagnostic_summary, name="diagnostic_summary"),
    path(
        "recommandations/<int:pk>/accepter/",
        views.recommendation_accept,
        name="recommendation_accept",
    ),
    path(
        "recommandations/<int:pk>/ecarter/",
        views.recommendation_dismiss,
        name="recommendation_dismiss",
    ),
    path("orientations/<int:pk>/suite/", views.orientation_outcome, name="orientation_outcome"),
]
