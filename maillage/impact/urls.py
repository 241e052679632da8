from __future__ import annotations

from django.urls import path

from maillage.impact import views

app_name = "impact"

urlpatterns = [
    path("indicateurs/", views.indicators, name="indicators"),
]
