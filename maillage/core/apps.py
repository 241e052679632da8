from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.utils.module_loading import autodiscover_modules

        from maillage.core import lookups  # noqa: F401 (registers the safe `in` lookup)
        from maillage.core.append_only import register_sqlite_functions

        connection_created.connect(register_sqlite_functions)

        # Each app declares the figures about its records in its `indicators.py`.
        autodiscover_modules("indicators")
