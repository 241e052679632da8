from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnimationConfig(AppConfig):
    name = "maillage.animation"
    label = "animation"
    verbose_name = _("Animer le réseau")

    def ready(self) -> None:
        from maillage.animation import perms, sections, services
        from maillage.core.navigation import NavItem, register
        from maillage.network.pages import STRUCTURE_PAGE
        from maillage.people import retention

        for order, (label, url_name, visible) in enumerate(
            [
                (_("Appels à candidatures"), "animation:call_list", perms.can_follow_calls),
                (_("Accompagnements"), "animation:plan_list", perms.can_see_coaching),
                (_("Formations des référents"), "animation:training_list", perms.can_see_trainings),
                (_("Ressources pédagogiques"), "animation:resource_list", perms.can_use_resources),
                (
                    _("Réunions d'information"),
                    "animation:meeting_list",
                    perms.can_organise_meetings,
                ),
            ],
            start=1,
        ):
            register(
                NavItem(
                    pillar="reseau", label=label, url_name=url_name, visible=visible, order=order
                )
            )
        STRUCTURE_PAGE.register("animation.journey", sections.structure_section)
        retention.register("animation.contacts", services.forget_old_contacts_report)
