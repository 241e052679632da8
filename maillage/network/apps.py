from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "maillage.network"
    label = "network"
    verbose_name = _("Réseau")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.network import perms

        register(
            NavItem(
                pillar="reseau",
                label=_("Structures"),
                url_name="network:structure_list",
                visible=perms.can_see_structures,
            )
        )
