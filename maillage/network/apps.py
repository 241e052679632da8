from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "maillage.network"
    label = "network"
    verbose_name = _("Réseau")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.core.perms import scope_of

        register(
            NavItem(
                pillar="reseau",
                label=_("Structures"),
                url_name="network:structure_list",
                visible=lambda user: not scope_of(user).is_empty,
            )
        )
        from maillage.core.perms import STAFF_ROLES, Role
        from maillage.network.models import can_use_resources, is_staff

        def staff_or_referent(user: object) -> bool:
            return scope_of(user).has_role(*STAFF_ROLES, Role.RELAY_REFERENT)

        for order, (label, url_name, visible) in enumerate(
            [
                (_("Appels à candidatures"), "network:call_list", is_staff),
                (_("Accompagnements"), "network:plan_list", staff_or_referent),
                (_("Formations des référents"), "network:training_list", staff_or_referent),
                (_("Ressources pédagogiques"), "network:resource_list", can_use_resources),
                (_("Réunions d'information"), "network:meeting_list", is_staff),
            ],
            start=1,
        ):
            register(
                NavItem(
                    pillar="reseau", label=label, url_name=url_name, visible=visible, order=order
                )
            )
