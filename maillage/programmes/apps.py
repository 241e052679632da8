from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "maillage.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.programmes.perms import can_see_programmes

        register(
            NavItem(
                pillar="mesurer",
                label=_("Programmes"),
                url_name="programmes:programme_list",
                visible=can_see_programmes,
            )
        )
