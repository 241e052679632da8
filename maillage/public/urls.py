from __future__ import annotations

from django.urls import path

from maillage.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),  # type: ignore[arg-type]
    path("confidentialite/", views.privacy, name="privacy"),  # type: ignore[arg-type]
    path("accessibilite/", views.accessibility, name="accessibility"),  # type: ignore[arg-type]
]
