from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "maillage.diagnostics"
    label = "diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.diagnostics import person
        from maillage.diagnostics.perms import can_diagnose
        from maillage.people import registry

        register(
            NavItem(
                pillar="diagnostiquer",
                label=_("Diagnostics"),
                url_name="diagnostics:diagnostic_list",
                visible=can_diagnose,
            )
        )
        registry.register(
            registry.PersonData(
                key="diagnostics",
                section=person.section,
                export=person.export,
                erase=person.erase,
            )
        )
