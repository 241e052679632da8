from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "maillage.impact"
    label = "impact"
    verbose_name = _("Mesure de l'impact")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.impact import equipment, programme, signals
        from maillage.impact.perms import can_read_figures
        from maillage.programmes.pages import PROGRAMME_PAGE

        PROGRAMME_PAGE.register("impact.targets", programme.section)
        signals.connect()
        equipment.connect()

        register(
            NavItem(
                pillar="mesurer",
                label=_("Tableau de bord"),
                url_name="impact:dashboard",
                visible=can_read_figures,
                order=-1,
            )
        )
