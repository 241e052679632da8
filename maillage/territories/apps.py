from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "maillage.territories"
    label = "territories"
    verbose_name = _("Territoires")
