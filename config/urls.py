from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from maillage.impact import views as impact_views

admin.site.site_header = _("Maillage — administration technique")
admin.site.site_title = _("Maillage")
admin.site.index_title = _("Administration technique")

urlpatterns = [
    path("", include("maillage.public.urls")),
    path("espace/", include("maillage.accounts.urls")),
    path("reseau/", include("maillage.network.urls")),
    path("reseau/", include("maillage.animation.urls")),
    path("", include("maillage.people.urls")),
    path("", include("maillage.bookings.urls")),
    path("diagnostics/", include("maillage.diagnostics.urls")),
    path("accompagner/", include("maillage.learning.urls")),
    path("equiper/", include("maillage.stock.urls")),
    path("mesurer/", include("maillage.programmes.urls")),
    path("api/v1/", include("maillage.impact.api")),
    path("mesurer/", include("maillage.impact.urls")),
    path("statistiques/", impact_views.public_statistics, name="public_statistics"),
    path("territoires/", include("maillage.territories.urls")),
    path("langue/", login_not_required(set_language), name="set_language"),
    path("administration/", admin.site.urls),
]
