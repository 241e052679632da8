from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares the figures about its records in its `indicators.py`.
        autodiscover_modules("indicators")
