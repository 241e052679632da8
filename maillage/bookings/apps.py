from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "maillage.bookings"
    label = "bookings"
    verbose_name = _("Réservations du public")
