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
        for order, (label, url_name, visible) in enumerate(
            [
                (_("Appels à candidatures"), "network:call_list", perms.can_follow_calls),
                (_("Accompagnements"), "network:plan_list", perms.can_see_coaching),
                (_("Formations des référents"), "network:training_list", perms.can_see_trainings),
                (_("Ressources pédagogiques"), "network:resource_list", perms.can_use_resources),
                (_("Réunions d'information"), "network:meeting_list", perms.can_organise_meetings),
            ],
            start=1,
        ):
            register(
                NavItem(
                    pillar="reseau", label=label, url_name=url_name, visible=visible, order=order
                )
            )
