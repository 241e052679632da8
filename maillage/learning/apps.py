from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "maillage.learning"
    label = "learning"
    verbose_name = _("Accompagnement")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.learning import person
        from maillage.learning.perms import can_keep_an_agenda, can_see_activities
        from maillage.people import registry

        register(
            NavItem(
                pillar="accompagner",
                label=_("Parcours"),
                url_name="learning:cohort_list",
                visible=can_see_activities,
            )
        )
        register(
            NavItem(
                pillar="accompagner",
                label=_("Catalogue"),
                url_name="learning:course_list",
                visible=can_see_activities,
                order=1,
            )
        )
        register(
            NavItem(
                pillar="accompagner",
                label=_("Ateliers"),
                url_name="learning:workshop_list",
                visible=can_see_activities,
                order=2,
            )
        )
        register(
            NavItem(
                pillar="accompagner",
                label=_("Permanences"),
                url_name="learning:drop_in_list",
                visible=can_see_activities,
                order=3,
            )
        )
        register(
            NavItem(
                pillar="accompagner",
                label=_("Mon agenda"),
                url_name="learning:agenda",
                visible=can_keep_an_agenda,
                order=-1,
            )
        )
        registry.register(
            registry.PersonData(
                key="learning",
                section=person.section,
                export=person.export,
                erase=person.erase,
                order=1,
            )
        )
