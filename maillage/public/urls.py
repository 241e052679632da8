from __future__ import annotations

from django.urls import path

from maillage.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
